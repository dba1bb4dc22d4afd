"""A Redis server that answers the start-up check and fails everything after (for the
tests of a shared index that goes away during a run)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator


class HalfRedis:
    """A Redis server that answers the connection check and fails everything after: a
    shared index reachable when the run starts and gone by the time it ends."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            for command in _commands(conn):
                name = command[0].upper()
                if name == b"HELLO":
                    conn.sendall(b"%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n")
                elif name == b"PING":
                    conn.sendall(b"+PONG\r\n")
                elif name in (b"CLIENT", b"SELECT"):
                    conn.sendall(b"+OK\r\n")
                else:
                    return  # the connection drops, as a server that went away

    def close(self) -> None:
        self.sock.close()


def _commands(conn: socket.socket) -> Iterator[list[bytes]]:
    """RESP commands (arrays of bulk strings) as they arrive."""
    buffer = b""
    while data := conn.recv(65536):
        buffer += data
        while buffer.startswith(b"*"):
            lines = buffer.split(b"\r\n")
            try:
                count, at, args = int(lines[0][1:]), 1, []
                for _ in range(count):
                    args.append(lines[at + 1])
                    at += 2
                rest = lines[at:]
            except (IndexError, ValueError):
                break
            if len(rest) == 0:
                break
            buffer = b"\r\n".join(rest)
            yield args

"""The non-blank lines of a byte stream, a chunk at a time, within a length and a total cap.

`readline` costs a Python call per line, so a small gzip of hundreds of millions of
newlines took minutes to get through; here runs of blank lines are skipped by searches in C
over whole chunks, counted for the line numbers, and — since they are decompressed bytes
like any other — counted toward the stream's expansion cap (`read.bounded`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from pipeline.errors import ExpansionCapError
from pipeline.read.bounded import over_cap

CHUNK = 1 << 20
_NON_BLANK = re.compile(rb"[^ \t\r\n\f\v]")


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class Lines:
    """Iterate `(number, line)` over the non-blank lines, each without its leading blanks.

    `line` is None for a line over `max_line` bytes (skipped, never held whole). Raises
    `ExpansionCapError` once more than `cap` bytes have been read (None: no cap).
    `number` is the 1-based line number; `self.number` counts the lines read so far.
    """

    def __init__(self, stream: Readable, max_line: int, cap: int | None = None) -> None:
        self._stream = stream
        self._max_line = max_line
        self._cap = cap
        self._buffer = bytearray()
        self._read = 0
        self._eof = False
        self.number = 0

    def __iter__(self) -> Iterator[tuple[int, bytes | None]]:
        while True:
            start = self._skip_blank()
            if start is None:
                return
            end = self._buffer.find(b"\n", start)
            while end < 0 and not self._eof and len(self._buffer) - start <= self._max_line:
                self._fill()
                end = self._buffer.find(b"\n", start)
            stop = len(self._buffer) if end < 0 else end + 1
            self.number += 1
            if stop - start > self._max_line:
                self._discard_line(start)
                yield self.number, None
                continue
            line = bytes(self._buffer[start:stop])
            del self._buffer[:stop]
            yield self.number, line

    def _skip_blank(self) -> int | None:
        """Where the next non-blank line starts in the buffer, or None at the end."""
        while True:
            found = _NON_BLANK.search(self._buffer)
            if found is not None:
                self.number += self._buffer.count(b"\n", 0, found.start())
                del self._buffer[: found.start()]
                return 0
            self.number += self._buffer.count(b"\n")
            self._buffer.clear()
            if self._eof:
                return None
            self._fill()

    def _discard_line(self, start: int) -> None:
        """Drop the rest of an overlong line, reading on to its end."""
        del self._buffer[:start]
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                del self._buffer[: end + 1]
                return
            self._buffer.clear()
            if self._eof:
                return
            self._fill()

    def _fill(self) -> None:
        chunk = self._stream.read(CHUNK)
        if not chunk:
            self._eof = True
            return
        self._read += len(chunk)
        if self._cap is not None and self._read > self._cap:
            raise ExpansionCapError(over_cap("archive", self._cap))
        self._buffer += chunk

"""One gzip member of a file as a stream that ends where the member ends, within a cap.

A WARC.gz holds one record per gzip member. Read as one continuous stream, a record that
claims more bytes than its member holds reads on into the members after it, swallowing
every good record that follows. Reading each member as its own
stream keeps every record inside its member, and tells exactly where the next one begins.
The output of each member is capped by `read.max_gzip_ratio` times the compressed bytes it
has consumed (`read.bounded`): past that the stream ends and `failure` says why.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

from pipeline.config import ReadConfig
from pipeline.read.bounded import FLOOR_BYTES, over_cap

_INPUT = 1 << 16


class GzipMember(io.RawIOBase):
    """The decompressed bytes of the member starting at `offset` of `fh`.

    Only `read` and `tell` are offered: all FastWARC asks of a stream. `end` is the offset
    just past the member once it has been read to its end; `failure` the reason it could
    not be (a cap, corrupt data), after which the stream reads as ended.
    """

    def __init__(self, fh: BinaryIO, offset: int, config: ReadConfig) -> None:
        super().__init__()
        fh.seek(offset)
        self._fh = fh
        self._offset = offset
        self._ratio = config.max_gzip_ratio
        self._decomp = zlib.decompressobj(wbits=31)
        self._input = b""
        self._fed = 0
        self._out = 0
        self.end: int | None = None
        self.failure: str | None = None

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._out

    def read(self, size: int = -1) -> bytes:
        want = size if size is not None and size >= 0 else 1 << 20
        out = bytearray()
        while len(out) < want and self.end is None and self.failure is None:
            out += self._step(want - len(out))
        return bytes(out)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def finish(self) -> int | None:
        """Read the rest of the member (within the cap); where it ends, or None if it
        cannot be read to an end."""
        while self.read(1 << 20):
            pass
        return self.end

    def _step(self, room: int) -> bytes:
        if not self._input:
            self._input = self._fh.read(_INPUT)
            self._fed += len(self._input)
            if not self._input:
                self.failure = "truncated WARC record: the archive ends inside its gzip member"
                return b""
        try:
            chunk = self._decomp.decompress(self._input, room)
        except zlib.error as exc:
            self.failure = f"corrupt WARC record: its gzip member is corrupt ({exc})"
            return b""
        self._input = self._decomp.unconsumed_tail
        if self._decomp.eof:  # what follows the member is in `unused_data` (and the tail)
            consumed = self._fed - len(self._decomp.unused_data)
            self.end = self._offset + consumed
        else:
            consumed = self._fed - len(self._input)
        cap = max(consumed * self._ratio, FLOOR_BYTES)
        if self._out + len(chunk) > cap:
            self.failure = over_cap("gzip member", cap)
            self.end = None
            return b""
        self._out += len(chunk)
        return chunk

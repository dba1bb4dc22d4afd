"""A cap on every decompression, nested ones included, reported as such.

Compressed bytes are the cheapest way to make a reader hold, or churn through, far more
than it was given: gzip shrinks repeated bytes a thousandfold, nested gzip far more. So
every decompression the readers do — a gzip file (nested gzip too), the members of a
WARC.gz, a whole JSONL.gz archive, an HTTP content encoding (gzip, deflate, br) inside a
WARC record — stops as soon as its output passes a cap, and the input is quarantined with
a reason that names the cap and the settings behind it:

- one document may expand to at most `read.max_bytes`, and to at most
  `read.max_gzip_ratio` times its compressed size (but always `FLOOR_BYTES`, so a small
  page that compresses well is not mistaken for a bomb);
- a stream of many documents (an archive) to at most the ratio times its compressed size.

Output is produced a bounded step at a time (`max_length`), so memory never holds more
than the cap, whatever the input claims.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli

from pipeline.config import ReadConfig
from pipeline.read.magic import GZIP_MAGIC

FLOOR_BYTES = 1_000_000
"""Expansion always allowed, whatever the ratio: any page fits, no bomb gets far."""
_STEP = 1 << 20
"""Output asked of a decompressor at a time."""


def expansion_cap(compressed: int, config: ReadConfig, one_document: bool = True) -> int:
    """Most bytes that `compressed` bytes may decompress to (see the module docstring)."""
    by_ratio = max(compressed * config.max_gzip_ratio, FLOOR_BYTES)
    return min(config.max_bytes, by_ratio) if one_document else by_ratio


def over_cap(what: str, cap: int) -> str:
    """The quarantine reason for `what` (gzip, an archive...) passing `cap`."""
    return (
        f"{what} expands beyond {cap} bytes (possible {what} bomb; "
        "limits: read.max_bytes, read.max_gzip_ratio)"
    )


def gunzip_capped(data: bytes, cap: int) -> bytes | str:
    """Decompress every gzip member, stopping past `cap` bytes; a string is the error."""
    return _zlib_capped(data, 31, cap, "gzip", members=True)


def inflate_capped(data: bytes, cap: int) -> bytes | str:
    """HTTP `deflate`: zlib-wrapped as the standard says, or raw as some servers send it."""
    result = _zlib_capped(data, 15, cap, "deflate", members=False)
    if isinstance(result, str) and result.startswith("corrupt"):
        return _zlib_capped(data, -15, cap, "deflate", members=False)
    return result


def unbrotli_capped(data: bytes, cap: int) -> bytes | str:
    """HTTP `br` (Brotli), stopping past `cap` bytes; a string is the error."""
    decomp = brotli.Decompressor()
    out = bytearray()
    pending = data
    try:
        while not decomp.is_finished():
            chunk = decomp.process(pending, output_buffer_limit=min(_STEP, cap + 1 - len(out)))
            pending = b""
            out += chunk
            if len(out) > cap:
                return over_cap("br", cap)
            if not chunk and not decomp.is_finished() and decomp.can_accept_more_data():
                return "truncated br: the stream ends before its end marker"
    except brotli.error as exc:
        return f"corrupt br: {exc}"
    return bytes(out)


Decoder = Callable[[bytes, int], "bytes | str"]
CONTENT_DECODERS: dict[str, Decoder] = {
    "gzip": gunzip_capped,
    "x-gzip": gunzip_capped,
    "deflate": inflate_capped,
    "br": unbrotli_capped,
}
"""HTTP content codings undone here, each under the cap; any other is refused by name."""


def _zlib_capped(data: bytes, wbits: int, cap: int, what: str, members: bool) -> bytes | str:
    out = bytearray()
    remaining = data
    try:
        while remaining:
            decomp = zlib.decompressobj(wbits=wbits)
            pending = remaining
            while not decomp.eof:
                room = cap + 1 - len(out)
                chunk = decomp.decompress(pending, min(room, _STEP))
                out += chunk
                if len(out) > cap:
                    return over_cap(what, cap)
                pending = decomp.unconsumed_tail
                if not pending and not chunk and not decomp.eof:
                    return f"truncated {what}: the stream ends before its end marker"
            remaining = decomp.unused_data.lstrip(b"\x00")
            if not members or remaining[:2] != GZIP_MAGIC:
                break
    except zlib.error as exc:
        return f"corrupt {what}: {exc}"
    return bytes(out)

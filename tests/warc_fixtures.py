"""Small real WARC archives for tests, written with warcio (the reference writer)."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support import FIXTURES

DEV_HTML = FIXTURES / "scrapinghub" / "html"
"""Real Scrapinghub development pages committed with the tests (tests/fixtures/README.md)."""


def dev_page(index: int) -> bytes:
    paths = sorted(DEV_HTML.glob("*.html.gz"))
    return gzip.decompress(paths[index].read_bytes())


@dataclass(frozen=True, slots=True)
class Entry:
    """One record to write: kind is `html`, `png`, `404`, `request` or `resource`."""

    url: str
    kind: str
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    offsets: list[int]
    """Byte offset of each entry's record, in order."""


def write_warc(path: Path, entries: list[Entry], gz: bool = True) -> Written:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    offsets = []
    for entry in entries:
        offsets.append(buffer.tell())
        writer.write_record(_record(writer, entry))
    path.write_bytes(buffer.getvalue())
    return Written(path, offsets)


def _record(writer: WARCWriter, entry: Entry):  # type: ignore[no-untyped-def]
    if entry.kind == "request":
        return writer.create_warc_record(
            entry.url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        )
    if entry.kind == "resource":
        return writer.create_warc_record(
            entry.url,
            "resource",
            payload=io.BytesIO(entry.body),
            warc_content_type="text/html",
        )
    status, ctype = {
        "html": ("200 OK", "text/html; charset=utf-8"),
        "png": ("200 OK", "image/png"),
        "404": ("404 Not Found", "text/html"),
    }[entry.kind]
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        entry.url, "response", payload=io.BytesIO(entry.body), http_headers=headers
    )


def raw_response(
    body: bytes,
    headers: bytes = b"Content-Type: text/html\r\n",
    content_length: bytes | None = None,
    url: bytes = b"https://raw.example/page",
) -> bytes:
    """One WARC response record written by hand, so its header can lie (warcio's cannot)."""
    http = b"HTTP/1.1 200 OK\r\n" + headers + b"\r\n" + body
    length = str(len(http)).encode() if content_length is None else content_length
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000>\r\n"
        b"WARC-Date: 2024-01-02T03:04:05Z\r\nWARC-Target-URI: " + url + b"\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + length + b"\r\n\r\n" + http + b"\r\n\r\n"
    )


def write_raw(path: Path, records: list[bytes], gz: bool) -> list[int]:
    """The records one after another (each its own gzip member when `gz`); their offsets."""
    offsets, parts, at = [], [], 0
    for record in records:
        part = gzip.compress(record) if gz else record
        offsets.append(at)
        parts.append(part)
        at += len(part)
    path.write_bytes(b"".join(parts))
    return offsets


def zeros_gzip(megabytes: int) -> bytes:
    """`megabytes` MB of NUL bytes as gzip (about 1 KB per MB), built a block at a time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([compressor.compress(block) for _ in range(megabytes)] + [compressor.flush()])

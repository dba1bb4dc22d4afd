"""Small real WARC archives for tests, written with warcio (the reference writer)."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support import SHARED

DEV_HTML = SHARED / "bench" / "scrapinghub-dev" / "html"


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

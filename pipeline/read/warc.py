"""HTML responses out of WARC / WARC.gz web archives, streamed record by record.

FastWARC parses the records: on 1,000 dev pages it takes 0.18 ms a record from a WARC.gz
against warcio's 0.40 ms (0.05 vs 0.08 ms uncompressed); both are small next to the
extraction, so what decides is that every record is accounted for:

- a record whose block is shorter than its declared `Content-Length` (a truncated
  archive) is quarantined, not handed on half-read — both libraries return it silently;
- a corrupt record stops both libraries' iterators, so the archive is re-synchronised:
  the bad record is quarantined with its offset and reading resumes at the next record
  start (the next gzip member holding `WARC/1.`, or a `WARC/1.` line), so the archive's
  other records still come through;
- responses that are not HTML (images, PDFs, JSON), or not 2xx, are quarantined with the
  content type or status; requests, metadata and warcinfo records are not documents and
  are skipped.

Every record's `source` is `archive#offset`, the byte offset of the record (of its gzip
member in a WARC.gz) in the archive file, so `dd`/`warcio extract` can find it again.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from pipeline.config import ReadConfig
from pipeline.fields import http_url
from pipeline.model import Quarantine, RawDocument
from pipeline.read.magic import GZIP_MAGIC, GZIP_MEMBER, WARC_MAGIC

HTML_TYPES = ("text/html", "application/xhtml+xml")
_DOCUMENT_TYPES = WarcRecordType.response | WarcRecordType.resource
_SCAN_CHUNK = 1 << 20


def iter_warc(source: str, path: Path, config: ReadConfig) -> Iterator[RawDocument | Quarantine]:
    """Every HTML response of the archive as a `RawDocument`, every other response as a
    `Quarantine`, in archive order."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as exc:
        yield Quarantine(source, f"cannot read: {exc.strerror}", "read")
        return
    with fh:
        gz = fh.read(2) == GZIP_MAGIC
        start = 0
        while True:
            fh.seek(start)
            last: int | None = None
            try:
                for record in ArchiveIterator(fh, parse_http=False, fsspec_args=False):
                    last = record.stream_pos
                    outcome = _record_outcome(record, source, config)
                    if outcome is not None:
                        yield outcome
            except OSError as exc:
                bad = start if last is None else _record_end(fh, last, gz)
                yield Quarantine(f"{source}#{bad}", f"corrupt WARC record: {exc}", "read")
                resume = _next_record_start(fh, bad + 1, gz)
                if resume is None:
                    return
                start = resume
                continue
            return


def _record_outcome(
    record: WarcRecord, archive: str, config: ReadConfig
) -> RawDocument | Quarantine | None:
    if not record.record_type & _DOCUMENT_TYPES:
        return None
    source = f"{archive}#{record.stream_pos}"
    declared = record.content_length
    if declared > config.max_bytes:
        return Quarantine(
            source,
            f"record too large: {declared} bytes > read.max_bytes={config.max_bytes}",
            "read",
        )
    try:
        record.freeze()
        got = len(record.reader.read())
        if got < declared:
            return Quarantine(
                source,
                f"truncated WARC record: the archive ends after {got} of {declared} bytes",
                "read",
            )
        record.reader.seek(0)
        if record.record_type == WarcRecordType.response:
            record.parse_http(auto_decode="all")
            status = record.http_headers.status_code if record.http_headers else None
            if status is None or not 200 <= status < 300:
                return Quarantine(source, f"HTTP response with status {status}: no page", "read")
            content_type = record.http_content_type
        else:
            content_type = record.headers.get("Content-Type")
        payload = record.reader.read()
    except OSError as exc:
        return Quarantine(source, f"corrupt WARC record: {exc}", "read")
    if content_type and not content_type.split(";")[0].strip().lower().startswith(HTML_TYPES):
        return Quarantine(source, f"not an HTML response ({content_type})", "read")
    date = record.record_date
    return RawDocument(
        source=source,
        data=payload,
        url=http_url(record.headers.get("WARC-Target-URI")),
        date=date.date().isoformat() if date is not None else None,
    )


def _record_end(fh: BinaryIO, pos: int, gz: bool) -> int:
    """Where the record starting at `pos` ends: where the trouble after it begins."""
    fh.seek(pos)
    if gz:
        decomp = zlib.decompressobj(wbits=31)
        consumed = 0
        try:
            while not decomp.eof:
                chunk = fh.read(_SCAN_CHUNK)
                if not chunk:
                    break
                data = chunk
                while data and not decomp.eof:
                    decomp.decompress(data, 1 << 16)
                    data = decomp.unconsumed_tail
                consumed += len(chunk) - len(decomp.unused_data)
        except zlib.error:
            return pos
        return pos + consumed
    head = fh.read(_SCAN_CHUNK)
    split = head.find(b"\r\n\r\n")
    if split < 0:
        return pos
    length = 0
    for line in head[:split].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value)
    return pos + split + 4 + length + 4


def _next_record_start(fh: BinaryIO, pos: int, gz: bool) -> int | None:
    """The next offset at or after `pos` where a readable WARC record begins."""
    needle = GZIP_MEMBER if gz else WARC_MAGIC
    while True:
        fh.seek(pos)
        chunk = fh.read(_SCAN_CHUNK + len(needle))
        if len(chunk) < len(needle):
            return None
        at = chunk.find(needle)
        while at >= 0:
            if _starts_record(fh, pos + at, gz):
                return pos + at
            at = chunk.find(needle, at + 1)
        pos += _SCAN_CHUNK


def _starts_record(fh: BinaryIO, offset: int, gz: bool) -> bool:
    if not gz:
        if offset == 0:
            return True
        fh.seek(offset - 1)
        return fh.read(1) == b"\n"
    fh.seek(offset)
    try:
        head = zlib.decompressobj(wbits=31).decompress(fh.read(65536), len(WARC_MAGIC))
    except zlib.error:
        return False
    return head == WARC_MAGIC

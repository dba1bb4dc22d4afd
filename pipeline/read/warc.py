"""HTML responses out of WARC / WARC.gz web archives, streamed record by record.

FastWARC parses the records (faster than warcio; both are small next to the extraction),
so what decides is that every record is accounted for:

- a record whose block is shorter than its declared `Content-Length` (a truncated
  archive) is quarantined, not handed on half-read — both libraries return it silently;
- a corrupt record stops both libraries' iterators, so the archive is re-synchronised:
  the bad record is quarantined with its offset and reading resumes at the next record
  start (the next gzip member holding `WARC/1.`, or a `WARC/1.` line), so the archive's
  other records still come through;
- a `Content-Length` that is not a plain decimal (negative, or beyond any file) is
  quarantined as such and reading resumes at the next record start: FastWARC reads it as
  0 and would take the record's block for the next header (a phantom corrupt record); in
  an uncompressed WARC, a record claiming more bytes than the archive holds, or whose
  claimed block does not end at the two line breaks that end a record, is quarantined and
  the records inside its claim are found again the same way;
- a WARC.gz is read one gzip member at a time (`read.member`), so a record can never
  read on into the records of the members after it, and each member's expansion is capped;
- HTTP transfer and content encodings are undone by `read.http`, within the caps;
- responses that are not HTML (images, PDFs, JSON), or not 2xx, are quarantined with the
  content type or status; requests, metadata and warcinfo records are not documents and
  are skipped.

Every record's `source` is `archive#offset`, the byte offset of the record (of its gzip
member in a WARC.gz) in the archive file, so `dd`/`warcio extract` can find it again; a
further record in the same gzip member (a WARC gzipped whole) is `archive#member+offset`,
with its offset in the member's decompressed bytes.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from pipeline.config import ReadConfig
from pipeline.fields import http_url
from pipeline.model import Quarantine, RawDocument, Stage
from pipeline.read.http import decode_payload
from pipeline.read.magic import GZIP_MAGIC, GZIP_MEMBER, WARC_MAGIC
from pipeline.read.member import GzipMember

HTML_TYPES = ("text/html", "application/xhtml+xml")
_DOCUMENT_TYPES = WarcRecordType.response | WarcRecordType.resource
_SCAN_CHUNK = 1 << 20
_LENGTH = re.compile(r"\s*\d{1,18}\s*")
"""A Content-Length FastWARC reads as written: a plain decimal below 10**18."""

Outcome = RawDocument | Quarantine
Run = Generator[Outcome, None, int | None]
"""Records of one stretch of an archive; returns where to resume, or None at the end."""


def iter_warc(source: str, path: Path, config: ReadConfig) -> Iterator[Outcome]:
    """Every HTML response of the archive as a `RawDocument`, every other response as a
    `Quarantine`, in archive order."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as exc:
        yield Quarantine(source, f"cannot read: {exc.strerror}", Stage.READ)
        return
    with fh:
        gz = fh.read(2) == GZIP_MAGIC
        size = os.fstat(fh.fileno()).st_size
        run = _member_run if gz else _plain_run
        start: int | None = 0
        while start is not None and start < size:
            start = yield from run(fh, start, source, size, config)


def _plain_run(fh: BinaryIO, start: int, archive: str, size: int, config: ReadConfig) -> Run:
    """Records of an uncompressed WARC from `start`, until one whose framing cannot be
    trusted (then resume at the next record start after it) or the end."""
    fh.seek(start)
    last: int | None = None
    try:
        for record in ArchiveIterator(fh, parse_http=False, fsspec_args=False):
            last = record.stream_pos
            claim_fits = _claim(record, size)
            if claim_fits and not _framed(fh.fileno(), record, size):
                yield _misframed(record, f"{archive}#{last}")
                return _next_record_start(fh, last + 1, gz=False)
            outcome, trusted = _outcome(record, f"{archive}#{last}", config, claim_fits)
            if outcome is not None:
                yield outcome
            if not trusted:
                return _next_record_start(fh, last + 1, gz=False)
    except (OSError, ValueError) as exc:
        bad = start if last is None else _record_end(fh, last, size)
        yield Quarantine(f"{archive}#{bad}", f"corrupt WARC record: {exc}", Stage.READ)
        return _next_record_start(fh, bad + 1, gz=False)
    return None


def _member_run(fh: BinaryIO, start: int, archive: str, size: int, config: ReadConfig) -> Run:
    """The records of the gzip member at `start`; returns where the next member begins."""
    member = GzipMember(fh, start, config)
    yielded = False
    try:
        for record in ArchiveIterator(member, parse_http=False, fsspec_args=False):
            pos = record.stream_pos
            source = f"{archive}#{start}" if pos == 0 else f"{archive}#{start}+{pos}"
            outcome, trusted = _outcome(record, source, config, None, member)
            if outcome is not None:
                yield outcome
                yielded = True
            if not trusted:
                break
    except (OSError, ValueError) as exc:
        if not yielded:  # damage after a member's record is no record of its own
            reason = member.failure or f"corrupt WARC record: {exc}"
            yield Quarantine(f"{archive}#{start}", reason, Stage.READ)
            yielded = True
    end = member.finish() if member.failure is None else None
    if member.failure is not None and not yielded:
        yield Quarantine(f"{archive}#{start}", member.failure, Stage.READ)
    return end if end is not None else _next_record_start(fh, start + 1, gz=True)


def _claim(record: WarcRecord, size: int) -> bool:
    """Whether the record's declared block fits in the archive file."""
    length = _declared_length(record)
    return isinstance(length, int) and record.stream_pos + length <= size


def _framed(fd: int, record: WarcRecord, size: int) -> bool:
    """Whether the record's declared block ends where the standard ends a record: at two
    line breaks (or the end of the archive). A Content-Length that is wrong but fits in
    the file would otherwise make the records after it the block of this one."""
    pos = record.stream_pos
    split = os.pread(fd, _SCAN_CHUNK, pos).find(b"\r\n\r\n")
    length = _declared_length(record)
    if split < 0 or not isinstance(length, int):
        return False
    tail = os.pread(fd, 4, pos + split + 4 + length)
    return tail in (b"\r\n\r\n", b"") or tail.startswith(b"\n\n") or not tail.strip()


def _misframed(record: WarcRecord, source: str) -> Quarantine:
    length = record.headers.get("Content-Length")
    return Quarantine(
        source,
        f"WARC Content-Length {length} does not match the record: its block would run into "
        "the records after it, which are read again",
        Stage.READ,
    )


def _declared_length(record: WarcRecord) -> int | str:
    """The record's Content-Length, or why it cannot be trusted."""
    value = record.headers.get("Content-Length")
    if value is None or not _LENGTH.fullmatch(value):
        shown = value if value is None or len(value) <= 40 else value[:40] + "..."
        return f"invalid WARC Content-Length: {shown!r}"
    return int(value)


def _outcome(
    record: WarcRecord,
    source: str,
    config: ReadConfig,
    claim_fits: bool | None,
    member: GzipMember | None = None,
) -> tuple[Outcome | None, bool]:
    """What the record yields, and whether reading may go on right after it (its framing
    is trusted). `claim_fits` is for an uncompressed archive; `member` for a WARC.gz."""
    declared = _declared_length(record)
    if isinstance(declared, str):
        return Quarantine(source, declared, Stage.READ), False
    if not record.record_type & _DOCUMENT_TYPES:
        return None, True
    if declared > config.max_bytes:
        reason = f"record too large: {declared} bytes > read.max_bytes={config.max_bytes}"
        if claim_fits is False:
            return Quarantine(
                source, reason + " (and past the end of the archive)", Stage.READ
            ), False
        return Quarantine(source, reason, Stage.READ), True
    try:
        record.freeze()
        got = len(record.reader.read())
        if got < declared:
            return Quarantine(source, _truncated(got, declared, member), Stage.READ), False
        record.reader.seek(0)
        return _payload(record, source, config), True
    except (OSError, ValueError) as exc:
        return Quarantine(source, f"corrupt WARC record: {exc}", Stage.READ), True


def _truncated(got: int, declared: int, member: GzipMember | None) -> str:
    if member is not None and member.failure is not None:
        return member.failure
    where = "the archive" if member is None else "its gzip member"
    return f"truncated WARC record: {where} ends after {got} of {declared} bytes"


def _payload(record: WarcRecord, source: str, config: ReadConfig) -> Outcome:
    """The record's page, its HTTP encodings undone; or why it is no page."""
    if record.record_type == WarcRecordType.response:
        record.parse_http(auto_decode="none")
        headers = record.http_headers
        status = headers.status_code if headers else None
        if headers is None or status is None or not 200 <= status < 300:
            return Quarantine(source, f"HTTP response with status {status}: no page", Stage.READ)
        content_type = record.http_content_type
        transfer, coding = headers.get("Transfer-Encoding"), headers.get("Content-Encoding")
    else:
        content_type = record.headers.get("Content-Type")
        transfer = coding = None
    if content_type and not content_type.split(";")[0].strip().lower().startswith(HTML_TYPES):
        return Quarantine(source, f"not an HTML response ({content_type})", Stage.READ)
    payload = decode_payload(record.reader.read(), transfer, coding, config)
    if isinstance(payload, str):
        return Quarantine(source, payload, Stage.READ)
    date = record.record_date
    return RawDocument(
        source=source,
        data=payload,
        url=http_url(record.headers.get("WARC-Target-URI")),
        date=date.date().isoformat() if date is not None else None,
    )


def _record_end(fh: BinaryIO, pos: int, size: int) -> int:
    """Where the uncompressed record starting at `pos` ends: where the trouble after it
    begins (`pos` itself when its header cannot tell)."""
    fh.seek(pos)
    head = fh.read(_SCAN_CHUNK)
    split = head.find(b"\r\n\r\n")
    if split < 0:
        return pos
    length = 0
    for line in head[:split].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and _LENGTH.fullmatch(value.decode("latin-1")):
            length = int(value)
    return min(pos + split + 4 + length + 4, size)


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
    return bool(head == WARC_MAGIC)

"""Archives that hold many documents (WARC, JSONL), recognised by their bytes.

The sniff runs before the single-page reader, which loads and gunzips whole files under a
size cap: an archive of a hundred thousand pages must be streamed record by record
instead. Only the first bytes are looked at (through gzip when compressed), never the name.
"""

from __future__ import annotations

import enum
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import ReadConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.read.jsonl import BODY_FIELDS, iter_jsonl
from pipeline.read.magic import GZIP_MAGIC, WARC_MAGIC
from pipeline.read.warc import iter_warc

HEAD_BYTES = 65536
_BODY_KEY = re.compile(rb'"(?:%s)"\s*:' % b"|".join(k.encode() for k in BODY_FIELDS))


class ArchiveKind(enum.StrEnum):
    WARC = "warc"
    JSONL = "jsonl"


def archive_kind(path: Path) -> ArchiveKind | None:
    """WARC or JSONL when the file's first bytes say so; None for anything else."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None  # the page reader reports it
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, HEAD_BYTES)
        except zlib.error:
            return None
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith(WARC_MAGIC):
        return ArchiveKind.WARC
    if head.lstrip().startswith(b"{") and _first_line_is_record(head.lstrip()):
        return ArchiveKind.JSONL
    return None


def _first_line_is_record(head: bytes) -> bool:
    line, newline, _ = head.partition(b"\n")
    if not newline and len(head) >= HEAD_BYTES // 2:
        # A first line longer than the head: judge by the keys it starts with.
        return _BODY_KEY.search(line) is not None
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and any(isinstance(obj.get(k), str) for k in BODY_FIELDS)


def iter_archive(
    kind: ArchiveKind, source: str, path: Path, config: ReadConfig
) -> Iterator[RawDocument | Quarantine]:
    if kind is ArchiveKind.WARC:
        return iter_warc(source, path, config)
    return iter_jsonl(source, path, config)

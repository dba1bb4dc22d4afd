"""Documents out of JSONL dumps (one JSON object a line, optionally gzipped), streamed.

Each line is an object with the page in `html` (preferred) or `text`, and optional `url`
and `date` strings, which become the document's metadata in their documented forms (an
http(s) URL, a `YYYY-MM-DD` date: anything else is dropped, see `pipeline.fields`); JSON
can spell lone surrogates (`"\\ud800"`), which are replaced so every string is valid
Unicode. A line that is not such an
object is quarantined with its line number, so one bad line costs one record; `source`
is `dump.jsonl#L<line>`. Lines are read one at a time with a length cap, so neither a
huge dump nor one enormous line can exhaust memory.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import ReadConfig
from pipeline.fields import http_url, iso_date, unicode_text
from pipeline.model import Quarantine, RawDocument
from pipeline.read.magic import GZIP_MAGIC

BODY_FIELDS = ("html", "text")


def iter_jsonl(source: str, path: Path, config: ReadConfig) -> Iterator[RawDocument | Quarantine]:
    lineno = 0
    try:
        with _open(path) as fh:
            while True:
                line = fh.readline(config.max_bytes + 1)
                if not line:
                    return
                lineno += 1
                if len(line) > config.max_bytes:
                    yield Quarantine(
                        f"{source}#L{lineno}",
                        f"line too long: over read.max_bytes={config.max_bytes} bytes",
                        "read",
                    )
                    _skip_rest_of_line(fh, config.max_bytes)
                    continue
                if line.strip():
                    yield line_document(f"{source}#L{lineno}", line)
    except (OSError, EOFError, zlib.error) as exc:
        reason = str(exc) or type(exc).__name__
        yield Quarantine(
            f"{source}#L{lineno + 1}", f"unreadable after line {lineno}: {reason}", "read"
        )


def line_document(source: str, line: bytes) -> RawDocument | Quarantine:
    """One JSONL line as a document, or the reason it is not one."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Quarantine(source, f"invalid JSON line: {exc}", "read")
    if not isinstance(obj, dict):
        return Quarantine(source, f"JSON line is a {type(obj).__name__}, not an object", "read")
    body = next((obj[k] for k in BODY_FIELDS if obj.get(k) is not None), None)
    if not isinstance(body, str):
        return Quarantine(source, "JSON line has no `html` or `text` string field", "read")
    return RawDocument(
        source=source,
        data=unicode_text(body).encode("utf-8"),
        url=http_url(obj.get("url")),
        date=iso_date(obj.get("date")),
    )


def _open(path: Path) -> io.BufferedIOBase:
    with open(path, "rb") as probe:
        gz = probe.read(2) == GZIP_MAGIC
    if gz:
        return gzip.GzipFile(path, "rb")
    return open(path, "rb")


def _skip_rest_of_line(fh: io.BufferedIOBase, chunk: int) -> None:
    while True:
        part = fh.readline(chunk)
        if not part or part.endswith(b"\n"):
            return

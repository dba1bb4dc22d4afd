"""Documents out of JSONL dumps (one JSON object a line, optionally gzipped), streamed.

Each line is an object with the page in `html` (preferred) or `text`, and optional `url`
and `date` strings, which become the document's metadata in their documented forms (an
http(s) URL, a `YYYY-MM-DD` date: anything else is dropped, see `pipeline.fields`); JSON
can spell lone surrogates (`"\\ud800"`), which are replaced so every string is valid
Unicode. A line that is not such an
object is quarantined with its line number, so one bad line costs one record; `source`
is `dump.jsonl#L<line>`. Lines are read a chunk at a time with a length cap, so neither a
huge dump nor one enormous line can exhaust memory; a JSONL.gz may expand to at most
`read.max_gzip_ratio` times its size (`read.bounded`), blank lines included, and is cut
off there with a quarantine line that says so.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import ReadConfig
from pipeline.errors import ExpansionCapError
from pipeline.fields import http_url, iso_date, unicode_text
from pipeline.model import Quarantine, RawDocument, Stage
from pipeline.read.bounded import expansion_cap
from pipeline.read.lines import Lines, Readable
from pipeline.read.magic import GZIP_MAGIC

BODY_FIELDS = ("html", "text")


def iter_jsonl(source: str, path: Path, config: ReadConfig) -> Iterator[RawDocument | Quarantine]:
    lines: Lines | None = None
    try:
        with _open(path) as (fh, compressed):
            cap = expansion_cap(path.stat().st_size, config, False) if compressed else None
            lines = Lines(fh, config.max_bytes, cap)
            for number, line in lines:
                where = f"{source}#L{number}"
                if line is None:
                    reason = f"line too long: over read.max_bytes={config.max_bytes} bytes"
                    yield Quarantine(where, reason, Stage.READ)
                else:
                    yield line_document(where, line)
    except ExpansionCapError as exc:
        done = lines.number if lines is not None else 0
        yield Quarantine(f"{source}#L{done + 1}", f"stopped after line {done}: {exc}", Stage.READ)
    except (OSError, EOFError, zlib.error) as exc:
        done = lines.number if lines is not None else 0
        reason = str(exc) or type(exc).__name__
        yield Quarantine(
            f"{source}#L{done + 1}", f"unreadable after line {done}: {reason}", Stage.READ
        )


def line_document(source: str, line: bytes) -> RawDocument | Quarantine:
    """One JSONL line as a document, or the reason it is not one."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Quarantine(source, f"invalid JSON line: {exc}", Stage.READ)
    if not isinstance(obj, dict):
        return Quarantine(source, f"JSON line is a {type(obj).__name__}, not an object", Stage.READ)
    body = next((obj[k] for k in BODY_FIELDS if obj.get(k) is not None), None)
    if not isinstance(body, str):
        return Quarantine(source, "JSON line has no `html` or `text` string field", Stage.READ)
    return RawDocument(
        source=source,
        data=unicode_text(body).encode("utf-8"),
        url=http_url(obj.get("url")),
        date=iso_date(obj.get("date")),
    )


@contextlib.contextmanager
def _open(path: Path) -> Iterator[tuple[Readable, bool]]:
    """The file's bytes, through gzip when it starts with gzip's magic; and whether it did."""
    with open(path, "rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if not compressed:
            yield raw, False
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield unzipped, True

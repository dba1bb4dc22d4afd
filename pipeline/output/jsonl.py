"""JSON Lines written so that one record is always exactly one line, for every reader."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.output.atomic import AtomicFile

# Characters JSON allows raw but that `str.splitlines` and some JSONL readers treat as
# line ends: escaped, so one record is always exactly one line for every reader.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def dumps(record: Any) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    # `translate` with a mapping walks the text in Python-level lookups, a cost paid on
    # every article; the three substring scans run in C and are almost always negative.
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        return text.translate(_LINE_BREAKERS)
    return text


def write_jsonl(path: Path, records: Iterable[Any]) -> int:
    count = 0
    with AtomicFile(path) as fh:
        for record in records:
            fh.write(dumps(record))
            fh.write("\n")
            count += 1
    return count

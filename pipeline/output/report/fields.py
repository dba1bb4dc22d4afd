"""Reading records tolerantly, and the few ways the page shortens what it shows.

Records are read as plain mappings: fields are added over time (cross-document
annotations, clusters) and a report must still render from an older run's records, so a
missing or mistyped field reads as absent instead of failing the page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

Record = Mapping[str, Any]
"""One JSON record as written (article, removal, cluster, quarantine): read tolerantly."""


def string(record: Record, key: str) -> str | None:
    """`record[key]` if it is a non-empty string, else None."""
    value = record.get(key)
    return value if isinstance(value, str) and value else None


def integer(value: object) -> int | None:
    """`value` if it is an int (a bool is not), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def number(value: object) -> float | None:
    """`value` as a float if it is an int or a float (a bool is not), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def records(value: object) -> list[Record]:
    """The mappings of a list (paragraphs, removals, members); anything else is empty."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def similarity(value: object) -> str | None:
    """A similarity as the page prints it, two decimals; None if it is not a number."""
    measured = number(value)
    return None if measured is None else f"{measured:.2f}"


def preview(text: str, limit: int = 90) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def short_source(source: str) -> str:
    """The file name of an input path (either separator), or the whole source."""
    return posixpath.basename(source.replace("\\", "/")) or source


def safe_href(url: str | None) -> str | None:
    """Only web links become links: an input's `javascript:` URL stays plain text."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def kilo(chars: int) -> str:
    """A character count as `12.3k` from a thousand on."""
    return f"{chars / 1000:.1f}k" if chars >= 1000 else str(chars)

"""The date a reader sees under the headline, when the page's markup dates say otherwise.

htmldate reads the page's date markup first (meta tags, JSON-LD, `<time>`, URL) and picks
the original date among them; but that markup is often a template's or a CMS's, left
behind by a migration, a re-import or a theme (a date years before the story, the day of
the last deploy), while the article header shows the date the publisher stands behind.
So the visible text next to the `<h1>` is read for a written date: when one is there, it
is the article's date; the markup decides only where the header shows none.

Dates are read in the written forms that carry the year, month and day unambiguously:
"December 5, 2025", "Dec. 5, 2025", "5 December 2025", "2025-12-05" and "05.12.2025"
(day first, as written where dots are used). A slashed date ("12/05/2025") is read only
when day and month cannot be swapped.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree, html

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    r"\b(?:"
    + _MONTH
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\.?\s+"
    + _MONTH.replace("month", "month2")
    + r",?\s+(?P<year2>\d{4})"
    + r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    + r"|(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})"
    + r"|(?P<s1>\d{1,2})/(?P<s2>\d{1,2})/(?P<sy>\d{4})"
    + r")\b",
    re.IGNORECASE,
)
_SKIPPED = ("script", "style", "noscript", "template", "nav")
# How far around the headline's text a date still belongs to the article header.
_BEFORE_CHARS = 200
_AFTER_CHARS = 600
_TWELVE = 12
_FIRST_YEAR = 1990
_NEW_YEAR = "-01-01"


def headline_dates(tree: html.HtmlElement) -> list[str]:
    """The written dates near the page's first `<h1>` as `YYYY-MM-DD`, nearest first
    (those after the heading, then those before it)."""
    body = tree.find(".//body")
    heading = next(iter(tree.iter("h1")), None) if body is not None else None
    if body is None or heading is None:
        return []
    before: list[str] = []
    after: list[str] = []
    _collect(body, heading, before, after)
    head = " ".join(" ".join(before).split())[-_BEFORE_CHARS:]
    tail = " ".join(" ".join(after).split())[:_AFTER_CHARS]
    found = []
    for text in (tail, head):
        for match in _DATE.finditer(text):
            value = _as_date(match)
            if value is not None and value not in found:
                found.append(value)
    return found


def page_date(markup_date: str | None, written: list[str], stated: str | None) -> str | None:
    """The markup's date if the header shows it too, else the header's first date, else
    the markup's date, unless that is a bare year's January 1st that neither the header
    nor the JSON-LD (`stated`) confirms."""
    if markup_date in written or not written:
        lone_year = markup_date is not None and markup_date.endswith(_NEW_YEAR)
        if lone_year and markup_date != stated and markup_date not in written:
            return None  # htmldate's reading of a lone year, mostly a copyright line
        return markup_date
    return written[0]


def _collect(
    body: etree._Element, heading: etree._Element, before: list[str], after: list[str]
) -> None:
    # Document-order text of the body, split at the heading's start; the walk stops once
    # enough text after the heading is read.
    stack: list[tuple[etree._Element, bool]] = [(body, False)]
    target = before
    read_after = 0
    while stack and read_after <= 2 * _AFTER_CHARS:
        node, closing = stack.pop()
        if node is heading and not closing:
            target = after
        text = node.tail if closing else node.text
        if text and (closing or (isinstance(node.tag, str) and node.tag not in _SKIPPED)):
            target.append(text)
            read_after += len(text) if target is after else 0
        if not closing:
            stack.append((node, True))
            if isinstance(node.tag, str) and node.tag not in _SKIPPED:
                stack.extend((child, False) for child in reversed(node))


def _as_date(found: re.Match[str]) -> str | None:
    groups = found.groupdict()
    parts: tuple[str | int, str | int, str | int]
    if groups["month"]:
        parts = (groups["year"], _MONTHS[groups["month"].lower()], groups["day"])
    elif groups["month2"]:
        parts = (groups["year2"], _MONTHS[groups["month2"].lower()], groups["day2"])
    elif groups["iy"]:
        parts = (groups["iy"], groups["im"], groups["id"])
    elif groups["dd"]:
        parts = (groups["dy"], groups["dm"], groups["dd"])
    else:
        first, second = int(groups["s1"]), int(groups["s2"])
        if first <= _TWELVE and second <= _TWELVE and first != second:
            return None  # 03/04/2025: the third of April or the fourth of March
        month, day = (first, second) if first <= _TWELVE else (second, first)
        parts = (groups["sy"], month, day)
    if int(parts[0]) < _FIRST_YEAR:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None

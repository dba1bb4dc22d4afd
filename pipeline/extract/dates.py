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
from collections.abc import Iterator
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
    body = next(tree.iterdescendants("body"), None)  # a walk in C, unlike find(".//body")
    heading = next(iter(tree.iter("h1")), None) if body is not None else None
    if body is None or heading is None:
        return []
    head, tail = around_heading(body, heading)
    found = []
    for text in (tail, head):
        for match in _DATE.finditer(text):
            value = _as_date(match)
            if value is not None and value not in found:
                found.append(value)
    return found


def around_heading(body: etree._Element, heading: etree._Element) -> tuple[str, str]:
    """The body's text (outside scripts, styles and menus) in the `_BEFORE_CHARS` before
    the heading and the `_AFTER_CHARS` from its start, whitespace collapsed.

    Read outwards from the heading: the text before it is read backwards, so a page whose
    headline follows long menus costs no walk of the menus. Where the heading is not
    where a walk of the body would meet it (outside the body, inside a skipped element),
    the whole body is walked (`split_at_heading`).
    """
    levels = _levels(body, heading)
    if levels is None:
        before, after = split_at_heading(body, heading)
        return _collapsed(before)[-_BEFORE_CHARS:], _collapsed(after)[:_AFTER_CHARS]
    return _text_before(heading, body), _text_after(heading, levels)


def _collapsed(pieces: list[str]) -> str:
    return " ".join(" ".join(pieces).split())


def _readable(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and node.tag not in _SKIPPED


def _levels(body: etree._Element, heading: etree._Element) -> list[etree._Element] | None:
    """The heading's ancestors up to the body, outermost first; None when the body walk
    would not reach the heading."""
    levels = []
    for ancestor in heading.iterancestors():
        if not _readable(ancestor):
            return None
        levels.append(ancestor)
        if ancestor is body:
            return levels[::-1]
    return None


def _text_before(heading: etree._Element, body: etree._Element) -> str:
    pieces: list[str] = []
    size = -1  # the collapsed length of the pieces read: words and the spaces between
    for text in _backwards(heading, body):
        words = text.split()
        if words:
            pieces.append(text)
            size += sum(map(len, words)) + len(words)
            if size >= _BEFORE_CHARS:
                break
    return _collapsed(pieces[::-1])[-_BEFORE_CHARS:]


def _backwards(heading: etree._Element, body: etree._Element) -> Iterator[str]:
    """The texts a document-order walk of the body reads before the heading, last first."""
    node = heading
    while node is not body:
        for sibling in node.itersiblings(preceding=True):
            stack: list[tuple[etree._Element, bool]] = [(sibling, False)]
            while stack:
                current, opened = stack.pop()
                if opened:
                    if current.text:
                        yield current.text
                    continue
                if current.tail:
                    yield current.tail
                if _readable(current):
                    stack.append((current, True))
                    stack.extend((child, False) for child in current)
        parent = node.getparent()
        assert parent is not None  # `_levels` found the body above the heading
        if parent.text:
            yield parent.text
        node = parent


def _text_after(heading: etree._Element, levels: list[etree._Element]) -> str:
    # The stack of a document-order walk of the body as it reaches the heading.
    stack: list[tuple[etree._Element, bool]] = []
    for level, child in zip(levels, [*levels[1:], heading], strict=True):
        stack.append((level, True))
        stack.extend((sibling, False) for sibling in reversed(list(child.itersiblings())))
    stack.append((heading, False))
    after: list[str] = []
    _walk(stack, after)
    return _collapsed(after)[:_AFTER_CHARS]


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


def split_at_heading(body: etree._Element, heading: etree._Element) -> tuple[list[str], list[str]]:
    # Document-order text of the body, split at the heading's start; the walk stops once
    # enough text after the heading is read.
    before: list[str] = []
    after: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(body, False)]
    while stack:
        node, closing = stack.pop()
        if node is heading and not closing:
            stack.append((node, False))
            _walk(stack, after)
            break
        _step(node, closing, stack, before)
    return before, after


def _walk(stack: list[tuple[etree._Element, bool]], out: list[str]) -> None:
    """Go on with a document-order walk, reading text into `out` until twice
    `_AFTER_CHARS` are read (the walk's end: the collapsed text keeps the first
    `_AFTER_CHARS`)."""
    read = 0
    while stack and read <= 2 * _AFTER_CHARS:
        node, closing = stack.pop()
        read += _step(node, closing, stack, out)


def _step(
    node: etree._Element, closing: bool, stack: list[tuple[etree._Element, bool]], out: list[str]
) -> int:
    """One step of the walk: the node's text when it opens (if readable), its tail when it
    closes; its children are queued. Returns the characters read."""
    text = node.tail if closing else node.text
    read = 0
    if text and (closing or _readable(node)):
        out.append(text)
        read = len(text)
    if not closing:
        stack.append((node, True))
        if _readable(node):
            stack.extend((child, False) for child in reversed(node))
    return read


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

"""Pages that cannot hold an article whatever the extractor does: all script, all links.

trafilatura falls back to the longest text block when it finds no article, and on a page
made only of menus that block is a menu — it would come out as an "article" of link
labels. Measuring the text outside links (and outside scripts and styles) first gives
such pages a reason a person understands. Real article pages keep thousands of
characters outside links even when most of their text is links, so the bar below is the
extractor's own minimum.
"""

from __future__ import annotations

from lxml import etree

_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def empty_page_reason(tree: etree._Element, min_chars: int) -> str | None:
    """Why the page holds no article text at all, or None when it might hold some."""
    total, outside_links = _visible_text(tree, min_chars)
    if total < min_chars:
        return (
            "page holds almost no visible text "
            f"(under extract.min_text_chars={min_chars} characters outside scripts and styles)"
        )
    if outside_links < min_chars:
        return (
            "page is all navigation: its text is link labels "
            f"(under extract.min_text_chars={min_chars} characters outside links)"
        )
    return None


def _visible_text(tree: etree._Element, enough: int) -> tuple[int, int]:
    """Characters of visible text, in all and outside `<a>`; stops once both reach `enough`.

    A walk rather than XPath: it is linear, stops early on ordinary pages, and runs in
    Python where the per-document time limit can interrupt it.
    """
    total = outside = 0
    hidden = links = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _NOT_TEXT:
                hidden += 1
            elif tag == "a":
                links += 1
            text = element.text
        else:
            if tag in _NOT_TEXT:
                hidden -= 1
            elif tag == "a":
                links -= 1
            text = element.tail  # the tail stands in the parent's context
        if hidden or not text:
            continue
        size = len(text.strip())
        total += size
        if not links:
            outside += size
            if outside >= enough:
                return max(total, outside), outside
    return total, outside

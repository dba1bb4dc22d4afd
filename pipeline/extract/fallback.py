"""When the first extraction is a fragment of the page: a second one, with trafilatura's fallbacks.

The pipeline runs trafilatura in recall mode with `fast` (no readability or jusText
comparison): cheaper, and on most pages it gets the whole article, which cleaning then
trims. On some layouts it settles on one block (a lead, a sidebar, the last section) and
returns a fragment, or nothing. A fragment shows as an extraction holding a small share
of the page's visible text, and of its text outside links: a short article on a page of
long menus and teaser lists is small beside the whole page but not beside the text that
is not links, and the second pass, which costs several first passes on such large pages,
finds the same article there. Only a fragment by both measures makes trafilatura run
again in its default mode, which compares its own result with readability's and
jusText's; most pages never pay for it.

The second result replaces the first only when it holds clearly more *prose* — text in
paragraphs of running words, outside links — so a fallback that grabs the whole page's
menus and teaser lists does not win by sheer length.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from pipeline.config import ExtractConfig
from pipeline.model import Paragraph

_HIDDEN = ("script", "style", "noscript", "template")
PROSE_WORDS = 8
"""A paragraph of at least this many words, mostly outside links, counts as prose."""
PROSE_LINKS = 0.5
"""A paragraph with this share of its text inside links or more is not prose."""


def visible_chars(tree: etree._Element) -> int:
    """Non-space characters of the page's text outside scripts and styles.

    One serialisation in C, less the text of the few hidden elements: a Python walk of
    every node would cost more than the comparison is worth.
    """
    body = tree.find("body")
    root = body if body is not None else tree
    text = etree.tostring(root, method="text", encoding="unicode", with_tail=False)
    hidden = sum(
        _dense(etree.tostring(e, method="text", encoding="unicode", with_tail=False))
        for e in root.iter(*_HIDDEN)
    )
    return max(0, _dense(text) - hidden)


def link_chars(tree: etree._Element) -> int:
    """Non-space characters inside the page's links (the outermost `<a>` of a nest)."""
    body = tree.find("body")
    root = body if body is not None else tree
    return sum(
        _dense(etree.tostring(a, method="text", encoding="unicode", with_tail=False))
        for a in root.xpath(".//a[not(ancestor::a)]")
    )


def needs_fallback(
    paragraphs: Sequence[Paragraph], tree: etree._Element, config: ExtractConfig
) -> bool:
    """The extraction holds under `config.fallback_ratio` of the page's visible text and
    under `config.fallback_unlinked_ratio` of that text outside links (never, with either
    ratio 0). The links are only counted on the pages the first test picks."""
    if config.fallback_ratio <= 0 or config.fallback_unlinked_ratio <= 0:
        return False
    extracted = sum(_dense(p.text) for p in paragraphs)
    visible = visible_chars(tree)
    if extracted >= config.fallback_ratio * visible:
        return False
    unlinked = max(0, visible - link_chars(tree))
    return extracted < config.fallback_unlinked_ratio * unlinked


def prose_chars(paragraphs: Sequence[Paragraph]) -> int:
    return sum(
        _dense(p.text)
        for p in paragraphs
        if p.link_share < PROSE_LINKS and len(p.text.split()) >= PROSE_WORDS
    )


def better(first: Sequence[Paragraph], second: Sequence[Paragraph], config: ExtractConfig) -> bool:
    """Whether `second` is the more complete article: `config.fallback_gain` times the
    prose of `first` or more (any prose at all when `first` has none)."""
    mine, theirs = prose_chars(first), prose_chars(second)
    if not theirs:
        return False
    return theirs >= config.fallback_gain * mine


def _dense(text: str) -> int:
    return len("".join(text.split()))

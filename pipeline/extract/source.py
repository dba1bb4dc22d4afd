"""Where each extracted paragraph stood in the page: its DOM context (`model.Source`).

trafilatura builds its body from new elements, so the paragraphs it returns no longer
point into the page. They are found again by their first words: every element of the
parsed page is indexed by the start of its own text, once, and each paragraph looks up
the element its text starts with. What the paragraph scorer then reads of that element
(its block tag, depth, class/id words and sectioning ancestors) is the same on any site:
a comment or a "related" box is marked as one by the page's own structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree, html

from pipeline.model import Paragraph, Source

KEY_CHARS = 32
"""Texts are matched on this many leading characters (whitespace folded)."""
MAX_PREFIX_TRIES = 8
"""Word boundaries tried when a paragraph starts with an element's whole short text."""
NAME_LEVELS = 4
"""Class/id words are read from the block element and this many ancestors above it."""

_WS = re.compile(r"\s+")
_NAME_WORD = re.compile(r"[a-z]{2,}")
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)
SECTIONS = frozenset(
    [
        "article",
        "main",
        "aside",
        "nav",
        "footer",
        "header",
        "figure",
        "form",
        "table",
        "ul",
        "ol",
        "blockquote",
        "dl",
    ]
)
"""Ancestors recorded in `Source.ancestors`."""


def _key(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Index:
    """Elements by the start of their own text: long texts by their first `KEY_CHARS`
    characters, short ones whole. The first element in document order wins."""

    def __init__(self, tree: html.HtmlElement) -> None:
        self.long: dict[str, etree._Element] = {}
        self.short: dict[str, etree._Element] = {}
        for element in tree.iter(etree.Element):
            text = element.text
            if not text or text.isspace():
                continue
            key = _key(text)
            if len(key) >= KEY_CHARS:
                self.long.setdefault(key[:KEY_CHARS], element)
            else:
                self.short.setdefault(key, element)

    def find(self, text: str) -> etree._Element | None:
        key = _key(text)
        found = self.long.get(key[:KEY_CHARS]) if len(key) >= KEY_CHARS else None
        if found is not None:
            return found
        if key in self.short:
            return self.short[key]
        # The paragraph starts with an element's whole (short) text: "See" of "<p>See
        # <a>the report</a></p>". Try its first few word boundaries, longest first.
        ends = [m.start() for m in re.finditer(" ", key[: KEY_CHARS + 1])][:MAX_PREFIX_TRIES]
        for end in reversed(ends):
            found = self.short.get(key[:end])
            if found is not None:
                return found
        return None


def _block(element: etree._Element) -> etree._Element:
    while element.tag in _INLINE:
        parent = element.getparent()
        if parent is None:
            break
        element = parent
    return element


def _names(element: etree._Element, level: int) -> Iterable[str]:
    for attribute in ("class", "id"):
        value = element.get(attribute)
        if value:
            for word in _NAME_WORD.findall(value.lower()):
                yield f"{level}:{word}"


def source_of(element: etree._Element) -> Source:
    block = _block(element)
    names: set[str] = set(_names(block, 0))
    ancestors: set[str] = set()
    depth = 0
    for level, parent in enumerate(block.iterancestors(), start=1):
        depth += 1
        if level <= NAME_LEVELS:
            names.update(_names(parent, level))
        tag = parent.tag
        if isinstance(tag, str) and tag in SECTIONS:
            ancestors.add(tag)
    return Source(str(block.tag), depth, frozenset(names), frozenset(ancestors))


def with_sources(tree: html.HtmlElement, paragraphs: Iterable[Paragraph]) -> list[Paragraph]:
    """The paragraphs with `source` set where their element is found (None elsewhere)."""
    index = _Index(tree)
    out = []
    for paragraph in paragraphs:
        element = index.find(paragraph.text)
        source = source_of(element) if element is not None else None
        out.append(Paragraph(paragraph.text, paragraph.kind, paragraph.link_share, source))
    return out


def page_language(tree: html.HtmlElement) -> str | None:
    """The `lang` (or `xml:lang`) of the root element, lowercased: `en-us`, `de` ..."""
    value = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if value is None and tree.tag != "html":
        root = tree.getroottree().getroot()
        value = root.get("lang")
    value = (value or "").strip().lower()
    return value or None

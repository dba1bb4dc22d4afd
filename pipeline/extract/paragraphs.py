"""Paragraphs out of trafilatura's XML body, with their kind and link share.

trafilatura's own XML body is walked to keep paragraph boundaries, headings and how much
of each paragraph is link text, which plain-text output would flatten."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from pipeline.model import Paragraph, ParagraphKind

_WS = re.compile(r"\s+")


_NOT_ALNUM = re.compile(r"[\W_]+")


# trafilatura's inline elements: their text belongs to the paragraph around them.
_INLINE = frozenset({"hi", "ref", "del", "lb", "span", "b", "i", "em", "strong", "a"})


def _gap(tag: object) -> str:
    """What joins an element to its neighbours: nothing for inline elements (a word can
    span two `<hi>`s), a space for blocks and line breaks."""
    return "" if tag in _INLINE and tag != "lb" else " "


class _Pieces:
    """Text of one paragraph being gathered, with how much of it sits inside links."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.linked = 0

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.parts.append(text)
            if in_link:
                self.linked += _visible(text)

    def add_element(self, element: etree._Element, in_link: bool = False) -> None:
        in_link = in_link or element.tag == "ref"
        self.add(element.text, in_link)
        for child in element:
            gap = _gap(child.tag)
            self.parts.append(gap)
            self.add_element(child, in_link)
            self.parts.append(gap)
            self.add(child.tail, in_link)

    def paragraph(self, kind: ParagraphKind) -> Paragraph | None:
        text = _WS.sub(" ", "".join(self.parts)).strip()
        if not text:
            return None
        visible = _visible(text)
        share = round(min(1.0, self.linked / visible), 3) if visible else 0.0
        return Paragraph(text, kind, share)


def body_paragraphs(body: etree._Element) -> list[Paragraph]:
    """Block elements are paragraphs; loose text between them is a paragraph too.

    trafilatura leaves text that stood outside any `<p>` in the page as bare text or tails
    in its body (`<head>…</head>Some text<head>…`); skipping it loses whole paragraphs.
    """
    out: list[Paragraph] = []
    loose = _Pieces()
    loose.add(body.text, False)

    def emit(pieces: _Pieces, kind: ParagraphKind) -> None:
        paragraph = pieces.paragraph(kind)
        if paragraph is not None:
            out.append(paragraph)

    for element in body:
        tag = str(element.tag)
        if tag in _INLINE:
            loose.parts.append(_gap(tag))
            loose.add_element(element)
            loose.add(element.tail, False)
            continue
        emit(loose, ParagraphKind.TEXT)
        loose = _Pieces()
        if tag == "list":
            _list_items(element, emit)
        elif tag == "table":
            for row in element.iter("row"):
                cells = []
                for cell in row:
                    pieces = _Pieces()
                    pieces.add_element(cell)
                    cells.append(pieces)
                merged = _Pieces()
                for pieces in cells:
                    if "".join(pieces.parts).strip():
                        merged.parts.extend([*pieces.parts, " | "])
                        merged.linked += pieces.linked
                if merged.parts:
                    merged.parts.pop()
                emit(merged, ParagraphKind.TABLE)
        else:
            pieces = _Pieces()
            pieces.add_element(element)
            kind = {"head": ParagraphKind.HEADING, "quote": ParagraphKind.QUOTE}.get(
                tag, ParagraphKind.TEXT
            )
            emit(pieces, kind)
        loose.add(element.tail, False)
    emit(loose, ParagraphKind.TEXT)
    return out


def _list_items(element: etree._Element, emit: Callable[[_Pieces, ParagraphKind], None]) -> None:
    """One paragraph per item; a nested list's items follow their parent item."""
    for item in element.iterchildren("item"):
        pieces = _Pieces()
        pieces.add(item.text, False)
        nested: list[etree._Element] = []
        for child in item:
            if child.tag == "list":
                nested.append(child)
            else:
                pieces.parts.append(_gap(child.tag))
                pieces.add_element(child)
            pieces.add(child.tail, False)
        emit(pieces, ParagraphKind.LIST_ITEM)
        for sub in nested:
            _list_items(sub, emit)


def _visible(text: str) -> int:
    # Letters and digits only: the brackets of "[CNET]" or the bullet before a link
    # should not make a link look like prose.
    return len(_NOT_ALNUM.sub("", text))

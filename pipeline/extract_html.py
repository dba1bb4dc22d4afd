"""Main text and metadata from HTML with trafilatura, parsed once.

The page is parsed a single time with lxml and the tree handed to trafilatura, so the
metadata (`html_metadata`) and the body come from one parse. trafilatura's own XML body
is walked to keep paragraph boundaries, headings and how much of each paragraph is link
text, which plain-text output would flatten.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import trafilatura
from lxml import etree, html
from trafilatura.settings import Extractor

from pipeline.config import ExtractConfig
from pipeline.html_metadata import page_metadata
from pipeline.model import Metadata, Paragraph, ParagraphKind
from pipeline.page_guards import empty_page_reason

_WS = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
# libxml2 refuses XPath expressions much longer than this many steps.
_XPATH_DEPTH_MAX = 1000
_XML_DECLARATION = re.compile(r"^<\?xml[^>]{0,200}\?>")


class ExtractionError(ValueError):
    """The page could not be parsed or held no main text."""


def extract_html(
    markup: str, config: ExtractConfig, url: str | None = None
) -> tuple[Metadata, tuple[Paragraph, ...]]:
    tree = parse_html(markup, config.max_tree_depth)
    empty = empty_page_reason(tree, config.min_text_chars)
    if empty is not None:
        raise ExtractionError(empty)
    options = Extractor(
        output_format="python",
        fast=config.fast,
        precision=config.favor_precision,
        recall=config.favor_recall,
        comments=False,
        tables=config.include_tables,
        # Links are kept to measure how much of each paragraph is link text; with no URL
        # given, trafilatura does not resolve each of them (the targets are not used).
        links=True,
        with_metadata=False,
    )
    try:
        metadata = page_metadata(tree, url)
        document = trafilatura.bare_extraction(tree, options=options)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    if document is None or isinstance(document, dict) or document.body is None:
        raise ExtractionError("no main text found in the page")
    return metadata, tuple(_paragraphs(document.body))


def parse_html(markup: str, max_depth: int) -> html.HtmlElement:
    # The text is already decoded: an XHTML prolog's `encoding=` no longer applies, and
    # lxml refuses str input that carries one.
    markup = _XML_DECLARATION.sub("", markup.strip(), count=1).strip()
    if not markup:
        raise ExtractionError("empty page")
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False, recover=True
    )
    try:
        tree = html.fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    if tree is None:
        raise ExtractionError("unparseable HTML")
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops building the tree at its depth limit: what follows is lost.
        raise ExtractionError("HTML nested too deep: libxml2 stopped at its depth limit (256)")
    if _depth_exceeds(tree, max_depth):
        raise ExtractionError(f"HTML nested deeper than {max_depth} levels")
    return tree


def _depth_exceeds(tree: html.HtmlElement, limit: int) -> bool:
    if limit <= _XPATH_DEPTH_MAX:
        # One XPath step per level, evaluated in C: any element `limit` levels below the
        # root. Walking the tree in Python costs more than the rest of the parse.
        return bool(tree.xpath("boolean(" + "/".join(["*"] * limit) + ")"))
    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            return True
    return False


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


def _paragraphs(body: etree._Element) -> list[Paragraph]:
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

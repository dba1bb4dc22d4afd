"""Main text and metadata from HTML with trafilatura, parsed once.

The page is parsed a single time with lxml and the tree handed to trafilatura, so the
metadata (`html_metadata`) and the body come from one parse; before it, pathological
structure is screened (`extract.screen`), since the parse runs in C where the time limit
cannot stop it. trafilatura's own XML body
is walked to keep paragraph boundaries, headings and how much of each paragraph is link
text, which plain-text output would flatten.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import trafilatura
from lxml import etree, html
from trafilatura.settings import Extractor

from pipeline.config import ExtractConfig
from pipeline.errors import ExtractionError
from pipeline.extract.fallback import better, needs_fallback
from pipeline.extract.guards import empty_page_reason
from pipeline.extract.metadata import page_metadata
from pipeline.extract.paragraphs import body_paragraphs
from pipeline.extract.prune import pruning_walks
from pipeline.extract.screen import screen_markup
from pipeline.extract.source import page_language, with_sources
from pipeline.model import Metadata, Paragraph

# Every element as an `HtmlElement` (what trafilatura and htmldate accept as a parsed
# page), chosen in C: lxml.html's own parser asks a Python method for the class of each
# element each time Python touches one (forms and inputs get subclasses no stage uses),
# and every tree walk of the extractors, ours and trafilatura's, paid that call.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=html.HtmlElement,
    comment=html.HtmlComment,
    pi=html.HtmlProcessingInstruction,
    entity=html.HtmlEntity,
)
# libxml2 refuses XPath expressions much longer than this many steps.
_XPATH_DEPTH_MAX = 1000
_XML_DECLARATION = re.compile(r"^<\?xml[^>]{0,200}\?>")


class Page(NamedTuple):
    metadata: Metadata
    paragraphs: tuple[Paragraph, ...]
    """With their place in the page (`Paragraph.source`) where it is found."""
    language: str | None
    """The page's declared language, if any."""


def extract_html(
    markup: str, config: ExtractConfig, url: str | None = None
) -> tuple[Metadata, tuple[Paragraph, ...]]:
    page = extract_page(markup, config, url)
    return page.metadata, page.paragraphs


def extract_page(
    markup: str, config: ExtractConfig, url: str | None = None, *, sources: bool = False
) -> Page:
    """`sources`: find each paragraph's place in the page (what the paragraph scorer
    reads); it costs a walk of the tree, so only when the scorer will use it."""
    screen_markup(markup)
    tree = parse_html(markup, config.max_tree_depth)
    empty = empty_page_reason(tree, config.min_text_chars)
    if empty is not None:
        raise ExtractionError(empty)
    try:
        metadata = page_metadata(tree, url)
        paragraphs = _body(tree, _options(config, fast=config.fast, recall=config.favor_recall))
        if needs_fallback(paragraphs, tree, config):
            # trafilatura works on copies of the tree it is given, so the same parse
            # serves both runs (a test holds the tree unchanged).
            second = _body(tree, _options(config, fast=False, recall=False))
            if better(paragraphs, second, config):
                paragraphs = second
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    if not paragraphs:
        raise ExtractionError("no main text found in the page")
    if sources:
        paragraphs = tuple(with_sources(tree, paragraphs))
    return Page(metadata, paragraphs, page_language(tree))


def _options(config: ExtractConfig, fast: bool, recall: bool) -> Extractor:
    # "txt": the body tree is what is read; "python" would also flatten it to text.
    return Extractor(
        output_format="txt",
        fast=fast,
        precision=config.favor_precision,
        recall=recall,
        comments=False,
        tables=config.include_tables,
        # Links are kept to measure how much of each paragraph is link text; with no URL
        # given, trafilatura does not resolve each of them (the targets are not used).
        links=True,
        with_metadata=False,
    )


def _body(tree: html.HtmlElement, options: Extractor) -> tuple[Paragraph, ...]:
    """The paragraphs trafilatura finds with `options`; none when it finds no body."""
    with pruning_walks():
        document = trafilatura.bare_extraction(tree, options=options)
    if document is None or isinstance(document, dict) or document.body is None:
        return ()
    return tuple(body_paragraphs(document.body))


def parse_html(markup: str, max_depth: int) -> html.HtmlElement:
    # The text is already decoded: an XHTML prolog's `encoding=` no longer applies, and
    # lxml refuses str input that carries one.
    markup = _XML_DECLARATION.sub("", markup.strip(), count=1).strip()
    if not markup:
        raise ExtractionError("empty page")
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False, recover=True
    )
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
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

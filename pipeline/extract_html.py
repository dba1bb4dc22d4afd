"""Main text and metadata from HTML with trafilatura, parsed once.

The page is parsed a single time with lxml and the tree handed to trafilatura, so the
metadata and the body come from one parse. trafilatura's own XML body is walked to keep
paragraph boundaries and headings, which plain-text output would flatten.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura
from lxml import etree, html
from trafilatura.settings import Extractor

from pipeline.config import ExtractConfig
from pipeline.model import Metadata, Paragraph, ParagraphKind

_WS = re.compile(r"\s+")
# htmldate options: prefer the publication date over the last modification.
_DATE_PARAMS: Any = {"original_date": True, "extensive_search": True}


class ExtractionError(ValueError):
    """The page could not be parsed or held no main text."""


def extract_html(
    markup: str, config: ExtractConfig, url: str | None = None
) -> tuple[Metadata, tuple[Paragraph, ...]]:
    tree = parse_html(markup, config.max_tree_depth)
    options = Extractor(
        output_format="python",
        fast=config.fast,
        precision=config.favor_precision,
        recall=config.favor_recall,
        comments=False,
        tables=config.include_tables,
        with_metadata=True,
        url=url,
        date_params=_DATE_PARAMS,
    )
    try:
        document = trafilatura.bare_extraction(tree, url=url, options=options)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    if document is None or isinstance(document, dict) or document.body is None:
        raise ExtractionError("no main text found in the page")
    metadata = Metadata(
        title=_tidy(document.title),
        author=_tidy(document.author),
        date=_tidy(document.date),
        site=_tidy(document.sitename) or _tidy(document.hostname),
        url=_tidy(document.url) or url,
    )
    return metadata, tuple(_paragraphs(document.body))


def parse_html(markup: str, max_depth: int) -> html.HtmlElement:
    markup = markup.strip()
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
    if _depth_exceeds(tree, max_depth):
        raise ExtractionError(f"HTML nested deeper than {max_depth} levels")
    return tree


def _depth_exceeds(tree: html.HtmlElement, limit: int) -> bool:
    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            return True
    return False


def _paragraphs(body: etree._Element) -> list[Paragraph]:
    out: list[Paragraph] = []
    for element in body:
        tag = element.tag
        if tag == "list":
            for item in element.iter("item"):
                text = _text(item)
                if text:
                    out.append(Paragraph(text, ParagraphKind.LIST_ITEM))
            continue
        if tag == "table":
            for row in element.iter("row"):
                cells = [_text(cell) for cell in row]
                text = " | ".join(c for c in cells if c)
                if text:
                    out.append(Paragraph(text, ParagraphKind.TABLE))
            continue
        text = _text(element)
        if not text:
            continue
        kind = {
            "head": ParagraphKind.HEADING,
            "quote": ParagraphKind.QUOTE,
        }.get(str(tag), ParagraphKind.TEXT)
        out.append(Paragraph(text, kind))
    return out


def _text(element: etree._Element) -> str:
    return _WS.sub(" ", "".join(element.itertext())).strip()


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None

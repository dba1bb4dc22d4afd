"""From raw bytes to an extracted `Document`: decode, sniff, then the right extractor.

Markdown is rendered to HTML first (CommonMark keeps leftover raw HTML as is), because
trafilatura then finds the title, byline and date that a text route would miss.
"""

from __future__ import annotations

from pipeline.config import ExtractConfig
from pipeline.errors import BinaryContentError, ExtractionError
from pipeline.extract.decode import decode_bytes
from pipeline.extract.markdown import markdown_to_html
from pipeline.extract.page import extract_page
from pipeline.extract.sniff import sniff_format
from pipeline.extract.text import text_paragraphs
from pipeline.model import Document, Format, Metadata, RawDocument

__all__ = ["ExtractionError", "extract_document", "markdown_to_html"]


def extract_document(raw: RawDocument, config: ExtractConfig, *, sources: bool = False) -> Document:
    """Raise `ExtractionError` (with a reason fit for a quarantine record) on failure.
    `sources`: HTML paragraphs carry their place in the page (`Paragraph.source`)."""
    if not raw.data.strip():
        raise ExtractionError("empty input")
    try:
        decoded = decode_bytes(raw.data)
    except BinaryContentError as exc:
        raise ExtractionError(str(exc)) from exc
    text = decoded.text
    if not text.strip():
        raise ExtractionError("input holds only whitespace")
    fmt = sniff_format(text)
    language = None
    if fmt is Format.TEXT:
        metadata = Metadata(url=raw.url, date=raw.date)
        paragraphs = text_paragraphs(text)
    else:
        markup = markdown_to_html(text) if fmt is Format.MARKDOWN else text
        metadata, paragraphs, language = extract_page(markup, config, url=raw.url, sources=sources)
        if raw.date and not metadata.date:
            metadata = _with_date(metadata, raw.date)
    if sum(len(p.text) for p in paragraphs) < config.min_text_chars:
        raise ExtractionError(
            f"no main text: under extract.min_text_chars={config.min_text_chars} characters"
        )
    return Document(
        source=raw.source,
        format=fmt,
        metadata=metadata,
        paragraphs=paragraphs,
        encoding=decoded.encoding,
        language=language,
    )


def _with_date(metadata: Metadata, date: str) -> Metadata:
    return Metadata(metadata.title, metadata.author, date, metadata.site, metadata.url)

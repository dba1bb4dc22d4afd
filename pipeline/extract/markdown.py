"""Markdown (often with leftover HTML) rendered to an HTML page for the extractor."""

from __future__ import annotations

from markdown_it import MarkdownIt


def markdown_to_html(text: str) -> str:
    # Indented code blocks are off: converters indent nested HTML (a dateline inside a
    # list item), and treating that as code hides it from the extractor.
    renderer = MarkdownIt("commonmark", {"html": True}).disable("code")
    # trafilatura wants a whole document; a bare fragment yields nothing.
    return f"<html><body>{renderer.render(text)}</body></html>"

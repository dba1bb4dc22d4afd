"""Extract: raw bytes to a `Document` of paragraphs and metadata.

Bytes are decoded (BOM, declared charset, detection), the format is sniffed from the text
(HTML, Markdown with leftover HTML, plain text), and the matching extractor runs:
trafilatura on HTML (Markdown is rendered to HTML first), line rules on plain text.
"""

from pipeline.extract.document import extract_document

__all__ = ["extract_document"]

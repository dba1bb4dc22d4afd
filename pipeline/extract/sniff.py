"""Tell HTML, Markdown-with-leftover-HTML and plain text apart from the content itself.

File names lie (`.txt` holding a whole web page is common in scraped dumps), so only the
text is looked at: document-level HTML tags mean HTML; Markdown syntax (headings, links,
images, list markers) — with or without stray `<div>`s — means Markdown; a page made of
HTML block tags and little else is an HTML fragment; the rest is plain text.

Hostile text must not make sniffing slow: only the first `SNIFF_CHARS` are looked at, and
every repetition in the patterns is bounded and cannot run past the next `<` (a tag) or
line, so a page of a million unclosed `<p` scans in linear time.
"""

from __future__ import annotations

import re

from pipeline.model import Format

_DOC_TAG = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
BLOCK_TAG = re.compile(
    r"</?(?:p|div|span|article|section|main|nav|header|footer|table|tr|td|ul|ol|li|h[1-6]|"
    r"br|a|img|script|style|meta|link)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
MD_LINK = re.compile(r"!?\[[^\]\n]{0,300}\]\([^()\[\]\s]{1,2000}(?:\s+\"[^\"\n]{0,300}\")?\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_MD_LIST = re.compile(r"^\s{0,4}(?:[-*+]|\d+\.)\s+\S", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(?:\*\*|__)\S[^*\n]{0,200}\S(?:\*\*|__)")

SNIFF_CHARS = 200_000


def sniff_format(text: str) -> Format:
    sample = text[:SNIFF_CHARS]
    head = sample[:4096].lstrip()
    if _DOC_TAG.search(head[:1024]) or head.startswith("<?xml"):
        return Format.HTML
    tags = len(BLOCK_TAG.findall(sample))
    md_marks = (
        2 * len(MD_LINK.findall(sample))
        + 2 * len(_MD_HEADING.findall(sample))
        + len(_MD_EMPHASIS.findall(sample))
    )
    lists = len(_MD_LIST.findall(sample))
    if md_marks >= 2 and md_marks + lists >= 0.2 * tags:
        return Format.MARKDOWN
    if _DOC_TAG.search(sample) or tags >= 3:
        return Format.HTML
    if md_marks >= 2:
        return Format.MARKDOWN
    return Format.TEXT

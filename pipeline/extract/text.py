"""Paragraphs from plain-text scrapes, whose line breaks mean different things.

Scrapes separate paragraphs by blank lines, by single line breaks (one paragraph a line),
or hard-wrap prose at a fixed width. A block is treated as hard-wrapped only when all its
lines are short and it reads as running prose; otherwise every line is a paragraph.
"""

from __future__ import annotations

import re

from pipeline.model import Paragraph

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")
_WS = re.compile(r"[ \t\u00a0\u200b]+")
WRAP_WIDTH = 100
MIN_WRAP_WIDTH = 50


def text_paragraphs(text: str) -> tuple[Paragraph, ...]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[Paragraph] = []
    for block in _BLANK.split(text):
        lines = [_WS.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        for para in _split_block(lines):
            out.append(Paragraph(para))
    return tuple(out)


def _split_block(lines: list[str]) -> list[str]:
    if len(lines) == 1:
        return lines
    width = max(len(line) for line in lines)
    if not MIN_WRAP_WIDTH <= width <= WRAP_WIDTH or not _reads_wrapped(lines, width):
        return lines
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        # A line clearly shorter than the wrap width ends a wrapped paragraph.
        if len(line) < 0.6 * width and line[-1:] in ".!?:\"”'’)":
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _reads_wrapped(lines: list[str], width: int) -> bool:
    """Most lines fill the width and many end mid-sentence: prose broken by a wrap."""
    full = sum(1 for line in lines[:-1] if len(line) >= 0.6 * width)
    mid_sentence = sum(1 for line in lines[:-1] if line[-1:] not in ".!?:\"”'’")
    inner = max(1, len(lines) - 1)
    return full / inner >= 0.6 and mid_sentence / inner >= 0.4

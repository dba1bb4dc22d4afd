"""The headline: found among the paragraphs of plain text, or its repeats removed.

For plain text, the headline is the first headline-shaped line of the preamble; what
stands before it is chrome, and headline variants right after it (a dump of several
revisions carries several headlines) are recorded as such. For HTML the title comes
from the page's metadata, and a paragraph repeating it near the top goes.
"""

from __future__ import annotations

from pipeline.clean.lexicon import STOPWORDS, WORD
from pipeline.clean.lines import Line, Reasons
from pipeline.config import CleanConfig
from pipeline.model import Reason

VARIANT_OVERLAP = 0.25
"""A headline-shaped line after the headline sharing this share of its content words is
a variant of it."""
MAX_VARIANT_WORDS = 16
REPEAT_SCAN = 5
"""How many of the first paragraphs may repeat the metadata title."""


def find_title(lines: list[Line], reasons: Reasons, start: int, config: CleanConfig) -> str | None:
    """The headline among the first `config.title_scan` lines before the body (at
    `start`), or None; the lines above it and its variants after it are removed."""
    limit = min(start if start > 0 else config.title_scan, config.title_scan, len(lines))
    title_at = next((i for i in range(limit) if i not in reasons and lines[i].headline_like), None)
    if title_at is None:
        return None
    for i in range(title_at):
        reasons.setdefault(i, (Reason.BEFORE_TITLE, "preamble"))
    reasons[title_at] = (Reason.TITLE, "headline")
    title = lines[title_at].text
    # Variants of the headline straight after it (several revisions, several headlines).
    for i in range(title_at + 1, limit):
        if i in reasons:
            continue
        line = lines[i]
        if (
            line.headline_like
            and line.words <= MAX_VARIANT_WORDS
            and overlap(title, line.text) >= VARIANT_OVERLAP
        ):
            reasons[i] = (Reason.ALTERNATE_HEADLINE, "headline_variant")
            continue
        break
    return title


def drop_title_repeats(lines: list[Line], reasons: Reasons, title: str) -> None:
    """A paragraph near the top with the title's words, in the title's order."""
    key = _norm(title)
    for i, line in enumerate(lines[:REPEAT_SCAN]):
        if i not in reasons and _norm(line.text) == key:
            reasons[i] = (Reason.TITLE, "title_repeat")


def overlap(a: str, b: str) -> float:
    """Shared content words (not `STOPWORDS`) over those of the shorter text; 0 if
    either has none."""
    wa = {w.lower() for w in WORD.findall(a)} - STOPWORDS
    wb = {w.lower() for w in WORD.findall(b)} - STOPWORDS
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _norm(text: str) -> str:
    return " ".join(w.lower() for w in WORD.findall(text))

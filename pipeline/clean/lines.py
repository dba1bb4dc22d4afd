"""What the passes know of a paragraph: its words, whether it is a sentence, its shape.

Every pass reads these few facts, computed once per paragraph by `describe`, instead of
the paragraph itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.clean.lexicon import CJK, SENTENCE_END, STOPWORDS, WORD
from pipeline.model import Paragraph, ParagraphKind, Reason

Reasons = dict[int, tuple[Reason, str]]
"""The decisions so far: paragraph index → (reason, rule name). A pass adds to it and
never takes a decision back; the paragraphs without one are kept."""


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph as the passes see it."""

    text: str
    kind: ParagraphKind
    words: int
    sentence: bool
    """It ends as a sentence does and has at least four words."""
    link_share: float = 0.0
    """The share of its text inside links (HTML only; 0 elsewhere)."""

    @property
    def headline_like(self) -> bool:
        """4 to 25 words, opening with a capital or a digit, not ending as a clause does."""
        first = self.text[:1]
        return (
            4 <= self.words <= 25
            and first.isalnum()
            and not first.islower()
            and not self.text.endswith((".", ",", ";", ":"))
        )


def describe(paragraph: Paragraph) -> Line:
    """The `Line` of a paragraph."""
    words = word_count(paragraph.text)
    return Line(
        text=paragraph.text,
        kind=paragraph.kind,
        words=words,
        sentence=bool(SENTENCE_END.search(paragraph.text)) and words >= 4,
        link_share=paragraph.link_share,
    )


def word_count(text: str) -> int:
    """Words, or for text written without spaces, two characters to a word."""
    return max(len(WORD.findall(text)), len(CJK.findall(text)) // 2)


def stopword_share(text: str) -> float:
    """The share of the words that are `STOPWORDS`: high in prose, low in menus and tags."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return 0.0
    return sum(1 for w in words if w in STOPWORDS) / len(words)

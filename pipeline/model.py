"""The small frozen data model every stage passes along.

Stages never mutate what they receive: each returns a new value, so a stage can be
retried, cached or run in another process without surprises.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field


class Format(enum.StrEnum):
    """What the bytes of an input turned out to be (sniffed, never taken from the name)."""

    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"


class ParagraphKind(enum.StrEnum):
    """Structural role of a paragraph; headings are kept apart from body text."""

    TEXT = "text"
    HEADING = "heading"
    LIST_ITEM = "list-item"
    QUOTE = "quote"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as read: decompressed bytes plus whatever the container told us.

    `source` is the input path as given (or `archive#offset` for archive records); it is
    the key that ties every output record back to its input.
    """

    source: str
    data: bytes
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: ParagraphKind = ParagraphKind.TEXT
    link_share: float = 0.0
    """Share of the text's characters inside links (HTML only; 0 for plain text): a
    paragraph that is all link is a teaser or a menu entry, rarely story."""


@dataclass(frozen=True, slots=True)
class Document:
    """Extracted, not yet cleaned: the paragraphs in reading order and the metadata."""

    source: str
    format: Format
    metadata: Metadata
    paragraphs: tuple[Paragraph, ...]
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Removal:
    """Why one paragraph of the extracted text is not in the article.

    `position` is the paragraph's index in the extracted document; `duplicate_of` is the
    index in the *article's* paragraphs of the paragraph this one duplicates.
    """

    text: str
    reason: str
    position: int
    rule: str | None = None
    duplicate_of: int | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """Output of cleaning or deduplication: what is kept, and what went and why."""

    kept: tuple[int, ...]
    removed: tuple[Removal, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    source: str
    format: Format
    metadata: Metadata
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[Removal, ...] = field(default=())
    encoding: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def id(self) -> str:
        """Stable across runs and machines: a hash of the clean text only."""
        return article_id(self.text)


@dataclass(frozen=True, slots=True)
class Quarantine:
    """An input that yields no article, with a reason a person can act on."""

    source: str
    reason: str
    stage: str


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


Outcome = Article | Quarantine

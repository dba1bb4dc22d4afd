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


class Reason(enum.StrEnum):
    """Why a paragraph is not in the article: the `reason` of every removal record.

    Cleaning gives the first group (chrome that reads the same on every site, and where
    a paragraph stands), deduplication the last three.
    """

    BOILERPLATE = "boilerplate"
    CAPTION = "caption"
    COMMENT_FORM = "comment-form"
    CREDITS = "credits"
    END_OF_ARTICLE = "end-of-article"
    AFTER_END_OF_ARTICLE = "after-end-of-article"
    FOOTER = "footer"
    NAVIGATION = "navigation"
    NEWSLETTER = "newsletter"
    REVISION_TRACKER = "revision-tracker"
    SEARCH_BOX = "search-box"
    SOCIAL = "social"
    TAGS = "tags"
    TEASER = "teaser"
    THEME_WARNING = "theme-warning"
    WIDGET = "widget"
    FRAGMENT = "fragment"
    SITE_CHROME = "site-chrome"
    """A fixed structural rule: a short line outside the body, a URL in the preamble."""
    BEFORE_TITLE = "before-title"
    TITLE = "title"
    ALTERNATE_HEADLINE = "alternate-headline"
    BYLINE = "byline"
    DECK = "deck"
    CUSTOM = "custom"
    """A pattern of the config's `clean.extra_patterns`."""
    DUPLICATE = "duplicate"
    """A near-duplicate of a kept paragraph of the same document (a revision)."""
    SITE_BOILERPLATE = "site-boilerplate"
    """Template text learned from the corpus: on many distinct pages of one site."""
    CROSS_DOCUMENT_DUPLICATE = "cross-document-duplicate"
    """A paragraph already kept in an earlier article (with `drop_cross_document_duplicates`)."""
    SCORER = "scorer"
    """The paragraph scorer (`clean.scorer`) judged it chrome; its `similarity` holds the
    scorer's probability that the paragraph is story."""


class Measure(enum.StrEnum):
    """How two texts were found alike: the `rule` of a duplicate, a cluster link's measure."""

    EXACT = "exact"
    """The same words after normalisation."""
    JACCARD = "jaccard"
    CONTAINMENT = "containment"
    """This one's shingles are (mostly) inside the other's."""
    CONTAINS = "contains"
    """The other one's shingles are (mostly) inside this one's."""
    JACCARD_ESTIMATE = "jaccard-estimate"
    """Estimated from band hashes, against a document of an earlier run."""
    INDEX = "index"
    """Remembered by the persistent index from an earlier run."""

    @property
    def strength(self) -> int:
        """Verified on the text (2) > estimated from band hashes (1) > remembered (0)."""
        if self is Measure.INDEX:
            return 0
        return 1 if self is Measure.JACCARD_ESTIMATE else 2

    @property
    def verified(self) -> bool:
        return self.strength == 2


class KeepRevision(enum.StrEnum):
    """Which copy of a paragraph a revision dump keeps (`dedupe.keep`)."""

    LATEST = "latest"
    """The latest revision, as the dump's own evidence orders them: what a reader of the
    canonical article expects."""
    FIRST = "first"
    """The earliest revision: the article as first published."""


class ClusterLevel(enum.StrEnum):
    """What a cluster of `clusters.jsonl` groups."""

    DOCUMENT = "document"
    PARAGRAPH = "paragraph"


class Stage(enum.StrEnum):
    """Where an input was quarantined: the `stage` of a quarantine record."""

    READ = "read"
    EXTRACT = "extract"
    CLEAN = "clean"
    DEDUPE = "dedupe"
    CROSSDOC = "crossdoc"
    PROCESS = "process"
    """A whole batch of the Prefect flow failed after its retries."""


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
class Source:
    """Where an HTML paragraph stood in the page it came from: the DOM context the
    paragraph scorer reads (a comment or sidebar block reads as prose, its place does not).
    """

    tag: str
    """The nearest block element holding the paragraph's first text (`p`, `li`, `h2` ...)."""
    depth: int
    """How many elements enclose that block element."""
    names: frozenset[str] = frozenset()
    """Lowercased words of the class and id attributes of the block and its nearest
    ancestors, each as `level:word` (0 = the block itself)."""
    ancestors: frozenset[str] = frozenset()
    """Tags of sectioning ancestors (`article`, `aside`, `nav`, `footer`, `form` ...)."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: ParagraphKind = ParagraphKind.TEXT
    link_share: float = 0.0
    """Share of the text's characters inside links (HTML only; 0 for plain text): a
    paragraph that is all link is a teaser or a menu entry, rarely story."""
    source: Source | None = None
    """Its place in the page (HTML only, when found; None elsewhere)."""


@dataclass(frozen=True, slots=True)
class Document:
    """Extracted, not yet cleaned: the paragraphs in reading order and the metadata."""

    source: str
    format: Format
    metadata: Metadata
    paragraphs: tuple[Paragraph, ...]
    encoding: str | None = None
    language: str | None = None
    """The page's declared language (`<html lang>`, HTML only), lowercased."""


@dataclass(frozen=True, slots=True)
class Removal:
    """Why one paragraph of the extracted text is not in the article.

    `position` is the paragraph's index in the extracted document; `duplicate_of` is the
    index in the *article's* paragraphs of the paragraph this one duplicates.
    """

    text: str
    reason: Reason
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
    stage: Stage


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


Outcome = Article | Quarantine

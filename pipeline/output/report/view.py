"""The view model: frozen, fully computed values that the template only prints.

All decisions (grouping, linking, colours, chart geometry) are made in Python before a
`ReportView` exists; the Jinja2 template loops over these and prints them, with
autoescaping on, so no text from an input can become markup.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from pipeline.model import Reason


class Category(enum.StrEnum):
    """The four kinds of removal a reader tells apart; each has its own colour."""

    RULE = "rule"
    SITE = "site"
    REVISION = "revision"
    CROSS = "cross"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.RULE: "boilerplate rule",
    Category.SITE: "site boilerplate",
    Category.REVISION: "revision duplicate",
    Category.CROSS: "cross-document duplicate",
}


_CATEGORY_OF: dict[str, Category] = {
    Reason.SITE_BOILERPLATE: Category.SITE,  # learned from the corpus; `site-chrome` is a rule
    Reason.CROSS_DOCUMENT_DUPLICATE: Category.CROSS,
    Reason.DUPLICATE: Category.REVISION,
}


def category(reason: str) -> Category:
    """The colour class of a removal reason; unknown reasons count as fixed rules."""
    return _CATEGORY_OF.get(reason, Category.RULE)


@dataclass(frozen=True, slots=True)
class Link:
    """A reference to another place in the report; `href` is None when not rendered."""

    label: str
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class RemovalView:
    anchor: str
    text: str
    reason: str
    rule: str | None
    category: Category
    position: int
    target: Link | None
    similarity: str | None


@dataclass(frozen=True, slots=True)
class KeptView:
    anchor: str
    number: int
    text: str
    kind: str
    notes: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A kept paragraph, or a run of consecutive removed ones (one collapsible block)."""

    kept: KeptView | None = None
    removed: tuple[RemovalView, ...] = ()

    @property
    def summary(self) -> str:
        counts = Counter(r.reason for r in self.removed)
        return ", ".join(f"{reason} ×{n}" if n > 1 else reason for reason, n in counts.items())

    @property
    def categories(self) -> list[Category]:
        return sorted({r.category for r in self.removed}, key=list(Category).index)


@dataclass(frozen=True, slots=True)
class ArticleView:
    anchor: str
    id: str
    source: str
    title: str
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    url_href: str | None
    format: str
    blocks: tuple[Block, ...]
    kept: int
    removed: int
    chars_before: int
    chars_after: int
    duplicate_of: Link | None
    duplicate_detail: str | None
    copies: tuple[Link, ...]
    removed_by_category: tuple[tuple[Category, int], ...]


@dataclass(frozen=True, slots=True)
class MemberView:
    link: Link
    canonical: bool
    similarity: str | None
    measure: str | None
    dropped: bool
    preview: str | None


@dataclass(frozen=True, slots=True)
class ClusterView:
    level: str
    members: tuple[MemberView, ...]
    reason: str | None
    hidden: int = 0
    """Members counted but not listed (`report.max_members`)."""


@dataclass(frozen=True, slots=True)
class QuarantineView:
    source: str
    reason: str
    stage: str


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    title: str
    href: str | None
    y: float
    segments: tuple[Segment, ...]
    value: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart whose geometry is computed in Python and drawn as inline SVG."""

    caption: str
    rows: tuple[ChartRow, ...]
    width: int
    height: int
    label_width: int
    bar_height: int
    legend: tuple[tuple[str, str], ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ReasonRow:
    reason: str
    category: Category
    count: int
    width: float


@dataclass(frozen=True, slots=True)
class Summary:
    inputs: int
    articles: int
    quarantined: int
    kept: int
    removed: int
    document_clusters: int
    paragraph_clusters: int
    duplicate_articles: int
    chars_before: int
    chars_after: int
    reasons: tuple[ReasonRow, ...]
    by_category: tuple[tuple[Category, int], ...]
    dropped: int = 0
    """Articles left out as near copies (`--drop-duplicate-articles`)."""


@dataclass(frozen=True, slots=True)
class ReportView:
    title: str
    summary: Summary
    charts: tuple[Chart, ...]
    articles: tuple[ArticleView, ...]
    hidden_articles: int
    document_clusters: tuple[ClusterView, ...]
    paragraph_clusters: tuple[ClusterView, ...]
    quarantined: tuple[QuarantineView, ...]
    hidden_quarantined: int = 0

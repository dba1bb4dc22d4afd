"""The JSON shape of output records: the contract downstream tools read.

Kept in one place so the JSONL, the Markdown, the Parquet file and the report agree.
"""

from __future__ import annotations

from typing import TypedDict

from pipeline.model import Article, Quarantine, Removal


class ParagraphRecord(TypedDict):
    text: str
    kind: str


class RemovalRecord(TypedDict):
    text: str
    reason: str
    rule: str | None
    position: int
    duplicate_of: int | None
    similarity: float | None
    duplicate_of_article: str | None
    """For `cross-document-duplicate`: the id of the article holding the kept copy
    (`duplicate_of` is then an index in *that* article's paragraphs)."""


class CrossDuplicateRecord(TypedDict):
    """A kept paragraph also found in another article (annotated, not removed)."""

    paragraph: int
    article: str
    source: str | None
    other_paragraph: int
    similarity: float
    measure: str
    """`exact`, `jaccard`, `containment` (this one is inside the other) or `contains`."""


class ClusterMemberRecord(TypedDict):
    id: str
    source: str | None
    paragraph: int | None
    similarity: float | None
    measure: str | None
    dropped: bool


class ClusterRecord(TypedDict):
    """One line of `clusters.jsonl`: a group of two or more near-duplicates."""

    level: str
    canonical: str
    canonical_paragraph: int | None
    size: int
    members: list[ClusterMemberRecord]


class ArticleRecord(TypedDict):
    id: str
    source: str
    format: str
    title: str | None
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    encoding: str | None
    text: str
    paragraphs: list[ParagraphRecord]
    removed: list[RemovalRecord]
    duplicate_of: str | None
    """Id of the canonical article when this one is a near copy of it, else null."""
    duplicate_reason: str | None
    duplicate_similarity: float | None
    cross_duplicates: list[CrossDuplicateRecord]


class QuarantineRecord(TypedDict):
    source: str
    reason: str
    stage: str


def article_record(article: Article) -> ArticleRecord:
    meta = article.metadata
    return {
        "id": article.id,
        "source": article.source,
        "format": article.format.value,
        "title": meta.title,
        "author": meta.author,
        "date": meta.date,
        "site": meta.site,
        "url": meta.url,
        "encoding": article.encoding,
        "text": article.text,
        "paragraphs": [{"text": p.text, "kind": p.kind.value} for p in article.paragraphs],
        "removed": [removal_record(r) for r in article.removed],
        "duplicate_of": None,
        "duplicate_reason": None,
        "duplicate_similarity": None,
        "cross_duplicates": [],
    }


def removal_record(removal: Removal) -> RemovalRecord:
    return {
        "text": removal.text,
        "reason": removal.reason,
        "rule": removal.rule,
        "position": removal.position,
        "duplicate_of": removal.duplicate_of,
        "similarity": removal.similarity,
        "duplicate_of_article": None,
    }


def quarantine_record(item: Quarantine) -> QuarantineRecord:
    return {"source": item.source, "reason": item.reason, "stage": item.stage}

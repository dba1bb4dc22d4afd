"""What the cross-document step records and changes, and its edits applied lazily.

The step decides per article (paragraphs removed, annotations, the canonical it copies)
without touching the records, which may be spooled on disk; `EditedArticles` applies
those decisions record by record as writers read them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from pipeline.model import article_id
from pipeline.records import ArticleRecord, CrossDuplicateRecord, RemovalRecord

BOILERPLATE = "site-boilerplate"
CROSS_DUPLICATE = "cross-document-duplicate"


@dataclass(slots=True)
class CrossdocReport:
    """Counts for the manifest's `crossdoc` section (mutable while counting)."""

    document_clusters: int = 0
    duplicate_articles: int = 0
    duplicate_articles_dropped: int = 0
    paragraph_clusters: int = 0
    cross_duplicates_annotated: int = 0
    cross_duplicates_dropped: int = 0
    site_boilerplate_removed: int = 0
    articles_emptied: int = 0
    paragraphs_too_short: int = 0
    paragraphs_over_cap: int = 0
    buckets_capped: int = 0
    postings_capped: int = 0
    buckets_fanout_limited: int = 0
    postings_fanout_limited: int = 0
    identical_documents: int = 0
    index: str | None = None
    index_run: int | None = None
    index_known: int = 0
    index_matches: int = 0
    index_added: int = 0
    index_buckets_refused: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Edit:
    """What the corpus-level steps change in one article."""

    removed: dict[int, RemovalRecord] = field(default_factory=dict)
    cross: list[tuple[int, CrossDuplicateRecord]] = field(default_factory=list)
    duplicate_of: str | None = None
    reason: str | None = None
    similarity: float | None = None


def final_id(record: ArticleRecord, edit: Edit) -> str:
    return article_id(
        "\n\n".join(p["text"] for i, p in enumerate(record["paragraphs"]) if i not in edit.removed)
    )


@dataclass(frozen=True, slots=True)
class Digest:
    """What the step needs of every record besides its paragraphs, taken in its first
    pass: records may be spooled on disk, where each look-up is a seek and a JSON parse."""

    ids: list[str]
    sources: list[str]
    paragraphs: list[int]
    """Number of paragraphs of each record."""
    order_key: list[tuple[str, str]]
    """(date or "9999", source): earlier first, for canonical ties."""


@dataclass(frozen=True, slots=True)
class Drop:
    """A paragraph the step removes, before its record is read for the text."""

    paragraph: int
    reason: str
    rule: str
    similarity: float | None = None
    target: tuple[str, int] | None = None
    """(article id, paragraph index) of the kept copy, for duplicates."""


def _extracted_positions(record: ArticleRecord) -> list[int]:
    """Extracted position of each kept paragraph: the positions no removal took, in order."""
    taken = {r["position"] for r in record["removed"]}
    out: list[int] = []
    position = 0
    while len(out) < len(record["paragraphs"]):
        if position not in taken:
            out.append(position)
        position += 1
    return out


def add_removals(
    edits: dict[int, Edit], articles: Sequence[ArticleRecord], drops: Mapping[int, list[Drop]]
) -> None:
    """The removal records of `drops` (per article) into `edits`, reading each article
    once and in order, not once per paragraph at random."""
    for a in sorted(drops):
        record = articles[a]
        positions = _extracted_positions(record)
        for drop in drops[a]:
            edits[a].removed[drop.paragraph] = {
                "text": record["paragraphs"][drop.paragraph]["text"],
                "reason": drop.reason,
                "rule": drop.rule,
                "position": positions[drop.paragraph],
                "duplicate_of": None if drop.target is None else drop.target[1],
                "similarity": drop.similarity,
                "duplicate_of_article": None if drop.target is None else drop.target[0],
            }


def kept_index(paragraphs: int, edit: Edit | None) -> list[int | None]:
    """Each paragraph's index among those kept (None if removed)."""
    out: list[int | None] = []
    at = 0
    for i in range(paragraphs):
        if edit is not None and i in edit.removed:
            out.append(None)
        else:
            out.append(at)
            at += 1
    return out


class EditedArticles(Sequence[ArticleRecord]):
    """The run's article records with the corpus-level edits applied on access.

    Holds only the edits and the indices kept, so spooled records stay on disk.
    """

    def __init__(
        self,
        base: Sequence[ArticleRecord],
        keep: list[int],
        edits: dict[int, Edit],
        final_ids: list[str],
    ) -> None:
        self.base = base
        self.keep = keep
        self.edits = edits
        self.final_ids = final_ids

    def __len__(self) -> int:
        return len(self.keep)

    @overload
    def __getitem__(self, index: int) -> ArticleRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleRecord]: ...

    def __getitem__(self, index: int | slice) -> ArticleRecord | list[ArticleRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        a = self.keep[index]
        return apply_edit(self.base[a], self.edits.get(a), self.final_ids[a])

    def __iter__(self) -> Iterator[ArticleRecord]:
        wanted = iter(self.keep)
        target = next(wanted, None)
        for a, record in enumerate(self.base):
            if target is None:
                return
            if a == target:
                yield apply_edit(record, self.edits.get(a), self.final_ids[a])
                target = next(wanted, None)


def apply_edit(record: ArticleRecord, edit: Edit | None, final_id: str) -> ArticleRecord:
    if edit is None:
        return record
    out: ArticleRecord = dict(record)  # type: ignore[assignment]
    if edit.removed:
        out["paragraphs"] = [p for i, p in enumerate(record["paragraphs"]) if i not in edit.removed]
        out["text"] = "\n\n".join(p["text"] for p in out["paragraphs"])
        out["removed"] = sorted(
            [*record["removed"], *edit.removed.values()], key=lambda r: r["position"]
        )
        out["id"] = final_id
    out["duplicate_of"] = edit.duplicate_of
    out["duplicate_reason"] = edit.reason
    out["duplicate_similarity"] = edit.similarity
    out["cross_duplicates"] = [c for _, c in sorted(edit.cross, key=lambda x: x[0])]
    return out

"""What the cross-document step records and changes, and its edits applied lazily.

The step decides per article (paragraphs removed, annotations, the canonical it copies)
without touching the records, which may be spooled on disk; `EditedArticles` applies
those decisions record by record as writers read them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.model import Measure, Reason, article_id
from pipeline.records import ArticleRecord, CrossDuplicateRecord, RemovalRecord


@dataclass(slots=True)
class Edit:
    """What the corpus-level steps change in one article."""

    removed: dict[int, RemovalRecord] = field(default_factory=dict)
    cross: list[tuple[int, CrossDuplicateRecord]] = field(default_factory=list)
    duplicate_of: str | None = None
    reason: Measure | None = None
    similarity: float | None = None


def final_id(record: ArticleRecord, edit: Edit) -> str:
    return article_id(
        "\n\n".join(p["text"] for i, p in enumerate(record["paragraphs"]) if i not in edit.removed)
    )


@dataclass(frozen=True, slots=True)
class Drop:
    """A paragraph the step removes, before its record is read for the text."""

    paragraph: int
    reason: Reason
    rule: Measure
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

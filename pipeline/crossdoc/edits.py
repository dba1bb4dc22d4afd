"""What the cross-document step changes in each article, decided without the records.

The phases decide per article (paragraphs to drop, annotations, the canonical it copies)
without touching the records, which may be spooled on disk. `removals` then reads each
article that loses paragraphs once, in order, for the removal records and the id its new
text has; `view.EditedArticles` applies the `Edit`s record by record as writers read them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.crossdoc.scan import Digest
from pipeline.crossdoc.template import Occurrence
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


@dataclass(frozen=True, slots=True)
class Drop:
    """A paragraph the step removes, before its record is read for the text."""

    paragraph: int
    reason: Reason
    rule: Measure
    similarity: float | None = None
    target: Occurrence | None = None
    """The kept copy, for duplicates."""


Drops = Mapping[int, Sequence[Drop]]
"""A phase's drops, per article."""


@dataclass(frozen=True, slots=True)
class Removals:
    """The removal records of the step's drops, and the ids that follow from them."""

    removed: dict[int, dict[int, RemovalRecord]]
    """Per article that loses paragraphs: paragraph index -> its removal record."""
    final_ids: list[str]
    """Each article's id after the removals (the id follows the text)."""
    emptied: frozenset[int]
    """Articles with no paragraph left."""
    paragraphs: list[int]
    """Each article's number of paragraphs before the removals."""
    _kept: dict[int, list[int | None]] = field(default_factory=dict, repr=False, compare=False)

    def index_of(self, occ: Occurrence) -> int | None:
        """The paragraph's index among its article's kept paragraphs (None if removed)."""
        a = occ.article
        if a not in self._kept:
            self._kept[a] = kept_index(self.paragraphs[a], self.removed.get(a, {}))
        return self._kept[a][occ.paragraph]


def removals(articles: Sequence[ArticleRecord], digest: Digest, drops: Sequence[Drops]) -> Removals:
    """The removal records of `drops` (one mapping per phase that drops, in order).

    Each article with drops is read once, in order (records may be spooled: a look-up
    is a seek and a JSON parse). A duplicate's kept copy is then named by its final id
    and its index among the kept paragraphs, which are only known once all are read.
    """
    removed: dict[int, dict[int, RemovalRecord]] = {}
    final_ids = list(digest.ids)
    for a in sorted({a for phase in drops for a, dropped in phase.items() if dropped}):
        record = articles[a]
        positions = _extracted_positions(record)
        records = removed[a] = {}
        for phase in drops:
            for drop in phase.get(a, ()):
                records[drop.paragraph] = _removal(record, drop, positions[drop.paragraph])
        final_ids[a] = final_id(record, records)
    emptied = frozenset(a for a, records in removed.items() if len(records) >= digest.paragraphs[a])
    out = Removals(removed, final_ids, emptied, digest.paragraphs)
    for phase in drops:
        for a, dropped in phase.items():
            for drop in dropped:
                if drop.target is not None:
                    removal = removed[a][drop.paragraph]
                    removal["duplicate_of_article"] = final_ids[drop.target.article]
                    removal["duplicate_of"] = out.index_of(drop.target)
    return out


def _removal(record: ArticleRecord, drop: Drop, position: int) -> RemovalRecord:
    return {
        "text": record["paragraphs"][drop.paragraph]["text"],
        "reason": drop.reason,
        "rule": drop.rule,
        "position": position,
        "duplicate_of": None if drop.target is None else drop.target.paragraph,
        "similarity": drop.similarity,
        "duplicate_of_article": None if drop.target is None else "",
    }


def final_id(record: ArticleRecord, removed: Collection[int]) -> str:
    return article_id(
        "\n\n".join(p["text"] for i, p in enumerate(record["paragraphs"]) if i not in removed)
    )


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


def kept_index(paragraphs: int, removed: Collection[int]) -> list[int | None]:
    """Each paragraph's index among those kept (None if removed)."""
    out: list[int | None] = []
    at = 0
    for i in range(paragraphs):
        if i in removed:
            out.append(None)
        else:
            out.append(at)
            at += 1
    return out

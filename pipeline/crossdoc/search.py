"""The searches of the cross-document step: verified pairs among shingle sets, for
paragraphs (between representatives) and for documents (between groups of copies).

Identical documents are one group, searched once: a document's shingle set is the union
of its paragraph representatives' sets (no shingle spans two paragraphs), so documents
with the same representatives have the same set.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.counts import Cuts
from pipeline.similarity import MatchSettings, Pair, ShingleTable, bounded_pairs, components


def paragraph_settings(config: CrossdocConfig) -> MatchSettings:
    return _settings(config, config.paragraph_jaccard, config.paragraph_containment)


def document_settings(config: CrossdocConfig) -> MatchSettings:
    return _settings(
        config, config.document_jaccard, config.document_containment, config.document_min_ratio
    )


def _settings(
    config: CrossdocConfig, jaccard: float, containment: float, min_ratio: float = 0.0
) -> MatchSettings:
    """The two levels differ only in thresholds; LSH and caps are shared."""
    return MatchSettings(
        jaccard=jaccard,
        containment=containment,
        num_perm=config.num_perm,
        recall=config.lsh_recall,
        seed=config.seed,
        max_bucket=config.max_bucket,
        max_postings=config.max_postings,
        min_ratio=min_ratio,
    )


def pairs_among(
    table: ShingleTable, settings: MatchSettings, config: CrossdocConfig
) -> tuple[list[Pair], Cuts]:
    """Verified pairs between the rows of `table`, and what the caps and the fan-out
    bound left out."""
    bounded = bounded_pairs(table, settings, config.max_fanout)
    return bounded.matches.pairs, Cuts.of(bounded.matches, bounded.fanout)


def renamed(pairs: Iterable[Pair], ids: Sequence[int]) -> list[Pair]:
    """`pairs` between rows, named by `ids` (row i is `ids[i]`)."""
    return [
        Pair(ids[p.a], ids[p.b], p.similarity, p.measure, None if p.inner is None else ids[p.inner])
        for p in pairs
    ]


@dataclass(frozen=True, slots=True)
class Copies:
    """Documents with the same set of paragraph representatives have the same shingle
    set: they are one *group*, searched once. Copies of a story then cost a dict lookup
    each instead of pairs with every other copy."""

    group_of: list[int]
    lists: list[list[int]]
    """Each group's representatives (sorted, unique)."""
    first: list[int]
    """Each group's first document."""

    @staticmethod
    def of(rep_lists: Iterable[Sequence[int]]) -> Copies:
        index: dict[tuple[int, ...], int] = {}
        out = Copies([], [], [])
        for a, reps in enumerate(rep_lists):
            key = tuple(sorted(set(reps)))
            g = index.get(key, -1)
            if g < 0:
                g = index[key] = len(out.lists)
                out.lists.append(list(key))
                out.first.append(a)
            out.group_of.append(g)
        return out

    def components(self, group_edges: Sequence[tuple[int, int]]) -> list[int]:
        """A component label per document, from edges between groups."""
        label = components(len(self.lists), group_edges)
        return [label[g] for g in self.group_of]


@dataclass(frozen=True, slots=True)
class DocumentSearch:
    """Document pairs among the groups of identical documents that have any shingles."""

    copies: Copies
    sizes: np.ndarray
    """Shingles of every group (0 for a group with no text left)."""
    alive: list[int]
    """The groups with shingles: row i of `table` is group `alive[i]`."""
    table: ShingleTable
    """The groups' shingle sets: with the representatives' table, the step's largest
    arrays. Whoever holds the search holds it."""
    pairs: list[Pair]
    """Between rows of `table`."""
    cuts: Cuts

    @staticmethod
    def of(
        rep_table: ShingleTable, copies: Copies, settings: MatchSettings, config: CrossdocConfig
    ) -> DocumentSearch:
        table = _unions(rep_table, copies.lists)
        sizes = table.sizes
        alive = [int(g) for g in np.flatnonzero(sizes)]
        table = table.take(alive)
        pairs, cuts = pairs_among(table, settings, config)
        return DocumentSearch(copies, sizes, alive, table, pairs, cuts)

    def page_of(self) -> list[int]:
        """A document cluster label per document: what tells pages apart."""
        alive = self.alive
        return self.copies.components([(alive[p.a], alive[p.b]) for p in self.pairs])


_UNION_BLOCK = 1 << 21
"""Shingles (before deduplication) per block of documents when their sets are built."""


def _unions(table: ShingleTable, groups: Sequence[Sequence[int]]) -> ShingleTable:
    """`table.unions(groups)` built block by block: one call sorted every document
    shingle of the run at once, the step's largest transient arrays."""
    sizes = table.sizes
    blocks: list[ShingleTable] = []
    start, weight = 0, 0
    for end, group in enumerate(groups, 1):
        weight += int(sizes[list(group)].sum()) if group else 0
        if weight >= _UNION_BLOCK or end == len(groups):
            blocks.append(table.unions(groups[start:end]))
            start, weight = end, 0
    return ShingleTable.concat(blocks) if blocks else table.unions([])


def kept(reps: Sequence[int], removed: Collection[int]) -> list[int]:
    """A document's paragraph representatives without the removed paragraphs': its
    shingles are their union."""
    return [r for i, r in enumerate(reps) if i not in removed]

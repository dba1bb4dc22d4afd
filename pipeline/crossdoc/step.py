"""Near-duplicates across the articles of a run (and of earlier runs, through the index).

Order matters, and is:

1. Paragraphs are normalised; identical ones collapse to one *representative* whatever
   how many articles carry it (thousands of copies of one line cost one LSH entry).
2. Representatives are matched by Jaccard (LSH) and by containment (prefix-filtered
   inverted index), every candidate verified exactly (`candidates.py`).
3. Site boilerplate: near-identical paragraphs on many distinct pages of one site are
   removed (`boilerplate.py`). Pages are told apart by a first document clustering, so
   three captures of one story do not make its paragraphs "template".
4. Document clusters on the text without boilerplate: Jaccard for reposts and light
   edits, containment (with a minimum length ratio) for truncated copies. Canonical: the
   most complete (most shingles), ties by earliest date, then by source.
5. Paragraph clusters across articles of *different* document clusters (a repost's
   paragraphs are all the canonical's: the document cluster already says so). They are
   annotated; with `drop_cross_document_duplicates` a paragraph that duplicates (or is
   contained in) one already kept in an earlier article is removed — the first
   occurrence stays, and a long paragraph is never dropped for holding a short quote.
6. The persistent index adds documents of earlier runs: an earlier canonical stays
   canonical. Only band hashes are stored, so those matches carry an *estimated*
   Jaccard (`jaccard-estimate`), the one thing that can be checked without the text.

Records may be spooled on disk: they are read in passes, and the output is a lazy
`Sequence` that applies the edits record by record.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.counts import CrossdocReport
from pipeline.crossdoc.documents import Signing, document_clusters
from pipeline.crossdoc.edits import Drop, Edit, add_removals, final_id
from pipeline.crossdoc.index.base import IndexStore
from pipeline.crossdoc.paragraphs import paragraph_cluster_records, paragraph_clusters
from pipeline.crossdoc.scan import Representatives, scan
from pipeline.crossdoc.template import Occurrence, boilerplate_occurrences
from pipeline.crossdoc.view import EditedArticles
from pipeline.model import Measure, Reason, Stage
from pipeline.records import ArticleRecord, ClusterRecord, QuarantineRecord
from pipeline.similarity import (
    Caps,
    Fanout,
    MatchSettings,
    Pair,
    ShingleTable,
    bounded_pairs,
    components,
)

__all__ = [
    "CrossdocReport",
    "CrossdocResult",
    "apply_crossdoc",
    "document_settings",
    "paragraph_settings",
]


@dataclass(frozen=True, slots=True)
class CrossdocResult:
    articles: Sequence[ArticleRecord]
    quarantined: list[QuarantineRecord]
    clusters: list[ClusterRecord]
    report: CrossdocReport
    removed_by_reason: Counter[str]
    paragraphs_gone: int
    """Paragraphs no longer in `articles`: removed, or in articles left out."""


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


def apply_crossdoc(
    articles: Sequence[ArticleRecord],
    config: CrossdocConfig,
    index: IndexStore | None = None,
    first: Representatives | None = None,
) -> CrossdocResult:
    """The step over `articles`. `first` is their first pass if it was taken as they
    were collected (`crossdoc_scan.Scan`, with the same config); otherwise it is taken
    here."""
    if first is None:
        first = scan(articles, config)
    elif len(first.of_article) != len(articles):
        raise ValueError(
            f"the first pass saw {len(first.of_article)} articles, the step got {len(articles)}"
        )
    report = CrossdocReport()
    report.paragraphs_over_cap = first.paragraphs_over_cap
    caps = Caps()
    cuts = Fanout()
    n = len(articles)

    # 1. representatives of identical paragraphs (the first pass)
    rep_table, rep_words, rep_occs = first.table, first.words, first.occurrences
    occ_rep, sites, digest, over_cap = first.of_article, first.sites, first.digest, first.over_cap
    del first
    rep_sizes = rep_table.sizes

    # 2. paragraph pairs between representatives
    eligible = [int(r) for r in np.flatnonzero(rep_sizes >= config.min_shingles)]
    report.paragraphs_too_short = sum(
        len(rep_occs[r]) for r in np.flatnonzero(rep_sizes < config.min_shingles)
    )
    rep_pairs = _renamed(
        _pairs_among(rep_table.take(eligible), paragraph_settings(config), config, caps, cuts),
        eligible,
    )

    # 3. site boilerplate, pages told apart by a first document clustering
    doc_settings = document_settings(config)
    pages = _DocumentSearch.of(rep_table, _Copies.of(occ_rep), doc_settings, config)
    page_of = pages.copies.components([(pages.alive[p.a], pages.alive[p.b]) for p in pages.pairs])
    near = [
        (p.a, p.b)
        for p in rep_pairs
        if p.measure == Measure.JACCARD and p.similarity >= config.boilerplate_jaccard
    ]
    rep_group = components(len(rep_table), near)
    groups: dict[int, list[Occurrence]] = defaultdict(list)
    for r, occs in enumerate(rep_occs):
        if len(occs) > 1 or rep_group[r] != r:
            groups[rep_group[r]].extend(occs)
    template = boilerplate_occurrences(
        (g for g in groups.values() if len({o.article for o in g}) > 1), sites, page_of, config
    )
    del groups

    edits: dict[int, Edit] = defaultdict(Edit)
    drops: dict[int, list[Drop]] = defaultdict(list)
    for occ in template:
        r = occ_rep[occ.article][occ.paragraph]
        rule = Measure.EXACT if len(rep_occs[r]) > 1 else Measure.JACCARD
        drops[occ.article].append(Drop(occ.paragraph, Reason.SITE_BOILERPLATE, rule))
    add_removals(edits, articles, drops)
    del drops

    # 4. document clusters on the text without boilerplate; identical documents (same
    # kept paragraphs) are searched once, through their first copy
    # (without boilerplate the documents are those of step 3: its search is reused)
    if template:
        del pages
        kept_reps = (
            _kept(occ_rep[a], edits[a].removed) if a in edits else occ_rep[a] for a in range(n)
        )
        search = _DocumentSearch.of(rep_table, _Copies.of(kept_reps), doc_settings, config)
    else:
        search = pages
        del pages
    del rep_table
    caps.merge(search.caps)
    cuts.merge(search.cuts)
    copies, doc_table, alive_groups = search.copies, search.table, search.alive
    doc_sizes = search.sizes[np.asarray(copies.group_of, dtype=np.int64)]
    first_doc = [copies.first[g] for g in alive_groups]
    doc_pairs = _renamed(search.pairs, first_doc)
    copy_of = {a: copies.first[g] for a, g in enumerate(copies.group_of) if copies.first[g] != a}
    report.identical_documents = sum(1 for a in copy_of if doc_sizes[a])
    cluster_of = components(
        n, [(p.a, p.b) for p in doc_pairs] + [(a, r) for a, r in copy_of.items()]
    )
    doc_signing = Signing.of(
        doc_table, alive_groups, copies.group_of, over_cap, config, index is not None
    )
    del doc_table, search  # the run's largest arrays

    # 5. paragraph clusters across document clusters
    shared = paragraph_clusters(
        articles, rep_pairs, rep_occs, occ_rep, template, cluster_of, edits, config, report
    )

    # final ids (text changes when paragraphs go)
    final_ids = [
        final_id(articles[a], edits[a]) if a in edits and edits[a].removed else digest.ids[a]
        for a in range(n)
    ]
    emptied = {
        a for a in edits if edits[a].removed and len(edits[a].removed) >= digest.paragraphs[a]
    }
    report.articles_emptied = len(emptied)

    # 6. document clusters, with the index
    completeness = [
        sum(
            rep_words[r]
            for i, r in enumerate(occ_rep[a])
            if a not in edits or i not in edits[a].removed
        )
        for a in range(n)
    ]
    clusters = document_clusters(
        articles,
        doc_pairs,
        copy_of,
        doc_signing,
        doc_sizes,
        completeness,
        final_ids,
        emptied,
        digest,
        edits,
        index,
        config,
        report,
    )
    clusters.extend(paragraph_cluster_records(shared, digest, final_ids, edits, report))
    report.paragraph_clusters = len(shared)

    removed_by_reason: Counter[str] = Counter()
    for a, edit in edits.items():
        if a not in emptied:
            removed_by_reason.update(r["reason"] for r in edit.removed.values())
    report.site_boilerplate_removed = sum(
        1
        for a, e in edits.items()
        for r in e.removed.values()
        if r["reason"] == Reason.SITE_BOILERPLATE
    )
    report.buckets_capped = caps.buckets_capped
    report.postings_capped = caps.postings_capped
    report.buckets_fanout_limited = cuts.buckets
    report.postings_fanout_limited = cuts.postings
    keep = [
        a
        for a in range(n)
        if a not in emptied
        and not (config.drop_duplicate_articles and a in edits and edits[a].duplicate_of)
    ]
    report.duplicate_articles_dropped = (
        sum(1 for e in edits.values() if e.duplicate_of) if config.drop_duplicate_articles else 0
    )
    quarantined: list[QuarantineRecord] = [
        {
            "source": digest.sources[a],
            "reason": "nothing left after removing site boilerplate and cross-document duplicates",
            "stage": Stage.CROSSDOC,
        }
        for a in sorted(emptied)
    ]
    kept = set(keep)
    gone = sum(removed_by_reason.values()) + sum(
        digest.paragraphs[a] - len(edits[a].removed if a in edits else ())
        for a in range(n)
        if a not in kept
    )
    view = EditedArticles(articles, keep, dict(edits), final_ids)
    return CrossdocResult(view, quarantined, clusters, report, removed_by_reason, gone)


def _pairs_among(
    table: ShingleTable, settings: MatchSettings, config: CrossdocConfig, caps: Caps, cuts: Fanout
) -> list[Pair]:
    """Verified pairs between the rows of `table`; what the caps and the fan-out limit
    cut is added to `caps` and `cuts`."""
    bounded = bounded_pairs(table, settings, config.max_fanout)
    caps.merge(bounded.matches.caps)
    cuts.merge(bounded.fanout)
    return bounded.matches.pairs


def _renamed(pairs: Sequence[Pair], ids: Sequence[int]) -> list[Pair]:
    """`pairs` between rows, named by `ids` (row i is `ids[i]`)."""
    return [
        Pair(ids[p.a], ids[p.b], p.similarity, p.measure, None if p.inner is None else ids[p.inner])
        for p in pairs
    ]


@dataclass(slots=True)
class _DocumentSearch:
    """Document pairs among the groups of identical documents that have any shingles."""

    copies: _Copies
    sizes: np.ndarray
    """Shingles of every group (0 for a group with no text left)."""
    alive: list[int]
    """The groups with shingles: row i of `table` is group `alive[i]`."""
    table: ShingleTable
    pairs: list[Pair]
    """Between rows of `table`."""
    caps: Caps
    cuts: Fanout

    @staticmethod
    def of(
        rep_table: ShingleTable, copies: _Copies, settings: MatchSettings, config: CrossdocConfig
    ) -> _DocumentSearch:
        union = _unions(rep_table, copies.lists)
        sizes = union.sizes
        alive = [int(g) for g in np.flatnonzero(sizes)]
        table = union.take(alive)
        del union
        caps, cuts = Caps(), Fanout()
        pairs = _pairs_among(table, settings, config, caps, cuts)
        return _DocumentSearch(copies, sizes, alive, table, pairs, caps, cuts)


@dataclass(slots=True)
class _Copies:
    """Documents with the same set of paragraph representatives have the same shingle
    set: they are one *group*, searched once. Copies of a story then cost a dict lookup
    each instead of pairs with every other copy."""

    group_of: list[int]
    lists: list[list[int]]
    """Each group's representatives (sorted, unique)."""
    first: list[int]
    """Each group's first document."""

    @staticmethod
    def of(rep_lists: Iterable[Sequence[int]]) -> _Copies:
        index: dict[tuple[int, ...], int] = {}
        out = _Copies([], [], [])
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


def _kept(reps: Sequence[int], skip: Any) -> list[int]:
    """A document's paragraph representatives without the removed ones: its shingles
    are their union (no shingle spans two paragraphs)."""
    return [r for i, r in enumerate(reps) if i not in skip]

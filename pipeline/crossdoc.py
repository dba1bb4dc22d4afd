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

import dataclasses
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from pipeline.boilerplate import Occurrence, boilerplate_occurrences, site_of
from pipeline.bounded_pairs import Fanout, bounded_pairs
from pipeline.candidates import Caps, MatchSettings, Pair, band_keys
from pipeline.config import CrossdocConfig
from pipeline.fingerprint import (
    HASH_VERSION,
    Shingles,
    ShingleTable,
    shingle_table,
    signature_matrix,
    signatures,
    tokens,
)
from pipeline.index_store import Entry, IndexStore, estimate_jaccard
from pipeline.lsh import choose_bands
from pipeline.model import article_id
from pipeline.records import (
    ArticleRecord,
    ClusterMemberRecord,
    ClusterRecord,
    CrossDuplicateRecord,
    QuarantineRecord,
    RemovalRecord,
)

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
class _Edit:
    """What the corpus-level steps change in one article."""

    removed: dict[int, RemovalRecord] = field(default_factory=dict)
    cross: list[tuple[int, CrossDuplicateRecord]] = field(default_factory=list)
    duplicate_of: str | None = None
    reason: str | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class CrossdocResult:
    articles: Sequence[ArticleRecord]
    quarantined: list[QuarantineRecord]
    clusters: list[ClusterRecord]
    report: CrossdocReport
    removed_by_reason: Counter[str]
    paragraphs_gone: int
    """Paragraphs no longer in `articles`: removed, or in articles left out."""


class _Union:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    uf = _Union()
    for _ in range(n):
        uf.add()
    for a, b in edges:
        uf.union(a, b)
    return [uf.find(i) for i in range(n)]


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


def index_settings(config: CrossdocConfig) -> str:
    """What band hashes depend on: an index built otherwise cannot be compared."""
    bands, rows = choose_bands(config.document_jaccard, config.num_perm, config.lsh_recall)
    return (
        f"shingles={HASH_VERSION} shingle_words={config.shingle_words} num_perm={config.num_perm} "
        f"seed={config.seed} bands={bands} rows={rows}"
    )


def apply_crossdoc(
    articles: Sequence[ArticleRecord],
    config: CrossdocConfig,
    index: IndexStore | None = None,
) -> CrossdocResult:
    report = CrossdocReport()
    caps = Caps()
    cuts = Fanout()
    n = len(articles)
    over_cap: set[int] = set()

    # 1. representatives of identical paragraphs
    rep_of_key: dict[str, int] = {}
    rep_texts: list[str] = []
    rep_words: list[int] = []
    rep_occs: list[list[Occurrence]] = []
    occ_rep: list[list[int]] = []
    sites: list[str | None] = []
    order_key: list[tuple[str, str]] = []
    for a, record in enumerate(articles):
        sites.append(
            site_of(record["site"], record["url"], record["source"], config.site_from_folder)
        )
        order_key.append((record["date"] or "9999", record["source"]))
        paragraphs = record["paragraphs"]
        if len(paragraphs) > config.max_paragraphs:
            report.paragraphs_over_cap += len(paragraphs) - config.max_paragraphs
            over_cap.add(a)
        reps: list[int] = []
        for i, paragraph in enumerate(paragraphs[: config.max_paragraphs]):
            key = " ".join(tokens(paragraph["text"]))
            r = rep_of_key.get(key, -1)
            if r < 0:
                r = len(rep_texts)
                rep_of_key[key] = r
                rep_texts.append(paragraph["text"] if key else "")
                rep_occs.append([])
                rep_words.append(len(key.split()))
            rep_occs[r].append(Occurrence(a, i))
            reps.append(r)
        occ_rep.append(reps)
    del rep_of_key
    # one compact table (sorted uint64 per row), not a frozenset per paragraph
    rep_table = ShingleTable.concat(
        [
            shingle_table(rep_texts[start : start + _SHINGLE_BLOCK], config.shingle_words)
            for start in range(0, len(rep_texts), _SHINGLE_BLOCK)
        ]
    )
    del rep_texts
    rep_sizes = rep_table.sizes

    # 2. paragraph pairs between representatives
    eligible = [int(r) for r in np.flatnonzero(rep_sizes >= config.min_shingles)]
    report.paragraphs_too_short = sum(
        len(rep_occs[r]) for r in np.flatnonzero(rep_sizes < config.min_shingles)
    )
    bounded = bounded_pairs(rep_table.take(eligible), paragraph_settings(config), config.max_fanout)
    found = bounded.matches
    caps.merge(found.caps)
    cuts.merge(bounded.fanout)
    del bounded
    rep_pairs = [
        Pair(
            eligible[p.a],
            eligible[p.b],
            p.similarity,
            p.measure,
            None if p.inner is None else eligible[p.inner],
        )
        for p in found.pairs
    ]

    # 3. site boilerplate, pages told apart by a first document clustering
    doc_settings = document_settings(config)
    first_copies = _Copies.of(occ_rep)
    first = bounded_pairs(
        _unions(rep_table, first_copies.lists), doc_settings, config.max_fanout
    ).matches
    page_of = first_copies.components([(p.a, p.b) for p in first.pairs])
    del first_copies, first
    near = [
        (p.a, p.b)
        for p in rep_pairs
        if p.measure == "jaccard" and p.similarity >= config.boilerplate_jaccard
    ]
    rep_group = _components(len(rep_table), near)
    groups: dict[int, list[Occurrence]] = defaultdict(list)
    for r, occs in enumerate(rep_occs):
        if len(occs) > 1 or rep_group[r] != r:
            groups[rep_group[r]].extend(occs)
    template = boilerplate_occurrences(
        (g for g in groups.values() if len({o.article for o in g}) > 1), sites, page_of, config
    )
    del groups

    edits: dict[int, _Edit] = defaultdict(_Edit)
    for occ in template:
        r = occ_rep[occ.article][occ.paragraph]
        edits[occ.article].removed[occ.paragraph] = _removal(
            articles, occ, BOILERPLATE, "exact" if len(rep_occs[r]) > 1 else "jaccard", None, None
        )

    # 4. document clusters on the text without boilerplate; identical documents (same
    # kept paragraphs) are searched once, through their first copy
    copies = _Copies.of(_kept(occ_rep[a], edits[a].removed if a in edits else {}) for a in range(n))
    doc_table = _unions(rep_table, copies.lists)
    del rep_table
    group_sizes = doc_table.sizes
    doc_sizes = group_sizes[np.asarray(copies.group_of, dtype=np.int64)]
    alive_groups = [int(g) for g in np.flatnonzero(group_sizes)]
    doc_table = doc_table.take(alive_groups)
    bounded = bounded_pairs(doc_table, doc_settings, config.max_fanout)
    second = bounded.matches
    caps.merge(second.caps)
    cuts.merge(bounded.fanout)
    del bounded
    first_doc = [copies.first[g] for g in alive_groups]
    doc_pairs = [
        Pair(
            first_doc[p.a],
            first_doc[p.b],
            p.similarity,
            p.measure,
            None if p.inner is None else first_doc[p.inner],
        )
        for p in second.pairs
    ]
    del second
    copy_of = {a: copies.first[g] for a, g in enumerate(copies.group_of) if copies.first[g] != a}
    report.identical_documents = sum(1 for a in copy_of if doc_sizes[a])
    cluster_of = _components(
        n, [(p.a, p.b) for p in doc_pairs] + [(a, r) for a, r in copy_of.items()]
    )
    doc_signing = _Signing.of(
        doc_table, alive_groups, copies.group_of, over_cap, config, index is not None
    )
    del doc_table

    # 5. paragraph clusters across document clusters
    paragraph_clusters = _paragraph_clusters(
        articles, rep_pairs, rep_occs, occ_rep, template, cluster_of, edits, config, report
    )

    # final ids (text changes when paragraphs go)
    final_ids = [
        _final_id(articles[a], edits[a]) if a in edits and edits[a].removed else articles[a]["id"]
        for a in range(n)
    ]
    emptied = {
        a
        for a in edits
        if edits[a].removed and len(edits[a].removed) >= len(articles[a]["paragraphs"])
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
    clusters = _document_clusters(
        articles,
        doc_pairs,
        copy_of,
        doc_signing,
        doc_sizes,
        completeness,
        final_ids,
        emptied,
        order_key,
        edits,
        index,
        config,
        report,
    )
    clusters.extend(
        _paragraph_cluster_records(paragraph_clusters, articles, final_ids, edits, report)
    )
    report.paragraph_clusters = len(paragraph_clusters)

    removed_by_reason: Counter[str] = Counter()
    for a, edit in edits.items():
        if a not in emptied:
            removed_by_reason.update(r["reason"] for r in edit.removed.values())
    report.site_boilerplate_removed = sum(
        1 for a, e in edits.items() for r in e.removed.values() if r["reason"] == BOILERPLATE
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
            "source": articles[a]["source"],
            "reason": "nothing left after removing site boilerplate and cross-document duplicates",
            "stage": "crossdoc",
        }
        for a in sorted(emptied)
    ]
    kept = set(keep)
    gone = sum(removed_by_reason.values()) + sum(
        len(articles[a]["paragraphs"]) - len(edits[a].removed if a in edits else ())
        for a in range(n)
        if a not in kept
    )
    view = EditedArticles(articles, keep, dict(edits), final_ids)
    return CrossdocResult(view, quarantined, clusters, report, removed_by_reason, gone)


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
        label = _components(len(self.lists), group_edges)
        return [label[g] for g in self.group_of]


_SHINGLE_BLOCK = 20_000
"""Paragraphs shingled at a time: one call over all of them held several arrays of the
size of every shingle of the run at once."""
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


def _final_id(record: ArticleRecord, edit: _Edit) -> str:
    return article_id(
        "\n\n".join(p["text"] for i, p in enumerate(record["paragraphs"]) if i not in edit.removed)
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


def _removal(
    articles: Sequence[ArticleRecord],
    occ: Occurrence,
    reason: str,
    rule: str,
    similarity: float | None,
    target: tuple[str, int] | None,
) -> RemovalRecord:
    record = articles[occ.article]
    return {
        "text": record["paragraphs"][occ.paragraph]["text"],
        "reason": reason,
        "rule": rule,
        "position": _extracted_positions(record)[occ.paragraph],
        "duplicate_of": None if target is None else target[1],
        "similarity": similarity,
        "duplicate_of_article": None if target is None else target[0],
    }


@dataclass(slots=True)
class _ParagraphCluster:
    members: list[Occurrence]
    links: dict[Occurrence, tuple[Occurrence, float, str]]
    dropped: set[Occurrence]


def _relation(pair: Pair, rep: int) -> str:
    if pair.measure != "containment":
        return pair.measure
    return "containment" if pair.inner == rep else "contains"


def _paragraph_clusters(
    articles: Sequence[ArticleRecord],
    rep_pairs: Sequence[Pair],
    rep_occs: Sequence[Sequence[Occurrence]],
    occ_rep: Sequence[Sequence[int]],
    template: set[Occurrence],
    cluster_of: Sequence[int],
    edits: dict[int, _Edit],
    config: CrossdocConfig,
    report: CrossdocReport,
) -> list[_ParagraphCluster]:
    neighbours: dict[int, list[tuple[int, float, str]]] = defaultdict(list)
    for p in rep_pairs:
        neighbours[p.a].append((p.b, p.similarity, _relation(p, p.a)))
        neighbours[p.b].append((p.a, p.similarity, _relation(p, p.b)))
    rep_component = _components(len(rep_occs), [(p.a, p.b) for p in rep_pairs])
    members_of: dict[int, list[Occurrence]] = defaultdict(list)
    for r, occs in enumerate(rep_occs):
        if len(occs) > 1 or r in neighbours:
            members_of[rep_component[r]].extend(o for o in occs if o not in template)
    out: list[_ParagraphCluster] = []
    roots = [c for c, occs in members_of.items() if occs]
    for root in sorted(roots, key=lambda c: min(_order(o) for o in members_of[c])):
        members = sorted(members_of[root], key=_order)
        if len({cluster_of[o.article] for o in members}) < 2:
            continue
        cluster = _ParagraphCluster(members, {}, set())
        by_rep: dict[int, list[Occurrence]] = defaultdict(list)
        for occ in members:
            by_rep[occ_rep[occ.article][occ.paragraph]].append(occ)
        kept_by_rep: dict[int, list[Occurrence]] = defaultdict(list)
        for occ in members:
            r = occ_rep[occ.article][occ.paragraph]
            options = [(r, 1.0, "exact"), *neighbours.get(r, ())]
            if config.drop_cross_document_duplicates:
                hit = _best(occ, options, kept_by_rep, earlier_only=True, covering=True)
                if hit is not None:
                    cluster.dropped.add(occ)
                    cluster.links[occ] = hit
                    continue
            kept_by_rep[r].append(occ)
        for occ in members:
            if occ in cluster.dropped or occ == members[0]:
                continue
            r = occ_rep[occ.article][occ.paragraph]
            options = [(r, 1.0, "exact"), *neighbours.get(r, ())]
            hit = _best(occ, options, kept_by_rep, earlier_only=False, covering=False)
            if hit is not None:
                cluster.links[occ] = hit
        out.append(cluster)
        for occ, (target, similarity, measure) in cluster.links.items():
            if occ in cluster.dropped:
                # the target's final id and index are filled in once all removals are known
                edits[occ.article].removed[occ.paragraph] = _removal(
                    articles, occ, CROSS_DUPLICATE, measure, similarity, ("", target.paragraph)
                )
                report.cross_duplicates_dropped += 1
    return out


def _order(occ: Occurrence) -> tuple[int, int]:
    return occ.article, occ.paragraph


def _best(
    occ: Occurrence,
    options: Sequence[tuple[int, float, str]],
    kept_by_rep: dict[int, list[Occurrence]],
    earlier_only: bool,
    covering: bool,
) -> tuple[Occurrence, float, str] | None:
    """The kept occurrence in another article this one matches best (earlier preferred)."""
    best: tuple[tuple[bool, float, int, int], tuple[Occurrence, float, str]] | None = None
    for rep, similarity, measure in options:
        if covering and measure == "contains":
            continue
        for other in kept_by_rep.get(rep, ()):
            if other.article == occ.article:
                continue
            later = _order(other) > _order(occ)
            if earlier_only and later:
                continue
            rank = (later, -similarity, other.article, other.paragraph)
            if best is None or rank < best[0]:
                best = (rank, (other, similarity, measure))
            break
    return None if best is None else best[1]


def _new_index(record: ArticleRecord, edit: _Edit | None) -> list[int | None]:
    out: list[int | None] = []
    at = 0
    for i in range(len(record["paragraphs"])):
        if edit is not None and i in edit.removed:
            out.append(None)
        else:
            out.append(at)
            at += 1
    return out


def _paragraph_cluster_records(
    found: Sequence[_ParagraphCluster],
    articles: Sequence[ArticleRecord],
    final_ids: Sequence[str],
    edits: dict[int, _Edit],
    report: CrossdocReport,
) -> list[ClusterRecord]:
    new_index: dict[int, list[int | None]] = {}

    def index_of(occ: Occurrence) -> int | None:
        if occ.article not in new_index:
            new_index[occ.article] = _new_index(articles[occ.article], edits.get(occ.article))
        return new_index[occ.article][occ.paragraph]

    records: list[ClusterRecord] = []
    for cluster in found:
        members: list[ClusterMemberRecord] = []
        for occ in cluster.members:
            link = cluster.links.get(occ)
            members.append(
                {
                    "id": final_ids[occ.article],
                    "source": articles[occ.article]["source"],
                    "paragraph": index_of(occ),
                    "similarity": None if link is None else link[1],
                    "measure": None if link is None else link[2],
                    "dropped": occ in cluster.dropped,
                }
            )
            if link is not None and occ in cluster.dropped:
                removal = edits[occ.article].removed[occ.paragraph]
                removal["duplicate_of_article"] = final_ids[link[0].article]
                removal["duplicate_of"] = index_of(link[0])
            if link is not None and occ not in cluster.dropped:
                target, similarity, measure = link
                target_index = index_of(target)
                mine = index_of(occ)
                if target_index is not None and mine is not None:
                    report.cross_duplicates_annotated += 1
                    edits[occ.article].cross.append(
                        (
                            mine,
                            {
                                "paragraph": mine,
                                "article": final_ids[target.article],
                                "source": articles[target.article]["source"],
                                "other_paragraph": target_index,
                                "similarity": similarity,
                                "measure": measure,
                            },
                        )
                    )
        first = cluster.members[0]
        records.append(
            {
                "level": "paragraph",
                "canonical": final_ids[first.article],
                "canonical_paragraph": index_of(first),
                "size": len(members),
                "members": members,
            }
        )
    return records


def _document_clusters(
    articles: Sequence[ArticleRecord],
    doc_pairs: Sequence[Pair],
    copy_of: dict[int, int],
    signing: _Signing,
    doc_sizes: Any,
    completeness: Sequence[int],
    final_ids: Sequence[str],
    emptied: set[int],
    order_key: Sequence[tuple[str, str]],
    edits: dict[int, _Edit],
    index: IndexStore | None,
    config: CrossdocConfig,
    report: CrossdocReport,
) -> list[ClusterRecord]:
    n = len(articles)
    node_key: list[str] = [final_ids[a] for a in range(n)]
    node_of_key: dict[str, int] = {}
    for a in range(n):
        node_of_key.setdefault(final_ids[a], a)
    edges: dict[tuple[int, int], tuple[float | None, str]] = {}

    def add_edge(a: int, b: int, similarity: float | None, measure: str) -> None:
        key = (min(a, b), max(a, b))
        if key not in edges or _strength(measure) > _strength(edges[key][1]):
            edges[key] = (similarity, measure)

    for p in doc_pairs:
        if p.a not in emptied and p.b not in emptied:
            add_edge(p.a, p.b, p.similarity, p.measure)
    for a, r in copy_of.items():
        if a not in emptied and r not in emptied and doc_sizes[a]:
            add_edge(a, r, 1.0, "jaccard")
    known: dict[str, Entry] = {}
    alive = [a for a in range(n) if a not in emptied and doc_sizes[a]]
    bands_of: dict[int, tuple[int, ...]] = {}
    seq = 0
    if index is not None:
        report.index = index.describe()
        if config.reset_index:
            index.reset()
        index.check_settings(index_settings(config))
        seq = index.begin_run()
        report.index_run = seq
        bands, rows = choose_bands(config.document_jaccard, config.num_perm, config.lsh_recall)
        bands_of = signing.bands(articles, alive, edits, config, bands, rows)
        known = index.entries([final_ids[a] for a in alive])
        report.index_known = len(known)
        # copies share one band tuple: each distinct tuple is looked up once
        distinct = list({bands_of[a]: None for a in alive})
        hits_of = dict(zip(distinct, index.query(distinct), strict=True))
        hits = [hits_of[bands_of[a]] for a in alive]
        del distinct, hits_of
        # keys not to link again: the run's own, and earlier ones once linked (a set kept
        # up to date, not rebuilt for every document: that was quadratic)
        linked = set(node_of_key)
        foreign = sorted({k for h in hits for k in h} - linked)
        known.update(index.entries(foreign))
        for a, found in zip(alive, hits, strict=True):
            for key in sorted(found - linked if found else ()):
                entry = known.get(key)
                if entry is None:
                    continue
                estimate = estimate_jaccard(bands_of[a], entry.bands, rows)
                if estimate >= config.document_jaccard:
                    add_edge(
                        a, _node(key, node_key, node_of_key), round(estimate, 4), "jaccard-estimate"
                    )
                    linked.add(key)
                    report.index_matches += 1
        for key, entry in list(known.items()):
            if entry.canonical != key:
                add_edge(
                    _node(key, node_key, node_of_key),
                    _node(entry.canonical, node_key, node_of_key),
                    None,
                    "index",
                )
    adjacency: dict[int, list[tuple[int, float | None, str]]] = defaultdict(list)
    for (a, b), (similarity, measure) in edges.items():
        adjacency[a].append((b, similarity, measure))
        adjacency[b].append((a, similarity, measure))
    component = _components(len(node_key), list(edges))
    groups: dict[int, list[int]] = defaultdict(list)
    for node, root in enumerate(component):
        if node in adjacency:
            groups[root].append(node)
    records: list[ClusterRecord] = []
    for nodes in sorted(groups.values(), key=min):
        earlier = [v for v in nodes if node_key[v] in known]
        if earlier:
            first = min(earlier, key=lambda v: (known[node_key[v]].seq, node_key[v]))
            canonical = _node(known[node_key[first]].canonical, node_key, node_of_key)
            if canonical not in nodes:
                nodes.append(canonical)
                adjacency[canonical].append((first, None, "index"))
                adjacency[first].append((canonical, None, "index"))
        else:
            canonical = min(
                (v for v in nodes if v < n),
                key=lambda v: (-completeness[v], order_key[v], v),
            )
        parent = _bfs(canonical, adjacency)
        for v, (via, _, _) in list(parent.items()):
            # a copy reached through its first copy is as similar to that one's parent
            if copy_of.get(v) == via and via in parent:
                parent[v] = (via, parent[via][1], parent[via][2])
        members: list[ClusterMemberRecord] = []
        for v in sorted(nodes, key=lambda v: (v != canonical, v)):
            link = parent.get(v)
            is_run = v < n
            members.append(
                {
                    "id": node_key[v],
                    "source": articles[v]["source"] if is_run else None,
                    "paragraph": None,
                    "similarity": None if link is None else link[1],
                    "measure": None if link is None else link[2],
                    "dropped": bool(is_run and v != canonical and config.drop_duplicate_articles),
                }
            )
            if is_run and v != canonical and link is not None:
                edit = edits[v]
                edit.duplicate_of = node_key[canonical]
                edit.reason = link[2]
                edit.similarity = link[1]
                report.duplicate_articles += 1
        records.append(
            {
                "level": "document",
                "canonical": node_key[canonical],
                "canonical_paragraph": None,
                "size": len(members),
                "members": members,
            }
        )
    report.document_clusters = len(records)
    if index is not None:
        fresh = [
            Entry(
                final_ids[a],
                seq,
                edits[a].duplicate_of or final_ids[a] if a in edits else final_ids[a],
                bands_of[a],
            )
            for a in alive
            if final_ids[a] not in known
        ]
        report.index_buckets_refused = index.add(fresh)
        report.index_added = len({e.key for e in fresh})
    return records


def _strength(measure: str) -> int:
    """Exactly verified > estimated from band hashes > remembered by the index."""
    return {"index": 0, "jaccard-estimate": 1}.get(measure, 2)


def _node(key: str, node_key: list[str], node_of_key: dict[str, int]) -> int:
    node = node_of_key.get(key)
    if node is None:
        node = len(node_key)
        node_key.append(key)
        node_of_key[key] = node
    return node


def _bfs(
    root: int, adjacency: dict[int, list[tuple[int, float | None, str]]]
) -> dict[int, tuple[int, float | None, str]]:
    """Each reachable node's link toward `root`: (parent, similarity, measure).

    Exactly verified links are preferred over index links at equal depth.
    """
    parent: dict[int, tuple[int, float | None, str]] = {}
    seen = {root}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for other, similarity, measure in sorted(
            adjacency.get(node, ()), key=lambda e: (e[2] in ("index", "jaccard-estimate"), e[0])
        ):
            if other not in seen:
                seen.add(other)
                parent[other] = (node, similarity, measure)
                queue.append(other)
    return parent


_SIGN_BLOCK = 1000
"""Articles whose document shingle sets are built and signed at a time."""


@dataclass(slots=True)
class _Signing:
    """Band hashes of the documents' final shingle sets, for the persistent index.

    A document's final set is the union of its kept paragraphs' shingles, which the
    group table already holds: each group is signed once, from it. Only documents with
    paragraphs beyond `max_paragraphs` (left out of the table) are read and shingled.
    """

    group_bands: dict[int, tuple[int, ...]]
    """Band hashes per group (one tuple shared by every copy)."""
    group_of: list[int]
    over_cap: set[int]

    @staticmethod
    def of(
        table: ShingleTable,
        groups: Sequence[int],
        group_of: list[int],
        over_cap: set[int],
        config: CrossdocConfig,
        wanted: bool,
    ) -> _Signing:
        """Signed now, so the table (the run's largest array) can go."""
        out = _Signing({}, group_of, over_cap)
        if not wanted:
            return out
        bands, rows = choose_bands(config.document_jaccard, config.num_perm, config.lsh_recall)
        for start in range(0, len(groups), _SIGN_BLOCK):
            block = range(start, min(start + _SIGN_BLOCK, len(groups)))
            sig = signatures(table.take(block), config.num_perm, config.seed)
            for i, keys in zip(block, band_keys(sig, bands, rows).tolist(), strict=True):
                out.group_bands[groups[i]] = tuple(keys)
        return out

    def bands(
        self,
        articles: Sequence[ArticleRecord],
        alive: Sequence[int],
        edits: dict[int, _Edit],
        config: CrossdocConfig,
        bands: int,
        rows: int,
    ) -> dict[int, tuple[int, ...]]:
        out = {a: self.group_bands[self.group_of[a]] for a in alive if a not in self.over_cap}
        late = [a for a in alive if a in self.over_cap]
        for start in range(0, len(late), _SIGN_BLOCK):
            block = late[start : start + _SIGN_BLOCK]
            final_sets = [
                _final_set(articles[a], edits.get(a), config.shingle_words) for a in block
            ]
            sig = signature_matrix(final_sets, config.num_perm, config.seed)
            for a, keys in zip(block, band_keys(sig, bands, rows).tolist(), strict=True):
                out[a] = tuple(keys)
        return out


def _final_set(record: ArticleRecord, edit: _Edit | None, size: int) -> Shingles:
    # One batched shingle_table per article: per-paragraph calls cost 6 ms an article.
    texts = [
        p["text"]
        for i, p in enumerate(record["paragraphs"])
        if edit is None or i not in edit.removed
    ]
    return frozenset(shingle_table(texts, size).values.tolist())


class EditedArticles(Sequence[ArticleRecord]):
    """The run's article records with the corpus-level edits applied on access.

    Holds only the edits and the indices kept, so spooled records stay on disk.
    """

    def __init__(
        self,
        base: Sequence[ArticleRecord],
        keep: list[int],
        edits: dict[int, _Edit],
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
        return _apply(self.base[a], self.edits.get(a), self.final_ids[a])

    def __iter__(self) -> Iterator[ArticleRecord]:
        wanted = iter(self.keep)
        target = next(wanted, None)
        for a, record in enumerate(self.base):
            if target is None:
                return
            if a == target:
                yield _apply(record, self.edits.get(a), self.final_ids[a])
                target = next(wanted, None)


def _apply(record: ArticleRecord, edit: _Edit | None, final_id: str) -> ArticleRecord:
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

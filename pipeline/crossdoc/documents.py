"""Document clusters: reposts and near copies within the run and against the index.

Canonical: an earlier run's canonical stays canonical; otherwise the most complete
article, ties by earliest date, then by source. Edges verified on the text win over
band-hash estimates, which win over links the index remembers.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.counts import CrossdocReport
from pipeline.crossdoc.edits import Edit
from pipeline.crossdoc.index.base import Entry, IndexStore, estimate_jaccard
from pipeline.crossdoc.scan import Digest
from pipeline.model import ClusterLevel, Measure
from pipeline.records import ArticleRecord, ClusterMemberRecord, ClusterRecord
from pipeline.similarity import (
    HASH_VERSION,
    Pair,
    Shingles,
    ShingleTable,
    band_keys,
    choose_bands,
    components,
    shingle_table,
    signature_matrix,
    signatures,
)


def index_settings(config: CrossdocConfig) -> str:
    """What band hashes depend on: an index built otherwise cannot be compared."""
    bands, rows = choose_bands(config.document_jaccard, config.num_perm, config.lsh_recall)
    return (
        f"shingles={HASH_VERSION} shingle_words={config.shingle_words} num_perm={config.num_perm} "
        f"seed={config.seed} bands={bands} rows={rows}"
    )


def document_clusters(
    articles: Sequence[ArticleRecord],
    doc_pairs: Sequence[Pair],
    copy_of: dict[int, int],
    signing: Signing,
    doc_sizes: Any,
    completeness: Sequence[int],
    final_ids: Sequence[str],
    emptied: set[int],
    digest: Digest,
    edits: dict[int, Edit],
    index: IndexStore | None,
    config: CrossdocConfig,
    report: CrossdocReport,
) -> list[ClusterRecord]:
    n = len(articles)
    node_key: list[str] = [final_ids[a] for a in range(n)]
    node_of_key: dict[str, int] = {}
    for a in range(n):
        node_of_key.setdefault(final_ids[a], a)
    edges: dict[tuple[int, int], tuple[float | None, Measure]] = {}

    def add_edge(a: int, b: int, similarity: float | None, measure: Measure) -> None:
        key = (min(a, b), max(a, b))
        if key not in edges or measure.strength > edges[key][1].strength:
            edges[key] = (similarity, measure)

    for p in doc_pairs:
        if p.a not in emptied and p.b not in emptied:
            add_edge(p.a, p.b, p.similarity, p.measure)
    for a, r in copy_of.items():
        if a not in emptied and r not in emptied and doc_sizes[a]:
            add_edge(a, r, 1.0, Measure.JACCARD)
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
                        a,
                        _node(key, node_key, node_of_key),
                        round(estimate, 4),
                        Measure.JACCARD_ESTIMATE,
                    )
                    linked.add(key)
                    report.index_matches += 1
        for key, entry in list(known.items()):
            if entry.canonical != key:
                add_edge(
                    _node(key, node_key, node_of_key),
                    _node(entry.canonical, node_key, node_of_key),
                    None,
                    Measure.INDEX,
                )
    adjacency: dict[int, list[tuple[int, float | None, Measure]]] = defaultdict(list)
    for (a, b), (similarity, measure) in edges.items():
        adjacency[a].append((b, similarity, measure))
        adjacency[b].append((a, similarity, measure))
    component = components(len(node_key), list(edges))
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
                adjacency[canonical].append((first, None, Measure.INDEX))
                adjacency[first].append((canonical, None, Measure.INDEX))
        else:
            canonical = min(
                (v for v in nodes if v < n),
                key=lambda v: (-completeness[v], digest.order_key[v], v),
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
                    "source": digest.sources[v] if is_run else None,
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
                "level": ClusterLevel.DOCUMENT,
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


def _node(key: str, node_key: list[str], node_of_key: dict[str, int]) -> int:
    node = node_of_key.get(key)
    if node is None:
        node = len(node_key)
        node_key.append(key)
        node_of_key[key] = node
    return node


def _bfs(
    root: int, adjacency: dict[int, list[tuple[int, float | None, Measure]]]
) -> dict[int, tuple[int, float | None, Measure]]:
    """Each reachable node's link toward `root`: (parent, similarity, measure).

    Exactly verified links are preferred over index links at equal depth.
    """
    parent: dict[int, tuple[int, float | None, Measure]] = {}
    seen = {root}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for other, similarity, measure in sorted(
            adjacency.get(node, ()), key=lambda e: (not e[2].verified, e[0])
        ):
            if other not in seen:
                seen.add(other)
                parent[other] = (node, similarity, measure)
                queue.append(other)
    return parent


_SIGN_BLOCK = 1000
"""Articles whose document shingle sets are built and signed at a time."""


@dataclass(slots=True)
class Signing:
    """Band hashes of the documents' final shingle sets, for the persistent index.

    A document's final set is the union of its kept paragraphs' shingles, which the
    group table already holds: each group is signed once, from it. Only documents with
    paragraphs beyond `max_paragraphs` (left out of the table) are read and shingled.
    """

    group_bands: dict[int, tuple[int, ...]]
    """Band hashes per group (one tuple shared by every copy)."""
    group_of: list[int]
    over_cap: frozenset[int]

    @staticmethod
    def of(
        table: ShingleTable,
        groups: Sequence[int],
        group_of: list[int],
        over_cap: frozenset[int],
        config: CrossdocConfig,
        wanted: bool,
    ) -> Signing:
        """Signed now, so the table (the run's largest array) can go."""
        out = Signing({}, group_of, over_cap)
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
        edits: dict[int, Edit],
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


def _final_set(record: ArticleRecord, edit: Edit | None, size: int) -> Shingles:
    # One batched shingle_table per article: per-paragraph calls cost 6 ms an article.
    texts = [
        p["text"]
        for i, p in enumerate(record["paragraphs"])
        if edit is None or i not in edit.removed
    ]
    return frozenset(shingle_table(texts, size).values.tolist())

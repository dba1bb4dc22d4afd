"""Document clusters: reposts and near copies within the run and against the index.

Canonical: an earlier run's canonical stays canonical; otherwise the most complete
article, ties by earliest date, then by source. Edges verified on the text win over
band-hash estimates, which win over links the index remembers.

Nodes are the run's articles (0 .. n-1, named by final id) and the documents of earlier
runs the index links them to (n and up, named by their key).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.counts import IndexCounts
from pipeline.crossdoc.edits import Removals
from pipeline.crossdoc.index.base import Entry, IndexStore, estimate_jaccard
from pipeline.crossdoc.matching import Matches
from pipeline.crossdoc.scan import Digest
from pipeline.crossdoc.signing import banding, index_settings
from pipeline.model import ClusterLevel, Measure
from pipeline.records import ArticleRecord, ClusterMemberRecord, ClusterRecord
from pipeline.similarity import components

Link = tuple[int, float | None, Measure]
"""(other node, similarity, measure) of an edge."""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A run article's link toward the canonical of its document cluster."""

    of: str
    """The canonical's id."""
    reason: Measure
    similarity: float | None


@dataclass(frozen=True, slots=True)
class DocumentClusters:
    """Phase 7: the document clusters, with the index's documents of earlier runs."""

    records: list[ClusterRecord]
    duplicates: dict[int, Duplicate]
    """Per run article that is not its cluster's canonical."""
    index: IndexCounts


@dataclass(slots=True)
class _Graph:
    """Documents and the strongest edge between each two (mutable while linking)."""

    keys: list[str]
    """Each node's id."""
    node_of: dict[str, int]
    edges: dict[tuple[int, int], tuple[float | None, Measure]] = field(default_factory=dict)

    @staticmethod
    def of_run(final_ids: Sequence[str]) -> _Graph:
        node_of: dict[str, int] = {}
        for a, key in enumerate(final_ids):
            node_of.setdefault(key, a)
        return _Graph(list(final_ids), node_of)

    def node(self, key: str) -> int:
        """The node of `key`, added if new (a document of an earlier run)."""
        node = self.node_of.get(key)
        if node is None:
            node = len(self.keys)
            self.keys.append(key)
            self.node_of[key] = node
        return node

    def add_edge(self, a: int, b: int, similarity: float | None, measure: Measure) -> None:
        key = (min(a, b), max(a, b))
        if key not in self.edges or measure.strength > self.edges[key][1].strength:
            self.edges[key] = (similarity, measure)

    def adjacency(self) -> dict[int, list[Link]]:
        out: dict[int, list[Link]] = defaultdict(list)
        for (a, b), (similarity, measure) in self.edges.items():
            out[a].append((b, similarity, measure))
            out[b].append((a, similarity, measure))
        return out


@dataclass(frozen=True, slots=True)
class _Earlier:
    """What the index knows of the run's documents and of those it links them to."""

    known: dict[str, Entry]
    bands_of: dict[int, tuple[int, ...]]
    """Band hashes of the run's articles that have text."""
    seq: int
    """This run's number in the index."""
    counts: IndexCounts


def document_clusters(
    articles: Sequence[ArticleRecord],
    matches: Matches,
    removals: Removals,
    index: IndexStore | None,
    config: CrossdocConfig,
) -> DocumentClusters:
    """Clusters of the document pairs and copies (less the emptied articles), and with
    `index` of earlier runs' documents; the run's new documents are then added to it."""
    documents, corpus, n = matches.documents, matches.corpus, len(articles)
    emptied, removed = removals.emptied, removals.removed
    graph = _Graph.of_run(removals.final_ids)
    for p in documents.pairs:
        if p.a not in emptied and p.b not in emptied:
            graph.add_edge(p.a, p.b, p.similarity, p.measure)
    for a, r in documents.copy_of.items():
        if a not in emptied and r not in emptied and documents.sizes[a]:
            graph.add_edge(a, r, 1.0, Measure.JACCARD)
    alive = [a for a in range(n) if a not in emptied and documents.sizes[a]]
    earlier = _Earlier({}, {}, 0, IndexCounts())
    if index is not None:
        opened = _open_run(index, config)
        bands_of = documents.signing.bands(articles, alive, removed, config)
        earlier = _link_earlier(graph, alive, bands_of, index, opened, config)
    completeness = [
        sum(corpus.words[r] for i, r in enumerate(reps) if i not in removed.get(a, ()))
        for a, reps in enumerate(corpus.of_article)
    ]
    clusters = _Clusters(graph, earlier.known, n, documents.copy_of, corpus.digest)
    records, duplicates = clusters.records(completeness, config)
    counts = earlier.counts
    if index is not None:
        counts = _remember(index, alive, removals.final_ids, duplicates, earlier)
    return DocumentClusters(records, duplicates, counts)


def _open_run(index: IndexStore, config: CrossdocConfig) -> IndexCounts:
    """This run begun in the index (reset first with `reset_index`), whose settings
    must be those of the run."""
    described = index.describe()
    if config.reset_index:
        index.reset()
    index.check_settings(index_settings(config))
    return IndexCounts(index=described, index_run=index.begin_run())


def _link_earlier(
    graph: _Graph,
    alive: Sequence[int],
    bands_of: dict[int, tuple[int, ...]],
    index: IndexStore,
    opened: IndexCounts,
    config: CrossdocConfig,
) -> _Earlier:
    """Edges to the documents of earlier runs: by estimated Jaccard where band hashes
    agree enough, and the links the index remembers between them and their canonicals."""
    _, rows = banding(config)
    known = index.entries([graph.keys[a] for a in alive])
    counts = dataclasses.replace(opened, index_known=len(known))
    hits = _hits(index, alive, bands_of)
    # keys not to link again: the run's own, and earlier ones once linked (a set kept
    # up to date, not rebuilt for every document: that was quadratic)
    linked = set(graph.node_of)
    known.update(index.entries(sorted({k for h in hits for k in h} - linked)))
    matched = 0
    for a, found in zip(alive, hits, strict=True):
        for key in sorted(found - linked if found else ()):
            entry = known.get(key)
            if entry is None:
                continue
            estimate = estimate_jaccard(bands_of[a], entry.bands, rows)
            if estimate >= config.document_jaccard:
                graph.add_edge(a, graph.node(key), round(estimate, 4), Measure.JACCARD_ESTIMATE)
                linked.add(key)
                matched += 1
    for key, entry in list(known.items()):
        if entry.canonical != key:
            graph.add_edge(graph.node(key), graph.node(entry.canonical), None, Measure.INDEX)
    seq = opened.index_run or 0
    return _Earlier(known, bands_of, seq, dataclasses.replace(counts, index_matches=matched))


def _hits(
    index: IndexStore, alive: Sequence[int], bands_of: dict[int, tuple[int, ...]]
) -> list[set[str]]:
    """The index's keys sharing a bucket with each alive article. Copies share one band
    tuple: each distinct tuple is looked up once."""
    distinct = list({bands_of[a]: None for a in alive})
    hits_of = dict(zip(distinct, index.query(distinct), strict=True))
    return [hits_of[bands_of[a]] for a in alive]


def _remember(
    index: IndexStore,
    alive: Sequence[int],
    final_ids: Sequence[str],
    duplicates: dict[int, Duplicate],
    earlier: _Earlier,
) -> IndexCounts:
    """The run's documents the index did not know, added with their canonical."""
    fresh = [
        Entry(
            final_ids[a],
            earlier.seq,
            duplicates[a].of if a in duplicates else final_ids[a],
            earlier.bands_of[a],
        )
        for a in alive
        if final_ids[a] not in earlier.known
    ]
    refused = index.add(fresh)
    added = len({e.key for e in fresh})
    return dataclasses.replace(earlier.counts, index_buckets_refused=refused, index_added=added)


@dataclass(frozen=True, slots=True)
class _Clusters:
    """The connected components of the graph, each with its canonical."""

    graph: _Graph
    known: dict[str, Entry]
    run: int
    """Nodes below this are the run's articles."""
    copy_of: dict[int, int]
    digest: Digest

    def records(
        self, completeness: Sequence[int], config: CrossdocConfig
    ) -> tuple[list[ClusterRecord], dict[int, Duplicate]]:
        """One record per cluster, in order of its first node; and each run member's
        link toward its canonical."""
        adjacency = self.graph.adjacency()
        component = components(len(self.graph.keys), list(self.graph.edges))
        groups: dict[int, list[int]] = defaultdict(list)
        for node, root in enumerate(component):
            if node in adjacency:
                groups[root].append(node)
        records: list[ClusterRecord] = []
        duplicates: dict[int, Duplicate] = {}
        for nodes in sorted(groups.values(), key=min):
            canonical = self._canonical(nodes, adjacency, completeness)
            parent = self._links(canonical, adjacency)
            members: list[ClusterMemberRecord] = []
            for v in sorted(nodes, key=lambda v: (v != canonical, v)):
                link = parent.get(v)
                members.append(self._member(v, canonical, link, config))
                if v < self.run and v != canonical and link is not None:
                    duplicates[v] = Duplicate(self.graph.keys[canonical], link[2], link[1])
            records.append(
                {
                    "level": ClusterLevel.DOCUMENT,
                    "canonical": self.graph.keys[canonical],
                    "canonical_paragraph": None,
                    "size": len(members),
                    "members": members,
                }
            )
        return records, duplicates

    def _canonical(
        self, nodes: list[int], adjacency: dict[int, list[Link]], completeness: Sequence[int]
    ) -> int:
        """An earlier run's canonical (added to `nodes`, linked to the first of the
        cluster the index knows, if it is not there); else the most complete article,
        then the earliest, then the first."""
        graph, known = self.graph, self.known
        earlier = [v for v in nodes if graph.keys[v] in known]
        if not earlier:
            order_key = self.digest.order_key
            return min(
                (v for v in nodes if v < self.run),
                key=lambda v: (-completeness[v], order_key[v], v),
            )
        first = min(earlier, key=lambda v: (known[graph.keys[v]].seq, graph.keys[v]))
        canonical = graph.node(known[graph.keys[first]].canonical)
        if canonical not in nodes:
            nodes.append(canonical)
            adjacency[canonical].append((first, None, Measure.INDEX))
            adjacency[first].append((canonical, None, Measure.INDEX))
        return canonical

    def _links(self, canonical: int, adjacency: dict[int, list[Link]]) -> dict[int, Link]:
        parent = _bfs(canonical, adjacency)
        for v, (via, _, _) in list(parent.items()):
            # a copy reached through its first copy is as similar to that one's parent
            if self.copy_of.get(v) == via and via in parent:
                parent[v] = (via, parent[via][1], parent[via][2])
        return parent

    def _member(
        self, v: int, canonical: int, link: Link | None, config: CrossdocConfig
    ) -> ClusterMemberRecord:
        is_run = v < self.run
        return {
            "id": self.graph.keys[v],
            "source": self.digest.sources[v] if is_run else None,
            "paragraph": None,
            "similarity": None if link is None else link[1],
            "measure": None if link is None else link[2],
            "dropped": bool(is_run and v != canonical and config.drop_duplicate_articles),
        }


def _bfs(root: int, adjacency: dict[int, list[Link]]) -> dict[int, Link]:
    """Each reachable node's link toward `root`: (parent, similarity, measure).

    Exactly verified links are preferred over index links at equal depth.
    """
    parent: dict[int, Link] = {}
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

"""Paragraph clusters across articles of different document clusters.

A repost's paragraphs are all the canonical's (its document cluster says so), so only
paragraphs shared by *different* stories are clustered: quotes, agency copy, a lede
reused. They are annotated, or with `drop_cross_document_duplicates` removed where they
repeat a paragraph already kept in an earlier article (the first occurrence stays, and a
long paragraph is never dropped for holding a short quote).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.edits import Drop, Removals
from pipeline.crossdoc.matching import Matches
from pipeline.crossdoc.scan import Digest
from pipeline.crossdoc.template import Occurrence
from pipeline.model import ClusterLevel, Measure, Reason
from pipeline.records import ClusterMemberRecord, ClusterRecord, CrossDuplicateRecord
from pipeline.similarity import Pair, components

Link = tuple[Occurrence, float, Measure]
"""The kept occurrence a paragraph matches best, how similar, and by which measure."""
Option = tuple[int, float, Measure]
"""A representative a paragraph's representative matches, how similar, by which measure."""


@dataclass(slots=True)
class ParagraphCluster:
    members: list[Occurrence]
    """In article order; the first is the cluster's canonical."""
    links: dict[Occurrence, Link]
    dropped: set[Occurrence]


@dataclass(frozen=True, slots=True)
class ParagraphClusters:
    """Phase 5: paragraphs shared by different stories."""

    clusters: list[ParagraphCluster]
    drops: dict[int, list[Drop]]
    """Per article, its paragraphs removed as duplicates of one kept earlier."""

    @property
    def dropped(self) -> int:
        return sum(len(drops) for drops in self.drops.values())


@dataclass(frozen=True, slots=True)
class ParagraphRecords:
    """The paragraph clusters as records, once the articles' final ids are known."""

    records: list[ClusterRecord]
    cross: dict[int, list[tuple[int, CrossDuplicateRecord]]]
    """Per article: (kept paragraph index, annotation) of its paragraphs shared with
    another article."""

    @property
    def annotated(self) -> int:
        return sum(len(notes) for notes in self.cross.values())


def _relation(pair: Pair, rep: int) -> Measure:
    if pair.measure != Measure.CONTAINMENT:
        return pair.measure
    return Measure.CONTAINMENT if pair.inner == rep else Measure.CONTAINS


def paragraph_clusters(matches: Matches, config: CrossdocConfig) -> ParagraphClusters:
    """Components of matching paragraphs (less the template) found in articles of more
    than one document cluster; with `drop_cross_document_duplicates`, the paragraphs
    that repeat one kept in an earlier article are dropped."""
    corpus, template = matches.corpus, matches.template.occurrences
    cluster_of = matches.documents.cluster_of
    neighbours: dict[int, list[Option]] = defaultdict(list)
    pairs = matches.paragraphs.pairs
    for p in pairs:
        neighbours[p.a].append((p.b, p.similarity, _relation(p, p.a)))
        neighbours[p.b].append((p.a, p.similarity, _relation(p, p.b)))
    rep_component = components(len(corpus.occurrences), [(p.a, p.b) for p in pairs])
    members_of: dict[int, list[Occurrence]] = defaultdict(list)
    for r, occs in enumerate(corpus.occurrences):
        if len(occs) > 1 or r in neighbours:
            members_of[rep_component[r]].extend(o for o in occs if o not in template)
    out: list[ParagraphCluster] = []
    drops: dict[int, list[Drop]] = defaultdict(list)
    roots = [c for c, occs in members_of.items() if occs]
    for root in sorted(roots, key=lambda c: min(_order(o) for o in members_of[c])):
        members = sorted(members_of[root], key=_order)
        if len({cluster_of[o.article] for o in members}) < 2:
            continue
        cluster = _linked(members, corpus.of_article, neighbours, config)
        out.append(cluster)
        for occ, (target, similarity, measure) in cluster.links.items():
            if occ in cluster.dropped:
                reason = Reason.CROSS_DOCUMENT_DUPLICATE
                drops[occ.article].append(Drop(occ.paragraph, reason, measure, similarity, target))
    return ParagraphClusters(out, dict(drops))


def _linked(
    members: list[Occurrence],
    of_article: Sequence[Sequence[int]],
    neighbours: dict[int, list[Option]],
    config: CrossdocConfig,
) -> ParagraphCluster:
    """Each member's link to the kept member it matches best; those dropped first (with
    `drop_cross_document_duplicates`), then the rest to whatever is kept."""
    cluster = ParagraphCluster(members, {}, set())
    kept_by_rep: dict[int, list[Occurrence]] = defaultdict(list)
    for occ in members:
        r = of_article[occ.article][occ.paragraph]
        options = [(r, 1.0, Measure.EXACT), *neighbours.get(r, ())]
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
        r = of_article[occ.article][occ.paragraph]
        options = [(r, 1.0, Measure.EXACT), *neighbours.get(r, ())]
        hit = _best(occ, options, kept_by_rep, earlier_only=False, covering=False)
        if hit is not None:
            cluster.links[occ] = hit
    return cluster


def _order(occ: Occurrence) -> tuple[int, int]:
    return occ.article, occ.paragraph


def _best(
    occ: Occurrence,
    options: Sequence[Option],
    kept_by_rep: dict[int, list[Occurrence]],
    earlier_only: bool,
    covering: bool,
) -> Link | None:
    """The kept occurrence in another article this one matches best (earlier preferred)."""
    best: tuple[tuple[bool, float, int, int], Link] | None = None
    for rep, similarity, measure in options:
        if covering and measure == Measure.CONTAINS:
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


def paragraph_cluster_records(
    found: ParagraphClusters, digest: Digest, removals: Removals
) -> ParagraphRecords:
    """One record per cluster, members named by final id and kept paragraph index; and
    the annotation of every member linked to another that is kept."""
    final_ids, index_of = removals.final_ids, removals.index_of
    records: list[ClusterRecord] = []
    cross: dict[int, list[tuple[int, CrossDuplicateRecord]]] = defaultdict(list)
    for cluster in found.clusters:
        members: list[ClusterMemberRecord] = []
        for occ in cluster.members:
            link = cluster.links.get(occ)
            members.append(
                {
                    "id": final_ids[occ.article],
                    "source": digest.sources[occ.article],
                    "paragraph": index_of(occ),
                    "similarity": None if link is None else link[1],
                    "measure": None if link is None else link[2],
                    "dropped": occ in cluster.dropped,
                }
            )
            if link is not None and occ not in cluster.dropped:
                note = _annotation(occ, link, digest, removals)
                if note is not None:
                    cross[occ.article].append(note)
        first = cluster.members[0]
        records.append(
            {
                "level": ClusterLevel.PARAGRAPH,
                "canonical": final_ids[first.article],
                "canonical_paragraph": index_of(first),
                "size": len(members),
                "members": members,
            }
        )
    return ParagraphRecords(records, dict(cross))


def _annotation(
    occ: Occurrence, link: Link, digest: Digest, removals: Removals
) -> tuple[int, CrossDuplicateRecord] | None:
    """What a kept paragraph says of the one it matches in another article (None when
    either is gone)."""
    target, similarity, measure = link
    target_index = removals.index_of(target)
    mine = removals.index_of(occ)
    if target_index is None or mine is None:
        return None
    return (
        mine,
        {
            "paragraph": mine,
            "article": removals.final_ids[target.article],
            "source": digest.sources[target.article],
            "other_paragraph": target_index,
            "similarity": similarity,
            "measure": measure,
        },
    )

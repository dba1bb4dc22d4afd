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
from pipeline.crossdoc.counts import CrossdocReport
from pipeline.crossdoc.edits import Drop, Edit, add_removals, kept_index
from pipeline.crossdoc.scan import Digest
from pipeline.crossdoc.template import Occurrence
from pipeline.model import ClusterLevel, Measure, Reason
from pipeline.records import ArticleRecord, ClusterMemberRecord, ClusterRecord
from pipeline.similarity import Pair, components


@dataclass(slots=True)
class ParagraphCluster:
    members: list[Occurrence]
    links: dict[Occurrence, tuple[Occurrence, float, Measure]]
    dropped: set[Occurrence]


def _relation(pair: Pair, rep: int) -> Measure:
    if pair.measure != Measure.CONTAINMENT:
        return pair.measure
    return Measure.CONTAINMENT if pair.inner == rep else Measure.CONTAINS


def paragraph_clusters(
    articles: Sequence[ArticleRecord],
    rep_pairs: Sequence[Pair],
    rep_occs: Sequence[Sequence[Occurrence]],
    occ_rep: Sequence[Sequence[int]],
    template: set[Occurrence],
    cluster_of: Sequence[int],
    edits: dict[int, Edit],
    config: CrossdocConfig,
    report: CrossdocReport,
) -> list[ParagraphCluster]:
    neighbours: dict[int, list[tuple[int, float, Measure]]] = defaultdict(list)
    for p in rep_pairs:
        neighbours[p.a].append((p.b, p.similarity, _relation(p, p.a)))
        neighbours[p.b].append((p.a, p.similarity, _relation(p, p.b)))
    rep_component = components(len(rep_occs), [(p.a, p.b) for p in rep_pairs])
    members_of: dict[int, list[Occurrence]] = defaultdict(list)
    for r, occs in enumerate(rep_occs):
        if len(occs) > 1 or r in neighbours:
            members_of[rep_component[r]].extend(o for o in occs if o not in template)
    out: list[ParagraphCluster] = []
    drops: dict[int, list[Drop]] = defaultdict(list)
    roots = [c for c, occs in members_of.items() if occs]
    for root in sorted(roots, key=lambda c: min(_order(o) for o in members_of[c])):
        members = sorted(members_of[root], key=_order)
        if len({cluster_of[o.article] for o in members}) < 2:
            continue
        cluster = ParagraphCluster(members, {}, set())
        kept_by_rep: dict[int, list[Occurrence]] = defaultdict(list)
        for occ in members:
            r = occ_rep[occ.article][occ.paragraph]
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
            r = occ_rep[occ.article][occ.paragraph]
            options = [(r, 1.0, Measure.EXACT), *neighbours.get(r, ())]
            hit = _best(occ, options, kept_by_rep, earlier_only=False, covering=False)
            if hit is not None:
                cluster.links[occ] = hit
        out.append(cluster)
        for occ, (target, similarity, measure) in cluster.links.items():
            if occ in cluster.dropped:
                # the target's final id and index are filled in once all removals are known
                target_ref = ("", target.paragraph)
                drop = Drop(
                    occ.paragraph, Reason.CROSS_DOCUMENT_DUPLICATE, measure, similarity, target_ref
                )
                drops[occ.article].append(drop)
                report.cross_duplicates_dropped += 1
    add_removals(edits, articles, drops)
    return out


def _order(occ: Occurrence) -> tuple[int, int]:
    return occ.article, occ.paragraph


def _best(
    occ: Occurrence,
    options: Sequence[tuple[int, float, Measure]],
    kept_by_rep: dict[int, list[Occurrence]],
    earlier_only: bool,
    covering: bool,
) -> tuple[Occurrence, float, Measure] | None:
    """The kept occurrence in another article this one matches best (earlier preferred)."""
    best: tuple[tuple[bool, float, int, int], tuple[Occurrence, float, Measure]] | None = None
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
    found: Sequence[ParagraphCluster],
    digest: Digest,
    final_ids: Sequence[str],
    edits: dict[int, Edit],
    report: CrossdocReport,
) -> list[ClusterRecord]:
    new_index: dict[int, list[int | None]] = {}

    def index_of(occ: Occurrence) -> int | None:
        if occ.article not in new_index:
            new_index[occ.article] = kept_index(
                digest.paragraphs[occ.article], edits.get(occ.article)
            )
        return new_index[occ.article][occ.paragraph]

    records: list[ClusterRecord] = []
    for cluster in found:
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
                                "source": digest.sources[target.article],
                                "other_paragraph": target_index,
                                "similarity": similarity,
                                "measure": measure,
                            },
                        )
                    )
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
    return records

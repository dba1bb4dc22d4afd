"""Near-duplicate paragraphs inside one document, and which copy of each to keep.

A page's few paragraphs are matched exactly (`exact_pairs`: every pair that shares a
shingle is judged). A longer document goes through the same matcher as across documents
(`candidates.find_pairs`): MinHash signatures (datasketch's permutations, computed for
all paragraphs at once) banded for recall, plus an inverted shingle index for
containment — a short paragraph swallowed whole by a later, longer revision has a low
Jaccard with it, so LSH alone would miss it. Every candidate is verified on the exact
shingle sets.

`link_paragraphs` only finds the links; whether they mean anything is the revision gate's
question (`gate`), since on an ordinary page a repeated table header or spec line is
content, not a revision. `resolve` then visits the paragraphs in the order of preference
(the latest revision first, or the first) and drops one only if it duplicates a paragraph
already kept:

* a Jaccard pair or a paragraph inside a kept one: the older copy goes;
* a paragraph that *contains* a kept, preferred one goes only when the kept paragraphs
  it is linked to cover most of it, so a long paragraph is never dropped because a short
  one it shares a quote with was kept: the content only it has stays;
* chains (A~B, B~C) never drop unrelated text, since each drop names a kept paragraph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.config import DedupeConfig
from pipeline.model import KeepRevision, Measure
from pipeline.similarity import (
    EXACT_MAX_ROWS,
    MatchSettings,
    Pair,
    Shingles,
    ShingleTable,
    could_pair,
    exact_pairs,
    find_pairs,
    shingle_table,
    tokens,
)
from pipeline.similarity.overlap import MAX_WORDS as OVERLAP_MAX_WORDS

MAX_POSTINGS = 64
"""A shingle found in more paragraphs than this is too common to point at a duplicate."""
MAX_BUCKET = 1000
"""LSH bucket cap; exact copies are collapsed before matching, so buckets stay small."""


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """The paragraph at `index` (in the same sequence) that this one duplicates."""

    index: int
    similarity: float
    measure: Measure


@dataclass(frozen=True, slots=True)
class Links:
    """Every near-duplicate link among the paragraphs of one document.

    Exact copies (after normalisation) are collapsed first: `copies` maps each to the
    representative of its group (the last copy), and only representatives (`units`, as
    paragraph indices) are matched. `pairs` are between positions in `units`.
    """

    units: list[int]
    copies: dict[int, int]
    pairs: list[Pair]
    table: ShingleTable
    groups: dict[int, list[int]]
    """Representative → every paragraph of its exact group (itself included)."""

    def linked(self) -> list[tuple[int, int]]:
        """Every linked pair as paragraph indices: copies to their representative, pairs."""
        out = [(i, rep) for i, rep in self.copies.items()]
        out += [(self.units[p.a], self.units[p.b]) for p in self.pairs]
        return out


def link_paragraphs(
    texts: Sequence[str], config: DedupeConfig, words: Sequence[Sequence[str]] | None = None
) -> Links:
    """Find the exact copies and verified near-duplicate pairs among `texts` (`words`:
    their `tokens`, if already at hand)."""
    copies, units = _exact_copies([tokens(t) for t in texts] if words is None else words)
    table = shingle_table([texts[i] for i in units], config.shingle_words)
    if len(units) < 2:
        return Links(units, copies, [], table, _groups(units, copies))
    sizes = table.sizes.tolist()
    search = exact_pairs if len(units) <= EXACT_MAX_ROWS else find_pairs
    pairs = [
        p
        for p in search(table, _settings(config)).pairs
        if min(sizes[p.a], sizes[p.b]) >= config.min_shingles
    ]
    return Links(units, copies, pairs, table, _groups(units, copies))


def gate_links(
    texts: Sequence[str], config: DedupeConfig
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """What the revision gate reads of `texts`: every link as a pair of indices (exact
    copies to their representative, and the near-duplicate pairs), and the pairs of like
    size (Jaccard). The same links as `link_paragraphs`; on a short page where no two
    paragraphs could pair (`could_pair`), found without building a shingle table."""
    words = [tokens(t) for t in texts]
    copies, units = _exact_copies(words)
    unit_words = [words[i] for i in units]
    short = sum(map(len, unit_words)) <= OVERLAP_MAX_WORDS and len(units) <= EXACT_MAX_ROWS
    if short and not could_pair(
        unit_words, config.shingle_words, _settings(config), config.min_shingles
    ):
        return list(copies.items()), []
    links = link_paragraphs(texts, config, words)
    revised = [
        (links.units[p.a], links.units[p.b]) for p in links.pairs if p.measure is Measure.JACCARD
    ]
    return links.linked(), revised


def _settings(config: DedupeConfig) -> MatchSettings:
    return MatchSettings(
        jaccard=config.jaccard_threshold,
        containment=config.containment_threshold,
        num_perm=config.num_perm,
        recall=config.lsh_recall,
        seed=config.seed,
        max_bucket=MAX_BUCKET,
        max_postings=MAX_POSTINGS,
    )


def resolve(
    links: Links, order: Sequence[float], keep: KeepRevision, cover: float
) -> dict[int, DuplicateOf]:
    """Map each paragraph to drop (by index) to the kept paragraph it duplicates.

    `order[i]` ranks paragraph i among the revisions (higher is later); `keep` says whether
    the latest or the first copy wins. A paragraph holding a kept, preferred one is dropped
    only if its kept neighbours hold at least `cover` of its shingles.
    """
    sign = 1.0 if keep is KeepRevision.LATEST else -1.0

    def preference(i: int) -> float:
        return sign * order[i]

    found: dict[int, DuplicateOf] = {}
    # In an exact group the preferred copy represents the group.
    rep_of: dict[int, int] = {}
    for rep, members in links.groups.items():
        best = max(members, key=lambda i: (preference(i), sign * i))
        rep_of[rep] = best
        for i in members:
            if i != best:
                found[i] = DuplicateOf(best, 1.0, Measure.EXACT)
    neighbours: dict[int, list[Pair]] = defaultdict(list)
    for pair in links.pairs:
        neighbours[pair.a].append(pair)
        neighbours[pair.b].append(pair)
    para = [rep_of[u] for u in links.units]
    kept: set[int] = set()
    visit = sorted(range(len(para)), key=lambda k: (-preference(para[k]), -sign * para[k]))
    for k in visit:
        best_dup = _duplicate_of(k, neighbours.get(k, []), kept, links.table, cover)
        if best_dup is None:
            kept.add(k)
        else:
            other, similarity, measure = best_dup
            found[para[k]] = DuplicateOf(para[other], similarity, measure)
    # An exact copy points at its twin; if the twin itself was dropped, follow it.
    for i, dup in found.items():
        if dup.measure is Measure.EXACT and dup.index in found:
            found[i] = found[dup.index]
    return found


def _duplicate_of(
    k: int, pairs: list[Pair], kept: set[int], table: ShingleTable, cover: float
) -> tuple[int, float, Measure] | None:
    """The kept unit that unit `k` duplicates (best similarity), or None to keep `k`."""
    best: tuple[int, float, Measure] | None = None
    holds: list[tuple[int, float]] = []
    for pair in pairs:
        other = pair.b if pair.a == k else pair.a
        if other not in kept:
            continue
        if pair.measure is Measure.CONTAINMENT and pair.inner != k:
            holds.append((other, pair.similarity))  # k holds a kept, preferred revision
            continue
        if best is None or pair.similarity > best[1]:
            best = (other, pair.similarity, pair.measure)
    if best is not None or not holds:
        return best
    mine: Shingles = table.set(k)
    covered: set[int] = set()
    for other, _ in holds:
        covered |= mine & table.set(other)
    if len(covered) < cover * len(mine):
        return None
    other, similarity = max(holds, key=lambda h: h[1])
    return other, similarity, Measure.CONTAINS


def _exact_copies(words: Sequence[Sequence[str]]) -> tuple[dict[int, int], list[int]]:
    """Identical paragraphs (after normalisation: their `tokens`) collapse to the last
    one, cheaply.

    This also keeps thousands of copies of one line out of the LSH buckets.
    """
    last: dict[str, int] = {}
    keys = [" ".join(w) for w in words]
    for i, key in enumerate(keys):
        last[key] = i
    copies: dict[int, int] = {}
    units: list[int] = []
    for i, key in enumerate(keys):
        rep = last[key]
        if rep == i or not key:
            units.append(i)
        else:
            copies[i] = rep
    return copies, units


def _groups(units: list[int], copies: dict[int, int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {u: [u] for u in units}
    for i, rep in copies.items():
        groups[rep].append(i)
    return groups


def near_duplicates(
    texts: Sequence[str], config: DedupeConfig, order: Sequence[float] | None = None
) -> dict[int, DuplicateOf]:
    """Link and resolve in one call, without the revision gate (`dedupe_document` has it).

    `order` ranks the revisions (higher is later); by default the sequence does.
    """
    if not config.enabled or len(texts) < 2:
        return {}
    links = link_paragraphs(texts, config)
    ranks = list(range(len(texts))) if order is None else order
    return resolve(links, ranks, config.keep, config.containment_threshold)

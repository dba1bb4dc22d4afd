"""Near-duplicate paragraphs inside one document (a dump of several revisions).

Candidates come from two places: MinHash LSH (banded for recall) for edited copies, and
an inverted shingle index for containment — a short paragraph swallowed whole by a later,
longer revision has a low Jaccard with it, so LSH alone would miss it. Every candidate is
verified on the exact shingle sets. Then paragraphs are visited from the most complete to
the least (ties: the later first) and one is dropped only if it duplicates a paragraph
already kept; a long paragraph is never dropped because a short one it shares a quote
with was kept, and chains (A~B, B~C) never drop unrelated text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from pipeline.config import DedupeConfig
from pipeline.fingerprint import (
    Shingles,
    containment,
    jaccard,
    minhashes,
    shingle_table,
    tokens,
)
from pipeline.lsh import make_lsh

MAX_POSTINGS = 64
"""A shingle found in more paragraphs than this is too common to point at a duplicate."""
EXHAUSTIVE_MAX = 64
"""Up to this many paragraphs every pair is verified exactly: cheaper than building
MinHash signatures and LSH buckets (3.1 vs 5.8 ms a page on the dev pages, 22 paragraphs
on average), and it misses nothing. Longer dumps go through LSH and the shingle index."""


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """The paragraph at `index` (in the same sequence) that this one duplicates."""

    index: int
    similarity: float
    measure: str


def near_duplicates(texts: Sequence[str], config: DedupeConfig) -> dict[int, DuplicateOf]:
    """Map each paragraph to drop (by index) to the kept paragraph it duplicates."""
    if not config.enabled or len(texts) < 2:
        return {}
    found: dict[int, DuplicateOf] = {}
    unique = _drop_exact_copies(texts, found)
    table = shingle_table([texts[i] for i in unique], config.shingle_words)
    sets = {i: table.set(k) for k, i in enumerate(unique)}
    eligible = [i for i in unique if len(sets[i]) >= config.min_shingles]
    if len(eligible) <= EXHAUSTIVE_MAX:
        pairs = set(combinations(eligible, 2))
    else:
        pairs = _lsh_pairs(eligible, sets, config) | _containment_pairs(eligible, sets, config)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    kept: set[int] = set()
    for i in sorted(eligible, key=lambda k: (-len(sets[k]), -k)):
        best: DuplicateOf | None = None
        for j in neighbours.get(i, ()):
            if j not in kept:
                continue
            match = _verify(sets[i], sets[j], config)
            if match is not None and (best is None or match[0] > best.similarity):
                best = DuplicateOf(j, match[0], match[1])
        if best is None:
            kept.add(i)
        else:
            found[i] = best
    # An exact copy points at its twin; if the twin itself was dropped, follow it.
    for i, dup in found.items():
        if dup.measure == "exact" and dup.index in found:
            found[i] = found[dup.index]
    return found


def _drop_exact_copies(texts: Sequence[str], found: dict[int, DuplicateOf]) -> list[int]:
    """Identical paragraphs (after normalisation) collapse to the last one, cheaply.

    This also keeps thousands of copies of one line out of the LSH buckets.
    """
    last: dict[str, int] = {}
    keys = [" ".join(tokens(t)) for t in texts]
    for i, key in enumerate(keys):
        last[key] = i
    unique: list[int] = []
    for i, key in enumerate(keys):
        keep = last[key]
        if keep == i or not key:
            unique.append(i)
        else:
            found[i] = DuplicateOf(keep, 1.0, "exact")
    return unique


def _lsh_pairs(
    eligible: list[int], sets: dict[int, Shingles], config: DedupeConfig
) -> set[tuple[int, int]]:
    if len(eligible) < 2:
        return set()
    lsh = make_lsh(config.jaccard_threshold, config.num_perm, config.lsh_recall)
    hashes = minhashes([sets[i] for i in eligible], config.num_perm, config.seed)
    with lsh.insertion_session() as session:
        for i, m in zip(eligible, hashes, strict=True):
            session.insert(i, m)
    pairs: set[tuple[int, int]] = set()
    for i, m in zip(eligible, hashes, strict=True):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _containment_pairs(
    eligible: list[int], sets: dict[int, Shingles], config: DedupeConfig
) -> set[tuple[int, int]]:
    postings: dict[int, list[int]] = defaultdict(list)
    for i in eligible:
        for h in sets[i]:
            postings[h].append(i)
    pairs: set[tuple[int, int]] = set()
    for i in eligible:
        shared: Counter[int] = Counter()
        for h in sets[i]:
            holders = postings[h]
            if len(holders) <= MAX_POSTINGS:
                shared.update(holders)
        need = config.containment_threshold * len(sets[i])
        for j, count in shared.items():
            if j != i and count >= need and len(sets[j]) >= len(sets[i]):
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _verify(small: Shingles, large: Shingles, config: DedupeConfig) -> tuple[float, str] | None:
    jac = jaccard(small, large)
    if jac >= config.jaccard_threshold:
        return round(jac, 4), "jaccard"
    cont = containment(small, large)
    if cont >= config.containment_threshold:
        return round(cont, 4), "containment"
    return None

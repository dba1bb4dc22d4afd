"""Near-duplicate paragraphs inside one document (a dump of several revisions).

The same matcher as across documents (`candidates.find_pairs`): MinHash signatures
(datasketch's permutations, computed for all paragraphs at once) banded for recall, plus
an inverted shingle index for containment — a short paragraph swallowed whole by a later,
longer revision has a low Jaccard with it, so LSH alone would miss it. Every candidate is
verified on the exact shingle sets. Then paragraphs are visited from the most complete to
the least (ties: the later first) and one is dropped only if it duplicates a paragraph
already kept; a long paragraph is never dropped because a short one it shares a quote
with was kept, and chains (A~B, B~C) never drop unrelated text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.config import DedupeConfig
from pipeline.model import Measure
from pipeline.similarity import MatchSettings, Pair, find_pairs, shingle_table, tokens

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


def near_duplicates(texts: Sequence[str], config: DedupeConfig) -> dict[int, DuplicateOf]:
    """Map each paragraph to drop (by index) to the kept paragraph it duplicates."""
    if not config.enabled or len(texts) < 2:
        return {}
    found: dict[int, DuplicateOf] = {}
    unique = _drop_exact_copies(texts, found)
    table = shingle_table([texts[i] for i in unique], config.shingle_words)
    sizes = table.sizes.tolist()
    settings = MatchSettings(
        jaccard=config.jaccard_threshold,
        containment=config.containment_threshold,
        num_perm=config.num_perm,
        recall=config.lsh_recall,
        seed=config.seed,
        max_bucket=MAX_BUCKET,
        max_postings=MAX_POSTINGS,
    )
    neighbours: dict[int, list[Pair]] = defaultdict(list)
    for pair in find_pairs(table, settings).pairs:
        if min(sizes[pair.a], sizes[pair.b]) >= config.min_shingles:
            neighbours[pair.a].append(pair)
            neighbours[pair.b].append(pair)
    kept: set[int] = set()
    for k in sorted(range(len(unique)), key=lambda r: (-sizes[r], -unique[r])):
        best: DuplicateOf | None = None
        for pair in neighbours.get(k, ()):
            other = pair.b if pair.a == k else pair.a
            if other not in kept or (pair.measure is Measure.CONTAINMENT and pair.inner != k):
                continue
            if best is None or pair.similarity > best.similarity:
                best = DuplicateOf(unique[other], pair.similarity, pair.measure)
        if best is None:
            kept.add(k)
        else:
            found[unique[k]] = best
    # An exact copy points at its twin; if the twin itself was dropped, follow it.
    for i, dup in found.items():
        if dup.measure is Measure.EXACT and dup.index in found:
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
            found[i] = DuplicateOf(keep, 1.0, Measure.EXACT)
    return unique

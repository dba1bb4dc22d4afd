"""Whether any two of a few texts could be a near-duplicate pair, on Python sets.

On an ordinary page no two paragraphs are near duplicates, and building a `ShingleTable`
for `exact_pairs` costs a few dozen numpy calls, whose fixed overhead outweighs the few
hundred shingles of a page. Counting the shingles each pair of texts shares, on sets of
word tuples, tells most pages apart before any table is built: when no pair could pass
`settings` on its counts, there is no pair to find.

The test is a bound, never a verdict: every pair `exact_pairs` would accept passes it
(the shingles are the same word windows, and Python's tuples compare exactly where the
table's 64-bit hashes could, rarely, collide), and a pass only sends the texts on to the
table. A shingle held by more than `MAX_HOLDERS` texts (a repeated template line) ends
the count with a pass, since counting its pairs is what the table does faster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from pipeline.similarity.pairs import MatchSettings

MAX_WORDS = 900
"""Texts of more words than this in all are better sent to the table at once: Python's
cost per shingle overtakes the table's fixed numpy overhead around here."""
MAX_HOLDERS = 16
"""Texts sharing one shingle beyond which the count gives up (and passes)."""
_SLACK = 1e-9
"""Ratios this close below a threshold pass: the bound must never be stricter than the
table's own arithmetic."""


def word_shingles(words: Sequence[str], size: int) -> set[tuple[str, ...]]:
    """The `size`-word windows of `words`; all of them as one shingle when there are no
    more than `size` (as `shingle_table` makes them), none for no words."""
    if size <= 0:
        raise ValueError(f"shingle size must be positive, got {size}")
    if len(words) <= size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def could_pair(
    words: Sequence[Sequence[str]], size: int, settings: MatchSettings, min_shingles: int = 1
) -> bool:
    """Whether two of these token lists could be a pair under `settings`, both with at
    least `min_shingles` shingles. False means no such pair exists."""
    sets = [word_shingles(w, size) for w in words]
    holders: dict[tuple[str, ...], list[int]] = {}
    for row, shingles in enumerate(sets):
        if len(shingles) >= max(min_shingles, 1):
            for shingle in shingles:
                holders.setdefault(shingle, []).append(row)
    shared: Counter[tuple[int, int]] = Counter()
    for rows in holders.values():
        if len(rows) > MAX_HOLDERS:
            return True
        if len(rows) > 1:
            shared.update(combinations(rows, 2))
    return any(
        _could_accept(count, len(sets[a]), len(sets[b]), settings)
        for (a, b), count in shared.items()
    )


def _could_accept(inter: int, size_a: int, size_b: int, settings: MatchSettings) -> bool:
    small, large = min(size_a, size_b), max(size_a, size_b)
    if inter / (size_a + size_b - inter) >= settings.jaccard - _SLACK:
        return True
    if settings.containment is None or small < settings.min_ratio * large * (1 - _SLACK):
        return False
    return inter / small >= settings.containment - _SLACK

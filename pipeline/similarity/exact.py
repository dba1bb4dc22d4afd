"""Every near-duplicate pair of a small table, from the shingles its rows share.

MinHash and LSH exist so that a large collection need not compare every pair. The
paragraphs of one page are few, and most of their shingles are held by one paragraph
only: counting, for every shingle two or more rows hold, the pairs of those rows gives
each overlapping pair's exact intersection directly, with no signature, band or probe.
That is cheaper than signing on tables this small, and it misses nothing: every pair that
shares a shingle is judged, where banding finds a pair at the threshold with probability
`recall`. On a large table a shingle held by many rows (a template's sentence) makes
this quadratic, which is what the capped search of `candidates.find_pairs` is for.
"""

from __future__ import annotations

import numpy as np

from pipeline.similarity.containment import dense_ids
from pipeline.similarity.pairs import Matches, MatchSettings
from pipeline.similarity.table import ShingleTable
from pipeline.similarity.verify import feasible, judge_pairs

EXACT_MAX_ROWS = 64
"""Tables up to this many rows are matched exactly (`exact_pairs`); a shingle held by all
of them costs at most 2,016 pair counts."""


def exact_pairs(table: ShingleTable, settings: MatchSettings) -> Matches:
    """Every pair of rows of `table` that `settings` accept, sorted by (a, b).

    The same judgement as `find_pairs` (`verify.judge_pairs`) on every pair that shares a
    shingle. Raises ValueError for a table of more than `EXACT_MAX_ROWS` rows.
    """
    n = len(table)
    if n > EXACT_MAX_ROWS:
        raise ValueError(f"exact_pairs takes at most {EXACT_MAX_ROWS} rows, got {n}")
    result = Matches()
    if n < 2 or not len(table.values):
        return result
    codes, inter = _shared_counts(table)
    a, b = codes // n, codes % n
    keep = feasible(a, b, table.sizes, settings)
    a, b, inter = a[keep], b[keep], inter[keep]
    result.verified = len(a)
    result.compared = int(table.sizes[a].sum() + table.sizes[b].sum())
    result.pairs = judge_pairs(a, b, inter, table.sizes, settings)
    return result


def _shared_counts(table: ShingleTable) -> tuple[np.ndarray, np.ndarray]:
    """Codes (a * n + b, a < b) of the pairs sharing a shingle, sorted, and how many."""
    n = len(table)
    uid, counts = dense_ids(table)
    row = np.repeat(np.arange(n, dtype=np.int64), table.sizes)
    shared = counts[uid] > 1
    keys = np.sort(uid[shared] * n + row[shared])  # by shingle, then row
    if not len(keys):
        return keys, keys
    holders = keys % n
    starts = np.flatnonzero(np.r_[True, keys[1:] // n != keys[:-1] // n])
    sizes = np.diff(np.r_[starts, len(keys)])
    found = []
    for size in np.unique(sizes).tolist():
        # All shingles held by `size` rows at once: one (shingles x size) block of rows.
        block = holders[starts[sizes == size][:, None] + np.arange(size)]
        upper, lower = np.triu_indices(size, 1)
        found.append((block[:, upper] * n + block[:, lower]).ravel())
    codes, inter = np.unique(np.concatenate(found), return_counts=True)
    return codes, inter.astype(np.int64)

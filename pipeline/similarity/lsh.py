"""LSH banding chosen for recall, not for datasketch's balanced error.

datasketch's `MinHashLSH(threshold=t)` minimises the *area* of false positives plus false
negatives, which at t=0.8 with 128 permutations yields 9 bands of 13 rows: they catch
only 40% of the pairs sitting exactly at 0.8 (`candidate_probability(0.8, 9, 13)`). We
instead require a pair exactly at the threshold to become a candidate with probability
>= `recall`, take the largest rows-per-band that allows it (fewest spurious candidates),
and verify every candidate exactly afterwards.
"""

from __future__ import annotations

import functools

import numpy as np

from pipeline.similarity.hashing import CHAIN_MULTIPLIER, fmix64
from pipeline.similarity.pairs import Caps, pair_codes
from pipeline.similarity.table import sorted_unique


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that a pair of this Jaccard shares at least one band."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


@functools.lru_cache(maxsize=64)
def choose_bands(threshold: float, num_perm: int, recall: float) -> tuple[int, int]:
    """(bands, rows) with bands*rows <= num_perm meeting `recall` at `threshold`.

    Raises ValueError when no banding can: more permutations are needed.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if not 0.0 < recall < 1.0:
        raise ValueError(f"recall must be in (0, 1), got {recall}")
    if num_perm < 2:
        raise ValueError(f"num_perm must be at least 2, got {num_perm}")
    best: tuple[int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if candidate_probability(threshold, bands, rows) >= recall:
            best = (bands, rows)
    if best is None:
        raise ValueError(
            f"no banding of {num_perm} permutations reaches recall {recall} at "
            f"threshold {threshold}; raise num_perm"
        )
    return best


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per (unit, band): the band's rows chained through `fmix64`.

    Computed for every unit and band at once (row r of every band is the column slice
    `r::rows`). These are the only thing the persistent index stores about a document.
    """
    n = signatures.shape[0]
    sig = np.asarray(signatures, dtype=np.uint64)
    h = np.broadcast_to(
        fmix64(np.arange(1, bands + 1, dtype=np.uint64) * CHAIN_MULTIPLIER), (n, bands)
    )
    for r in range(rows):
        h = fmix64(h * CHAIN_MULTIPLIER + sig[:, r : bands * rows : rows])
    return np.ascontiguousarray(h)


def lsh_candidates(
    signatures: np.ndarray, bands: int, rows: int, max_bucket: int, caps: Caps
) -> np.ndarray:
    """Pairs sharing at least one band, encoded `a * n + b` (a < b), unique and sorted.

    One sort for every band at once: the low bits of each band hash are replaced by
    the unit's index, so a bucket's members come out together and in input order (the
    cap keeps the first `max_bucket`). Buckets are thus told apart by the remaining
    (64 - log2 n) bits of the band hash: a chance merge of two buckets only adds
    candidates, which exact verification rejects. Buckets of two (nearly all of them)
    become pairs without a Python loop.
    """
    n = signatures.shape[0]
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    bits = (n - 1).bit_length()
    low = np.uint64((1 << bits) - 1)
    packed = band_keys(signatures, bands, rows) & ~low
    packed |= np.arange(n, dtype=np.uint64)[:, None]
    packed = np.sort(packed, axis=None)
    unit = (packed & low).astype(np.int64)
    bucket = packed >> np.uint64(bits)
    starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1], [True])))
    sizes = np.diff(starts)
    caps.buckets_capped += int(np.count_nonzero(sizes > max_bucket))
    # every member pairs with the later members of its (capped) bucket
    group_end = np.repeat(starts[:-1] + np.minimum(sizes, max_bucket), sizes)
    position = np.arange(len(unit), dtype=np.int64)
    partners = np.maximum(group_end - position - 1, 0)
    total = int(partners.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    first = np.repeat(position, partners)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(partners) - partners, partners)
    return sorted_unique(pair_codes(unit[first], unit[first + 1 + offset], n))

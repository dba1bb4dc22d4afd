"""Candidate pairs checked on the exact shingle sets, all at once in numpy."""

from __future__ import annotations

import numpy as np

from pipeline.model import Measure
from pipeline.similarity.containment import dense_ids
from pipeline.similarity.pairs import MatchSettings, Pair
from pipeline.similarity.table import ShingleTable, gather_index

_VERIFY_BLOCK = 1 << 21
"""Shingles gathered per block of candidate pairs when counting intersections."""


def intersections(
    table: ShingleTable,
    a: np.ndarray,
    b: np.ndarray,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """|row a[k] ∩ row b[k]| for every k: (pair, shingle) keys of both sides, one sort
    per block of pairs, equal neighbours counted (rows hold no repeats)."""
    out = np.zeros(len(a), dtype=np.int64)
    if not len(a):
        return out
    uid, counts = dense_ids(table) if dense is None else dense
    span = max(1, len(counts))
    sizes = table.sizes
    ends = np.cumsum(sizes[a] + sizes[b])
    start = 0
    while start < len(a):
        base = ends[start - 1] if start else 0
        stop = int(np.searchsorted(ends, base + _VERIFY_BLOCK, side="right"))
        stop = min(max(stop, start + 1), len(a))
        ia, ib = a[start:stop], b[start:stop]
        pair = np.arange(stop - start, dtype=np.int64) * span
        keys = np.concatenate(
            (
                np.repeat(pair, sizes[ia]) + uid[gather_index(table.offsets, ia)],
                np.repeat(pair, sizes[ib]) + uid[gather_index(table.offsets, ib)],
            )
        )
        keys.sort()
        same = keys[1:][keys[1:] == keys[:-1]]
        out[start:stop] = np.bincount(same // span, minlength=stop - start)
        start = stop
    return out


def feasible(
    a: np.ndarray, b: np.ndarray, sizes: np.ndarray, settings: MatchSettings
) -> np.ndarray:
    """Which pairs `judge_pairs` could accept on their sizes alone.

    A pair's Jaccard is at most |smaller| / |larger|, and containment needs
    |smaller| >= `min_ratio` * |larger|: a pair far apart in size is refused before its
    sets are read. That matters because checking a pair costs both its sets: without
    this, K small units held by one huge one (a truncated copy cannot be a fifth of the
    text it copies) cost K times the huge one.
    """
    small = np.minimum(sizes[a], sizes[b]).astype(np.float64)
    large = np.maximum(sizes[a], sizes[b]).astype(np.float64)
    bound = settings.jaccard
    if settings.containment is not None:
        bound = min(bound, settings.min_ratio)
    ok: np.ndarray = small >= bound * large * (1 - 1e-9)  # judge_pairs rounds no lower
    return ok


def judge_pairs(
    a: np.ndarray, b: np.ndarray, inter: np.ndarray, sizes: np.ndarray, settings: MatchSettings
) -> list[Pair]:
    """Decide every candidate pair at once, without a Python call per pair: Jaccard at
    or above `settings.jaccard`; else containment of the smaller set at or above
    `settings.containment`, if the smaller holds at least `min_ratio` of the larger.
    Similarities are rounded to 4 places; a containment pair's `inner` is the smaller
    side (the first on ties)."""
    la, lb = sizes[a], sizes[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = inter / (la + lb - inter)
        small = np.minimum(la, lb)
        cont = inter / small
    shared = inter > 0
    is_jac = shared & (jac >= settings.jaccard)
    keep = is_jac
    if settings.containment is not None:
        wide_enough = ~(small < settings.min_ratio * np.maximum(la, lb))
        keep = is_jac | (shared & wide_enough & (cont >= settings.containment))
    is_jac = is_jac[keep]
    similarity = round4(np.where(is_jac, jac[keep], cont[keep]))
    inner = np.where(la <= lb, a, b)[keep]
    return [
        Pair(x, y, s, Measure.JACCARD) if j else Pair(x, y, s, Measure.CONTAINMENT, i)
        for x, y, s, j, i in zip(
            a[keep].tolist(),
            b[keep].tolist(),
            similarity,
            is_jac.tolist(),
            inner.tolist(),
            strict=True,
        )
    ]


def round4(values: np.ndarray) -> list[float]:
    """`round(v, 4)` of each value, as Python floats: the similarities the outputs show.

    numpy's scale-and-round can disagree with Python's correctly rounded `round` only
    when the scaled value sits at a half, so just those are rounded by Python (a Python
    `round` per pair costs about as much as verifying the pair)."""
    scaled = values * 1e4
    out: list[float] = (np.round(scaled) / 1e4).tolist()
    for k in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[k] = round(float(values[k]), 4)
    return out

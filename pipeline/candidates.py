"""Candidate pairs of near-duplicate shingle sets across a corpus, verified exactly.

Two generators, because one measure cannot serve both questions:

* MinHash LSH finds pairs by Jaccard. Bands come from `lsh.choose_bands` (a pair exactly
  at the threshold is a candidate with probability >= `recall`); buckets are formed with
  numpy over the whole signature matrix at once instead of one dict insert per band.
* A prefix-filtered inverted index finds containment (a quote inside a longer
  paragraph, a truncated copy inside the full story), which LSH cannot: the pair's
  Jaccard is low. If |X ∩ Y| >= c·|X| then Y holds at least one of any
  |X| - ceil(c·|X|) + 1 shingles of X; we take X's *rarest* shingles as that prefix, so
  the probe touches few postings and the filter has no false negatives.

Every candidate is then checked on the exact sets, so nothing below a threshold is ever
reported. Buckets and postings are capped (`max_bucket`, `max_postings`): a shingle or a
band shared by thousands of units points at template text, not at a duplicate, and an
uncapped bucket is quadratic. What a cap cut is counted in `Caps`, for the manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from pipeline.fingerprint import (
    CHAIN_MULTIPLIER,
    Shingles,
    ShingleTable,
    fmix64,
    gather_index,
    signatures,
    sorted_unique,
)
from pipeline.lsh import choose_bands

_VERIFY_BLOCK = 1 << 21
"""Shingles gathered per block of candidate pairs when counting intersections."""


class Pair(NamedTuple):
    """Two units (a < b) that are near-duplicates.

    `measure` is `jaccard` or `containment`; for containment, `inner` is the unit whose
    shingles are (mostly) inside the other. A NamedTuple, not a frozen dataclass: a run
    builds one per verified pair, and a frozen dataclass takes ~3x longer to build.
    """

    a: int
    b: int
    similarity: float
    measure: str
    inner: int | None = None


@dataclass(slots=True)
class Caps:
    """What the safety caps cut, reported in the manifest (mutable while counting)."""

    buckets_capped: int = 0
    postings_capped: int = 0

    def merge(self, other: Caps) -> None:
        self.buckets_capped += other.buckets_capped
        self.postings_capped += other.postings_capped


@dataclass(frozen=True, slots=True)
class MatchSettings:
    jaccard: float
    containment: float | None
    num_perm: int
    recall: float
    seed: int
    max_bucket: int
    max_postings: int
    min_ratio: float = 0.0
    """Containment only counts when |inner| / |outer| is at least this."""


@dataclass(slots=True)
class Matches:
    pairs: list[Pair] = field(default_factory=list)
    caps: Caps = field(default_factory=Caps)


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


def pair_codes(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Each unordered pair (a, b) of units among n as one int64: min * n + max."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out: np.ndarray = lo.astype(np.int64) * n + hi.astype(np.int64)
    return out


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


def dense_ids(table: ShingleTable) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's dense id (its rank among the distinct shingles the table was built
    from) and each id's count of rows (rows hold no repeats; an id no row holds any more
    counts 0): shared by the inverted index and verification."""
    if table.ranks is not None:
        return table.ranks, np.bincount(table.ranks)
    _, uid, counts = np.unique(table.values, return_inverse=True, return_counts=True)
    return uid.ravel().astype(np.int64, copy=False), counts


def containment_candidates(
    table: ShingleTable,
    threshold: float,
    max_postings: int,
    caps: Caps,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Pairs where one row may hold >= `threshold` of the other's shingles, encoded.

    Prefix filter over an inverted index of numpy arrays: each row probes the postings
    of its `|X| - ceil(t|X|) + 1` rarest shingles (ties by hash) for rows at least as
    large; no qualifying pair can miss them all.
    """
    n = len(table)
    sizes = table.sizes
    if n < 2 or not len(table.values):
        return np.zeros(0, dtype=np.int64)
    row = np.repeat(np.arange(n, dtype=np.int64), sizes)
    uid, counts = dense_ids(table) if dense is None else dense
    # (id, row), (count, id) and (row, rarity) each fit one int64: plain sorts of packed
    # keys instead of stable argsorts (several times faster)
    row_bits, id_bits = n.bit_length(), len(counts).bit_length()
    row_mask, id_mask = (1 << row_bits) - 1, (1 << id_bits) - 1
    post_rows = np.sort((uid << row_bits) | row) & row_mask
    post_start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=post_start[1:])
    # each row's rarest shingles: rank shingles by (frequency, hash) once, then one
    # sort of (row, rank) orders every row rarest first
    by_rarity = np.sort((counts << id_bits) | np.arange(len(counts), dtype=np.int64)) & id_mask
    rarity = np.empty(len(counts), dtype=np.int64)
    rarity[by_rarity] = np.arange(len(counts), dtype=np.int64)
    keys = np.sort((row << id_bits) | rarity[uid])
    ranked_row = keys >> id_bits
    rank = np.arange(len(keys), dtype=np.int64) - table.offsets[ranked_row]
    prefix = sizes - np.ceil(threshold * sizes - 1e-9).astype(np.int64) + 1
    chosen = rank < prefix[ranked_row]
    probe_row, probe_uid = ranked_row[chosen], by_rarity[keys[chosen] & id_mask]
    held = counts[probe_uid]
    caps.postings_capped += int(np.count_nonzero(held > max_postings))
    held = np.minimum(held, max_postings)
    total = int(held.sum())
    first = np.repeat(post_start[probe_uid] - (np.cumsum(held) - held), held)
    other = post_rows[first + np.arange(total, dtype=np.int64)]
    mine = np.repeat(probe_row, held)
    ok = (other != mine) & (sizes[other] >= sizes[mine])
    return sorted_unique(pair_codes(mine[ok], other[ok], n))


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


def find_pairs(
    sets: Sequence[Shingles] | ShingleTable,
    settings: MatchSettings,
    skip: set[tuple[int, int]] | None = None,
    same_owner: Sequence[int] | None = None,
) -> Matches:
    """Every verified near-duplicate pair among `sets` (indices into it), sorted.

    Pairs whose units have the same `same_owner` value (e.g. two paragraphs of one
    article, already handled by in-document dedupe) are not reported.
    """
    result = Matches()
    table = sets if isinstance(sets, ShingleTable) else ShingleTable.from_sets(sets)
    n = len(table)
    if n < 2:
        return result
    bands, rows = choose_bands(settings.jaccard, settings.num_perm, settings.recall)
    sig = signatures(table, settings.num_perm, settings.seed)
    found = [lsh_candidates(sig, bands, rows, settings.max_bucket, result.caps)]
    del sig
    dense = dense_ids(table)
    if settings.containment is not None:
        found.append(
            containment_candidates(
                table, settings.containment, settings.max_postings, result.caps, dense
            )
        )
    codes = sorted_unique(np.concatenate(found))
    a, b = codes // n, codes % n
    if same_owner is not None:
        owner = np.asarray(same_owner)
        keep = owner[a] != owner[b]
        a, b = a[keep], b[keep]
    if skip:
        skipped = np.fromiter((x * n + y for x, y in skip), dtype=np.int64, count=len(skip))
        keep = ~np.isin(a * n + b, skipped)
        a, b = a[keep], b[keep]
    inter = intersections(table, a, b, dense)
    result.pairs = judge_pairs(a, b, inter, table.sizes, settings)
    return result


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
    similarity = _round4(np.where(is_jac, jac[keep], cont[keep]))
    inner = np.where(la <= lb, a, b)[keep]
    return [
        Pair(x, y, s, "jaccard") if j else Pair(x, y, s, "containment", i)
        for x, y, s, j, i in zip(
            a[keep].tolist(),
            b[keep].tolist(),
            similarity,
            is_jac.tolist(),
            inner.tolist(),
            strict=True,
        )
    ]


def _round4(values: np.ndarray) -> list[float]:
    """`round(v, 4)` of each value. numpy's scale-and-round can disagree with Python's
    correctly rounded `round` only when the scaled value sits at a half, so just those
    are rounded by Python (a Python `round` per pair cost as much as the verification)."""
    scaled = values * 1e4
    out: list[float] = (np.round(scaled) / 1e4).tolist()
    for k in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[k] = round(float(values[k]), 4)
    return out

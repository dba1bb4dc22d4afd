"""Near-duplicate pairs whose number grows linearly with the copies of one text.

`candidates.find_pairs` reports *every* verified pair. That is what a handful of copies
needs, but k near-copies of one story (a wire story on hundreds of sites, a template
paragraph edited per page) share their LSH buckets and their shingle postings, so all
pairs are k²/2 candidates: time and memory quadratic in the copies of one text.

The corpus-level steps only need the *groups* (connected components) and, for each
member, one verified link toward the others. So here each LSH bucket pairs every member
with its bucket's first `fanout` members only (in input order: the earliest copies act
as the bucket's representatives), and each containment probe looks at the first
`fanout` holders of a shingle. A bucket of at most `fanout + 1` members still gives all
its pairs, so small inputs get exactly the pairs `find_pairs` gives; beyond that, work
per unit is bounded by `fanout` per band, and what the bound left out is counted
(`Fanout`) for the manifest. Every candidate is verified exactly, as in `find_pairs`.

Identical texts are best collapsed before calling this (the cross-document step does):
copies need no search at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from pipeline.similarity.containment import dense_ids
from pipeline.similarity.lsh import band_keys, choose_bands
from pipeline.similarity.minhash import signatures
from pipeline.similarity.pairs import Caps, Matches, MatchSettings, Pair, pair_codes
from pipeline.similarity.table import ShingleTable, sorted_unique
from pipeline.similarity.union_find import UnionFind
from pipeline.similarity.verify import feasible, intersections, judge_pairs

_BAND_BLOCK = 8
"""Bands sorted together: candidates are deduplicated per block, which bounds memory."""
_PROBE_BLOCK = 1 << 20
"""Candidate pairs (bucket partners, probe holders) expanded at a time."""
_SIGN_ROWS = 20_000
"""Rows signed at a time (their signatures are dropped once banded)."""
_MERGE_EVERY = 8
"""Deduplicated blocks of candidates merged into one every so many blocks."""


@dataclass(slots=True)
class Fanout:
    """How often the fan-out bound cut candidates (mutable while counting)."""

    buckets: int = 0
    """LSH buckets with more members than `fanout + 1` (later members paired with the
    first `fanout` only)."""
    postings: int = 0
    """Containment probes of a shingle held by more than `fanout` units."""

    def merge(self, other: Fanout) -> None:
        self.buckets += other.buckets
        self.postings += other.postings


@dataclass(slots=True)
class BoundedMatches:
    """What `bounded_pairs` found, what the caps cut and what the fan-out bound cut."""

    matches: Matches
    fanout: Fanout


def _first_partners(
    starts: np.ndarray, sizes: np.ndarray, limit: np.ndarray, fanout: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Positions (first, second) pairing each group member with the group's first
    members (member at position p < limit with positions 0 .. min(p, fanout)-1), and each
    pair's round: 0 in a group of at most `fanout + 1` (all its pairs are verified),
    else 1 + the first member's position (verified only if still apart, see `_verify`).
    In blocks of about `_PROBE_BLOCK` pairs."""
    group_start = np.repeat(starts, sizes)
    position = np.arange(int(sizes.sum()), dtype=np.int64) - group_start
    inside = position < np.repeat(limit, sizes)
    partners = np.where(inside, np.minimum(position, fanout), 0)
    large = np.repeat(sizes > fanout + 1, sizes)
    for lo, hi in _blocks(partners):
        part = partners[lo:hi]
        total = int(part.sum())
        second = np.repeat(np.arange(lo, hi, dtype=np.int64), part)
        offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(part) - part, part)
        first = np.repeat(group_start[lo:hi], part) + offset
        rank = np.where(np.repeat(large[lo:hi], part), offset + 1, 0)
        yield first, second, rank


def _blocks(counts: np.ndarray) -> Iterator[tuple[int, int]]:
    """Ranges [lo, hi) of `counts` summing to about `_PROBE_BLOCK` (at least one item)."""
    ends = np.cumsum(counts)
    start = 0
    while start < len(counts):
        base = int(ends[start - 1]) if start else 0
        stop = int(np.searchsorted(ends, base + _PROBE_BLOCK, side="right"))
        stop = min(max(stop, start + 1), len(counts))
        if int(ends[stop - 1]) > base:
            yield start, stop
        start = stop


def band_keys_of(table: ShingleTable, settings: MatchSettings, bands: int, rows: int) -> np.ndarray:
    """`band_keys` of every row, signed `_SIGN_ROWS` rows at a time: only the band keys
    (8 bytes a band) are kept, never the whole signature matrix (8 bytes a permutation)
    of a run's paragraphs."""
    out = np.empty((len(table), bands), dtype=np.uint64)
    for start in range(0, len(table), _SIGN_ROWS):
        block = np.arange(start, min(start + _SIGN_ROWS, len(table)), dtype=np.int64)
        sig = signatures(table.take(block), settings.num_perm, settings.seed)
        out[start : start + len(block)] = band_keys(sig, bands, rows)
    return out


def lsh_candidates_bounded(
    keys: np.ndarray,
    max_bucket: int,
    fanout: int,
    caps: Caps,
    cuts: Fanout,
) -> np.ndarray:
    """Like `candidates.lsh_candidates` (same buckets, same `max_bucket` cut), but a
    member pairs only with the bucket's first `fanout` members: `_ranked` codes.
    `keys`: (units x bands) band hashes."""
    n, bands = keys.shape
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    bits = (n - 1).bit_length()
    low = np.uint64((1 << bits) - 1)
    found: list[np.ndarray] = []
    for b0 in range(0, bands, _BAND_BLOCK):
        packed = keys[:, b0 : b0 + _BAND_BLOCK] & ~low
        packed |= np.arange(n, dtype=np.uint64)[:, None]
        packed = np.sort(packed, axis=None)
        unit = (packed & low).astype(np.int64)
        bucket = packed >> np.uint64(bits)
        del packed
        starts = np.flatnonzero(np.concatenate(([True], bucket[1:] != bucket[:-1], [True])))
        del bucket
        sizes = np.diff(starts)
        limit = np.minimum(sizes, max_bucket)
        caps.buckets_capped += int(np.count_nonzero(sizes > max_bucket))
        cuts.buckets += int(np.count_nonzero(limit > fanout + 1))
        for first, second, rank in _first_partners(starts[:-1], sizes, limit, fanout):
            found.append(_ranked(pair_codes(unit[first], unit[second], n), rank, fanout))
            if len(found) >= _MERGE_EVERY:
                found = [_merge(found, fanout)]
    return _merge(found, fanout)


def containment_candidates_bounded(
    table: ShingleTable,
    threshold: float,
    max_postings: int,
    fanout: int,
    caps: Caps,
    cuts: Fanout,
    dense: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Like `candidates.containment_candidates` (same prefix filter over the rarest
    shingles), but each probe visits the first `fanout` holders of its shingle (the
    holders' round: 0 when the shingle has at most `fanout` holders, else 1 + the
    holder's position), and probes are expanded in blocks: `_ranked` codes."""
    n = len(table)
    sizes = table.sizes
    if n < 2 or not len(table.values):
        return np.zeros(0, dtype=np.int64)
    uid, counts = dense
    # postings: rows by shingle id, in row order (a stable sort of the ids; a position's
    # row is found from the offsets, so no row-per-value array is built)
    order = np.argsort(uid, kind="stable")
    post_rows = (np.searchsorted(table.offsets, order, side="right") - 1).astype(np.int32)
    del order
    post_start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=post_start[1:])
    id_bits = len(counts).bit_length()
    id_mask = (1 << id_bits) - 1
    by_rarity = np.sort((counts << id_bits) | np.arange(len(counts), dtype=np.int64)) & id_mask
    rarity = np.empty(len(counts), dtype=np.int64)
    rarity[by_rarity] = np.arange(len(counts), dtype=np.int64)
    prefix = sizes - np.ceil(threshold * sizes - 1e-9).astype(np.int64) + 1
    # each row's rarest shingles, rows taken in blocks of about _PROBE_BLOCK values
    probe_rows: list[np.ndarray] = []
    probe_uids: list[np.ndarray] = []
    for lo, hi in _blocks(sizes):
        start, stop = int(table.offsets[lo]), int(table.offsets[hi])
        block_sizes = sizes[lo:hi]
        local = np.repeat(np.arange(hi - lo, dtype=np.int64), block_sizes)
        keys = np.sort((local << id_bits) | rarity[uid[start:stop]])
        ranked = keys >> id_bits
        rank = np.arange(len(keys), dtype=np.int64) - (table.offsets[lo:hi] - start)[ranked]
        chosen = rank < prefix[lo:hi][ranked]
        probe_rows.append(ranked[chosen] + lo)
        probe_uids.append(by_rarity[keys[chosen] & id_mask])
    del rarity
    probe_row, probe_uid = np.concatenate(probe_rows), np.concatenate(probe_uids)
    del probe_rows, probe_uids
    held = counts[probe_uid]
    caps.postings_capped += int(np.count_nonzero(held > max_postings))
    cuts.postings += int(np.count_nonzero(np.minimum(held, max_postings) > fanout))
    many = held > fanout
    held = np.minimum(held, min(max_postings, fanout))
    found: list[np.ndarray] = []
    for start, stop in _blocks(held):
        h = held[start:stop]
        total = int(h.sum())
        if total:
            first = np.repeat(post_start[probe_uid[start:stop]] - (np.cumsum(h) - h), h)
            at = np.arange(total, dtype=np.int64)
            other = post_rows[first + at]
            mine = np.repeat(probe_row[start:stop], h)
            position = at - np.repeat(np.cumsum(h) - h, h)
            rank = np.where(np.repeat(many[start:stop], h), position + 1, 0)
            ok = (other != mine) & (sizes[other] >= sizes[mine])
            found.append(_ranked(pair_codes(mine[ok], other[ok], n), rank[ok], fanout))
            if len(found) >= _MERGE_EVERY:
                found = [_merge(found, fanout)]
    return _merge(found, fanout)


def _ranked(codes: np.ndarray, rank: np.ndarray, fanout: int) -> np.ndarray:
    """Pair codes with their round packed in (`code * (fanout + 2) + round`), each pair
    once at its earliest round, sorted."""
    keys = sorted_unique(codes * (fanout + 2) + rank)
    if len(keys) > 1:
        code = keys // (fanout + 2)
        keep = np.empty(len(keys), dtype=bool)
        keep[0] = True
        np.not_equal(code[1:], code[:-1], out=keep[1:])
        keys = keys[keep]
    return keys


def _merge(found: list[np.ndarray], fanout: int) -> np.ndarray:
    if not found:
        return np.zeros(0, dtype=np.int64)
    if len(found) == 1:
        return found[0]
    return _ranked(*divmod(np.concatenate(found), fanout + 2), fanout)


def _roots(parent: list[int]) -> np.ndarray:
    """Each unit's root under `parent` (pointer jumping, vectorised)."""
    root = np.asarray(parent, dtype=np.int64)
    while True:
        up = root[root]
        if np.array_equal(up, root):
            return root
        root = up


def bounded_pairs(table: ShingleTable, settings: MatchSettings, fanout: int) -> BoundedMatches:
    """Verified near-duplicate pairs among the rows of `table`, sorted, with at most
    about `fanout` candidates per row and band (see the module docstring).

    A larger `fanout` verifies more links per copy (more pairs, slower); groups
    (connected components) stay the same as long as each copy has one verified link.
    Raises ValueError unless `fanout` is at least 1.
    """
    if fanout < 1:
        raise ValueError(f"fanout must be at least 1, got {fanout}")
    result = BoundedMatches(Matches(), Fanout())
    n = len(table)
    if n < 2:
        return result
    caps = result.matches.caps
    bands, rows = choose_bands(settings.jaccard, settings.num_perm, settings.recall)
    keys = band_keys_of(table, settings, bands, rows)
    found = [lsh_candidates_bounded(keys, settings.max_bucket, fanout, caps, result.fanout)]
    del keys
    dense = dense_ids(table)
    if settings.containment is not None:
        found.append(
            containment_candidates_bounded(
                table,
                settings.containment,
                settings.max_postings,
                fanout,
                caps,
                result.fanout,
                dense,
            )
        )
    codes, rank = divmod(_merge(found, fanout), fanout + 2)
    del found
    result.matches.pairs = _verify(table, codes, rank, settings, dense, fanout, result.matches)
    return result


def _verify(
    table: ShingleTable,
    codes: np.ndarray,
    rank: np.ndarray,
    settings: MatchSettings,
    dense: tuple[np.ndarray, np.ndarray],
    fanout: int,
    work: Matches,
) -> list[Pair]:
    """Verify round 0 (every pair of small buckets) in full; then round by round, only
        the candidates whose units are not yet joined by a verified pair: the k-th copy of a
        story is checked against the bucket's first member, and against a later one only if
        that failed. Pairs come back sorted like `find_pairs`'. Pairs their sizes rule out
    are dropped first (`verify.feasible`); the pairs verified and the shingles compared are
    added to `work`."""
    n = len(table)
    sizes = table.sizes
    keep = feasible(codes // n, codes % n, sizes, settings)
    codes, rank = codes[keep], rank[keep]
    uf = UnionFind(n)
    pairs: list[Pair] = []
    for r in range(fanout + 1):
        chosen = codes[rank == r]
        a, b = chosen // n, chosen % n
        if r and len(a):
            root = _roots(uf.parent)
            apart = root[a] != root[b]
            a, b = a[apart], b[apart]
        if not len(a):
            continue
        work.verified += len(a)
        work.compared += int(sizes[a].sum() + sizes[b].sum())
        found = judge_pairs(a, b, intersections(table, a, b, dense), sizes, settings)
        for p in found:
            uf.union(p.a, p.b)
        pairs.extend(found)
    pairs.sort(key=lambda p: (p.a, p.b))
    return pairs

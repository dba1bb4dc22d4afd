"""Containment candidates: a prefix-filtered inverted index over the rarest shingles."""

from __future__ import annotations

import numpy as np

from pipeline.similarity.pairs import Caps, pair_codes
from pipeline.similarity.table import ShingleTable, sorted_unique


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
    # keys instead of stable argsorts (faster)
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

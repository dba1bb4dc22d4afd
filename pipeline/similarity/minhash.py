"""MinHash signatures of shingle sets: datasketch's affine64 scheme for all rows at once."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from pipeline.similarity.hashing import fmix64
from pipeline.similarity.shingles import Shingles, ShingleTable

if TYPE_CHECKING:
    from datasketch import MinHash


_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)


_CHUNK = 1 << 12
"""Shingles per block when signing: the (num_perm x block) matrix stays ~4 MB, and is
reused (a fresh 4 MB array per block costs more in page faults than the arithmetic)."""


@functools.lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own affine64 parameters (a, b) for this seed, drawn as
    `MinHash._init_permutations` draws them (a test holds them equal to datasketch's).

    Drawn here rather than read from a `MinHash` because importing datasketch imports
    scipy: ~0.5 s in every process that starts, against microseconds for two draws.
    Cached (read-only arrays): drawing them costs more than signing a page's paragraphs.
    """
    if num_perm <= 0:
        raise ValueError(f"num_perm must be positive, got {num_perm}")
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, 1 << 64, num_perm, dtype=np.uint64)
    params = a, b
    for array in params:
        array.setflags(write=False)
    return params


def signatures(table: ShingleTable, num_perm: int, seed: int = 1) -> np.ndarray:
    """(rows x num_perm) uint64: each row equals `MinHash.bulk`'s hashvalues for the set
    (all-max for an empty set), computed block by block over the whole table.

    Computed permutation-major (a transposed view is returned) because the minimum per
    row then runs over contiguous memory; blocks of ~4k shingles stay in cache.
    """
    a, b = permutations(num_perm, seed)
    n = len(table)
    sizes = table.sizes
    # every non-empty column is written below; only empty rows need the all-max value
    out = np.empty((num_perm, n), dtype=np.uint64)
    out[:, sizes == 0] = _MAX
    offsets = table.offsets
    a_col, b_col = a[:, None], b[:, None]
    mixed = fmix64(table.values)
    block = np.empty((num_perm, _CHUNK), dtype=np.uint64)
    row = 0
    while row < n:
        # rows [row, end) hold at most _CHUNK shingles (or a single larger row)
        end = int(np.searchsorted(offsets, offsets[row] + _CHUNK, side="right")) - 1
        end = min(max(end, row + 1), n)
        lo, hi = int(offsets[row]), int(offsets[end])
        if hi > lo:
            phv = (
                block[:, : hi - lo]
                if hi - lo <= _CHUNK
                else np.empty_like(block, shape=(num_perm, hi - lo))
            )
            np.multiply(a_col, mixed[None, lo:hi], out=phv)
            np.add(phv, b_col, out=phv)
            nonempty = np.flatnonzero(sizes[row:end]) + row
            out[:, nonempty] = np.minimum.reduceat(phv, offsets[nonempty] - lo, axis=1)
        row = end
    return out.T


def minhashes(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> list[MinHash]:
    """One datasketch MinHash per shingle set (for `MinHashLSH`), signed in bulk."""
    from datasketch import MinHash  # only the Redis index needs the objects

    if num_perm <= 0:
        raise ValueError(f"num_perm must be positive, got {num_perm}")
    if not sets:
        return []
    sig = signatures(ShingleTable.from_sets(sets), num_perm, seed)
    a, b = permutations(num_perm, seed)
    perms = (a, b)
    return [
        MinHash(num_perm=num_perm, seed=seed, hashvalues=row, permutations=perms, scheme="affine64")
        for row in sig
    ]


def signature_matrix(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> np.ndarray:
    """The signatures of frozenset shingle sets: one row per set."""
    return signatures(ShingleTable.from_sets(sets), num_perm, seed)

"""MinHash signatures of shingle sets: datasketch's affine64 scheme for all rows at once.

A row's signature is what `datasketch.MinHash.bulk([row], scheme="affine64", ...)` gives
for the row's shingle hashes as the hash values (`fmix64` of each, then `a * h + b` with
datasketch's own permutation parameters for the seed, then the minimum per permutation),
so signatures can be handed to datasketch (`MinHash(hashvalues=..., scheme="affine64")`,
`LeanMinHash`, `MinHashLSH`) and compared with its sketches. A test holds both equal.

Computed in numpy rather than by `MinHash.bulk` because bulk makes a Python call per
shingle and a `MinHash` per set, and importing datasketch imports scipy: the difference
for a whole run is in docs/benchmarks.md (bench/signing.py).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from pipeline.similarity.hashing import fmix64
from pipeline.similarity.table import Shingles, ShingleTable

_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)
"""The signature of an empty set (datasketch's initial hash values for affine64)."""

_CHUNK = 1 << 12
"""Shingles per block when signing: the (num_perm x block) matrix stays in cache, and is
reused (a fresh array per block costs more in page faults than the arithmetic)."""


@functools.lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own affine64 parameters (a, b) for this seed, drawn as datasketch
    draws them (a test holds them equal to `MinHash(scheme="affine64").permutations`).

    Drawn here rather than read from a `MinHash` because importing datasketch imports
    scipy, a cost in every process that starts, against two draws of random integers.
    Cached (read-only arrays): drawing them costs more than signing a page's paragraphs.

    Raises ValueError unless `num_perm` is positive. More permutations give a finer
    Jaccard estimate and more bands to choose from, at a proportional cost in signing
    time and signature memory (8 bytes per permutation and set).
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
    """(rows x num_perm) uint64: row i equals the `hashvalues` of
    `MinHash.bulk([table.row(i)], num_perm=num_perm, seed=seed, scheme="affine64",
    hashfunc=lambda v: v)` (all-max for an empty row).

    Signatures compare (and band) only with signatures of the same `num_perm` and
    `seed`: another seed draws other permutations. Computed block by block over the
    whole table, permutation-major (a transposed view is returned) because the minimum
    per row then runs over contiguous memory.
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


def signature_matrix(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> np.ndarray:
    """`signatures` of shingle sets held as frozensets: one row per set."""
    return signatures(ShingleTable.from_sets(sets), num_perm, seed)

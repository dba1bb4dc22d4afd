"""The 64-bit mixing that the stage's own hashes are built from (shingles, band keys)."""

from __future__ import annotations

import numpy as np

CHAIN_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
"""2**64 / golden ratio: chains hashes (tokens into shingles, rows into band keys)."""

_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, element-wise on uint64 (products wrap modulo 2**64).

    A bijection on 64-bit values that spreads every input bit over the output: the
    pre-mix of datasketch's affine64 scheme, and the step of every hash chain here.
    """
    s, m1, m2 = _FMIX
    h = values ^ (values >> s)
    h = h * m1
    h = h ^ (h >> s)
    h = h * m2
    out: np.ndarray = h ^ (h >> s)
    return out

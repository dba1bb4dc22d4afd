"""Word shingles and MinHash signatures, hashed once and reused.

Shingles are hashed with xxh3 to 64-bit integers a single time: the integer sets serve the
exact verification of candidates, and the same integers feed `MinHash.bulk` (affine64
scheme, identity hash), so no shingle is hashed twice and no per-shingle `update` is made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import xxhash
from datasketch import MinHash

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

Shingles = frozenset[int]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; CJK text (no spaces) is split per character."""
    out: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        if _CJK.search(token):
            out.extend(token)
        else:
            out.append(token)
    return out


def shingles(text: str, size: int) -> Shingles:
    """Hashes of the `size`-word shingles; a shorter text is one shingle of all its words."""
    if size <= 0:
        raise ValueError(f"shingle size must be positive, got {size}")
    words = tokens(text)
    if not words:
        return frozenset()
    if len(words) <= size:
        return frozenset({xxhash.xxh3_64_intdigest(" ".join(words).encode())})
    return frozenset(
        xxhash.xxh3_64_intdigest(" ".join(words[i : i + size]).encode())
        for i in range(len(words) - size + 1)
    )


def _identity(value: int) -> int:
    return value


def minhashes(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> list[MinHash]:
    """One MinHash per shingle set, built in bulk (permutations shared across all)."""
    if num_perm <= 0:
        raise ValueError(f"num_perm must be positive, got {num_perm}")
    if not sets:
        return []
    hashes: list[MinHash] = MinHash.bulk(
        [sorted(s) for s in sets],
        num_perm=num_perm,
        seed=seed,
        hashfunc=_identity,
        scheme="affine64",
    )
    return hashes


def signature_matrix(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> np.ndarray:
    """The hash values of `minhashes` stacked: one row per set."""
    hashes = minhashes(sets, num_perm, seed)
    if not hashes:
        return np.zeros((0, num_perm), dtype=np.uint64)
    return np.vstack([m.hashvalues for m in hashes])


def jaccard(a: Shingles, b: Shingles) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def containment(inner: Shingles, outer: Shingles) -> float:
    """Share of `inner`'s shingles that are also in `outer`."""
    if not inner:
        return 0.0
    return len(inner & outer) / len(inner)

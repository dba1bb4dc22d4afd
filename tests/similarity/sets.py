"""Shingle sets as frozensets and their exact measures, for tests to check the package by.

The package works on `ShingleTable`s; these are the slow, obvious forms of the same
things, which tests compare its answers with.
"""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import MinHash
from hypothesis import strategies as st

from pipeline.similarity import Shingles, ShingleTable, permutations, shingle_table, signatures

VOCAB = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"]
"""A small vocabulary, so generated texts share words and shingles often."""


def corpus(max_texts: int, max_words: int = 30) -> st.SearchStrategy[list[str]]:
    """Lists of texts of `VOCAB` words, for pair searches to be checked on."""
    text = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=max_words).map(" ".join)
    return st.lists(text, min_size=0, max_size=max_texts)


def shingles(text: str, size: int) -> Shingles:
    """The shingle hashes of one text (`shingle_table` of that text alone)."""
    return shingle_table([text], size).set(0)


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


def table(sets: Sequence[Shingles]) -> ShingleTable:
    return ShingleTable.from_sets(sets)


def minhashes(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> list[MinHash]:
    """datasketch MinHash objects holding our signatures of these sets."""
    sig = signatures(ShingleTable.from_sets(sets), num_perm, seed)
    perms = permutations(num_perm, seed)
    return [
        MinHash(num_perm=num_perm, seed=seed, hashvalues=row, permutations=perms, scheme="affine64")
        for row in sig
    ]

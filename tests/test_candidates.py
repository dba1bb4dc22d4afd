"""Candidate pairs across a corpus: invariants (hypothesis) and agreement with datasketch."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.candidates import MatchSettings, find_pairs, intersections
from pipeline.fingerprint import ShingleTable, shingle_table, shingles, signatures

VOCAB = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"]
TEXT = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=30).map(" ".join)
CORPUS = st.lists(TEXT, min_size=0, max_size=12)
SETTINGS = MatchSettings(0.6, 0.7, 64, 0.99, 1, 500, 1000)


def exact(a: frozenset[int], b: frozenset[int]) -> tuple[float, float]:
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


@settings(max_examples=60, deadline=None)
@given(CORPUS)
def test_every_reported_pair_meets_its_threshold(texts: list[str]) -> None:
    sets = [shingles(t, 2) for t in texts]
    for pair in find_pairs(sets, SETTINGS).pairs:
        assert pair.a < pair.b
        jac, cont = exact(sets[pair.a], sets[pair.b])
        if pair.measure == "jaccard":
            assert jac >= SETTINGS.jaccard
            assert pair.similarity == round(jac, 4)
        else:
            assert pair.measure == "containment"
            assert cont >= (SETTINGS.containment or 0.0)
            assert pair.inner in (pair.a, pair.b)
            assert len(sets[pair.inner]) == min(len(sets[pair.a]), len(sets[pair.b]))


@settings(max_examples=40, deadline=None)
@given(CORPUS)
def test_containment_candidates_miss_nothing(texts: list[str]) -> None:
    """The prefix filter has no false negatives: brute force finds no more pairs."""
    sets = [shingles(t, 2) for t in texts]
    found = {(p.a, p.b) for p in find_pairs(sets, SETTINGS).pairs if p.measure == "containment"}
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            if not sets[i] or not sets[j] or not sets[i] & sets[j]:
                continue
            jac, cont = exact(sets[i], sets[j])
            if jac < SETTINGS.jaccard and cont >= (SETTINGS.containment or 0.0):
                assert (i, j) in found


@settings(max_examples=40, deadline=None)
@given(CORPUS)
def test_symmetric_and_idempotent(texts: list[str]) -> None:
    sets = [shingles(t, 2) for t in texts]
    first = find_pairs(sets, SETTINGS).pairs
    assert find_pairs(sets, SETTINGS).pairs == first
    flipped = find_pairs(sets[::-1], SETTINGS).pairs
    n = len(sets)
    mirrored = {(min(n - 1 - p.a, n - 1 - p.b), max(n - 1 - p.a, n - 1 - p.b)) for p in flipped}
    # Jaccard and containment pairs are the same pairs whatever the order of the corpus
    assert {(p.a, p.b) for p in first} == mirrored
    table = ShingleTable.from_sets(sets)
    assert find_pairs(table, SETTINGS).pairs == first


@settings(max_examples=40, deadline=None)
@given(CORPUS)
def test_intersections_are_exact(texts: list[str]) -> None:
    table = shingle_table(texts, 2)
    n = len(table)
    a, b = np.triu_indices(n, 1)
    counts = intersections(table, a, b)
    for x, y, c in zip(a, b, counts, strict=True):
        assert c == len(table.set(int(x)) & table.set(int(y)))


@settings(max_examples=30, deadline=None)
@given(CORPUS)
def test_signatures_equal_datasketch_bulk(texts: list[str]) -> None:
    table = shingle_table(texts, 3)
    mine = signatures(table, 32, seed=3)
    theirs = MinHash.bulk(
        [sorted(table.set(i)) for i in range(len(table))],
        num_perm=32,
        seed=3,
        hashfunc=lambda v: v,
        scheme="affine64",
    )
    for row, m in zip(mine, theirs, strict=True):
        assert np.array_equal(row, m.hashvalues)


@settings(max_examples=40, deadline=None)
@given(CORPUS, st.integers(min_value=1, max_value=4))
def test_table_rows_equal_single_text_shingles(texts: list[str], size: int) -> None:
    table = shingle_table(texts, size)
    assert len(table) == len(texts)
    for i, text in enumerate(texts):
        row = table.row(i)
        assert np.all(row[1:] > row[:-1])
        assert table.set(i) == shingles(text, size)

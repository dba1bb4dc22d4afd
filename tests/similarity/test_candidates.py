"""Candidate pairs across a corpus: invariants (hypothesis) and agreement with datasketch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.similarity import Caps, MatchSettings, ShingleTable, find_pairs, shingle_table
from pipeline.similarity.lsh import lsh_candidates
from pipeline.similarity.verify import intersections, round4
from tests.similarity.sets import corpus, shingles, table

CORPUS = corpus(12)
SETTINGS = MatchSettings(0.6, 0.7, 64, 0.99, 1, 500, 1000)


def exact(a: frozenset[int], b: frozenset[int]) -> tuple[float, float]:
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


@settings(max_examples=60, deadline=None)
@given(CORPUS)
def test_every_reported_pair_meets_its_threshold(texts: list[str]) -> None:
    sets = [shingles(t, 2) for t in texts]
    for pair in find_pairs(table(sets), SETTINGS).pairs:
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
    pairs = find_pairs(table(sets), SETTINGS).pairs
    found = {(p.a, p.b) for p in pairs if p.measure == "containment"}
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
    first = find_pairs(table(sets), SETTINGS).pairs
    assert find_pairs(table(sets), SETTINGS).pairs == first
    flipped = find_pairs(table(sets[::-1]), SETTINGS).pairs
    n = len(sets)
    mirrored = {(min(n - 1 - p.a, n - 1 - p.b), max(n - 1 - p.a, n - 1 - p.b)) for p in flipped}
    # Jaccard and containment pairs are the same pairs whatever the order of the corpus
    assert {(p.a, p.b) for p in first} == mirrored


@settings(max_examples=40, deadline=None)
@given(CORPUS)
def test_intersections_are_exact(texts: list[str]) -> None:
    rows = shingle_table(texts, 2)
    n = len(rows)
    a, b = np.triu_indices(n, 1)
    counts = intersections(rows, a, b)
    for x, y, c in zip(a, b, counts, strict=True):
        assert c == len(rows.set(int(x)) & rows.set(int(y)))


@settings(max_examples=40, deadline=None)
@given(CORPUS, st.integers(min_value=1, max_value=4))
def test_table_rows_equal_single_text_shingles(texts: list[str], size: int) -> None:
    rows = shingle_table(texts, size)
    assert len(rows) == len(texts)
    for i, text in enumerate(texts):
        row = rows.row(i)
        assert np.all(row[1:] > row[:-1])
        assert rows.set(i) == shingles(text, size)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 2), min_size=12, max_size=12), min_size=0, max_size=40),
    st.sampled_from([(4, 3), (6, 2), (12, 1)]),
)
def test_lsh_candidates_are_every_pair_sharing_a_band(
    rows_of_values: list[list[int]], banding: tuple[int, int]
) -> None:
    """One sort over all bands, with the unit index packed into each band hash's low
    bits, finds exactly the pairs that agree on some band (a tiny alphabet makes such
    agreements common)."""
    bands, rows = banding
    sig = np.asarray(rows_of_values, dtype=np.uint64).reshape(-1, 12)
    n = len(sig)
    expected = {
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if any(
            np.array_equal(sig[i, k * rows : (k + 1) * rows], sig[j, k * rows : (k + 1) * rows])
            for k in range(bands)
        )
    }
    caps = Caps()
    codes = lsh_candidates(sig, bands, rows, max_bucket=500, caps=caps)
    assert {(int(c) // n, int(c) % n) for c in codes} == expected
    assert caps.buckets_capped == 0


def test_lsh_buckets_are_capped_in_input_order() -> None:
    sig = np.zeros((6, 4), dtype=np.uint64)
    caps = Caps()
    codes = lsh_candidates(sig, 1, 4, max_bucket=3, caps=caps)
    assert {(int(c) // 6, int(c) % 6) for c in codes} == {(0, 1), (0, 2), (1, 2)}
    assert caps.buckets_capped == 1


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 10_000)), max_size=200))
def test_similarities_are_rounded_like_python(fractions: list[tuple[int, int]]) -> None:
    values = [min(p, q) / q for p, q in fractions] + [0.00005, 0.12345, 0.99995, 0.5]
    assert round4(np.asarray(values, dtype=np.float64)) == [round(v, 4) for v in values]


@settings(max_examples=30, deadline=None)
@given(CORPUS, st.data())
def test_a_taken_table_matches_like_fresh_sets(texts: list[str], data: st.DataObject) -> None:
    """`take` keeps the build's dense ids (`ranks`); pairs are the same as on sets."""
    whole = shingle_table(texts, 2)
    rows = data.draw(st.lists(st.integers(0, max(len(texts) - 1, 0)), unique=True))
    rows = rows if texts else []
    taken = whole.take(rows)
    fresh = ShingleTable.from_sets([whole.set(r) for r in rows])
    assert find_pairs(taken, SETTINGS).pairs == find_pairs(fresh, SETTINGS).pairs


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("jaccard", 0.0, id="jaccard-zero"),
        pytest.param("containment", 1.5, id="containment-above-one"),
        pytest.param("min_ratio", -0.1, id="negative-ratio"),
        pytest.param("max_bucket", 0, id="no-bucket"),
        pytest.param("max_postings", 0, id="no-postings"),
    ],
)
def test_bad_settings_are_rejected(field: str, value: float) -> None:
    fields = {
        "jaccard": 0.6,
        "containment": 0.7,
        "num_perm": 64,
        "recall": 0.99,
        "seed": 1,
        "max_bucket": 500,
        "max_postings": 1000,
    }
    with pytest.raises(ValueError, match=field):
        MatchSettings(**(fields | {field: value}))  # type: ignore[arg-type]

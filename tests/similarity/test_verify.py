"""Pair verification: the size filter refuses only pairs the exact check would refuse."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.similarity import MatchSettings
from pipeline.similarity.verify import feasible, judge_pairs

SIZES = st.integers(min_value=1, max_value=400)


@st.composite
def pair_of_sets(draw: st.DrawFn) -> tuple[int, int, int]:
    """Sizes of two sets and of their intersection (any consistent triple)."""
    la, lb = draw(SIZES), draw(SIZES)
    return la, lb, draw(st.integers(min_value=0, max_value=min(la, lb)))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(pair_of_sets(), min_size=1, max_size=30),
    st.floats(min_value=0.05, max_value=1.0),
    st.one_of(st.none(), st.floats(min_value=0.05, max_value=1.0)),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_the_size_filter_keeps_every_pair_the_check_accepts(
    triples: list[tuple[int, int, int]],
    jaccard: float,
    containment: float | None,
    min_ratio: float,
) -> None:
    match = MatchSettings(jaccard, containment, 64, 0.9, 1, 500, 1000, min_ratio)
    sizes = np.array([s for la, lb, _ in triples for s in (la, lb)], dtype=np.int64)
    a = np.arange(0, len(sizes), 2, dtype=np.int64)
    b = a + 1
    inter = np.array([i for _, _, i in triples], dtype=np.int64)
    accepted = {(p.a, p.b) for p in judge_pairs(a, b, inter, sizes, match)}
    kept = feasible(a, b, sizes, match)
    assert accepted <= {(int(x), int(y)) for x, y, k in zip(a, b, kept, strict=True) if k}


def test_far_apart_sizes_are_refused_before_their_sets_are_read() -> None:
    match = MatchSettings(0.7, 0.9, 64, 0.9, 1, 500, 1000, min_ratio=0.3)
    sizes = np.array([10, 1_000_000, 400_000, 1_000_000], dtype=np.int64)
    a, b = np.array([0, 2]), np.array([1, 3])
    assert feasible(a, b, sizes, match).tolist() == [False, True]

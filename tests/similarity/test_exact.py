"""Exact pairs of a small table: the brute-force answer, and never less than LSH finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from pipeline.model import Measure
from pipeline.similarity import MatchSettings, find_pairs
from pipeline.similarity.exact import EXACT_MAX_ROWS, exact_pairs
from tests.similarity.sets import containment, corpus, jaccard, shingles, table

CORPUS = corpus(16)
SETTINGS = [
    pytest.param(MatchSettings(0.6, 0.7, 64, 0.99, 1, 500, 1000), id="jaccard-and-containment"),
    pytest.param(MatchSettings(0.5, None, 64, 0.99, 1, 500, 1000), id="jaccard-only"),
    pytest.param(MatchSettings(0.8, 0.6, 64, 0.99, 1, 500, 1000, 0.3), id="min-ratio"),
]


def brute_force(
    texts: list[str], config: MatchSettings
) -> dict[tuple[int, int], tuple[str, float]]:
    sets = [shingles(t, 2) for t in texts]
    found = {}
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            x, y = sets[i], sets[j]
            if not x & y:
                continue
            small, large = sorted((x, y), key=len)
            if jaccard(x, y) >= config.jaccard:
                found[i, j] = (Measure.JACCARD, round(jaccard(x, y), 4))
            elif (
                config.containment is not None
                and len(small) >= config.min_ratio * len(large)
                and containment(small, large) >= config.containment
            ):
                found[i, j] = (Measure.CONTAINMENT, round(containment(small, large), 4))
    return found


@pytest.mark.parametrize("config", SETTINGS)
@settings(max_examples=60, deadline=None)
@given(texts=CORPUS)
def test_exact_pairs_are_the_brute_force_answer(texts: list[str], config: MatchSettings) -> None:
    result = exact_pairs(table([shingles(t, 2) for t in texts]), config)
    got = {(p.a, p.b): (p.measure, p.similarity) for p in result.pairs}
    assert got == brute_force(texts, config)
    assert [(p.a, p.b) for p in result.pairs] == sorted(got)


@pytest.mark.parametrize("config", SETTINGS)
@settings(max_examples=40, deadline=None)
@given(texts=CORPUS)
def test_exact_pairs_hold_every_pair_lsh_finds(texts: list[str], config: MatchSettings) -> None:
    sets = [shingles(t, 2) for t in texts]
    exact = set(exact_pairs(table(sets), config).pairs)
    assert set(find_pairs(table(sets), config).pairs) <= exact


def test_a_shingle_held_by_every_row() -> None:
    # One sentence under each of the largest table's rows: every pair shares it.
    texts = [f"word{i} other{i} and the same closing sentence here" for i in range(EXACT_MAX_ROWS)]
    config = MatchSettings(0.5, 0.6, 64, 0.99, 1, 500, 1000)
    result = exact_pairs(table([shingles(t, 2) for t in texts]), config)
    assert len(result.pairs) == EXACT_MAX_ROWS * (EXACT_MAX_ROWS - 1) // 2
    assert {p.measure for p in result.pairs} == {Measure.JACCARD}


def test_a_larger_table_is_refused() -> None:
    texts = [f"text {i}" for i in range(EXACT_MAX_ROWS + 1)]
    config = MatchSettings(0.5, 0.6, 64, 0.99, 1, 500, 1000)
    with pytest.raises(ValueError, match="at most 64 rows"):
        exact_pairs(table([shingles(t, 2) for t in texts]), config)

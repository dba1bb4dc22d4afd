"""`could_pair` is a bound: whenever it says no pair, the exact matcher finds none."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from pipeline.similarity import MatchSettings, could_pair, shingle_table, tokens, word_shingles
from pipeline.similarity.exact import exact_pairs
from pipeline.similarity.overlap import MAX_HOLDERS
from tests.similarity.sets import corpus

CORPUS = corpus(20, 24)
SETTINGS = [
    pytest.param(MatchSettings(0.5, 0.6, 128, 0.995, 1, 1000, 64), id="dedupe-defaults"),
    pytest.param(MatchSettings(0.8, None, 64, 0.99, 1, 500, 1000), id="jaccard-only"),
    pytest.param(MatchSettings(0.8, 0.6, 64, 0.99, 1, 500, 1000, 0.3), id="min-ratio"),
]


@pytest.mark.parametrize("config", SETTINGS)
@pytest.mark.parametrize("size", [1, 3], ids=["1-word", "3-word"])
@pytest.mark.parametrize("least", [1, 3], ids=["any-size", "3-shingles"])
@settings(max_examples=80, deadline=None)
@given(texts=CORPUS)
def test_no_pair_is_missed(texts: list[str], config: MatchSettings, size: int, least: int) -> None:
    table = shingle_table(texts, size)
    sizes = table.sizes.tolist()
    pairs = [p for p in exact_pairs(table, config).pairs if min(sizes[p.a], sizes[p.b]) >= least]
    if pairs:
        assert could_pair([tokens(t) for t in texts], size, config, least)


PAGES = {
    "distinct-paragraphs": (
        [
            "The council met on Tuesday to weigh the harbour plan.",
            "Fishermen said the new quay would cut their landing fees.",
            "A vote is expected before the summer recess.",
        ],
        False,
    ),
    "a-revised-paragraph": (
        [
            "The council met on Tuesday to weigh the harbour plan for the town.",
            "The council met on Tuesday evening to weigh the harbour plan for the town.",
        ],
        True,
    ),
    "a-quote-inside-a-longer-one": (
        [
            "Fishermen said the new quay would cut their landing fees.",
            "At the meeting, fishermen said the new quay would cut their landing fees, "
            "and the mayor agreed.",
        ],
        True,
    ),
    "one-text": (["The council met on Tuesday to weigh the harbour plan."], False),
}


@pytest.mark.parametrize(("texts", "expected"), PAGES.values(), ids=PAGES.keys())
def test_pages(texts: list[str], expected: bool) -> None:
    config = MatchSettings(0.5, 0.6, 128, 0.995, 1, 1000, 64)
    assert could_pair([tokens(t) for t in texts], 3, config, 3) is expected


def test_a_line_on_many_texts_passes_without_counting_its_pairs() -> None:
    texts = [f"story {i} ends: read more on our site today" for i in range(MAX_HOLDERS + 1)]
    config = MatchSettings(0.99, None, 64, 0.99, 1, 500, 1000)
    assert could_pair([tokens(t) for t in texts], 3, config)


def test_short_texts_are_one_shingle_and_empty_ones_none() -> None:
    assert word_shingles(["a", "b"], 3) == {("a", "b")}
    assert word_shingles([], 3) == set()
    assert word_shingles(["a", "b", "c", "d"], 3) == {("a", "b", "c"), ("b", "c", "d")}
    with pytest.raises(ValueError, match="positive"):
        word_shingles(["a"], 0)

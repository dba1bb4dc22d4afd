"""The benchmark's metric, and a floor on our F1 over a fixed subset of its pages.

The subset (tests/fixtures/scrapinghub: every fifth development page in id order) scores
F1 0.973, precision 0.980, recall 0.967 with the default configuration (trafilatura's
default mode alone: 0.947). The floors sit just under, so a change that loses about one
point fails here; `python -m bench.extraction` gives the figures on all 93 pages.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.datasets import site_of
from bench.extraction import load_pages, ours
from bench.scoring import (
    Match,
    TokenMatch,
    match,
    score,
    score_texts,
    shingles,
    snippet_counts,
    token_match,
    token_score,
)
from tests.support import FIXTURES

SUBSET = FIXTURES / "scrapinghub"
FLOOR_F1 = 0.96
FLOOR_PRECISION = 0.965
FLOOR_RECALL = 0.955


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("one two three four five", 2, id="two-shingles"),
        pytest.param("a, b; c!", 1, id="short-text-one-shingle"),
        pytest.param("", 0, id="empty"),
        pytest.param("— … —", 0, id="no-word-characters"),
    ],
)
def test_shingle_counts(text: str, expected: int) -> None:
    assert sum(shingles(text).values()) == expected


def test_shingles_keep_case_and_multiplicity() -> None:
    counts = shingles("la la la la la The the")
    assert counts[("la", "la", "la", "la")] == 2
    assert ("la", "The", "the") not in counts
    assert counts[("la", "la", "The", "the")] == 1


@pytest.mark.parametrize(
    ("truth", "prediction", "expected"),
    [
        pytest.param("a b c d e", "a b c d e", Match(1.0, 0.0, 0.0), id="exact"),
        # truth shingles: abcd, bcde; predicted: abcd, bcdx -> 1 shared, 1 extra, 1 missed
        pytest.param("a b c d e", "a b c d x", Match(1 / 3, 1 / 3, 1 / 3), id="one-off"),
        pytest.param("a b c d e", "", Match(0.0, 0.0, 1.0), id="nothing-predicted"),
        pytest.param("", "", Match(0.0, 0.0, 0.0), id="both-empty"),
    ],
)
def test_match_is_scaled_per_document(truth: str, prediction: str, expected: Match) -> None:
    assert match(truth, prediction) == pytest.approx(expected)


def test_score_averages_documents_then_takes_harmonic_mean() -> None:
    matches = [Match(0.5, 0.5, 0.0), Match(1.0, 0.0, 0.0), Match(0.0, 0.0, 1.0)]
    result = score(matches)
    # precision over docs with TP+FP > 0 (first two): (0.5 + 1) / 2
    assert result.precision == pytest.approx(0.75)
    # recall over docs with TP+FN > 0 (all three): (1 + 1 + 0) / 3
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    assert result.documents == 3


def test_score_of_perfect_predictions_is_one() -> None:
    result = score_texts([("a b c d e", "a b c d e"), ("x y", "x y")])
    assert (result.f1, result.precision, result.recall) == (1.0, 1.0, 1.0)


def test_pipeline_f1_floor_on_fixed_subset() -> None:
    pages = load_pages(SUBSET)
    assert len(pages) == 19
    extract = ours()
    result = score(match(page.truth, extract(page)) for page in pages)
    assert result.precision >= FLOOR_PRECISION, result
    assert result.recall >= FLOOR_RECALL, result
    assert result.f1 >= FLOOR_F1, result


@given(st.text(max_size=200), st.text(max_size=200))
def test_match_is_a_split_of_one(truth: str, prediction: str) -> None:
    m = match(truth, prediction)
    assert min(m.tp, m.fp, m.fn) >= 0.0
    assert m.tp + m.fp + m.fn == pytest.approx(
        1.0 if shingles(truth) or shingles(prediction) else 0
    )
    assert match(truth, truth).fp == match(truth, truth).fn == 0.0


@pytest.mark.parametrize(
    ("truth", "prediction", "expected"),
    [
        pytest.param("The cat sat", "the CAT sat", TokenMatch(1.0, 1.0, 1.0), id="case-folded"),
        # predicted: a a b (3), truth: a b c d (4), shared a b -> P 2/3, R 1/2
        pytest.param("a b c d", "a a b", TokenMatch(2 / 3, 0.5, 4 / 7), id="multiset"),
        pytest.param("", "", TokenMatch(1.0, 1.0, 1.0), id="both-empty"),
        pytest.param("a b", "", TokenMatch(0.0, 0.0, 0.0), id="nothing-predicted"),
        pytest.param("", "a b", TokenMatch(0.0, 0.0, 0.0), id="nothing-true"),
    ],
)
def test_token_match(truth: str, prediction: str, expected: TokenMatch) -> None:
    got = token_match(truth, prediction)
    assert (got.precision, got.recall, got.f1) == pytest.approx(
        (expected.precision, expected.recall, expected.f1)
    )


def test_token_score_is_plain_mean_over_pages() -> None:
    result = token_score([TokenMatch(1.0, 0.5, 2 / 3), TokenMatch(0.0, 0.0, 0.0)])
    assert (result.precision, result.recall, result.f1) == pytest.approx((0.5, 0.25, 1 / 3))


def test_snippets_match_lowercase_and_normalised_whitespace() -> None:
    counts = snippet_counts(
        "The Quick\n brown fox.  Jumps", ["quick brown", "brown  fox. jumps", "lazy dog"], ["Home"]
    )
    assert (counts.with_found, counts.with_total) == (2, 3)
    assert (counts.without_absent, counts.without_total) == (1, 1)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        pytest.param("https://www.bbc.co.uk/news/x", "bbc.co.uk", id="public-suffix"),
        pytest.param("https://blog.example.com/post", "example.com", id="subdomain"),
        pytest.param("", "?", id="no-url"),
    ],
)
def test_site_is_registered_domain(url: str, site: str) -> None:
    assert site_of(url) == site


WCXB_PAGES = load_pages(
    FIXTURES / "wcxb", ids=["wcxb0010", "wcxb4555", "wcxb4715", "wcxb0094", "wcxb0449"]
)
"""Pages on which the article was lost before: to a fragment from extraction (wcxb0010,
wcxb4555, wcxb4715) or to an end marker inside the story (wcxb0094, wcxb0449). Not
wcxb4340, a fixture of the fallback's tests: its article is lost by both of trafilatura's
passes (a known limit)."""
FLOOR_PAGE_RECALL = 0.8


@pytest.mark.parametrize("page", WCXB_PAGES, ids=[p.id for p in WCXB_PAGES])
def test_the_whole_run_keeps_the_article(page) -> None:  # type: ignore[no-untyped-def]
    result = token_match(page.truth, ours()(page))
    assert result.recall >= FLOOR_PAGE_RECALL, result
    assert result.precision >= 0.8, result

"""Linking and resolving near duplicates: which copy stays, under either `keep`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import DedupeConfig
from pipeline.dedupe import near_duplicates
from pipeline.dedupe.within import gate_links, link_paragraphs
from pipeline.model import KeepRevision, Measure

LATEST = DedupeConfig()
FIRST = DedupeConfig(keep=KeepRevision.FIRST)
A = (
    "TikTok is to pull its app from Hong Kong app stores and Zoom will stop complying with "
    "city authorities data requests as social media companies react to the new laws."
)
A_EDIT = (
    "TikTok is to withdraw from Hong Kong app stores and Zoom will stop complying with "
    "city authorities data requests as technology companies react to the new laws."
)
QUOTE = "We are assessing the new law, which went into effect less than a week ago, said Apple."
LONG_1 = (
    "In a statement sent to reporters on Tuesday the company explained at some length why "
    "it had not yet received any request from the city police or the courts since July. " + QUOTE
)
LONG_2 = (
    "A very different paragraph about ferries, harbour traffic and the price of fuel in the "
    "winter months, which the shipping companies say has doubled since last year. " + QUOTE
)
A_LONGER = A + " The company did not say when."
OTHER = "The weather in the harbour was calm and the ferries ran on time all week long."


@pytest.mark.parametrize(
    ("config", "dropped", "kept"),
    [
        pytest.param(LATEST, 0, 2, id="latest-keeps-the-later-wording"),
        pytest.param(FIRST, 2, 0, id="first-keeps-the-earlier-wording"),
    ],
)
def test_revision_pair_keeps_one_and_records_similarity(
    config: DedupeConfig, dropped: int, kept: int
) -> None:
    found = near_duplicates([A, OTHER, A_EDIT], config)
    assert set(found) == {dropped}
    assert found[dropped].index == kept
    assert found[dropped].measure is Measure.JACCARD
    assert 0.5 <= found[dropped].similarity < 1.0


def test_the_order_given_overrides_the_sequence() -> None:
    """Tracker lines said the first copy is the later revision (a newest-first dump)."""
    found = near_duplicates([A, OTHER, A_EDIT], LATEST, order=[3.0, 2.0, 1.0])
    assert set(found) == {2}
    assert found[2].index == 0


@pytest.mark.parametrize(
    ("config", "dropped", "kept"),
    [pytest.param(LATEST, 0, 1, id="latest"), pytest.param(FIRST, 1, 0, id="first")],
)
def test_exact_copies_keep_the_preferred_one(config: DedupeConfig, dropped: int, kept: int) -> None:
    found = near_duplicates([A, A], config)
    assert set(found) == {dropped}
    assert found[dropped].index == kept
    assert found[dropped].measure is Measure.EXACT


def test_an_earlier_paragraph_inside_a_later_one_goes() -> None:
    found = near_duplicates([QUOTE, OTHER, LONG_1], LATEST)
    assert set(found) == {0}
    assert found[0].index == 2
    assert found[0].measure is Measure.CONTAINMENT
    assert found[0].similarity == 1.0


def test_a_later_trimmed_revision_replaces_the_longer_one_it_covers() -> None:
    """The later revision dropped a sentence: the older, longer copy is what it replaced."""
    found = near_duplicates([A_LONGER, OTHER, A], LATEST)
    assert set(found) == {0}
    assert found[0].index == 2
    assert found[0].measure in {Measure.CONTAINS, Measure.JACCARD}


def test_a_long_paragraph_is_not_dropped_for_a_later_quote_of_it() -> None:
    """The quote covers only a third of the paragraph: the rest is only there."""
    found = near_duplicates([LONG_1, OTHER, QUOTE], LATEST)
    assert 0 not in found


def test_shared_quote_does_not_chain_two_different_paragraphs() -> None:
    found = near_duplicates([LONG_1, QUOTE, LONG_2], LATEST)
    assert set(found) == {1}
    assert found[1].index in {0, 2}


def test_thousands_of_identical_lines_stay_cheap() -> None:
    texts = ["Share this article on your favourite social network now"] * 5000 + [A]
    found = near_duplicates(texts, LATEST)
    assert len(found) == 4999
    assert all(d.index == 4999 for d in found.values())


def test_disabled_finds_nothing() -> None:
    assert near_duplicates([A, A], DedupeConfig(enabled=False)) == {}


SENTENCES = st.lists(
    st.sampled_from([A, A_EDIT, A_LONGER, QUOTE, LONG_1, LONG_2, OTHER, "Short one.", ""]),
    min_size=0,
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(SENTENCES, st.sampled_from([LATEST, FIRST]))
def test_duplicates_point_at_kept_paragraphs_and_are_idempotent(
    texts: list[str], config: DedupeConfig
) -> None:
    found = near_duplicates(texts, config)
    kept = [i for i in range(len(texts)) if i not in found]
    assert all(d.index in kept for d in found.values())
    # Deduplicating what was kept finds nothing more (idempotence).
    again = near_duplicates([texts[i] for i in kept], config)
    assert again == {}


_WORDS = ["harbour", "plan", "the", "council", "met", "on", "tuesday", "fees", "quay", "vote"]
_PARAGRAPH = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=18).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PARAGRAPH, st.sampled_from([A, A_EDIT, QUOTE, LONG_1])), max_size=12))
def test_the_gate_reads_the_links_link_paragraphs_finds(texts: list[str]) -> None:
    """With or without the shingle table, the gate sees the same links."""
    links = link_paragraphs(texts, LATEST)
    revised = [
        (links.units[p.a], links.units[p.b]) for p in links.pairs if p.measure is Measure.JACCARD
    ]
    assert gate_links(texts, LATEST) == (links.linked(), revised)

"""In-document near duplicates: revisions, containment, exact copies, and no chaining."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import DedupeConfig
from pipeline.dedupe import near_duplicates

CFG = DedupeConfig()
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
OTHER = "The weather in the harbour was calm and the ferries ran on time all week long."


def test_revision_pair_keeps_the_more_complete_and_records_similarity() -> None:
    found = near_duplicates([A, OTHER, A_EDIT], CFG)
    assert set(found) == {2}
    assert found[2].index == 0
    assert found[2].measure == "jaccard"
    assert 0.5 <= found[2].similarity < 1.0


def test_tie_keeps_the_later_one() -> None:
    found = near_duplicates([A, A], CFG)
    assert set(found) == {0}
    assert found[0].index == 1


def test_contained_paragraph_is_dropped_in_favour_of_the_container() -> None:
    found = near_duplicates([QUOTE, OTHER, LONG_1], CFG)
    assert set(found) == {0}
    assert found[0].index == 2
    assert found[0].measure == "containment"
    assert found[0].similarity == 1.0


def test_shared_quote_does_not_chain_two_different_paragraphs() -> None:
    found = near_duplicates([LONG_1, QUOTE, LONG_2], CFG)
    assert set(found) == {1}
    assert found[1].index in {0, 2}


def test_thousands_of_identical_lines_stay_cheap() -> None:
    texts = ["Share this article on your favourite social network now"] * 5000 + [A]
    found = near_duplicates(texts, CFG)
    assert len(found) == 4999
    assert all(d.index == 4999 for d in found.values())


def test_disabled_finds_nothing() -> None:
    assert near_duplicates([A, A], DedupeConfig(enabled=False)) == {}


SENTENCES = st.lists(
    st.sampled_from([A, A_EDIT, QUOTE, LONG_1, LONG_2, OTHER, "Short one.", ""]),
    min_size=0,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(SENTENCES)
def test_duplicates_point_at_kept_paragraphs_and_are_idempotent(texts: list[str]) -> None:
    found = near_duplicates(texts, CFG)
    kept = [i for i in range(len(texts)) if i not in found]
    assert all(d.index in kept for d in found.values())
    # Deduplicating what was kept finds nothing more (idempotence).
    again = near_duplicates([texts[i] for i in kept], CFG)
    assert again == {}

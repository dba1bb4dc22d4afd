"""What the passes know of a paragraph: words, sentence, headline shape, stopwords."""

from __future__ import annotations

import pytest

from pipeline.clean.lines import describe, stopword_share, word_count
from pipeline.model import Paragraph, ParagraphKind


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Three short words", 3),
        ("l'été, c'est-à-dire", 6),
        ("阅读简体中文版", 3),  # no spaces: two characters to a word
        ("", 0),
    ],
)
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("The council voted on Tuesday.", True),
        ("“The council voted on Tuesday!”", True),
        ("Too short.", False),
        ("The council voted on Tuesday", False),
    ],
)
def test_a_sentence_ends_as_one_with_four_words_or_more(text: str, sentence: bool) -> None:
    assert describe(Paragraph(text)).sentence is sentence


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("Council approves tram budget", True),
        ("2024 budget passes after debate", True),
        ("council approves tram budget", False),
        ("Council approves tram budget.", False),
        ("Budget passes", False),
        ("“Council approves tram budget”", False),
    ],
)
def test_headline_shape(text: str, headline: bool) -> None:
    assert describe(Paragraph(text)).headline_like is headline


def test_describe_keeps_kind_and_link_share() -> None:
    line = describe(Paragraph("Read more", ParagraphKind.LIST_ITEM, 0.9))
    assert (line.kind, line.link_share, line.words) == (ParagraphKind.LIST_ITEM, 0.9, 2)


def test_stopword_share() -> None:
    assert stopword_share("the cat and the dog") == 3 / 5
    assert stopword_share("World Business Tech") == 0.0
    assert stopword_share("...") == 0.0

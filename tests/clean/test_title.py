"""The headline: found in plain text, its variants recorded, its repeats removed."""

from __future__ import annotations

from pipeline.clean import clean_paragraphs
from pipeline.clean.title import overlap
from pipeline.model import Paragraph, ParagraphKind
from tests.clean.story import BODY, CFG


def test_plain_text_headline_is_found_after_menu_lines() -> None:
    texts = [
        "menu",
        "example blog stats",
        "Hi, what are you looking for?",
        "Council approves tram budget after long debate",
        "transport, council",
        *BODY,
    ]
    decision = clean_paragraphs([Paragraph(t) for t in texts], CFG, find_title=True)
    assert decision.title == "Council approves tram budget after long debate"
    assert [texts[i] for i in decision.kept] == BODY
    reasons = {r.text: r.reason for r in decision.removed}
    assert reasons["menu"] == "navigation"
    assert reasons["example blog stats"] == "before-title"
    assert reasons["Hi, what are you looking for?"] == "search-box"
    assert reasons["transport, council"] == "tags"


def test_headline_variants_are_recorded() -> None:
    texts = ["Council approves tram budget", "Council backs new tram budget after debate", *BODY]
    decision = clean_paragraphs([Paragraph(t) for t in texts], CFG, find_title=True)
    assert decision.title == texts[0]
    assert {r.reason for r in decision.removed} == {"title", "alternate-headline"}


def test_title_repeat_is_removed_for_html() -> None:
    title = "Council approves tram budget"
    decision = clean_paragraphs(
        [Paragraph(title, ParagraphKind.HEADING), *map(Paragraph, BODY)], CFG, title=title
    )
    assert decision.kept == (1, 2, 3)
    assert decision.title == title


def test_overlap_counts_content_words_of_the_shorter_text() -> None:
    assert overlap("The council approves the budget", "Council budget approved") == 2 / 3
    assert overlap("the of and", "council") == 0.0

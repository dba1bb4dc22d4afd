"""Body lines the cleaning once removed as chrome: a plain list opening the story, a
short heading, a list item or heading ending in a parenthesis with a slash."""

from __future__ import annotations

import pytest

from pipeline.clean import clean_paragraphs
from pipeline.model import Paragraph, ParagraphKind, Reason
from tests.clean.story import BODY, CFG

LI = ParagraphKind.LIST_ITEM
TEXT = ParagraphKind.TEXT


def _kept(paragraphs: list[Paragraph]) -> list[str]:
    decision = clean_paragraphs(paragraphs, CFG, links_marked=True)
    return [paragraphs[i].text for i in decision.kept]


# The shapes of real pages: a game's console codes, a changelog, a review's picks above
# its first paragraph; a menu above a story is made of links.
@pytest.mark.parametrize(
    ("items", "share", "story_list"),
    [
        pytest.param(
            ["player.setav speedmult 100", "player.setav health 500", "player.setav stamina"],
            0.0,
            True,
            id="console-codes",
        ),
        pytest.param(
            ["More questions for your opponent", "Challenges coming soon", "Bugs fixed"],
            0.0,
            True,
            id="changelog",
        ),
        pytest.param(["Home", "World News", "Sport Results"], 1.0, False, id="linked-menu"),
    ],
)
def test_a_plain_list_above_the_story_is_the_storys(
    items: list[str], share: float, story_list: bool
) -> None:
    paragraphs = [Paragraph(t, LI, share) for t in items] + [Paragraph(t) for t in BODY]
    kept = _kept(paragraphs)
    assert all(item in kept for item in items) is story_list
    assert kept[-3:] == BODY


def test_in_a_text_dump_an_unlinked_list_above_the_story_is_still_a_menu() -> None:
    """A text dump marks no links: its menus are unlinked lists too, so a list above its
    story is judged as before, where an HTML page's is the story's."""
    items = ["Opinion and Analysis", "Culture and Arts", "Science and Climate"]
    paragraphs = [Paragraph(t, LI) for t in items] + [Paragraph(t) for t in BODY]
    decision = clean_paragraphs(paragraphs, CFG, links_marked=False)
    assert [paragraphs[i].text for i in decision.kept] == BODY
    plain = clean_paragraphs(paragraphs, CFG, links_marked=True)
    assert [paragraphs[i].text for i in plain.kept] == items + BODY


def test_two_plain_items_above_the_story_are_still_chrome() -> None:
    """A run shorter than three (a "Log in" and a "Sign up") is no list of the story's."""
    items = ["Log in to:", "Sign up for:"]
    paragraphs = [Paragraph(t, LI) for t in items] + [Paragraph(t) for t in BODY]
    assert _kept(paragraphs) == BODY


@pytest.mark.parametrize(
    ("text", "kind", "kept"),
    [
        pytest.param("FAQ", ParagraphKind.HEADING, True, id="heading-faq"),
        pytest.param("SQL", ParagraphKind.HEADING, True, id="heading-sql"),
        pytest.param("iOS", ParagraphKind.HEADING, True, id="heading-ios"),
        pytest.param("___", ParagraphKind.HEADING, False, id="heading-rule"),
        pytest.param("\u200b", ParagraphKind.HEADING, False, id="heading-zero-width"),
        pytest.param("FAQ", TEXT, False, id="text-fragment"),
    ],
)
def test_a_short_heading_inside_the_story_is_a_section_title(
    text: str, kind: ParagraphKind, kept: bool
) -> None:
    paragraphs = [Paragraph(BODY[0]), Paragraph(text, kind), Paragraph(BODY[1]), Paragraph(BODY[2])]
    assert (text in _kept(paragraphs)) is kept


@pytest.mark.parametrize(
    ("text", "kind", "kept"),
    [
        pytest.param("Best Value: Sonic 7 running shoe (Men’s/Women’s)", LI, True, id="item"),
        pytest.param(
            "2. Epipremnum aureum (Golden Pothos / Devil’s Ivy)",
            ParagraphKind.HEADING,
            True,
            id="heading",
        ),
        pytest.param(
            "Firefighters at the scene on Tuesday (Kevin Smith/Getty Images)",
            TEXT,
            False,
            id="caption",
        ),
    ],
)
def test_a_credit_shape_is_a_caption_only_in_a_paragraph_of_its_own(
    text: str, kind: ParagraphKind, kept: bool
) -> None:
    paragraphs = [Paragraph(BODY[0]), Paragraph(text, kind), Paragraph(BODY[1]), Paragraph(BODY[2])]
    decision = clean_paragraphs(paragraphs, CFG, links_marked=True)
    assert (1 in decision.kept) is kept
    if not kept:
        assert decision.removed[0].reason is Reason.CAPTION

"""The positional passes: preamble, body and tail decide what a short line is."""

from __future__ import annotations

import pytest

from pipeline.clean import clean_paragraphs
from pipeline.clean.lines import Reasons, describe
from pipeline.clean.structure import (
    body_start,
    drop_datelines,
    drop_outside_body,
    drop_teaser_list,
)
from pipeline.model import Paragraph, ParagraphKind, Reason
from tests.clean.story import BODY, CFG, kept


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param("Related Articles", id="related"),
        pytest.param("You might also like", id="also-like"),
        pytest.param("Leave a comment", id="leave-comment"),
        pytest.param("More from Business", id="more-from"),
        pytest.param("12 Comments", id="comments-count"),
        pytest.param("Read This Next", id="read-this-next"),
        pytest.param("Related content", id="related-content"),
        pytest.param("Recent Posts", id="recent-posts"),
        pytest.param("Other Posts:", id="other-posts"),
        pytest.param("Explore more", id="explore-more"),
        pytest.param(
            "You may be interested in the following topics as well:", id="interested-following"
        ),
    ],
)
def test_end_marker_drops_everything_after(marker: str) -> None:
    teaser = (
        "Another story entirely about a football match that ended in a draw after a late "
        "penalty, with both managers complaining about the referee afterwards."
    )
    texts = [*BODY, marker, teaser, "Read more"]
    paragraphs = [Paragraph(t) for t in texts]
    decision = clean_paragraphs(paragraphs, CFG)
    assert [texts[i] for i in decision.kept] == BODY
    reasons = {r.text: r.reason for r in decision.removed}
    assert reasons[marker] == "end-of-article"
    assert reasons[teaser] == "after-end-of-article"


def test_subheadings_inside_the_body_arekept() -> None:
    texts = [BODY[0], "Critics push back", BODY[1], "What happens next", BODY[2]]
    assert kept(texts) == texts


def test_short_lines_in_preamble_and_tail_are_dropped() -> None:
    texts = ["Home", "World", "Politics", *BODY, "Example Daily", "Contact"]
    assert kept(texts) == BODY


def test_update_notes_are_kept_in_the_tail() -> None:
    note = "Update (March 3, 2024): This story has been updated with the mayor's comments."
    assert kept([*BODY, note]) == [*BODY, note]


def test_link_list_run_is_navigation() -> None:
    texts = [BODY[0], "World", "Business", "Tech", "Sport", BODY[1], BODY[2]]
    assert kept(texts) == BODY


def test_the_body_starts_at_the_first_paragraph_of_prose() -> None:
    lines = [describe(Paragraph(t)) for t in ["Home", "A short line here.", *BODY]]
    assert body_start(lines, {}, CFG) == 2
    assert body_start(lines, {2: (Reason.NAVIGATION, "x")}, CFG) == 3
    assert body_start(lines[:2], {}, CFG) == 0


def test_datelines_and_the_page_address_above_the_story() -> None:
    texts = ["March 3, 2024 10:15", "https://example.com/story", "By the desk", *BODY]
    lines = [describe(Paragraph(t)) for t in texts]
    reasons: Reasons = {}
    drop_datelines(lines, reasons, body_start(lines, reasons, CFG))
    assert reasons == {
        0: (Reason.BYLINE, "preamble_dateline"),
        1: (Reason.SITE_CHROME, "preamble_url"),
    }


def items(texts: list[str], link_share: float) -> list[Paragraph]:
    return [Paragraph(t, ParagraphKind.LIST_ITEM, link_share) for t in texts]


TEASERS = ["Council elects new chair", "Tram works delayed", "Budget row deepens"]


@pytest.mark.parametrize(
    ("lead", "dropped"),
    [("The story ends here.", True), ("Three stories follow:", False)],
    ids=["after-the-story", "introduced-by-a-colon"],
)
def test_a_closing_list_of_links_is_a_teaser_list(lead: str, dropped: bool) -> None:
    paragraphs = [*map(Paragraph, BODY), Paragraph(lead), *items(TEASERS, 1.0)]
    lines = [describe(p) for p in paragraphs]
    reasons: Reasons = {}
    drop_teaser_list(lines, reasons, 0)
    expected = {i: (Reason.TEASER, "related_list") for i in range(4, 7)} if dropped else {}
    assert reasons == expected


def test_a_plain_closing_list_is_not_tail_chrome() -> None:
    """Short items without links after the story are its own list (ingredients), which
    `drop_outside_body` leaves to the other passes."""
    paragraphs = [*map(Paragraph, BODY), *items(["Eggs", "Flour", "Milk"], 0.0)]
    lines = [describe(p) for p in paragraphs]
    reasons: Reasons = {}
    drop_outside_body(lines, reasons, 0, CFG)
    assert reasons == {}


SEQUELS = {
    "related-box-mid-story": (
        ["Related", ("Five things to know about the new tram line", 1.0), *BODY[1:]],
        True,
    ),
    "more-on-aside-then-story": (["More on this story", *BODY[1:]], True),
    "teaser-list-with-summaries": (
        [
            "More from Business",
            ("Shares slide as the central bank holds its rate", 1.0),
            "Markets fell across the region on Thursday after the central bank kept its main "
            "rate unchanged, disappointing traders who had hoped for a cut this month.",
            "March 3, 2024",
            ("The airline that wants to fly you to the moon", 1.0),
            "A start-up says it will sell tickets for a lunar flyby within a decade, though "
            "engineers doubt that its rocket will be ready by the end of the next decade.",
            "March 2, 2024",
        ],
        False,
    ),
    "comment-thread": (
        [
            "3 Comments",
            "Jane Doe says:",
            "March 3, 2024 at 5:12 pm",
            "I have lived in this city for thirty years and the trams were the best thing it "
            "ever had, so I am glad that somebody is finally bringing them back to us.",
            "Reply",
            "Tom says:",
            "March 3, 2024 at 6:40 pm",
            "Another waste of money that will be over budget and late, just like the bridge "
            "they promised us ten years ago and never finished for all the talk about it.",
            "Reply",
        ],
        False,
    ),
    "one-teaser-paragraph": (
        [
            "You might also like",
            "Another story entirely about a football match that ended in a draw after a late "
            "penalty, with both managers complaining about the referee afterwards.",
        ],
        False,
    ),
}


@pytest.mark.parametrize(("sequel", "goes_on"), list(SEQUELS.values()), ids=list(SEQUELS))
def test_end_marker_cuts_only_when_chrome_follows(
    sequel: list[str | tuple[str, float]], goes_on: bool
) -> None:
    items = [BODY[0], *sequel]
    paragraphs = [
        Paragraph(t[0], link_share=t[1]) if isinstance(t, tuple) else Paragraph(t) for t in items
    ]
    decision = clean_paragraphs(paragraphs, CFG)
    kept_texts = [paragraphs[i].text for i in decision.kept]
    reasons = {r.position: r.reason for r in decision.removed}
    assert reasons[1] == Reason.END_OF_ARTICLE  # the marker line itself always goes
    if goes_on:
        assert kept_texts == BODY
        assert Reason.AFTER_END_OF_ARTICLE not in reasons.values()
    else:
        assert kept_texts == BODY[:1]
        assert reasons[len(items) - 1] == Reason.AFTER_END_OF_ARTICLE


def test_a_later_marker_still_ends_the_story() -> None:
    texts = [BODY[0], "Related", BODY[1], BODY[2], "Leave a Reply", "Name", "Website"]
    decision = clean_paragraphs([Paragraph(t) for t in texts], CFG)
    assert [texts[i] for i in decision.kept] == BODY
    assert {r.text: r.reason for r in decision.removed}["Website"] == (Reason.AFTER_END_OF_ARTICLE)


CODES = ["player.setav speedmult 100", "player.setav health 500", "player.setav stamina 300"]


@pytest.mark.parametrize(
    ("lead", "share", "story_line"),
    [
        pytest.param("Running speed can be raised with console codes", 0.0, True, id="lead-in"),
        pytest.param("Games / Guides / Skyrim", 1.0, False, id="linked-breadcrumb"),
    ],
)
def test_the_line_introducing_the_storys_opening_list_is_the_storys(
    lead: str, share: float, story_line: bool
) -> None:
    """Above the story's own plain list, the unlinked line right before it introduces it;
    a linked one is the page's navigation."""
    paragraphs = [
        Paragraph(lead, ParagraphKind.TEXT, share),
        *(Paragraph(t, ParagraphKind.LIST_ITEM) for t in CODES),
        *(Paragraph(t) for t in BODY),
    ]
    decision = clean_paragraphs(paragraphs, CFG, links_marked=True)
    kept_texts = [paragraphs[i].text for i in decision.kept]
    assert (lead in kept_texts) is story_line
    assert kept_texts[-6:] == [*CODES, *BODY]


ROUND_UP = [
    "Heritage (1-0): Armani Sheffield 19 points and 3 steals. Kelli Howard 6 steals.",
    "Viera (4-0): K. Hupfer 1 goal. L. Patikas 1 goal. Z. Nielsen 1 goal. A. Sanger 2 saves.",
    "Melbourne (3-0): Osas Osaro 3 goals, 1 assist. Aden O'Hara 2 goals, 2 assists.",
]
"""A round-up's sections: one prose-like line of results under each heading."""


@pytest.mark.parametrize(
    ("first", "later", "section"),
    [
        pytest.param("GIRLS BASKETBALL", ["BOYS SOCCER", "GIRLS SOCCER"], True, id="same-make"),
        pytest.param("GIRLS BASKETBALL", ["BOYS SOCCER"], False, id="one-alike-only"),
        pytest.param("SPORTS", ["BOYS SOCCER", "GIRLS SOCCER"], False, id="kicker-shorter"),
        pytest.param("Girls Basketball", ["Boys Soccer", "Girls Soccer"], False, id="mixed-case"),
    ],
)
def test_a_heading_above_the_story_like_its_section_headings_opens_the_first_section(
    first: str, later: list[str], section: bool
) -> None:
    """A round-up's first section starts above its first line of prose: the sport's
    heading and the box score under it, when the later sections' headings are of its
    make; otherwise a heading and short lines above the story are its preamble."""
    box = ["Palm Bay d. Rockledge 70-44", "Rockledge 14 11 6 15 — 44"]
    heading = ParagraphKind.HEADING
    paragraphs = [
        Paragraph(first, heading),
        *(Paragraph(t) for t in box),
        Paragraph(ROUND_UP[0]),
        Paragraph(later[0], heading),
        Paragraph(ROUND_UP[1]),
        *(Paragraph(t, heading) for t in later[1:]),
        Paragraph(ROUND_UP[2]),
    ]
    decision = clean_paragraphs(paragraphs, CFG, links_marked=True)
    kept_texts = [paragraphs[i].text for i in decision.kept]
    assert all(t in kept_texts for t in [first, *box]) is section
    assert all(t in kept_texts for t in ROUND_UP)

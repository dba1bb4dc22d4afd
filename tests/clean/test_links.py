"""Lists, tables and link runs on HTML pages: the story's own, or navigation.

On a page that marks its links, a menu or a list of other stories is made of links; a
run of short unlinked lines (pros and cons, a spec table) is the story's. Plain text has
no links, and there a run of short lines with hardly a stopword is still a menu.
"""

from __future__ import annotations

import pytest

from pipeline.clean import clean_paragraphs
from pipeline.model import Paragraph, ParagraphKind, Reason
from tests.clean.story import BODY, CFG

LIST, TABLE, TEXT = ParagraphKind.LIST_ITEM, ParagraphKind.TABLE, ParagraphKind.TEXT
LINKED_BODY = [Paragraph(BODY[0], link_share=0.05), Paragraph(BODY[1]), Paragraph(BODY[2])]
"""The story with one link in its first paragraph: the page marks its links (HTML)."""


def run(texts: list[str], kind: ParagraphKind, link_share: float) -> list[Paragraph]:
    return [Paragraph(t, kind, link_share) for t in texts]


PROS = run(["Pros", "Long battery life", "Bright screen", "Cons", "Heavy", "Pricey"], LIST, 0.0)
SPECS = run(["Battery | 8", "Screen | 9", "Weight | 1.2 kg", "Price | $499"], TABLE, 0.0)
PRODUCTS = run(["Oral-B iO Series 8", "Philips Sonicare 4100", "Oclean X Pro"], LIST, 1.0)
MENU = run(["World (12)", "Business (8)", "Tech (31)", "Sport (4)"], TEXT, 0.6)
RELATED = run(["Council elects new chair", "Tram works delayed", "Budget row deepens"], LIST, 1.0)

CASES = {
    # (paragraphs, whether the run is kept)
    "pros-and-cons-list-mid-story": ([LINKED_BODY[0], *PROS, *LINKED_BODY[1:]], True),
    "spec-table-mid-story": ([LINKED_BODY[0], *SPECS, *LINKED_BODY[1:]], True),
    "linked-products-between-prose": ([*LINKED_BODY[:2], *PRODUCTS, LINKED_BODY[2]], True),
    "partly-linked-menu-mid-story": ([LINKED_BODY[0], *MENU, *LINKED_BODY[1:]], False),
    "menu-of-links-above-story": ([*RELATED, *LINKED_BODY], False),
    "related-links-after-story": ([*LINKED_BODY, *RELATED], False),
}


@pytest.mark.parametrize(("paragraphs", "story"), list(CASES.values()), ids=list(CASES))
def test_a_run_of_short_lines_is_kept_only_when_it_is_the_storys(
    paragraphs: list[Paragraph], story: bool
) -> None:
    decision = clean_paragraphs(paragraphs, CFG)
    body = {p.text for p in LINKED_BODY}
    kept = [paragraphs[i].text for i in decision.kept]
    assert set(kept) >= body
    run_kept = [t for t in kept if t not in body]
    assert run_kept == ([p.text for p in paragraphs if p.text not in body] if story else [])


@pytest.mark.parametrize(
    ("paragraphs", "reason"),
    [
        pytest.param(
            [LINKED_BODY[0], *MENU, *LINKED_BODY[1:]], Reason.NAVIGATION, id="menu-is-navigation"
        ),
        pytest.param([*RELATED, *LINKED_BODY], Reason.TEASER, id="link-items-are-teasers"),
    ],
)
def test_the_reason_given_for_a_link_run(paragraphs: list[Paragraph], reason: Reason) -> None:
    body = {p.text for p in LINKED_BODY}
    decision = clean_paragraphs(paragraphs, CFG)
    assert {r.reason for r in decision.removed if r.text not in body} == {reason}


def test_without_links_marked_a_short_run_is_still_a_menu() -> None:
    """Plain text: nothing says what is linked, so the words decide."""
    plain = [Paragraph(p.text, p.kind, 0.0) for p in [*LINKED_BODY[:1], *PROS, *LINKED_BODY[1:]]]
    decision = clean_paragraphs(plain, CFG)
    assert [plain[i].text for i in decision.kept] == BODY


@pytest.mark.parametrize(
    ("links_marked", "pros_kept"),
    [
        pytest.param(True, True, id="html-page-without-a-link"),
        pytest.param(False, False, id="plain-text"),
        pytest.param(None, False, id="told-from-the-lines"),
    ],
)
def test_the_format_says_whether_an_unlinked_line_is_no_link(
    links_marked: bool | None, pros_kept: bool
) -> None:
    """An HTML page whose story holds no link at all still marks its links: its
    unlinked pros and cons are no menu."""
    texts = [BODY[0], *(p.text for p in PROS), *BODY[1:]]
    paragraphs = [Paragraph(BODY[0]), *PROS, *map(Paragraph, BODY[1:])]
    decision = clean_paragraphs(paragraphs, CFG, links_marked=links_marked)
    assert [texts[i] for i in decision.kept] == (texts if pros_kept else BODY)

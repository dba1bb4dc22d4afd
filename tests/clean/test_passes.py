"""Cleaning: chrome patterns and the preamble/body/tail structure, on synthetic dumps.

The seeds are covered in test_seeds.py; these cases use other sites' chrome so the rules
are shown to be general.
"""

from __future__ import annotations

import pytest

from pipeline.clean.passes import clean_paragraphs
from pipeline.config import CleanConfig
from pipeline.model import Paragraph, ParagraphKind

BODY = [
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "public transport by a fifth, after months of debate between the two main parties.",
    "Supporters said the plan would cut traffic and pollution in the centre, while critics "
    "warned that the money would have been better spent on repairing existing roads.",
    "The mayor said construction of the first new tram line would begin next spring and "
    "was expected to take about three years, with the route still under consultation.",
]
CFG = CleanConfig()


def _kept(texts: list[str], **kwargs: object) -> list[str]:
    paragraphs = [Paragraph(t) for t in texts]
    decision = clean_paragraphs(paragraphs, CFG, **kwargs)  # type: ignore[arg-type]
    return [texts[i] for i in decision.kept]


@pytest.mark.parametrize(
    "chrome",
    [
        pytest.param("Share on Facebook", id="share"),
        pytest.param("Advertisement", id="advertisement"),
        pytest.param("Skip to main content", id="skip"),
        pytest.param("Tags: budget, transport, council", id="tags"),
        pytest.param("Photo: Jane Doe/Getty Images", id="photo-credit"),
        pytest.param("© 2024 Example Media Group. All rights reserved.", id="copyright"),
        pytest.param("Sign up for our morning newsletter", id="newsletter"),
        pytest.param(
            "Your email address will not be published. Required fields are marked *",
            id="comment-form",
        ),
        pytest.param("Powered by WordPress", id="powered-by"),
        pytest.param("Search for:", id="search"),
    ],
)
def test_chrome_between_body_paragraphs_is_removed(chrome: str) -> None:
    texts = [BODY[0], chrome, BODY[1], BODY[2]]
    assert _kept(texts) == BODY


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param("Related Articles", id="related"),
        pytest.param("You might also like", id="also-like"),
        pytest.param("Leave a comment", id="leave-comment"),
        pytest.param("More from Business", id="more-from"),
        pytest.param("12 Comments", id="comments-count"),
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


def test_subheadings_inside_the_body_are_kept() -> None:
    texts = [BODY[0], "Critics push back", BODY[1], "What happens next", BODY[2]]
    assert _kept(texts) == texts


def test_short_lines_in_preamble_and_tail_are_dropped() -> None:
    texts = ["Home", "World", "Politics", *BODY, "Example Daily", "Contact"]
    assert _kept(texts) == BODY


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


def test_update_notes_are_kept_in_the_tail() -> None:
    note = "Update (March 3, 2024): This story has been updated with the mayor's comments."
    assert _kept([*BODY, note]) == [*BODY, note]


def test_link_list_run_is_navigation() -> None:
    texts = [BODY[0], "World", "Business", "Tech", "Sport", BODY[1], BODY[2]]
    assert _kept(texts) == BODY


def test_extra_patterns_from_config() -> None:
    cfg = CleanConfig(extra_patterns=(r"^sponsored by acme",))
    paragraphs = [Paragraph(t) for t in [BODY[0], "Sponsored by ACME Corp", *BODY[1:]]]
    decision = clean_paragraphs(paragraphs, cfg)
    assert [r.reason for r in decision.removed] == ["custom"]


def test_disabled_keeps_everything() -> None:
    texts = ["Advertisement", *BODY]
    decision = clean_paragraphs([Paragraph(t) for t in texts], CleanConfig(enabled=False))
    assert decision.kept == (0, 1, 2, 3)


def test_story_mentioning_newsletter_is_not_removed() -> None:
    sentence = (
        "The council said residents could sign up for the newsletter at any library, and "
        "that more than ten thousand people had already done so since the scheme began in "
        "January, far more than officials had expected when it was first proposed."
    )
    assert _kept([*BODY, sentence]) == [*BODY, sentence]


def test_screened_matching_equals_rule_by_rule_matching() -> None:
    """The one-regex screen in `_match` must never change which rule fires."""
    from pipeline.clean.passes import _LONG_OK, _MAX_CHROME_WORDS, _describe, _match
    from pipeline.clean.rules import END_MARKERS, RULES, TAIL_RULES
    from tests.support import SEEDS

    texts = [
        line.strip()
        for path in sorted(SEEDS.iterdir())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += ["[gallery ids=1,2]caption[/gallery]", "[gallery]x[/video]", *BODY]
    texts += [variant for text in texts for variant in (text.upper(), text.title())]
    for rules in (RULES, END_MARKERS, TAIL_RULES):
        for text in texts:
            line = _describe(Paragraph(text))
            expected = None
            if line.words <= 3 * _MAX_CHROME_WORDS:
                long = line.words > _MAX_CHROME_WORDS
                expected = next(
                    (
                        (r.reason, r.name)
                        for r in rules
                        if not (long and r.reason not in _LONG_OK) and r.pattern.search(text)
                    ),
                    None,
                )
            assert _match(line, rules) == expected, text


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        (r"^cancel reply$", True),
        (r"^(post|submit) comment\W*$", True),
        (r"^a|b", False),
        (r"^(a|b)|c", False),
        (r"^[|(]x", True),
        (r"^[]|]x", True),
        (r"^a\|b", True),
        (r"^a\(|b", False),
        (r"\bmenu is not set\b", False),
        (r"click to hide$", False),
    ],
    ids=[
        "plain",
        "group_branch",
        "top_branch",
        "branch_after_group",
        "bar_in_brackets",
        "bracket_first",
        "escaped_bar",
        "escaped_paren",
        "word_boundary",
        "unanchored",
    ],
)
def test_anchored_rules_are_those_that_only_match_at_the_start(
    pattern: str, anchored: bool
) -> None:
    from pipeline.clean.passes import _anchored

    assert _anchored(pattern) is anchored


@pytest.mark.parametrize(
    "switcher",
    [
        pytest.param("Read in Spanish", id="english"),
        pytest.param("Lire en français | Leer en español", id="french-spanish"),
        pytest.param("阅读简体中文版閱讀繁體中文版", id="chinese"),
    ],
)
def test_language_switchers_are_navigation(switcher: str) -> None:
    texts = [BODY[0], switcher, BODY[1], BODY[2]]
    assert _kept(texts) == BODY


@pytest.mark.parametrize(
    ("pattern", "upper"),
    [
        (r"\bmenu is not set\b", False),
        (r"\W*$", False),
        (r"\S+\s*\D", False),
        (r"[\w .'’-]{2,50}", False),
        (r"^Photo: AP$", True),
        (r"[A-Z]{3}", True),
        (r"a\\Wb", True),  # an escaped backslash, then a literal W
    ],
    ids=str,
)
def test_screen_searches_case_sensitive_patterns_only_when_lowercase(
    pattern: str, upper: bool
) -> None:
    from pipeline.clean.passes import _has_upper

    assert _has_upper(pattern) is upper

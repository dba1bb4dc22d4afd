"""Cleaning: chrome patterns on synthetic dumps, through `clean_paragraphs`.

The seeds are covered in tests/behaviour; these cases use other sites' chrome so the
rules are shown to be general.
"""

from __future__ import annotations

import pytest

from pipeline.clean import clean_paragraphs
from pipeline.config import CleanConfig
from pipeline.model import Paragraph
from tests.clean.story import BODY, kept


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
    assert kept(texts) == BODY


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
    assert kept([*BODY, sentence]) == [*BODY, sentence]


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
    assert kept(texts) == BODY


COOKIE_NOTICE = (
    "This website uses cookies to improve your experience while you navigate through the "
    "website. Out of these, the cookies that are categorized as necessary are stored on your "
    "browser as they are essential for the working of basic functionalities of the website. "
    "We also use third-party cookies that help us analyze and understand how you use this "
    "website. These cookies will be stored in your browser only with your consent. You also "
    "have the option to opt-out of these cookies."
)


@pytest.mark.parametrize(
    "dialog",
    [
        pytest.param([COOKIE_NOTICE], id="long-notice"),
        pytest.param(
            [
                "Necessary cookies are absolutely essential for the website to function "
                "properly. These cookies ensure basic functionalities and security features "
                "of the website, anonymously.",
                "Analytical cookies are used to understand how visitors interact with the "
                "website. These cookies help provide information on metrics the number of "
                "visitors, bounce rate, traffic source, etc.",
                "Advertisement cookies are used to provide visitors with relevant ads and "
                "marketing campaigns.",
            ],
            id="categories",
        ),
    ],
)
def test_a_cookie_consent_dialog_is_boilerplate(dialog: list[str]) -> None:
    assert kept([*BODY, *dialog]) == BODY


def test_a_story_about_baking_cookies_is_kept() -> None:
    sentence = (
        "Chocolate cookies are best stored in an airtight tin, the baker said, and the "
        "shortbread keeps for a week if nobody in the house finds it first."
    )
    assert kept([*BODY, sentence]) == [*BODY, sentence]

"""Plain-text paragraph splitting under the three line-break conventions of scrapes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.text import text_paragraphs

WRAPPED = (
    "The national security law, adopted in part to quash the antigovernment\n"
    "demonstrations that have smoldered in Hong Kong for more than a year, was\n"
    "introduced last week on the anniversary of the city's return to Chinese rule.\n"
    "\n"
    "Some people in Hong Kong reported being unable to download the TikTok app on\n"
    "Tuesday, while others said they had deleted posts and whole accounts.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("One.\n\nTwo.\n\n\nThree.", ["One.", "Two.", "Three."], id="blank-lines"),
        pytest.param(
            "A headline here\nA first long paragraph of the story that goes on.\nA second one.",
            [
                "A headline here",
                "A first long paragraph of the story that goes on.",
                "A second one.",
            ],
            id="one-per-line",
        ),
        pytest.param("a\r\nb\r\n\r\nc", ["a", "b", "c"], id="crlf"),
        pytest.param("  spaced \t out  \n\n\u00a0\n", ["spaced out"], id="whitespace-folded"),
        pytest.param("", [], id="empty"),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert [p.text for p in text_paragraphs(text)] == expected


def test_hard_wrapped_prose_is_rejoined() -> None:
    paragraphs = [p.text for p in text_paragraphs(WRAPPED)]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The national security law") and paragraphs[0].endswith(
        "Chinese rule."
    )


def test_short_menu_lines_are_not_joined() -> None:
    paragraphs = [p.text for p in text_paragraphs("wordpress blog stats\nConnect with us\n")]
    assert paragraphs == ["wordpress blog stats", "Connect with us"]


@given(st.text(max_size=500))
def test_no_text_is_invented_or_lost(text: str) -> None:
    words_in = "".join(text.split())
    words_out = "".join("".join(p.text.split()) for p in text_paragraphs(text))
    assert words_out == words_in.replace("\u200b", "")

"""Pathological structure is refused before libxml2 sees it, in linear time, and real
markup (long quoted values, scripts full of `a<b`, comments) is never mistaken for it."""

from __future__ import annotations

import contextlib
import time

import pytest

from pipeline.config import ExtractConfig
from pipeline.errors import ExtractionError
from pipeline.extract.page import extract_html
from pipeline.extract.screen import MAX_ATTRIBUTE_TOKENS, screen_markup

MANY = MAX_ATTRIBUTE_TOKENS + 10


@pytest.mark.parametrize(
    "tag",
    [
        "<p " + " ".join(f"a{i}=1" for i in range(MANY)) + ">",
        "<p " + " ".join(f'a{i}=">"' for i in range(MANY)) + ">",  # `>` inside quotes
        "<p " + " ".join(f'"bogus{i}' for i in range(MANY)) + ">",  # skipped by libxml2
        "<P " + " ".join("x" for _ in range(MANY)),  # unclosed, upper case
        # raw text ends at its own end tag, in any case: what follows is markup again
        "<Script>if (a<b) x();</SCRIPT><p " + " ".join(f"a{i}" for i in range(MANY)) + ">",
    ],
    ids=["plain", "quoted-gt", "bogus", "unclosed", "after-script"],
)
def test_an_element_with_absurdly_many_attributes_is_refused(tag: str) -> None:
    with pytest.raises(ExtractionError, match="pathological HTML: an element with more than"):
        screen_markup(f"<html><body>{tag}text</p></body></html>", 200_000)


@pytest.mark.parametrize(
    "markup",
    [
        "<script>" + " ".join(f"a<b{i}" for i in range(MANY)) + "</script>",
        "<STYLE>" + " ".join(f"<x{i}" for i in range(MANY)) + "</style>",
        # another element's end tag does not end a script
        "<script></style><p " + " ".join(f"a{i}" for i in range(MANY)) + "></script>",
        "<!-- <p " + " ".join(f"a{i}" for i in range(MANY)) + " -->",
        '<img src="data:image/png;base64,' + "A" * 3_000_000 + '" alt="x">',
        '<a title="' + " ".join("word" for _ in range(MANY)) + '">link</a>',
        "<p " + " ".join(f"a{i}=1" for i in range(MAX_ATTRIBUTE_TOKENS - 5)) + ">",
    ],
    ids=[
        "script",
        "style",
        "other-end-tag",
        "comment",
        "long-value",
        "quoted-blanks",
        "just-under",
    ],
)
def test_real_markup_is_not_mistaken_for_it(markup: str) -> None:
    screen_markup(f"<html><body>{markup}<p>text</p></body></html>", 200_000)


def test_more_elements_than_the_cap_are_refused() -> None:
    screen_markup("w<br>" * 1000, 1000)  # at the cap
    with pytest.raises(ExtractionError, match="more than 1000 elements"):
        screen_markup("w<br>" * 1001, 1000)
    screen_markup("a < b and " * 5000, 1000)  # `<` in text is no element


@pytest.mark.parametrize(
    "markup",
    [
        "<script>" * 200_000,
        "<!--" * 200_000,
        '<a b="' * 200_000 + "<a b='" * 200_000,
        ("<a " + "<b " * (MAX_ATTRIBUTE_TOKENS - 1) + ">") * 100,
        "<a " + "=" * 2_000_000,
        "<a " + 'x="' + "y" * 3_000_000,
    ],
    ids=[
        "unclosed-scripts",
        "unclosed-comments",
        "open-quotes",
        "nested-starts",
        "equals",
        "open-value",
    ],
)
def test_the_scan_is_linear_on_adversarial_markup(markup: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(ExtractionError):
        screen_markup(markup, 10_000_000)
    assert time.perf_counter() - started < 1.5


def test_extraction_refuses_before_parsing() -> None:
    tag = "<p " + " ".join(f"a{i}=1" for i in range(30_000)) + ">"  # ~5 s in libxml2
    markup = f"<html><body>{tag}{'Story text goes on. ' * 20}</p></body></html>"
    started = time.perf_counter()
    with pytest.raises(ExtractionError, match="pathological HTML"):
        extract_html(markup, ExtractConfig())
    assert time.perf_counter() - started < 1

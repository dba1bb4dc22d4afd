"""The scorer's features on small pages: shape, and the facts each column should carry."""

from __future__ import annotations

import pytest

from pipeline.clean.features import FAR, FEATURES, feature_matrix
from pipeline.clean.language import declared, page_stopwords
from pipeline.clean.passes import annotate
from pipeline.config import CleanConfig
from pipeline.extract.page import parse_html
from pipeline.extract.source import page_language, with_sources
from pipeline.model import Paragraph, ParagraphKind, Source
from tests.clean.story import BODY

PROSE = Source("p", 8, frozenset({"1:entry", "1:content"}), frozenset({"article"}))
COMMENT = Source("p", 12, frozenset({"2:comments", "0:comment"}), frozenset({"aside"}))


def _matrix(paragraphs: list[Paragraph], language: str | None = "en"):
    notes = annotate(paragraphs, CleanConfig())
    return feature_matrix(paragraphs, notes.lines, notes.reasons, notes.start, language)


def _column(name: str) -> int:
    return FEATURES.index(name)


def _page() -> list[Paragraph]:
    return [
        Paragraph("Home | World | Sport", link_share=1.0),
        *(Paragraph(text, source=PROSE) for text in BODY),
        Paragraph("Great article, thanks for writing it up so clearly.", source=COMMENT),
    ]


def test_one_row_per_paragraph_one_column_per_feature() -> None:
    matrix = _matrix(_page())
    assert matrix.shape == (len(BODY) + 2, len(FEATURES))
    assert len(set(FEATURES)) == len(FEATURES)


def test_empty_page_has_no_rows() -> None:
    assert _matrix([]).shape == (0, len(FEATURES))


@pytest.mark.parametrize(
    ("name", "row", "expected"),
    [
        pytest.param("link_share", 0, 1.0, id="menu-all-link"),
        pytest.param("has_source", 0, 0.0, id="no-source"),
        pytest.param("has_source", 1, 1.0, id="has-source"),
        pytest.param("position", 0, 0.0, id="first-position"),
        pytest.param("ends_sentence", 1, 1.0, id="prose-ends-sentence"),
        pytest.param("in_article", 1, 1.0, id="inside-article"),
        pytest.param("in_aside", -1, 1.0, id="comment-in-aside"),
        pytest.param("name_comment", -1, 0.0, id="comment-class-on-block"),
        pytest.param("name_comment", 1, FAR, id="no-comment-class"),
        pytest.param("name_body", 1, 1.0, id="entry-class-on-parent"),
        pytest.param("prev_log_words", 0, -1.0, id="no-previous"),
        pytest.param("next_log_words", -1, -1.0, id="no-next"),
    ],
)
def test_feature_values(name: str, row: int, expected: float) -> None:
    assert _matrix(_page())[row, _column(name)] == pytest.approx(expected)


def test_heading_kind_and_rule_hits_are_columns() -> None:
    page = [
        Paragraph("Advertisement"),
        Paragraph("Section", ParagraphKind.HEADING),
        *map(Paragraph, BODY),
    ]
    matrix = _matrix(page)
    assert matrix[0, _column("rule_any")] == 1.0
    assert matrix[1, _column("heading")] == 1.0
    assert matrix[2, _column("rule_any")] == 0.0


def test_stopwords_follow_the_page_language() -> None:
    german = [
        Paragraph("Die Regierung hat am Montag mitgeteilt, dass die Steuern und Abgaben steigen.")
    ]
    share = _column("stopwords")
    assert _matrix(german, "de")[0, share] > _matrix(german, "en")[0, share]
    # undeclared: guessed from the page's words
    assert _matrix(german, None)[0, share] == pytest.approx(_matrix(german, "de")[0, share])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("en-US", "en", id="region"),
        pytest.param("pt_BR", "pt", id="underscore"),
        pytest.param("xx", None, id="unknown"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
    ],
)
def test_declared_language(lang: str | None, expected: str | None) -> None:
    assert declared(lang) == expected


def test_guessed_stopwords_of_french() -> None:
    words = page_stopwords(
        None, ["Le gouvernement a annoncé que les impôts et les taxes vont augmenter."]
    )
    assert {"le", "les", "et"} <= words


MARKUP = """<html lang="en-GB"><body>
<nav class="site-menu"><ul><li><a href="/">Home</a></li></ul></nav>
<article class="post-content"><div class="entry">
<p>The council met on Monday to <a href="/x">discuss</a> the budget for next year.</p>
<h2>What comes next</h2></div></article>
<section id="comments" class="comments-area"><p class="comment-body">Nice piece.</p>
</section></body></html>"""


def test_sources_are_found_in_the_page() -> None:
    tree = parse_html(MARKUP, 400)
    paragraphs = [
        Paragraph("Home", ParagraphKind.LIST_ITEM, 1.0),
        Paragraph("The council met on Monday to discuss the budget for next year."),
        Paragraph("What comes next", ParagraphKind.HEADING),
        Paragraph("Nice piece."),
        Paragraph("Not in the page at all"),
    ]
    found = with_sources(tree, paragraphs)
    assert [p.text for p in found] == [p.text for p in paragraphs]
    home, prose, heading, comment, missing = (p.source for p in found)
    assert home is not None and home.tag == "li" and "nav" in home.ancestors
    assert "2:site" in home.names or "3:site" in home.names
    assert prose is not None and prose.tag == "p" and "article" in prose.ancestors
    assert {"1:entry", "2:post"} <= prose.names
    assert heading is not None and heading.tag == "h2"
    assert comment is not None and {"0:comment", "1:comments"} <= comment.names
    assert missing is None
    assert page_language(tree) == "en-gb"

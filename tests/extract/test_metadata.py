"""Title, date and JSON-LD reading of `page_metadata`, on small realistic page snippets."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.dates import around_heading, headline_dates, page_date, split_at_heading
from pipeline.extract.jsonld import LinkedData, linked_data
from pipeline.extract.metadata import page_metadata
from pipeline.extract.page import parse_html

URL = "https://www.harborledger.com/2024/harbour-plan"
_BODY = "<p>" + "The council met on Tuesday to weigh the plan for the harbour. " * 4 + "</p>"


def _page(head: str = "", article: str = "", before: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Harbour plan | Harbor Ledger</title>{head}</head><body>{before}"
        f"<article>{article}{_BODY}</article>{after}</body></html>"
    )


def _ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


_OG = '<meta property="og:title" content="Harbour plan: what it means | Harbor Ledger">'
TITLES = {
    "one_h1_over_og_title": (
        _page(_OG, "<h1>Harbour plan passes after long debate</h1>"),
        "Harbour plan passes after long debate",
    ),
    "two_h1s_meta_title": (
        _page(_OG, "<h1>Harbour plan passes after long debate</h1>", before="<h1>Ledger</h1>"),
        "Harbour plan: what it means | Harbor Ledger",
    ),
    "h1_in_nav_not_counted": (
        _page(_OG, "<h1>Harbour plan passes</h1>", before="<nav><h1>Menu</h1></nav>"),
        "Harbour plan passes",
    ),
    "h1_naming_the_site_not_the_headline": (
        _page(_OG, "<h2>Harbour plan passes</h2>", before="<h1>Harbor Ledger</h1>"),
        "Harbour plan: what it means | Harbor Ledger",
    ),
    "h1_starting_with_the_site_words_kept": (
        _page(_OG, "<h1>Harbor ledgers found in the old customs house</h1>"),
        "Harbor ledgers found in the old customs house",
    ),
    "jsonld_headline_without_h1": (
        _page(
            _ld(
                '{"@context":"https://schema.org","@type":"NewsArticle",'
                '"headline":"Harbour plan passes"}'
            )
        ),
        "Harbour plan passes",
    ),
}


@pytest.mark.parametrize(("markup", "title"), TITLES.values(), ids=TITLES)
def test_title(markup: str, title: str) -> None:
    assert page_metadata(parse_html(markup, 500), URL).title == title


_PUBLISHED = '<meta property="article:published_time" content="{}T08:00:00+00:00">'
DATES = {
    "header_date_over_markup": (
        _page(_PUBLISHED.format("2019-03-02"), "<h1>Harbour plan</h1><p>March 5, 2024</p>"),
        "2024-03-05",
    ),
    "markup_date_shown_in_header_kept": (
        _page(
            _PUBLISHED.format("2024-03-05"),
            "<h1>Harbour plan</h1><p>Updated April 2, 2024. Published March 5, 2024</p>",
        ),
        "2024-03-05",
    ),
    "abbreviated_month": (_page("", "<h1>Harbour plan</h1><p>Dec. 5, 2025</p>"), "2025-12-05"),
    "day_first_month_name": (
        _page("", "<h1>Harbour plan</h1><p>5th December 2025</p>"),
        "2025-12-05",
    ),
    "dotted_day_first": (_page("", "<h1>Harbour plan</h1><p>05.12.2025</p>"), "2025-12-05"),
    "iso_written": (_page("", "<h1>Harbour plan</h1><time>2025-12-05</time>"), "2025-12-05"),
    "slashed_unambiguous": (_page("", "<h1>Harbour plan</h1><p>12/25/2024</p>"), "2024-12-25"),
    "slashed_ambiguous_left_to_markup": (
        _page(_PUBLISHED.format("2025-04-03"), "<h1>Harbour plan</h1><p>03/04/2025</p>"),
        "2025-04-03",
    ),
    "date_far_below_headline_ignored": (
        _page(
            _PUBLISHED.format("2024-03-05"),
            "<h1>Harbour plan</h1>" + "<p>" + "Long story text here. " * 80 + "</p>"
            "<p>June 1, 2020</p>",
        ),
        "2024-03-05",
    ),
    "lone_year_dropped": (
        _page("", "<h1>Harbour plan</h1>", after="<footer>© 2023 Harbor Ledger</footer>"),
        None,
    ),
}


@pytest.mark.parametrize(("markup", "expected"), DATES.values(), ids=DATES)
def test_date(markup: str, expected: str | None) -> None:
    assert page_metadata(parse_html(markup, 500), URL).date == expected


PAGE_DATES = {
    "shown_markup_kept": ("2024-03-05", ["2024-04-02", "2024-03-05"], None, "2024-03-05"),
    "header_wins": ("2019-03-02", ["2024-03-05"], None, "2024-03-05"),
    "no_header_markup_kept": ("2024-03-05", [], None, "2024-03-05"),
    "lone_year_dropped": ("2023-01-01", [], None, None),
    "lone_year_stated_in_jsonld": ("2023-01-01", [], "2023-01-01", "2023-01-01"),
    "lone_year_shown": ("2023-01-01", ["2023-01-01"], None, "2023-01-01"),
    "nothing": (None, [], None, None),
}


@pytest.mark.parametrize(
    ("markup", "written", "stated", "expected"), PAGE_DATES.values(), ids=PAGE_DATES
)
def test_page_date(
    markup: str | None, written: list[str], stated: str | None, expected: str | None
) -> None:
    assert page_date(markup, written, stated=stated) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))
def test_headline_dates_are_real_dates(text: str) -> None:
    markup = "<html><body><h1>Harbour</h1><p></p></body></html>"
    tree = parse_html(markup, 500)
    tree.find(".//p").text = text
    for value in headline_dates(tree):
        assert date.fromisoformat(value).isoformat() == value


LINKED = {
    "graph_with_publisher": (
        '{"@context":"https://schema.org","@graph":[{"@type":"Organization","@id":"/#org",'
        '"name":"Harbor Ledger"},{"@type":["NewsArticle"],"headline":"Harbour plan",'
        '"datePublished":"2024-03-05T08:00:00Z","dateModified":"2024-04-02",'
        '"publisher":{"@id":"/#org"},"author":{"@type":"Person","name":"Jane Doe"}}]}',
        LinkedData(
            headline="Harbour plan",
            authors=("Jane Doe",),
            published="2024-03-05T08:00:00Z",
            modified="2024-04-02",
            publishers=("Harbor Ledger",),
        ),
    ),
    "list_of_blocks_best_type_wins": (
        '[{"@context":"https://schema.org","@type":"WebPage","name":"Harbour | Ledger",'
        '"author":"Web Team"},{"@context":"https://schema.org","@type":"BlogPosting",'
        '"headline":"Harbour plan","author":"Jane Doe"}]',
        LinkedData(headline="Harbour plan", authors=("Jane Doe",)),
    ),
    "serialised_author_list": (
        '{"@type":"Article","headline":"Harbour plan",'
        '"author":"[{\\"@type\\":\\"Person\\",\\"name\\":\\"Jane Doe\\"}]"}',
        LinkedData(headline="Harbour plan", authors=("Jane Doe",)),
    ),
    "organisation_author": (
        '{"@type":"Article","headline":"Harbour plan",'
        '"author":{"@type":"Organization","name":"Harbor Ledger"}}',
        LinkedData(headline="Harbour plan", organisations=("Harbor Ledger",)),
    ),
    "author_url_skipped": (
        '{"@type":"Article","headline":"Harbour plan","author":"https://example.com/jane"}',
        LinkedData(headline="Harbour plan"),
    ),
    "entities_unescaped": (
        '{"@type":"Article","headline":"Harbour &amp; port","author":{"name":"Jane O&#039;Neil"}}',
        LinkedData(headline="Harbour & port", authors=("Jane O'Neil",)),
    ),
    "malformed_skipped": ('{"@type":"Article","headline":"Harbour plan",', LinkedData()),
    "no_article_node": ('{"@type":"BreadcrumbList","itemListElement":[]}', LinkedData()),
}


@pytest.mark.parametrize(("data", "expected"), LINKED.values(), ids=LINKED)
def test_linked_data(data: str, expected: LinkedData) -> None:
    assert linked_data(parse_html(_page(_ld(data)), 500)) == expected


_DATE_TAGS = ["div", "span", "p", "nav", "script", "header", "h1", "h2", "section"]
_DATE_WORDS = ["", " ", "May 5, 2024", "News", "  Updated\n", "2023-01-02", "word " * 30]


@st.composite
def _dated_markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))):
        tag = draw(st.sampled_from(_DATE_TAGS))
        inner = draw(st.sampled_from(_DATE_WORDS)) + draw(_dated_markup(depth + 1))
        parts.append(f"<{tag}>{inner}</{tag}>{draw(st.sampled_from(_DATE_WORDS))}")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_dated_markup(), st.booleans())
def test_text_around_the_heading_is_the_body_walk_s(markup: str, headed: bool) -> None:
    """Read outwards from the heading, the text is what a walk of the whole body reads:
    a heading after menus, inside a skipped element, nested, or the only text."""
    heading_markup = "<h1>Harbour</h1>" if headed else ""
    tree = parse_html(f"<html><body>{markup}{heading_markup}</body></html>", 500)
    heading = next(tree.iter("h1"), None)
    body = tree.find(".//body")
    if heading is None or body is None:
        return
    before, after = split_at_heading(body, heading)
    whole = (" ".join(" ".join(before).split())[-200:], " ".join(" ".join(after).split())[:600])
    assert around_heading(body, heading) == whole

"""The page's author: trafilatura's byline walk reproduced exactly (`page_author`), and the
author `page_metadata` settles on from JSON-LD, bylines and meta tags, with labels, dates
and the site's own name refused (`pipeline.extract.names`)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trafilatura.metadata import extract_author

from pipeline.extract.author import WALKS_MATCH_TRAFILATURA, page_author
from pipeline.extract.metadata import page_metadata
from pipeline.extract.names import author_names, is_label, plausible_name
from pipeline.extract.page import parse_html
from tests.support import FIXTURES


def test_the_walks_were_written_for_the_installed_trafilatura() -> None:
    # If this fails, trafilatura changed its byline XPaths: page_author falls back to
    # trafilatura's own function (correct but slow) until the walks are updated.
    assert WALKS_MATCH_TRAFILATURA


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "html").glob("*.html.gz")), ids=lambda p: p.name.split(".")[0]
)
def test_real_pages(path: Path) -> None:
    markup = gzip.decompress(path.read_bytes()).decode("utf-8")
    tree = parse_html(markup, 500)
    assert page_author(tree) == extract_author(tree)


CASES = {
    "class_byline": '<div class="byline">By Jane Doe</div>',
    "rel_author": '<a rel="author" href="/x">Jane Doe</a>',
    "itemprop": '<span itemprop="author">Jane <b>Doe</b></span>',
    "author_tag": "<author>Jane Doe</author>",
    "rel_me_child": "<p><rel>me</rel>Jane Doe</p>",
    "date_pruned_tail_joined": '<p class="author">By<span class="date">May 1</span>Jane Doe</p>',
    "pruned_in_a_row_tails_joined": (
        '<p class="author">By<time>1</time><span class="date">2</span>Jane'
        "<figure>f</figure>Doe<b>x<time>t</time>y</b>z</p>"
    ),
    "pruned_first_child": '<div class="byline"><time>May 1</time>Jane Doe</div>',
    "pruned_inside_pruned": (
        '<div class="author"><span class="date">x<time>y</time>z</span>Jane</div>'
    ),
    "time_pruned": '<div class="byline">Jane Doe <time>May 1</time> and John Roe</div>',
    "inside_sidebar": '<div class="sidebar"><span class="author">Jane Doe</span></div>',
    "inside_figure": '<figure><span class="author">Photo Person</span></figure><p class="x">a</p>',
    "too_long_then_short": (
        '<div class="author">' + "word " * 40 + '</div><span class="author-name">Jane Doe</span>'
    ),
    "id_regex": '<div id="zuozhe">Li Wei</div>',
    "data_component": '<section data-component="Byline">Jane Doe</section>',
    "anchored_comments_id": (
        '<div id="comments-12"><a class="author">Commenter</a></div>'
        '<div id="xcomments"><span class="writer">Jane Doe</span></div>'
    ),
    "none": "<p>No byline at all here, only a story.</p>",
}


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("wrap", [True, False], ids=["document", "fragment"])
def test_hand_made_pages(body: str, wrap: bool) -> None:
    markup = f"<html><head><title>t</title></head><body>{body}</body></html>" if wrap else body
    tree = parse_html(markup, 500)
    assert page_author(tree) == extract_author(tree)


_TAGS = ["div", "span", "a", "p", "section", "h3", "time", "figure", "strong", "li", "author"]
_VALUES = [
    "author",
    "byline",
    "Byline",
    "author-name",
    "comments",
    "comments-x",
    "sidebar",
    "date",
    "title",
    "writer",
    "quote",
    "meta-date",
    "x",
    "Figure",
    "author name",
]
_ATTRS = ["class", "id", "itemprop", "rel", "data-component", "data-testid"]
_WORDS = ["", "Jane", "Doe", "By ", " and ", "May 1", "  "]


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(_TAGS))
        attrs = draw(st.dictionaries(st.sampled_from(_ATTRS), st.sampled_from(_VALUES), max_size=2))
        attr_text = "".join(f' {k}="{v}"' for k, v in attrs.items())
        inner = draw(st.sampled_from(_WORDS)) + draw(_markup(depth + 1))
        parts.append(f"<{tag}{attr_text}>{inner}</{tag}>{draw(st.sampled_from(_WORDS))}")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_generated_pages(body: str) -> None:
    tree = parse_html(f"<html><body>{body}<p>x</p></body></html>", 500)
    assert page_author(tree) == extract_author(tree)


# --- the author page_metadata settles on -----------------------------------------------


def _ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


_SITE = '<meta property="og:site_name" content="Harbor Ledger">'
_BODY = "<p>" + "The council met on Tuesday to weigh the plan for the harbour. " * 4 + "</p>"
AUTHOR_PAGES = {
    "jsonld_person": (
        _ld(
            '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour plan",'
            '"author":{"@type":"Person","name":"Jane Doe"}}'
        ),
        "",
        "Jane Doe",
    ),
    "jsonld_graph_id_link": (
        _ld(
            '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","@id":"/#site",'
            '"name":"Harbor Ledger"},{"@type":"Article","headline":"Harbour plan",'
            '"author":{"@id":"/#/person/7"}},{"@type":"Person","@id":"/#/person/7",'
            '"name":"Jane Doe"}]}'
        ),
        "",
        "Jane Doe",
    ),
    "jsonld_lowercase_person": (
        _ld(
            '{"@context":"https://schema.org","@type":"BlogPosting","headline":"Harbour plan",'
            '"author":{"@type":"person","name":"Derek Stone"}}'
        ),
        "",
        "Derek Stone",
    ),
    "jsonld_two_authors_joined": (
        _ld(
            '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour plan",'
            '"author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person",'
            '"name":"John Roe"}]}'
        ),
        "",
        "Jane Doe; John Roe",
    ),
    "jsonld_given_family_names": (
        _ld(
            '{"@context":"https://schema.org","@type":"Article","headline":"Harbour plan",'
            '"author":{"@type":"Person","givenName":"Ana","familyName":"de la Cruz"}}'
        ),
        "",
        "Ana de la Cruz",
    ),
    "jsonld_person_beats_meta_account": (
        _ld(
            '{"@context":"https://schema.org","@type":"Article","headline":"Harbour plan",'
            '"author":{"@type":"Person","name":"Jane Doe"}}'
        )
        + '<meta name="author" content="admin">',
        "",
        "Jane Doe",
    ),
    "jsonld_organisation_is_the_site": (
        _SITE
        + _ld(
            '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour plan",'
            '"author":{"@type":"Organization","name":"Harbor Ledger"}}'
        ),
        "",
        None,
    ),
    "meta_author": ('<meta name="author" content="Jane Doe">', "", "Jane Doe"),
    "meta_article_author": ('<meta property="article:author" content="Jane Doe">', "", "Jane Doe"),
    "meta_author_handle": ('<meta name="author" content="jdoe">', "", "Jdoe"),
    "meta_author_is_site_name": (
        '<meta name="author" content="Harbor Ledger News">'
        '<meta property="og:site_name" content="Harbor Ledger News">',
        "",
        None,
    ),
    "meta_author_is_domain": ('<meta name="author" content="HARBORLEDGER">', "", None),
    "byline_by_link": (
        "",
        '<p>By <a href="/staff/jane">Jane Doe</a> | May 5, 2025</p>',
        "Jane Doe",
    ),
    "byline_written_by_label_apart": (
        "",
        '<div><span>Written by</span> <a href="/staff/jane">Jane Doe</a></div>',
        "Jane Doe",
    ),
    "byline_two_names": ("", "<p>By Jane Doe and John Roe</p>", "Jane Doe; John Roe"),
    "byline_beats_meta_account": (
        '<meta name="author" content="Webteam Uploader">',
        "<p>By Jane Doe, Staff Reporter</p>",
        "Jane Doe",
    ),
    "byline_sentence_is_no_name": (
        "",
        "<p>By clicking subscribe you agree to our terms.</p>"
        "<p>By Following These Steps You Can Save</p>",
        None,
    ),
    "byline_in_comments_ignored": (
        "",
        '<div class="comments"><p>By Sam Reader</p></div>',
        None,
    ),
    "view_more_posts": ("", '<div class="author"><a href="/a">View more posts</a></div>', None),
    "about_the_author": ("", '<div class="author-box"><h3>About the Author</h3></div>', None),
    "written_by_alone": ("", '<span class="author">Written By</span>', None),
    "date_as_author": ("", '<span class="byline">Updated January 5</span>', None),
    "footer_as_author": (
        "",
        '<div class="author">Copyright Harbor Media; Privacy Policy</div>',
        None,
    ),
    "role_after_name": (
        "",
        '<span class="author-name">Keith Barry Senior Autos Reporter</span>',
        "Keith Barry",
    ),
    "legal_name": ("", '<span class="author">Quayside Holdings Inc</span>', None),
}


@pytest.mark.parametrize(("head", "body", "author"), AUTHOR_PAGES.values(), ids=AUTHOR_PAGES)
def test_page_author(head: str, body: str, author: str | None) -> None:
    markup = (
        f"<html><head><title>Harbour plan</title>{head}</head><body><article>"
        f"<h1>Harbour plan passes</h1>{body}{_BODY}</article></body></html>"
    )
    metadata = page_metadata(parse_html(markup, 500), "https://www.harborledger.com/a/1")
    assert metadata.author == author


NAMES = {
    "person": ("Jane Doe", True),
    "particle": ("Ludwig van Beethoven", True),
    "handle": ("jdoe", True),
    "label_only": ("About The Author", False),
    "button": ("View More Posts", False),
    "placeholder": ("Undefined", False),
    "month_alone": ("August", False),
    "copyright": ("© Harbor Media", False),
    "url": ("https://example.com/jane", False),
    "phrase": ("Personal finance tips", False),
    "too_long": ("Jane " * 8, False),
}


@pytest.mark.parametrize(("name", "expected"), NAMES.values(), ids=NAMES)
def test_plausible_name(name: str, expected: bool) -> None:
    assert plausible_name(name) is expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_author_names_are_plausible(raw: str) -> None:
    for name in author_names(raw, ["Harbor Ledger"]):
        assert plausible_name(name)
        assert not is_label(name)

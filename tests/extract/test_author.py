"""`page_author` must find exactly what trafilatura's `extract_author` finds."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trafilatura.metadata import extract_author

from pipeline.extract.author import _MATCHES_TRAFILATURA, page_author
from pipeline.extract.page import parse_html
from tests.support import FIXTURES


def test_the_walks_were_written_for_the_installed_trafilatura() -> None:
    # If this fails, trafilatura changed its byline XPaths: page_author falls back to
    # trafilatura's own function (correct but slow) until the walks are updated.
    assert _MATCHES_TRAFILATURA


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

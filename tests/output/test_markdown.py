"""articles/<id>.md renders as the text it holds: no live HTML, link or injected heading,
in markdown-it with raw HTML allowed (the project's own setting) and its GFM-like preset."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from pipeline.output.markdown import article_markdown, escape_text
from tests.support import make_record

RENDERERS = {
    "commonmark": MarkdownIt("commonmark", {"html": True}),
    "gfm-like": MarkdownIt("gfm-like", {"html": True, "linkify": False}),
}
STRUCTURE = {"h1", "p", "ul", "li", "strong", "br"}
"""All a rendered article may hold: its heading, metadata list and paragraphs."""

HOSTILE = [
    "<img src=x onerror=alert(1)> and <iframe src=javascript:alert(2)></iframe>",
    "[click me](javascript:alert(3)) ![img](data:text/html,x) <javascript:alert(4)>",
    "[ref]: javascript:alert(5)",
    "see [ref] and <a href='javascript:alert(6)'>here</a> &lt;b&gt; &#60;script&#62;",
    "# Not a heading\n> not a quote\n- not a list\n1. not a list\n```\nnot code\n```",
    "    not indented code\n<!-- not a comment -->\n***not bold*** _not em_ ~~not struck~~",
    "Title\n===\nanother\n---\n| a | b |\n|---|---|\n| 1 | 2 |",
    "trailing backslash \\\nand \\*escaped\\* and `code` and <https://auto.link>",
]


def _rendered(markdown: str, renderer: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(f"<div>{RENDERERS[renderer].render(markdown)}</div>")


def _no_live_markup(tree: lxml_html.HtmlElement) -> None:
    for element in tree.iter():
        if element is tree:
            continue
        assert element.tag in STRUCTURE, lxml_html.tostring(element)
        assert not element.attrib, lxml_html.tostring(element)


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_a_hostile_article_renders_as_text(renderer: str) -> None:
    record = make_record(
        HOSTILE,
        source="inputs/evil\n# Injected heading\n<script>alert(7)</script>.html",
        url="javascript:alert(8)",
    )
    record["title"] = '<img src=x onerror="alert(9)"> Title\n# Two'
    record["author"] = "[Author](javascript:alert(10))"
    tree = _rendered(article_markdown(record), renderer)
    _no_live_markup(tree)
    assert len(tree.findall(".//h1")) == 1
    text = tree.text_content()
    assert "javascript:alert(8)" not in text  # the url line holds only http(s) URLs
    assert '<img src=x onerror="alert(9)"> Title # Two' in text
    assert "inputs/evil # Injected heading <script>alert(7)</script>.html" in text
    for paragraph in HOSTILE:
        for word in paragraph.split():
            assert word.strip("\\") in text or word in ("```",), word


@pytest.mark.parametrize("renderer", list(RENDERERS))
@given(
    text=st.text(
        alphabet=st.sampled_from(list("ab <>&;#!*_[]()`~\\|:-+=.1\n/?\"'")),
        max_size=60,
    )
)
def test_any_text_renders_as_itself(renderer: str, text: str) -> None:
    tree = _rendered(escape_text(text), renderer)
    _no_live_markup(tree)
    assert " ".join(tree.text_content().split()) == " ".join(text.split())


def test_ordinary_prose_is_left_as_it_is() -> None:
    prose = (
        "The council voted 7-2 on Tuesday (after a long debate) to raise fares by 5% & cut "
        "2 routes; snake_case names, a < b, and Q&A sessions stay as they are."
    )
    assert escape_text(prose) == prose

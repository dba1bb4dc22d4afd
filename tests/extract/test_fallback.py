"""The second extraction pass: when it runs, when its result wins, what it costs the tree."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bench.datasets import load_pages
from bench.scoring import normalise
from pipeline.config import ExtractConfig
from pipeline.extract.decode import decode_bytes
from pipeline.extract.fallback import better, needs_fallback, prose_chars, visible_chars
from pipeline.extract.page import extract_html, parse_html
from pipeline.model import Paragraph
from tests.support import FIXTURES

WCXB = load_pages(FIXTURES / "wcxb", ids=["wcxb0010", "wcxb4555", "wcxb4715"])
NO_FALLBACK = ExtractConfig(fallback_ratio=0.0)
PROSE = "The council voted on Tuesday to approve a budget that raises spending on trams."


def _text(markup: str, config: ExtractConfig) -> str:
    _, paragraphs = extract_html(markup, config)
    return normalise("\n".join(p.text for p in paragraphs))


def _truth_paragraphs(truth: str) -> list[str]:
    """Openings of the truth's paragraphs of a dozen words or more, normalised."""
    return [normalise(p)[:60] for p in truth.split("\n\n") if len(p.split()) >= 12]


@pytest.mark.parametrize("page", WCXB, ids=[p.id for p in WCXB])
def test_fallback_recovers_the_article_from_a_fragment(page) -> None:  # type: ignore[no-untyped-def]
    markup = decode_bytes(page.data).text
    paragraphs = _truth_paragraphs(page.truth)
    with_fallback = _text(markup, ExtractConfig())
    without = _text(markup, NO_FALLBACK)
    found = sum(1 for p in paragraphs if p in with_fallback)
    found_without = sum(1 for p in paragraphs if p in without)
    assert found >= 0.7 * len(paragraphs), (found, len(paragraphs))
    assert found_without < 0.5 * len(paragraphs), (found_without, len(paragraphs))


def test_a_complete_short_extraction_is_kept_when_the_fallback_adds_no_prose() -> None:
    # A restaurant guide whose extraction is a small part of the page's text, by both
    # measures: the second pass runs but finds no more prose, so the first pass stands.
    (page,) = load_pages(FIXTURES / "wcxb", ids=["wcxb4340"])
    markup = decode_bytes(page.data).text
    tree = parse_html(markup, 400)
    _, first = extract_html(markup, NO_FALLBACK)
    assert needs_fallback(first, tree, ExtractConfig())
    _, chosen = extract_html(markup, ExtractConfig())
    assert chosen == first


def test_an_article_small_beside_the_links_of_its_page_is_no_fragment() -> None:
    # Under a fifth of the page's visible text, but most of its text outside links: the
    # rest is menus and teasers, and the second pass would find the same article.
    name = "f6ac15a4d98511396da23e4428deb5605422b1c8bbc8284e771f6896bdccf57f.html.gz"
    markup = decode_bytes(gzip.decompress((FIXTURES / "scrapinghub" / "html" / name).read_bytes()))
    tree = parse_html(markup.text, 400)
    _, first = extract_html(markup.text, NO_FALLBACK)
    assert needs_fallback(first, tree, ExtractConfig(fallback_unlinked_ratio=1.0))
    assert not needs_fallback(first, tree, ExtractConfig())


@pytest.mark.parametrize(
    ("extracted", "linked", "expected"),
    [
        pytest.param(30, 0, True, id="fragment-of-a-page-without-links"),
        pytest.param(60, 800, True, id="fragment-of-both"),
        pytest.param(100, 800, False, id="most-of-the-text-outside-links"),
        pytest.param(250, 800, False, id="a-fifth-of-the-page"),
    ],
)
def test_the_text_outside_links_decides_with_the_visible_text(
    extracted: int, linked: int, expected: bool
) -> None:
    # 200 characters of text outside links, `linked` inside them; defaults 0.2 and 0.4.
    menu = "".join(f"<a href=/{i}>{'m' * 8}</a> " for i in range(linked // 8))
    tree = parse_html(f"<html><body><p>{'x' * 200}</p><div>{menu}</div></body></html>", 400)
    assert needs_fallback([Paragraph("y" * extracted)], tree, ExtractConfig()) is expected


def test_trafilatura_leaves_the_parsed_tree_as_it_was() -> None:
    # Both passes read one parse: a trafilatura that edited the tree in place would feed
    # the second pass a page with the first pass's choices cut out.
    markup = decode_bytes(WCXB[0].data).text
    tree = parse_html(markup, 400)
    before = etree.tostring(tree)
    import trafilatura
    from trafilatura.settings import Extractor

    for fast, recall in ((True, True), (False, False)):
        options = Extractor(output_format="python", fast=fast, recall=recall, links=True)
        trafilatura.bare_extraction(tree, options=options)
    assert etree.tostring(tree) == before


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        pytest.param("<html><body><p>a b c</p></body></html>", 3, id="text"),
        pytest.param(
            "<html><body><p>abc</p><script>var x = 1;</script><style>p{}</style></body></html>",
            3,
            id="scripts-and-styles-hidden",
        ),
        pytest.param(
            "<html><head><title>Title here</title></head><body><p>ab</p></body></html>",
            2,
            id="head-not-counted",
        ),
        pytest.param(
            "<html><body><p>x<noscript>yyyy</noscript></p></body></html>", 1, id="noscript"
        ),
    ],
)
def test_visible_chars(markup: str, expected: int) -> None:
    assert visible_chars(parse_html(markup, 400)) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param([PROSE], [PROSE, PROSE], True, id="twice-the-prose"),
        pytest.param([PROSE], [PROSE], False, id="no-gain"),
        pytest.param([], [PROSE], True, id="first-empty"),
        pytest.param([PROSE], ["Home", "News", "Sport"], False, id="menus-are-not-prose"),
    ],
)
def test_better_needs_more_prose(first: list[str], second: list[str], expected: bool) -> None:
    config = ExtractConfig()
    assert better([Paragraph(t) for t in first], [Paragraph(t) for t in second], config) is expected


def test_links_are_not_prose() -> None:
    assert prose_chars([Paragraph(PROSE, link_share=0.9)]) == 0
    assert prose_chars([Paragraph(PROSE, link_share=0.1)]) > 0


@given(st.lists(st.text(max_size=80), max_size=6), st.floats(0.0, 1.0))
def test_ratio_zero_never_runs_and_empty_pages_always_qualify(
    texts: list[str], ratio: float
) -> None:
    tree = parse_html("<html><body><p>" + "word " * 200 + "</p></body></html>", 400)
    paragraphs = [Paragraph(t) for t in texts]
    assert not needs_fallback(paragraphs, tree, ExtractConfig(fallback_ratio=0.0))
    if ratio > 0:
        assert needs_fallback([], tree, ExtractConfig(fallback_ratio=ratio))

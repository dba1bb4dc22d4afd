"""The pruning walks answer what trafilatura's XPaths answer, and only inside the block."""

from __future__ import annotations

import gzip
import threading
from copy import deepcopy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura import xpaths
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

from pipeline.extract.page import parse_html
from pipeline.extract.prune import WALKS, matching_walks, pruning_walks
from tests.support import FIXTURES

PAGES = sorted(FIXTURES.glob("**/*.html.gz"))


def _trees(markup: str) -> list[etree._Element]:
    """The page as parsed, and as trafilatura has cleaned and converted it (where the
    discard XPaths run: `<list>`, `<item>`)."""
    tree = parse_html(markup, 500)
    options = Extractor(output_format="txt", fast=True, recall=True, tables=True, links=True)
    return [tree, convert_tags(tree_cleaning(deepcopy(tree), options), options)]


def _assert_same(markup: str) -> None:
    for tree in _trees(markup):
        for _, _, expression, walk in WALKS:
            assert walk(tree) == expression(tree), expression.path


def test_every_walk_stands_in_for_the_installed_trafilatura() -> None:
    assert len(WALKS) == 5


@pytest.mark.parametrize("path", PAGES, ids=[p.name.split(".")[0] for p in PAGES])
def test_real_pages(path: Path) -> None:
    _assert_same(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))


_TAGS = ["div", "section", "aside", "list", "item", "p", "span", "ol", "ul", "details", "h1"]
_VALUES = [
    "comments", "Comment-list", "commentary", "article-comments", "comol", "disqus_thread",
    "mvp-post-add-box", "infinite-scroll", "elementor-share-buttons x", "cookie-bar",
    "navigation", "NAV", "sharebar", "x ad y", "hidden", "hide-me", "reply-1",
    "display:none", "display: none", "true", "MostPopularStories", "story", "",
]  # fmt: skip
_ATTRS = ["id", "class", "style", "role", "aria-hidden", "data-component",
          "data-lp-replacement-content"]  # fmt: skip


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(_TAGS))
        # a list of pairs, so the attributes come in any order (a union reads the first)
        attrs = draw(st.lists(st.tuples(st.sampled_from(_ATTRS), st.sampled_from(_VALUES)),
                              max_size=3, unique_by=lambda a: a[0]))  # fmt: skip
        attr_text = "".join(f' {k}="{v}"' for k, v in attrs)
        parts.append(f"<{tag}{attr_text}>text {draw(_markup(depth + 1))}</{tag}> tail")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_generated_pages(body: str) -> None:
    _assert_same(f"<html><body>{body}<p>{'word ' * 30}</p></body></html>")


def test_the_walks_are_in_trafilatura_only_inside_the_block() -> None:
    holder, index, expression, walk = WALKS[0]
    assert holder[index] is expression
    with pruning_walks():
        assert holder[index] is walk
        with pruning_walks():
            assert holder[index] is walk
        assert holder[index] is walk  # an inner block leaves them to the outer one
    assert holder[index] is expression


def test_a_thread_s_block_keeps_them_while_another_ends() -> None:
    holder, index, expression, walk = WALKS[0]
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with pruning_walks():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(5)
    with pruning_walks():
        pass
    assert holder[index] is walk  # the other thread's block still runs
    release.set()
    thread.join()
    assert holder[index] is expression


def test_an_xpath_of_another_text_keeps_its_xpath() -> None:
    changed = etree.XPath(".//*[self::div][contains(@class, 'elementor-share-buttons-v2')]")
    original = xpaths.RAW_TREE_PRUNE_XPATH[1]
    xpaths.RAW_TREE_PRUNE_XPATH[1] = changed
    try:
        kept = [expression for _, _, expression, _ in matching_walks()]
    finally:
        xpaths.RAW_TREE_PRUNE_XPATH[1] = original
    assert changed not in kept
    assert len(kept) == len(WALKS) - 1

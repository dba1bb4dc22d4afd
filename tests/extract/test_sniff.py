"""Format sniffing from the content: right on real shapes, linear on hostile ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.sniff import BLOCK_TAG, MD_LINK, SNIFF_CHARS, sniff_format
from pipeline.model import Format
from tests.support import SEEDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", Format.HTML),
        ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>', Format.HTML),
        ("<div><p>One.</p><p>Two.</p><p>Three.</p></div>", Format.HTML),
        ("# Title\n\nSome [link](http://x.org) and ![img](a.png).\n", Format.MARKDOWN),
        ("## Head\n\n<div>left over</div>\n\n- item\n- item\n\n[a](b)", Format.MARKDOWN),
        ("Just words.\n\nAnother paragraph of plain text.", Format.TEXT),
        ("a < b and c > d, says the maths teacher", Format.TEXT),
    ],
    ids=["document", "xhtml", "fragment", "markdown", "markdown-with-html", "text", "angles"],
)
def test_shapes(text: str, expected: Format) -> None:
    assert sniff_format(text) is expected


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("000", Format.TEXT), ("003", Format.MARKDOWN)],
    ids=["text-dump", "markdown-with-html"],
)
def test_seed_dumps(prefix: str, expected: Format) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*")
    assert sniff_format(path.read_text(encoding="utf-8")) is expected


def test_tag_pattern_stops_at_the_next_tag() -> None:
    # Why hostile input stays linear: a tag that never closes cannot swallow the rest.
    text = "<p " * 5 + "<p>"
    assert [m.group() for m in BLOCK_TAG.finditer(text)] == ["<p>"]


def test_link_pattern_cannot_run_past_a_line_or_a_bracket() -> None:
    assert MD_LINK.search('[a](b "title never closed\n") [c](d)').group() == "[c](d)"
    assert MD_LINK.search("[a]([a]([a](x)").group() == "[a](x)"


@pytest.mark.parametrize(
    "text",
    ["<p " * 100_000, "<" * 300_000, "[a](" * 80_000, "**a" * 100_000, "[" * 300_000],
    ids=["unclosed-tags", "angles", "unclosed-links", "emphasis", "brackets"],
)
def test_hostile_text_is_sniffed(text: str) -> None:
    assert sniff_format(text) in set(Format)


def test_only_the_head_of_a_huge_text_is_looked_at() -> None:
    text = "plain words " * (SNIFF_CHARS // 12 + 10) + "<html><body>" * 10
    assert sniff_format(text) is Format.TEXT


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/p div[]()!#*-_ \n\"'ab1."), max_size=400))
def test_any_text_gets_a_format(text: str) -> None:
    assert sniff_format(text) in set(Format)

"""Reading records tolerantly, and the page's shortened forms of what it shows."""

from __future__ import annotations

import pytest

from pipeline.output.report.fields import (
    integer,
    kilo,
    number,
    preview,
    records,
    safe_href,
    short_source,
    similarity,
    string,
)


def test_mistyped_fields_read_as_absent() -> None:
    record = {"title": "", "id": 7, "ok": "x"}
    assert string(record, "title") is None
    assert string(record, "id") is None
    assert string(record, "missing") is None
    assert string(record, "ok") == "x"
    assert integer(True) is None and integer(3) == 3 and integer("3") is None
    assert number(False) is None and number(2) == 2.0 and number(0.5) == 0.5
    assert records([{"a": 1}, "b", None]) == [{"a": 1}]
    assert records({"a": 1}) == []
    assert similarity(0.9149) == "0.91" and similarity(None) is None


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
    ],
)
def test_only_web_links_become_links(url: str | None, href: str | None) -> None:
    assert safe_href(url) == href


def test_shortened_forms() -> None:
    assert preview("a  b\n c") == "a b c"
    assert preview("word " * 30, 12) == "word word w…"
    assert short_source("dumps/2024/page.html") == "page.html"
    assert short_source("C:\\dumps\\page.html") == "page.html"
    assert short_source("dumps/") == "dumps/"
    assert kilo(999) == "999" and kilo(12345) == "12.3k"

"""Field normalisation: valid Unicode, ISO dates and http(s) URLs, or None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.fields import http_url, iso_date, unicode_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain text", "plain text"),
        ("café, Zürich, 東京", "café, Zürich, 東京"),
        ("\ud800", "\ufffd"),
        ("a\udfffb", "a\ufffdb"),
        ("\ud83d\ude00", "😀"),  # a pair as two code points is joined
        ("\ude00\ud83d", "\ufffd\ufffd"),  # in the wrong order it is not a pair
    ],
)
def test_unicode_text(value: str, expected: str) -> None:
    assert unicode_text(value) == expected


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF)))
def test_unicode_text_always_encodes(value: str) -> None:
    out = unicode_text(value)
    out.encode("utf-8")  # never raises
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        assert out is value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-07-07", "2020-07-07"),
        (" 2020-07-07 ", "2020-07-07"),
        ("2020-07-07T10:11:12Z", "2020-07-07"),
        ("2020-07-07T23:59:00+05:00", "2020-07-07"),
        ("20200707", "2020-07-07"),
        ("Tue, 07 Jul 2020 10:11:12 GMT", "2020-07-07"),
        ("<script>alert(1)</script>", None),
        ("2020-13-45", None),
        ("yesterday", None),
        ("", None),
        (20200707, None),
        (None, None),
        ("\ud800", None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com/a?b=c#d", "https://example.com/a?b=c#d"),
        ("HTTP://EXAMPLE.COM/", "HTTP://EXAMPLE.COM/"),
        ("  http://example.com/x  ", "http://example.com/x"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("/relative/path", None),
        ("https://", None),
        ("http://exa mple.com/", None),
        ("http://example.com/\nnext", None),
        ("http://[::1", None),
        ("ftp://example.com/", None),
        ("\ud800", None),
        ("https://example.com/\ud800", "https://example.com/\ufffd"),
        (42, None),
    ],
)
def test_http_url(value: object, expected: str | None) -> None:
    assert http_url(value) == expected

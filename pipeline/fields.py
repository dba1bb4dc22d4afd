"""Every string that enters a record is valid Unicode, and every field holds its documented form.

Strings reach records from places the pipeline does not control: JSON strings (where
`"\\ud800"` is legal and yields a lone surrogate), WARC headers, a page's meta tags. A lone
surrogate cannot be encoded as UTF-8, so one such string once made the JSON writer fail at
the end of a run and cost every other input; a `date` of `<script>…` broke the documented
`YYYY-MM-DD`. So each value is normalised where it enters, by the functions here:
`unicode_text` for any text, `iso_date` for dates (ISO `YYYY-MM-DD` or None) and `http_url`
for URLs (an absolute http(s) URL or None). Values already in their form pass unchanged.
"""

from __future__ import annotations

import email.utils
import re
from datetime import datetime
from urllib.parse import urlsplit

_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_URL_SCHEMES = ("http", "https")


def unicode_text(value: str) -> str:
    """`value` as valid Unicode: surrogate pairs joined, lone surrogates as U+FFFD.

    A string holds a surrogate exactly when UTF-8 cannot encode it; encoding in C is
    several times faster than scanning a whole page with a regular expression."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def optional_text(value: object) -> str | None:
    """A non-empty string as valid Unicode; anything else (a number, null, "") as None."""
    if not isinstance(value, str) or not value:
        return None
    return unicode_text(value)


def iso_date(value: object) -> str | None:
    """The calendar date of an ISO 8601 or RFC 2822 (HTTP) date as `YYYY-MM-DD`, else None."""
    text = optional_text(value)
    if text is None:
        return None
    text = text.strip()
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def http_url(value: object) -> str | None:
    """An absolute http(s) URL with a host, stripped of surrounding space; else None.

    Anything else (`javascript:`, `data:`, a relative path, text with spaces or control
    characters inside) is not the field's documented form and is dropped.
    """
    text = optional_text(value)
    if text is None:
        return None
    text = text.strip()
    if _NOT_IN_URL.search(text):
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # an unbalanced "[" of an IPv6 host, a bad port
        return None
    if parts.scheme.lower() not in _URL_SCHEMES or not host:
        return None
    return text

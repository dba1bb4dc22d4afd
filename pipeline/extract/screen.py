"""Pathological structure screened before the parser sees it.

libxml2 parses in C, where the per-document time limit cannot interrupt it, and some
shapes cost it far more than their size: the attributes of one element are checked
against each other (quadratic: one element of a few hundred thousand attributes takes
minutes), and every element costs the extractors kilobytes and tens of microseconds
downstream (millions of `w<br>` take gigabytes). Such a page holds no article
anyone wrote, so it is refused with its reason before parsing, at the cost of one regular
expression pass in C:

- an element with more than `MAX_ATTRIBUTE_TOKENS` attribute tokens, read as libxml2
  reads a start tag: blank-separated `name=value` pairs (a quoted value may hold blanks
  and `>`), anything else skipped as bogus up to the next blank — no real page comes
  near it;
- more than `MAX_ELEMENTS` start tags.

Script and style contents and comments are passed over as the parser does (they are not
markup: minified code is full of `a<b`), and every repetition in the patterns either is
bounded or stops at the next quote, so the scan is linear in the page.
"""

from __future__ import annotations

import re
import string

from pipeline.errors import ExtractionError

MAX_ELEMENTS = 200_000
"""Start tags beyond which the page is refused: every element costs the extractors memory
and time, and real pages stay far below this count, where a page still fits the run's
memory bound (see docs/benchmarks.md, Hostile inputs)."""
MAX_ATTRIBUTE_TOKENS = 2_000
"""Attribute tokens of one element beyond which the page is refused: libxml2 is still fast
at this count, and real pages stay far below it."""

_SCAN = re.compile(
    # `<` once, before the alternatives: the engine then jumps from one `<` to the next.
    r"<(?:!--.*?(?:-->|\Z)"  # a comment, to its end (or the page's)
    # raw text, not markup, up to its end tag: runs without `<` are taken whole
    # (possessively) rather than one character at a time, inline scripts being most of
    # many pages
    r"|(script|style)\b(?:[^<]++|<(?!/\1))*+(?:</\1|\Z)"
    r"|([A-Za-z][^\s/>]*+"  # a start tag with too many attribute tokens:
    r"(?:\s++"  # each after blanks, as libxml2 reads them,
    r"(?:[^\s>/=\"'<]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s>\"']++))?+)?+"  # name=value
    r"[^\s>]*+"  # and what libxml2 skips as bogus up to the next blank
    r"){" + str(MAX_ATTRIBUTE_TOKENS) + "}+))",  # possessive: a shorter tag fails at once
    re.DOTALL | re.IGNORECASE,
)


def screen_markup(markup: str, max_elements: int = MAX_ELEMENTS) -> None:
    """Raise `ExtractionError` naming the structure when the page is pathological."""
    if markup.count("<") > max_elements and _elements(markup) > max_elements:
        raise ExtractionError(f"pathological HTML: more than {max_elements} elements")
    for match in _SCAN.finditer(markup):
        if match.group(2) is not None:
            raise ExtractionError(
                f"pathological HTML: an element with more than {MAX_ATTRIBUTE_TOKENS} "
                "attributes (libxml2 parses them in quadratic time)"
            )


def _elements(markup: str) -> int:
    """Start tags: `<` and a letter (one C-speed count per letter; a regular expression
    builds a result per match, seconds for millions)."""
    return sum(markup.count("<" + letter) for letter in string.ascii_letters)

"""The small vocabularies and text patterns the passes read: data apart from the logic.

The chrome patterns, grouped by removal reason, are in `rules`; these are the shapes a
pass looks for in any paragraph (a word, a sentence's end, a date, a bare URL) and the
stopwords that tell running prose from a menu.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)
"""A word, in any script that separates words."""
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
"""A character of a script written without spaces (Chinese, Japanese, Korean)."""
SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
"""A paragraph ending as a sentence does, closing quotes and brackets allowed."""
UPDATE_NOTE = re.compile(r"^\W*(update[ds]?|correction|editor'?s note)\b", re.IGNORECASE)
"""An editor's note, kept wherever it stands (it reads as a short non-sentence)."""
TRUNCATED = re.compile(r"(\.\.\.\.?|…)$")
"""A cut-off excerpt, as teaser lists show them."""
URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
"""A URL spelled out in the text, which an author writes on purpose."""
BARE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
"""A paragraph that is only a URL: the page's own address in a print view."""
DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b"
    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b"
    r"|\b\d{1,2}\.? (de )?(jan|feb|fév|mär|mar|apr|avr|abr|may|mai|mag|jun|jui|giu|jul|lug"
    r"|aug|ago|aoû|sep|set|okt|oct|ott|out|nov|dec|dez|déc|dic)[a-zé]*\b",
    re.IGNORECASE,
)
"""A date or a time of day, numeric or with a month's name in a few languages."""
TAG_SEPARATORS = re.compile(r"[,|·•;]")
"""What separates the items of a tag list."""

_ENGLISH = (
    "a an and are as at be by for from has have he her his in is it its of on or our she "
    "that the their they this to was we were what which who will with you your not no but "
    "if than then there these those been being do does did can could would should may "
    "might must shall"
)
_FRENCH = "le la les de des du et un une"
_GERMAN = "der die das und ein eine"
_SPANISH = "el los las y en"
STOPWORDS = frozenset(f"{_ENGLISH} {_FRENCH} {_GERMAN} {_SPANISH}".split())
"""Function words of English, French, German and Spanish: prose has many, menus few."""

"""The stopwords of a page's language, from jusText's stoplists (a trafilatura dependency).

Running prose is full of function words whatever its language; menus, tag lists and
link rows are not. The scorer needs the *page's* function words for that to carry
across languages: the page's declared `lang` picks the list when jusText has one, and
otherwise the candidate list covering most of the page's first words wins (a cheap
guess that tells the languages the benchmark pages are written in apart).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import justext

CODES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ms": "Malay", "nb": "Norwegian_Bokmal", "nl": "Dutch", "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip
"""ISO 639-1 codes (the first part of a `lang` attribute) to jusText's stoplist names."""
CANDIDATES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "sv", "id")
"""Tried, in this order, when the page declares no language jusText knows."""
SAMPLE_WORDS = 400
"""Words of the page read to guess its language."""

_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=64)
def stoplist(code: str) -> frozenset[str]:
    """The lowercased stopwords of a language code (empty if jusText has none)."""
    name = CODES.get(code)
    if name is None:
        return frozenset()
    return frozenset(word.lower() for word in justext.get_stoplist(name))


def declared(language: str | None) -> str | None:
    """The code of a `lang` value jusText has a list for: `en-US` → `en`; else None."""
    if not language:
        return None
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return code if code in CODES else None


def page_stopwords(language: str | None, texts: Iterable[str]) -> frozenset[str]:
    """The stopwords of the page: its declared language's, or the best-covering guess."""
    code = declared(language)
    if code is not None:
        return stoplist(code)
    words: list[str] = []
    for text in texts:
        words.extend(w.lower() for w in _WORD.findall(text))
        if len(words) >= SAMPLE_WORDS:
            break
    if not words:
        return stoplist("en")
    best = max(CANDIDATES, key=lambda c: sum(1 for w in words if w in stoplist(c)))
    return stoplist(best)

"""The visible "By Jane Doe" line of a page, found by its wording rather than its markup.

Many pages mark their byline with no class or attribute a rule could know (utility-class
CSS, generated names), and carry no author meta tag or JSON-LD; what they share is the
wording a reader sees: a short line that opens with "By", "Written by", "Posted by" or
the same in a few other languages, followed by one or more names. Such a line in the
navigation, the footer, a sidebar or a comment is not the article's, and the one inside
`<article>` or `<main>` wins over one elsewhere, since teasers for other stories repeat
the pattern below the article.

What follows the opener must have the shape of names: capitalised words, initials and
name particles, two words or more, ended by a date, a separator or the end of the line.
"""

from __future__ import annotations

import re

from lxml import etree, html

from pipeline.extract.names import author_names, vocabulary

_OPENER = re.compile(
    r"^\s*(?:(?:written|posted|words|story|text|article|reporting)\s+by|by|von|par|por|door)\b"
    r"\s*:?\s*",
    re.IGNORECASE,
)
# Where a byline's names end: a separator, a date, a time, a role or "updated" note.
_END = re.compile(
    r"\s*(?:[|·•\n\r\t]|\s[-–—]\s|\d|\b(?:on|in|at|updated|published|posted|last)\b|"
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\b\.?\s*\d|$)",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.\-]*|[^\W\d_]\.)$")
_PARTICLES = vocabulary("al bin da de del der di du la le van von y")
_JOINERS = frozenset(("and", "&", ",", "und", "et", "y", "e"))
# Words that open a sentence ("By Following These Steps You …"), not a name.
_FUNCTION_WORDS = vocabulary("""
    a an the this these those that there their them they you your we our us i it its he
    she his her is are was be been will can have has with for to of about all any
    each every some one no not using following doing making
    """)
_SKIPPED = ("nav", "footer", "aside", "form", "button", "select", "noscript", "script", "style")
_SKIPPED_CLASS = re.compile(r"comment|related|sidebar|footer|teaser|newsletter", re.IGNORECASE)
_MAX_LINE_CHARS = 160
_MIN_WORDS = 2
_MAX_WORDS = 5


def _name_shaped(name: str) -> bool:
    words = name.split()
    if not _MIN_WORDS <= len(words) <= _MAX_WORDS:
        return False
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
    return True


def _excluded(element: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in _SKIPPED:
            return True
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if _SKIPPED_CLASS.search(marks):
            return True
    return False


def _line_names(element: etree._Element, site_names: list[str]) -> list[str]:
    line = " ".join(" ".join(element.itertext()).split())
    if not _OPENER.sub("", line, count=1).strip() and (parent := element.getparent()) is not None:
        line = " ".join(" ".join(parent.itertext()).split())  # <span>By</span> <a>Name</a>
    if len(line) > _MAX_LINE_CHARS:
        return []
    opened = _OPENER.match(line)
    if opened is None:
        return []
    rest = line[opened.end() :]
    end = _END.search(rest)
    rest = rest[: end.start()] if end else rest
    if not _capitalised(rest):
        return []
    return [n for n in author_names(rest, site_names) if _name_shaped(n)]


def _capitalised(text: str) -> bool:
    """Every word of the raw line is a name word: capitalised, a particle or a joiner."""
    for word in text.replace(",", " , ").split():
        folded = word.casefold()
        if folded in _JOINERS or folded in _PARTICLES:
            continue
        if folded in _FUNCTION_WORDS or not word[0].isupper():
            return False
    return True


def visible_byline(tree: html.HtmlElement, site_names: list[str]) -> list[str]:
    """Names of the first byline line, in `<article>`/`<main>` if one is there."""
    found: list[str] = []
    for element in tree.iter(etree.Element):
        text = element.text
        if not text or element.tag in _SKIPPED or _OPENER.match(text) is None:
            continue
        if _excluded(element):
            continue
        names = _line_names(element, site_names)
        if not names:
            continue
        if any(a.tag in ("article", "main") for a in element.iterancestors()):
            return names
        if not found:
            found = names
    return found

"""trafilatura's byline fallback, with its element tests run in Python instead of XPath.

`trafilatura.metadata.extract_author` prunes a copy of the page with two XPaths and then
tries three more; on pages without author meta tags this cost about a third of the whole
metadata step (measured on the scrapinghub development set), almost all of it libxml2
evaluating a chain of twenty attribute tests for every element and lxml building an
element proxy for each match. The tests only look at an element's tag and attributes, so
the same elements are found by walking the tags concerned and reading two or three
attributes each. The regular expressions are taken from trafilatura's own XPath text, and
the deletions, the choice of the first fitting match and the name normalisation are
trafilatura's functions, so the author found is the same.

The predicates below are written for trafilatura's XPaths as they read today: if the
installed version's differ in any way, `page_author` calls trafilatura's own function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from copy import deepcopy

from lxml import etree, html
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_author
from trafilatura.utils import trim
from trafilatura.xml import delete_element
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

# trafilatura 2.x's XPaths, whitespace collapsed, which the walks below reproduce.
_AUTHOR_SOURCES = (
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or "
    "self::strong][ @rel='author' or @id='author' or @class='author' or "
    "@itemprop='author name' or rel='me' or @data-testid='AuthorCard' or "
    "@data-testid='AuthorURL' or re:test(@class, 'author-?name|AuthorName|authorName')]"
    "|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ "
    "@class='byline' or @class='username' or @class='byl' or @class='BBL' or "
    "contains(@itemprop, 'author') or re:test(@id, 'author|zuozhe|bianji|xiaobian') or "
    "re:test(@class, 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|"
    "journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or "
    "re:test(@id, '[Aa]uthor') or re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
)
_DISCARD_SOURCES = (
    ".//*[self::a or self::div or self::section or self::span][ @id='comments' or "
    "@class='comments' or @class='title' or @class='date' or "
    "re:test(@id, '^comments|comment-?list|ProductReviews') or "
    "re:test(@class, '^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|"
    "embedly-instagram|article-(?:share|support)|print|category|meta-date|meta-reviewer') or "
    "contains(@data-component, 'Figure')]",
    "//time|//figure",
)
_RE_TEST = re.compile(r"re:test\(@\w+, '([^']*)'\)")
_WS = re.compile(r"\s+")
# trafilatura's byline length bound for a match (`extract_author`).
_AUTHOR_LEN_LIMIT = 120


def _collapsed(expression: etree.XPath) -> str:
    return _WS.sub(" ", expression.path).strip()


def _patterns(source: str) -> list[re.Pattern[str]]:
    # lxml answers EXSLT `re:test(s, p)` with Python's `re.compile(p).search(s)`.
    return [re.compile(p) for p in _RE_TEST.findall(source)]


# True when the installed trafilatura's byline XPaths are the ones the walks reproduce.
WALKS_MATCH_TRAFILATURA = (
    tuple(map(_collapsed, AUTHOR_XPATHS)) == _AUTHOR_SOURCES
    and tuple(map(_collapsed, AUTHOR_DISCARD_XPATHS)) == _DISCARD_SOURCES
)
(_A0_CLASS,) = _patterns(_AUTHOR_SOURCES[0])
_A1_ID, _A1_CLASS = _patterns(_AUTHOR_SOURCES[1])
_A2_ID, _A2_CLASS = _patterns(_AUTHOR_SOURCES[2])
_D0_ID, _D0_CLASS = _patterns(_DISCARD_SOURCES[0])

_A0_TAGS = ("a", "address", "div", "link", "p", "span", "strong")
_A1_TAGS = ("a", "div", "h3", "h4", "p", "span")
_D0_TAGS = ("a", "div", "section", "span")


def _is_author_0(element: etree._Element) -> bool:
    get = element.get
    cls = get("class")
    return (
        get("rel") == "author"
        or get("id") == "author"
        or cls == "author"
        or get("itemprop") == "author name"
        or any(child.xpath("string(.)") == "me" for child in element.iterchildren("rel"))
        or get("data-testid") in ("AuthorCard", "AuthorURL")
        or _A0_CLASS.search(cls or "") is not None
    )


def _author_0(root: etree._Element) -> Iterator[etree._Element]:
    # The union with `//author` keeps document order and lists an element once.
    for element in root.iter(*_A0_TAGS, "author"):
        if element.tag == "author" or _is_author_0(element):
            yield element


def _author_1(root: etree._Element) -> Iterator[etree._Element]:
    for element in root.iter(*_A1_TAGS):
        get = element.get
        cls = get("class") or ""
        if (
            cls in ("byline", "username", "byl", "BBL")
            or "author" in (get("itemprop") or "")
            or _A1_ID.search(get("id") or "") is not None
            or _A1_CLASS.search(cls) is not None
        ):
            yield element


def _author_2(root: etree._Element) -> Iterator[etree._Element]:
    for element in root.iter(etree.Element):
        get = element.get
        if (
            "Byline" in (get("data-component") or "")
            or "author" in (get("itemprop") or "")
            or _A2_ID.search(get("id") or "") is not None
            or _A2_CLASS.search(get("class") or "") is not None
        ):
            yield element


def _discarded(root: etree._Element) -> list[etree._Element]:
    found = []
    for element in root.iterdescendants(*_D0_TAGS):
        get = element.get
        ident = get("id")
        cls = get("class")
        if (
            ident == "comments"
            or cls in ("comments", "title", "date")
            or _D0_ID.search(ident or "") is not None
            or _D0_CLASS.search(cls or "") is not None
            or "Figure" in (get("data-component") or "")
        ):
            found.append(element)
    return found


_AUTHOR_WALKS: tuple[Callable[[etree._Element], Iterator[etree._Element]], ...] = (
    _author_0,
    _author_1,
    _author_2,
)


def page_author(tree: html.HtmlElement) -> str | None:
    """What `trafilatura.metadata.extract_author(tree)` returns.

    trafilatura deletes the discarded elements from a copy of the page before its walks;
    here they are only set aside: the walks pass over them and what lies inside them,
    and a match's text leaves them out as the deletion would (`_text_without`), so the
    page is not copied. A `<rel>` element (matched by its text) takes the copying path.
    """
    if not WALKS_MATCH_TRAFILATURA:
        return extract_author(tree)
    if next(tree.iter("rel"), None) is not None:
        return _author_on_copy(tree)
    removed = set(_discarded(tree))
    removed.update(tree.iter("time", "figure"))
    for walk in _AUTHOR_WALKS:
        for element in walk(tree):
            if element in removed or any(a in removed for a in element.iterancestors()):
                continue
            content = trim(" ".join(_text_without(element, removed)))
            if content and 2 < len(content) < _AUTHOR_LEN_LIMIT:
                author: str | None = normalize_authors(None, content)
                return author
    return None


def _text_without(element: etree._Element, removed: set[etree._Element]) -> list[str]:
    """`element.itertext()` as it would read with the `removed` descendants deleted by
    trafilatura's `delete_element`, which joins each one's tail to the text before it
    (the previous sibling's tail, or the parent's text) with no space between."""
    pieces: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            pieces.append(node.tail or "")
            continue
        if node is not element and node in removed:
            if node.tail and pieces:
                pieces[-1] += node.tail
            continue
        if node is not element:
            stack.append((node, True))
        if isinstance(node.tag, str):
            pieces.append(node.text or "")
            stack.extend((child, False) for child in reversed(node))
    return [piece for piece in pieces if piece]


def _author_on_copy(tree: html.HtmlElement) -> str | None:
    # The copy is the root of its own document, so `//` in trafilatura's XPaths is the
    # whole copy; each expression's matches are collected before any is deleted.
    root = deepcopy(tree)
    for element in _discarded(root):
        delete_element(element)
    for element in list(root.iter("time", "figure")):
        delete_element(element)
    for walk in _AUTHOR_WALKS:
        for element in walk(root):
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < _AUTHOR_LEN_LIMIT:
                author: str | None = normalize_authors(None, content)
                return author
    return None

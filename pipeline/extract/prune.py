"""trafilatura's pruning XPaths as tree walks, for the duration of the pipeline's calls.

On every page trafilatura deletes comment sections, appended articles, share bars,
navigation and hidden blocks found by five XPaths that test `id`, `class` and `style`
with EXSLT `re:test`. lxml answers each `re:test` by calling back into Python for every
element tested, and those callbacks were about half of the first extraction pass. The
tests only read an element's tag and a few attributes, so a walk over the tags concerned
does the same with the same regular expressions (taken from the XPath text) and returns
the same elements in the same, document, order; a test holds each walk to its XPath on
real pages and generated markup.

Each walk is written for one XPath as its text reads today (`_SOURCES`): where the
installed trafilatura's text differs, that XPath stays. `pruning_walks()` puts the walks
into trafilatura's lists for a block and the XPaths back after it, counted across
threads, so trafilatura called outside the pipeline is left as it is (and inside, the
answers are the same either way).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from lxml import etree
from trafilatura import xpaths

Walk = Callable[[etree._Element], list[etree._Element]]

_WS = re.compile(r"\s+")
_RE_TEST = re.compile(r"re:test\(@[\w|@]+, '([^']*)'\)")

# trafilatura 2.x's XPaths, whitespace collapsed, which the walks below reproduce.
_COMMENTS_AND_LISTS = (
    ".//*[self::div or self::list or self::section or self::details or self::ol or "
    "self::ul][ re:test(@id, '^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or "
    "re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')][ not(self::ol or "
    "self::ul) or re:test(@id, '^(?:[Cc]omment(?!ary)|comol)') or re:test(@class, "
    "'^[Cc]omment(?!ary)|(?:article|post)-comments')]"
)
_APPENDED_ARTICLES = (
    ".//*[self::div or self::section or self::aside][ re:test(@id, "
    "'mvp-post-add-(?:box|wrap)|infinite-?scroll') or re:test(@class, "
    "'mvp-post-add-(?:box|wrap)|infinite-?scroll')][ not(.//h1) or re:test(@id, "
    "'mvp-post-add-(?:box|wrap)') or re:test(@class, 'mvp-post-add-(?:box|wrap)')]"
)
_SHARE_BUTTONS = (
    ".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]"
)
_DISCARDED_BLOCKS = (
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
    "@data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or "
    "contains(@data-component, 'MostPopularStories') or re:test(@id|@class, 'cookie') or "
    "re:test(@id, '^shar|social|viral|newsletter|syndication|tags|sidebar|banner|"
    "bread-?crumb|button|author|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|"
    "Nav|menu|related|message-container|premium|^ad-') or re:test(@class, '^shar|social|"
    "viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author|"
    "^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-|"
    "(?:^| )ad-|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline|"
    "Byline|share-|sociable|embedded|embed|tag-list|consent|modal-content|permission|elated|"
    "next-|-stories|most-popular|more-on|meta|rating|attachment|timestamp|user-info|"
    "user-profile|-icon|article-infos|message-container|slide|viewport|overlay|options|"
    "expand|obfuscated|blurred|mol-factbox|yin|zlylin|nfoline')]"
)
_HIDDEN_ELEMENTS = (
    ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or re:test(@id|@style, "
    "'hidden') or contains(@style, 'display:none') or contains(@style, 'display: none') or "
    "re:test(@id, 'reader-comments|akismet') or re:test(@class, '^hide-|comments-title|"
    "nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print| hidden| hide|noprint|"
    "notloaded') or @aria-hidden='true']"
)
_ID_CLASS = ("id", "class")
_ID_STYLE = ("id", "style")


def _patterns(source: str) -> list[re.Pattern[str]]:
    # lxml answers EXSLT `re:test(s, p)` with Python's `re.compile(p).search(s)`.
    return [re.compile(p) for p in _RE_TEST.findall(source)]


def _first(element: etree._Element, a: str | None, b: str | None, names: tuple[str, str]) -> str:
    """The string XPath makes of `@a|@b` (`a` and `b` their values, None when absent): a
    union is in document order, so when both are there it is the one the element lists
    first."""
    if a is None or b is None:
        return a or b or ""
    for name, value in element.attrib.items():
        if name in names:
            return str(value)
    return ""  # pragma: no cover - both were found above


def _comments_and_lists(source: str) -> Walk:
    any_id, any_class, list_id, list_class = _patterns(source)

    def walk(tree: etree._Element) -> list[etree._Element]:
        found = []
        for element in tree.iterdescendants("div", "list", "section", "details", "ol", "ul"):
            ident, cls = element.get("id") or "", element.get("class") or ""
            if not (any_id.search(ident) or any_class.search(cls)):
                continue
            if element.tag not in ("ol", "ul") or list_id.search(ident) or list_class.search(cls):
                found.append(element)
        return found

    return walk


def _appended_articles(source: str) -> Walk:
    any_id, any_class, named_id, named_class = _patterns(source)

    def walk(tree: etree._Element) -> list[etree._Element]:
        found = []
        for element in tree.iterdescendants("div", "section", "aside"):
            ident, cls = element.get("id") or "", element.get("class") or ""
            if not (any_id.search(ident) or any_class.search(cls)):
                continue
            if (
                next(element.iterdescendants("h1"), None) is None
                or named_id.search(ident)
                or named_class.search(cls)
            ):
                found.append(element)
        return found

    return walk


def _share_buttons(source: str) -> Walk:
    def walk(tree: etree._Element) -> list[etree._Element]:
        return [
            element
            for element in tree.iterdescendants("div", "section", "aside")
            if "elementor-share-buttons" in (element.get("class") or "")
        ]

    return walk


def _discarded_blocks(source: str) -> Walk:
    cookie, by_id, by_class = _patterns(source)

    def discarded(element: etree._Element) -> bool:
        get = element.get
        ident, cls = get("id"), get("class")
        return (
            get("data-lp-replacement-content") is not None
            or "nav" in (get("role") or "").replace("N", "n")
            or "MostPopularStories" in (get("data-component") or "")
            or cookie.search(_first(element, ident, cls, _ID_CLASS)) is not None
            or by_id.search(ident or "") is not None
            or by_class.search(cls or "") is not None
        )

    def walk(tree: etree._Element) -> list[etree._Element]:
        tags = ("div", "item", "list", "p", "section", "span")
        return [element for element in tree.iterdescendants(*tags) if discarded(element)]

    return walk


def _hidden_elements(source: str) -> Walk:
    hidden, by_id, by_class = _patterns(source)

    def is_hidden(element: etree._Element) -> bool:
        get = element.get
        ident, cls, style = get("id"), get("class"), get("style") or ""
        return (
            cls == "comments-title"
            or _first(element, ident, cls, _ID_CLASS).startswith("reply-")
            or hidden.search(_first(element, ident, get("style"), _ID_STYLE)) is not None
            or "display:none" in style
            or "display: none" in style
            or by_id.search(ident or "") is not None
            or by_class.search(cls or "") is not None
            or get("aria-hidden") == "true"
        )

    def walk(tree: etree._Element) -> list[etree._Element]:
        return [element for element in tree.iterdescendants(etree.Element) if is_hidden(element)]

    return walk


_SOURCES: tuple[tuple[list[Any], int, str, Callable[[str], Walk]], ...] = (
    (xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH, 0, _COMMENTS_AND_LISTS, _comments_and_lists),
    (xpaths.RAW_TREE_PRUNE_XPATH, 0, _APPENDED_ARTICLES, _appended_articles),
    (xpaths.RAW_TREE_PRUNE_XPATH, 1, _SHARE_BUTTONS, _share_buttons),
    (xpaths.OVERALL_DISCARD_XPATH, 0, _DISCARDED_BLOCKS, _discarded_blocks),
    (xpaths.OVERALL_DISCARD_XPATH, 1, _HIDDEN_ELEMENTS, _hidden_elements),
)


def _collapsed(expression: object) -> str:
    return _WS.sub(" ", str(getattr(expression, "path", ""))).strip()


def matching_walks() -> list[tuple[list[Any], int, Any, Walk]]:
    """(list, index, trafilatura's XPath, walk) for every XPath whose text is the one its
    walk was written for."""
    out = []
    for holder, index, source, make in _SOURCES:
        if index < len(holder) and _collapsed(holder[index]) == source:
            out.append((holder, index, holder[index], make(source)))
    return out


WALKS = matching_walks()
"""The walks that stand in for the installed trafilatura's XPaths (all five where its
text is the one above)."""


class _Swap:
    """How many blocks run with the walks in place; the first puts them in, the last
    takes them out."""

    def __init__(self, walks: Sequence[tuple[list[Any], int, Any, Walk]]) -> None:
        self.walks = walks
        self.users = 0
        self.lock = threading.Lock()

    def enter(self) -> None:
        with self.lock:
            if not self.users:
                for holder, index, _, walk in self.walks:
                    holder[index] = walk
            self.users += 1

    def leave(self) -> None:
        with self.lock:
            self.users -= 1
            if not self.users:
                for holder, index, expression, _ in self.walks:
                    holder[index] = expression


_SWAP = _Swap(WALKS)


@contextmanager
def pruning_walks() -> Iterator[None]:
    """trafilatura prunes with the walks inside the block (in any thread)."""
    _SWAP.enter()
    try:
        yield
    finally:
        _SWAP.leave()

"""What a page's JSON-LD says about its article: headline, authors, dates, publisher.

The schema.org block is the page's own structured statement of who wrote what and when,
so it outranks guesses from the visible page. It comes in many shapes, all of which occur:
one object, a list, an `@graph` of nodes linked by `@id` (Yoast and most CMS plugins),
authors as strings, Person or Organization objects, lists of them, or bare `{"@id": …}`
references; `@type` in any case, or a list of types. trafilatura's reader covers a subset
(it takes a Person only when typed with that exact spelling, and ignores `@id` links), so
the nodes are walked here in full and the article node's fields are read as they are meant.

Persons and organisations are kept apart: an organisation named as author is often only
the publisher restated, which `pipeline.extract.metadata` checks against the site name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

from lxml import html

# schema.org types whose node describes the page's main work, best first.
_ARTICLE_TYPES = (
    "newsarticle",
    "article",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "report",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
    "medicalwebpage",
    "review",
    "recipe",
    "howto",
    "creativework",
    "webpage",
    "itempage",
)
_ORGANISATION_TYPES = frozenset(
    ("organization", "newsmediaorganization", "corporation", "localbusiness", "website")
)
_PERSON_TYPES = frozenset(("person",))
_REFERENCE_KEYS = frozenset(("@id", "@type"))
# Deeper than any real block; a guard against self-nesting data, not a limit in practice.
_MAX_DEPTH = 12
_MAX_SCRIPT_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class LinkedData:
    headline: str | None = None
    authors: tuple[str, ...] = ()
    """Persons (or authors of no type) named as the article's authors, in their order."""
    organisations: tuple[str, ...] = ()
    """Organisations named as the article's authors."""
    published: str | None = None
    modified: str | None = None
    publishers: tuple[str, ...] = ()
    """Names of the publisher and of the WebSite/Organization nodes: the site's own names."""


def linked_data(tree: html.HtmlElement) -> LinkedData:
    """Never raises: a block that does not parse is skipped."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        text = script.text
        if "ld+json" not in kind or not text or len(text) > _MAX_SCRIPT_CHARS:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        nodes.extend(_nodes(data, 0))
    by_id: dict[str, dict[str, Any]] = {}
    for node in nodes:
        # A reference ({"@id": …} alone) must not shadow the node it points to.
        if isinstance(node.get("@id"), str) and not set(node) <= _REFERENCE_KEYS:
            by_id.setdefault(node["@id"], node)
    article = _main_work(nodes)
    publishers = _site_names(nodes, article, by_id)
    if article is None:
        return LinkedData(publishers=publishers)
    persons: list[str] = []
    organisations: list[str] = []
    for author in _as_list(article.get("author")) + _as_list(article.get("creator")):
        _add_author(author, by_id, persons, organisations)
    return LinkedData(
        headline=_text(article.get("headline")) or _text(article.get("name")),
        authors=tuple(dict.fromkeys(persons)),
        organisations=tuple(dict.fromkeys(organisations)),
        published=_text(article.get("datePublished")) or _text(article.get("dateCreated")),
        modified=_text(article.get("dateModified")),
        publishers=publishers,
    )


def _nodes(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every object of the data, outer before inner, in document order."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _nodes(value, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    types = set()
    for value in _as_list(node.get("@type")):
        if isinstance(value, str):
            types.add(value.rsplit("/", 1)[-1].lower())
    return types


def _main_work(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    best: tuple[int, dict[str, Any]] | None = None
    for node in nodes:
        types = _types(node)
        rank = next((i for i, t in enumerate(_ARTICLE_TYPES) if t in types), None)
        if rank is None or not (node.get("headline") or node.get("author")):
            continue
        if best is None or rank < best[0]:
            best = (rank, node)
    return best[1] if best else None


def _add_author(
    value: Any, by_id: dict[str, dict[str, Any]], persons: list[str], organisations: list[str]
) -> None:
    if isinstance(value, str):
        value = value.strip()
        if value.startswith(("{", "[")):  # an author list serialised once more
            try:
                value = json.loads(value)
            except ValueError:
                return
            for item in _as_list(value):
                _add_author(item, by_id, persons, organisations)
            return
        if value and not value.lower().startswith(("http:", "https:", "/")):
            persons.append(value)
        return
    if not isinstance(value, dict):
        return
    if set(value) <= _REFERENCE_KEYS and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], value)
    name = _person_name(value)
    if name is None:
        return
    types = _types(value)
    if types & _ORGANISATION_TYPES and not types & _PERSON_TYPES:
        organisations.append(name)
    else:
        persons.append(name)


def _person_name(node: dict[str, Any]) -> str | None:
    name = node.get("name")
    if isinstance(name, dict):
        name = name.get("name") or name.get("@value")
    if isinstance(name, list):
        name = ", ".join(n for n in name if isinstance(n, str))
    text = _text(name)
    if text is None:
        parts = [_text(node.get(k)) for k in ("givenName", "familyName")]
        text = " ".join(p for p in parts if p) or None
    if text is None or text.lower().startswith(("http:", "https:")):
        return None
    return text


def _site_names(
    nodes: list[dict[str, Any]], article: dict[str, Any] | None, by_id: dict[str, dict[str, Any]]
) -> tuple[str, ...]:
    names = []
    if article is not None:
        for publisher in _as_list(article.get("publisher")):
            if isinstance(publisher, dict):
                publisher = by_id.get(str(publisher.get("@id")), publisher)
                names.append(_text(publisher.get("name")))
            else:
                names.append(_text(publisher))
    for node in nodes:
        if "website" in _types(node) or "publisher" in node:
            target = node if "website" in _types(node) else node.get("publisher")
            if isinstance(target, dict):
                target = by_id.get(str(target.get("@id")), target)
                names.append(_text(target.get("name")))
                names.append(_text(target.get("alternateName")))
    return tuple(dict.fromkeys(n for n in names if n))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    if isinstance(value, str) and (text := " ".join(unescape(value).split())):
        return text
    return None

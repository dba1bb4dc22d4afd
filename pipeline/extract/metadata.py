"""Title, author, date, site and canonical URL of an HTML page, from trafilatura's parts.

`trafilatura.bare_extraction(with_metadata=True)` also collects categories, tags and a
license, which the article record has no field for and which cost about a third of the
metadata time (measured on the scrapinghub development set). This module runs the same
steps in the same order, minus those three; and because the body is then extracted
without a URL, trafilatura no longer resolves every link of the page against it.

Where the page's sources disagree, they are weighed by what a reader of the page sees:
the title is the page's one `<h1>` before the meta and JSON-LD titles written for search
results; the author comes from the JSON-LD Person, the visible "By …" line, the meta tags
and trafilatura's byline walk, in that order, each name checked by `extract.names` (no
label, button, date or site name as an author); the date is htmldate's reading of the
markup when the article header shows it, else the date written in the header
(`extract.dates`).

Each field leaves in its documented form (`pipeline.fields`): text as valid Unicode, the
date as `YYYY-MM-DD`, the URL an absolute http(s) URL — a canonical link of `javascript:`
or a relative path is not one, and None is better than a value a reader cannot trust.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from courlan import extract_domain
from htmldate import find_date
from lxml import html
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)

from pipeline.extract.author import page_author
from pipeline.extract.byline import visible_byline
from pipeline.extract.dates import headline_dates, page_date
from pipeline.extract.jsonld import LinkedData, linked_data
from pipeline.extract.names import author_names, is_site_name, join_names
from pipeline.fields import http_url, iso_date, unicode_text
from pipeline.model import Metadata

_WS = re.compile(r"\s+")
# The longest second-level label of a country domain ("co" in co.uk, "com" in com.au).
_SECOND_LEVEL_MAX = 3
_MIN_HEADLINE_CHARS = 4
_MAX_HEADLINE_CHARS = 300
_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")
# htmldate options: prefer the publication date over the last modification.
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": True}


def page_metadata(tree: html.HtmlElement, url: str | None = None) -> Metadata:
    """Never raises for odd metadata: a field that cannot be read stays None."""
    meta = examine_meta(tree)
    meta_author = meta.author
    with contextlib.suppress(Exception):  # trafilatura guards this call the same way
        meta = extract_meta_json(tree, meta)
    ld = linked_data(tree)
    page_url = meta.url or extract_url(tree, url)
    sites = _site_names(meta.sitename, ld, page_url or url)
    title = _headline(tree, sites) or meta.title or extract_title(tree)
    author = _author(tree, ld, meta_author, sites)
    markup_date = iso_date(find_date(tree, url=page_url, **_DATE_PARAMS))
    date = page_date(markup_date, headline_dates(tree), stated=iso_date(ld.published))
    site = meta.sitename or extract_sitename(tree)
    if site:
        site = site.lstrip("@")
        if site and "." not in site and not site[0].isupper():
            site = site.title()
    elif page_url and (found := _SITE_FROM_URL.match(page_url)):
        site = found[1]
    if not site and page_url:
        site = extract_domain(page_url, fast=True)
    return Metadata(
        title=_tidy(title),
        author=_tidy(author),
        date=date,
        site=_tidy(site),
        url=http_url(_tidy(page_url)) or http_url(url),
    )


def _headline(tree: html.HtmlElement, sites: list[str]) -> str | None:
    """The page's one `<h1>`: the headline as the reader sees it.

    Meta and JSON-LD titles are often written for search results and social cards (another
    wording, a site suffix); a page with a single `<h1>` shows its headline there. With
    several `<h1>`s (a logo, a section name, teasers) none of them is trusted, nor one
    that only names the site (a logo in an `<h1>` on a page whose headline is an `<h2>`).
    """
    headings = [h for h in tree.iter("h1") if not _in_chrome(h)]
    if len(headings) != 1:
        return None
    text = " ".join(" ".join(headings[0].itertext()).split())
    if not _MIN_HEADLINE_CHARS <= len(text) <= _MAX_HEADLINE_CHARS or is_site_name(
        text, sites, exact=True
    ):
        return None
    return text


def _in_chrome(element: html.HtmlElement) -> bool:
    return any(a.tag in ("nav", "footer", "aside") for a in element.iterancestors())


def _author(
    tree: html.HtmlElement, ld: LinkedData, meta_author: str | None, sites: list[str]
) -> str | None:
    """The first source that yields a plausible name, most explicit first.

    The JSON-LD author Person is the page's own statement; the visible "By …" line is what
    a reader sees and, where a meta tag names someone else (the account that uploaded the
    post), is the one the page shows as author; then the meta tags; then trafilatura's
    walk over author-classed elements, the noisiest source. An Organization named as author
    in JSON-LD is the publisher restated more often than a desk's name, and is not used.
    """
    names = [n for a in ld.authors for n in author_names(a, sites)]
    if not names:
        names = visible_byline(tree, sites)
    if not names:
        names = author_names(meta_author, sites)
    if not names:
        names = author_names(page_author(tree), sites)
    return join_names(names)


def _site_names(sitename: str | None, ld: LinkedData, url: str | None) -> list[str]:
    """The names a site goes by: its declared names and its domain's words."""
    names = [n for n in (sitename, *ld.publishers) if n]
    host = ""
    if url and (found := _SITE_FROM_URL.match(url)):
        host = found[1].split(":")[0].lower()
    labels = host.split(".")[:-1]
    if len(labels) > 1 and len(labels[-1]) <= _SECOND_LEVEL_MAX:  # co.uk, com.au
        labels = labels[:-1]
    if labels:
        names.append(max(labels, key=len))
        names.append("".join(labels))
    return names


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", unicode_text(value)).strip()
    return value or None

"""Site boilerplate learned from the corpus: template text no fixed rule knows.

A paragraph that recurs, near-identically, on many *distinct* pages of one site is part
of the site's template (a standard disclaimer, an author box, a "follow us" line).
"Distinct" matters: the same story captured three times (print view, AMP, mobile) has
every paragraph on three pages, so pages are counted by document cluster, not by input.

The site of a page is its metadata site name, else the host of its URL. A plain-text
dump has neither, and we do not guess one: every anonymous input would otherwise be one
"site", and a quote carried by three outlets would be called template. Such inputs are
left out of boilerplate learning unless `site_from_folder` says the folder is the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlparse

from pipeline.config import CrossdocConfig


def site_of(site: str | None, url: str | None, source: str, from_folder: bool) -> str | None:
    if site and site.strip():
        return site.strip().lower()
    if url:
        host = urlparse(url if "://" in url else f"//{url}").hostname
        if host:
            return host.removeprefix("www.")
    if from_folder:
        parent = str(PurePath(source.split("#", 1)[0]).parent)
        return f"folder:{parent}"
    return None


@dataclass(frozen=True, slots=True)
class Occurrence:
    article: int
    paragraph: int


def boilerplate_occurrences(
    groups: Iterable[Sequence[Occurrence]],
    sites: Sequence[str | None],
    page_of: Sequence[int],
    config: CrossdocConfig,
) -> set[Occurrence]:
    """Occurrences to remove as template text.

    `groups`: occurrences of near-identical paragraphs (one group per template
    candidate); `sites[a]` the site of article a; `page_of[a]` the document cluster of
    article a (distinct pages are distinct clusters).
    """
    site_pages: Mapping[str, int] = _pages_per_site(sites, page_of)
    found: set[Occurrence] = set()
    for group in groups:
        by_site: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in group:
            site = sites[occ.article]
            if site is not None:
                by_site[site].append(occ)
        for site, occs in by_site.items():
            pages = {page_of[o.article] for o in occs}
            need = max(
                config.boilerplate_min_pages, config.boilerplate_min_share * site_pages[site]
            )
            if len(pages) >= need:
                found.update(occs)
    return found


def _pages_per_site(sites: Sequence[str | None], page_of: Sequence[int]) -> dict[str, int]:
    pages: dict[str, set[int]] = defaultdict(set)
    for article, site in enumerate(sites):
        if site is not None:
            pages[site].add(page_of[article])
    return {site: len(p) for site, p in pages.items()}

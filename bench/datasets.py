"""The two development sets, loaded the same way for every benchmark script.

    from bench.datasets import SETS, load_set
    pages = load_set("wcxb", limit=50)      # list[Page]
    SETS["wcxb"].metric.match(page.truth, predicted)

A page carries its decompressed HTML (gunzip is never timed), its ground truth, and, for
WCXB, the snippets and metadata of its truth. `Page.site` is the URL's registered domain
(`bbc.co.uk` for `www.bbc.co.uk`): pages are grouped by it for per-site figures and for
grouped cross-validation, so no site is on both sides of a split.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from courlan import extract_domain

from bench.scoring import SHINGLE_METRIC, TOKEN_METRIC, Metric

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    truth: str
    data: bytes
    title: str | None = None
    author: str | None = None
    date: str | None = None
    with_snippets: tuple[str, ...] = field(default=())
    without_snippets: tuple[str, ...] = field(default=())

    @property
    def site(self) -> str:
        return site_of(self.url)


@dataclass(frozen=True, slots=True)
class DataSet:
    name: str
    root: Path
    metric: Metric
    snippets: bool = False
    """Whether its truth has `with`/`without` snippets (WCXB)."""


SETS: dict[str, DataSet] = {
    "scrapinghub": DataSet("scrapinghub", SHARED / "scrapinghub-dev", SHINGLE_METRIC),
    "wcxb": DataSet("wcxb", SHARED / "wcxb-dev", TOKEN_METRIC, snippets=True),
}


@cache
def site_of(url: str) -> str:
    """The registered domain of `url`, or its host when that cannot be told."""
    if not url:
        return "?"
    domain = extract_domain(url)
    if domain:
        return str(domain)
    host = urlsplit(url).hostname or "?"
    return host.removeprefix("www.")


def load_pages(
    root: Path, ids: Sequence[str] | None = None, limit: int | None = None
) -> list[Page]:
    """Pages of the set at `root`, sorted by id; with `ids`, those of them it holds."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth) if not ids else [k for k in ids if k in truth]
    if limit is not None:
        keys = keys[:limit]
    pages = []
    for key in keys:
        data = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        entry = truth[key]
        pages.append(
            Page(
                id=key,
                url=entry.get("url") or "",
                truth=entry.get("articleBody") or "",
                data=data,
                title=entry.get("title"),
                author=entry.get("author"),
                date=entry.get("date"),
                with_snippets=tuple(entry.get("with") or ()),
                without_snippets=tuple(entry.get("without") or ()),
            )
        )
    return pages


def load_set(name: str, ids: Sequence[str] | None = None, limit: int | None = None) -> list[Page]:
    return load_pages(SETS[name].root, ids, limit)

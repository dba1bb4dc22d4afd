"""The labelled paragraphs the scorer learns from, and the two sets' own metrics.

Both development sets are read from ../shared (never the test splits). Each page is
extracted once with the default config; each extracted paragraph is labelled story
when most of it is found in the page's ground truth: at least `LABEL_SHARE` of its
word 3-grams (lowercased) occur in the truth, or, for a paragraph of one or two words,
when it is a line of the truth. A page's site is its URL's registered domain
(`bench.datasets`): the unit that cross-validation keeps on one side of each split.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.datasets import SETS
from bench.datasets import load_set as load_raw
from bench.datasets import site_of as domain_of
from bench.scoring import Score
from pipeline.clean.features import feature_matrix
from pipeline.clean.passes import annotate
from pipeline.config import PipelineConfig
from pipeline.errors import ExtractionError
from pipeline.extract.document import extract_document
from pipeline.model import Document, RawDocument

LABEL_SHARE = 0.5
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class LabelledPage:
    set: str
    id: str
    site: str
    truth: str
    document: Document | None
    """None when extraction failed (the page then predicts nothing)."""
    labels: tuple[int, ...]


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def labels_for(paragraphs: Iterable[str], truth: str) -> tuple[int, ...]:
    tokens = _tokens(truth)
    grams = {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
    lines = {" ".join(_tokens(line)) for line in truth.splitlines() if line.strip()}
    out = []
    for text in paragraphs:
        own = _tokens(text)
        if len(own) < 3:
            out.append(int(bool(own) and " ".join(own) in lines))
            continue
        mine = [tuple(own[i : i + 3]) for i in range(len(own) - 2)]
        out.append(int(sum(g in grams for g in mine) >= LABEL_SHARE * len(mine)))
    return tuple(out)


def _extract(key: str, data: bytes, url: str, config: PipelineConfig) -> Document | None:
    raw = RawDocument(source=f"{key}.html", data=data, url=url or None)
    try:
        return extract_document(raw, config.extract, sources=True)
    except ExtractionError:
        return None


def load_set(name: str, config: PipelineConfig, limit: int | None = None) -> list[LabelledPage]:
    pages = []
    for page in load_raw(name, limit=limit):
        document = _extract(page.id, page.data, page.url, config)
        labels = labels_for((p.text for p in document.paragraphs), page.truth) if document else ()
        pages.append(LabelledPage(name, page.id, page.site, page.truth, document, labels))
    return pages


def load_all(
    config: PipelineConfig, cache: Path | None = None, limit: int | None = None
) -> list[LabelledPage]:
    """Both sets, extracted (or read back from `cache`, a pickle this function wrote)."""
    if cache is not None and cache.is_file():
        pages: list[LabelledPage] = pickle.loads(cache.read_bytes())
        # sites as `bench.datasets` tells them (registered domains), whatever the cache held
        return [replace(p, site=domain_of(f"https://{p.site}/")) for p in pages]
    pages = [page for name in SETS for page in load_set(name, config, limit)]
    if cache is not None:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def page_features(page: LabelledPage, config: PipelineConfig) -> npt.NDArray[np.float64]:
    document = page.document
    if document is None or not document.paragraphs:
        return np.zeros((0, 0))
    notes = annotate(document.paragraphs, config.clean, title=document.metadata.title)
    return feature_matrix(
        document.paragraphs, notes.lines, notes.reasons, notes.start, document.language
    )


def set_score(name: str, pairs: Sequence[tuple[str, str]]) -> Score:
    """A set's own metric: Scrapinghub's shingle F1, WCXB's word-token F1."""
    metric = SETS[name].metric
    return metric.score(metric.match(truth, predicted) for truth, predicted in pairs)

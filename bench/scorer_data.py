"""The labelled paragraphs the scorer learns from, and the two sets' own metrics.

Both development sets are read from ../shared (never the test splits). Each page is
extracted once with the default config; each extracted paragraph is labelled story
when most of it is found in the page's ground truth: at least `LABEL_SHARE` of its
word 3-grams (lowercased) occur in the truth, or, for a paragraph of one or two words,
when it is a line of the truth. A page's site is its URL's host: the unit that
cross-validation keeps on one side of each split.
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from bench.scoring import score_texts
from pipeline.clean.features import feature_matrix
from pipeline.clean.passes import annotate
from pipeline.config import PipelineConfig
from pipeline.errors import ExtractionError
from pipeline.extract.document import extract_document
from pipeline.model import Document, RawDocument

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
SETS = {"scrapinghub": SHARED / "scrapinghub-dev", "wcxb": SHARED / "wcxb-dev"}
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


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or url


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
        return extract_document(raw, config.extract)
    except ExtractionError:
        return None


def load_set(name: str, config: PipelineConfig, limit: int | None = None) -> list[LabelledPage]:
    root = SETS[name]
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        entry = truth[key]
        url = entry.get("url") or ""
        data = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        document = _extract(key, data, url, config)
        body = entry.get("articleBody") or ""
        labels = labels_for((p.text for p in document.paragraphs), body) if document else ()
        pages.append(LabelledPage(name, key, site_of(url), body, document, labels))
    return pages


def load_all(
    config: PipelineConfig, cache: Path | None = None, limit: int | None = None
) -> list[LabelledPage]:
    """Both sets, extracted (or read back from `cache`, a pickle this function wrote)."""
    if cache is not None and cache.is_file():
        pages: list[LabelledPage] = pickle.loads(cache.read_bytes())
        return pages
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


@dataclass(frozen=True, slots=True)
class SetScore:
    f1: float
    precision: float
    recall: float


def word_score(pairs: Sequence[tuple[str, str]]) -> SetScore:
    """WCXB's metric: lowercased `\\w+` tokens as multisets, P/R/F1 per page, then means."""
    ps, rs, fs = [], [], []
    for truth, predicted in pairs:
        t, p = Counter(_tokens(truth)), Counter(_tokens(predicted))
        if not t and not p:
            ps.append(1.0), rs.append(1.0), fs.append(1.0)
            continue
        shared = sum((t & p).values())
        precision = shared / sum(p.values()) if p else 0.0
        recall = shared / sum(t.values()) if t else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        ps.append(precision), rs.append(recall), fs.append(f1)
    n = max(1, len(pairs))
    return SetScore(sum(fs) / n, sum(ps) / n, sum(rs) / n)


def set_score(name: str, pairs: Sequence[tuple[str, str]]) -> SetScore:
    """A set's own metric: Scrapinghub's shingle F1, WCXB's word F1."""
    if name == "wcxb":
        return word_score(pairs)
    s = score_texts(pairs)
    return SetScore(s.f1, s.precision, s.recall)

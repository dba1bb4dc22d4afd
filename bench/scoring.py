"""The two development sets' metrics, written out for this project.

Scrapinghub's article-extraction benchmark (`match`, `score`):

Each text is split into `\\w+` tokens (case kept) and counted as a multiset of 4-token
shingles. Per document, TP is the count shared by prediction and truth, FP the predicted
surplus, FN the missing count; the three are scaled to sum to 1 so a long article weighs
no more than a short one. Precision is the mean of TP/(TP+FP) over documents with
TP+FP > 0, recall the mean of TP/(TP+FN) over documents with TP+FN > 0 (both 1 where
FP = FN = 0), and F1 the harmonic mean of the two *means* (not a mean of per-document F1).

As in the published evaluation script, a text of 1 to 3 tokens counts as one shorter
shingle rather than none, so a tiny prediction is still scored.

WCXB (`token_match`, `token_score`): lowercase `\\w+` tokens as a multiset; per page,
precision is the overlap over the predicted count, recall the overlap over the true
count; the set's P, R and F1 are plain means over pages. Its `with`/`without` snippets
(`snippet_counts`) are matched lowercase with whitespace normalised.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True, slots=True)
class Match:
    """One document's TP, FP and FN, scaled to sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match(truth: str | None, prediction: str | None) -> Match:
    true_counts = shingles(truth)
    pred_counts = shingles(prediction)
    tp = sum((true_counts & pred_counts).values())
    fp = sum((pred_counts - true_counts).values())
    fn = sum((true_counts - pred_counts).values())
    total = tp + fp + fn
    if total == 0:
        return Match(0.0, 0.0, 0.0)
    return Match(tp / total, fp / total, fn / total)


@dataclass(frozen=True, slots=True)
class Score:
    f1: float
    precision: float
    recall: float
    documents: int


def score(matches: Iterable[Match]) -> Score:
    items: Sequence[Match] = list(matches)
    precisions = [m.precision for m in items if m.tp + m.fp > 0]
    recalls = [m.recall for m in items if m.tp + m.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(f1=f1, precision=precision, recall=recall, documents=len(items))


def score_texts(pairs: Iterable[tuple[str | None, str | None]]) -> Score:
    """Score (truth, prediction) pairs."""
    return score(match(t, p) for t, p in pairs)


# --- WCXB: lowercase word-token multisets, per-page P/R/F1 averaged over pages ---------

_WS = re.compile(r"\s+")


def tokens(text: str | None) -> Counter[str]:
    """WCXB's tokens: lowercase `\\w+` words, as a multiset."""
    return Counter(_TOKEN.findall((text or "").lower()))


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """One page's token precision, recall and F1 (WCXB: 1.0 when both texts are empty,
    0.0 when only one is)."""

    precision: float
    recall: float
    f1: float


def token_match(truth: str | None, prediction: str | None) -> TokenMatch:
    true_counts = tokens(truth)
    pred_counts = tokens(prediction)
    if not true_counts and not pred_counts:
        return TokenMatch(1.0, 1.0, 1.0)
    if not true_counts or not pred_counts:
        return TokenMatch(0.0, 0.0, 0.0)
    shared = sum((true_counts & pred_counts).values())
    precision = shared / sum(pred_counts.values())
    recall = shared / sum(true_counts.values())
    f1 = 2 * precision * recall / (precision + recall) if shared else 0.0
    return TokenMatch(precision, recall, f1)


def token_score(matches: Iterable[TokenMatch]) -> Score:
    """The set's P, R and F1 are each the mean over pages (F1 is *not* the harmonic
    mean of the means, unlike the Scrapinghub metric)."""
    items: Sequence[TokenMatch] = list(matches)
    n = len(items)
    if not n:
        return Score(0.0, 0.0, 0.0, 0)
    return Score(
        f1=sum(m.f1 for m in items) / n,
        precision=sum(m.precision for m in items) / n,
        recall=sum(m.recall for m in items) / n,
        documents=n,
    )


def normalise(text: str | None) -> str:
    """Lowercase, whitespace runs to one space: how snippets are matched."""
    return _WS.sub(" ", (text or "").lower()).strip()


@dataclass(frozen=True, slots=True)
class SnippetCounts:
    """`with` snippets found and `without` snippets absent, pooled over pages."""

    with_found: int = 0
    with_total: int = 0
    without_absent: int = 0
    without_total: int = 0

    @property
    def with_rate(self) -> float:
        return self.with_found / self.with_total if self.with_total else 1.0

    @property
    def without_rate(self) -> float:
        return self.without_absent / self.without_total if self.without_total else 1.0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(
            self.with_found + other.with_found,
            self.with_total + other.with_total,
            self.without_absent + other.without_absent,
            self.without_total + other.without_total,
        )


def snippet_counts(
    prediction: str | None, with_: Sequence[str], without: Sequence[str]
) -> SnippetCounts:
    text = normalise(prediction)
    wanted = [s for s in (normalise(s) for s in with_) if s]
    unwanted = [s for s in (normalise(s) for s in without) if s]
    return SnippetCounts(
        with_found=sum(1 for s in wanted if s in text),
        with_total=len(wanted),
        without_absent=sum(1 for s in unwanted if s not in text),
        without_total=len(unwanted),
    )


@dataclass(frozen=True, slots=True)
class Metric:
    """A benchmark's metric: per-page matching, and how a set of pages is scored."""

    name: str
    match: Callable[[str | None, str | None], Match | TokenMatch]
    score: Callable[[Iterable[Any]], Score]


SHINGLE_METRIC = Metric("4-token shingles (Scrapinghub)", match, score)
TOKEN_METRIC = Metric("lowercase word tokens (WCXB)", token_match, token_score)

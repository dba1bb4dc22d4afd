"""The article-extraction benchmark's metric (Scrapinghub), written out for this project.

Each text is split into `\\w+` tokens (case kept) and counted as a multiset of 4-token
shingles. Per document, TP is the count shared by prediction and truth, FP the predicted
surplus, FN the missing count; the three are scaled to sum to 1 so a long article weighs
no more than a short one. Precision is the mean of TP/(TP+FP) over documents with
TP+FP > 0, recall the mean of TP/(TP+FN) over documents with TP+FN > 0 (both 1 where
FP = FN = 0), and F1 the harmonic mean of the two *means* (not a mean of per-document F1).

As in the published evaluation script, a text of 1 to 3 tokens counts as one shorter
shingle rather than none, so a tiny prediction is still scored.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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

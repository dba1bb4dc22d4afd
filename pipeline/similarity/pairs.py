"""What pair search returns, and what its safety caps cut."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from pipeline.model import Measure


class Pair(NamedTuple):
    """Two units (a < b) that are near-duplicates.

    `measure` is `jaccard` or `containment`; for containment, `inner` is the unit whose
    shingles are (mostly) inside the other. A NamedTuple, not a frozen dataclass: a run
    builds one per verified pair, and a frozen dataclass takes ~3x longer to build.
    """

    a: int
    b: int
    similarity: float
    measure: Measure
    inner: int | None = None


@dataclass(slots=True)
class Caps:
    """What the safety caps cut, reported in the manifest (mutable while counting)."""

    buckets_capped: int = 0
    postings_capped: int = 0

    def merge(self, other: Caps) -> None:
        self.buckets_capped += other.buckets_capped
        self.postings_capped += other.postings_capped


@dataclass(frozen=True, slots=True)
class MatchSettings:
    jaccard: float
    containment: float | None
    num_perm: int
    recall: float
    seed: int
    max_bucket: int
    max_postings: int
    min_ratio: float = 0.0
    """Containment only counts when |inner| / |outer| is at least this."""


@dataclass(slots=True)
class Matches:
    pairs: list[Pair] = field(default_factory=list)
    caps: Caps = field(default_factory=Caps)


def pair_codes(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Each unordered pair (a, b) of units among n as one int64: min * n + max."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out: np.ndarray = lo.astype(np.int64) * n + hi.astype(np.int64)
    return out

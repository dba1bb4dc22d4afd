"""What pair search returns, and what its safety caps cut."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from pipeline.model import Measure


class Pair(NamedTuple):
    """Two units (a < b) that are near-duplicates.

    `measure` is `jaccard` or `containment`; for containment, `inner` is the unit whose
    shingles are (mostly) inside the other. `similarity` is the exact measure on the
    shingle sets, rounded to 4 places. A NamedTuple, not a frozen dataclass: a run
    builds one per verified pair, and a frozen dataclass is slower to build.
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
    """What counts as a near-duplicate pair, and how hard pair search looks for them.

    Raises ValueError for a threshold or ratio outside its range or a cap below 1
    (`num_perm` and `recall` are checked by `lsh.choose_bands`, which turns them into
    bands).
    """

    jaccard: float
    """Pairs at or above this Jaccard are reported (in (0, 1]). Lower thresholds need
    more bands, so more candidates to verify."""
    containment: float | None
    """Pairs where this share of the smaller set is inside the larger are reported too
    (in (0, 1]); None searches Jaccard only and skips the inverted index."""
    num_perm: int
    """MinHash permutations: more allow a banding nearer the threshold (fewer spurious
    candidates) at a proportional signing cost."""
    recall: float
    """Probability that a pair exactly at `jaccard` becomes a candidate (in (0, 1));
    pairs above it are found with higher probability."""
    seed: int
    """Seed of the MinHash permutations: signatures compare only under one seed."""
    max_bucket: int
    """LSH buckets are cut at this many members (counted in `Caps.buckets_capped`):
    a larger bucket is template text, and pairs in a bucket grow quadratically."""
    max_postings: int
    """Containment probes visit at most this many holders of a shingle (counted in
    `Caps.postings_capped`)."""
    min_ratio: float = 0.0
    """Containment only counts when |inner| / |outer| is at least this (in [0, 1]):
    a one-line quote is not a truncated copy of a whole article."""

    def __post_init__(self) -> None:
        if not 0.0 < self.jaccard <= 1.0:
            raise ValueError(f"jaccard must be in (0, 1], got {self.jaccard}")
        if self.containment is not None and not 0.0 < self.containment <= 1.0:
            raise ValueError(f"containment must be in (0, 1] or None, got {self.containment}")
        if not 0.0 <= self.min_ratio <= 1.0:
            raise ValueError(f"min_ratio must be in [0, 1], got {self.min_ratio}")
        for name in ("max_bucket", "max_postings"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")


@dataclass(slots=True)
class Matches:
    """Verified pairs, sorted by (a, b), and what the caps cut finding them."""

    pairs: list[Pair] = field(default_factory=list)
    caps: Caps = field(default_factory=Caps)
    verified: int = 0
    """Candidate pairs checked on their exact shingle sets."""
    compared: int = 0
    """Shingles gathered to check them (both sides of every pair): the work of the
    search, which a pair's sizes bound (see `verify.feasible`)."""


def pair_codes(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Each unordered pair (a, b) of units among n as one int64: min * n + max."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out: np.ndarray = lo.astype(np.int64) * n + hi.astype(np.int64)
    return out

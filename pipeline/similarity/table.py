"""Shingle sets of many texts in one compact table (CSR rows of sorted unique uint64).

A shingle is one 8-byte integer in a numpy array rather than a Python int in a
frozenset, so a run's sets take a fraction of the memory, and set operations become
merges and sorts of arrays: intersections of many pairs at once, a union per document,
dense ids per distinct shingle for the inverted index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

Shingles = frozenset[int]
"""One shingle set as Python objects (see `ShingleTable.set`)."""


@dataclass(frozen=True, slots=True)
class ShingleTable:
    """Shingle sets of many texts: row i is `values[offsets[i]:offsets[i+1]]`, sorted, unique."""

    values: np.ndarray
    """uint64 shingle hashes."""
    offsets: np.ndarray
    """int64, length rows + 1."""
    ranks: np.ndarray | None = None
    """int64 per value, when known: its rank among the distinct values of the table it
    was built in (equal values, equal ranks; ordered like the values). Candidate search
    needs such dense ids; building the table already sorted for them, so it keeps them."""

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> np.ndarray:
        out: np.ndarray = np.diff(self.offsets)
        return out

    def row(self, i: int) -> np.ndarray:
        out: np.ndarray = self.values[self.offsets[i] : self.offsets[i + 1]]
        return out

    def set(self, i: int) -> Shingles:
        """Row i as a frozenset of Python ints."""
        return frozenset(int(v) for v in self.row(i))

    def take(self, rows: Sequence[int] | np.ndarray) -> ShingleTable:
        """The table of these rows, in this order (keeps the dense ids)."""
        rows = np.asarray(rows, dtype=np.int64)
        sizes = self.sizes[rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        idx = gather_index(self.offsets, rows)
        return ShingleTable(
            self.values[idx], offsets, None if self.ranks is None else self.ranks[idx]
        )

    def unions(self, groups: Sequence[Sequence[int]]) -> ShingleTable:
        """One row per group: the union of the group's rows (a document of paragraphs)."""
        flat = np.fromiter((r for g in groups for r in g), dtype=np.int64)
        owner = np.repeat(
            np.arange(len(groups), dtype=np.int64),
            np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups)),
        )
        idx = gather_index(self.offsets, flat)
        row = np.repeat(owner, self.sizes[flat])
        return ShingleTable.from_rows(self.values[idx], row, len(groups))

    @staticmethod
    def from_sets(sets: Iterable[Iterable[int]]) -> ShingleTable:
        """The table of these sets (each an iterable of uint64 hashes), in order."""
        rows = [np.fromiter(s, dtype=np.uint64) for s in sets]
        sizes = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        values = np.concatenate(rows) if rows else np.zeros(0, dtype=np.uint64)
        row = np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
        return ShingleTable.from_rows(values, row, len(rows))

    @staticmethod
    def from_rows(values: np.ndarray, row: np.ndarray, n: int) -> ShingleTable:
        """The table of `n` rows where `values[i]` belongs to row `row[i]` (any order,
        repeats allowed): sorted and deduplicated within rows, dense ids kept.

        Values are ranked once; (row, rank) then fits one int64 key, and one sort of
        those keys orders rows and values together (a two-key lexsort is slower).
        """
        if not len(values):
            return ShingleTable(np.zeros(0, dtype=np.uint64), np.zeros(n + 1, dtype=np.int64))
        uniques, rank = np.unique(values, return_inverse=True)
        bits = len(uniques).bit_length()
        keys = sorted_unique((row.astype(np.int64) << bits) | rank.ravel())
        rows = keys >> bits
        ranks = keys & ((1 << bits) - 1)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=offsets[1:])
        return ShingleTable(uniques[ranks], offsets, ranks)

    @staticmethod
    def concat(tables: Sequence[ShingleTable]) -> ShingleTable:
        """The rows of every table, in order (dense ids are per table, so dropped)."""
        if not tables:
            return ShingleTable(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64))
        values = np.concatenate([t.values for t in tables])
        sizes = np.concatenate([t.sizes for t in tables])
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return ShingleTable(values, offsets)


def gather_index(offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions of the given rows' entries, concatenated (CSR gather without a loop)."""
    starts = offsets[rows]
    sizes = offsets[rows + 1] - starts
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    before = np.cumsum(sizes) - sizes
    out: np.ndarray = np.repeat(starts - before, sizes) + np.arange(total, dtype=np.int64)
    return out


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """`np.unique` by sorting: numpy 2's default `unique` hashes, which is slower on
    integer arrays of this size."""
    out = np.sort(values)
    if len(out) > 1:
        keep = np.empty(len(out), dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out

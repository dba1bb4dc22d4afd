"""Word shingles and MinHash signatures, hashed once and kept compact.

Why this shape:

* Each distinct token of a batch is hashed once with xxh3; a shingle's hash is then
  chained from its tokens' hashes in numpy (one pass per word of the shingle over the
  whole batch), so no shingle string is ever joined or hashed in Python. The chain step
  `fmix64(h * M + t)` is a bijection in `t` for a fixed `h`, so two different shingles
  collide only with probability ~2**-64: exact verification stays exact on the sets.
* A batch's shingle sets live in one `ShingleTable` (sorted unique uint64 per row, CSR
  offsets): 8 bytes a shingle instead of a Python int in a frozenset (~10x smaller), and
  intersections are merges of sorted arrays.
* Signatures are datasketch's `affine64` scheme computed for all rows at once
  (`fmix64`, then `a * h + b` with datasketch's own permutation parameters, then a
  minimum per row): identical to `MinHash.bulk`, so they can be handed to datasketch
  (`MinHash(hashvalues=...)`, `MinHashLSH`) where that is the right tool.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import xxhash
from datasketch import MinHash

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

Shingles = frozenset[int]

HASH_VERSION = "tok-xxh3-chain-fmix64"
"""Names the shingle hashing: persisted band hashes are only comparable within one."""

_M = np.uint64(0x9E3779B97F4A7C15)
_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)
_CHUNK = 1 << 12
"""Shingles per block when signing: the (num_perm x block) matrix stays ~4 MB."""


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer (the pre-mix of datasketch's affine64 scheme)."""
    s, m1, m2 = _FMIX
    h = values ^ (values >> s)
    h = h * m1
    h = h ^ (h >> s)
    h = h * m2
    out: np.ndarray = h ^ (h >> s)
    return out


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; CJK text (no spaces) is split per character."""
    found: list[str] = _TOKEN.findall(text.lower())
    if not _CJK.search(text):
        return found
    out: list[str] = []
    for token in found:
        if _CJK.search(token):
            out.extend(token)
        else:
            out.append(token)
    return out


_SEPARATOR = "\x00ZZ\x00"
"""Joins lower-cased texts for one regex pass: "ZZ" is a token no lower-cased text has."""


def _batch_tokens(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens of all texts in one list, where each text starts, and how many it has.

    One regex pass over the joined batch (separator tokens stay in the list, between
    texts); only texts with CJK characters are re-tokenised one by one (their runs split
    per character, as `tokens` does).
    """
    if not texts:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined = _SEPARATOR.join(t.lower() for t in texts)
    found: list[str] = _TOKEN.findall(joined)
    if not _CJK.search(joined):
        # separators are found later, from token ids (`_split_batch`)
        return found, np.full(len(texts), -1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    marks_list = [i for i, w in enumerate(found) if w == "ZZ"]
    edges = [-1, *marks_list, len(found)]
    words: list[str] = []
    counts: list[int] = []
    for k, text in enumerate(texts):
        own = tokens(text) if _CJK.search(text) else found[edges[k] + 1 : edges[k + 1]]
        counts.append(len(own))
        words.extend(own)
    lengths = np.asarray(counts, dtype=np.int64)
    return words, np.cumsum(lengths) - lengths, lengths


@dataclass(frozen=True, slots=True)
class ShingleTable:
    """Shingle sets of many texts: row i is `values[offsets[i]:offsets[i+1]]`, sorted, unique."""

    values: np.ndarray
    """uint64 shingle hashes."""
    offsets: np.ndarray
    """int64, length rows + 1."""

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
        return frozenset(int(v) for v in self.row(i))

    def take(self, rows: Sequence[int] | np.ndarray) -> ShingleTable:
        """The table of these rows, in this order."""
        rows = np.asarray(rows, dtype=np.int64)
        sizes = self.sizes[rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return ShingleTable(self.values[gather_index(self.offsets, rows)], offsets)

    def unions(self, groups: Sequence[Sequence[int]]) -> ShingleTable:
        """One row per group: the union of the group's rows (a document of paragraphs)."""
        flat = np.fromiter((r for g in groups for r in g), dtype=np.int64)
        owner = np.repeat(
            np.arange(len(groups), dtype=np.int64),
            np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups)),
        )
        idx = gather_index(self.offsets, flat)
        row = np.repeat(owner, self.sizes[flat])
        return _from_rows(self.values[idx], row, len(groups))

    @staticmethod
    def from_sets(sets: Iterable[Iterable[int]]) -> ShingleTable:
        rows = [np.fromiter(s, dtype=np.uint64) for s in sets]
        sizes = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        values = np.concatenate(rows) if rows else np.zeros(0, dtype=np.uint64)
        return _from_rows(values, np.repeat(np.arange(len(rows), dtype=np.int64), sizes), len(rows))

    @staticmethod
    def concat(tables: Sequence[ShingleTable]) -> ShingleTable:
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
    """`np.unique` by sorting: numpy 2's default hash-based unique is several times slower
    on integer arrays of this size."""
    out = np.sort(values)
    if len(out) > 1:
        keep = np.empty(len(out), dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out


def _from_rows(values: np.ndarray, row: np.ndarray, n: int) -> ShingleTable:
    """Sort and deduplicate values within rows (`row[i]` is the row of `values[i]`).

    Values are ranked once; (row, rank) then fits one int64 key, and one sort of
    those keys orders rows and values together (faster than a two-key lexsort).
    """
    if not len(values):
        return ShingleTable(np.zeros(0, dtype=np.uint64), np.zeros(n + 1, dtype=np.int64))
    uniques, rank = np.unique(values, return_inverse=True)
    keys = sorted_unique(row.astype(np.int64) * len(uniques) + rank.ravel())
    rows = keys // len(uniques)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=offsets[1:])
    return ShingleTable(uniques[keys % len(uniques)], offsets)


def shingle_table(texts: Iterable[str], size: int) -> ShingleTable:
    """Hashes of the `size`-word shingles of every text; a text of at most `size` words
    is one shingle of all its words, an empty one an empty row."""
    if size <= 0:
        raise ValueError(f"shingle size must be positive, got {size}")
    words, starts, lengths = _batch_tokens(list(texts))
    n = len(starts)
    vocab = dict.fromkeys(words)
    token_hash = np.fromiter(
        (xxhash.xxh3_64_intdigest(w.encode("utf-8", "surrogatepass")) for w in vocab),
        dtype=np.uint64,
        count=len(vocab),
    )
    position = dict(zip(vocab, range(len(vocab)), strict=True))
    del vocab
    ids = np.fromiter(map(position.__getitem__, words), dtype=np.int64, count=len(words))
    if n and starts[0] < 0:
        marks = np.flatnonzero(ids == position["ZZ"]) if "ZZ" in position else ids[:0]
        bounds = np.concatenate(([-1], marks, [len(ids)]))
        starts, lengths = bounds[:-1] + 1, np.diff(bounds) - 1
    del words, position
    hashes = token_hash[ids]
    del ids
    parts: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    # full windows: chain over the whole batch, then keep those inside one text
    windows = len(hashes) - size + 1
    if windows > 0:
        h = np.full(windows, np.uint64(size), dtype=np.uint64)
        for j in range(size):
            h = fmix64(h * _M + hashes[j : j + windows])
        full = lengths >= size
        per_text = np.where(full, lengths - size + 1, 0)
        valid = np.repeat(
            starts[full] - (np.cumsum(per_text[full]) - per_text[full]), per_text[full]
        )
        valid = valid + np.arange(len(valid), dtype=np.int64)
        parts.append(h[valid])
        owners.append(np.repeat(np.arange(n, dtype=np.int64), per_text))
    # short texts: one shingle of all their words
    for length in range(1, size):
        which = np.flatnonzero(lengths == length)
        if len(which):
            h = np.full(len(which), np.uint64(length), dtype=np.uint64)
            for j in range(length):
                h = fmix64(h * _M + hashes[starts[which] + j])
            parts.append(h)
            owners.append(which)
    if not parts:
        return ShingleTable(np.zeros(0, dtype=np.uint64), np.zeros(n + 1, dtype=np.int64))
    return _from_rows(np.concatenate(parts), np.concatenate(owners), n)


def shingles(text: str, size: int) -> Shingles:
    """Hashes of the `size`-word shingles; a shorter text is one shingle of all its words."""
    return shingle_table([text], size).set(0)


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own affine64 parameters (a, b) for this seed."""
    if num_perm <= 0:
        raise ValueError(f"num_perm must be positive, got {num_perm}")
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine64").permutations
    return np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)


def signatures(table: ShingleTable, num_perm: int, seed: int = 1) -> np.ndarray:
    """(rows x num_perm) uint64: each row equals `MinHash.bulk`'s hashvalues for the set
    (all-max for an empty set), computed block by block over the whole table.

    Computed permutation-major (a transposed view is returned) because the minimum per
    row then runs over contiguous memory; blocks of ~4k shingles stay in cache.
    """
    a, b = permutations(num_perm, seed)
    n = len(table)
    out = np.full((num_perm, n), _MAX, dtype=np.uint64)
    sizes = table.sizes
    offsets = table.offsets
    a_col, b_col = a[:, None], b[:, None]
    row = 0
    while row < n:
        # rows [row, end) hold at most _CHUNK shingles (or a single larger row)
        end = int(np.searchsorted(offsets, offsets[row] + _CHUNK, side="right")) - 1
        end = min(max(end, row + 1), n)
        lo, hi = int(offsets[row]), int(offsets[end])
        if hi > lo:
            phv = a_col * fmix64(table.values[lo:hi])[None, :]
            phv += b_col
            nonempty = np.flatnonzero(sizes[row:end]) + row
            out[:, nonempty] = np.minimum.reduceat(phv, offsets[nonempty] - lo, axis=1)
        row = end
    return out.T


def minhashes(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> list[MinHash]:
    """One datasketch MinHash per shingle set (for `MinHashLSH`), signed in bulk."""
    if num_perm <= 0:
        raise ValueError(f"num_perm must be positive, got {num_perm}")
    if not sets:
        return []
    sig = signatures(ShingleTable.from_sets(sets), num_perm, seed)
    a, b = permutations(num_perm, seed)
    perms = (a, b)
    return [
        MinHash(num_perm=num_perm, seed=seed, hashvalues=row, permutations=perms, scheme="affine64")
        for row in sig
    ]


def signature_matrix(sets: Sequence[Shingles], num_perm: int, seed: int = 1) -> np.ndarray:
    """The signatures of frozenset shingle sets: one row per set."""
    return signatures(ShingleTable.from_sets(sets), num_perm, seed)


def jaccard(a: Shingles, b: Shingles) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def containment(inner: Shingles, outer: Shingles) -> float:
    """Share of `inner`'s shingles that are also in `outer`."""
    if not inner:
        return 0.0
    return len(inner & outer) / len(inner)

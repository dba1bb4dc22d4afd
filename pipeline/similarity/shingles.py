"""Word shingles and MinHash signatures, hashed once and kept compact.

Why this shape:

* A batch is tokenised without a Python object per token: its lower-cased text becomes
  one array of code points, characters are classed (word, CJK) through a table of the
  batch's distinct code points (each classed by the same regexes as `tokens`), tokens are
  runs of word characters, and a token's hash is a polynomial of its code points modulo
  2**64 (segment sums of c_i * P**i over the batch, shifted back by P**-start), mixed
  with its length (`fmix64`). This replaced a regex pass plus a dict lookup and an xxh3
  call per distinct token, which cost ~3x more. A shingle's hash is chained from its
  tokens' hashes in numpy (one pass per word of the shingle over the whole batch). The
  chain step `fmix64(h * M + t)` is a bijection in `t` for a fixed `h`, so different
  shingles collide only with probability ~2**-64 on natural text: exact verification
  stays exact on the sets. Neither hash resists crafted input (a polynomial modulo
  2**64 has known colliding words thousands of characters long); a collision only
  makes two sets look one shingle more alike.
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
from typing import TYPE_CHECKING

import numpy as np

from pipeline.similarity.hashing import CHAIN_MULTIPLIER, fmix64

if TYPE_CHECKING:
    pass

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

Shingles = frozenset[int]

HASH_VERSION = "tok-poly64-chain-fmix64"
"""Names the shingle hashing: persisted band hashes are only comparable within one."""

_P = 0xA0761D6478BD642F
"""Odd base of the token hash (a polynomial of code points modulo 2**64)."""
_P_INV = pow(_P, -1, 1 << 64)
_TEXT_BLOCK = 1 << 20
"""Characters tokenised at a time: the per-character arrays (~40 bytes a character) stay
bounded however large the batch."""
_WORD_BIT, _CJK_BIT = np.uint8(1), np.uint8(2)
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


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


def _classify(chars: np.ndarray) -> np.ndarray:
    """`_WORD_BIT` / `_CJK_BIT` of each code point, by the same regexes as `tokens`."""
    return np.fromiter(
        (
            (_WORD_BIT if _WORD_CHAR.match(ch) else 0) | (_CJK_BIT if _CJK.match(ch) else 0)
            for ch in map(chr, chars.tolist())
        ),
        dtype=np.uint8,
        count=len(chars),
    )


_ASCII_CLASSES = _classify(np.arange(128))
_ASCII_CLASSES.setflags(write=False)


def _char_classes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per code point: `_WORD_BIT` if `\\w` matches it, `_CJK_BIT` if it is CJK; and
    the positions of CJK word characters (they split their token).

    ASCII comes from a constant table; only the batch's distinct other code points are
    classed in Python (by the same regexes as `tokens`, so both tokenisers agree). The
    table is then gathered for every character.
    """
    high_at = np.flatnonzero(codes >= 128)
    if not len(high_at):
        out: np.ndarray = _ASCII_CLASSES[codes]
        return out, high_at
    high = codes[high_at]
    # a count per code point up to the largest is cheaper than a sort, unless few
    distinct = np.unique(high) if len(high) < 4096 else np.flatnonzero(np.bincount(high))
    classes = _classify(distinct)
    table = np.zeros(int(distinct[-1]) + 1, dtype=np.uint8)
    table[:128] = _ASCII_CLASSES
    table[distinct] = classes
    out = table[codes]
    both = _WORD_BIT | _CJK_BIT
    if not (classes == both).any():
        return out, high_at[:0]
    return out, high_at[out[high_at] == both]


def _powers(base: int, count: int) -> np.ndarray:
    """base**0 .. base**(count-1) modulo 2**64 (uint64 products wrap)."""
    out = np.full(max(count, 1), np.uint64(base), dtype=np.uint64)
    out[0] = 1
    np.cumprod(out, out=out)
    return out


def _powers_at(base: int, exponents: np.ndarray) -> np.ndarray:
    """base**e modulo 2**64 for each exponent, from two tables of ~sqrt(max e) powers."""
    top = int(exponents.max()) if len(exponents) else 0
    bits = (top.bit_length() + 1) // 2
    low = _powers(base, 1 << bits)
    high = _powers(pow(base, 1 << bits, 1 << 64), (top >> bits) + 1)
    out: np.ndarray = high[exponents >> bits] * low[exponents & ((1 << bits) - 1)]
    return out


def _block_token_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of these texts in order, and each text's token count.

    `tokens` semantics: runs of word characters of the lower-cased text; a run holding
    a CJK character is split into single characters.
    """
    joined = "\x00".join(texts)
    lowered = joined.lower()
    if len(lowered) == len(joined):
        # str.lower never shrinks a character, so every text kept its length
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        lowered = "\x00".join(t.lower() for t in texts)
        lengths = np.fromiter((len(t.lower()) for t in texts), dtype=np.int64, count=len(texts))
    text_start = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=text_start[1:])
    codes = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not len(codes):
        return np.zeros(0, dtype=np.uint64), np.zeros(len(texts), dtype=np.int64)
    classes, cjk_at = _char_classes(codes)
    word = (classes & _WORD_BIT).view(bool)
    # the "\x00" separators (and any NUL inside a text) are not word characters
    edge = np.zeros(len(codes) + 1, dtype=bool)
    np.not_equal(word[1:], word[:-1], out=edge[1 : len(codes)])
    edge[0], edge[len(codes)] = word[0], word[-1]
    bounds = np.flatnonzero(edge)
    starts, ends = bounds[0::2], bounds[1::2]
    if len(cjk_at):
        # a token holding a CJK character becomes one token per character
        split = np.zeros(len(starts), dtype=bool)
        split[np.searchsorted(starts, cjk_at, side="right") - 1] = True
        pieces = np.where(split, ends - starts, 1)
        token = np.repeat(np.arange(len(starts), dtype=np.int64), pieces)
        within = np.arange(len(token), dtype=np.int64) - np.repeat(
            np.cumsum(pieces) - pieces, pieces
        )
        piece_start = starts[token] + within
        ends = np.where(split[token], piece_start + 1, ends[token])
        starts = piece_start
    # polynomial of the code points, sum c_i P^(i - start): segment sums of c_i P^i,
    # shifted back by P^-start
    spans = np.empty(2 * len(starts), dtype=np.int64)
    spans[0::2], spans[1::2] = starts, ends
    weighted = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.multiply(codes, _powers(_P, len(codes)), out=weighted[:-1])
    raw = np.add.reduceat(weighted, spans)[0::2] if len(starts) else weighted[:0]
    raw *= _powers_at(_P_INV, starts)
    hashes = fmix64(raw + (ends - starts).astype(np.uint64) * CHAIN_MULTIPLIER)
    counts = np.diff(np.searchsorted(starts, text_start))
    return hashes, counts


def _token_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of all texts in order, and each text's token count (blocks of
    about `_TEXT_BLOCK` characters, so memory does not grow with the batch)."""
    hashes: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    block: list[str] = []
    chars = 0
    for text in texts:
        block.append(text)
        chars += len(text) + 1
        if chars >= _TEXT_BLOCK:
            h, c = _block_token_hashes(block)
            hashes.append(h)
            counts.append(c)
            block, chars = [], 0
    if block or not hashes:
        h, c = _block_token_hashes(block)
        hashes.append(h)
        counts.append(c)
    if len(hashes) == 1:
        return hashes[0], counts[0]
    return np.concatenate(hashes), np.concatenate(counts)


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
        return frozenset(int(v) for v in self.row(i))

    def take(self, rows: Sequence[int] | np.ndarray) -> ShingleTable:
        """The table of these rows, in this order."""
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
    those keys orders rows and values together (faster than a two-key lexsort). The
    ranks are kept (`ShingleTable.ranks`).
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


def shingle_table(texts: Iterable[str], size: int) -> ShingleTable:
    """Hashes of the `size`-word shingles of every text; a text of at most `size` words
    is one shingle of all its words, an empty one an empty row."""
    if size <= 0:
        raise ValueError(f"shingle size must be positive, got {size}")
    hashes, lengths = _token_hashes(list(texts))
    n = len(lengths)
    starts = np.cumsum(lengths) - lengths
    # each text's shingles, in text order: a full window per position, or one shingle
    # of all the words of a short text
    per_text = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    first = np.cumsum(per_text) - per_text
    total = int(per_text.sum())
    if not total:
        return ShingleTable(np.zeros(0, dtype=np.uint64), np.zeros(n + 1, dtype=np.int64))
    owner = np.repeat(np.arange(n, dtype=np.int64), per_text)
    out = np.empty(total, dtype=np.uint64)
    # full windows: chain over the whole batch, then keep those inside one text
    windows = len(hashes) - size + 1
    full = lengths >= size
    if windows > 0 and full.any():
        h = np.full(windows, np.uint64(size), dtype=np.uint64)
        for j in range(size):
            h = fmix64(h * CHAIN_MULTIPLIER + hashes[j : j + windows])
        pf = per_text[full]
        at = np.repeat(starts[full] - (np.cumsum(pf) - pf), pf) + np.arange(
            int(pf.sum()), dtype=np.int64
        )
        out[np.repeat(full, per_text)] = h[at]
    for length in range(1, size):
        which = np.flatnonzero(lengths == length)
        if len(which):
            h = np.full(len(which), np.uint64(length), dtype=np.uint64)
            for j in range(length):
                h = fmix64(h * CHAIN_MULTIPLIER + hashes[starts[which] + j])
            out[first[which]] = h
    return _from_rows(out, owner, n)


def shingles(text: str, size: int) -> Shingles:
    """Hashes of the `size`-word shingles; a shorter text is one shingle of all its words."""
    return shingle_table([text], size).set(0)


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

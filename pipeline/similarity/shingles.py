"""Word shingles of many texts, hashed in numpy: the tokeniser and the shingle hash.

Why hand-written rather than `tokens()` and xxhash per shingle (datasketch's usual
input): a batch is tokenised and hashed without a Python object per token or per
shingle, which is what a run spends its similarity time on otherwise (the comparison
with datasketch's `MinHash.bulk` is in docs/benchmarks.md, kept by bench/signing.py).

* Tokens are `tokens()`'s: runs of word characters of the lower-cased text, a run holding
  a CJK character split into single characters. The batch's lower-cased text becomes one
  array of code points; characters are classed (word, CJK) through a table of the
  batch's distinct code points, each classed by the same regexes as `tokens`, so both
  tokenisers agree (a test holds them so).
* A token's hash is a polynomial of its code points modulo 2**64 (segment sums of
  c_i * P**i over the batch, shifted back by P**-start), mixed with its length
  (`fmix64`). A shingle's hash is chained from its tokens' hashes (one numpy pass per
  word of the shingle over the whole batch). The chain step `fmix64(h * M + t)` is a
  bijection in `t` for a fixed `h`, so different shingles collide only with probability
  about 2**-64 on natural text: exact verification stays exact on the sets. Neither hash
  resists crafted input (a polynomial modulo 2**64 has known colliding words thousands
  of characters long); a collision only makes two sets look one shingle more alike.
* Changing any of this changes every shingle hash, hence every signature and band hash:
  `HASH_VERSION` names the scheme, and a persistent index built under another is not
  comparable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from pipeline.similarity.hashing import CHAIN_MULTIPLIER, fmix64
from pipeline.similarity.table import ShingleTable

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

HASH_VERSION = "tok-poly64-chain-fmix64"
"""Names the shingle hashing: persisted band hashes are only comparable within one."""

_P = 0xA0761D6478BD642F
"""Odd base of the token hash (a polynomial of code points modulo 2**64)."""
_P_INV = pow(_P, -1, 1 << 64)
TEXT_BLOCK = 1 << 20
"""Characters tokenised at a time. The tokeniser holds several arrays of one entry per
character of its block; in blocks, that memory stays bounded however large the batch.
Any block size gives the same hashes (a test shrinks it to a few characters)."""
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
    about `TEXT_BLOCK` characters, so memory does not grow with the batch)."""
    hashes: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    block: list[str] = []
    chars = 0
    for text in texts:
        block.append(text)
        chars += len(text) + 1
        if chars >= TEXT_BLOCK:
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
    return ShingleTable.from_rows(out, owner, n)

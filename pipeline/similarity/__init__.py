"""Near-duplicate search shared by both dedupe levels: shingles, MinHash, LSH, pairs.

The flow: `shingle_table` hashes the word shingles of many texts into a `ShingleTable`;
`signatures` signs its rows (datasketch's affine64 MinHash scheme); `choose_bands` and
`band_keys` turn signatures into LSH band hashes; `find_pairs` (every pair) or
`bounded_pairs` (linear in the copies of one text) return the verified `Pair`s under
`MatchSettings`, and `exact_pairs` the same on a table small enough to count every
shared shingle (`could_pair` tells first, on Python sets, whether a few texts hold
any pair at all); `components` groups them.
"""

from pipeline.similarity.bounded import BoundedMatches, Fanout, bounded_pairs
from pipeline.similarity.candidates import find_pairs
from pipeline.similarity.exact import EXACT_MAX_ROWS, exact_pairs
from pipeline.similarity.lsh import band_keys, candidate_probability, choose_bands
from pipeline.similarity.minhash import permutations, signature_matrix, signatures
from pipeline.similarity.overlap import could_pair, word_shingles
from pipeline.similarity.pairs import Caps, Matches, MatchSettings, Pair
from pipeline.similarity.shingles import HASH_VERSION, shingle_table, tokens
from pipeline.similarity.table import Shingles, ShingleTable
from pipeline.similarity.union_find import UnionFind, components

__all__ = [
    "EXACT_MAX_ROWS",
    "HASH_VERSION",
    "BoundedMatches",
    "Caps",
    "Fanout",
    "MatchSettings",
    "Matches",
    "Pair",
    "ShingleTable",
    "Shingles",
    "UnionFind",
    "band_keys",
    "bounded_pairs",
    "candidate_probability",
    "choose_bands",
    "components",
    "could_pair",
    "exact_pairs",
    "find_pairs",
    "permutations",
    "shingle_table",
    "signature_matrix",
    "signatures",
    "tokens",
    "word_shingles",
]

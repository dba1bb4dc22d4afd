"""MinHash signatures: datasketch's own, for the same shingle hashes and seed."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.similarity import ShingleTable, permutations, shingle_table, signatures
from tests.similarity.sets import corpus, jaccard, minhashes, shingles
from tests.support import ROOT

WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]),
    min_size=0,
    max_size=40,
)
CORPUS = corpus(12)


@settings(max_examples=30, deadline=None)
@given(CORPUS)
def test_signatures_equal_datasketch_bulk(texts: list[str]) -> None:
    table = shingle_table(texts, 3)
    mine = signatures(table, 32, seed=3)
    theirs = MinHash.bulk(
        [sorted(table.set(i)) for i in range(len(table))],
        num_perm=32,
        seed=3,
        hashfunc=lambda v: v,
        scheme="affine64",
    )
    for row, m in zip(mine, theirs, strict=True):
        assert np.array_equal(row, m.hashvalues)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sets(st.integers(0, 2**64 - 1), max_size=30), max_size=8), st.integers(0, 99))
def test_signatures_equal_datasketch_for_any_hashes(sets: list[set[int]], seed: int) -> None:
    """Any uint64 hash values (the top bit set, zero, empty sets), 128 permutations: row
    i is the MinHash of set i, as `MinHash.update_batch` and `LeanMinHash` hold it."""
    mine = signatures(ShingleTable.from_sets(sets), 128, seed)
    for row, values in zip(mine, sets, strict=True):
        m = MinHash(num_perm=128, seed=seed, hashfunc=lambda v: v, scheme="affine64")
        m.update_batch(sorted(values))
        assert np.array_equal(row, m.hashvalues)
        assert np.array_equal(row, LeanMinHash(m).hashvalues)
        held = MinHash(seed=seed, hashvalues=row, scheme="affine64")
        assert held == m and held.jaccard(m) == 1.0


def test_signatures_of_a_large_row_equal_datasketch() -> None:
    """A row longer than a signing block is signed like any other."""
    values = [int(v) for v in np.random.default_rng(5).integers(0, 2**63, 10_000)]
    (mine,) = signatures(ShingleTable.from_sets([values]), 64, 1)
    (theirs,) = MinHash.bulk([values], num_perm=64, hashfunc=lambda v: v, scheme="affine64")
    assert np.array_equal(mine, theirs.hashvalues)


@settings(max_examples=30, deadline=None)
@given(WORDS.filter(lambda w: len(w) >= 6))
def test_minhash_of_identical_sets_is_identical(words: list[str]) -> None:
    s = shingles(" ".join(words), 2)
    a, b = minhashes([s, s], num_perm=64)
    assert a.jaccard(b) == 1.0


def test_minhash_estimates_jaccard() -> None:
    base = [f"w{i}" for i in range(300)]
    edited = base[:200] + [f"x{i}" for i in range(100)]
    sa, sb = shingles(" ".join(base), 1), shingles(" ".join(edited), 1)
    ma, mb = minhashes([sa, sb], num_perm=256)
    assert abs(ma.jaccard(mb) - jaccard(sa, sb)) < 0.1


@pytest.mark.parametrize(("num_perm", "seed"), [(1, 1), (64, 1), (128, 7), (256, 12345)], ids=str)
def test_permutations_are_datasketchs_own(num_perm: int, seed: int) -> None:
    ours = permutations(num_perm, seed)
    theirs = MinHash(num_perm=num_perm, seed=seed, scheme="affine64").permutations
    assert ours[0].dtype == ours[1].dtype == np.uint64
    assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])


def test_processing_a_page_does_not_import_scipy() -> None:
    """datasketch imports scipy, a cost in every process; the per-document stages sign
    without it (see docs/benchmarks.md). The page holds more prose paragraphs than are
    matched exactly (`EXACT_MAX_ROWS`), so in-document dedupe signs them."""
    import subprocess
    import sys

    code = (
        "import sys; from pipeline.process import process_document; "
        "from pipeline.config import PipelineConfig; from pipeline.model import RawDocument; "
        "from pipeline.similarity import permutations; "
        "page = '\\n\\n'.join(f'Paragraph {i} of the report says the council met on day {i}"
        " and voted on the budget again.' for i in range(80)).encode(); "
        "process_document(RawDocument(source='000.txt', data=page), PipelineConfig()); "
        "print(permutations.cache_info().currsize > 0, 'scipy' in sys.modules, "
        "'datasketch' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "False"]  # signed, without scipy

"""Shingling: the batch tokeniser agrees with `tokens`, shingle sets behave as sets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.similarity import shingle_table, tokens
from pipeline.similarity import shingles as shingling
from tests.similarity.sets import containment, jaccard, shingles

WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]),
    min_size=0,
    max_size=40,
)


@given(WORDS, st.integers(min_value=1, max_value=5))
def test_shingle_count_is_bounded_by_positions(words: list[str], size: int) -> None:
    text = " ".join(words)
    result = shingles(text, size)
    if not words:
        assert result == frozenset()
    else:
        assert 1 <= len(result) <= max(1, len(words) - size + 1)


@given(WORDS)
def test_shingles_ignore_case_and_punctuation(words: list[str]) -> None:
    text = " ".join(words)
    noisy = ", ".join(w.upper() for w in words) + "!"
    assert shingles(text, 3) == shingles(noisy, 3)


@given(st.text(max_size=200), st.text(max_size=200))
def test_measures_are_bounded_and_symmetric(a: str, b: str) -> None:
    sa, sb = shingles(a, 2), shingles(b, 2)
    assert 0.0 <= jaccard(sa, sb) <= 1.0
    assert jaccard(sa, sb) == jaccard(sb, sa)
    assert 0.0 <= containment(sa, sb) <= 1.0
    assert jaccard(sa, sb) <= containment(sa, sb) or not sa


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Hello, World!", ["hello", "world"], id="latin"),
        pytest.param("北京 欢迎你", ["北", "京", "欢", "迎", "你"], id="cjk-per-char"),
        pytest.param("l'été 2020", ["l", "été", "2020"], id="accents-digits"),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize("bad", [0, -1], ids=["zero", "negative"])
def test_shingle_size_must_be_positive(bad: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        shingles("a b c", bad)


# Letters with and without case, CJK, digits, underscore, punctuation, a final sigma, a
# dotted capital I (lower-cases to two characters), NUL, an emoji, a lone surrogate.
MIXED = st.text(
    alphabet=st.sampled_from(list("aAbBzZ_09 ,.-'\n\x00") + list("éÉßΣσς北京欢・İ🙂\ud800")),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(MIXED, max_size=8))
def test_batch_tokeniser_agrees_with_tokens(texts: list[str]) -> None:
    """The numpy tokeniser of `shingle_table` finds the tokens `tokens` finds: same
    count per text, and two tokens share a hash exactly when they are the same word."""
    table = shingle_table(texts, 1)
    words = [set(tokens(t)) for t in texts]
    for i in range(len(texts)):
        assert len(table.set(i)) == len(words[i])
        for j in range(i + 1, len(texts)):
            assert len(table.set(i) & table.set(j)) == len(words[i] & words[j])


@settings(max_examples=40, deadline=None)
@given(st.lists(MIXED, max_size=12), st.integers(min_value=1, max_value=4))
def test_tokenising_in_blocks_changes_nothing(texts: list[str], size: int) -> None:
    whole = shingle_table(texts, size)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shingling, "TEXT_BLOCK", 7)
        blocks = shingle_table(texts, size)
    assert np.array_equal(whole.offsets, blocks.offsets)
    assert np.array_equal(whole.values, blocks.values)

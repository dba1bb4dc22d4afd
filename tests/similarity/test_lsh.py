"""Band selection for recall: the property datasketch's default does not give."""

from __future__ import annotations

import pytest
from datasketch import MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

from pipeline.similarity import candidate_probability, choose_bands


@given(
    st.floats(min_value=0.3, max_value=0.95),
    st.sampled_from([64, 128, 256]),
    st.floats(min_value=0.9, max_value=0.999),
)
def test_chosen_bands_meet_recall_at_threshold(
    threshold: float, num_perm: int, recall: float
) -> None:
    try:
        bands, rows = choose_bands(threshold, num_perm, recall)
    except ValueError:
        return
    assert bands * rows <= num_perm
    assert candidate_probability(threshold, bands, rows) >= recall


def test_datasketch_default_is_worse_than_ours_at_threshold() -> None:
    default = MinHashLSH(threshold=0.8, num_perm=128)
    bands, rows = default.b, default.r
    assert candidate_probability(0.8, bands, rows) < 0.6
    ours = choose_bands(0.8, 128, 0.99)
    assert candidate_probability(0.8, *ours) >= 0.99


@pytest.mark.parametrize(
    ("threshold", "num_perm", "recall"),
    [
        pytest.param(0.0, 128, 0.99, id="zero-threshold"),
        pytest.param(0.5, 1, 0.99, id="one-perm"),
        pytest.param(0.5, 128, 1.0, id="recall-one"),
    ],
)
def test_bad_arguments_are_rejected(threshold: float, num_perm: int, recall: float) -> None:
    with pytest.raises(ValueError):
        choose_bands(threshold, num_perm, recall)

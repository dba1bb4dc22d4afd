"""The scorer's training data: labels from the ground truth, folds that keep sites apart."""

from __future__ import annotations

import pytest

from bench.scorer_data import LabelledPage, labels_for
from bench.scorer_fit import folds

TRUTH = "The council voted on Tuesday to approve the budget.\n\nWhat comes next\n\nIt passed."


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [
        pytest.param("The council voted on Tuesday to approve the budget.", 1, id="whole"),
        pytest.param("the COUNCIL voted on tuesday, to approve", 1, id="case-and-punctuation"),
        pytest.param("Sign up for our newsletter to get the budget news.", 0, id="chrome"),
        pytest.param("What comes next", 1, id="heading-line"),
        pytest.param("It passed", 1, id="two-word-line"),
        pytest.param("Tuesday", 0, id="one-word-not-a-line"),
        pytest.param("", 0, id="empty"),
    ],
)
def test_labels_by_overlap_with_the_truth(paragraph: str, label: int) -> None:
    assert labels_for([paragraph], TRUTH) == (label,)


def _page(site: str, i: int) -> LabelledPage:
    return LabelledPage("wcxb", f"{site}-{i}", site, "", None, ())


def test_folds_keep_each_site_in_one_fold() -> None:
    pages = [_page(f"site{s}.example", i) for s in range(12) for i in range(s % 4 + 1)]
    chosen = folds(pages, 4)
    assert sorted(i for fold in chosen for i in fold) == list(range(len(pages)))
    homes = [{pages[i].site for i in fold} for fold in chosen]
    for a in range(4):
        for b in range(a + 1, 4):
            assert not homes[a] & homes[b]
    assert max(map(len, chosen)) - min(map(len, chosen)) <= 4

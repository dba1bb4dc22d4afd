"""The view model: reason categories, and what a block of removals says of itself."""

from __future__ import annotations

import pytest

from pipeline.output.report import Category, category
from pipeline.output.report.view import Block, RemovalView


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("title", Category.RULE),
        ("navigation", Category.RULE),
        ("site-chrome", Category.RULE),
        ("site-boilerplate", Category.SITE),
        ("duplicate", Category.REVISION),
        ("cross-document-duplicate", Category.CROSS),
        ("some-future-reason", Category.RULE),
    ],
    ids=lambda v: str(v),
)
def test_reason_categories(reason: str, expected: Category) -> None:
    assert category(reason) is expected


def removal(reason: str, position: int) -> RemovalView:
    return RemovalView(
        anchor=f"a-r{position}",
        text="x",
        reason=reason,
        rule=None,
        category=category(reason),
        position=position,
        target=None,
        similarity=None,
    )


def test_a_block_summarises_its_reasons_in_order_with_counts() -> None:
    block = Block(
        removed=(
            removal("navigation", 0),
            removal("duplicate", 1),
            removal("navigation", 2),
            removal("cross-document-duplicate", 3),
        )
    )
    assert block.summary == "navigation ×2, duplicate, cross-document-duplicate"
    assert block.categories == [Category.RULE, Category.REVISION, Category.CROSS]

"""Chart geometry: bars scaled to the largest source, segments laid end to end."""

from __future__ import annotations

import pytest

from pipeline.output.report.charts import (
    LABEL_WIDTH,
    ROW_HEIGHT,
    SPAN,
    removed_chart,
    size_chart,
    source_stats,
)


def article(source: str, kept: list[str], removed: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "source": source,
        "paragraphs": [{"text": t} for t in kept],
        "removed": [{"text": t, "reason": r} for t, r in removed],
    }


STATS = [
    source_stats(
        article("a.html", ["x" * 30], [("n", "navigation"), ("d", "duplicate"), ("m", "menu")]),
        "#a",
    ),
    source_stats(article("b.html", ["y" * 10], [("n", "navigation")]), None),
]


def test_removed_segments_are_laid_end_to_end_scaled_to_the_most_removed() -> None:
    chart = removed_chart(STATS, total=2)
    first, second = chart.rows
    assert [s.css for s in first.segments] == ["cat-rule", "cat-revision"]
    assert first.segments[0].x == LABEL_WIDTH
    assert first.segments[1].x == pytest.approx(LABEL_WIDTH + first.segments[0].width)
    assert sum(s.width for s in first.segments) == pytest.approx(SPAN)
    assert second.segments[0].width == pytest.approx(SPAN / 3)
    assert (first.value, second.value) == ("3", "1")
    assert (first.href, second.href) == ("#a", None)
    assert second.y == ROW_HEIGHT and chart.height == 2 * ROW_HEIGHT
    assert chart.note is None


def test_size_bars_scale_to_the_largest_source_and_note_a_cut() -> None:
    chart = size_chart(STATS, total=5)
    before, after = chart.rows[0].segments
    assert before.width == pytest.approx(SPAN)
    assert after.width == pytest.approx(SPAN * 30 / 33)
    assert chart.rows[1].value == "11 → 10"
    assert chart.note == "first 2 of 5 articles"


def test_an_empty_chart_keeps_one_row_of_height() -> None:
    assert removed_chart([], total=0).height == ROW_HEIGHT

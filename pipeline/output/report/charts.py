"""The two per-source bar charts: their geometry, computed here and drawn as inline SVG.

The page carries no script, so the charts are plain SVG rectangles whose positions and
widths are decided in Python; the template only prints them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.output.report.fields import Record, kilo, preview, records, short_source, string
from pipeline.output.report.view import Category, Chart, ChartRow, Segment, category

WIDTH = 560
"""Width of a chart in SVG units: the label, the bar's span and the value."""
LABEL_WIDTH = 200
VALUE_WIDTH = 90
BAR_HEIGHT = 16
ROW_HEIGHT = 22
SPAN = WIDTH - LABEL_WIDTH - VALUE_WIDTH
"""The longest bar: the source with the most of what a chart counts."""


@dataclass(frozen=True, slots=True)
class SourceStats:
    """What the per-source charts need of one article: no text, so every article fits."""

    source: str
    href: str | None
    removed: tuple[tuple[Category, tuple[tuple[str, int], ...]], ...]
    """Removals per category, each as (reason, count) sorted by reason."""
    chars_before: int
    chars_after: int

    @property
    def removed_count(self) -> int:
        return sum(n for _, reasons in self.removed for _, n in reasons)


def source_stats(record: Record, href: str | None) -> SourceStats:
    """The chart figures of an article record; `href` links its row to the article."""
    removals = records(record.get("removed"))
    kept_chars = sum(len(str(p.get("text") or "")) for p in records(record.get("paragraphs")))
    by_category: dict[Category, Counter[str]] = {}
    for removal in removals:
        reason = string(removal, "reason") or "unknown"
        by_category.setdefault(category(reason), Counter())[reason] += 1
    return SourceStats(
        source=string(record, "source") or "?",
        href=href,
        removed=tuple(
            (c, tuple(sorted(by_category[c].items()))) for c in Category if c in by_category
        ),
        chars_before=kept_chars + sum(len(str(r.get("text") or "")) for r in removals),
        chars_after=kept_chars,
    )


def charts(stats: Sequence[SourceStats], total: int) -> tuple[Chart, ...]:
    """The page's charts of the first sources; `total` articles in all, for the note."""
    return removed_chart(stats, total), size_chart(stats, total)


def removed_chart(stats: Sequence[SourceStats], total: int) -> Chart:
    """Removed paragraphs per source, one segment per reason category."""
    most = max((s.removed_count for s in stats), default=0) or 1
    rows = []
    for i, item in enumerate(stats):
        x = float(LABEL_WIDTH)
        segments = []
        for cat, reasons in item.removed:
            count = sum(n for _, n in reasons)
            width = SPAN * count / most
            detail = ", ".join(f"{r} ×{n}" for r, n in reasons)
            segments.append(
                Segment(x=x, width=width, css=f"cat-{cat}", title=f"{cat.label}: {detail}")
            )
            x += width
        rows.append(
            ChartRow(
                label=preview(short_source(item.source), 26),
                title=item.source,
                href=item.href,
                y=i * ROW_HEIGHT,
                segments=tuple(segments),
                value=str(item.removed_count),
            )
        )
    legend = tuple((f"cat-{c}", c.label) for c in Category)
    return _chart("Removed paragraphs per source, by reason category", rows, total, legend)


def size_chart(stats: Sequence[SourceStats], total: int) -> Chart:
    """Characters per source before cleaning, with what was kept drawn over them."""
    most = max((s.chars_before for s in stats), default=0) or 1
    rows = [
        ChartRow(
            label=preview(short_source(item.source), 26),
            title=item.source,
            href=item.href,
            y=i * ROW_HEIGHT,
            segments=(
                Segment(
                    LABEL_WIDTH,
                    SPAN * item.chars_before / most,
                    "before",
                    f"before: {item.chars_before} characters",
                ),
                Segment(
                    LABEL_WIDTH,
                    SPAN * item.chars_after / most,
                    "after",
                    f"after: {item.chars_after} characters",
                ),
            ),
            value=f"{kilo(item.chars_before)} → {kilo(item.chars_after)}",
        )
        for i, item in enumerate(stats)
    ]
    legend = (("before", "before cleaning"), ("after", "kept"))
    return _chart(
        "Size before and after cleaning (characters of extracted text)", rows, total, legend
    )


def _chart(
    caption: str,
    rows: list[ChartRow],
    total: int,
    legend: tuple[tuple[str, str], ...],
) -> Chart:
    note = f"first {len(rows)} of {total} articles" if total > len(rows) else None
    return Chart(
        caption=caption,
        rows=tuple(rows),
        width=WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        legend=legend,
        note=note,
    )

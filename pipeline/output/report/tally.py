"""The report's counting pass over every article, riding on the pass that writes them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.config import ReportConfig
from pipeline.output.report.anchors import Anchors
from pipeline.output.report.charts import SourceStats, source_stats
from pipeline.output.report.fields import Record, records, string
from pipeline.output.report.view import Link


@dataclass(slots=True)
class Tally:
    """The report's pass over every article: anchors of the articles it shows, links
    between copies, counts and chart rows, and no text. `write_outputs` feeds it records
    as it writes `articles.jsonl`, so a spooled corpus is not read once more for it."""

    config: ReportConfig
    anchors: Anchors = field(default_factory=Anchors)
    anchor_list: list[str] = field(default_factory=list)
    """Anchors of the articles shown in full: the first `config.max_articles`."""
    copies: dict[str, list[Link]] = field(default_factory=dict)
    stats: list[SourceStats] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    total: int = 0
    kept: int = 0
    chars_before: int = 0
    chars_after: int = 0
    duplicates: int = 0

    def add(self, record: Record) -> None:
        """Count one article record, in the order the page lists them."""
        shown = self.total < self.config.max_articles
        anchor = self.anchors.add(record) if shown else ""
        href = f"#{anchor}" if shown else None
        if shown:
            self.anchor_list.append(anchor)
        item = source_stats(record, href)
        if self.total < self.config.chart_sources:
            self.stats.append(item)
        self.total += 1
        for _, per_reason in item.removed:
            self.reasons.update(dict(per_reason))
        self.kept += len(records(record.get("paragraphs")))
        self.chars_before += item.chars_before
        self.chars_after += item.chars_after
        canonical = string(record, "duplicate_of")
        if canonical is not None:
            self.duplicates += 1
            if shown:
                self.copies.setdefault(canonical, []).append(
                    Link(self.anchors.titles[anchor], href, string(record, "source"))
                )

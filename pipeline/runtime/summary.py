"""Counts and timings of one run."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.model import Article, Quarantine
from pipeline.output.counts import Written


@dataclass(slots=True)
class RunSummary:
    """Counts and timings of one run.

    Mutable while `add` accumulates the outcomes; the steps after that return new
    summaries (`with_timings`, `written`, `run.finish_run`) instead of changing the one
    they got. Once the outputs are written, the counts are those of the written records
    (`written`): the CLI line, the manifest and the report all show these, and
    `inputs == articles + quarantined + duplicates_dropped`.
    """

    inputs: int = 0
    articles: int = 0
    quarantined: int = 0
    paragraphs_kept: int = 0
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    quarantine_by_stage: Counter[str] = field(default_factory=Counter)
    duplicates_dropped: int = 0
    """Articles left out as near copies (`--drop-duplicate-articles`)."""
    timings: dict[str, float] = field(default_factory=dict)
    index_error: str | None = None
    """Why the persistent index failed at the end of the run (outputs written without it)."""

    def add(self, outcome: Article | Quarantine) -> None:
        self.inputs += 1
        if isinstance(outcome, Quarantine):
            self.quarantined += 1
            self.quarantine_by_stage[outcome.stage] += 1
            return
        self.articles += 1
        self.paragraphs_kept += len(outcome.paragraphs)
        self.removed_by_reason.update(r.reason for r in outcome.removed)

    def with_timings(self, **seconds: float) -> RunSummary:
        """A copy with these timings set, the others kept."""
        return dataclasses.replace(
            self,
            removed_by_reason=Counter(self.removed_by_reason),
            quarantine_by_stage=Counter(self.quarantine_by_stage),
            timings={**self.timings, **seconds},
        )

    def written(self, files: Written, duplicates_dropped: int = 0) -> RunSummary:
        """A copy whose counts are those of the records written (`files`)."""
        return dataclasses.replace(
            self,
            articles=files.articles,
            quarantined=files.quarantined,
            paragraphs_kept=files.paragraphs_kept,
            removed_by_reason=Counter(files.removed_by_reason),
            quarantine_by_stage=Counter(files.quarantine_by_stage),
            duplicates_dropped=duplicates_dropped,
            timings=dict(self.timings),
        )

    def counts(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "articles": self.articles,
            "duplicates_dropped": self.duplicates_dropped,
            "quarantined": self.quarantined,
            "paragraphs_kept": self.paragraphs_kept,
            "paragraphs_removed": sum(self.removed_by_reason.values()),
            "removed_by_reason": dict(sorted(self.removed_by_reason.items())),
            "quarantined_by_stage": dict(sorted(self.quarantine_by_stage.items())),
        }

    def line(self, out: Path) -> str:
        removed = sum(self.removed_by_reason.values())
        total = self.timings.get("total_s", 0.0)
        n = self.duplicates_dropped
        dropped = f" ({n} duplicate{'s' if n > 1 else ''} dropped)" if n else ""
        return (
            f"{self.inputs} inputs: {self.articles} articles{dropped}, "
            f"{self.quarantined} quarantined, {removed} paragraphs removed -> {out} "
            f"({total:.1f} s)"
        )

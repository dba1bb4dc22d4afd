"""Counts and timings of one run."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.model import Article, Quarantine


@dataclass(slots=True)
class RunSummary:
    """Counts and timings of one run.

    Mutable while `add` accumulates the outcomes; the steps after that return new
    summaries (`with_timings`, `run.finish_run`) instead of changing the one they got.
    """

    inputs: int = 0
    articles: int = 0
    quarantined: int = 0
    paragraphs_kept: int = 0
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    quarantine_by_stage: Counter[str] = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)

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

    def counts(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "articles": self.articles,
            "quarantined": self.quarantined,
            "paragraphs_kept": self.paragraphs_kept,
            "paragraphs_removed": sum(self.removed_by_reason.values()),
            "removed_by_reason": dict(sorted(self.removed_by_reason.items())),
            "quarantined_by_stage": dict(sorted(self.quarantine_by_stage.items())),
        }

    def line(self, out: Path) -> str:
        removed = sum(self.removed_by_reason.values())
        total = self.timings.get("total_s", 0.0)
        return (
            f"{self.inputs} inputs: {self.articles} articles, {self.quarantined} quarantined, "
            f"{removed} paragraphs removed -> {out} ({total:.1f} s)"
        )

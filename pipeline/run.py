"""A whole run over inputs: expand, read, process, write — the CLI's engine.

Stages stay pure; this module only sequences them, counts, and times. Outcomes keep the
order of the inputs so reruns are byte-identical.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import PipelineConfig
from pipeline.model import Article, Quarantine
from pipeline.process import process_document
from pipeline.read import InputFile, expand_inputs, iter_documents
from pipeline.records import ArticleRecord, QuarantineRecord, article_record, quarantine_record
from pipeline.versions import versions
from pipeline.write import prepare_output, write_outputs

Progress = Callable[[int, int], None]
"""Called as progress(done, total) after each input."""


@dataclass(slots=True)
class RunSummary:
    """Counts and timings of one run (mutable while the run accumulates them)."""

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


def process_items(
    items: Iterable[InputFile | Quarantine], config: PipelineConfig
) -> Iterator[Article | Quarantine]:
    for item in items:
        for raw in iter_documents(item, config.read):
            yield raw if isinstance(raw, Quarantine) else process_document(raw, config)


def build_manifest(config: PipelineConfig, summary: RunSummary) -> dict[str, Any]:
    return {
        "counts": summary.counts(),
        "config": config.to_dict(),
        "versions": versions(),
        "timings": {k: round(v, 3) for k, v in sorted(summary.timings.items())},
    }


def collect(
    outcomes: Iterable[Article | Quarantine], summary: RunSummary
) -> tuple[list[ArticleRecord], list[QuarantineRecord]]:
    articles: list[ArticleRecord] = []
    quarantined: list[QuarantineRecord] = []
    for outcome in outcomes:
        summary.add(outcome)
        if isinstance(outcome, Quarantine):
            quarantined.append(quarantine_record(outcome))
        else:
            articles.append(article_record(outcome))
    return articles, quarantined


def finish_run(
    out: Path,
    articles: list[ArticleRecord],
    quarantined: list[QuarantineRecord],
    config: PipelineConfig,
    summary: RunSummary,
) -> None:
    """Everything after per-document processing: the corpus-level steps and the writing.

    The CLI and the Prefect flow both end here, so they write identical outputs.
    """
    write_outputs(
        out, articles, quarantined, build_manifest(config, summary), config.write.markdown
    )


def run(
    inputs: Sequence[str],
    out: Path,
    config: PipelineConfig,
    progress: Progress | None = None,
) -> RunSummary:
    """Run every stage over `inputs` and write the outputs under `out`.

    Raises `InputError` for inputs that name nothing and `OutputError` for an unusable
    output folder; bad *content* never raises, it is quarantined.
    """
    started = time.perf_counter()
    prepare_output(out)
    items = list(expand_inputs(inputs))
    summary = RunSummary()

    def tracked() -> Iterator[Article | Quarantine]:
        for done, outcome in enumerate(process_items(items, config), start=1):
            if progress is not None:
                progress(done, len(items))
            yield outcome

    articles, quarantined = collect(tracked(), summary)
    processed = time.perf_counter()
    summary.timings["process_s"] = processed - started
    summary.timings["total_s"] = processed - started
    finish_run(out, articles, quarantined, config, summary)
    summary.timings["write_s"] = time.perf_counter() - processed
    summary.timings["total_s"] = time.perf_counter() - started
    return summary

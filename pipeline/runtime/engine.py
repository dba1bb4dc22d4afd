"""A whole run over inputs: expand, read, process, write — the CLI's engine.

Stages stay pure; this module only sequences them, counts, and times. Outcomes keep the
order of the inputs so reruns are byte-identical.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.config import CrossdocConfig, PipelineConfig
from pipeline.crossdoc import CrossdocResult, FirstPass, apply_crossdoc, open_index
from pipeline.errors import IndexStoreError
from pipeline.model import Article, Quarantine, RawDocument
from pipeline.output import Written, import_writers, output_lock, prepare_output, write_outputs
from pipeline.read import InputFile, expand_inputs, iter_documents
from pipeline.records import (
    ArticleRecord,
    ClusterRecord,
    QuarantineRecord,
    article_record,
    quarantine_record,
)
from pipeline.runtime.manifest import build_manifest
from pipeline.runtime.parallel import process_stream
from pipeline.runtime.spool import RecordSpool
from pipeline.runtime.summary import RunSummary

Progress = Callable[[int, int | None], None]
"""Called as progress(done, total) after each document; total is None once archives
have yielded more documents than there are input files."""


def read_items(
    items: Iterable[InputFile | Quarantine], config: PipelineConfig
) -> Iterator[RawDocument | Quarantine]:
    for item in items:
        yield from iter_documents(item, config.read)


def process_items(
    items: Iterable[InputFile | Quarantine], config: PipelineConfig
) -> Iterator[Article | Quarantine]:
    """Outcomes in input order, on `config.parallel.workers` processes, streamed."""
    return process_stream(read_items(items, config), config)


def collect(
    outcomes: Iterable[Article | Quarantine],
    summary: RunSummary,
    spool: Path | None = None,
    first: FirstPass | None = None,
) -> tuple[Sequence[ArticleRecord], Sequence[QuarantineRecord]]:
    """The records of all outcomes, counted in `summary`: in lists, or with `spool` (a
    folder) in temporary files there that the caller closes with `close_spools`: memory
    then stays flat. Each article record is also given to `first`, the cross-document
    step's first pass."""
    articles: list[ArticleRecord] | RecordSpool[ArticleRecord]
    quarantined: list[QuarantineRecord] | RecordSpool[QuarantineRecord]
    if spool is None:
        articles, quarantined = [], []
    else:
        articles, quarantined = RecordSpool(spool, "articles"), RecordSpool(spool, "quarantine")
    try:
        for outcome in outcomes:
            summary.add(outcome)
            if isinstance(outcome, Quarantine):
                quarantined.append(quarantine_record(outcome))
            else:
                record = article_record(outcome)
                articles.append(record)
                if first is not None:
                    first.add(record)
    except BaseException:
        close_spools(articles, quarantined)
        raise
    return articles, quarantined


def close_spools(*records: Sequence[object]) -> None:
    for spool in records:
        if isinstance(spool, RecordSpool):
            spool.close()


def finish_run(
    out: Path,
    articles: Sequence[ArticleRecord],
    quarantined: Sequence[QuarantineRecord],
    config: PipelineConfig,
    summary: RunSummary,
    first: FirstPass | None = None,
) -> RunSummary:
    """Everything after per-document processing: the corpus-level steps and the writing.

    Returns `summary` with the counts of the records written (`RunSummary.written`: what
    the files hold, after the corpus-level edits) and timed, as the manifest and the
    report have it; `summary` itself is left as it was, so a retry can start from it
    again. A persistent index that fails here leaves the outputs written without it and
    the failure in `index_error` (`cross_documents_kept`).
    The records may be spooled on disk (see `collect`): iterate over them as often as
    needed, but do not gather them all into memory — a run can hold 100,000 articles.
    `first` is the cross-document step's first pass if `collect` took it (used once: a
    retry scans the records again).

    The CLI and the Prefect flow both end here, so they write identical outputs.
    """
    clusters: list[ClusterRecord] = []
    crossdoc: dict[str, Any] | None = None
    dropped = 0
    if config.crossdoc.enabled:
        started = time.perf_counter()
        result, index_error = cross_documents_kept(out, articles, config.crossdoc, first)
        elapsed = time.perf_counter() - started
        articles, clusters, crossdoc = result.articles, result.clusters, result.counts.to_dict()
        if result.quarantined:
            quarantined = [*quarantined, *result.quarantined]
        dropped = result.counts.duplicate_articles_dropped
        summary = summary.with_timings(crossdoc_s=elapsed)
        summary = dataclasses.replace(summary, index_error=index_error)

    def manifest(written: Written) -> dict[str, Any]:
        made = build_manifest(config, summary.written(written, dropped))
        if crossdoc is not None:
            # What this run did to the persistent index differs between reruns by design
            # (a rerun finds everything known); it goes under "run", beside the timings.
            counts = dict(crossdoc)
            made["run"] = {key: counts.pop(key) for key in _RUN_KEYS if key in counts}
            if summary.index_error is not None:
                made["run"]["index_error"] = summary.index_error
            made["crossdoc"] = counts
        return made

    written = write_outputs(
        out,
        articles,
        quarantined,
        manifest,
        config.write.markdown,
        report=config.report,
        clusters=clusters,
    )
    return summary.written(written, dropped)


_RUN_KEYS = ("index_added", "index_known", "index_run")


def cross_documents(
    out: Path,
    articles: Sequence[ArticleRecord],
    config: CrossdocConfig,
    first: FirstPass | None = None,
) -> CrossdocResult:
    """Clusters across documents, with the persistent index under `out` by default.
    `first` is handed on untaken: the step then holds the only reference to what it
    found, and frees it as its phases are done with it."""
    index = open_index(config.index, out, config.max_bucket)
    try:
        return apply_crossdoc(articles, config, index, first)
    finally:
        if index is not None:
            index.close()


def cross_documents_kept(
    out: Path,
    articles: Sequence[ArticleRecord],
    config: CrossdocConfig,
    first: FirstPass | None = None,
) -> tuple[CrossdocResult, str | None]:
    """`cross_documents`, and if the persistent index fails (a Redis server gone since
    the start, a full disk under SQLite) the step again without it, with the failure.

    The index only adds what earlier runs saw; a failure at the end of a run must not
    throw away the run's own work, so the outputs are written from the step within the
    run and the failure is reported (the CLI exits 2, see `cli`)."""
    try:
        return cross_documents(out, articles, config, first), None
    except IndexStoreError as exc:
        # `first` was taken by the failed attempt: the step scans the records again
        return apply_crossdoc(articles, config, None, first), str(exc)


def run(
    inputs: Sequence[str],
    out: Path,
    config: PipelineConfig,
    progress: Progress | None = None,
) -> RunSummary:
    """Run every stage over `inputs` and write the outputs under `out`.

    Raises `InputError` for inputs that name nothing and `OutputError` for an unusable
    output folder or one another run holds (`OutputBusyError`); bad *content* never
    raises, it is quarantined.
    """
    started = time.perf_counter()
    prepare_output(out, markdown=config.write.markdown)
    with output_lock(out):
        items = list(expand_inputs(inputs, output=out))

        def tracked() -> Iterator[Article | Quarantine]:
            for done, outcome in enumerate(process_items(items, config), start=1):
                if progress is not None:
                    progress(done, len(items) if done <= len(items) else None)
                yield outcome

        return complete_run(out, tracked(), config, started)


Finish = Callable[
    [
        Path,
        Sequence[ArticleRecord],
        Sequence[QuarantineRecord],
        PipelineConfig,
        RunSummary,
        FirstPass | None,
    ],
    RunSummary,
]
"""`finish_run`, or what stands for it (the flow's task with retries)."""


def _warming_writers(
    outcomes: Iterable[Article | Quarantine],
) -> Iterator[Article | Quarantine]:
    """`outcomes`, and once the first has come (the workers are running by then) the
    writers' modules imported on a background thread (`write.import_writers`)."""
    started = False
    for outcome in outcomes:
        yield outcome
        if not started:
            started = True
            threading.Thread(target=import_writers, name="import-writers", daemon=True).start()


def complete_run(
    out: Path,
    outcomes: Iterable[Article | Quarantine],
    config: PipelineConfig,
    started: float,
    finish: Finish = finish_run,
) -> RunSummary:
    """Spool the outcomes as they come, then the corpus-level steps and the writing.

    The tail every run shares: the CLI passes its process pool's stream, the Prefect flow
    its settled batches (and `finish_run` wrapped in a task with retries, as `finish`).
    `started` is when the run began, for the timings in the manifest.
    """
    summary = RunSummary()
    # the cross-document step's first pass, taken as records come (beside the workers)
    first = FirstPass(config.crossdoc) if config.crossdoc.enabled else None
    articles, quarantined = collect(_warming_writers(outcomes), summary, spool=out, first=first)
    processed = time.perf_counter()
    summary = summary.with_timings(process_s=processed - started, total_s=processed - started)
    try:
        summary = finish(out, articles, quarantined, config, summary, first)
    finally:
        close_spools(articles, quarantined)
    return summary.with_timings(
        write_s=time.perf_counter() - processed, total_s=time.perf_counter() - started
    )

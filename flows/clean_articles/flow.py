"""`clean_articles`: the pipeline as a Prefect flow, with the CLI's parameters and outputs.

Tasks work on batches (one task per chunk of documents, never one per document: a task
run costs milliseconds with threads and a fifth of a second with Dask). Settled batches
stream into `pipeline.runtime.complete_run`, the tail the CLI runs too (spooled records, then
`finish_run` — here a task with retries), so both write the same files and the flow's
memory does not grow with the corpus.

Its command line is `flows.clean_articles.cli`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.cache_policies import INPUTS, NO_CACHE, TASK_SOURCE
from prefect.context import FlowRunContext
from prefect.exceptions import CancelledRun
from prefect.futures import PrefectFuture
from prefect.states import Cancelled, Completed, Failed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from flows.keys import config_key, content_key
from flows.report import HostMapping, quarantine_table, report_uri, summary_markdown
from flows.runners import RUNNER_KINDS, api_url_for_workers, compute_pool, make_task_runner
from pipeline import runtime
from pipeline.config import PipelineConfig, ReadConfig
from pipeline.crossdoc import FirstPass
from pipeline.errors import OutputBusyError
from pipeline.model import Article, Quarantine, RawDocument, Stage
from pipeline.output import output_lock, prepare_output
from pipeline.read import InputFile, expand_inputs, iter_documents
from pipeline.records import ArticleRecord, QuarantineRecord
from pipeline.run_options import RunOptions, progress_bar, tracked
from pipeline.runtime import RenewingPool, RunSummary, complete_run, finish_run, quarantine_all

CHUNK_SIZES = {"threads": 200, "processes": 200, "dask": 50}
"""Documents per task when the run does not say, by task runner. Dask balances whole
tasks over its workers, so a run needs several per worker: 20 per 1,000 documents. On
threads the GIL runs one batch at a time anyway, and `processes` balances its pool by
the slices of each batch: there, fewer and larger tasks cost less, since every task run
costs the API server CPU of its own (docs/benchmarks.md, Flow overhead)."""
PROCESS_RETRIES = 1
IN_FLIGHT_PER_CORE = 3
SUMMARY_KEY = "clean-articles-summary"
QUARANTINE_KEY = "clean-articles-quarantine"
REPORT_KEY = "clean-articles-report"
PARTIAL_STATE = "CompletedWithFailedBatches"
BUSY_STATE = "OutputBusy"
"""The name of the Cancelled state of a run that found its output folder held."""

Outcome = Article | Quarantine
T = TypeVar("T")

_BUSY_MESSAGES: set[str] = set()
"""The messages of the Cancelled states this process returned for a busy folder."""


class _QuietBusyCancellation(logging.Filter):
    """Drops Prefect's traceback for a run this flow cancelled on purpose (busy folder).

    Returning a Cancelled state ends the run Cancelled, as wanted. But the engine that
    runs a deployment's flow run then asks for the run's result, which raises
    `CancelledRun` for any Cancelled state, and logs that as "Engine execution exited
    with unexpected exception" with a traceback (Prefect 3.9.1, `flow_engine.run_flow`).
    The flow's own warning already said what happened; only that record is dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, CancelledRun) and str(error) in _BUSY_MESSAGES)


logging.getLogger("prefect.flow_runs").addFilter(_QuietBusyCancellation())

RENAMED_OPTIONS = {"config": "config_path"}
"""Run options whose flow parameter has another name (deployments set `config_path`)."""

PROCESS_CACHE = (INPUTS - "docs" - "config" - "pool") + TASK_SOURCE
"""Keyed on `content_key` and `config_key` (content, config and code version) plus the
task's own source; the documents and config objects themselves are left out of INPUTS
because the two keys already stand for them, and where the stages ran does not matter."""


@task(
    name="read-batch",
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=1),
    retry_jitter_factor=0.5,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def read_batch(
    items: list[InputFile | Quarantine], config: ReadConfig
) -> list[RawDocument | Quarantine]:
    """I/O: the documents in a chunk of input files (archives give several per file)."""
    docs: list[RawDocument | Quarantine] = []
    for item in items:
        docs.extend(iter_documents(item, config))
    get_run_logger().debug("read %d documents from %d inputs", len(docs), len(items))
    return docs


@task(
    name="process-batch",
    retries=PROCESS_RETRIES,
    retry_delay_seconds=1,
    cache_policy=PROCESS_CACHE,
    persist_result=True,
)
def process_batch(
    docs: list[RawDocument | Quarantine],
    config: PipelineConfig,
    content_key: str,
    config_key: str,
    pool: RenewingPool | None = None,
) -> list[Outcome]:
    """Every pure stage over one batch, in order (keys only feed the cache policy), here
    or in `pool` (the `processes` runner's workers)."""
    if pool is None:
        outcomes = runtime.process_batch(docs, config)
    else:  # in slices, so every worker has a share of the batch and none sits idle
        slices = [
            pool.submit(part, config) for part in runtime.batches(docs, config.parallel.batch_size)
        ]
        outcomes = [outcome for part in slices for outcome in pool.result(part, config)]
    articles = sum(isinstance(o, Article) for o in outcomes)
    get_run_logger().info("batch of %d documents: %d articles", len(docs), articles)
    return outcomes


@task(
    name="write-outputs",
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=1),
    cache_policy=NO_CACHE,
    persist_result=False,
)
def write_outputs(
    out: Path,
    articles: Sequence[ArticleRecord],
    quarantined: Sequence[QuarantineRecord],
    config: PipelineConfig,
    summary: RunSummary,
    first: FirstPass | None = None,
) -> RunSummary:
    """I/O: `finish_run` (corpus-level steps and writing) over the spooled records.

    `finish_run` returns the summary with the corpus-level edits counted and leaves the
    one it was given alone, so a retry starts from the same counts.
    """
    return finish_run(out, articles, quarantined, config, summary, first)


def _write_with_retries(
    out: Path,
    articles: Sequence[ArticleRecord],
    quarantined: Sequence[QuarantineRecord],
    config: PipelineConfig,
    summary: RunSummary,
    first: FirstPass | None,
) -> RunSummary:
    """`complete_run`'s `finish` step as the task above. The spools, the summary and the
    first pass are quoted: Prefect would otherwise walk (and copy) them looking for
    futures."""
    quoted = (quote(articles), quote(quarantined), config, quote(summary), quote(first))
    summary: RunSummary = write_outputs(out, *cast("Any", quoted))
    return summary


@dataclass(slots=True)
class BatchTally:
    """How the batches of one run went, for the logs, the result and the final state."""

    batches: int = 0
    failed: int = 0
    cached: int = 0


@dataclass(frozen=True, slots=True)
class Batching:
    """How a run's batches are cut and where they run (the flow's own parameters)."""

    chunk_size: int
    task_runner: str
    dask_address: str | None
    workers: int


@flow(name="clean-articles")
def clean_articles(
    inputs: list[str],
    out: str,
    config_path: str | None = None,
    workers: int | None = None,
    drop_duplicate_articles: bool = False,
    drop_cross_document_duplicates: bool = False,
    index: str | None = None,
    reset_index: bool = False,
    no_progress: bool = False,
    chunk_size: int | None = None,
    task_runner: str = "threads",
    dask_address: str | None = None,
) -> Any:
    """Clean and deduplicate `inputs` into `out`: the same files as `python -m pipeline run`.

    The parameters up to `no_progress` are the CLI's run options
    (`pipeline.run_options.RunOptions`, `config` named `config_path`), with the same
    effect (a Redis `index` may name `${REDIS_PASSWORD}`: read from the environment where
    the flow runs, so the password stays out of the deployment's parameters). `workers`
    sizes the task runner (threads, the `processes` pool, a local Dask cluster).
    A batch that still fails after its retries does not sink the run: its documents are
    quarantined with the error and the run ends Completed, named `CompletedWithFailedBatches`.
    An output folder another run holds ends the run Cancelled (`BUSY_STATE`): nothing
    went wrong, there was nothing this run could do. A shared index that fails at the
    end ends the run Failed, its outputs written from this run alone (the CLI's exit 2).
    `chunk_size` None: the task
    runner's default (`CHUNK_SIZES`).
    """
    started = time.perf_counter()
    chunk_size = default_chunk_size(task_runner) if chunk_size is None else chunk_size
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    options = RunOptions(
        inputs=tuple(inputs),
        out=Path(out),
        config=Path(config_path) if config_path else None,
        workers=workers,
        drop_duplicate_articles=drop_duplicate_articles,
        drop_cross_document_duplicates=drop_cross_document_duplicates,
        index=index,
        reset_index=reset_index,
        no_progress=no_progress,
    )
    config = options.pipeline_config()
    cores = runtime.resolve_workers(config.parallel.workers)
    batching = Batching(chunk_size, task_runner, dask_address, cores)
    mapping = HostMapping.from_env()  # a malformed one fails now, not after the run
    prepare_output(options.out, markdown=config.write.markdown)
    try:
        with output_lock(options.out):
            summary, tally = _run_locked(options, config, batching, started)
    except OutputBusyError as exc:
        # one line, no traceback: the run that holds the folder is the one to look at
        get_run_logger().warning("cancelled: %s", exc)
        _BUSY_MESSAGES.add(str(exc))
        return Cancelled(name=BUSY_STATE, message=str(exc))
    return _finish(options.out, summary, tally, mapping)


def _run_locked(
    options: RunOptions, config: PipelineConfig, batching: Batching, started: float
) -> tuple[RunSummary, BatchTally]:
    """The run proper, once the output folder is this run's."""
    items = list(expand_inputs(options.inputs, output=options.out))
    get_run_logger().info(
        "%d inputs, batches of %d, %s task runner on %d workers",
        len(items),
        batching.chunk_size,
        batching.task_runner,
        batching.workers,
    )
    runner = make_task_runner(batching.task_runner, batching.dask_address, batching.workers)
    tally = BatchTally()
    with (
        compute_pool(batching.task_runner, batching.workers) as pool,
        progress_bar(options.no_progress) as bar,
    ):
        batches = _process(items, config, batching, runner, tally, pool)
        outcomes = tracked(batches, len(items), bar)
        summary = complete_run(options.out, outcomes, config, started, finish=_write_with_retries)
    return summary, tally


def _finish(out: Path, summary: RunSummary, tally: BatchTally, mapping: HostMapping | None) -> Any:
    """Log, publish the artifacts, and end in the state the batches call for."""
    counts = summary.counts()
    counts |= {
        "batches": tally.batches,
        "cached_batches": tally.cached,
        "failed_batches": tally.failed,
    }
    get_run_logger().info(
        "%d documents: %d articles, %d quarantined; %d of %d batches from cache",
        counts["inputs"],
        counts["articles"],
        counts["quarantined"],
        tally.cached,
        tally.batches,
    )
    publish_artifacts(out, tally.failed, mapping)
    if summary.index_error is not None:
        # The outputs are written, from this run alone: a schedule must not take that
        # for a normal run, since duplicates of earlier runs went unmarked.
        message = f"{summary.index_error} (the outputs were written without the index)"
        get_run_logger().error("%s", message)
        return Failed(message=message, data=counts)
    if tally.failed:
        return Completed(
            name=PARTIAL_STATE,
            message=f"{tally.failed} of {tally.batches} batches failed after retries; "
            "their documents are quarantined with the error",
            data=counts,
        )
    return counts


def publish_artifacts(out: Path, failed_batches: int, mapping: HostMapping | None) -> None:
    """The summary, the quarantine table and a link to the report, paths as the host
    sees them when `mapping` knows (`flows.report`)."""
    create_markdown_artifact(
        key=SUMMARY_KEY,
        markdown=summary_markdown(out, failed_batches, mapping),
        description=f"clean_articles summary for {out.resolve()}",
    )
    create_table_artifact(
        key=QUARANTINE_KEY,
        table=quarantine_table(out),
        description="quarantined inputs: source, stage, reason",
    )
    uri = report_uri(out, mapping)
    if uri is not None:
        create_link_artifact(
            key=REPORT_KEY,
            link=uri,
            link_text="report.html",
            description="the run report, where it was written",
        )


def _process(
    items: list[InputFile | Quarantine],
    config: PipelineConfig,
    batching: Batching,
    runner: TaskRunner[Any],
    tally: BatchTally,
    pool: RenewingPool | None = None,
) -> Iterator[Outcome]:
    """Read batches on the flow's threads, process them on `runner`; yields the outcomes
    in input order as batches settle, counting batches, failed ones and cached ones.

    Only a window of batches is in flight (read one chunk ahead, at most
    `IN_FLIGHT_PER_CORE` process batches per worker), and the consumer spools what it is
    given, so neither raw pages nor outcomes of a large corpus are all in memory at once.
    """
    logger = get_run_logger()
    cfg_key = config_key(config)
    # On threads, quoted: Prefect would walk every document looking for futures. Dask
    # ships parameters to other processes, where a quote arrives as a bare tuple.
    in_process = quote if isinstance(runner, ThreadPoolTaskRunner) else _as_is
    window = IN_FLIGHT_PER_CORE * batching.workers
    chunk_size = batching.chunk_size
    item_chunks = runtime.batches(items, chunk_size)
    reads: deque[tuple[list[InputFile | Quarantine], PrefectFuture[Any]]] = deque()
    pending: deque[tuple[list[RawDocument | Quarantine], PrefectFuture[Any]]] = deque()

    def read_ahead() -> None:
        chunk = next(item_chunks, None)
        if chunk is not None:
            reads.append((chunk, read_batch.submit(chunk, config.read)))

    def settle() -> list[Outcome]:
        docs_chunk, future = pending.popleft()
        try:
            outcomes: list[Outcome] = future.result()
        except Exception as exc:
            tally.failed += 1
            logger.error("batch of %d documents failed: %s", len(docs_chunk), exc)
            return _quarantine_batch(docs_chunk, exc)
        tally.cached += future.state.name == "Cached"
        return outcomes

    with api_url_for_workers(_api_url()), runner:
        read_ahead()
        read_ahead()
        while reads:
            chunk, read = reads.popleft()
            read_ahead()
            docs = _read_or_quarantine(read, chunk)
            for docs_chunk in runtime.batches(docs, chunk_size):
                while len(pending) >= window:
                    yield from settle()
                params: dict[str, Any] = {
                    "docs": in_process(docs_chunk),
                    "config": config,
                    "content_key": content_key(docs_chunk),
                    "config_key": cfg_key,
                }
                if pool is not None:
                    params["pool"] = quote(pool)
                pending.append((docs_chunk, runner.submit(process_batch, params)))
                tally.batches += 1
        while pending:
            yield from settle()


def run_parameters(options: RunOptions) -> dict[str, Any]:
    """The flow's parameters for `options`, as JSON values (what a deployment stores).

    Every field of `RunOptions` maps to a parameter, so an option added there reaches
    the flow or fails loudly (an unexpected keyword), never silently dropped.
    """
    parameters: dict[str, Any] = {}
    for f in dataclasses.fields(options):
        value = getattr(options, f.name)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        parameters[RENAMED_OPTIONS.get(f.name, f.name)] = value
    return parameters


def default_chunk_size(task_runner: str) -> int:
    try:
        return CHUNK_SIZES[task_runner]
    except KeyError:
        raise ValueError(
            f"unknown task_runner {task_runner!r}: choose one of {', '.join(RUNNER_KINDS)}"
        ) from None


def _as_is(value: T) -> T:
    return value


def _api_url() -> str:
    context = FlowRunContext.get()
    assert context is not None and context.client is not None
    return str(context.client.api_url)


def _read_or_quarantine(
    read: PrefectFuture[list[RawDocument | Quarantine]], chunk: list[InputFile | Quarantine]
) -> list[RawDocument | Quarantine]:
    try:
        return read.result()
    except Exception as exc:
        get_run_logger().error("reading %d inputs failed: %s", len(chunk), exc)
        return [
            item
            if isinstance(item, Quarantine)
            else Quarantine(item.source, f"read failed after retries: {_describe(exc)}", Stage.READ)
            for item in chunk
        ]


def _quarantine_batch(docs: list[RawDocument | Quarantine], exc: BaseException) -> list[Outcome]:
    reason = f"batch failed after {PROCESS_RETRIES + 1} attempts: {_describe(exc)}"
    return quarantine_all(docs, reason, Stage.PROCESS)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"

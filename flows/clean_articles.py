"""`clean_articles`: the pipeline as a Prefect flow, with the CLI's parameters and outputs.

Tasks work on batches (one task per chunk of documents, never one per document: a task
run costs milliseconds with threads and a fifth of a second with Dask), and the flow ends
in `pipeline.run.finish_run`, the function the CLI ends in, so both write the same files.

    python -m flows.clean_articles INPUT... --out DIR [--config F] [--chunk-size N]
        [--task-runner threads|processes|dask] [--dask-address tcp://host:8786]

runs it with no server (Prefect's ephemeral mode).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import INPUTS, NO_CACHE, TASK_SOURCE
from prefect.client.schemas.objects import State
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.states import Completed
from prefect.task_runners import TaskRunner
from prefect.tasks import exponential_backoff

from flows.keys import config_key, content_key
from flows.report import quarantine_table, summary_markdown
from flows.runners import RUNNER_KINDS, api_url_for_workers, make_task_runner
from pipeline.config import ConfigError, PipelineConfig, ReadConfig
from pipeline.lock import output_lock
from pipeline.model import Article, Quarantine, RawDocument
from pipeline.process import process_document
from pipeline.read import InputError, InputFile, expand_inputs, iter_documents
from pipeline.run import RunSummary, close_spools, collect, finish_run
from pipeline.write import OutputError, prepare_output

DEFAULT_CHUNK_SIZE = 50
"""Documents per task: 20 tasks per 1,000 documents keeps Prefect's share small while
still giving every core several batches to balance."""
PROCESS_RETRIES = 1
SUMMARY_KEY = "clean-articles-summary"
QUARANTINE_KEY = "clean-articles-quarantine"
PARTIAL_STATE = "CompletedWithFailedBatches"

Outcome = Article | Quarantine
T = TypeVar("T")

PROCESS_CACHE = (INPUTS - "docs" - "config") + TASK_SOURCE
"""Keyed on `content_key` and `config_key` (content, config and code version) plus the
task's own source; the documents and config objects themselves are left out of INPUTS
because the two keys already stand for them."""


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
) -> list[Outcome]:
    """Every pure stage over one batch, in order (keys only feed the cache policy)."""
    outcomes = [
        doc if isinstance(doc, Quarantine) else process_document(doc, config) for doc in docs
    ]
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
    out: Path, outcomes: list[Outcome], config: PipelineConfig, started: float
) -> dict[str, Any]:
    """Collect and hand over to `finish_run`, exactly as `pipeline.run.run` does."""
    summary = RunSummary()
    articles, quarantined = collect(outcomes, summary, spool=out)
    processed = time.perf_counter()
    summary.timings["process_s"] = processed - started
    summary.timings["total_s"] = processed - started
    try:
        finish_run(out, articles, quarantined, config, summary)
    finally:
        close_spools(articles, quarantined)
    summary.timings["write_s"] = time.perf_counter() - processed
    summary.timings["total_s"] = time.perf_counter() - started
    return summary.counts()


@flow(name="clean-articles")
def clean_articles(
    inputs: list[str],
    out: str,
    config_path: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    task_runner: str = "threads",
    dask_address: str | None = None,
) -> Any:
    """Clean and deduplicate `inputs` into `out`: the same files as `python -m pipeline run`.

    A batch that still fails after its retries does not sink the run: its documents are
    quarantined with the error and the run ends Completed, named `CompletedWithFailedBatches`.
    """
    logger = get_run_logger()
    started = time.perf_counter()
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    config = PipelineConfig.from_toml(config_path) if config_path else PipelineConfig()
    out_dir = Path(out)
    prepare_output(out_dir)
    with output_lock(out_dir):
        items = list(expand_inputs(inputs))
        logger.info("%d inputs, batches of %d, %s task runner", len(items), chunk_size, task_runner)
        runner = make_task_runner(task_runner, dask_address)
        outcomes, batches, failed, cached = _process(items, config, chunk_size, runner)
        counts = write_outputs(out_dir, outcomes, config, started)
    counts |= {"batches": batches, "cached_batches": cached, "failed_batches": failed}
    logger.info(
        "%d documents: %d articles, %d quarantined; %d of %d batches from cache",
        counts["inputs"],
        counts["articles"],
        counts["quarantined"],
        cached,
        batches,
    )
    create_markdown_artifact(
        key=SUMMARY_KEY,
        markdown=summary_markdown(out_dir, failed),
        description=f"clean_articles summary for {out_dir}",
    )
    create_table_artifact(
        key=QUARANTINE_KEY,
        table=quarantine_table(out_dir),
        description="quarantined inputs: source, stage, reason",
    )
    if failed:
        return Completed(
            name=PARTIAL_STATE,
            message=f"{failed} of {batches} batches failed after retries; "
            "their documents are quarantined with the error",
            data=counts,
        )
    return counts


def _process(
    items: list[InputFile | Quarantine],
    config: PipelineConfig,
    chunk_size: int,
    runner: TaskRunner[Any],
) -> tuple[list[Outcome], int, int, int]:
    """Read batches on the flow's threads, process them on `runner`; outcomes in input
    order, with the number of batches, of failed ones and of ones served from cache."""
    logger = get_run_logger()
    cfg_key = config_key(config)
    item_chunks = list(chunks(items, chunk_size))
    reads = [read_batch.submit(chunk, config.read) for chunk in item_chunks]
    batches: list[tuple[list[RawDocument | Quarantine], PrefectFuture[list[Outcome]]]] = []
    with api_url_for_workers(_api_url()), runner:
        for chunk, read in zip(item_chunks, reads, strict=True):
            docs = _read_or_quarantine(read, chunk)
            for docs_chunk in chunks(docs, chunk_size):
                params = {
                    "docs": docs_chunk,
                    "config": config,
                    "content_key": content_key(docs_chunk),
                    "config_key": cfg_key,
                }
                batches.append((docs_chunk, runner.submit(process_batch, params)))
        outcomes: list[Outcome] = []
        failed = cached = 0
        for docs_chunk, future in batches:
            try:
                outcomes.extend(future.result())
            except Exception as exc:
                failed += 1
                logger.error("batch of %d documents failed: %s", len(docs_chunk), exc)
                outcomes.extend(_quarantine_batch(docs_chunk, exc))
                continue
            cached += future.state.name == "Cached"
    return outcomes, len(batches), failed, cached


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


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
            else Quarantine(item.source, f"read failed after retries: {_describe(exc)}", "read")
            for item in chunk
        ]


def _quarantine_batch(docs: list[RawDocument | Quarantine], exc: BaseException) -> list[Outcome]:
    reason = f"batch failed after {PROCESS_RETRIES + 1} attempts: {_describe(exc)}"
    return [
        d if isinstance(d, Quarantine) else Quarantine(d.source, reason, "process") for d in docs
    ]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows.clean_articles",
        description="Run the cleaning pipeline as a Prefect flow (ephemeral: no server "
        "needed). Writes exactly what `python -m pipeline run` writes.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or globs")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--config", metavar="FILE.toml", help="pipeline config file")
    parser.add_argument(
        "--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, metavar="N", help="documents per task"
    )
    parser.add_argument("--task-runner", choices=RUNNER_KINDS, default="threads")
    parser.add_argument(
        "--dask-address", metavar="ADDR", help="existing Dask scheduler (with --task-runner dask)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.chunk_size < 1:
        return _fail("--chunk-size must be positive")
    if args.dask_address and args.task_runner != "dask":
        return _fail("--dask-address needs --task-runner dask")
    try:
        if args.config:
            PipelineConfig.from_toml(args.config)
    except ConfigError as exc:
        return _fail(str(exc))
    state = cast(
        "State[Any]",
        clean_articles(
            inputs=list(args.inputs),
            out=args.out,
            config_path=args.config,
            chunk_size=args.chunk_size,
            task_runner=args.task_runner,
            dask_address=args.dask_address,
            return_state=True,
        ),
    )
    if state.is_failed() or state.is_crashed():
        error = state.result(raise_on_failure=False)
        if isinstance(error, InputError | OutputError | ConfigError):
            return _fail(str(error))
        return _fail(state.message or "flow run failed")
    counts = state.result()
    print(
        f"{counts['inputs']} inputs: {counts['articles']} articles, "
        f"{counts['quarantined']} quarantined -> {args.out} ({state.name})",
        file=sys.stderr,
    )
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    # Re-import under the package name so task functions pickle by reference for the
    # process and Dask runners (their workers import `flows.clean_articles`, not __main__).
    from flows.clean_articles import main as _main

    raise SystemExit(_main())

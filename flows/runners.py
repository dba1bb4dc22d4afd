"""The task runner a run asks for, by name: the choice is a flow parameter.

Prefect fixes a flow's task runner in its decorator; a deployment parameter cannot change
it. So the flow builds the runner it is asked for and submits its batch tasks to it
directly, which keeps one flow run instead of a subflow per mode (each flow run has a fixed cost).

`processes` keeps the task runs on threads and hands each batch's documents to a
forkserver process pool (`compute_pool`), as the CLI does. Prefect's own
`ProcessPoolTaskRunner` spawns fresh interpreters that each import Prefect, run the task
engine and pickle whole task states back: that alone made the flow cost far more than
the CLI (docs/benchmarks.md, Flow overhead). Task runs, retries, caching and logs are the
same either way; only the documents travel to the workers.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from pipeline.runtime import RenewingPool, process_batch

if TYPE_CHECKING:  # Prefect is imported when a runner is made: the commands that parse
    from prefect.task_runners import TaskRunner  # these options check for it first

RunnerKind = Literal["threads", "processes", "dask"]
RUNNER_KINDS: tuple[str, ...] = ("threads", "processes", "dask")


def make_task_runner(
    kind: str, dask_address: str | None = None, workers: int | None = None
) -> TaskRunner[Any]:
    """Threads (default and for `processes`, see `compute_pool`), or Dask.

    Dask uses the scheduler at `dask_address` when given, else a LocalCluster of one
    single-threaded worker process per core (the pipeline holds the GIL most of the time,
    so threads inside a Dask worker would not add throughput).
    """
    cores = workers or os.cpu_count() or 1
    if dask_address and kind != "dask":
        raise ValueError("dask_address is only used with task_runner='dask'")
    if kind in ("threads", "processes"):
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=cores)
    if kind == "dask":
        from prefect_dask.task_runners import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": cores,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": ":0",
            },
        )
    raise ValueError(f"unknown task_runner {kind!r}: choose one of {', '.join(RUNNER_KINDS)}")


def add_flow_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """The options only the flow has, beside the run options: how batches are cut and
    where they run (`python -m flows.clean_articles` and `python -m flows.serve`)."""
    parser.add_argument(
        "--chunk-size",
        type=int,
        metavar="N",
        help="documents per task (default: 200 on threads and processes, 50 on Dask)",
    )
    parser.add_argument(
        "--task-runner",
        choices=RUNNER_KINDS,
        default="threads",
        help="where batches are processed: threads (default), processes (a process pool "
        "of --workers), or dask (a local cluster of --workers, or --dask-address)",
    )
    parser.add_argument(
        "--dask-address", metavar="ADDR", help="existing Dask scheduler (with --task-runner dask)"
    )


@contextmanager
def api_url_for_workers(api_url: str) -> Iterator[None]:
    """Point worker processes at the API the flow itself talks to.

    Spawned workers (process pool, LocalCluster) inherit the environment, not the
    in-memory settings: without this, a flow run in ephemeral mode or under the test
    harness makes every worker start its own temporary server (seconds each) and report task
    runs to a database nobody reads.
    """
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    try:
        yield
    finally:
        if previous is None:
            del os.environ["PREFECT_API_URL"]
        else:
            os.environ["PREFECT_API_URL"] = previous


@contextmanager
def compute_pool(kind: str, workers: int | None = None) -> Iterator[RenewingPool | None]:
    """With `processes`, the pool the batch tasks run the stages in; else None (in-task,
    as with one worker: the CLI's `--workers 1` runs in its own process too).

    The CLI's pool: forkserver workers (forked from a server that imported the pipeline
    once, not from the flow process, which holds Prefect's threads), shared by the
    concurrent batch tasks, and renewed when a worker dies, so that a page that crashes
    its worker costs that page and not every batch after it.
    """
    if kind != "processes" or workers == 1:  # one worker: in the task's thread, as the CLI
        yield None
        return
    with RenewingPool(workers or os.cpu_count() or 1, process_batch) as pool:
        yield pool

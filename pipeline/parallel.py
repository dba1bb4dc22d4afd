"""Documents through `process_document` on every core, in order, in bounded memory.

The documents are read in the parent (a stream: archives are never loaded whole), cut
into batches and handed to a process pool. At most `workers * batches_in_flight` batches
are queued at any time, and results are yielded in submission order, so the output is the
same as a single-process run and memory does not grow with the corpus. (`Pool.imap` would
keep the order but its feeder thread drains the whole input into the queue.)

A worker that dies (a crash in a C extension, the OOM killer) breaks the whole pool: the
pool is restarted, the other queued batches are resubmitted, and the batch that was
running is retried one document at a time, so only the document that kills a worker is
quarantined.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.model import Article, Quarantine, RawDocument

Item = RawDocument | Quarantine
Outcome = Article | Quarantine
BatchFn = Callable[[list[Item], PipelineConfig], list[Outcome]]


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int) -> int:
    return workers if workers > 0 else default_workers()


def process_batch(batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    """What a worker runs: a plain function, so any executor (Dask too) can call it."""
    from pipeline.process import process_all  # imported by the forkserver (`_PRELOAD`)

    return list(process_all(batch, config))


_PRELOAD = ["pipeline.process"]
"""What the forkserver imports once, so that forked workers start ready."""


def forkserver_context() -> multiprocessing.context.ForkServerContext:
    # forkserver: workers are forked from a clean server that has imported the
    # pipeline once, not from this process (which may hold threads: progress bars,
    # Prefect), and start in milliseconds instead of re-importing like spawn.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def start_workers_early(config: ParallelConfig) -> None:
    """Start the forkserver now if the run will want workers.

    Called by the CLI before it imports the stages: the server then imports trafilatura
    and the pipeline on one core while the CLI imports its own on the other, instead of
    one after the other (~0.3 s of a run's start). Harmless if no pool is made later.
    """
    if resolve_workers(config.workers) > 1:
        from multiprocessing import forkserver

        forkserver_context()
        forkserver.ensure_running()


def process_stream(
    items: Iterable[Item], config: PipelineConfig, batch_fn: BatchFn = process_batch
) -> Iterator[Outcome]:
    """One outcome per item, in the items' order, on `config.parallel.workers` processes.

    `batch_fn` must be a module-level function (it is pickled by name for the workers).
    """
    workers = resolve_workers(config.parallel.workers)
    iterator = iter(items)
    head = list(islice(iterator, config.parallel.batch_size))
    if workers == 1 or len(head) < config.parallel.batch_size:
        # One process, or less than one batch in all: a pool would cost more than it saves.
        yield from batch_fn(head, config)
        for batch in batches(iterator, config.parallel.batch_size):
            yield from batch_fn(batch, config)
        return
    with _Pool(workers, batch_fn) as pool:
        yield from pool.map_ordered(chain(head, iterator), config)


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Pool:
    """A process pool that is rebuilt when a worker dies."""

    def __init__(self, workers: int, batch_fn: BatchFn) -> None:
        self.workers = workers
        self.batch_fn = batch_fn
        self.context = forkserver_context()
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.context)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def map_ordered(self, items: Iterable[Item], config: PipelineConfig) -> Iterator[Outcome]:
        limit = self.workers * config.parallel.batches_in_flight
        pending: deque[tuple[list[Item], Future[list[Outcome]]]] = deque()
        for batch in batches(items, config.parallel.batch_size):
            pending.append((batch, self._submit(batch, config)))
            if len(pending) >= limit:
                yield from self._settle(pending, config)
        while pending:
            yield from self._settle(pending, config)

    def _submit(self, batch: list[Item], config: PipelineConfig) -> Future[list[Outcome]]:
        try:
            return self.executor.submit(self.batch_fn, batch, config)
        except BrokenProcessPool:
            self._restart()
            return self.executor.submit(self.batch_fn, batch, config)

    def _settle(
        self, pending: deque[tuple[list[Item], Future[list[Outcome]]]], config: PipelineConfig
    ) -> list[Outcome]:
        batch, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
            for i, (other, _) in enumerate(pending):
                pending[i] = (other, self._submit(other, config))
            return [self._one_by_one(item, config) for item in batch]
        except Exception as exc:  # e.g. a result that cannot be pickled back
            reason = f"worker failed: {type(exc).__name__}: {exc}"
            return [
                item if isinstance(item, Quarantine) else Quarantine(item.source, reason, "extract")
                for item in batch
            ]

    def _one_by_one(self, item: Item, config: PipelineConfig) -> Outcome:
        if isinstance(item, Quarantine):
            return item
        try:
            return self._submit([item], config).result()[0]
        except BrokenProcessPool:
            self._restart()
            return Quarantine(
                item.source, "the worker process died while processing this document", "extract"
            )

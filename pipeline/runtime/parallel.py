"""Documents through `process_document` on every core, in order, in bounded memory.

The documents are read in the parent (a stream: archives are never loaded whole), cut
into batches and handed to a process pool. At most `workers * batches_in_flight` batches
are queued at any time, and results are yielded in submission order, so the output is the
same as a single-process run and memory does not grow with the corpus. (`Pool.imap` would
keep the order but its feeder thread drains the whole input into the queue.)

A worker that dies (a crash in a C extension, the OOM killer) costs only its document:
see `pool`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TypeVar

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.runtime.pool import BatchFn, Item, Outcome, RenewingPool, Ticket, forkserver_context

T = TypeVar("T")

__all__ = [
    "batches",
    "default_workers",
    "forkserver_context",
    "in_process",
    "process_batch",
    "process_stream",
    "resolve_workers",
    "start_workers_early",
]


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
    from pipeline.process import process_all

    return list(process_all(batch, config))


def start_workers_early(config: ParallelConfig) -> None:
    """Start the forkserver now: every run with a time limit wants workers (one worker
    too: the document must run where it can be stopped, see `pool`).

    Called by the CLI before it imports the stages: the server then imports trafilatura
    and the pipeline on one core while the CLI imports its own on the other, instead of
    one after the other at the start of every run. Harmless if no pool is made later.
    """
    from multiprocessing import forkserver

    forkserver_context()
    forkserver.ensure_running()


def in_process(config: PipelineConfig, documents: int) -> bool:
    """Whether `documents` documents run in this process rather than in workers: only
    without a time limit (nothing to stop, see `pool`), with one worker or less than one
    batch (a pool would cost more than it saves)."""
    if config.limits.document_seconds > 0:
        return False
    workers = resolve_workers(config.parallel.workers)
    return workers == 1 or documents < config.parallel.batch_size


def process_stream(
    items: Iterable[Item], config: PipelineConfig, batch_fn: BatchFn = process_batch
) -> Iterator[Outcome]:
    """One outcome per item, in the items' order, on `config.parallel.workers` processes
    (with a time limit, a single worker is a process too: see `in_process`).

    `batch_fn` must be a module-level function (it is pickled by name for the workers).
    """
    iterator = iter(items)
    head = list(islice(iterator, config.parallel.batch_size))
    if in_process(config, len(head)):
        yield from batch_fn(head, config)
        for batch in batches(iterator, config.parallel.batch_size):
            yield from batch_fn(batch, config)
        return
    workers = resolve_workers(config.parallel.workers)
    with RenewingPool(workers, batch_fn) as pool:
        limit = workers * config.parallel.batches_in_flight
        pending: deque[Ticket] = deque()
        for batch in batches(chain(head, iterator), config.parallel.batch_size):
            pending.append(pool.submit(batch, config))
            if len(pending) >= limit:
                yield from pool.result(pending.popleft(), config)
        while pending:
            yield from pool.result(pending.popleft(), config)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch

"""A forkserver process pool that outlives its workers, safe to share between threads.

A worker that dies (a crash in a C extension on one page, the OOM killer) breaks the
executor and every future in flight, whoever submitted them. The holder of a broken
batch renews the pool, once per break however many threads see it, and then either
submits the batch again (when another caller saw the break first) or, when it saw the
break first, runs it one document at a time, so that only a document that kills a worker
again is quarantined. The CLI's ordered stream and the Prefect flow's concurrent
batch tasks share this one implementation.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from pipeline.config import PipelineConfig
from pipeline.model import Article, Quarantine, RawDocument

Item = RawDocument | Quarantine
Outcome = Article | Quarantine
BatchFn = Callable[[list[Item], PipelineConfig], list[Outcome]]

DIED = "the worker process died while processing this document"
ALONE_ATTEMPTS = 2
"""Tries for a document run alone after a break. Other batches may be in flight beside
it, and a break they cause fails it too; a document that breaks the pool twice running
alone is the cause."""

_PRELOAD = ["pipeline.process"]
"""What the forkserver imports once, so that forked workers start ready."""


def forkserver_context() -> multiprocessing.context.ForkServerContext:
    # forkserver: workers are forked from a clean server that has imported the
    # pipeline once, not from this process (which may hold threads: progress bars,
    # Prefect), and start in milliseconds instead of re-importing like spawn.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


@dataclass(frozen=True, slots=True)
class Ticket:
    """A submitted batch: its items, its future, and the pool generation it went to."""

    batch: list[Item]
    future: Future[list[Outcome]]
    generation: int


class RenewingPool:
    """`workers` forkserver processes running `batch_fn` (a module-level function, pickled
    by name), replaced by a fresh pool whenever one of them dies."""

    def __init__(self, workers: int, batch_fn: BatchFn) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.workers = workers
        self._batch_fn = batch_fn
        self._context = forkserver_context()
        self._lock = threading.Lock()
        self._executor = self._start()
        self._generation = 0

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._context)

    def __enter__(self) -> RenewingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, batch: list[Item], config: PipelineConfig) -> Ticket:
        with self._lock:
            try:
                future = self._executor.submit(self._batch_fn, batch, config)
            except BrokenProcessPool:  # broken since the last renewal: nobody saw it yet
                self._renew_locked()
                future = self._executor.submit(self._batch_fn, batch, config)
            return Ticket(batch, future, self._generation)

    def result(self, ticket: Ticket, config: PipelineConfig) -> list[Outcome]:
        """The batch's outcomes, one per item in order; never raises for a dead worker."""
        while True:
            try:
                return ticket.future.result()
            except BrokenProcessPool:
                if self._renew(ticket.generation):
                    return [self._alone(item, config) for item in ticket.batch]
                # caught in a break another caller saw first: sent again whole
                ticket = self.submit(ticket.batch, config)
            except Exception as exc:  # e.g. a result that cannot be pickled back
                return _quarantined(ticket.batch, f"worker failed: {type(exc).__name__}: {exc}")

    def _alone(self, item: Item, config: PipelineConfig) -> Outcome:
        if isinstance(item, Quarantine):
            return item
        for _ in range(ALONE_ATTEMPTS):
            ticket = self.submit([item], config)
            try:
                return ticket.future.result()[0]
            except BrokenProcessPool:
                self._renew(ticket.generation)
            except Exception as exc:
                return _quarantined([item], f"worker failed: {type(exc).__name__}: {exc}")[0]
        return Quarantine(item.source, DIED, "extract")

    def _renew(self, generation: int) -> bool:
        """Replace the pool broken in `generation`; False if another caller already did."""
        with self._lock:
            if generation != self._generation:
                return False
            self._renew_locked()
            return True

    def _renew_locked(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()
        self._generation += 1


def _quarantined(batch: list[Item], reason: str) -> list[Outcome]:
    return [
        item if isinstance(item, Quarantine) else Quarantine(item.source, reason, "extract")
        for item in batch
    ]

"""A forkserver process pool that outlives its workers, safe to share between threads.

A worker that dies (a crash in a C extension on one page, the OOM killer) breaks the
executor and every future in flight, whoever submitted them. The holder of a broken
batch renews the pool, once per break however many threads see it. The first to see
the break runs its batch one document at a time in a private one-process pool, where a
break can only be that document's doing: it alone is quarantined. The others send their
batches again whole, once; a batch that breaks a second time is isolated as well. The
CLI's ordered stream and the Prefect flow's concurrent batch tasks share this pool.
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
from pipeline.model import Article, Quarantine, RawDocument, Stage

Item = RawDocument | Quarantine
Outcome = Article | Quarantine
BatchFn = Callable[[list[Item], PipelineConfig], list[Outcome]]

DIED = "the worker process died while processing this document"
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
    """A submitted batch: its items, its future, the pool generation it went to, and
    how many times it was sent."""

    batch: list[Item]
    future: Future[list[Outcome]]
    generation: int
    attempt: int


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
        return self._submit(batch, config, 1)

    def _submit(self, batch: list[Item], config: PipelineConfig, attempt: int) -> Ticket:
        with self._lock:
            try:
                future = self._executor.submit(self._batch_fn, batch, config)
            except BrokenProcessPool:  # broken since the last renewal: nobody saw it yet
                self._renew_locked()
                future = self._executor.submit(self._batch_fn, batch, config)
            return Ticket(batch, future, self._generation, attempt)

    def result(self, ticket: Ticket, config: PipelineConfig) -> list[Outcome]:
        """The batch's outcomes, one per item in order; never raises for a dead worker."""
        while True:
            try:
                return ticket.future.result()
            except BrokenProcessPool:
                if self._renew(ticket.generation) or ticket.attempt > 1:
                    return self._isolated(ticket.batch, config)
                # caught in a break another caller saw first: sent again whole, once
                ticket = self._submit(ticket.batch, config, ticket.attempt + 1)
            except Exception as exc:  # e.g. a result that cannot be pickled back
                return quarantine_all(ticket.batch, f"worker failed: {type(exc).__name__}: {exc}")

    def _isolated(self, batch: list[Item], config: PipelineConfig) -> list[Outcome]:
        """Each document alone in a private one-process pool, where a break has a single
        possible cause: that document (the shared pool may be breaking meanwhile)."""
        executor = ProcessPoolExecutor(1, mp_context=self._context)
        outcomes: list[Outcome] = []
        try:
            for item in batch:
                if isinstance(item, Quarantine):
                    outcomes.append(item)
                    continue
                try:
                    outcomes.append(executor.submit(self._batch_fn, [item], config).result()[0])
                except BrokenProcessPool:
                    executor.shutdown(wait=False, cancel_futures=True)
                    executor = ProcessPoolExecutor(1, mp_context=self._context)
                    outcomes.append(Quarantine(item.source, DIED, Stage.EXTRACT))
                except Exception as exc:
                    reason = f"worker failed: {type(exc).__name__}: {exc}"
                    outcomes.extend(quarantine_all([item], reason))
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return outcomes

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


def quarantine_all(batch: list[Item], reason: str, stage: Stage = Stage.EXTRACT) -> list[Outcome]:
    """Every document of `batch` quarantined for `reason` (those already are, as they are)."""
    return [
        item if isinstance(item, Quarantine) else Quarantine(item.source, reason, stage)
        for item in batch
    ]

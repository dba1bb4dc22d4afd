"""Worker processes that no document can stall or take down with it, shared by threads.

The per-document time limit (`deadline.time_limit`) is a signal, and a signal waits for
the C call it lands in: a page that keeps libxml2 busy for minutes in one call holds its
process for minutes. So documents run where they can be stopped. The pool knows which
document each worker is on and since when: a worker still on one document
`kill_after(limit)` seconds after it started is killed (`SIGKILL` works inside C) and
replaced, that document is quarantined as timed out, and the rest of its batch goes to
the next free worker. A worker that dies on its own (a crash in a C extension, the OOM
killer) costs its document the same way, and nothing else: the documents it had already
done are kept, the others of its batch run again elsewhere.

One supervising thread owns the workers: it hands out batches, collects outcomes as they
come (one message per document) and watches the deadlines and the processes. Callers
only queue batches (`submit`) and wait for them (`result`), from any thread: the CLI's
ordered stream and the Prefect flow's concurrent batch tasks share one pool.

Workers are forked by a forkserver that has imported the pipeline once (they start in
milliseconds), live as long as the pool, and end with their parent (`lifeline`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import multiprocessing.process
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from pipeline.config import PipelineConfig
from pipeline.model import Article, Quarantine, RawDocument, Stage
from pipeline.runtime.lifeline import die_with_parent

Item = RawDocument | Quarantine
Outcome = Article | Quarantine
BatchFn = Callable[[list[Item], PipelineConfig], list[Outcome]]

DIED = "the worker process died while processing this document"
STOPPED = "the run stopped before this document was processed"
_PRELOAD = ["pipeline.runtime.lifeline", "pipeline.runtime.parallel", "pipeline.process"]
"""What the forkserver imports once: the watch on its parent first (see `lifeline`),
then the pipeline, so that forked workers start ready."""
_START_ATTEMPTS = 3
"""Workers in a row that may die before they are ready before the pool gives up (their
batches are then quarantined with the reason, instead of respawning for ever)."""
_GRACE_SHARE = 0.25
_GRACE_MIN_S = 1.0
"""A worker is given this much past the limit (a share of it, at least the minimum) to
quarantine the document itself (the signal works in Python code) before it is killed."""


def kill_after(seconds: float) -> float | None:
    """Seconds on one document after which its worker is killed; None: no limit."""
    if seconds <= 0:
        return None
    return seconds + max(_GRACE_MIN_S, _GRACE_SHARE * seconds)


def timed_out(seconds: float) -> str:
    """The reason of a document whose worker was killed at its limit."""
    return f"timed out after {seconds:g} s (limits.document_seconds); its worker was stopped"


def forkserver_context() -> multiprocessing.context.ForkServerContext:
    # forkserver: workers are forked from a clean server that has imported the
    # pipeline once, not from this process (which may hold threads: progress bars,
    # Prefect), and start in milliseconds instead of re-importing like spawn.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def serve(conn: Connection, batch_fn: BatchFn) -> None:
    """A worker's life: batches in, one message per document out, until told to stop
    or its parent ends."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn.send(("ready", None))  # its documents' clocks start from here, not its start
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        batch, config = task
        for item in batch:
            try:
                conn.send(("done", batch_fn([item], config)[0]))
            except Exception as exc:  # e.g. an outcome that cannot be pickled
                conn.send(("failed", f"{type(exc).__name__}: {exc}"))


@dataclass(eq=False)
class Ticket:
    """A submitted batch: its items, and the future of its outcomes (one per item)."""

    batch: list[Item]
    future: Future[list[Outcome]]
    config: PipelineConfig
    outcomes: list[Outcome | None] = field(default_factory=list)
    left: int = 0
    """Items without an outcome yet."""

    def settle(self, index: int, outcome: Outcome) -> None:
        if self.outcomes[index] is None:
            self.outcomes[index] = outcome
            self.left -= 1
        if not self.left and not self.future.done():
            self.future.set_result([o for o in self.outcomes if o is not None])


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    ticket: Ticket | None = None
    sent: deque[int] = field(default_factory=deque)
    """Indices (in the ticket) of the documents sent and not answered yet, in order."""
    started: float = 0.0
    """When the document it is on (`sent[0]`) started."""


class RenewingPool:
    """Up to `workers` processes running `batch_fn` (a module-level function, pickled by
    name) one document at a time; a worker that dies or overruns the time limit is
    replaced, and costs only its document."""

    def __init__(self, workers: int, batch_fn: BatchFn) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.workers = workers
        self._batch_fn = batch_fn
        self._context = forkserver_context()
        self._lock = threading.Lock()
        self._queue: deque[tuple[Ticket, list[int]]] = deque()
        self._pool: list[_Worker] = []
        self._closing = False
        self._broken = ""
        """Why the pool stopped by itself (its workers could not start), if it did."""
        self._failed_starts = 0
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._thread = threading.Thread(target=self._supervise, name="pool-supervisor")
        self._thread.daemon = True
        self._thread.start()

    def __enter__(self) -> RenewingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop: queued batches are cancelled, workers told to exit (busy ones killed)."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            for ticket, _ in self._queue:
                ticket.future.cancel()
            self._queue.clear()
        self._wake()
        self._thread.join()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def submit(self, batch: list[Item], config: PipelineConfig) -> Ticket:
        ticket = Ticket(list(batch), Future(), config, [None] * len(batch))
        todo = []
        for i, item in enumerate(ticket.batch):
            if isinstance(item, Quarantine):
                ticket.outcomes[i] = item
            else:
                todo.append(i)
        ticket.left = len(todo)
        if not todo:
            ticket.future.set_result([o for o in ticket.outcomes if o is not None])
            return ticket
        with self._lock:
            if self._closing:  # closed, or its workers cannot start: see `result`
                ticket.future.set_exception(RuntimeError(self._broken or "the pool is closed"))
                return ticket
            self._queue.append((ticket, todo))
        self._wake()
        return ticket

    def result(self, ticket: Ticket, config: PipelineConfig) -> list[Outcome]:
        """The batch's outcomes, one per item in order; never raises for a dead worker."""
        try:
            return ticket.future.result()
        except CancelledError:
            return quarantine_all(ticket.batch, STOPPED)
        except Exception as exc:
            return quarantine_all(ticket.batch, f"worker failed: {type(exc).__name__}: {exc}")

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full: it is awake anyway; closed: stopping
            os.write(self._wake_w, b"\0")

    # the supervising thread

    def _supervise(self) -> None:
        try:
            while self._step():
                pass
        except BaseException as exc:  # never leave a caller waiting for ever
            self._fail_all(exc)
        finally:
            for worker in list(self._pool):
                if worker.ticket is not None:
                    worker.ticket.future.cancel()  # its caller gets STOPPED, not a hang
                    worker.ticket = None
                    worker.process.kill()
                self._stop(worker)

    def _step(self) -> bool:
        """One round: hand out work, wait for an event or the nearest deadline, handle
        what happened. False once closing."""
        with self._lock:
            if self._closing:
                return False
            self._dispatch_locked()
        timeout = self._next_deadline()
        waiting: list[Any] = [self._wake_r]
        for worker in self._pool:
            waiting += [worker.conn, worker.process.sentinel]
        ready = wait(waiting, timeout)
        if self._wake_r in ready:
            with contextlib.suppress(BlockingIOError):
                while os.read(self._wake_r, 4096):
                    pass
        now = time.monotonic()
        for worker in list(self._pool):
            self._receive(worker, now)
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.process.sentinel in ready and not worker.process.is_alive():
                self._lose(worker, DIED)
            elif worker.ticket is not None and self._overdue(worker, now):
                worker.process.kill()
                self._lose(worker, timed_out(worker.ticket.config.limits.document_seconds))
        return True

    def _dispatch_locked(self) -> None:
        while self._queue:
            worker = next((w for w in self._pool if w.ready and w.ticket is None), None)
            if worker is None:
                starting = sum(1 for w in self._pool if not w.ready)
                if len(self._pool) >= self.workers or starting >= len(self._queue):
                    return  # until one is ready or free
                self._spawn()
                continue
            ticket, todo = self._queue.popleft()
            worker.ticket, worker.sent, worker.started = ticket, deque(todo), time.monotonic()
            try:
                worker.conn.send(([ticket.batch[i] for i in todo], ticket.config))
            except OSError:  # died idle: the batch goes back, the worker is replaced
                self._queue.appendleft((ticket, todo))
                worker.ticket = None
                self._stop(worker)

    def _spawn(self) -> None:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(theirs, self._batch_fn), name="newsclean-worker", daemon=True
        )
        process.start()
        theirs.close()
        self._pool.append(_Worker(process, mine))

    def _next_deadline(self) -> float | None:
        deadlines = []
        for worker in self._pool:
            if worker.ticket is not None:
                after = kill_after(worker.ticket.config.limits.document_seconds)
                if after is not None:
                    deadlines.append(worker.started + after)
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic())

    def _overdue(self, worker: _Worker, now: float) -> bool:
        assert worker.ticket is not None
        after = kill_after(worker.ticket.config.limits.document_seconds)
        return after is not None and now >= worker.started + after

    def _receive(self, worker: _Worker, now: float) -> None:
        """Every outcome the worker has sent so far."""
        try:
            while not worker.ready and worker.conn.poll():
                worker.ready = worker.conn.recv()[0] == "ready"
                self._failed_starts = 0
            while worker.ticket is not None and worker.conn.poll():
                kind, payload = worker.conn.recv()
                ticket, index = worker.ticket, worker.sent.popleft()
                if kind == "done":
                    ticket.settle(index, payload)
                else:
                    source = ticket.batch[index].source
                    reason = f"worker failed: {payload}"
                    ticket.settle(index, Quarantine(source, reason, Stage.EXTRACT))
                worker.started = now
                if not worker.sent:
                    worker.ticket = None
        except Exception:  # it died, maybe mid-message: its sentinel says so next
            worker.process.kill()

    def _lose(self, worker: _Worker, reason: str) -> None:
        """The worker is gone: its document quarantined for `reason`, the rest of its
        batch queued first, and it is replaced when work comes."""
        if not worker.ready:
            self._failed_starts += 1
            if self._failed_starts >= _START_ATTEMPTS:
                raise RuntimeError(f"{_START_ATTEMPTS} worker processes died before starting")
        ticket = worker.ticket
        if ticket is not None and worker.sent:
            index = worker.sent.popleft()
            ticket.settle(index, Quarantine(ticket.batch[index].source, reason, Stage.EXTRACT))
            if worker.sent:
                with self._lock:
                    self._queue.appendleft((ticket, list(worker.sent)))
        worker.ticket = None
        self._stop(worker)

    def _stop(self, worker: _Worker) -> None:
        if worker in self._pool:
            self._pool.remove(worker)
        if worker.ticket is None and worker.process.is_alive():
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(1.0)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _fail_all(self, exc: BaseException) -> None:
        with self._lock:
            self._closing = True
            self._broken = str(exc) or type(exc).__name__
            tickets = [t for t, _ in self._queue] + [w.ticket for w in self._pool if w.ticket]
            self._queue.clear()
        for ticket in tickets:
            if not ticket.future.done():
                ticket.future.set_exception(RuntimeError(self._broken))


def quarantine_all(batch: list[Item], reason: str, stage: Stage = Stage.EXTRACT) -> list[Outcome]:
    """Every document of `batch` quarantined for `reason` (those already are, as they are)."""
    return [
        item if isinstance(item, Quarantine) else Quarantine(item.source, reason, stage)
        for item in batch
    ]

"""A wall-clock limit on one document, so a single pathological page cannot stall a run.

Why a signal: the work to bound is ordinary Python (trafilatura's tree walks, htmldate's
searches, our regular expressions — CPython's `re` checks for signals while it
backtracks), and `SIGALRM` interrupts it between bytecodes without a thread or a
subprocess per document. `ITIMER_REAL` with a repeat interval keeps re-raising after the
deadline, so a library's broad `except` that swallows the first interrupt cannot keep the
document alive for long.

What it cannot bound: a single call into C that never returns to the interpreter (lxml
parsing, libxml2 tree operations) is only interrupted when it returns. That is why a
run's documents are processed in worker processes (`pool`), even with one worker: the
pool kills a worker still on one document past the limit and a grace, and replaces it.
This signal is the cheap first line (no process lost); the pool's kill, the one that
holds whatever the cause.

Where it works: in the main thread of any process — the CLI, and the main thread of each
worker of the pool, which is where it runs its documents. Signals only reach
the main thread, so in other threads (the Prefect flow's thread runner, a Dask worker's
task thread) a watchdog thread raises the same exception in the limited thread through
CPython's `PyThreadState_SetAsyncExc` (`raise_in_thread`), again every `_REPEAT_S` until
the block ends (`Watchdog`). It lands between bytecodes like a signal handler, up to
`_POLL_S` late, and unlike a signal it does not stop `re` while it backtracks. Where
neither exists (another interpreter, a platform without `setitimer` in the main thread),
the code runs to completion: `time_limit` then yields `False` so callers can tell.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from pipeline.errors import DeadlineExceeded

_REPEAT_S = 0.25
"""After the deadline, interrupt again this often until the limited block has ended."""
_POLL_S = 0.1
"""How often a thread watchdog looks at the deadline: how late a limit may fire."""


def can_enforce() -> bool:
    """True when `time_limit` would really interrupt code run here."""
    if threading.current_thread() is threading.main_thread():
        return hasattr(signal, "setitimer")
    return _THREADS_INTERRUPTIBLE


_THREADS_INTERRUPTIBLE = sys.implementation.name == "cpython"
"""Whether `raise_in_thread` works here: it is CPython's C API."""

RaiseIn = Callable[[int, type[BaseException] | None], None]
"""How a watchdog schedules an exception in a thread (`raise_in_thread`)."""


def raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """Schedule `exception` in the thread (CPython's `PyThreadState_SetAsyncExc`); None
    (passed as NULL) clears one scheduled but not raised yet."""
    payload = None if exception is None else ctypes.py_object(exception)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), payload)


@contextmanager
def time_limit(seconds: float, watchdog: Watchdog | None = None) -> Iterator[bool]:
    """Raise `DeadlineExceeded` inside the block once `seconds` of wall time have passed.

    Yields whether the limit is enforced (see the module docstring); `seconds <= 0`
    means no limit. A timer already armed by someone else (pytest-timeout, an outer
    limit) is restored when the block ends, minus the time the block took. Outside the
    main thread, `watchdog` (from `thread_watchdog`, made by this thread) enforces it;
    without one, a watchdog is started for this block alone.
    """
    if seconds <= 0 or not can_enforce():
        yield False
        return
    if threading.current_thread() is not threading.main_thread():
        if watchdog is not None:
            with watchdog.limit(seconds):
                yield True
            return
        with Watchdog() as own, own.limit(seconds):
            yield True
        return
    live = [True]
    """Cleared before the timer is disarmed: an alarm already on its way is then a no-op."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if live[0]:
            raise DeadlineExceeded(seconds)

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = 0.0, 0.0
    try:
        previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_S)
        yield True
    finally:
        try:
            live[0] = False
        except DeadlineExceeded:  # the alarm landed on the line above; alarms are
            live[0] = False  # _REPEAT_S apart, so this one cannot be interrupted
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(
            signal.SIGALRM, signal.SIG_DFL if previous_handler is None else previous_handler
        )
        if previous_delay > 0:
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), previous_interval)


class Watchdog:
    """Time limits for the blocks one thread runs one after another, all enforced by one
    helper thread that raises `DeadlineExceeded` in it (see the module docstring).

    One helper for many blocks, because a thread per block is costly on Prefect's thread
    runner (starting a thread waits for the GIL), and every document would pay for it.
    The helper is never woken when a block starts or ends, for the same reason: it looks
    every `_POLL_S`, so a limit may be overrun by that much. A lock makes "the block has
    ended" and "raise in it" exclusive: once a block has ended, nothing is raised for it
    any more, and what was scheduled but not raised yet is cleared, so no interrupt
    surfaces after the block.

    `raise_in` schedules the exception (and clears it, given None); tests slow it down to
    widen the race between a block's end and its deadline.
    """

    def __init__(self, raise_in: RaiseIn = raise_in_thread) -> None:
        if not _THREADS_INTERRUPTIBLE:
            raise RuntimeError("thread time limits need CPython")
        self._raise_in = raise_in
        self._target = threading.get_ident()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._deadline: float | None = None
        self._interrupt: type[DeadlineExceeded] = DeadlineExceeded
        threading.Thread(target=self._watch, name="deadline-watchdog", daemon=True).start()

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()

    @contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        """Raise `DeadlineExceeded` in the block after `seconds` (from the owner thread)."""
        if threading.get_ident() != self._target:
            raise RuntimeError("a watchdog limits the thread that created it")

        class Interrupt(DeadlineExceeded):
            """Raised by the interpreter, with no arguments."""

            def __init__(self) -> None:
                super().__init__(seconds)

        with self._lock:
            self._deadline = time.monotonic() + seconds
            self._interrupt = Interrupt
        try:
            yield
        finally:
            while True:
                try:
                    with self._lock:
                        self._deadline = None
                        self._raise_in(self._target, None)
                    break
                except DeadlineExceeded:  # raised here, before the clearing: over now
                    continue

    def _watch(self) -> None:
        wait = _POLL_S
        while not self._closing.wait(wait):
            with self._lock:
                now = time.monotonic()
                if self._deadline is None:
                    wait = _POLL_S
                elif now < self._deadline:
                    wait = min(self._deadline - now, _POLL_S)
                else:
                    self._raise_in(self._target, self._interrupt)
                    self._deadline = now + _REPEAT_S
                    wait = _REPEAT_S


@contextmanager
def thread_watchdog() -> Iterator[Watchdog | None]:
    """A `Watchdog` for the calling thread when it needs one (not the main thread, where
    `time_limit` uses a signal), else None."""
    if threading.current_thread() is threading.main_thread() or not _THREADS_INTERRUPTIBLE:
        yield None
        return
    with Watchdog() as watchdog:
        yield watchdog

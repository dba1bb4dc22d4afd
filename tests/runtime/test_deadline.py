"""The per-document time limit: interrupts Python work, survives swallowing, cleans up."""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TypeVar

import pytest

from pipeline import process
from pipeline.config import LimitsConfig, PipelineConfig
from pipeline.errors import DeadlineExceeded
from pipeline.model import Quarantine, RawDocument
from pipeline.runtime.deadline import (
    Watchdog,
    can_enforce,
    raise_in_thread,
    thread_watchdog,
    time_limit,
)

T = TypeVar("T")


def spin_forever() -> None:
    while True:
        pass


def test_busy_loop_is_interrupted() -> None:
    with pytest.raises(DeadlineExceeded, match=r"timed out after 0\.2 s"), time_limit(0.2):
        spin_forever()


def test_catastrophic_regex_is_interrupted() -> None:
    # CPython's regex engine checks for signals while it backtracks.
    with pytest.raises(DeadlineExceeded), time_limit(0.2):
        re.match(r"(a+)+$", "a" * 64 + "b")


def test_a_library_that_swallows_the_interrupt_is_interrupted_again() -> None:
    swallowed = 0

    def stubborn() -> None:
        nonlocal swallowed
        while True:
            try:
                spin_forever()
            except BaseException:  # what a careless `except:` in a dependency does
                swallowed += 1
                if swallowed > 1:
                    raise

    with pytest.raises(DeadlineExceeded), time_limit(0.2):
        stubborn()
    assert swallowed == 2


def test_fast_block_is_untouched_and_the_timer_is_disarmed() -> None:
    handler = signal.getsignal(signal.SIGALRM)  # pytest-timeout may have its own armed
    outer_armed = signal.getitimer(signal.ITIMER_REAL)[0] > 0
    with time_limit(5) as enforced:
        total = sum(range(1000))
    assert enforced and total == 499500
    assert (signal.getitimer(signal.ITIMER_REAL)[0] > 0) == outer_armed
    assert signal.getsignal(signal.SIGALRM) == handler


def test_an_outer_timer_and_handler_are_restored() -> None:
    fired: list[int] = []
    saved_timer = signal.getitimer(signal.ITIMER_REAL)  # pytest-timeout's, if any
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with time_limit(1):
            pass
        delay, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < delay <= 30
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if saved_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *saved_timer)


def test_zero_means_no_limit() -> None:
    with time_limit(0) as enforced:
        pass
    assert not enforced


def in_a_thread(work: Callable[[], T]) -> T:
    """`work()` run in another thread (where signals cannot reach), its result or error.
    A daemon thread, so that one left hanging fails the test instead of blocking it."""
    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the thread is still running after 60 s"
    if error:
        raise error[0]
    return result[0]


def test_in_another_thread_a_busy_loop_is_interrupted() -> None:
    assert in_a_thread(lambda: (can_enforce(), limited_spin(0.2))) == (
        True,
        "timed out after 0.2 s",
    )


def test_in_another_thread_a_swallowed_interrupt_comes_again() -> None:
    def stubborn() -> int:
        swallowed = 0
        try:
            with time_limit(0.1):
                while True:
                    try:
                        spin_forever()
                    except BaseException:
                        swallowed += 1
                        if swallowed > 1:
                            raise
        except DeadlineExceeded:
            return swallowed
        return -1

    assert in_a_thread(stubborn) == 2


def test_in_another_thread_no_interrupt_outlives_its_block() -> None:
    """Blocks that end about when their limit does: an interrupt is raised inside the
    block or not at all, never in the code after it."""

    def slow_to_schedule(thread_id: int, exception: type[BaseException] | None) -> None:
        if exception is not None:
            time.sleep(0.001)  # widens the window where the block may end meanwhile
        raise_in_thread(thread_id, exception)

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass

    def many() -> tuple[int, int]:
        interrupted = strays = 0
        with Watchdog(slow_to_schedule) as watchdog:  # as `process_all`: one for every block
            for i in range(150):  # blocks of 1-60 ms under a 6 ms limit, either side of it
                try:
                    with time_limit(0.006, watchdog):
                        spin(0.001 * (1 + i % 60))
                except DeadlineExceeded:
                    interrupted += 1
                try:
                    spin(0.008)  # after the block: an interrupt scheduled late would land here
                except DeadlineExceeded:
                    strays += 1
        return interrupted, strays

    interrupted, strays = in_a_thread(many)
    assert strays == 0
    assert interrupted > 0  # the race was really run


def test_one_watchdog_limits_every_block_of_its_thread() -> None:
    def blocks() -> list[str]:
        seen = []
        with thread_watchdog() as watchdog:
            for _ in range(3):
                try:
                    with time_limit(0.05, watchdog):
                        spin_forever()
                except DeadlineExceeded as exc:
                    seen.append(str(exc))
            with time_limit(5, watchdog):
                seen.append("fast")
        return seen

    assert in_a_thread(blocks) == ["timed out after 0.05 s"] * 3 + ["fast"]


def test_the_main_thread_needs_no_watchdog_and_others_cannot_borrow_one() -> None:
    with thread_watchdog() as watchdog:
        assert watchdog is None
    with Watchdog() as mine:

        def borrow() -> None:
            with mine.limit(1):
                pass

        with pytest.raises(RuntimeError, match="limits the thread that created it"):
            in_a_thread(borrow)


def test_in_another_thread_a_fast_block_is_untouched() -> None:
    def fast() -> int:
        with time_limit(5) as enforced:
            assert enforced
            return sum(range(1000))

    assert in_a_thread(fast) == 499500


def test_process_document_times_out_in_a_thread_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object, **kwargs: object) -> object:
        spin_forever()
        raise AssertionError("unreachable")

    monkeypatch.setattr(process, "extract_document", hang)
    config = PipelineConfig(limits=LimitsConfig(document_seconds=0.2))
    outcome = in_a_thread(
        lambda: process.process_document(RawDocument("slow.html", b"<p>x</p>"), config)
    )
    assert outcome == Quarantine(
        "slow.html", "timed out after 0.2 s (limits.document_seconds)", "extract"
    )


def limited_spin(seconds: float) -> str:
    try:
        with time_limit(seconds):
            spin_forever()
    except DeadlineExceeded as exc:
        return str(exc)
    return "not interrupted"


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_works_inside_a_process_pool_worker(method: str) -> None:
    with ProcessPoolExecutor(1, mp_context=get_context(method)) as pool:
        assert pool.submit(limited_spin, 0.2).result(timeout=60) == "timed out after 0.2 s"


def test_process_document_turns_a_timeout_into_a_quarantine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def hang(*args: object, **kwargs: object) -> object:
        spin_forever()
        raise AssertionError("unreachable")

    monkeypatch.setattr(process, "extract_document", hang)
    config = PipelineConfig(limits=LimitsConfig(document_seconds=0.2))
    outcome = process.process_document(RawDocument("slow.html", b"<p>x</p>"), config)
    assert outcome == Quarantine(
        "slow.html", "timed out after 0.2 s (limits.document_seconds)", "extract"
    )

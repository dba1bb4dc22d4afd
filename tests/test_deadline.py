"""The per-document time limit: interrupts Python work, survives swallowing, cleans up."""

from __future__ import annotations

import re
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from pipeline import process
from pipeline.config import LimitsConfig, PipelineConfig
from pipeline.deadline import DeadlineExceeded, can_enforce, time_limit
from pipeline.model import Quarantine, RawDocument


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


def test_outside_the_main_thread_the_block_runs_unlimited() -> None:
    seen: list[bool] = []

    def work() -> None:
        seen.append(can_enforce())
        with time_limit(0.01) as enforced:
            seen.append(enforced)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [False, False]


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

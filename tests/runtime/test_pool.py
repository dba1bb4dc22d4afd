"""The renewing process pool: a dead worker costs its document only, even when several
threads share the pool (the Prefect flow's concurrent batch tasks do)."""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from dataclasses import replace

import pytest

from pipeline.config import LimitsConfig, PipelineConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.runtime.parallel import process_batch
from pipeline.runtime.pool import DIED, Item, Outcome, RenewingPool, kill_after, timed_out

CONFIG = PipelineConfig()


def _docs(prefix: str, n: int) -> list[Item]:
    return [RawDocument(f"{prefix}{i}", b"<p>x</p>") for i in range(n)]


def reason(outcome: Outcome) -> str:
    return outcome.reason if isinstance(outcome, Quarantine) else "article"


def echo(batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    return [
        item if isinstance(item, Quarantine) else Quarantine(item.source, "echo", str(os.getpid()))
        for item in batch
    ]


def dying(batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    if any(item.source == "a3" for item in batch):
        os._exit(1)  # like a segfault or the OOM killer: no exception, no cleanup
    return echo(batch, config)


KILLER = b"<!-- this page kills its worker -->"


def dying_on_killer(batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    """The real pipeline, but a worker given the killer page dies (for the flow's test)."""
    if any(isinstance(item, RawDocument) and KILLER in item.data for item in batch):
        os._exit(1)
    return process_batch(batch, config)


def hanging(batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    """A document that never returns to the interpreter: a stand-in for a long C call,
    which the in-worker signal cannot interrupt."""
    if any(item.source.startswith("hang") for item in batch):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return echo(batch, config)


class _DiesWhenLoaded:
    """Unpickled in a worker, ends it before it is ready (like a broken import there)."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return (os._exit, (3,))


def _echo_with(_: object, batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    return echo(batch, config)


def failing(batch: list[Item], config: PipelineConfig) -> list[Outcome]:
    raise RuntimeError("cannot pickle the result")


def test_a_dying_worker_costs_only_its_document_between_threads() -> None:
    got: dict[str, list[Outcome]] = {}

    def run_batches(prefix: str, pool: RenewingPool) -> None:
        items = _docs(prefix, 12)
        tickets = [pool.submit(items[i : i + 4], CONFIG) for i in range(0, 12, 4)]
        got[prefix] = [o for t in tickets for o in pool.result(t, CONFIG)]

    with RenewingPool(2, dying) as pool:
        threads = [threading.Thread(target=run_batches, args=(p, pool)) for p in "abc"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = pool.result(pool.submit(_docs("z", 2), CONFIG), CONFIG)  # still usable

    for prefix in "abc":
        assert [o.source for o in got[prefix]] == [f"{prefix}{i}" for i in range(12)]
    outcomes = [o for prefix in "abc" for o in got[prefix]]
    assert [o.source for o in outcomes if reason(o) == DIED] == ["a3"]
    assert all(reason(o) == "echo" for o in outcomes if o.source != "a3")
    assert [reason(o) for o in after] == ["echo", "echo"]


def test_a_batch_caught_in_a_break_it_did_not_cause_comes_through() -> None:
    with RenewingPool(1, dying) as pool:
        killer = pool.submit(_docs("a", 4), CONFIG)
        bystander = pool.submit(_docs("b", 4), CONFIG)
        first = pool.result(killer, CONFIG)
        second = pool.result(bystander, CONFIG)
    assert [reason(o) for o in first] == ["echo", "echo", "echo", DIED]
    assert [reason(o) for o in second] == ["echo"] * 4


def test_an_error_in_a_worker_quarantines_its_batch_with_the_reason() -> None:
    read_error = Quarantine("q", "read error", "read")
    with RenewingPool(1, failing) as pool:
        outcomes = pool.result(pool.submit([*_docs("a", 2), read_error], CONFIG), CONFIG)
    assert [reason(o) for o in outcomes[:2]] == [
        "worker failed: RuntimeError: cannot pickle the result"
    ] * 2
    assert outcomes[2] == read_error


@pytest.mark.parametrize("workers", [1, 2], ids=["one-worker", "two-workers"])
def test_a_document_past_the_limit_costs_its_worker_and_only_its_document(workers: int) -> None:
    config = replace(CONFIG, limits=LimitsConfig(document_seconds=0.2))
    batch = [*_docs("a", 2), RawDocument("hang1", b"x"), *_docs("b", 2), RawDocument("hang2", b"")]
    with RenewingPool(workers, hanging) as pool:
        tickets = [pool.submit(batch, config), pool.submit(_docs("c", 3), config)]
        first, second = (pool.result(t, config) for t in tickets)
    assert [o.source for o in first] == [i.source for i in batch]
    late = timed_out(0.2)
    assert [reason(o) for o in first] == ["echo", "echo", late, "echo", "echo", late]
    assert [reason(o) for o in second] == ["echo"] * 3
    # the hang cost its worker: the documents after it ran in another process
    assert first[0].stage == first[1].stage != first[3].stage == first[4].stage


@pytest.mark.parametrize(
    ("seconds", "after"),
    [(0.0, None), (-1.0, None), (0.2, 1.2), (60.0, 75.0)],
    ids=["off", "negative", "short", "default"],
)
def test_a_worker_is_stopped_within_twice_the_limit(seconds: float, after: float | None) -> None:
    assert kill_after(seconds) == after
    if after is not None and seconds >= 4:
        assert after <= 2 * seconds


def test_workers_that_cannot_start_quarantine_the_batches_instead_of_respawning() -> None:
    with RenewingPool(1, functools.partial(_echo_with, _DiesWhenLoaded())) as pool:
        first = pool.result(pool.submit(_docs("a", 2), CONFIG), CONFIG)
        later = pool.result(pool.submit(_docs("b", 1), CONFIG), CONFIG)
    assert {reason(o) for o in first + later} == {
        "worker failed: RuntimeError: 3 worker processes died before starting"
    }


@pytest.mark.parametrize("workers", [0, -1], ids=["zero", "negative"])
def test_a_pool_needs_a_worker(workers: int) -> None:
    with pytest.raises(ValueError, match="workers must be >= 1"):
        RenewingPool(workers, echo)

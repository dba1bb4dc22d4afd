"""The renewing process pool: a dead worker costs its document only, even when several
threads share the pool (the Prefect flow's concurrent batch tasks do)."""

from __future__ import annotations

import os
import threading

import pytest

from pipeline.config import PipelineConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.runtime.parallel import process_batch
from pipeline.runtime.pool import DIED, Item, Outcome, RenewingPool

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


@pytest.mark.parametrize("workers", [0, -1], ids=["zero", "negative"])
def test_a_pool_needs_a_worker(workers: int) -> None:
    with pytest.raises(ValueError, match="workers must be >= 1"):
        RenewingPool(workers, echo)

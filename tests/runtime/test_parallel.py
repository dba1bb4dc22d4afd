"""The process pool: same records as one process, in order, in bounded memory, and a
worker that dies costs only the document that killed it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import LimitsConfig, ParallelConfig, PipelineConfig
from pipeline.model import Article, Quarantine, RawDocument
from pipeline.runtime import run
from pipeline.runtime.parallel import process_batch, process_stream, resolve_workers
from tests.support import SEEDS
from tests.warc_fixtures import Entry, dev_page, write_warc


def _config(workers: int, batch_size: int = 2, in_flight: int = 1) -> PipelineConfig:
    return replace(
        PipelineConfig(),
        parallel=ParallelConfig(
            workers=workers, batch_size=batch_size, batches_in_flight=in_flight
        ),
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    entries = [Entry(f"https://p.example/{i}", "html", dev_page(i)) for i in range(5)]
    entries.insert(2, Entry("https://p.example/logo.png", "png", b"\x89PNG\r\n\x1a\n" + bytes(99)))
    write_warc(folder / "pages.warc.gz", entries)
    return [str(SEEDS), str(folder / "pages.warc.gz")]


@pytest.mark.slow
def test_one_and_two_workers_write_identical_records(corpus: list[str], tmp_path: Path) -> None:
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        summary = run(corpus, out, _config(workers))
        assert summary.inputs == 11  # 5 seeds + 6 archive responses
        outputs[workers] = {
            name: (out / name).read_bytes() for name in ("articles.jsonl", "quarantine.jsonl")
        }
        assert not list(out.glob(".*spool*")), "temporary spools must be removed"
    assert outputs[1] == outputs[2]
    assert b"image/png" in outputs[2]["quarantine.jsonl"]


def _docs(n: int) -> list[RawDocument | Quarantine]:
    items: list[RawDocument | Quarantine] = []
    for i in range(n):
        if i % 3 == 1:
            items.append(Quarantine(f"q{i}", "read error", "read"))
        else:
            items.append(RawDocument(f"d{i}", f"<p>{i}</p>".encode()))
    return items


def echo_batch(batch: list[RawDocument | Quarantine], config: PipelineConfig) -> list[Quarantine]:
    """A cheap stand-in for the pipeline that shows what each worker received."""
    return [
        item if isinstance(item, Quarantine) else Quarantine(item.source, "echo", str(os.getpid()))
        for item in batch
    ]


def slow_echo_batch(
    batch: list[RawDocument | Quarantine], config: PipelineConfig
) -> list[Quarantine]:
    """Echo, taking long enough that a worker started late still gets batches."""
    time.sleep(0.02)
    return echo_batch(batch, config)


def dying_batch(batch: list[RawDocument | Quarantine], config: PipelineConfig) -> list[Quarantine]:
    if any(item.source == "d3" for item in batch):
        os._exit(1)  # like a segfault or the OOM killer: no exception, no cleanup
    return echo_batch(batch, config)


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "pool"])
@pytest.mark.parametrize("batch_size", [1, 4], ids=["batch1", "batch4"])
def test_outcomes_keep_the_input_order(workers: int, batch_size: int) -> None:
    items = _docs(23)
    outcomes = list(process_stream(items, _config(workers, batch_size), echo_batch))
    assert [o.source for o in outcomes] == [i.source for i in items]


def test_the_pool_really_uses_several_processes() -> None:
    outcomes = list(process_stream(_docs(40), _config(2, 1, 4), slow_echo_batch))
    pids = {o.stage for o in outcomes if o.reason == "echo"}
    assert str(os.getpid()) not in pids
    assert len(pids) == 2


def test_the_input_is_consumed_only_a_bounded_distance_ahead() -> None:
    consumed = 0

    def source() -> Iterator[RawDocument | Quarantine]:
        nonlocal consumed
        for item in _docs(200):
            consumed += 1
            yield item

    config = _config(2, batch_size=3, in_flight=2)
    ahead = []
    for done, _ in enumerate(process_stream(source(), config, echo_batch), start=1):
        ahead.append(consumed - done)
    limit = 2 * 2 * 3  # workers * batches_in_flight * batch_size
    assert max(ahead) <= limit
    assert consumed == 200


def test_a_dying_worker_costs_only_its_document() -> None:
    items = _docs(12)
    outcomes = list(process_stream(items, _config(2, batch_size=4, in_flight=2), dying_batch))
    assert [o.source for o in outcomes] == [i.source for i in items]
    dead = [o for o in outcomes if "died" in o.reason]
    assert [o.source for o in dead] == ["d3"]
    assert all(o.reason in ("echo", "read error") for o in outcomes if o.source != "d3")


def test_process_batch_is_the_single_document_pipeline() -> None:
    page = RawDocument("page", dev_page(0))
    (outcome,) = process_batch([page], PipelineConfig())
    assert isinstance(outcome, Article)


@pytest.mark.parametrize(("asked", "expected"), [(1, 1), (3, 3)], ids=["one", "three"])
def test_resolve_workers(asked: int, expected: int) -> None:
    assert resolve_workers(asked) == expected
    assert resolve_workers(0) >= 1


@pytest.mark.parametrize(
    ("flag", "code"), [("2", 0), ("-1", 2)], ids=["two-workers", "negative-refused"]
)
def test_workers_flag(corpus: list[str], tmp_path: Path, flag: str, code: int) -> None:
    from pipeline.cli import main

    out = tmp_path / "out"
    assert main(["run", corpus[1], "--out", str(out), "--workers", flag, "--no-progress"]) == code
    if code == 0:
        lines = (out / "articles.jsonl").read_text().splitlines()
        assert len(lines) == 5  # the archive's five pages; the picture is quarantined


@pytest.mark.parametrize(
    ("workers", "seconds", "here"),
    [(2, 0.0, True), (1, 0.0, True), (2, 60.0, False), (1, 60.0, False)],
    ids=["small-no-limit", "one-worker-no-limit", "small-limited", "one-worker-limited"],
)
def test_only_runs_without_a_time_limit_stay_in_this_process(
    workers: int, seconds: float, here: bool
) -> None:
    """Less than one batch, or one worker, runs here; but a time limit needs a process
    it can stop, so then even one worker is a child."""
    config = replace(_config(workers, batch_size=4), limits=LimitsConfig(document_seconds=seconds))
    outcomes = list(process_stream(_docs(3), config, echo_batch))
    pids = {o.stage for o in outcomes if o.reason == "echo"}
    assert (pids == {str(os.getpid())}) is here
    assert len(pids) == 1

"""The flow on a 2-worker Dask cluster writes what the CLI writes, cross-document
duplicates included, though their batches ran on different workers."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from flows.clean_articles import clean_articles
from pipeline.config import PipelineConfig
from pipeline.runtime import run
from tests.support import SEEDS
from tests.warc_fixtures import Entry, dev_page, write_warc

pytestmark = [pytest.mark.usefixtures("prefect_server"), pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(prefect_server: None) -> Iterator[Any]:
    """Two single-threaded worker processes, started where the flow will find them.

    Workers inherit the environment at start: they must be told the test server's API,
    or each would start a temporary Prefect server of its own.
    """
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
    try:
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            memory_limit="1.5GiB",
        ) as local:
            yield local
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def make_inputs(folder: Path) -> Path:
    """The seeds, and a WARC with a repost of one page, a picture and a corrupt tail."""
    inputs = folder / "in"
    shutil.copytree(SEEDS, inputs)
    entries = [
        Entry("https://one.example/story", "html", dev_page(0)),
        Entry("https://two.example/other", "html", dev_page(1)),
        Entry("https://three.example/repost", "html", dev_page(0)),
        Entry("https://one.example/logo.png", "png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        Entry("https://four.example/more", "html", dev_page(2)),
    ]
    written = write_warc(inputs / "crawl.warc.gz", entries)
    data = written.path.read_bytes()
    written.path.write_bytes(data[: (written.offsets[-1] + len(data)) // 2])
    return inputs


def output_files(out: Path) -> dict[str, bytes]:
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    files.pop("manifest.json")  # timings differ
    files.pop(".newsclean.lock", None)
    return {k: v for k, v in files.items() if not k.startswith(("index", ".index"))}


def worker_task_counts(cluster: Any) -> list[int]:
    from distributed import Client

    with Client(cluster) as client:
        counts = client.run(lambda dask_worker: dask_worker.state.transition_counter)
    return sorted(cast("dict[str, int]", counts).values())


def test_dask_flow_writes_what_the_cli_writes(tmp_path: Path, cluster: Any) -> None:
    inputs = make_inputs(tmp_path)
    expected = tmp_path / "cli"
    run([str(inputs)], expected, PipelineConfig())

    before = worker_task_counts(cluster)
    got = tmp_path / "dask"
    state = clean_articles(
        inputs=[str(inputs)],
        out=str(got),
        chunk_size=2,
        task_runner="dask",
        dask_address=cluster.scheduler_address,
        return_state=True,
    )
    assert state.is_completed(), state
    after = worker_task_counts(cluster)
    assert all(a > b for a, b in zip(after, before, strict=True)), "both workers must work"

    assert output_files(got) == output_files(expected)
    records = [json.loads(line) for line in (got / "articles.jsonl").read_text().splitlines()]
    by_url = {r["url"]: r for r in records if r["url"]}
    repost = next(r for r in records if r["source"].endswith(_offset_of(records, 2)))
    # The repost (third record, a batch of its own) points at the original (first batch).
    assert repost.get("duplicate_of") in {r["id"] for r in records}, by_url.keys()
    quarantine = (got / "quarantine.jsonl").read_text()
    assert "image/png" in quarantine
    assert "truncated WARC record" in quarantine


def _offset_of(records: list[dict[str, Any]], index: int) -> str:
    offsets = sorted(
        int(r["source"].rpartition("#")[2]) for r in records if "crawl.warc.gz#" in r["source"]
    )
    return f"#{offsets[index]}"

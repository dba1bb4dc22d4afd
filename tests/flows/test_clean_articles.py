"""The clean_articles flow against the plain run: same files, caching, failed batches."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    FlowRunFilter,
    FlowRunFilterId,
)
from prefect.client.schemas.objects import State

import flows.clean_articles.flow as flow_module
from flows.clean_articles import BUSY_STATE, PARTIAL_STATE, clean_articles, main
from flows.report import HOST_OUTPUT_ENV
from pipeline.config import PipelineConfig
from pipeline.model import RawDocument
from pipeline.output import output_lock
from pipeline.output.names import ARTICLES, MANIFEST, QUARANTINE, REPORT
from pipeline.process import process_document
from pipeline.runtime import run
from tests.fake_redis import HalfRedis
from tests.support import ROOT, SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")


def seed_inputs(tmp_path: Path) -> Path:
    """The seeds plus a file that must be quarantined, under a folder of this test's own."""
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "zz_empty.html").write_text("<html><body><p>Menu</p></body></html>")
    return inputs


def run_flow(inputs: Path, out: Path, **params: Any) -> State[Any]:
    state = clean_articles(inputs=[str(inputs)], out=str(out), return_state=True, **params)
    return cast("State[Any]", state)


def output_files(out: Path) -> dict[str, bytes]:
    """Every visible output file (hidden ones are the lock and the run's own index)."""
    files = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }
    files.pop(MANIFEST)  # timings differ
    return files


def task_states(flow_state: State[Any], name: str) -> list[str]:
    flow_run_id = flow_state.state_details.flow_run_id
    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return sorted(r.state_name or "" for r in runs if r.name.startswith(name))


@pytest.mark.parametrize("chunk_size, in_flight", [(2, 3), (1, 1)], ids=["pairs", "window-1"])
def test_flow_writes_exactly_what_the_cli_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_size: int, in_flight: int
) -> None:
    expected = tmp_path / "cli"
    run([str(SEEDS)], expected, PipelineConfig())
    got = tmp_path / "flow"
    monkeypatch.setattr(flow_module, "IN_FLIGHT_PER_CORE", in_flight)

    assert main([str(SEEDS), "--out", str(got), "--chunk-size", str(chunk_size)]) == 0

    for name in (ARTICLES, QUARANTINE):
        assert (got / name).read_bytes() == (expected / name).read_bytes(), name
    assert output_files(got) == output_files(expected)


def test_rerun_over_unchanged_inputs_is_served_from_cache(tmp_path: Path) -> None:
    inputs = seed_inputs(tmp_path)
    first = run_flow(inputs, tmp_path / "a", chunk_size=2)
    second = run_flow(inputs, tmp_path / "b", chunk_size=2)

    assert first.result()["cached_batches"] == 0
    assert second.result()["cached_batches"] == second.result()["batches"] == 3
    assert task_states(first, "process-batch") == ["Completed"] * 3
    assert task_states(second, "process-batch") == ["Cached"] * 3
    assert output_files(tmp_path / "a") == output_files(tmp_path / "b")


def test_changed_config_or_content_misses_the_cache(tmp_path: Path) -> None:
    inputs = seed_inputs(tmp_path)
    run_flow(inputs, tmp_path / "a", chunk_size=2)
    config = tmp_path / "config.toml"
    config.write_text('[clean]\nextra_patterns = ["^never matches anything$"]\n')
    (inputs / "zz_empty.html").write_text("<html><body><p>Changed</p></body></html>")

    other_config = run_flow(inputs, tmp_path / "b", chunk_size=2, config_path=str(config))
    changed_file = run_flow(inputs, tmp_path / "c", chunk_size=2)

    assert other_config.result()["cached_batches"] == 0
    # only the batch holding the edited file is processed again
    assert changed_file.result()["cached_batches"] == 2


def test_the_number_of_workers_does_not_miss_the_cache(tmp_path: Path) -> None:
    inputs = seed_inputs(tmp_path)
    run_flow(inputs, tmp_path / "a", chunk_size=2, workers=2)
    one_worker = run_flow(inputs, tmp_path / "b", chunk_size=2, workers=1)
    assert one_worker.result()["cached_batches"] == 3
    assert output_files(tmp_path / "a") == output_files(tmp_path / "b")


def test_a_failing_batch_is_quarantined_and_the_others_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = seed_inputs(tmp_path)
    poisoned = str(inputs / "002_147a8219b3304861.txt")
    real = process_document
    attempts: list[str] = []

    def flaky(raw: RawDocument, config: PipelineConfig, watchdog: Any = None) -> Any:
        if raw.source == poisoned:
            attempts.append(raw.source)
            raise RuntimeError("injected failure")
        return real(raw, config, watchdog)

    monkeypatch.setattr("pipeline.process.process_document", flaky)  # what batches call
    out = tmp_path / "out"
    state = run_flow(inputs, out, chunk_size=2)

    assert state.is_completed() and state.name == PARTIAL_STATE
    assert "1 of 3 batches failed" in (state.message or "")
    assert len(attempts) == 2  # one retry
    counts = state.result()
    assert counts["failed_batches"] == 1
    assert (counts["articles"], counts["quarantined"]) == (3, 3)
    quarantined = (out / QUARANTINE).read_text()
    assert quarantined.count("batch failed after 2 attempts: RuntimeError: injected failure") == 2
    articles = (out / ARTICLES).read_text()
    assert "003_7389142354fb220e" not in articles  # its batch partner, quarantined too
    assert "001_08695e9c21b4eadd" in articles and "004_357ce76994407b0d" in articles

    artifacts = read_artifacts(state)
    summary = artifacts["clean-articles-summary"]
    assert "| documents in | 6 |" in summary and "| quarantined | 3 |" in summary
    assert "failed batches" in summary
    table = artifacts["clean-articles-quarantine"]
    assert poisoned in table and "zz_empty.html" in table


def read_artifacts(state: State[Any]) -> dict[str, str]:
    flow_run_id: UUID | None = state.state_details.flow_run_id
    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key or "": str(a.data) for a in found}


def test_summary_artifact_counts_removals_clusters_and_quarantine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = seed_inputs(tmp_path)
    shutil.copyfile(inputs / "001_08695e9c21b4eadd.txt", inputs / "zz_repost.txt")
    monkeypatch.chdir(tmp_path)  # a relative --out, as prefect.yaml's `output`
    state = run_flow(inputs, Path("out"), chunk_size=10)
    artifacts = read_artifacts(state)
    summary = artifacts["clean-articles-summary"]
    assert "| articles out | 6 |" in summary
    assert "## Paragraphs removed, by reason" in summary and "| title |" in summary
    assert "duplicate groups within articles" in summary
    crossdoc = json.loads((tmp_path / "out" / MANIFEST).read_text())["crossdoc"]
    assert crossdoc["document_clusters"] == 1 and crossdoc["paragraph_clusters"] >= 1
    assert "| document clusters (near-duplicate articles) | 1 |" in summary
    paragraphs = crossdoc["paragraph_clusters"]
    assert f"| paragraph clusters (passages shared across articles) | {paragraphs} |" in summary
    assert f"Outputs: `{tmp_path / 'out'}`" in summary
    report = tmp_path / "out" / REPORT
    assert f"[{REPORT}]({report.as_uri()}) (`{report}`)" in summary and report.is_file()
    assert report.as_uri() in artifacts["clean-articles-report"]


def test_artifacts_link_the_report_where_the_host_has_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the compose stack the flow writes /app/output, which is ./output on the host."""
    container = tmp_path / "app" / "output"
    monkeypatch.setenv(HOST_OUTPUT_ENV, f"{container}=/home/someone/newsclean/output")
    state = run_flow(seed_inputs(tmp_path), container / "hourly", chunk_size=10)
    artifacts = read_artifacts(state)
    summary = artifacts["clean-articles-summary"]
    host = "/home/someone/newsclean/output/hourly"
    assert f"Outputs: `{host}` (in the container: `{container / 'hourly'}`)" in summary
    assert f"[{REPORT}](file://{host}/{REPORT}) (`{host}/{REPORT}`)" in summary
    assert f"file://{host}/{REPORT}" in artifacts["clean-articles-report"]


def test_a_malformed_host_mapping_fails_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(HOST_OUTPUT_ENV, "output")
    assert main([str(SEEDS), "--out", str(tmp_path / "out")]) == 2
    assert "expected CONTAINER_DIR=HOST_DIR" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_busy_output_folder_cancels_the_run_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with output_lock(out):  # another run holds it
        state = run_flow(SEEDS, out)
        code = main([str(SEEDS), "--out", str(out)])

    assert state.is_cancelled() and state.name == BUSY_STATE
    assert f"output folder {out} is in use by another run" in (state.message or "")
    assert not (out / ARTICLES).exists()
    logs = flow_run_logs(state)
    ours = [line for line in logs if "in use by another run" in line]
    ours = [line for line in ours if not line.startswith("Finished in state")]  # Prefect's
    assert len(ours) == 1 and ours[0].startswith("cancelled: output folder")
    assert logs[-1].startswith(f"Finished in state {BUSY_STATE}(") and "CANCELLED" in logs[-1]
    assert not any("Traceback" in line for line in logs)
    assert code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"error: output folder {out} is in use by another run")


def flow_run_logs(state: State[Any], seconds: float = 30) -> list[str]:
    """The run's logs once its last line is in: they are sent in batches, after the state."""
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    flow_run_id = state.state_details.flow_run_id
    assert flow_run_id is not None
    log_filter = LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
    deadline = time.monotonic() + seconds
    while True:
        with get_client(sync_client=True) as client:
            messages = [log.message for log in client.read_logs(log_filter=log_filter)]
        if any(m.startswith("Finished in state") for m in messages):
            return messages
        assert time.monotonic() < deadline, f"no closing log line: {messages}"
        time.sleep(0.5)


def test_a_failed_write_is_retried_without_counting_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = seed_inputs(tmp_path)
    real = flow_module.finish_run
    calls: list[int] = []

    def flaky(
        out: Path, articles: Any, quarantined: Any, config: Any, summary: Any, first: Any
    ) -> Any:
        calls.append(summary.articles)
        # the whole step (counts edited, the first pass taken), then a failure; the
        # retry scans the spooled records again
        finished = real(out, articles, quarantined, config, summary, first)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        return finished

    monkeypatch.setattr(flow_module, "finish_run", flaky)
    expected = tmp_path / "cli"
    run([str(inputs)], expected, PipelineConfig())
    state = run_flow(inputs, tmp_path / "out", chunk_size=4)

    assert state.is_completed() and state.name == "Completed"
    assert calls == [5, 5]  # the retry started from the counts the first attempt was given
    assert state.result()["articles"] == 5
    assert output_files(tmp_path / "out") == output_files(expected)


def test_without_a_chunk_size_the_runner_default_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = seed_inputs(tmp_path)  # 6 inputs
    monkeypatch.setitem(flow_module.CHUNK_SIZES, "threads", 4)
    state = run_flow(inputs, tmp_path / "out")
    assert state.result()["batches"] == 2


@pytest.mark.parametrize(
    "runner, size", [("threads", 200), ("processes", 200), ("dask", 50)], ids=str
)
def test_default_chunk_sizes(runner: str, size: int) -> None:
    assert flow_module.default_chunk_size(runner) == size


def test_default_chunk_size_of_an_unknown_runner_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown task_runner 'ray'"):
        flow_module.default_chunk_size("ray")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["/nonexistent/input", "--out", "{tmp}/o"], "input not found"),
        (["{seeds}", "--out", "{tmp}/o", "--config", "{tmp}/missing.toml"], "cannot read config"),
        (["{seeds}", "--out", "{tmp}/o", "--chunk-size", "0"], "must be positive"),
    ],
    ids=["missing-input", "missing-config", "zero-chunk"],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    args = [a.format(tmp=tmp_path, seeds=SEEDS) for a in argv]
    assert main(args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("runner", ["processes", "dask"])
def test_parallel_runners_write_the_same_files(tmp_path: Path, runner: str) -> None:
    inputs = seed_inputs(tmp_path)
    expected = tmp_path / "cli"
    run([str(inputs)], expected, PipelineConfig())
    got = tmp_path / runner
    state = run_flow(inputs, got, chunk_size=2, task_runner=runner)
    assert state.is_completed(), state.message
    assert output_files(got) == output_files(expected)


@pytest.mark.slow
def test_process_workers_do_not_import_prefect(tmp_path: Path) -> None:
    """Pool workers re-import the parent's main module unless it is a package's
    `__main__`: Prefect must be imported once, by the flow's own process."""
    from prefect.settings import PREFECT_API_URL

    env = os.environ | {
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PYTHONPROFILEIMPORTTIME": "1",
    }
    argv = ["--out", str(tmp_path / "out"), "--task-runner", "processes", "--chunk-size", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "flows.clean_articles", str(SEEDS), *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "5 articles" in done.stderr
    imports = re.findall(r"^import time:.*\|\s*prefect$", done.stderr, flags=re.MULTILINE)
    assert len(imports) == 1


@pytest.mark.slow
def test_a_page_that_kills_its_worker_costs_only_that_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from pipeline.runtime.pool import DIED, RenewingPool
    from tests.runtime.test_pool import KILLER, dying_on_killer

    @contextmanager
    def pool_with_killer(kind: str, workers: int | None = None) -> Iterator[RenewingPool]:
        with RenewingPool(2, dying_on_killer) as pool:
            yield pool

    monkeypatch.setattr(flow_module, "compute_pool", pool_with_killer)
    inputs = seed_inputs(tmp_path)
    (inputs / "b_killer.html").write_bytes(KILLER + b"<html><body><p>Boom</p></body></html>")
    out = tmp_path / "out"
    state = run_flow(inputs, out, chunk_size=3, task_runner="processes")

    assert state.is_completed() and state.name == "Completed"
    counts = state.result()
    assert counts["articles"] == 5 and counts["failed_batches"] == 0
    quarantined = [json.loads(line) for line in (out / QUARANTINE).read_text().splitlines()]
    assert {(Path(q["source"]).name, q["reason"]) for q in quarantined} >= {("b_killer.html", DIED)}
    assert not any("batch failed" in q["reason"] for q in quarantined)


def test_a_hanging_page_times_out_under_the_thread_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Task threads are not the main thread, where signals land: the limit holds anyway."""
    from pipeline import process

    real = process.extract_document

    def hang_on_one(raw: RawDocument, config: Any, **options: Any) -> Any:
        if raw.source.endswith("zz_empty.html"):  # 20 s: without the limit, a wrong reason
            end = time.monotonic() + 20
            while time.monotonic() < end:
                pass
        return real(raw, config, **options)

    monkeypatch.setattr(process, "extract_document", hang_on_one)
    config = tmp_path / "limit.toml"
    config.write_text("[limits]\ndocument_seconds = 0.5\n")
    out = tmp_path / "out"
    state = run_flow(seed_inputs(tmp_path), out, config_path=str(config))

    assert state.is_completed() and state.name == "Completed"
    quarantined = [json.loads(line) for line in (out / QUARANTINE).read_text().splitlines()]
    assert [(Path(q["source"]).name, q["reason"]) for q in quarantined] == [
        ("zz_empty.html", "timed out after 0.5 s (limits.document_seconds)")
    ]
    assert state.result()["articles"] == 5


def test_a_shared_index_failing_at_the_end_fails_the_run_with_its_outputs_kept(
    tmp_path: Path, half_redis: HalfRedis
) -> None:
    """A schedule must not take a run whose duplicates of earlier runs went unmarked for
    a normal one; its outputs (from this run alone) are kept all the same."""
    url = f"redis://127.0.0.1:{half_redis.port}/0"
    out = tmp_path / "out"
    state = run_flow(SEEDS, out, index=url)
    assert state.is_failed()
    assert (state.message or "").startswith(f"index {url} failed")
    assert "written without the index" in (state.message or "")
    records = (out / ARTICLES).read_text(encoding="utf-8").splitlines()
    assert len(records) == len(list(SEEDS.iterdir()))
    assert json.loads((out / MANIFEST).read_text())["run"]["index_error"]

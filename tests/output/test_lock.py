"""One run per output folder: the second stops with a clear error, a dead run's lock is free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.errors import OutputBusyError, OutputError
from pipeline.output import TEMP_PREFIX
from pipeline.output.lock import LOCK_NAME, output_lock, remove_stale_temporaries
from pipeline.runtime import run
from tests.support import ROOT, seed_path

ONE_PROCESS = PipelineConfig(parallel=ParallelConfig(workers=1))
HOLD = """
import sys, time
from pathlib import Path
from pipeline.output.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Another process holding the lock on `tmp_path / "out"`."""
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield out, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    second = output_lock(tmp_path)
    with output_lock(tmp_path), pytest.raises(OutputBusyError, match="in use by another run"):
        second.__enter__()


def test_lock_is_released_after_the_block(tmp_path: Path) -> None:
    with output_lock(tmp_path):
        pass
    with output_lock(tmp_path):
        pass


def test_run_on_a_busy_folder_stops_and_names_the_holder(holder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, proc = holder
    (out / "articles.jsonl").write_text("the first run's output\n")
    with pytest.raises(OutputBusyError) as caught:
        run([str(seed_path("000"))], out, ONE_PROCESS)
    assert f"(pid {proc.pid})" in str(caught.value)
    assert isinstance(caught.value, OutputError)  # the CLI's exit-2 path
    assert (out / "articles.jsonl").read_text() == "the first run's output\n"


def test_cli_on_a_busy_folder_exits_2_with_one_line(holder) -> None:  # type: ignore[no-untyped-def]
    out, _ = holder
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(seed_path("000")), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: output folder ")
    assert "in use by another run" in result.stderr and result.stderr.count("\n") == 1


def test_a_killed_holder_leaves_no_stale_lock(holder) -> None:  # type: ignore[no-untyped-def]
    out, proc = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / LOCK_NAME).exists()  # the file stays; the kernel dropped the lock
    run([str(seed_path("000"))], out, ONE_PROCESS)
    assert (out / "articles.jsonl").stat().st_size > 0


def test_stale_temporaries_are_swept_and_nothing_else(tmp_path: Path) -> None:
    """Only the reserved namespace: a user's dotfile shaped like a temporary name of
    another tool (`.env.prod.override`, once taken for one) stays."""
    stale = [
        f"{TEMP_PREFIX}k2j4_x9a-articles.jsonl.tmp",
        f"{TEMP_PREFIX}abcdefgh-manifest.json.tmp",
        f"{TEMP_PREFIX}probe-0123abcd",
        f"{TEMP_PREFIX}q1w2e3r4-articles.spool",
        f"articles/{TEMP_PREFIX}zz99yy88-0123456789abcdef.md.tmp",
    ]
    kept = [
        "articles.jsonl",
        "manifest.json",
        LOCK_NAME,
        ".notes",
        ".config.toml",
        ".env.prod.override",
        ".articles.jsonl.k2j4_x9a",
        ".write-test-0123abcd",
        "articles/0123456789abcdef.md",
        "articles/.0123456789abcdef.md.zz99yy88",
    ]
    (tmp_path / "articles").mkdir()
    for name in stale + kept:
        (tmp_path / name).write_text("x")
    assert remove_stale_temporaries(tmp_path) == len(stale)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == sorted(kept)

"""The run's processes against hostile inputs and a hostile end, through the real CLI.

- A document that holds one C call past the time limit: the signal that enforces the
  limit waits for the call to return (libxml2 took 480 s on one element of 300,000
  attributes). The page here passes the structure screen (each element stays under its
  attribute cap) yet keeps libxml2 in one parse call for many times the limit; its worker
  is stopped at the limit, the page is quarantined as timed out, and the pages before
  and after it in its batch come through, with one worker or two.
- `kill -9` of the run: no cleanup runs, and the forkserver, the workers and the
  resource tracker (about 200 MB) stayed, reparented to init. They now end with it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.cli import main
from pipeline.runtime.pool import timed_out
from tests.behaviour.test_hostile_strings import page

ROOT = Path(__file__).resolve().parents[2]
LIMIT_S = 4.0
"""Long enough for the screen and the decoding of the page (linear: about a second of
CPU), far shorter than its parse (quadratic in each element's attributes), however fast
the machine: the page is as large as `read.max_bytes` lets it be."""


def crowded_page(elements: int = 1_500, attributes: int = 1_990) -> str:
    """Elements each just under the screen's attribute cap: libxml2 checks each
    attribute against the element's others, in one C call for the whole page."""
    tag = "<p " + " ".join(f"a{i}" for i in range(attributes)) + ">x</p>"
    return page(99).replace("<p>", tag * elements + "<p>", 1)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2], ids=["one-worker", "two-workers"])
def test_a_document_stuck_in_c_is_stopped_at_the_limit(tmp_path: Path, workers: int) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    names = [f"good-{i}.html" for i in range(2)] + ["crowded.html"]
    names += [f"good-{i}.html" for i in range(2, 6)]
    for i, name in enumerate(names):
        text = crowded_page() if name == "crowded.html" else page(i)
        (dump / name).write_text(text, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(
        f"[limits]\ndocument_seconds = {LIMIT_S}\n[parallel]\nbatch_size = 4\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = ["run", str(dump), "--out", str(out), "--config", str(config)]
    assert main([*argv, "--workers", str(workers), "--no-progress"]) == 0
    articles = [json.loads(line) for line in (out / "articles.jsonl").open(encoding="utf-8")]
    assert sorted(Path(a["source"]).name for a in articles) == sorted(
        n for n in names if n != "crowded.html"
    )
    quarantined = [json.loads(line) for line in (out / "quarantine.jsonl").open(encoding="utf-8")]
    # stopped by the pool at the limit, not by the signal once the parse had returned
    assert [(Path(q["source"]).name, q["reason"]) for q in quarantined] == [
        ("crowded.html", timed_out(LIMIT_S))
    ]


_RUN = [sys.executable, "-m", "pipeline", "run", "--no-progress"]


def _descendants(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for p in processes:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2], ids=["one-worker", "two-workers"])
def test_kill_9_of_the_run_leaves_no_process_behind(tmp_path: Path, workers: int) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    for i in range(600):
        (dump / f"page-{i}.html").write_text(page(i), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [*_RUN, str(dump), "--out", str(tmp_path / "out"), "--workers", str(workers)]
    run = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    children: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    # the resource tracker, the forkserver and its workers, all busy
    while len(children) < 2 + workers and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        children = _descendants(parent)
    assert run.poll() is None, "the run ended before it could be killed: give it more pages"
    assert len(children) >= 2 + workers
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10  # a few seconds: each link watches the one above
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [(p.pid, " ".join(p.cmdline())[:80]) for p in _alive(children)]
    for p in _alive(children):
        p.kill()
    assert survivors == []

"""Children bound to their parent end with it, even killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from pipeline.runtime.lifeline import bind_forkserver

ROOT = Path(__file__).resolve().parents[2]
CHILD = (
    "import time; from pipeline.runtime.lifeline import die_with_parent; "
    "die_with_parent(); print('bound', flush=True); time.sleep(600)"
)
PARENT = (
    "import subprocess, sys, time; "
    f"c = subprocess.Popen([sys.executable, '-c', {CHILD!r}]); "
    "print(c.pid, flush=True); time.sleep(600)"
)


def test_only_the_forkserver_binds_itself_on_import() -> None:
    assert bind_forkserver() is False


def test_a_bound_child_ends_when_its_parent_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], env=env, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    assert parent.stdout.readline().strip() == "bound"  # the child's line, same pipe
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False

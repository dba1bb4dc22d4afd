"""A run killed with SIGKILL at any point: nothing half-written is visible, a rerun heals.

The kill points are made deterministic by running the CLI in a child process whose
`os.replace` (every final rename of `write.py`) or record collection kills the process
itself at the N-th call; one case kills the child from outside while it is processing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.output.lock import LOCK_NAME
from tests.support import ROOT, SEEDS

CHILD = """
import os, signal, sys, time

kind, at = os.environ["KILL_AT"].split(":")
at = int(at)
calls = 0

def tick():
    global calls
    calls += 1
    if calls == at:
        if os.environ.get("KILL_FROM_OUTSIDE"):
            open(os.environ["KILL_FROM_OUTSIDE"], "w").close()
            time.sleep(120)  # the test sends SIGKILL now
        os.kill(os.getpid(), signal.SIGKILL)

if kind == "replace":  # just before a finished temporary file gets its final name
    real_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        tick()
        return real_replace(src, dst, *args, **kwargs)
    os.replace = replace
elif kind == "record":  # while documents are being processed
    import pipeline.runtime.engine
    real_record = pipeline.runtime.engine.article_record
    def article_record(outcome):
        tick()
        return real_record(outcome)
    pipeline.runtime.engine.article_record = article_record

from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""

pytestmark = pytest.mark.slow

OUTPUTS = ("articles.jsonl", "quarantine.jsonl", "manifest.json")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """An earlier run's inputs ("old") and this run's ("new"), with good and bad files."""
    root = tmp_path_factory.mktemp("inputs")
    new = root / "new"
    shutil.copytree(SEEDS, new)
    (new / "empty.html").write_bytes(b"")
    (new / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    old = root / "old"
    old.mkdir()
    for path in sorted(SEEDS.iterdir())[:2]:
        shutil.copy(path, old / path.name)
    (old / "blank.txt").write_text("   \n")
    return {"old": [str(old)], "new": [str(new)]}


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "one.toml"
    path.write_text("[parallel]\nworkers = 1\n")
    return path


def cli(
    inputs: list[str], out: Path, config: Path, kill_at: str | None = None, **env: str
) -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", CHILD] if kill_at else [sys.executable, "-m", "pipeline"]
    argv += ["run", *inputs, "--out", str(out), "--config", str(config), "--no-progress"]
    environment = {**os.environ, "KILL_AT": kill_at or "none:0", **env}
    return subprocess.Popen(
        argv,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: pool workers die with it below
    )


def finish(proc: subprocess.Popen[str]) -> int:
    try:
        proc.communicate(timeout=300)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # leftovers of the group we started
    return proc.returncode


def snapshot(out: Path) -> dict[str, str]:
    """Every visible output file's content (manifest without timings); temporaries apart."""
    files: dict[str, str] = {}
    for name in OUTPUTS:
        if (out / name).exists():
            files[name] = (out / name).read_text(encoding="utf-8")
    if "manifest.json" in files:
        manifest = json.loads(files["manifest.json"])
        manifest.pop("timings", None)
        # "run" holds what this run did to the persistent index, which outlives a killed
        # run by design; the articles and every other count must not differ.
        manifest.pop("run", None)
        files["manifest.json"] = json.dumps(manifest, sort_keys=True)
    for md in sorted((out / "articles").glob("*.md")) if (out / "articles").is_dir() else []:
        files[f"articles/{md.name}"] = md.read_text(encoding="utf-8")
    return files


def hidden(out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob(".*")
        if p.is_file() and p.name != LOCK_NAME and ".crossdoc-index" not in p.parts
    )


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, inputs: dict[str, list[str]], config_file: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """Uninterrupted: the old run, then the new run, in one folder."""
    out = tmp_path_factory.mktemp("reference")
    assert finish(cli(inputs["old"], out, config_file)) == 0
    old = snapshot(out)
    assert finish(cli(inputs["new"], out, config_file)) == 0
    new = snapshot(out)
    assert old != new and any(k.startswith("articles/") for k in new)
    return old, new


@pytest.mark.parametrize(
    "kill_at",
    ["record:3", "replace:1", "replace:2", "replace:4", "replace:7"],
    ids=["while-processing", "first-file-unrenamed", "between-files", "among-markdown", "late"],
)
def test_rerun_after_sigkill_equals_an_uninterrupted_run(
    tmp_path: Path,
    inputs: dict[str, list[str]],
    config_file: Path,
    reference: tuple[dict[str, str], dict[str, str]],
    kill_at: str,
) -> None:
    old, new = reference
    out = tmp_path / "out"
    assert finish(cli(inputs["old"], out, config_file)) == 0
    assert snapshot(out) == old

    assert finish(cli(inputs["new"], out, config_file, kill_at=kill_at)) == -signal.SIGKILL
    killed = snapshot(out)
    for name, content in killed.items():  # every visible file is whole: old or new
        assert content in (old.get(name), new.get(name)), name
    if "manifest.json" in killed:  # a manifest vouches for a consistent set of files
        assert killed == old

    assert finish(cli(inputs["new"], out, config_file)) == 0
    assert snapshot(out) == new
    assert hidden(out) == []  # the killed run's temporaries were swept


def test_killed_from_outside_mid_run(
    tmp_path: Path,
    inputs: dict[str, list[str]],
    config_file: Path,
    reference: tuple[dict[str, str], dict[str, str]],
) -> None:
    old, new = reference
    out = tmp_path / "out"
    assert finish(cli(inputs["old"], out, config_file)) == 0
    marker = tmp_path / "processing"
    proc = cli(inputs["new"], out, config_file, "record:2", KILL_FROM_OUTSIDE=str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()
    os.killpg(proc.pid, signal.SIGKILL)
    assert finish(proc) == -signal.SIGKILL
    assert snapshot(out) == old  # killed before writing: the old outputs are untouched
    assert finish(cli(inputs["new"], out, config_file)) == 0
    assert snapshot(out) == new

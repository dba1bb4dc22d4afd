"""The command line: exit 0 on success; 2 with a one-line error for anything the user must fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.support import ROOT, seed_path

SEED = str(seed_path("000"))


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_success_exits_0_and_writes_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", SEED, "--out", str(tmp_path), "--workers", "1", "--no-progress"]) == 0
    assert "1 inputs: 1 articles" in capsys.readouterr().err
    assert len((tmp_path / "articles.jsonl").read_text().splitlines()) == 1
    assert json.loads((tmp_path / "manifest.json").read_text())["counts"]["inputs"] == 1


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["run"],
        ["run", SEED],
        ["frobnicate"],
        ["run", SEED, "--out", "x", "--bogus"],
        ["run", SEED, "--out", "x", "--workers", "many"],
    ],
    ids=["no-command", "no-input", "no-out", "unknown-command", "unknown-option", "bad-int"],
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "--help" in one_line_error(capsys)


def test_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "nope.html"), "--out", str(tmp_path / "out")]) == 2
    assert "input not found" in one_line_error(capsys)


def test_glob_matching_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "*.warc"), "--out", str(tmp_path / "out")]) == 2
    assert "input not found" in one_line_error(capsys)


@pytest.mark.parametrize("where", ["is-a-file", "under-a-file"])
def test_unwritable_out(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker if where == "is-a-file" else blocker / "out"
    assert main(["run", SEED, "--out", str(out)]) == 2
    assert "not writable" in one_line_error(capsys)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[read]\nmax_bytez = 5\n", "unknown key(s) in [read]: max_bytez"),
        ("[reed]\n", "unknown config section(s): reed"),
        ('[read]\nmax_bytes = "big"\n', "read.max_bytes must be an integer"),
        ("[read\n", "invalid TOML"),
        ("[limits]\ndocument_seconds = -1\n", "limits.document_seconds must be >= 0"),
    ],
    ids=["unknown-key", "unknown-section", "bad-type", "bad-toml", "bad-value"],
)
def test_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(toml)
    assert main(["run", SEED, "--out", str(tmp_path / "out"), "--config", str(config)]) == 2
    assert message in one_line_error(capsys)
    assert not (tmp_path / "out").exists()  # nothing done before the config was checked


def test_missing_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["run", SEED, "--out", str(tmp_path / "out"), "--config", str(tmp_path / "no.toml")]
    assert main(args) == 2
    assert "cannot read config" in one_line_error(capsys)


def test_help_describes_the_outputs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    for word in (
        "INPUT",
        "--out",
        "--config",
        "articles.jsonl",
        "quarantine.jsonl",
        "manifest.json",
    ):
        assert word in result.stdout


def test_bad_content_is_not_a_cli_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.html").write_bytes(b"")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    (record,) = [
        json.loads(x) for x in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()
    ]
    assert record["reason"] == "empty input"


def test_cli_starts_before_importing_the_stages() -> None:
    """The CLI starts the workers' forkserver before it imports trafilatura, pyarrow or
    Jinja2, so the two imports overlap on two cores (`parallel.start_workers_early`)."""
    code = (
        "import sys, pipeline.cli; "
        "print(sorted(m for m in ('trafilatura', 'pyarrow', 'jinja2', 'scipy') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("workers", "starts"), [(1, True), (2, True)], ids=["one", "two"])
def test_workers_start_early_one_worker_too(workers: int, starts: bool) -> None:
    """With a time limit even one worker is a process of its own (it must be stoppable)."""
    code = (
        "import psutil; "
        "from pipeline.config import ParallelConfig; "
        "from pipeline.runtime.parallel import start_workers_early; "
        f"start_workers_early(ParallelConfig(workers={workers})); "
        # a child shows the parent's command line until it has exec'd: look for a while
        f"import time; end = time.monotonic() + {10 if starts else 1}; seen = False\n"
        "while not seen and time.monotonic() < end:\n"
        "    lines = [' '.join(c.cmdline()) for c in psutil.Process().children()]\n"
        "    seen = any('forkserver' in line for line in lines)\n"
        "    time.sleep(0.05)\n"
        "print(seen)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == str(starts)

"""The output folder as a hostile user leaves it: the run touches only what it owns, and an
output it cannot write stops it with one line and exit 2.

Once, a rerun deleted every `*.md` in `OUT/articles/` it had not just written (the user's
notes, inputs kept there), dotfiles shaped like its temporary names (`.env.prod.override`)
and, through a symlinked `OUT/articles`, another folder's Markdown; `--out` inside an
input folder read its own outputs back on each rerun; and a folder where `report.html`
goes, a read-only `articles/` or a full disk ended in a traceback and exit 1 after all
the processing, leaving the spool behind. Inputs are generated here.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.output import TEMP_PREFIX
from tests.behaviour.test_hostile_strings import page
from tests.support import ROOT


def pages(folder: Path, first: int, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(first, first + count):
        path = folder / f"page-{i}.html"
        path.write_text(page(i), encoding="utf-8")
        made.append(path)
    return made


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "pipeline", "run", *map(str, args)]
    argv += ["--workers", "1", "--no-progress"]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)


def sources(out: Path) -> list[str]:
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(json.loads(line)["source"] for line in lines)


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob(f"{TEMP_PREFIX}*")]


# --- the run deletes only what it wrote ---------------------------------------------


USER_FILES = {
    "notes.md": "my notes",
    ".env.prod.override": "SECRET=1",
    ".articles.jsonl.abcdefgh": "looks like another tool's temporary",
    ".write-test-0123abcd": "x",
    "articles/notes.md": "kept beside the articles",
    "articles/0123456789abcdef.md": "an id-shaped name no run listed",
    "articles/.0123456789abcdef.md.zz99yy88": "x",
}


def test_a_rerun_deletes_only_the_markdown_an_earlier_run_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli(*pages(tmp_path / "a", 0, 2), "--out", out).returncode == 0
    earlier = sorted((out / "articles").iterdir())
    for name, text in USER_FILES.items():
        (out / name).write_text(text)
    done = cli(*pages(tmp_path / "b", 10, 2), "--out", out)
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in earlier)
    for name, text in USER_FILES.items():
        assert (out / name).read_text() == text, name
    manifest = json.loads((out / "manifest.json").read_text())
    listed = manifest["written"]["markdown"]
    assert len(listed) == 2 and all((out / "articles" / n).is_file() for n in listed)
    assert not temporaries(out) and not (out / ".newsclean-written").exists()


def test_a_run_that_fails_while_writing_leaves_its_names_to_the_next(tmp_path: Path) -> None:
    """The manifest goes when writing starts; the journal still lists what the failed
    run (and the one before it) wrote, so the next run can clean up after it."""
    out = tmp_path / "out"
    assert cli(*pages(tmp_path / "a", 0, 2), "--out", out).returncode == 0
    earlier = sorted((out / "articles").iterdir())
    second = pages(tmp_path / "b", 10, 2)
    assert cli(*second, "--out", tmp_path / "probe").returncode == 0
    first_id, last_id = (json.loads(line)["id"] for line in _lines(tmp_path / "probe"))
    # a folder where the second run's last Markdown file goes: it fails half-way
    (out / "articles" / f"{last_id}.md").mkdir()
    failed = cli(*second, "--out", out)
    assert failed.returncode == 2 and "cannot write" in failed.stderr
    assert (out / "articles" / f"{first_id}.md").is_file()
    assert not (out / "manifest.json").exists() and not temporaries(out)
    assert cli(*pages(tmp_path / "c", 20, 1), "--out", out).returncode == 0
    assert not any(p.exists() for p in earlier)
    assert not (out / "articles" / f"{first_id}.md").exists()
    left = sorted(p.name for p in (out / "articles").iterdir())
    assert len(left) == 2 and f"{last_id}.md" in left  # the folder is not ours: it stays


def _lines(out: Path) -> list[str]:
    return (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("target", ["outside", "inside"], ids=["other-folder", "own-subfolder"])
def test_a_symlinked_articles_folder_is_refused_before_processing(
    tmp_path: Path, target: str
) -> None:
    out = tmp_path / "out"
    other = tmp_path / "other" if target == "outside" else out / "elsewhere"
    other.mkdir(parents=True)
    out.mkdir(exist_ok=True)
    theirs = {"story.md": "theirs", "0123456789abcdef.md": "theirs too"}
    for name, text in theirs.items():
        (other / name).write_text(text)
    (out / "articles").symlink_to(other, target_is_directory=True)
    done = cli(*pages(tmp_path / "in", 0, 2), "--out", out)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1
    assert "symbolic link" in done.stderr
    assert {p.name: p.read_text() for p in other.iterdir()} == theirs
    assert not (out / "articles.jsonl").exists()


# --- the output folder is never an input ------------------------------------------------


def test_out_inside_an_input_folder_is_never_read_back(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    made = pages(inputs, 0, 3)
    out = inputs / "out"
    for _ in range(3):
        done = cli(inputs, "--out", out)
        assert done.returncode == 0, done.stderr
        assert sources(out) == sorted(map(str, made))
        notes = [line for line in done.stderr.splitlines() if line.startswith("note: ")]
        assert len(notes) == 1 and "output folder" in notes[0] and "not read" in notes[0]
    # named itself, or a file in it: not read either
    done = cli(out / "articles.jsonl", *made, "--out", out)
    assert done.returncode == 0 and sources(out) == sorted(map(str, made))


# --- problems with the output folder: one line, exit 2 ------------------------------


def _folder_where_a_file_goes(name: str) -> Callable[[Path], None]:
    def block(out: Path) -> None:
        (out / name).mkdir(parents=True)
        (out / name / "keep.txt").write_text("x")

    return block


def _file_where_the_folder_goes(out: Path) -> None:
    out.mkdir()
    (out / "articles").write_text("a file, not a folder")


def _out_is_a_file(out: Path) -> None:
    out.write_text("a file")


BLOCKERS: dict[str, tuple[Callable[[Path], None], str]] = {
    "report-is-a-folder": (_folder_where_a_file_goes("report.html"), "report.html is a folder"),
    "jsonl-is-a-folder": (_folder_where_a_file_goes("articles.jsonl"), "articles.jsonl is a"),
    "articles-is-a-file": (_file_where_the_folder_goes, "articles is a file"),
    "out-is-a-file": (_out_is_a_file, "it is a file"),
}


@pytest.mark.parametrize("case", list(BLOCKERS), ids=list(BLOCKERS))
def test_a_path_in_the_way_fails_before_processing(tmp_path: Path, case: str) -> None:
    block, message = BLOCKERS[case]
    out = tmp_path / "out"
    block(out)
    done = cli(*pages(tmp_path / "in", 0, 2), "--out", out)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1
    assert message in done.stderr
    if out.is_dir():  # nothing processed: no output and no index written
        assert not (out / "articles.jsonl").is_file()
        assert not (out / ".crossdoc-index").exists() and not temporaries(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_articles_folder_fails_before_processing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    (out / "articles").chmod(0o555)
    try:
        done = cli(*pages(tmp_path / "in", 0, 2), "--out", out)
    finally:
        (out / "articles").chmod(0o755)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "not writable" in done.stderr and not (out / "articles.jsonl").exists()


class _FailingFile:
    """A file whose writes fail as a full or read-only disk fails them."""

    def __init__(self, fh: Any, code: int) -> None:
        self._fh, self._code = fh, code

    def write(self, data: object) -> int:
        raise OSError(self._code, os.strerror(self._code))

    def writelines(self, lines: object) -> None:
        raise OSError(self._code, os.strerror(self._code))

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


LATE = {
    "spool-disk-full": ("articles.spool", errno.ENOSPC, "cannot spool records"),
    "articles-read-only-fs": ("-articles.jsonl", errno.EROFS, "articles.jsonl"),
    "markdown-permission": (".md", errno.EACCES, ".md"),
    "report-disk-full": ("-report.html", errno.ENOSPC, "report.html"),
    "manifest-disk-full": ("-manifest.json", errno.ENOSPC, "manifest.json"),
}


@pytest.mark.parametrize("case", list(LATE), ids=list(LATE))
def test_a_late_write_error_is_one_line_and_leaves_no_temporaries(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    """The disk fails at the OS boundary (`os.fdopen`'s files, which the spools and every
    atomic write use), for one kind of file: the run stops with one line naming it, exit
    2, no spool or temporary left, and no manifest vouching for a part-written folder."""
    name, code, message = LATE[case]
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        fh = real(fd, *args, **kwargs)
        path = os.readlink(f"/proc/self/fd/{fd}")
        return _FailingFile(fh, code) if name in os.path.basename(path) else fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    out = tmp_path / "out"
    argv = ["run", *map(str, pages(tmp_path / "in", 0, 3)), "--out", str(out), "--workers", "1"]
    assert main([*argv, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert message in err and os.strerror(code) in err
    assert not temporaries(out)
    assert not (out / "manifest.json").exists()

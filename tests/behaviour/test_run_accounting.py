"""Every count of a run told once: the CLI line, the manifest, the report and the files agree.

Once, with `--drop-duplicate-articles`, the report said 6 documents in and 5 articles with
none quarantined, and the manifest 58 removed paragraphs where the files held 48 (the
dropped copy's were counted); one file named by two paths was read twice; and a Redis
index failing at the end of a run threw the whole run's work away. Inputs are the seeds
and copies of them made here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from tests.fake_redis import HalfRedis
from tests.support import ROOT, SEEDS

LINE = re.compile(
    r"(?P<inputs>\d+) inputs: (?P<articles>\d+) articles"
    r"(?: \((?P<dropped>\d+) duplicates? dropped\))?, (?P<quarantined>\d+) quarantined, "
    r"(?P<removed>\d+) paragraphs removed"
)


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "pipeline", "run", *map(str, args)]
    argv += ["--workers", "1", "--no-progress"]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def with_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, and a copy of one seed in another folder: a duplicate article."""
    root = tmp_path_factory.mktemp("inputs")
    shutil.copytree(SEEDS, root / "seeds")
    (root / "elsewhere").mkdir()
    shutil.copy(sorted(SEEDS.iterdir())[2], root / "elsewhere" / "copy.txt")
    return root


@pytest.mark.parametrize("drop", [True, False], ids=["dropped", "kept"])
def test_cli_report_manifest_and_files_tell_the_same_counts(
    with_copy: Path, tmp_path: Path, drop: bool
) -> None:
    flags = ["--drop-duplicate-articles"] if drop else []
    done = cli(with_copy, "--out", tmp_path, "--index", "off", *flags)
    assert done.returncode == 0, done.stderr
    line = LINE.search(done.stderr)
    assert line is not None, done.stderr
    told = {k: int(v or 0) for k, v in line.groupdict().items()}

    articles, quarantined = jsonl(tmp_path / "articles.jsonl"), jsonl(tmp_path / "quarantine.jsonl")
    files = {
        "inputs": 6,
        "articles": len(articles),
        "dropped": 1 if drop else 0,
        "quarantined": len(quarantined),
        "kept": sum(len(a["paragraphs"]) for a in articles),  # type: ignore[arg-type]
        "removed": sum(len(a["removed"]) for a in articles),  # type: ignore[arg-type]
    }
    counts = json.loads((tmp_path / "manifest.json").read_text())["counts"]
    manifest = {
        "inputs": counts["inputs"],
        "articles": counts["articles"],
        "dropped": counts["duplicates_dropped"],
        "quarantined": counts["quarantined"],
        "kept": counts["paragraphs_kept"],
        "removed": counts["paragraphs_removed"],
    }
    page = lxml.html.fromstring((tmp_path / "report.html").read_bytes())
    tiles = ("inputs", "articles", "dropped", "quarantined", "kept", "removed")
    report = {
        name: int(found[0].text) if (found := page.xpath(f'//*[@id="n-{name}"]')) else 0
        for name in tiles
    }
    assert manifest == files
    assert report == files
    assert {k: told[k] for k in ("inputs", "articles", "dropped", "quarantined", "removed")} == {
        k: files[k] for k in ("inputs", "articles", "dropped", "quarantined", "removed")
    }
    assert files["inputs"] == files["articles"] + files["quarantined"] + files["dropped"]
    assert sum(counts["removed_by_reason"].values()) == files["removed"]


def test_one_file_reached_by_several_paths_is_read_once_and_said_once(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    first = sorted(seeds.iterdir())[0]
    (tmp_path / "link.txt").symlink_to(first)
    dotted = seeds / ".." / "seeds" / first.name
    done = cli(first, dotted, tmp_path / "link.txt", seeds, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    got = [r["source"] for r in jsonl(tmp_path / "out" / "articles.jsonl")]
    assert len(got) == len(set(got)) == len(list(SEEDS.iterdir()))
    assert str(first) in got
    notes = [line for line in done.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and notes[0].startswith("note: 3 inputs reached by a second path")


# --- a shared index that fails at the end of the run ------------------------------------


def test_a_shared_index_failing_at_the_end_keeps_the_run_outputs(
    half_redis: HalfRedis, tmp_path: Path
) -> None:
    url = f"redis://127.0.0.1:{half_redis.port}/0"
    done = cli(SEEDS, "--out", tmp_path, "--index", url)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert LINE.search(lines[0]) and len(lines) == 2, done.stderr
    assert lines[1].startswith(f"error: index {url} failed") and "written without" in lines[1]
    articles = jsonl(tmp_path / "articles.jsonl")
    assert len(articles) == len(list(SEEDS.iterdir()))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["counts"]["articles"] == len(articles)
    assert manifest["run"]["index_error"].startswith(f"index {url} failed")
    assert (tmp_path / "report.html").is_file() and (tmp_path / "articles.parquet").is_file()

"""End to end through `pipeline.runtime.run` on the seeds: the output contract of the CLI."""

from __future__ import annotations

import dataclasses
import errno
import json
import time
from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.errors import OutputError
from pipeline.model import Quarantine
from pipeline.output.markdown import escape_line, escape_text
from pipeline.runtime import RunSummary, complete_run, finish_run, run
from tests.support import SEEDS, make_record

TWICE = [
    "The council voted on Tuesday to close the old library on the hill by next spring.",
    "Residents who opposed the plan said they would ask the court to review the decision.",
]


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    run([str(SEEDS)], out, PipelineConfig())
    return out


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_input_is_accounted_for_once(seeds_out: Path) -> None:
    articles = _jsonl(seeds_out / "articles.jsonl")
    quarantined = _jsonl(seeds_out / "quarantine.jsonl")
    sources = [r["source"] for r in articles] + [r["source"] for r in quarantined]
    assert sorted(sources) == sorted(str(p) for p in SEEDS.iterdir())


def test_article_record_contract(seeds_out: Path) -> None:
    for record in _jsonl(seeds_out / "articles.jsonl"):
        for key in ("id", "source", "title", "author", "date", "site", "url", "text"):
            assert key in record
        paragraphs = record["paragraphs"]
        assert isinstance(paragraphs, list) and paragraphs
        assert record["text"] == "\n\n".join(p["text"] for p in paragraphs)
        assert record["title"] and not str(record["text"]).startswith(str(record["title"]))
        for removal in record["removed"]:  # type: ignore[union-attr]
            assert removal["reason"]
            if removal["reason"] == "duplicate":
                assert 0 <= removal["duplicate_of"] < len(paragraphs)
                assert 0 < removal["similarity"] <= 1


def test_markdown_and_manifest(seeds_out: Path) -> None:
    articles = _jsonl(seeds_out / "articles.jsonl")
    for record in articles:
        md = (seeds_out / "articles" / f"{record['id']}.md").read_text(encoding="utf-8")
        assert md.startswith(f"# {escape_line(str(record['title']))}\n")
        assert escape_text(str(record["text"])) in md  # rendered as text: see test_markdown
    manifest = json.loads((seeds_out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["inputs"] == 5
    assert manifest["counts"]["articles"] == len(articles)
    assert manifest["config"]["dedupe"]["jaccard_threshold"] == 0.5
    assert "trafilatura" in manifest["versions"]


def test_rerun_gives_identical_files(seeds_out: Path, tmp_path: Path) -> None:
    run([str(SEEDS)], tmp_path, PipelineConfig())
    for name in ("articles.jsonl", "quarantine.jsonl"):
        assert (tmp_path / name).read_bytes() == (seeds_out / name).read_bytes()
    first = sorted(p.name for p in (seeds_out / "articles").iterdir())
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == first
    manifest_a = json.loads((seeds_out / "manifest.json").read_text())
    manifest_b = json.loads((tmp_path / "manifest.json").read_text())
    manifest_a.pop("timings"), manifest_b.pop("timings")
    assert manifest_a == manifest_b


def test_rerun_into_the_same_folder_differs_only_in_timings_and_run(tmp_path: Path) -> None:
    run([str(SEEDS)], tmp_path, PipelineConfig())
    first = {n: (tmp_path / n).read_bytes() for n in ("articles.jsonl", "clusters.jsonl")}
    manifest_a = json.loads((tmp_path / "manifest.json").read_text())
    run([str(SEEDS)], tmp_path, PipelineConfig())
    assert {n: (tmp_path / n).read_bytes() for n in first} == first
    manifest_b = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest_a["run"]["index_added"] == 5 and manifest_b["run"]["index_known"] == 5
    for manifest in (manifest_a, manifest_b):
        manifest.pop("timings"), manifest.pop("run")
    assert manifest_a == manifest_b
    assert (tmp_path / "articles.jsonl").stat().st_mode & 0o777 == 0o644


def test_rerun_into_same_folder_removes_the_markdown_it_no_longer_makes(tmp_path: Path) -> None:
    """The Markdown files of an earlier run (listed in its manifest) that this run does
    not make go; a file no run listed stays, whatever its name."""
    first, *others = sorted(SEEDS.iterdir())
    run([str(first)], tmp_path, PipelineConfig())
    (earlier,) = (tmp_path / "articles").iterdir()
    unknown = tmp_path / "articles" / "0000000000000000.md"
    unknown.write_text("not listed by any run")
    run([str(o) for o in others], tmp_path, PipelineConfig())
    assert not earlier.exists()
    assert unknown.read_text() == "not listed by any run"
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    made = sorted(p.name for p in (tmp_path / "articles").iterdir() if p != unknown)
    assert manifest["written"]["markdown"] == made and len(made) == len(others)
    assert not list(tmp_path.glob(".newsclean-tmp-*"))


def test_a_failed_parquet_conversion_fails_the_run_without_a_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parquet is written on a background thread beside the report: its error still
    reaches the run (as the one-line `OutputError`), and the manifest (written last) is
    not there to vouch for it."""
    from pipeline.output import parquet

    def broken(path: Path, jsonl: Path) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(parquet, "write_parquet", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        run([str(SEEDS)], tmp_path / "out", PipelineConfig())
    assert (tmp_path / "out" / "report.html").is_file()  # the report ran meanwhile
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert not list((tmp_path / "out").glob(".newsclean-tmp-*"))


@pytest.mark.parametrize("count", [0, 1, 5], ids=["none", "one", "five"])
def test_every_outcome_reaches_the_files_while_the_writers_warm(count: int, tmp_path: Path) -> None:
    """The writers' modules are imported once the first outcome has come: every outcome
    still reaches the files, and none is counted twice."""
    outcomes = [Quarantine(f"s{i}", "r", "read") for i in range(count)]
    summary = complete_run(tmp_path, iter(outcomes), PipelineConfig(), time.perf_counter())
    assert summary.inputs == summary.quarantined == count
    sources = [r["source"] for r in _jsonl(tmp_path / "quarantine.jsonl")]
    assert sources == [f"s{i}" for i in range(count)]


def test_finishing_a_run_leaves_the_summary_it_was_given(tmp_path: Path) -> None:
    """`finish_run` returns the counts after the corpus-level edits: a retry of it starts
    from the same counts as the first attempt."""
    config = PipelineConfig()
    twice = [make_record(TWICE, "a.txt"), make_record(TWICE, "b.txt")]
    given = RunSummary(inputs=2, articles=2, paragraphs_kept=4, timings={"process_s": 1.0})
    before = dataclasses.replace(given, timings=dict(given.timings))
    config = dataclasses.replace(
        config, crossdoc=dataclasses.replace(config.crossdoc, drop_duplicate_articles=True)
    )
    finished = finish_run(tmp_path, twice, [], config, given)
    assert given == before
    assert (finished.inputs, finished.articles, finished.paragraphs_kept) == (2, 1, 2)
    assert set(finished.timings) == {"process_s", "crossdoc_s"}
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == finished.counts()


def test_a_writer_that_cannot_be_imported_is_left_to_the_writer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.output import write

    monkeypatch.setattr(write, "WRITER_MODULES", ("pipeline.no_such_writer",))
    write.import_writers()  # no exception on the background thread


def test_the_first_pass_of_the_cross_document_step_is_taken_while_collecting(
    seeds_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run hands the step the pass it took as outcomes came: the step never scans the
    spooled records again, and writes the same files."""
    from pipeline.crossdoc import step as crossdoc

    def no_second_pass(*args: object) -> None:
        raise AssertionError("the cross-document step scanned the records again")

    monkeypatch.setattr(crossdoc, "scan", no_second_pass)
    run([str(SEEDS)], tmp_path / "out", PipelineConfig())
    for name in ("articles.jsonl", "clusters.jsonl", "quarantine.jsonl"):
        assert (tmp_path / "out" / name).read_bytes() == (seeds_out / name).read_bytes()

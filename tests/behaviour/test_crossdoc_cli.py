"""The command line's cross-document flags, end to end on small plain-text dumps."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from pipeline.cli import main

STORY = [
    "The city council voted on Tuesday to expand the bus network into the northern "
    "districts, a plan that has been debated for more than three years by residents.",
    "Supporters said the new routes would cut commuting times for thousands of workers "
    "who currently rely on two or three connections to reach the industrial park.",
    "Opponents argued that the cost of the expansion had been underestimated and that "
    "the money would be better spent repairing the roads the buses already use.",
    "The first new routes are expected to open next spring, with the remainder following "
    "over the next two years as new vehicles are delivered to the depot.",
]
QUOTE = (
    "“We are not going to leave anyone behind, and this vote proves it,” the mayor told "
    "reporters outside the chamber after the meeting ended late in the evening."
)
OTHER = [
    "A local bakery has won a national prize for its sourdough bread, beating more than "
    "two hundred entries from across the country in a blind tasting.",
    "The owners said they started the business in their kitchen during the pandemic and "
    "never expected their loaves to be judged against those of famous bakeries.",
    QUOTE,
]


def write(path: Path, paragraphs: list[str]) -> Path:
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a-original.txt", [*STORY, QUOTE])
    write(folder / "b-repost.txt", [*STORY, QUOTE])
    write(folder / "c-other.txt", OTHER)
    return folder


def articles(out: Path) -> list[dict[str, object]]:
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def run(dump: Path, out: Path, *flags: str) -> int:
    return main(["run", str(dump), "--out", str(out), "--workers", "1", "--no-progress", *flags])


def test_duplicates_are_annotated_by_default(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(dump, out) == 0
    found = articles(out)
    assert len(found) == 3
    assert sum(1 for a in found if a["duplicate_of"]) == 1
    other = next(a for a in found if "bakery" in str(a["text"]))
    assert QUOTE in str(other["text"])
    assert other["cross_duplicates"]


def test_drop_duplicate_articles(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(dump, out, "--drop-duplicate-articles") == 0
    found = articles(out)
    assert len(found) == 2
    assert not any(a["duplicate_of"] for a in found)
    clusters = [json.loads(x) for x in (out / "clusters.jsonl").read_text().splitlines()]
    (document,) = [c for c in clusters if c["level"] == "document"]
    assert sum(1 for m in document["members"] if m["dropped"]) == 1


def test_drop_cross_document_duplicates_keeps_first_occurrence(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(dump, out, "--drop-cross-document-duplicates") == 0
    found = articles(out)
    holding = [a for a in found if QUOTE in str(a["text"]) and not a["duplicate_of"]]
    assert [a["source"] for a in holding] == [str(dump / "a-original.txt")]
    other = next(a for a in found if "bakery" in str(a["text"]))
    removed = other["removed"]
    assert isinstance(removed, list)
    assert [r["reason"] for r in removed] == ["cross-document-duplicate"]


def test_index_dedupes_a_later_run_and_reset_starts_over(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = tmp_path / "first"
    first.mkdir()
    write(first / "a-original.txt", [*STORY, QUOTE])
    assert run(first, out) == 0
    second = tmp_path / "second"
    second.mkdir()
    write(
        second / "b-repost.txt",
        [
            *STORY,
            QUOTE,
            "The council will publish the full timetable on its website in the coming weeks, "
            "officials said on Wednesday.",
        ],
    )
    assert run(second, out) == 0
    (repost,) = articles(out)
    assert repost["duplicate_of"], "the earlier run's article stays canonical"
    assert run(second, out, "--reset-index") == 0
    (fresh,) = articles(out)
    assert fresh["duplicate_of"] is None
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["index_run"] == 1


def test_unreachable_redis_index_fails_before_processing(
    dump: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    assert run(dump, out, "--index", f"redis://127.0.0.1:{port}/0") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot reach index")
    assert len(err.splitlines()) == 1
    assert not (out / "articles.jsonl").exists()

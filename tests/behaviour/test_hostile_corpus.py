"""One huge "paragraph" beside the pages whose paragraphs it holds: the cross-document
step stays linear in the corpus.

A 3.4 MB one-line file of 257 article bodies beside those 257 pages kept the step busy
for more than 328 s, all of it verifying containment pairs: every paragraph of the run
against the giant one, each pair costing the giant's whole set. The step now sets such a
unit aside from paragraph search (`paragraphs_too_long`) and refuses, before reading
their sets, document pairs too far apart in size to be copies. The work is asserted on
the manifest's counts of the search (pairs verified, shingles compared), not on time.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pipeline.cli import main

PAGES = 150
PARAGRAPHS = 6


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(40, 90))).capitalize() + "."


def build(folder: Path) -> int:
    """The pages, a quote two of them share (one lightly edited), and `bodies.txt`
    holding every paragraph on one line; returns the words of the pages' paragraphs."""
    rng = random.Random(12)
    words = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(4000)
    ]
    quote = _paragraph(rng, words)
    every: list[str] = []
    for i in range(PAGES):
        paragraphs = [_paragraph(rng, words) for _ in range(PARAGRAPHS)]
        if i in (3, 70):  # the second copy edited: a near-duplicate, found by search
            paragraphs.insert(2, quote if i == 3 else quote.replace(" ", " and ", 1))
        every += paragraphs
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        (folder / f"page-{i}.html").write_text(
            f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            f"{body}</article></body></html>",
            encoding="utf-8",
        )
    (folder / "bodies.txt").write_text(" ".join(every) + "\n", encoding="utf-8")
    return sum(len(p.split()) for p in every)


@pytest.mark.slow
def test_a_giant_paragraph_costs_the_cross_document_step_no_more_than_its_size(
    tmp_path: Path,
) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    words = build(dump)
    out = tmp_path / "out"
    assert main(["run", str(dump), "--out", str(out), "--workers", "2", "--no-progress"]) == 0
    sources = [json.loads(line)["source"] for line in (out / "articles.jsonl").open()]
    assert len(sources) == PAGES + 1  # every page, and the giant file as an article too
    assert str(dump / "bodies.txt") in sources
    crossdoc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["crossdoc"]
    assert crossdoc["paragraphs_too_long"] == 1
    # before: every paragraph verified against the giant one, ~PAGES * PARAGRAPHS times
    # the corpus' shingles; now linear in the corpus
    assert crossdoc["shingles_compared"] <= 4 * words
    # the quote the two pages share is still found, by a verified pair
    assert crossdoc["paragraph_clusters"] == 1
    assert crossdoc["cross_duplicates_annotated"] == 1
    assert crossdoc["pairs_verified"] >= 1

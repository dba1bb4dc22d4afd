"""The cross-document step's first pass, taken as records are collected."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import CrossdocConfig
from pipeline.crossdoc import FirstPass, apply_crossdoc
from pipeline.crossdoc import scan as crossdoc_scan
from pipeline.crossdoc.scan import scan
from pipeline.model import Article
from pipeline.records import ArticleRecord, article_record
from pipeline.similarity.shingles import shingle_table, tokens
from tests.crossdoc.test_step import NO_INDEX
from tests.support import make_record

WORDS = st.sampled_from(["the", "minister", "said", "on", "Tuesday", "budget", "vote", "Ünï"])
PARAGRAPH = st.lists(WORDS, min_size=0, max_size=12).map(" ".join)
RECORDS = st.lists(st.lists(PARAGRAPH, min_size=1, max_size=6), min_size=1, max_size=8).map(
    lambda docs: [make_record(ps, f"doc-{i}.txt") for i, ps in enumerate(docs)]
)


def result_json(records: list[ArticleRecord], config: CrossdocConfig, **kw: object) -> str:
    result = apply_crossdoc(records, config, **kw)  # type: ignore[arg-type]
    return json.dumps(
        [list(result.articles), result.clusters, result.quarantined, result.counts.to_dict()],
        sort_keys=True,
    )


def test_a_pass_taken_while_collecting_gives_the_same_result(
    seed_articles: dict[str, Article],
) -> None:
    records = [article_record(a) for _, a in sorted(seed_articles.items())] * 2
    first = FirstPass(NO_INDEX)
    for record in records:
        first.add(record)
    assert len(first) == len(records)
    assert result_json(records, NO_INDEX, first=first.take()) == result_json(records, NO_INDEX)


def test_the_step_only_reads_the_pass(seed_articles: dict[str, Article]) -> None:
    """Nothing in the step edits the pass: run twice on it, the same result."""
    records = [article_record(a) for _, a in sorted(seed_articles.items())]
    config = dataclasses.replace(NO_INDEX, drop_cross_document_duplicates=True)
    first = scan(records, config)
    once = result_json(records, config, first=first)
    assert result_json(records, config, first=first) == once == result_json(records, config)


def test_a_pass_over_other_records_is_refused() -> None:
    records = [make_record(["one two three four five six"], "a.txt")]
    with pytest.raises(ValueError, match="first pass saw 2 articles, the step got 1"):
        apply_crossdoc(records, NO_INDEX, first=scan(records * 2, NO_INDEX))


def test_the_pass_is_taken_once_then_the_step_scans_itself() -> None:
    """A retried step (the flow's write task) finds the pass taken and scans the records."""
    records = [make_record(["one two three four", "five six seven"], f"{i}.txt") for i in range(3)]
    first = FirstPass(NO_INDEX)
    for record in records:
        first.add(record)
    once = result_json(records, NO_INDEX, first=first.take())
    again = first.take()
    assert again is None
    assert result_json(records, NO_INDEX, first=again) == once
    with pytest.raises(RuntimeError, match="closed"):
        first.add(records[0])


def test_paragraphs_over_the_cap_are_counted_not_compared() -> None:
    config = dataclasses.replace(NO_INDEX, max_paragraphs=2)
    records = [
        make_record(["a b", "c d", "e f", "g h"], "long.txt"),
        make_record(["a b"], "short.txt"),
    ]
    first = scan(records, config)
    assert first.corpus.over_cap == frozenset({0})
    assert first.corpus.paragraphs_over_cap == 2
    assert [len(reps) for reps in first.corpus.of_article] == [2, 1]


@pytest.mark.parametrize("block", [1, 2, 3, 1000], ids=lambda b: f"block-{b}")
@settings(  # the patched block size is the same for every example
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=RECORDS)
def test_representatives_partition_the_paragraphs_whatever_the_block(
    records: list[ArticleRecord], block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crossdoc_scan, "SHINGLE_BLOCK", block)
    config = NO_INDEX
    first = scan(records, config)
    keys = [" ".join(tokens(p["text"])) for r in records for p in r["paragraphs"]]
    reps = [r for of in first.corpus.of_article for r in of]
    # same key <=> same representative, numbered in order of first appearance
    assert len(set(zip(keys, reps, strict=True))) == len(set(keys)) == len(first.corpus.words)
    seen: list[int] = []
    for r in reps:
        if r not in seen:
            assert r == len(seen)
            seen.append(r)
    # every occurrence listed once, under its representative
    occurrences = sorted(
        (o.article, o.paragraph, r) for r, os in enumerate(first.corpus.occurrences) for o in os
    )
    assert occurrences == sorted(
        (a, i, r) for a, of in enumerate(first.corpus.of_article) for i, r in enumerate(of)
    )
    # the table is the shingles of each representative's first text, whatever the block
    texts = {}
    for record, of in zip(records, first.corpus.of_article, strict=True):
        for paragraph, r in zip(record["paragraphs"], of, strict=True):
            texts.setdefault(r, paragraph["text"] if tokens(paragraph["text"]) else "")
    representatives = range(len(first.corpus.words))
    expected = shingle_table([texts[r] for r in representatives], config.shingle_words)
    assert np.array_equal(first.table.values, expected.values)
    assert np.array_equal(first.table.sizes, expected.sizes)

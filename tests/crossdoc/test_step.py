"""Near-duplicates across documents: reposts, shared quotes, bad input."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.config import CrossdocConfig
from pipeline.crossdoc import apply_crossdoc
from pipeline.model import Article, Reason
from pipeline.records import ArticleRecord, article_record
from tests.support import make_record

NO_INDEX = CrossdocConfig(index="off")


def seed_records(seed_articles: dict[str, Article], *order: str) -> list[ArticleRecord]:
    return [article_record(seed_articles[s]) for s in order]


def paragraph_with(record: ArticleRecord, phrase: str) -> int:
    (index,) = [i for i, p in enumerate(record["paragraphs"]) if phrase in p["text"]]
    return index


SIGNAL = "We’d announce that we’re stopping too"


def test_signal_quote_is_annotated_not_removed(seed_articles: dict[str, Article]) -> None:
    records = seed_records(seed_articles, "000", "001", "002", "003", "004")
    result = apply_crossdoc(records, NO_INDEX)
    out = list(result.articles)
    assert [r["text"] for r in out] == [r["text"] for r in records]
    (cluster,) = [
        c
        for c in result.clusters
        if c["level"] == "paragraph"
        and any(
            SIGNAL in out[0]["paragraphs"][m["paragraph"] or 0]["text"]
            for m in c["members"]
            if m["id"] == out[0]["id"]
        )
    ]
    assert {m["source"] for m in cluster["members"]} == {records[0]["source"], records[4]["source"]}
    assert cluster["canonical"] == out[0]["id"]
    notes = [c for c in out[4]["cross_duplicates"] if c["article"] == out[0]["id"]]
    signal = [c for c in notes if SIGNAL in out[4]["paragraphs"][c["paragraph"]]["text"]]
    assert signal and signal[0]["measure"] == "contains"
    assert signal[0]["other_paragraph"] == paragraph_with(out[0], SIGNAL)
    assert signal[0]["similarity"] >= NO_INDEX.paragraph_containment


@pytest.mark.parametrize(
    ("first", "second", "dropped"),
    [
        pytest.param("000", "004", False, id="quote-first-long-paragraph-kept"),
        pytest.param("004", "000", True, id="long-first-quote-dropped"),
    ],
)
def test_drop_keeps_first_occurrence_and_never_a_longer_paragraph(
    seed_articles: dict[str, Article], first: str, second: str, dropped: bool
) -> None:
    records = seed_records(seed_articles, first, second)
    config = dataclasses.replace(NO_INDEX, drop_cross_document_duplicates=True)
    out = list(apply_crossdoc(records, config).articles)
    assert sum(SIGNAL in p["text"] for p in out[0]["paragraphs"]) == 1
    assert (sum(SIGNAL in p["text"] for p in out[1]["paragraphs"]) == 0) is dropped
    if dropped:
        (removal,) = [r for r in out[1]["removed"] if SIGNAL in r["text"]]
        assert removal["reason"] == Reason.CROSS_DOCUMENT_DUPLICATE
        assert removal["duplicate_of_article"] == out[0]["id"]
        assert removal["duplicate_of"] == paragraph_with(out[0], SIGNAL)
        assert out[1]["id"] != records[1]["id"]  # the id follows the text


def test_different_wire_stories_are_not_one_document(seed_articles: dict[str, Article]) -> None:
    result = apply_crossdoc(
        seed_records(seed_articles, "000", "001", "002", "003", "004"), NO_INDEX
    )
    assert not [c for c in result.clusters if c["level"] == "document"]
    assert all(r["duplicate_of"] is None for r in result.articles)


def _edit(paragraphs: list[str]) -> list[str]:
    """Light copy-editing: a word changed in every third paragraph."""
    out = []
    for i, text in enumerate(paragraphs):
        words = text.split()
        if i % 3 == 0 and len(words) > 6:
            words[len(words) // 2] = "reportedly"
        out.append(" ".join(words))
    return out


COPIES = [
    pytest.param(lambda ps: list(ps), id="verbatim"),
    pytest.param(_edit, id="lightly-edited"),
    pytest.param(lambda ps: list(ps[: len(ps) * 2 // 3]), id="truncated"),
    pytest.param(lambda ps: _edit(list(ps[: len(ps) // 2])), id="edited-and-truncated"),
]


@pytest.mark.parametrize("copy", COPIES)
@pytest.mark.parametrize("seed", ["000", "004"])
def test_syndicated_copy_clusters_with_most_complete_canonical(
    seed_articles: dict[str, Article], seed: str, copy: object
) -> None:
    original = article_record(seed_articles[seed])
    texts = [p["text"] for p in original["paragraphs"]]
    # as long at most, no earlier date: the original wins (by length, else by source)
    clone = make_record(copy(texts), "~mirror/copy.txt")  # type: ignore[operator]
    result = apply_crossdoc([clone, original], NO_INDEX)
    out = list(result.articles)
    assert out[1]["duplicate_of"] is None
    assert out[0]["duplicate_of"] == original["id"]
    assert out[0]["duplicate_reason"] in {"jaccard", "containment"}
    assert out[0]["duplicate_similarity"] >= NO_INDEX.document_jaccard
    (cluster,) = [c for c in result.clusters if c["level"] == "document"]
    assert cluster["canonical"] == original["id"]
    assert {m["source"] for m in cluster["members"]} == {clone["source"], original["source"]}
    assert not [c for c in result.clusters if c["level"] == "paragraph"]


@pytest.mark.parametrize(
    ("dates", "sources", "canonical"),
    [
        pytest.param(("2020-07-08", "2020-07-06"), ("a.txt", "b.txt"), 1, id="earliest-date"),
        pytest.param((None, "2020-07-06"), ("a.txt", "b.txt"), 1, id="a-date-beats-none"),
        pytest.param(("2020-07-06", "2020-07-06"), ("b.txt", "a.txt"), 1, id="then-source"),
    ],
)
def test_tie_break(
    seed_articles: dict[str, Article],
    dates: tuple[str | None, str | None],
    sources: tuple[str, str],
    canonical: int,
) -> None:
    texts = [p.text for p in seed_articles["001"].paragraphs]
    records = [make_record(texts, s, date=d) for s, d in zip(sources, dates, strict=True)]
    out = list(apply_crossdoc(records, NO_INDEX).articles)
    assert out[canonical]["duplicate_of"] is None
    assert out[1 - canonical]["duplicate_of"] == out[canonical]["id"]


def test_drop_duplicate_articles(seed_articles: dict[str, Article]) -> None:
    original = article_record(seed_articles["002"])
    texts = [p["text"] for p in original["paragraphs"]]
    records = [original, make_record(_edit(texts), "copy.txt")]
    config = dataclasses.replace(NO_INDEX, drop_duplicate_articles=True)
    result = apply_crossdoc(records, config)
    assert [r["source"] for r in result.articles] == [original["source"]]
    (cluster,) = [c for c in result.clusters if c["level"] == "document"]
    assert [m["dropped"] for m in cluster["members"]] == [False, True]


@pytest.mark.parametrize(
    ("articles", "documents", "too_short"),
    [
        pytest.param([[], []], 0, 0, id="no-paragraphs"),
        pytest.param([["Hi"], ["Hi"], ["Hello"]], 1, 3, id="single-words"),
        pytest.param(
            [["Read more"] * 3000, ["Read more"] * 3000], 1, 6000, id="thousands-identical"
        ),
    ],
)
def test_bad_input_does_not_blow_up(
    articles: list[list[str]], documents: int, too_short: int
) -> None:
    records = [make_record(ps, f"{i}.txt") for i, ps in enumerate(articles)]
    result = apply_crossdoc(records, NO_INDEX)
    assert len(result.articles) == len(records)
    assert len([c for c in result.clusters if c["level"] == "document"]) == documents
    assert result.counts.paragraphs_too_short == too_short


def test_shared_paragraph_across_many_articles_is_capped_and_reported() -> None:
    shared = (
        "The ministry said in a statement on Monday that all requests would be reviewed "
        "under the new law before any data is handed over to the police."
    )
    records = [
        make_record(
            [
                shared,
                f"Story number {i} is about a different topic {i} entirely, "
                f"with words {i} {i + 1} {i + 2} and more words {i * 7}.",
            ],
            f"{i:03}.txt",
        )
        for i in range(60)
    ]
    config = dataclasses.replace(NO_INDEX, max_bucket=10, max_postings=10)
    result = apply_crossdoc(records, config)
    (cluster,) = [c for c in result.clusters if c["level"] == "paragraph"]
    assert cluster["size"] == 60  # identical copies collapse before LSH: nothing lost
    assert result.counts.cross_duplicates_annotated == 59


def test_many_copies_of_one_story_are_one_cluster_with_fanout_reported(
    seed_articles: dict[str, Article],
) -> None:
    texts = [p.text for p in seed_articles["001"].paragraphs]
    records = [make_record(texts, "a/original.txt", date="2020-07-06")]
    records += [make_record(texts, f"b/exact{i:02}.txt", date="2020-07-07") for i in range(30)]
    for i in range(20):
        edited = [
            t.replace(" the ", f" the{i} ", 1) if k % 3 == 0 else t for k, t in enumerate(texts)
        ]
        records.append(make_record(edited, f"c/edited{i:02}.txt"))
    records += [make_record(texts[: len(texts) * 3 // 4], f"d/cut{i:02}.txt") for i in range(10)]
    config = dataclasses.replace(NO_INDEX, max_fanout=2)
    result = apply_crossdoc(records, config)
    (cluster,) = [c for c in result.clusters if c["level"] == "document"]
    assert cluster["size"] == len(records)
    assert cluster["canonical"] == records[0]["id"]  # complete, earliest
    members = {m["source"]: m for m in cluster["members"]}
    assert all(members[f"b/exact{i:02}.txt"]["similarity"] == 1.0 for i in range(30))
    assert all(
        m["similarity"] >= config.document_jaccard
        for m in cluster["members"]
        if m["source"] != "a/original.txt"
    )
    assert result.counts.identical_documents == 30 + 9  # the cut copies are alike too
    assert result.counts.buckets_fanout_limited > 0
    assert not [c for c in result.clusters if c["level"] == "paragraph"]

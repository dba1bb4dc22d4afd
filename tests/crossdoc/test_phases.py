"""The step's phases one by one: what each finds from what the earlier ones found."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator, Sequence

import pytest

from pipeline.config import CrossdocConfig
from pipeline.crossdoc import FirstPass, apply_crossdoc
from pipeline.crossdoc.counts import IndexCounts
from pipeline.crossdoc.documents import document_clusters
from pipeline.crossdoc.edits import Drop, removals
from pipeline.crossdoc.matching import (
    document_matches,
    document_search,
    find_matches,
    paragraph_pairs,
    site_template,
)
from pipeline.crossdoc.paragraphs import paragraph_cluster_records, paragraph_clusters
from pipeline.crossdoc.scan import scan
from pipeline.crossdoc.search import DocumentSearch
from pipeline.crossdoc.template import Occurrence
from pipeline.model import Article, Measure, Reason, article_id
from pipeline.records import ArticleRecord, article_record
from pipeline.similarity.shingles import ShingleTable
from tests.support import make_record

NO_INDEX = CrossdocConfig(index="off")
TEMPLATE = (
    "Example Daily is funded by readers like you: become a member today and read every "
    "story without limits."
)
SIGNAL = "We’d announce that we’re stopping too"


def bodies(seed_articles: dict[str, Article]) -> list[list[str]]:
    return [
        [p.text for p in seed_articles[s].paragraphs][:6]
        for s in ("000", "001", "002", "003", "004")
    ]


def with_template(seed_articles: dict[str, Article], pages: int) -> list[ArticleRecord]:
    """Four stories of one site, the template line on `pages` of them (at index 3)."""
    return [
        make_record(
            [*body[:3], TEMPLATE, *body[3:]] if i < pages else body,
            f"site/{i}.txt",
            site="Example Daily",
        )
        for i, body in enumerate(bodies(seed_articles)[:4])
    ]


def test_the_template_search_is_handed_on_only_when_the_template_is_empty(
    seed_articles: dict[str, Article],
) -> None:
    records = with_template(seed_articles, 4)
    first = scan(records, NO_INDEX)
    template, pages = site_template(first, paragraph_pairs(first, NO_INDEX), NO_INDEX)
    assert pages is None  # the texts changed: the document search is made again
    assert template.occurrences == {Occurrence(a, 3) for a in range(4)}
    assert template.drops == {
        a: [Drop(3, Reason.SITE_BOILERPLATE, Measure.EXACT)] for a in range(4)
    }

    records = with_template(seed_articles, 0)
    first = scan(records, NO_INDEX)
    template, pages = site_template(first, paragraph_pairs(first, NO_INDEX), NO_INDEX)
    assert not template.occurrences and not template.drops
    assert pages is not None
    again = document_search(first, template, NO_INDEX)
    assert pages.pairs == again.pairs and pages.copies == again.copies


def test_paragraph_pairs_leave_short_paragraphs_out_and_count_them() -> None:
    long = "The ministry said on Monday that all requests would be reviewed under the new law."
    records = [make_record(["Hi", long], "a.txt"), make_record(["Hi", long + " Soon."], "b.txt")]
    first = scan(records, NO_INDEX)
    found = paragraph_pairs(first, NO_INDEX)
    assert found.too_short == 2  # both occurrences of the one short representative
    (pair,) = found.pairs
    assert {pair.a, pair.b} == {1, 2}  # the two long representatives, never "Hi" (0)


def test_document_matches_name_copies_and_clusters(seed_articles: dict[str, Article]) -> None:
    story, other = bodies(seed_articles)[1], bodies(seed_articles)[2]
    edited = [t.replace(" the ", " a ", 1) if i == 0 else t for i, t in enumerate(story)]
    records = [
        make_record(story, "original.txt"),
        make_record(story, "copy.txt"),
        make_record(edited, "edited.txt"),
        make_record(other, "other.txt"),
    ]
    first = scan(records, NO_INDEX)
    template, _ = site_template(first, paragraph_pairs(first, NO_INDEX), NO_INDEX)
    found = document_matches(
        document_search(first, template, NO_INDEX), first.corpus.over_cap, False, NO_INDEX
    )
    assert found.copy_of == {1: 0}
    assert found.identical == 1
    assert [(p.a, p.b) for p in found.pairs] == [(0, 2)]  # the copy is not searched
    cluster = found.cluster_of
    assert cluster[0] == cluster[1] == cluster[2] != cluster[3]
    assert found.signing.group_bands == {}  # not signed without an index


def _reachable(root: object) -> Iterator[object]:
    seen: set[int] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        yield item
        stack.extend(gc.get_referents(item))


def test_no_shingle_table_outlives_the_searches(seed_articles: dict[str, Article]) -> None:
    """What the search phases hand on holds no table: the largest arrays of the step go
    when `find_matches` returns."""
    records = with_template(seed_articles, 4) + with_template(seed_articles, 0)
    matches = find_matches(scan(records, NO_INDEX), NO_INDEX, sign=True)
    assert matches.documents.signing.group_bands  # signed while the table was there
    kinds = {type(item) for item in _reachable(matches)}
    assert ShingleTable not in kinds and DocumentSearch not in kinds


def test_the_step_takes_the_first_pass_it_is_handed(seed_articles: dict[str, Article]) -> None:
    records = with_template(seed_articles, 4)
    first = FirstPass(NO_INDEX)
    for record in records:
        first.add(record)
    expected = apply_crossdoc(records, NO_INDEX)
    assert list(apply_crossdoc(records, NO_INDEX, first=first).articles) == list(expected.articles)
    assert first.take() is None  # the step held the only reference to what it found


class Reads(Sequence[ArticleRecord]):
    """Records that note which are read."""

    def __init__(self, records: list[ArticleRecord]) -> None:
        self.records = records
        self.read: list[int] = []

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> ArticleRecord:  # type: ignore[override]
        self.read.append(index)
        return self.records[index]


def test_removals_read_each_article_once_and_name_the_kept_copy() -> None:
    records = [
        make_record(["Menu line", "A quote worth keeping", "The end"], "a.txt"),
        make_record(["Untouched paragraph"], "b.txt"),
        make_record(["Intro", "A quote worth keeping"], "c.txt"),
        make_record(["Only template"], "d.txt"),
    ]
    digest = scan(records, NO_INDEX).corpus.digest
    template = {
        0: [Drop(0, Reason.SITE_BOILERPLATE, Measure.EXACT)],
        3: [Drop(0, Reason.SITE_BOILERPLATE, Measure.EXACT)],
    }
    kept_copy = Occurrence(0, 1)
    cross = {
        2: [Drop(1, Reason.CROSS_DOCUMENT_DUPLICATE, Measure.EXACT, 1.0, kept_copy)],
    }
    reads = Reads(records)
    found = removals(reads, digest, (template, cross))
    assert reads.read == [0, 2, 3]
    assert found.final_ids == [
        article_id("A quote worth keeping\n\nThe end"),
        records[1]["id"],
        article_id("Intro"),
        article_id(""),
    ]
    assert found.emptied == {3}
    duplicate = found.removed[2][1]
    assert duplicate["duplicate_of_article"] == found.final_ids[0]
    assert duplicate["duplicate_of"] == 0  # first among article 0's kept paragraphs
    assert duplicate["position"] == 1 and duplicate["text"] == "A quote worth keeping"
    assert found.removed[0][0]["duplicate_of"] is None
    assert found.index_of(Occurrence(0, 0)) is None
    assert found.index_of(Occurrence(0, 2)) == 1


@pytest.mark.parametrize("drop", [False, True], ids=["annotate", "drop"])
def test_paragraph_clusters_drop_repeats_only_when_asked(
    seed_articles: dict[str, Article], drop: bool
) -> None:
    """004 holds, in a long paragraph, a quote that 000 has alone: the quote in the
    later article is dropped (with the option) for the earlier, never the long one."""
    records = [article_record(seed_articles[s]) for s in ("004", "000")]
    config = dataclasses.replace(NO_INDEX, drop_cross_document_duplicates=drop)
    matches = find_matches(scan(records, config), config, sign=False)
    found = paragraph_clusters(matches, config)
    assert found.clusters
    assert list(found.drops) == ([1] if drop else [])
    assert found.dropped == sum(len(c.dropped) for c in found.clusters)
    removed = removals(records, matches.corpus.digest, (matches.template.drops, found.drops))
    notes = paragraph_cluster_records(found, matches.corpus.digest, removed)
    assert len(notes.records) == len(found.clusters)
    if drop:
        texts = {records[1]["paragraphs"][d.paragraph]["text"]: d for d in found.drops[1]}
        (quote,) = [d for t, d in texts.items() if SIGNAL in t]
        assert quote.reason == Reason.CROSS_DOCUMENT_DUPLICATE
        assert quote.target is not None and quote.target.article == 0
        assert SIGNAL in records[0]["paragraphs"][quote.target.paragraph]["text"]
    else:  # the first occurrence is the cluster's canonical: only the later is annotated
        assert list(notes.cross) == [1]
        assert Measure.CONTAINMENT in {c["measure"] for _, c in notes.cross[1]}
        assert all(c["article"] == removed.final_ids[0] for _, c in notes.cross[1])


def test_document_clusters_name_the_canonical_and_its_copies(
    seed_articles: dict[str, Article],
) -> None:
    story = bodies(seed_articles)[1]
    records = [
        make_record(story[:4], "short.txt", date="2020-01-01"),
        make_record(story, "complete.txt", date="2020-02-01"),
        make_record(bodies(seed_articles)[2], "other.txt"),
    ]
    matches = find_matches(scan(records, NO_INDEX), NO_INDEX, sign=False)
    removed = removals(records, matches.corpus.digest, (matches.template.drops,))
    found = document_clusters(records, matches, removed, None, NO_INDEX)
    (cluster,) = found.records
    assert cluster["canonical"] == records[1]["id"]  # the most complete, not the earliest
    assert [m["source"] for m in cluster["members"]] == ["complete.txt", "short.txt"]
    assert list(found.duplicates) == [0]
    assert found.duplicates[0].of == records[1]["id"]
    assert found.duplicates[0].reason == Measure.CONTAINMENT
    assert found.index == IndexCounts()

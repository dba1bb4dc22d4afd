"""From records to the view: removals in place, what is shown and what is only counted,
and the counting pass taken while the articles are written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.config import ReportConfig
from pipeline.output import ARTICLES, write_outputs
from pipeline.output.report import Tally, build_view, iter_report, render_report
from tests.output.report.seeded import Record, blank, crossdoc, load, parse, unresolved_links


def test_removed_paragraphs_sit_where_they_were(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    view = build_view(articles, quarantined, manifest)
    for article, record in zip(view.articles, articles, strict=True):
        order: list[tuple[str, int]] = []
        for block in article.blocks:
            if block.kept is not None:
                order.append(("kept", block.kept.number))
            order.extend(("removed", r.position) for r in block.removed)
        removed_positions = sorted(r["position"] for r in record["removed"])
        assert [n for kind, n in order if kind == "removed"] == removed_positions
        assert [n for kind, n in order if kind == "kept"] == list(range(len(record["paragraphs"])))
        assert len(order) == len(record["paragraphs"]) + len(record["removed"])


def test_cap_shows_first_articles_but_counts_all(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    cross, clusters = crossdoc(articles)
    # the records were edited here: the run's counts (the manifest's, which the page shows
    # first) are not theirs, so the page counts them itself
    manifest = {key: value for key, value in manifest.items() if key != "counts"}
    page = render_report(cross, quarantined, manifest, clusters, ReportConfig(max_articles=1))
    doc = parse(page)
    assert len(doc.find_class("article")) == 1
    assert doc.get_element_by_id("n-articles").text == "5"
    assert doc.get_element_by_id("n-removed").text == str(sum(len(a["removed"]) for a in cross))
    assert "4 more articles" in page
    # the copy is not shown: its cluster member is text, not a dangling link
    assert len(doc.find_class("document-cluster")[0].xpath(".//a")) == 1


def test_large_cluster_lists_canonical_and_shown_members_first(seed_out: Path) -> None:
    """A story syndicated a thousand times is one cluster: the page lists `max_members`."""
    articles, quarantined, manifest = load(seed_out)
    cross, clusters = crossdoc(articles)
    a, b = cross[0], cross[1]
    unseen = [
        {**clusters[0]["members"][0], "id": f"{i:016x}", "source": f"copy-{i}.html"}
        for i in range(30)
    ]
    big = {**clusters[0], "members": [*unseen, *clusters[0]["members"]], "size": 32}
    config = ReportConfig(max_articles=2, max_members=3)
    page = render_report(cross, quarantined, manifest, [big, clusters[1]], config)
    (cluster,) = parse(page).find_class("document-cluster")
    items = cluster.xpath(".//li")
    assert len(items) == 3
    assert items[0].find_class("canonical") and items[0].xpath(".//a/@href") == [f"#art-{a['id']}"]
    assert items[1].xpath(".//a/@href") == [f"#art-{b['id']}"]  # shown before unseen ones
    assert "and 29 more, not listed" in cluster.text_content()


def test_records_without_cross_document_fields_still_render(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    old = [
        {k: v for k, v in r.items() if k in ("id", "source", "paragraphs", "removed")}
        for r in articles
    ]
    doc = parse(render_report(old, quarantined, manifest))
    assert len(doc.find_class("article")) == 5
    assert unresolved_links(doc) == []


def test_inconsistent_positions_still_show_every_removal(seed_out: Path) -> None:
    articles, _, _ = load(seed_out)
    record = blank(articles[2])
    for removal in record["removed"]:
        removal["position"] = 0
    doc = parse(render_report([record], [], {}))
    assert len(doc.find_class("removed-para")) == len(record["removed"])
    assert len(doc.find_class("kept")) == len(record["paragraphs"])


@pytest.mark.parametrize(
    "config",
    [ReportConfig(), ReportConfig(max_articles=2, chart_sources=3), ReportConfig(max_articles=1)],
    ids=["defaults", "capped", "one-shown"],
)
def test_a_tally_taken_beforehand_gives_the_same_page(seed_out: Path, config: ReportConfig) -> None:
    articles, quarantined, manifest = load(seed_out)
    cross, clusters = crossdoc(articles)
    tally = Tally(config)
    for record in cross:
        tally.add(record)
    with_tally = "".join(iter_report(cross, quarantined, manifest, clusters, config, tally))
    assert with_tally == render_report(cross, quarantined, manifest, clusters, config)


def test_a_tally_of_another_config_is_refused(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    with pytest.raises(ValueError, match="another report config"):
        build_view(articles, quarantined, manifest, (), ReportConfig(), Tally(ReportConfig(2)))


class CountingReads(list[Record]):
    """A list that counts the records read by iteration, as a spool would parse them."""

    reads = 0

    def __iter__(self) -> Iterator[Record]:
        for record in super().__iter__():
            self.reads += 1
            yield record


def test_writing_reads_the_articles_once_and_the_shown_ones_again(
    seed_out: Path, tmp_path: Path
) -> None:
    articles, quarantined, manifest = load(seed_out)
    records = CountingReads(articles)
    shown = 2
    write_outputs(
        tmp_path,
        records,
        quarantined,
        manifest,
        report=ReportConfig(max_articles=shown),  # type: ignore[arg-type]
    )
    # one pass for articles.jsonl (and the Markdown files and the report's counts), then
    # the shown articles (and the one that ends that pass)
    assert records.reads == len(articles) + shown + 1
    assert (tmp_path / ARTICLES).read_bytes() == (seed_out / ARTICLES).read_bytes()

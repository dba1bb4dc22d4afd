"""report.html: counts that match the records, links that resolve, and no input as markup.

The page is parsed with lxml (no browser here; tests/test_report_browser.py opens it in
Chromium): every check is on the DOM a browser would build.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import PipelineConfig, ReportConfig
from pipeline.output.names import ARTICLES, MANIFEST, QUARANTINE, REPORT
from pipeline.output.report.build import (
    Category,
    Tally,
    build_view,
    category,
    iter_report,
    render_report,
)
from pipeline.output.write import write_outputs
from pipeline.runtime import run
from tests.support import SEEDS

Record = dict[str, Any]


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    run([str(SEEDS)], out, PipelineConfig())
    return out


def load(out: Path) -> tuple[list[Record], list[Record], Record]:
    def jsonl(name: str) -> list[Record]:
        return [json.loads(x) for x in (out / name).read_text(encoding="utf-8").splitlines()]

    return jsonl(ARTICLES), jsonl(QUARANTINE), json.loads((out / MANIFEST).read_text())


def parse(page: str) -> Any:
    return lxml.html.document_fromstring(page)


def unresolved_links(doc: Any) -> list[str]:
    ids = set(doc.xpath("//@id"))
    return [h for h in doc.xpath("//@href") if h.startswith("#") and h[1:] not in ids]


def blank(record: Record) -> Record:
    """The same article with the cross-document fields filled as the pipeline leaves them."""
    record = copy.deepcopy(record)
    record.setdefault("duplicate_of", None)
    record.setdefault("duplicate_reason", None)
    record.setdefault("duplicate_similarity", None)
    record.setdefault("cross_duplicates", [])
    return record


def member(record: Record, paragraph: int | None = None, **extra: Any) -> Record:
    base = {"id": record["id"], "source": record["source"], "paragraph": paragraph}
    return base | {"similarity": None, "measure": None, "dropped": False} | extra


def crossdoc(articles: list[Record]) -> tuple[list[Record], list[Record]]:
    """Seeds 000 and 001 dressed as a syndicated pair sharing a quote (the renderer's
    contract for the cross-document fields and clusters.jsonl)."""
    a, b, *rest = (blank(r) for r in articles)
    b["duplicate_of"] = a["id"]
    b["duplicate_reason"] = "near copy (jaccard)"
    b["duplicate_similarity"] = 0.91
    a["cross_duplicates"] = [
        {
            "paragraph": 1,
            "article": b["id"],
            "source": b["source"],
            "other_paragraph": 2,
            "similarity": 0.8,
            "measure": "jaccard",
        }
    ]
    b["removed"].append(
        {
            "text": a["paragraphs"][5]["text"],
            "reason": "cross-document-duplicate",
            "rule": "containment",
            "position": len(b["paragraphs"]) + len(b["removed"]),
            "duplicate_of": 5,
            "similarity": 1.0,
            "duplicate_of_article": a["id"],
        }
    )
    clusters = [
        {
            "level": "document",
            "canonical": a["id"],
            "canonical_paragraph": None,
            "size": 2,
            "members": [
                member(b, similarity=0.91, measure="jaccard"),
                member(a),
            ],
        },
        {
            "level": "paragraph",
            "canonical": a["id"],
            "canonical_paragraph": 1,
            "size": 2,
            "members": [member(a, 1), member(b, 2, similarity=0.8, measure="jaccard")],
        },
    ]
    return [a, b, *rest], clusters


# --- counts and structure --------------------------------------------------------------


def test_run_writes_report_with_counts_of_the_records(seed_out: Path) -> None:
    articles, quarantined, _ = load(seed_out)
    doc = parse((seed_out / REPORT).read_text(encoding="utf-8"))
    assert len(doc.find_class("article")) == len(articles) == 5
    assert len(doc.find_class("removed-para")) == sum(len(a["removed"]) for a in articles)
    assert len(doc.find_class("kept")) == sum(len(a["paragraphs"]) for a in articles)
    assert doc.get_element_by_id("n-articles").text == "5"
    assert doc.get_element_by_id("n-removed").text == str(sum(len(a["removed"]) for a in articles))
    assert doc.get_element_by_id("n-quarantined").text == str(len(quarantined))
    temporaries = [p.name for p in seed_out.iterdir() if p.name.startswith(f".{REPORT}.")]
    assert temporaries == []


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


def test_duplicate_links_point_at_the_kept_paragraph(seed_out: Path) -> None:
    articles, _, _ = load(seed_out)
    doc = parse((seed_out / REPORT).read_text(encoding="utf-8"))
    record = next(a for a in articles if any(r["reason"] == "duplicate" for r in a["removed"]))
    for removal in record["removed"]:
        if removal["duplicate_of"] is None:
            continue
        element = doc.get_element_by_id(f"art-{record['id']}-r{removal['position']}")
        (href,) = element.xpath(".//span[@class='why']//a/@href")
        target = doc.get_element_by_id(href[1:])
        assert (
            target.find_class("txt")[0].text
            == (record["paragraphs"][removal["duplicate_of"]]["text"])
        )
        assert "revision duplicate" in element.text_content()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("title", Category.RULE),
        ("navigation", Category.RULE),
        ("site-chrome", Category.RULE),
        ("site-boilerplate", Category.SITE),
        ("duplicate", Category.REVISION),
        ("cross-document-duplicate", Category.CROSS),
        ("some-future-reason", Category.RULE),
    ],
    ids=lambda v: str(v),
)
def test_reason_categories(reason: str, expected: Category) -> None:
    assert category(reason) is expected


def test_removals_are_struck_and_coloured_by_category(seed_out: Path) -> None:
    doc = parse((seed_out / REPORT).read_text(encoding="utf-8"))
    removed = doc.find_class("removed-para")
    assert all(el.find("del") is not None for el in removed)
    classes = {c for el in removed for c in el.classes if c.startswith("cat-")}
    assert classes == {"cat-rule", "cat-revision"}
    assert all(el.getparent().tag == "details" for el in removed)


# --- links -----------------------------------------------------------------------------


def variants(seed: tuple[list[Record], list[Record], Record]) -> Iterator[tuple[str, str]]:
    articles, quarantined, manifest = seed
    yield "seeds", render_report(articles, quarantined, manifest)
    cross, clusters = crossdoc(articles)
    yield "crossdoc", render_report(cross, quarantined, manifest, clusters)
    small = ReportConfig(max_articles=1, chart_sources=2)
    yield "truncated", render_report(cross, quarantined, manifest, clusters, small)
    twice = [blank(articles[0]), blank(articles[0])]
    yield "same-id-twice", render_report(twice, [], {})


def test_every_in_page_link_resolves(seed_out: Path) -> None:
    for name, page in variants(load(seed_out)):
        doc = parse(page)
        assert unresolved_links(doc) == [], name
        ids = doc.xpath("//@id")
        assert len(ids) == len(set(ids)), name


def test_syndicated_copies_form_a_cluster_with_canonical_marked(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    cross, clusters = crossdoc(articles)
    a, b = cross[0], cross[1]
    doc = parse(render_report(cross, quarantined, manifest, clusters))
    (cluster,) = doc.find_class("document-cluster")
    first, second = cluster.xpath(".//li")
    assert first.find_class("canonical") and first.xpath(".//a/@href") == [f"#art-{a['id']}"]
    assert not second.find_class("canonical")
    assert second.xpath(".//a/@href") == [f"#art-{b['id']}"]
    assert "0.91" in second.text_content()
    copy_article = doc.get_element_by_id(f"art-{b['id']}")
    assert copy_article.find_class("copy-note")[0].xpath(".//a/@href") == [f"#art-{a['id']}"]
    assert doc.get_element_by_id("n-clusters").text == "1"


def test_cross_document_links_reach_the_other_article(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    cross, clusters = crossdoc(articles)
    a, b = cross[0], cross[1]
    doc = parse(render_report(cross, quarantined, manifest, clusters))
    removal = b["removed"][-1]
    element = doc.get_element_by_id(f"art-{b['id']}-r{removal['position']}")
    assert "cat-cross" in element.classes
    assert element.xpath(".//span[@class='why']//a/@href") == [f"#art-{a['id']}-p5"]
    note = doc.get_element_by_id(f"art-{a['id']}-p1").find_class("also")[0]
    assert note.xpath(".//a/@href") == [f"#art-{b['id']}-p2"]
    (shared,) = doc.find_class("paragraph-cluster")
    assert shared.xpath(".//a/@href") == [f"#art-{a['id']}-p1", f"#art-{b['id']}-p2"]
    assert a["paragraphs"][1]["text"][:40] in shared.text_content()


def test_cap_shows_first_articles_but_counts_all(seed_out: Path) -> None:
    articles, quarantined, manifest = load(seed_out)
    cross, clusters = crossdoc(articles)
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


# --- safety ----------------------------------------------------------------------------

PAYLOADS = {
    "script": "<script>window.__pwned=1;document.title='pwned'</script>",
    "img-onerror": '"><img src=x onerror="window.__pwned=2">',
    "close-textarea": "</textarea></title><svg onload=window.__pwned=3>",
    "attr-break": "' onmouseover='window.__pwned=4' x='",
    "comment": "--><script>window.__pwned=5</script><!--",
}


def hostile(payload: str, articles: list[Record]) -> tuple[list[Record], list[Record]]:
    record = blank(articles[2])
    for key in ("title", "author", "site", "date", "source", "format", "id"):
        record[key] = f"{payload} {key}"
    record["url"] = "javascript:window.__pwned=6"
    for paragraph in record["paragraphs"]:
        paragraph["text"] = f"{paragraph['text']} {payload}"
        paragraph["kind"] = payload
    for removal in record["removed"]:
        removal["text"] = payload
        removal["reason"] = payload
        removal["rule"] = payload
    record["duplicate_of"] = payload
    record["duplicate_reason"] = payload
    quarantined = [{"source": payload, "reason": payload, "stage": payload}]
    return [record], quarantined


def assert_inert(doc: Any) -> None:
    assert doc.xpath("//script") == []
    handlers = [a for a in doc.xpath("//@*") if a.attrname.lower().startswith("on")]
    assert handlers == []
    for href in doc.xpath("//@href"):
        assert href.startswith(("#", "http://", "https://")), href
    assert doc.xpath("//@src") == []


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_input_text_is_escaped_never_markup(payload: str, seed_out: Path) -> None:
    articles, _, _ = load(seed_out)
    records, quarantined = hostile(payload, articles)
    clusters = [{"level": "document", "canonical": payload, "members": [member(records[0])]}]
    page = render_report(records, quarantined, {"counts": {"inputs": 2}}, clusters)
    doc = parse(page)
    assert_inert(doc)
    assert doc.find("head/title").text == "newsclean run report"
    # the text is shown as text: whole, once per place, in the article and quarantine
    article = doc.find_class("article")[0]
    assert f"{payload} title" in article.find("h3").text_content()
    assert payload in doc.find_class("quarantined")[0].text_content()
    assert "javascript:" in article.text_content()  # shown, not linked


def test_page_is_self_contained(seed_out: Path) -> None:
    page = (seed_out / REPORT).read_text(encoding="utf-8")
    doc = parse(page)
    (csp,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to 'none'
    assert doc.xpath("//script | //link | //iframe | //img | //object") == []
    style = doc.find("head/style").text
    assert "url(" not in style and "@import" not in style
    assert_inert(doc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(max_size=40),
    texts=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=4),
    removed=st.lists(st.text(max_size=40), max_size=3),
)
def test_any_text_renders_inert_with_resolving_links(
    title: str, texts: list[str], removed: list[str]
) -> None:
    record = {
        "id": "0123456789abcdef",
        "source": title or "x",
        "title": title,
        "paragraphs": [{"text": t, "kind": "text"} for t in texts],
        "removed": [
            {"text": t, "reason": t or "x", "position": len(texts) + i, "duplicate_of": 0}
            for i, t in enumerate(removed)
        ],
    }
    doc = parse(render_report([record], [{"source": title, "reason": title, "stage": "read"}], {}))
    assert_inert(doc)
    assert unresolved_links(doc) == []
    assert len(doc.find_class("removed-para")) == len(removed)


def test_disabled_report_is_not_left_from_an_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([str(SEEDS / "003_7389142354fb220e.txt")], out, PipelineConfig())
    assert (out / REPORT).is_file()
    config = PipelineConfig.from_mapping({"report": {"enabled": False}})
    run([str(SEEDS / "003_7389142354fb220e.txt")], out, config)
    assert not (out / REPORT).exists()


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

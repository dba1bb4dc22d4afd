"""report.html: counts that match the records, links that resolve, and no input as markup.

The page is parsed with lxml (no browser here; test_browser.py opens it in
Chromium): every check is on the DOM a browser would build.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import PipelineConfig, ReportConfig
from pipeline.output import REPORT
from pipeline.output.report import render_report
from pipeline.runtime import run
from tests.output.report.seeded import (
    Record,
    blank,
    crossdoc,
    load,
    member,
    parse,
    unresolved_links,
)
from tests.support import SEEDS

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

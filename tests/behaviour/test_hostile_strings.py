"""Strings no record can hold, beside good inputs: the run finishes and every field is valid.

Each class once cost a whole run (exit 1, nothing written) or broke a field's documented
form: a JSON lone surrogate (`"\\ud800"`), a page declaring `utf-7` (which decodes to
surrogates), a charset label naming no text encoding (`base64`, `rot13`, `punycode`), a
`date` of `<script>` and a `javascript:` URL. Every input is generated here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.runtime import run

ONE_PROCESS = PipelineConfig(parallel=ParallelConfig(workers=1))
STORY = [
    "The harbour authority said on Monday that the new ferry terminal would open in the "
    "spring, two years later than planned, after a dispute with the builder was settled.",
    "Travellers have waited in temporary sheds since the old terminal was pulled down, and "
    "local shops say they lost a third of their trade during the long building works.",
    "The authority expects the number of passengers to rise by half once the terminal and "
    "the new road that links it to the motorway are both open to traffic next year.",
]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def page(variant: int, head: str = "") -> str:
    body = "".join(f"<p>{p} (Part {variant}.)</p>" for p in STORY)
    return (
        f"<html><head>{head}<title>Harbour news {variant}</title></head>"
        f"<body><article><h1>Harbour news {variant}</h1>{body}</article></body></html>"
    )


def build(folder: Path) -> list[str]:
    """Write the inputs; return their sources: every one of them must be an article."""
    good: list[str] = []
    for i in range(2):
        (folder / f"good-{i}.html").write_text(page(i), encoding="utf-8")
        good.append(str(folder / f"good-{i}.html"))
    utf7 = page(10, '<meta charset="utf-7">').replace("(Part 10.)", "+2AA- +2D3eAA-")
    (folder / "utf7.html").write_text(utf7, encoding="ascii")
    good.append(str(folder / "utf7.html"))
    evil = page(40).replace("Harbour news 40", "<img src=x onerror=alert(1)> Harbour news 40")
    evil = evil.replace(
        "</h1>",
        "</h1><p>&lt;iframe src=javascript:alert(2)&gt;&lt;/iframe&gt; "
        "[click](javascript:alert(3)) " + STORY[0] + "</p>",
        1,
    )
    name = folder / "evil\n# Injected heading\n<script>alert(4)<"
    name.write_text(evil, encoding="utf-8")
    good.append(str(name))
    for n, label in enumerate(("base64", "rot13", "punycode", "unicode_escape"), start=20):
        (folder / f"{label}.html").write_text(page(n, f'<meta charset="{label}">'), "ascii")
        good.append(str(folder / f"{label}.html"))
    lines = [
        {"html": page(30), "url": "\ud800", "date": "2021-02-03"},
        {"html": page(31), "url": "javascript:alert(1)", "date": "<script>alert(1)</script>"},
        {"html": page(32) + "\ud800\udfff", "url": "https://ok.example/\udc00", "date": "\ud800"},
        {"text": "\n\n".join(STORY) + "\n\nTitle \ud83d\ude00", "date": "2021-02-03T04:05:06Z"},
    ]
    dump = folder / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="ascii")
    good += [f"{dump}#L{i}" for i in range(1, len(lines) + 1)]
    return good


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    root = tmp_path_factory.mktemp("strings")
    dump = root / "dump"
    dump.mkdir()
    good = build(dump)
    run([str(dump)], root / "out", ONE_PROCESS)
    return good, root / "out"


def records(path: Path) -> list[dict[str, object]]:
    text = path.read_bytes().decode("utf-8")  # strict: every string is valid Unicode
    return [json.loads(line) for line in text.splitlines() if line]


def test_every_good_input_is_an_article(outputs: tuple[list[str], Path]) -> None:
    good, out = outputs
    articles = {str(r["source"]) for r in records(out / "articles.jsonl")}
    quarantined = records(out / "quarantine.jsonl")
    assert sorted(articles) == sorted(good), quarantined


def test_every_output_file_is_valid_utf8(outputs: tuple[list[str], Path]) -> None:
    _, out = outputs
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".jsonl", ".json", ".md", ".html"):
            path.read_bytes().decode("utf-8")


def test_fields_hold_their_documented_form(outputs: tuple[list[str], Path]) -> None:
    _, out = outputs
    for record in records(out / "articles.jsonl"):
        date, url = record["date"], record["url"]
        assert date is None or ISO_DATE.fullmatch(str(date)), date
        assert url is None or str(url).startswith(("http://", "https://")), url
    by_source = {str(r["source"]).rsplit("/", 1)[-1]: r for r in records(out / "articles.jsonl")}
    assert by_source["dump.jsonl#L4"]["date"] == "2021-02-03"
    assert by_source["dump.jsonl#L3"]["url"] == "https://ok.example/\ufffd"


def test_markdown_files_render_as_text(outputs: tuple[list[str], Path]) -> None:
    _, out = outputs
    renderer = MarkdownIt("commonmark", {"html": True})
    for path in (out / "articles").glob("*.md"):
        tree = lxml_html.fromstring(f"<div>{renderer.render(path.read_text('utf-8'))}</div>")
        tags = {e.tag for e in tree.iter()} - {"div"}
        assert tags <= {"h1", "p", "ul", "li", "strong", "br"}, (path.name, tags)
        assert not any(e.attrib for e in tree.iter()), path.name
        assert len(tree.findall(".//h1")) == 1, path.name

"""A dump full of hostile files beside good ones: the run finishes and loses nothing.

Every input must end up in exactly one of articles.jsonl and quarantine.jsonl, the
hostile ones with a reason a person can act on, the good ones as articles with their
text intact; nothing is written outside `--out` and nothing is fetched from the network.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.model import Article, RawDocument
from pipeline.process import process_document
from pipeline.read.inputs import InputFile, expand_inputs
from pipeline.read.page import read_file
from pipeline.runtime import run
from tests.support import seed_path

ONE_PROCESS = PipelineConfig(parallel=ParallelConfig(workers=1))

ENGLISH = [
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "public transport by a fifth, after months of debate between the two largest parties.",
    "Supporters said the money would pay for more frequent buses on the busiest routes and "
    "for the repair of two tram lines that have been closed since the floods last spring.",
    "Opponents warned that the plan depends on a rise in ticket prices that has not yet been "
    "agreed, and said they would ask the regional court to review the decision next month.",
]
CHINESE = [
    "香港国家安全法通过后，多家美国科技公司宣布暂停处理香港政府的用户数据请求，"
    "抖音海外版表示将在数日内退出香港市场，此举引起了广泛关注和讨论。",
    "分析人士认为，这些公司在香港的业务规模有限，但此举具有重要的象征意义，"
    "反映出国际企业对新法律实施后言论自由和数据安全的担忧。",
    "政府发言人表示，新法律只针对极少数危害国家安全的人，普通市民的权利和自由不会受到影响，"
    "并呼吁外界不要过度解读。",
]
JAPANESE = [
    "東京都は火曜日、新型コロナウイルスの感染者が新たに確認されたと発表し、都民に対して"
    "不要不急の外出を控えるよう改めて呼びかけた。専門家は今後の感染拡大に警戒を強めている。",
    "政府は同日、経済対策の追加を検討していることを明らかにし、中小企業への支援策を"
    "拡充する方針を示した。与党内からは規模の拡大を求める声も上がっている。",
    "一方で、野党は政府の対応が遅れていると批判し、国会での集中審議を求めている。"
    "審議の日程については今週中にも与野党で協議する見通しだ。",
]
FRENCH = [
    "Le président a déclaré mardi que l’économie française « résiste » malgré la crise, "
    "et que le gouvernement présenterait la semaine prochaine un nouveau plan de relance.",
    "Les syndicats ont réagi avec prudence à cette annonce, estimant que les mesures "
    "évoquées ne répondaient pas à l’inquiétude des salariés des secteurs les plus touchés.",
    "À l’Assemblée, l’opposition a dénoncé un « effet d’annonce » et réclamé un débat "
    "sur le financement des mesures, dont le coût n’a pas encore été précisé.",
]


def article_page(paragraphs: list[str], head: str = "", title: str = "Council news") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head>{head}<title>{title}</title></head><body><header><nav>"
        '<a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f"<article><h1>{title}</h1>{body}</article><footer>Copyright 2024 Example News</footer>"
        "</body></html>"
    )


DEEP = "<html><body>" + "<div>" * 100_000 + "<p>" + ENGLISH[0] + "</p>" + "</div>" * 100_000
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 2 else "") + ";") * 10}">\n'
        for i in range(2, 10)
    )
    + ' <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    "<html><body><p>&lol9;</p><p>&xxe;</p></body></html>"
)
ALL_SCRIPT = (
    "<html><head><script>"
    + "var a = 1;" * 20_000
    + "</script></head><body>"
    + ("<script>document.write('x');</script>" * 200)
    + "</body></html>"
)
ALL_NAV = (
    "<html><body><nav><ul>"
    + "".join(
        f'<li><a href="/section/{i}">Section {i} news and analysis</a></li>' for i in range(400)
    )
    + "</ul></nav></body></html>"
)


def build_dump(folder: Path) -> dict[str, str | None]:
    """Write the dump; map each expected source to a reason fragment (None: an article)."""
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes | str, reason: str | None) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[str(path)] = reason

    # Good files, in several encodings and under awkward names.
    shutil.copy(seed_path("000"), folder / "seed-000.txt")
    expected[str(folder / "seed-000.txt")] = None
    put("good.html", article_page(ENGLISH), None)
    put("good.html.gz", gzip.compress(article_page(ENGLISH[::-1]).encode()), None)
    put("gb18030.html", article_page(CHINESE, '<meta charset="gb2312">').encode("gb18030"), None)
    put("shift_jis.htm", article_page(JAPANESE, '<meta charset="shift_jis">').encode("cp932"), None)
    put("undeclared-cp1252.txt", article_page(FRENCH).encode("cp1252"), None)
    broken = article_page(ENGLISH).encode().replace(b"budget", b"bud\xff\xfeget", 1)
    put("invalid-bytes.html", broken, None)
    put("nul-bytes.html", article_page(ENGLISH).encode().replace(b"<p>", b"<p>\x00"), None)
    put("xhtml.xhtml", '<?xml version="1.0" encoding="utf-8"?>\n' + article_page(FRENCH), None)
    put("name with spaces.html", article_page(ENGLISH[1:] + ENGLISH[:1]), None)
    put("ünïcødé 新闻.html", article_page(CHINESE[::-1]), None)
    put("..%2f..%2fescape.html", article_page(FRENCH[::-1]), None)
    put("sub/..%2f..%2f..%2fetc%2fcron.d%2fx", article_page(ENGLISH[2:] + ENGLISH[:2]), None)
    put("one-line.html", article_page([" ".join(ENGLISH) * 3000]).replace("\n", ""), None)

    # Hostile files.
    put("empty.html", b"", "empty input")
    put("blank.txt", b" \n\t\r\n   \n", "empty input")
    put("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000), "image/png")
    put("report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + os.urandom(2000), "application/pdf")
    put("truncated.html.gz", gzip.compress(article_page(ENGLISH).encode())[:-40], "truncated gzip")
    put("not-gzip.gz", bytes(range(256)) * 20, "binary content")
    put("fake-magic.gz", b"\x1f\x8b" + b"definitely not deflate" * 10, "corrupt gzip")
    put("bomb.html.gz", gzip.compress(b" " * 100_000_000, 9), "possible gzip bomb")
    put("deep.html", DEEP, "nested too deep")
    put("laughs.xml", LAUGHS, "")  # any clear reason; the point is bounded work
    put("all-script.html", ALL_SCRIPT, "almost no visible text")
    put("all-nav.html", ALL_NAV, "all navigation")
    with open(folder / "huge-one-line.html", "wb") as fh:  # 50 MB, no newline
        fh.write(b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>")
    expected[str(folder / "huge-one-line.html")] = "file too large"
    os.mkfifo(folder / "pipe.html")
    expected[str(folder / "pipe.html")] = "not a regular file (named pipe)"
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    expected[str(folder / "loop-a")] = "broken or looping symbolic link"
    expected[str(folder / "loop-b")] = "broken or looping symbolic link"
    (folder / "up").symlink_to(folder)
    expected[str(folder / "up")] = "symbolic link to a folder: not followed"
    return expected


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def tree(root: Path, skip: Path) -> set[str]:
    return {
        str(p)
        for p in root.rglob("*")
        if skip not in p.parents and p != skip and not p.is_symlink()
    }


@pytest.fixture(scope="module")
def dump_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str | None], Path]:
    root = tmp_path_factory.mktemp("hostile")
    dump = root / "dump"
    dump.mkdir()
    expected = build_dump(dump)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(dump / "socket.html"))
    expected[str(dump / "socket.html")] = "not a regular file (socket)"
    out = root / "out"
    before = tree(root, out)
    try:
        run([str(dump)], out, ONE_PROCESS)
    finally:
        sock.close()
    assert tree(root, out) == before, "the run wrote outside --out"
    return expected, out


def test_every_input_is_in_exactly_one_output(dump_run: tuple[dict[str, str | None], Path]) -> None:
    expected, out = dump_run
    sources = [r["source"] for r in jsonl(out / "articles.jsonl")]
    sources += [r["source"] for r in jsonl(out / "quarantine.jsonl")]
    assert sorted(sources) == sorted(expected)  # none lost, none twice


def test_good_files_come_through(dump_run: tuple[dict[str, str | None], Path]) -> None:
    expected, out = dump_run
    articles = {r["source"]: r for r in jsonl(out / "articles.jsonl")}
    quarantined = {r["source"]: r["reason"] for r in jsonl(out / "quarantine.jsonl")}
    good = sorted(s for s, reason in expected.items() if reason is None)
    assert [s for s in good if s not in articles] == [], quarantined


@pytest.mark.parametrize(
    ("name", "sentences"),
    [
        ("gb18030.html", CHINESE),
        ("shift_jis.htm", JAPANESE),
        ("undeclared-cp1252.txt", FRENCH),
        ("xhtml.xhtml", FRENCH),
        ("nul-bytes.html", ENGLISH),
        ("ünïcødé 新闻.html", CHINESE),
    ],
    ids=["gb18030", "shift-jis", "cp1252", "xhtml", "nul", "unicode-name"],
)
def test_text_in_any_encoding_comes_out_right(
    dump_run: tuple[dict[str, str | None], Path], name: str, sentences: list[str]
) -> None:
    _, out = dump_run
    source = str(out.parent / "dump" / name)
    (record,) = [r for r in jsonl(out / "articles.jsonl") if r["source"] == source]
    for sentence in sentences:
        assert sentence in str(record["text"])


def test_invalid_bytes_lose_only_themselves(dump_run: tuple[dict[str, str | None], Path]) -> None:
    _, out = dump_run
    source = str(out.parent / "dump" / "invalid-bytes.html")
    (record,) = [r for r in jsonl(out / "articles.jsonl") if r["source"] == source]
    text = str(record["text"])
    assert ENGLISH[1] in text and ENGLISH[2] in text and "bud" in text and "get" in text


def test_hostile_files_carry_their_reason(dump_run: tuple[dict[str, str | None], Path]) -> None:
    expected, out = dump_run
    reasons = {r["source"]: str(r["reason"]) for r in jsonl(out / "quarantine.jsonl")}
    for source, fragment in expected.items():
        if fragment is None:
            continue
        assert source in reasons, source
        assert fragment in reasons[source], (source, reasons[source])
        assert not reasons[source].startswith("unexpected"), (source, reasons[source])


def test_entities_are_never_expanded(dump_run: tuple[dict[str, str | None], Path]) -> None:
    _, out = dump_run
    everything = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert "lollollol" not in everything and "root:x:0" not in everything


def test_markdown_files_are_named_by_id_inside_out(
    dump_run: tuple[dict[str, str | None], Path],
) -> None:
    _, out = dump_run
    ids = {str(r["id"]) for r in jsonl(out / "articles.jsonl")}
    names = {p.name for p in (out / "articles").iterdir()}
    assert names == {f"{i}.md" for i in ids}
    assert all(len(i) == 16 and all(c in "0123456789abcdef" for c in i) for i in ids)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=40,
    ).filter(lambda n: n not in (".", ".."))
)
def test_no_file_name_escapes_out(tmp_path: Path, name: str) -> None:
    case = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis may replay a name
    dump, out = case / "dump", case / "out"
    dump.mkdir(parents=True)
    try:
        (dump / name).write_text(article_page(ENGLISH), encoding="utf-8")
    except OSError:  # a name too long for the file system once encoded
        return
    before = tree(case, out)
    run([str(dump)], out, ONE_PROCESS)
    assert tree(case, out) == before
    records = jsonl(out / "articles.jsonl") + jsonl(out / "quarantine.jsonl")
    assert [r["source"] for r in records] == [str(dump / name)]


# --- no network --------------------------------------------------------------------------

REMOTE = [
    '<img src="http://198.51.100.7/a.png"><img srcset="https://198.51.100.7/b.png 2x">',
    '<link rel="stylesheet" href="http://198.51.100.7/s.css">'
    '<link rel="canonical" href="https://198.51.100.7/story">',
    '<iframe src="http://198.51.100.7/embed"></iframe><script src="http://198.51.100.7/x.js">'
    "</script>",
    '<meta http-equiv="refresh" content="0; url=http://198.51.100.7/">'
    '<base href="http://198.51.100.7/">',
    '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://198.51.100.7/x.xml"/>',
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.parametrize(
    "snippet", REMOTE, ids=["images", "links", "embeds", "refresh", "xinclude"]
)
def test_urls_in_a_page_are_never_fetched(no_network: list[object], snippet: str) -> None:
    page = article_page([*ENGLISH[:1], snippet, *ENGLISH[1:]]).encode()
    outcome = process_document(RawDocument("remote.html", page), ONE_PROCESS)
    assert isinstance(outcome, Article)
    assert no_network == []


def test_external_dtd_and_stylesheet_are_never_fetched(no_network: list[object]) -> None:
    page = (
        '<?xml version="1.0"?><?xml-stylesheet href="http://198.51.100.7/s.xsl"?>'
        '<!DOCTYPE html SYSTEM "http://198.51.100.7/evil.dtd">' + article_page(ENGLISH)
    ).encode()
    outcome = process_document(RawDocument("dtd.html", page), ONE_PROCESS)
    assert isinstance(outcome, Article) and no_network == []


def test_markdown_with_remote_images_is_not_fetched(no_network: list[object]) -> None:
    text = "# Council news\n\n![photo](http://198.51.100.7/p.jpg)\n\n" + "\n\n".join(ENGLISH)
    outcome = process_document(RawDocument("remote.md", text.encode()), ONE_PROCESS)
    assert isinstance(outcome, Article) and no_network == []


def test_reading_a_file_never_touches_the_network(no_network: list[object], tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(article_page(REMOTE), encoding="utf-8")
    for item in expand_inputs([str(tmp_path)]):
        assert isinstance(item, InputFile)
        read_file(item, ONE_PROCESS.read)
    assert no_network == []

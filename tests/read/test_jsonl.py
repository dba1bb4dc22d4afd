"""JSONL dumps: one document per line with url/date kept, bad lines quarantined by number."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from pathlib import Path

import pytest

from pipeline.config import ReadConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.read.archive import ArchiveKind, archive_kind
from pipeline.read.inputs import InputFile
from pipeline.read.jsonl import iter_jsonl, line_document
from pipeline.read.page import iter_documents
from tests.warc_fixtures import dev_page

PAGE = dev_page(3).decode("utf-8", errors="replace")


def _read(path: Path, config: ReadConfig | None = None) -> list[RawDocument | Quarantine]:
    return list(iter_jsonl(str(path), path, config or ReadConfig()))


def _dump(path: Path, lines: list[str], gz: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


GOOD = [
    json.dumps({"html": PAGE, "url": "https://j.example/1", "date": "2020-07-07"}),
    json.dumps({"text": "Plain story text.\n\nSecond paragraph.", "url": "https://j.example/2"}),
]


@pytest.mark.parametrize("gz", [False, True], ids=["jsonl", "jsonl.gz"])
def test_lines_become_documents_with_metadata(tmp_path: Path, gz: bool) -> None:
    path = _dump(tmp_path / "d.jsonl", GOOD, gz=gz)
    first, second = _read(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.source == f"{path}#L1"
    assert first.data == PAGE.encode("utf-8")
    assert (first.url, first.date) == ("https://j.example/1", "2020-07-07")
    assert second.source == f"{path}#L2"
    assert second.data.startswith(b"Plain story text.")
    assert (second.url, second.date) == ("https://j.example/2", None)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"html": "<p>unterminated', "invalid JSON"),
        ("[1, 2, 3]", "not an object"),
        ('{"body": "<p>x</p>"}', "no `html` or `text`"),
        ('{"html": 42}', "no `html` or `text`"),
    ],
    ids=["broken-json", "array", "no-body-field", "body-not-string"],
)
def test_bad_lines_are_quarantined_with_their_number(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = _dump(tmp_path / "bad.jsonl", [GOOD[0], "", line, GOOD[1]])
    outcomes = _read(path)
    assert [o.source for o in outcomes] == [f"{path}#L1", f"{path}#L3", f"{path}#L4"]
    bad = outcomes[1]
    assert isinstance(bad, Quarantine) and reason in bad.reason
    assert isinstance(outcomes[2], RawDocument)


def test_an_overlong_line_is_quarantined_and_reading_goes_on(tmp_path: Path) -> None:
    path = _dump(tmp_path / "long.jsonl", [GOOD[0], GOOD[1]])
    outcomes = _read(path, ReadConfig(max_bytes=1000))
    assert isinstance(outcomes[0], Quarantine) and "too long" in outcomes[0].reason
    assert isinstance(outcomes[1], RawDocument) and outcomes[1].source == f"{path}#L2"


def test_a_truncated_gzip_dump_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    path = _dump(tmp_path / "cut.jsonl.gz", GOOD * 20, gz=True)
    path.write_bytes(path.read_bytes()[:-200])
    outcomes = _read(path)
    assert isinstance(outcomes[-1], Quarantine)
    assert "unreadable after line" in outcomes[-1].reason
    assert all(isinstance(o, RawDocument) for o in outcomes[:-1])
    assert len(outcomes) >= 2


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (GOOD[0] + "\n", ArchiveKind.JSONL),
        ('{"text": "a"}\n{"text": "b"}\n', ArchiveKind.JSONL),
        ('{\n  "text": "pretty-printed single object"\n}\n', None),
        ("{curly brace prose, not JSON}\nmore text\n", None),
        ('{"title": "no body field"}\n', None),
    ],
    ids=["html-line", "text-lines", "pretty-json", "prose", "other-json"],
)
def test_jsonl_is_sniffed_from_its_first_line(
    tmp_path: Path, content: str, kind: ArchiveKind | None
) -> None:
    path = tmp_path / "dump.txt"
    path.write_text(content, encoding="utf-8")
    assert archive_kind(path) is kind
    outcomes = list(iter_documents(InputFile(str(path), path), ReadConfig()))
    assert all(o.source.startswith(str(path)) for o in outcomes)
    if kind is None:
        assert [o.source for o in outcomes] == [str(path)]


def test_line_document_prefers_html_over_text() -> None:
    doc = line_document("s#L1", json.dumps({"html": "<p>h</p>", "text": "t"}).encode())
    assert isinstance(doc, RawDocument) and doc.data == b"<p>h</p>"


@pytest.mark.parametrize(
    ("fields", "url", "date"),
    [
        ({"url": "\ud800", "date": "2020-07-07"}, None, "2020-07-07"),
        ({"url": "https://j.example/\udfff", "date": "\ud800"}, "https://j.example/\ufffd", None),
        ({"url": "javascript:alert(1)", "date": "<script>alert(1)</script>"}, None, None),
        (
            {"url": "https://j.example/ok", "date": "2020-07-07T10:00:00Z"},
            "https://j.example/ok",
            "2020-07-07",
        ),
        ({"url": 5, "date": ["2020-07-07"]}, None, None),
    ],
    ids=["lone-surrogate-url", "surrogates", "script", "iso-datetime", "not-strings"],
)
def test_metadata_takes_its_documented_form(
    fields: dict[str, object], url: str | None, date: str | None
) -> None:
    line = json.dumps({"html": PAGE, **fields}).encode()
    doc = line_document("d.jsonl#L1", line)
    assert isinstance(doc, RawDocument)
    assert (doc.url, doc.date) == (url, date)


def test_a_lone_surrogate_in_the_body_becomes_a_replacement_character() -> None:
    doc = line_document("d.jsonl#L1", b'{"text": "caf\\u00e9 \\ud800 and \\ud83d\\ude00"}')
    assert isinstance(doc, RawDocument)
    assert doc.data.decode("utf-8") == "café \ufffd and 😀"


def test_a_jsonl_gz_of_blank_lines_stops_at_the_expansion_cap(tmp_path: Path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress((GOOD[1] + "\n").encode())]
    parts += [compressor.compress(b"\n" * (1 << 20)) for _ in range(30)]
    parts += [compressor.compress((GOOD[1] + "\n").encode()), compressor.flush()]
    path = tmp_path / "newlines.jsonl.gz"
    path.write_bytes(b"".join(parts))  # 30 MB of newlines in ~30 KB
    started = time.perf_counter()
    outcomes = _read(path)
    assert time.perf_counter() - started < 5
    first, stopped = outcomes
    assert isinstance(first, RawDocument) and first.source == f"{path}#L1"
    assert isinstance(stopped, Quarantine) and "stopped after line" in stopped.reason
    assert "read.max_gzip_ratio" in stopped.reason
    cap = path.stat().st_size * ReadConfig().max_gzip_ratio
    assert f"expands beyond {max(cap, 1_000_000)} bytes" in stopped.reason


def test_a_plain_jsonl_of_blank_lines_is_read_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "newlines.jsonl"
    path.write_bytes((GOOD[1] + "\n").encode() + b"\n" * 20_000_000 + GOOD[1].encode())
    outcomes = _read(path)
    assert [o.source for o in outcomes] == [f"{path}#L1", f"{path}#L20000002"]
    assert all(isinstance(o, RawDocument) for o in outcomes)

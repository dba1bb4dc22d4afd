"""WARC archives: HTML responses become documents, every other response a quarantine
with its offset, and damage to one record never hides the others."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import ReadConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.read.archive import ArchiveKind, archive_kind
from pipeline.read.inputs import InputFile
from pipeline.read.member import GzipMember
from pipeline.read.page import iter_documents
from pipeline.read.warc import iter_warc
from tests.warc_fixtures import Entry, dev_page, raw_response, write_raw, write_warc, zeros_gzip

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def _entries() -> list[Entry]:
    return [
        Entry("https://a.example/1", "request"),
        Entry("https://a.example/1", "html", dev_page(0)),
        Entry("https://a.example/logo.png", "png", PNG),
        Entry("https://a.example/gone", "404", b"<html><body>Not found</body></html>"),
        Entry("https://b.example/2", "html", dev_page(1)),
        Entry("https://b.example/3", "resource", dev_page(2)),
    ]


def _read(path: Path, config: ReadConfig | None = None) -> list[RawDocument | Quarantine]:
    return list(iter_warc(str(path), path, config or ReadConfig()))


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_each_response_is_accounted_for_with_its_offset(tmp_path: Path, gz: bool) -> None:
    entries = _entries()
    written = write_warc(tmp_path / "a.warc", entries, gz=gz)
    outcomes = _read(written.path)
    expected = {
        f"{written.path}#{offset}": entry
        for entry, offset in zip(entries, written.offsets, strict=True)
        if entry.kind != "request"
    }
    assert [o.source for o in outcomes] == list(expected)
    by_source = {o.source: o for o in outcomes}
    for source, entry in expected.items():
        outcome = by_source[source]
        if entry.kind in ("html", "resource"):
            assert isinstance(outcome, RawDocument)
            assert outcome.data == entry.body
            assert outcome.url == entry.url
            assert outcome.date is not None and len(outcome.date) == 10
        else:
            assert isinstance(outcome, Quarantine)
            assert outcome.stage == "read"
    reasons = [o.reason for o in outcomes if isinstance(o, Quarantine)]
    assert "image/png" in reasons[0]
    assert "404" in reasons[1]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_corrupt_record_is_quarantined_and_the_rest_come_through(
    tmp_path: Path, gz: bool
) -> None:
    entries = [Entry(f"https://c.example/{i}", "html", dev_page(i)) for i in range(4)]
    written = write_warc(tmp_path / "c.warc", entries, gz=gz)
    data = bytearray(written.path.read_bytes())
    bad = written.offsets[1]
    if gz:  # damage the compressed body of the second record's gzip member
        data[bad + 40 : bad + 80] = b"x" * 40
    else:  # damage the second record's header line
        data[bad : bad + 8] = b"GARBAGE!"
    written.path.write_bytes(bytes(data))
    outcomes = _read(written.path)
    assert [o.source for o in outcomes] == [f"{written.path}#{o}" for o in written.offsets]
    assert isinstance(outcomes[1], Quarantine)
    assert "corrupt WARC record" in outcomes[1].reason
    assert [o.url for o in outcomes if isinstance(o, RawDocument)] == [
        "https://c.example/0",
        "https://c.example/2",
        "https://c.example/3",
    ]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_archive_quarantines_the_cut_record(tmp_path: Path, gz: bool) -> None:
    entries = [Entry(f"https://t.example/{i}", "html", dev_page(i)) for i in range(3)]
    written = write_warc(tmp_path / "t.warc", entries, gz=gz)
    data = written.path.read_bytes()
    cut = (written.offsets[2] + len(data)) // 2
    written.path.write_bytes(data[:cut])
    outcomes = _read(written.path)
    assert [type(o) for o in outcomes] == [RawDocument, RawDocument, Quarantine]
    assert outcomes[2].source == f"{written.path}#{written.offsets[2]}"
    assert isinstance(outcomes[2], Quarantine)
    assert "truncated" in outcomes[2].reason


def test_records_over_the_size_cap_are_quarantined_unread(tmp_path: Path) -> None:
    written = write_warc(tmp_path / "big.warc.gz", [Entry("https://x/", "html", dev_page(0))])
    (outcome,) = _read(written.path, ReadConfig(max_bytes=1000))
    assert isinstance(outcome, Quarantine)
    assert "read.max_bytes=1000" in outcome.reason


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.floats(min_value=0.0, max_value=1.0), gz=st.booleans())
def test_any_truncation_never_raises_and_keeps_whole_records(
    tmp_path: Path, cut: float, gz: bool
) -> None:
    entries = [Entry(f"https://h.example/{i}", "html", dev_page(i)) for i in range(3)]
    written = write_warc(tmp_path / f"h{int(gz)}.warc", entries, gz=gz)
    data = written.path.read_bytes()
    end = int(len(data) * cut)
    written.path.write_bytes(data[:end])
    outcomes = _read(written.path)
    whole = [o for o in written.offsets[1:] if o <= end]  # records that end before the cut
    docs = [o for o in outcomes if isinstance(o, RawDocument)]
    assert len(docs) >= len(whole)
    assert len({o.source for o in outcomes}) == len(outcomes)


@pytest.mark.parametrize(
    ("name", "gz", "kind"),
    [
        ("archive.warc.gz", True, ArchiveKind.WARC),
        ("named-like-a-page.html", False, ArchiveKind.WARC),
        ("page.txt", None, None),
    ],
    ids=["warc.gz", "warc-with-misleading-name", "plain-page"],
)
def test_archives_are_sniffed_from_bytes_not_names(
    tmp_path: Path, name: str, gz: bool | None, kind: ArchiveKind | None
) -> None:
    path = tmp_path / name
    if gz is None:
        path.write_bytes(dev_page(0))
    else:
        write_warc(path, [Entry("https://s.example/", "html", dev_page(0))], gz=gz)
    assert archive_kind(path) is kind
    outcomes = list(iter_documents(InputFile(str(path), path), ReadConfig()))
    assert len(outcomes) == 1
    expected_source = f"{path}#0" if kind else str(path)
    assert outcomes[0].source == expected_source


# --- records whose headers lie ----------------------------------------------------------

GOOD_PAGE = dev_page(4)
GZIP_HEADERS = b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n"


def _lying(tmp_path: Path, bad: bytes, gz: bool, after: int = 2) -> tuple[Path, list[int]]:
    records = [raw_response(GOOD_PAGE), bad] + [raw_response(GOOD_PAGE)] * after
    path = tmp_path / ("lie.warc.gz" if gz else "lie.warc")
    return path, write_raw(path, records, gz)


def _summary(outcomes: list[RawDocument | Quarantine]) -> list[str | None]:
    """Per outcome: None for a document, else its reason."""
    return [o.reason if isinstance(o, Quarantine) else None for o in outcomes]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize(
    "length",
    [b"99999999999999999999999", b"-5", b"12abc", b""],
    ids=["huge", "negative", "junk", "empty"],
)
def test_an_invalid_content_length_costs_its_record_only(
    tmp_path: Path, gz: bool, length: bytes
) -> None:
    path, offsets = _lying(tmp_path, raw_response(GOOD_PAGE, content_length=length), gz)
    outcomes = _read(path)
    assert [o.source for o in outcomes] == [f"{path}#{o}" for o in offsets]  # no phantom
    reasons = _summary(outcomes)
    assert reasons[0] is None and reasons[2:] == [None, None]
    assert reasons[1] is not None and "invalid WARC Content-Length" in reasons[1]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("claim", [b"25000000", b"19000000"], ids=["over-max-bytes", "under"])
def test_a_record_claiming_more_than_it_holds_swallows_nothing(
    tmp_path: Path, gz: bool, claim: bytes
) -> None:
    path, offsets = _lying(tmp_path, raw_response(GOOD_PAGE, content_length=claim), gz, 49)
    outcomes = _read(path)
    assert [o.source for o in outcomes] == [f"{path}#{o}" for o in offsets]
    reasons = _summary(outcomes)
    assert reasons[1] is not None and reasons.count(None) == 50


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_broken_content_encoding_does_not_break_the_next_record(tmp_path: Path, gz: bool) -> None:
    bad = raw_response(b"this is not gzip at all" * 20, headers=GZIP_HEADERS)
    path, offsets = _lying(tmp_path, bad, gz)
    outcomes = _read(path)
    assert [o.source for o in outcomes] == [f"{path}#{o}" for o in offsets]
    reasons = _summary(outcomes)
    assert reasons[0] is None and reasons[2:] == [None, None], reasons
    assert reasons[1] is not None and "HTTP content encoding gzip: corrupt gzip" in reasons[1]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize(
    ("coding", "body"),
    [
        (b"gzip", lambda: zeros_gzip(50)),
        (b"br", lambda: brotli.compress(b"\0" * 50_000_000, quality=1)),
    ],
    ids=["gzip", "br"],
)
def test_a_content_encoding_bomb_stops_at_the_cap(
    tmp_path: Path, gz: bool, coding: bytes, body: Callable[[], bytes]
) -> None:
    headers = b"Content-Type: text/html\r\nContent-Encoding: " + coding + b"\r\n"
    path, _ = _lying(tmp_path, raw_response(body(), headers=headers), gz)
    config = ReadConfig(max_bytes=5_000_000)
    reasons = _summary(_read(path, config))
    assert reasons[0] is None and reasons[2:] == [None, None]
    assert reasons[1] is not None and "expands beyond" in reasons[1]
    assert "read.max_bytes" in reasons[1] and "read.max_gzip_ratio" in reasons[1]


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        (b"Content-Encoding: br\r\n", brotli.compress(GOOD_PAGE)),
        (b"Content-Encoding: deflate\r\n", zlib.compress(GOOD_PAGE)),
        (b"Content-Encoding: deflate\r\n", zlib.compress(GOOD_PAGE)[2:-4]),  # raw deflate
        (b"Content-Encoding: identity\r\n", GOOD_PAGE),
        (
            b"Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            b"%x\r\n%s\r\n0\r\n\r\n" % (len(gzip.compress(GOOD_PAGE)), gzip.compress(GOOD_PAGE)),
        ),
    ],
    ids=["br", "deflate", "raw-deflate", "identity", "chunked-gzip"],
)
def test_http_encodings_are_undone(tmp_path: Path, headers: bytes, body: bytes) -> None:
    path = tmp_path / "enc.warc"
    write_raw(path, [raw_response(body, headers=b"Content-Type: text/html\r\n" + headers)], False)
    (outcome,) = _read(path)
    assert isinstance(outcome, RawDocument) and outcome.data == GOOD_PAGE


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        (b"Content-Encoding: zstd\r\n", b"(zstd)", "unsupported HTTP content encoding 'zstd'"),
        (b"Transfer-Encoding: chunked\r\n", b"ZZ\r\nnot chunked", "broken chunked transfer"),
    ],
    ids=["zstd", "broken-chunks"],
)
def test_encodings_that_cannot_be_undone_are_named(
    tmp_path: Path, headers: bytes, body: bytes, reason: str
) -> None:
    path, _ = _lying(
        tmp_path, raw_response(body, headers=b"Content-Type: text/html\r\n" + headers), False
    )
    reasons = _summary(_read(path))
    assert reasons[0] is None and reasons[2:] == [None, None]
    assert reasons[1] is not None and reason in reasons[1]


def test_a_gzip_member_bomb_after_a_record_costs_nothing_else(tmp_path: Path) -> None:
    record = raw_response(GOOD_PAGE)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = compressor.compress(record)
    bomb += b"".join(compressor.compress(b"\0" * (1 << 20)) for _ in range(100))
    bomb += compressor.flush()
    first, last = gzip.compress(record), gzip.compress(record)
    path = tmp_path / "member-bomb.warc.gz"
    path.write_bytes(first + bomb + last)
    outcomes = _read(path)
    assert [o.source for o in outcomes] == [
        f"{path}#0",
        f"{path}#{len(first)}",
        f"{path}#{len(first) + len(bomb)}",
    ]
    assert all(isinstance(o, RawDocument) for o in outcomes)


def test_a_bomb_member_of_its_own_is_one_cheap_quarantine(tmp_path: Path) -> None:
    first = gzip.compress(raw_response(GOOD_PAGE))
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(first + zeros_gzip(200) + first)
    started = time.perf_counter()
    outcomes = _read(path)
    assert time.perf_counter() - started < 2  # the member is inflated to its cap, not 200 MB
    assert [type(o) for o in outcomes] == [RawDocument, Quarantine, RawDocument]
    assert outcomes[1].source == f"{path}#{len(first)}"


def test_a_gzip_member_stream_stops_at_its_cap(tmp_path: Path) -> None:
    path = tmp_path / "zeros.gz"
    path.write_bytes(zeros_gzip(50) + b"next")
    with open(path, "rb") as fh:
        member = GzipMember(fh, 0, ReadConfig())
        assert member.finish() is None
    assert member.failure is not None and "gzip member expands beyond" in member.failure
    assert "read.max_gzip_ratio" in member.failure


def test_a_gzip_member_stream_ends_where_its_member_ends(tmp_path: Path) -> None:
    first, second = gzip.compress(b"first" * 1000), gzip.compress(b"second")
    path = tmp_path / "two.gz"
    path.write_bytes(first + second)
    with open(path, "rb") as fh:
        member = GzipMember(fh, 0, ReadConfig())
        assert member.read(-1) == b"first" * 1000 and member.read(10) == b""
        assert member.end == len(first)
        assert GzipMember(fh, len(first), ReadConfig()).read(100) == b"second"


def test_a_warc_gzipped_whole_gives_each_record_its_own_source(tmp_path: Path) -> None:
    records = [raw_response(GOOD_PAGE, url=f"https://w.example/{i}".encode()) for i in range(3)]
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(b"".join(records)))
    outcomes = _read(path)
    inner = [0, len(records[0]), len(records[0]) + len(records[1])]
    assert [o.source for o in outcomes] == [
        f"{path}#0",
        f"{path}#0+{inner[1]}",
        f"{path}#0+{inner[2]}",
    ]
    assert [o.url for o in outcomes if isinstance(o, RawDocument)] == [
        f"https://w.example/{i}" for i in range(3)
    ]


def test_a_target_uri_that_is_no_http_url_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "uri.warc"
    write_raw(path, [raw_response(GOOD_PAGE, url=b"javascript:alert(1)")], False)
    (outcome,) = _read(path)
    assert isinstance(outcome, RawDocument) and outcome.url is None

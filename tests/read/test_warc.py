"""WARC archives: HTML responses become documents, every other response a quarantine
with its offset, and damage to one record never hides the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import ReadConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.read.archive import ArchiveKind, archive_kind
from pipeline.read.inputs import InputFile
from pipeline.read.page import iter_documents
from pipeline.read.warc import iter_warc
from tests.warc_fixtures import Entry, dev_page, write_warc

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

"""Reading inputs: every path becomes a document or a record, whatever sits on the disk."""

from __future__ import annotations

import gzip
import json
import os
import socket
import sys
import zlib
from pathlib import Path

import pytest

from pipeline.config import ReadConfig
from pipeline.errors import InputError
from pipeline.model import Quarantine, RawDocument
from pipeline.read.bounded import gunzip_capped
from pipeline.read.inputs import InputFile, expand_inputs
from pipeline.read.page import decode_container, iter_documents, read_file

PAGE = b"<html><body><p>Some article text.</p></body></html>"


def expand(*inputs: str | Path) -> list[InputFile | Quarantine]:
    return list(expand_inputs([str(i) for i in inputs]))


def sources(items: list[InputFile | Quarantine]) -> list[str]:
    return [i.source for i in items]


def quarantined(items: list[InputFile | Quarantine]) -> dict[str, str]:
    return {i.source: i.reason for i in items if isinstance(i, Quarantine)}


# --- expanding inputs -------------------------------------------------------------------


def test_folders_are_walked_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b/2.html", "b/1.html", "a.html", "c/d/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(PAGE)
    got = [Path(s).relative_to(tmp_path).as_posix() for s in sources(expand(tmp_path))]
    assert got == ["a.html", "b/1.html", "b/2.html", "c/d/e.txt"]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_bytes(PAGE)
    assert len(expand(page, tmp_path, str(tmp_path / "*.html"))) == 1


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="input not found"):
        expand(tmp_path / "nope")


@pytest.mark.parametrize(
    "name",
    [
        "with space.html",
        "ünïcødé 新闻.html",
        "..%2f..%2fetc%2fpasswd",
        "-rf",
        "a\nb.html",
        ".hidden",
    ],
    ids=["space", "non-ascii", "dotdot-encoded", "dash", "newline", "hidden"],
)
def test_odd_file_names_are_read_as_they_are(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(PAGE)
    (item,) = expand(tmp_path)
    assert isinstance(item, InputFile)
    assert item.source == str(tmp_path / name)
    doc = read_file(item, ReadConfig())
    assert isinstance(doc, RawDocument) and doc.data == PAGE


def test_undecodable_file_name_gets_a_writable_source(tmp_path: Path) -> None:
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9.html"  # Latin-1 byte in a UTF-8 world
    with open(raw_name, "wb") as fh:
        fh.write(PAGE)
    (item,) = expand(tmp_path)
    assert isinstance(item, InputFile)
    assert item.source.endswith("caf\\xe9.html")
    json.dumps({"source": item.source}, ensure_ascii=False).encode("utf-8")  # no surrogates
    assert isinstance(read_file(item, ReadConfig()), RawDocument)


def test_fifo_is_recorded_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.html")  # opening it for reading would block forever
    assert quarantined(expand(tmp_path)) == {
        str(tmp_path / "pipe.html"): "not a regular file (named pipe)"
    }


def test_fifo_swapped_in_after_listing_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "late.html")
    outcome = read_file(InputFile("late.html", tmp_path / "late.html"), ReadConfig())
    assert isinstance(outcome, Quarantine)
    assert outcome.reason == "not a regular file (named pipe)"


def test_unix_socket_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        assert quarantined(expand(tmp_path)) == {str(path): "not a regular file (socket)"}
    finally:
        server.close()


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_device_is_recorded() -> None:
    assert quarantined(expand("/dev/null")) == {"/dev/null": "not a regular file (device)"}


def test_symlink_loop_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert set(quarantined(expand(tmp_path)).values()) == {"broken or looping symbolic link"}


def test_symlinked_folder_inside_an_input_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "page.html").write_bytes(PAGE)
    (tmp_path / "dump" / "up").symlink_to(tmp_path)  # a loop back to the top
    items = expand(tmp_path / "dump")
    assert sources(items) == [str(tmp_path / "dump/page.html"), str(tmp_path / "dump/up")]
    assert quarantined(items) == {
        str(tmp_path / "dump/up"): "symbolic link to a folder: not followed"
    }


def test_symlinked_folder_named_by_the_user_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "page.html").write_bytes(PAGE)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert sources(expand(tmp_path / "link")) == [str(tmp_path / "link/page.html")]


def test_recursive_glob_does_not_loop_through_symlinks(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_bytes(PAGE)
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    files = [i for i in expand(str(tmp_path / "**")) if isinstance(i, InputFile)]
    assert sources(files) == [str(tmp_path / "a/page.html")]  # once, not once per loop level


def test_very_deep_folders_do_not_overflow(tmp_path: Path) -> None:
    depth = sys.getrecursionlimit() + 200
    deep = tmp_path
    for _ in range(depth):  # os.makedirs itself recurses
        deep = deep / "d"
        deep.mkdir()
    (deep / "page.html").write_bytes(PAGE)
    try:
        assert sources(expand(tmp_path)) == [str(deep / "page.html")]
    finally:
        # shutil.rmtree (used by pytest's tmp_path cleanup) recurses per level and would
        # overflow on this tree in a later session: take it down bottom-up here.
        (deep / "page.html").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


# --- reading files ------------------------------------------------------------------------


def read_bytes(tmp_path: Path, data: bytes, config: ReadConfig | None = None) -> object:
    path = tmp_path / "input.html.gz"
    path.write_bytes(data)
    return read_file(InputFile(str(path), path), config or ReadConfig())


def test_plain_file_is_read(tmp_path: Path) -> None:
    doc = read_bytes(tmp_path, PAGE)
    assert isinstance(doc, RawDocument) and doc.data == PAGE


def test_file_over_the_cap_is_quarantined_without_reading_it(tmp_path: Path) -> None:
    outcome = read_bytes(tmp_path, b"x" * 2000, ReadConfig(max_bytes=1000))
    assert isinstance(outcome, Quarantine)
    assert outcome.reason == "file too large: 2000 bytes > read.max_bytes=1000"


def test_default_cap_is_tens_of_megabytes() -> None:
    assert 10_000_000 <= ReadConfig().max_bytes <= 50_000_000


def test_gzip_is_undone_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"  # no .gz suffix: the magic bytes decide
    path.write_bytes(gzip.compress(PAGE))
    doc = read_file(InputFile(str(path), path), ReadConfig())
    assert isinstance(doc, RawDocument) and doc.data == PAGE


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (gzip.compress(PAGE) + gzip.compress(PAGE), PAGE + PAGE),
        (gzip.compress(gzip.compress(PAGE)), PAGE),
        (gzip.compress(PAGE) + b"\x00" * 64, PAGE),
        (gzip.compress(b""), b""),
    ],
    ids=["multi-member", "nested", "trailing-padding", "empty-content"],
)
def test_good_gzip_variants(data: bytes, expected: bytes) -> None:
    doc = decode_container("x.gz", data, ReadConfig())
    assert isinstance(doc, RawDocument) and doc.data == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gzip.compress(PAGE * 50)[:-30], "truncated gzip"),
        (gzip.compress(PAGE)[:12], "truncated gzip"),
        (b"\x1f\x8b" + b"this is not deflate data at all" * 3, "corrupt gzip"),
        (b"\x1f\x8b", "truncated gzip"),
    ],
    ids=["cut-tail", "header-only", "magic-then-junk", "magic-only"],
)
def test_broken_gzip_is_quarantined(data: bytes, reason: str) -> None:
    outcome = decode_container("x.gz", data, ReadConfig())
    assert isinstance(outcome, Quarantine) and outcome.stage == "read"
    assert outcome.reason.startswith(reason), outcome.reason


def test_gzip_bomb_stops_at_the_cap_not_at_the_end() -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)  # ~200 kB on disk
    outcome = decode_container("bomb.gz", bomb, ReadConfig())
    assert isinstance(outcome, Quarantine)
    assert "possible gzip bomb" in outcome.reason and "read.max_gzip_ratio" in outcome.reason


def test_gzip_nested_too_deep_is_quarantined() -> None:
    data = PAGE
    for _ in range(5):
        data = gzip.compress(data)
    outcome = decode_container("x.gz", data, ReadConfig())
    assert isinstance(outcome, Quarantine)
    assert outcome.reason == "gzip nested more than 3 levels deep"


def test_gunzip_capped_never_returns_more_than_the_cap() -> None:
    data = gzip.compress(os.urandom(50_000))
    assert (
        gunzip_capped(data, 10_000) == "gzip expands beyond 10000 bytes (possible gzip bomb; "
        "limits: read.max_bytes, read.max_gzip_ratio)"
    )
    assert isinstance(gunzip_capped(data, 50_000), bytes)


def test_raw_deflate_without_gzip_header_is_not_mistaken_for_gzip() -> None:
    data = zlib.compress(PAGE)
    doc = decode_container("x.gz", data, ReadConfig())
    assert isinstance(doc, RawDocument) and doc.data == data  # decode will judge the bytes


def test_iter_documents_passes_records_through() -> None:
    record = Quarantine("a", "why", "read")
    assert list(iter_documents(record, ReadConfig())) == [record]


def test_one_file_reached_by_several_paths_is_read_once_under_its_first_name(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "x.html").write_bytes(PAGE)
    os.link(folder / "x.html", folder / "y-hard-link.html")
    (folder / "z-symlink.html").symlink_to(folder / "x.html")
    dotted = str(tmp_path / "seeds" / ".." / "seeds" / "x.html")
    got = sources(expand(dotted, folder / "x.html", folder))
    assert got == [dotted]

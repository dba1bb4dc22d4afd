"""The persistent cross-run index: embedded SQLite and shared Redis, same behaviour."""

from __future__ import annotations

import dataclasses
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.config import CrossdocConfig
from pipeline.crossdoc import apply_crossdoc
from pipeline.crossdoc.index import open_index
from pipeline.crossdoc.index.base import estimate_jaccard
from pipeline.errors import IndexStoreError
from pipeline.model import Article
from tests.support import make_record


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed (.ci/run installs it)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--dir", str(folder), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    url: str = request.getfixturevalue("redis_url")
    index = open_index(url, tmp_path, 10)
    assert index is not None
    index.reset()
    index.close()
    yield url


def run_once(records: list, out: Path, spec: str, **changes: object) -> list:  # type: ignore[type-arg]
    config = dataclasses.replace(CrossdocConfig(index=spec), **changes)  # type: ignore[arg-type]
    index = open_index(config.index, out, config.max_bucket)
    try:
        result = apply_crossdoc(records, config, index)
    finally:
        if index is not None:
            index.close()
    return list(result.articles)


def test_later_run_keeps_earlier_canonical(
    seed_articles: dict[str, Article], tmp_path: Path, backend: str
) -> None:
    texts = [p.text for p in seed_articles["000"].paragraphs]
    short = make_record(texts[:-1], "run1/short.txt")
    full = make_record(texts, "run2/full.txt")
    other = make_record([p.text for p in seed_articles["001"].paragraphs], "run2/other.txt")
    (first,) = run_once([short], tmp_path, backend)
    assert first["duplicate_of"] is None
    second = run_once([full, other], tmp_path, backend)
    assert second[0]["duplicate_of"] == short["id"]  # more complete, but seen later
    assert second[0]["duplicate_reason"] == "jaccard-estimate"
    assert second[1]["duplicate_of"] is None
    again = run_once([full, other], tmp_path, backend)
    assert again == second  # idempotent
    fresh = run_once([full, other], tmp_path, backend, reset_index=True)
    assert fresh[0]["duplicate_of"] is None


def test_rerun_of_a_run_with_copies_is_idempotent(
    seed_articles: dict[str, Article], tmp_path: Path, backend: str
) -> None:
    texts = [p.text for p in seed_articles["004"].paragraphs]
    records = [
        make_record(texts, "a.txt"),
        make_record(texts[:-2], "b.txt"),
        make_record(texts[2:], "c.txt"),
    ]
    first = run_once(records, tmp_path, backend)
    assert [r["duplicate_of"] for r in first] == [None, records[0]["id"], records[0]["id"]]
    assert run_once(records, tmp_path, backend) == first
    assert run_once(records[1:], tmp_path, backend)[0]["duplicate_of"] == records[0]["id"]


def test_index_with_other_settings_is_refused(tmp_path: Path) -> None:
    run_once([make_record(["One two three four five six seven."], "a.txt")], tmp_path, "")
    with pytest.raises(IndexStoreError, match="reset-index"):
        run_once([make_record(["x y z"], "b.txt")], tmp_path, "", num_perm=64)
    run_once([make_record(["x y z"], "b.txt")], tmp_path, "", num_perm=64, reset_index=True)


def test_index_of_an_older_shingle_hashing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Band hashes made from other shingle hashes cannot match: the hashing's name is
    part of the index settings, so an index from before a change of it is refused."""
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.crossdoc.signing.HASH_VERSION", "tok-xxh3-chain-fmix64")
        run_once([make_record(["One two three four five six seven."], "a.txt")], tmp_path, "")
    with pytest.raises(IndexStoreError, match=r"tok-xxh3-chain-fmix64.*reset-index"):
        run_once([make_record(["One two three four five six seven."], "a.txt")], tmp_path, "")


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        pytest.param("ftp://host/x", "unsupported", id="scheme"),
        pytest.param("redis://127.0.0.1:1/0", "cannot reach", id="no-server"),
    ],
)
def test_bad_index_spec(tmp_path: Path, spec: str, error: str) -> None:
    with pytest.raises(IndexStoreError, match=error):
        open_index(spec, tmp_path, 10)


def test_one_batch_cannot_overfill_a_bucket(tmp_path: Path, backend: str) -> None:
    """Both stores count what the batch itself added to a bucket, and a key once."""
    from pipeline.crossdoc.index.base import Entry

    index = open_index(backend, tmp_path, 2)
    assert index is not None
    try:
        entries = [Entry(f"k{i}", 1, f"k{i}", (7, 8)) for i in (0, 1, 2, 1)]
        assert index.add(entries) == 2  # k2 finds both its buckets full
        assert index.query([(7, 8)]) == [{"k0", "k1"}]
    finally:
        index.close()


def test_bucket_cap_refuses_and_reports(tmp_path: Path) -> None:
    records = [
        make_record(["Same words in every one of these short test articles here."], f"{i}.txt")
        for i in range(5)
    ]
    index = open_index("", tmp_path, 2)
    assert index is not None
    result = apply_crossdoc(records, CrossdocConfig(max_bucket=2), index)
    index.close()
    assert result.counts.index_added == 1  # one key: identical texts, identical ids
    assert result.counts.document_clusters == 1


@pytest.mark.parametrize(
    ("agree", "expected"),
    [
        pytest.param(4, 1.0, id="all"),
        pytest.param(0, 0.0, id="none"),
        pytest.param(1, 0.25**0.5, id="quarter"),
    ],
)
def test_estimate_jaccard(agree: int, expected: float) -> None:
    a = (1, 2, 3, 4)
    b = tuple(x if i < agree else 0 for i, x in enumerate(a))
    assert estimate_jaccard(a, b, rows=2) == pytest.approx(expected)


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda store: store.begin_run(), id="begin_run"),
        pytest.param(lambda store: store.query([[1, 2]]), id="query"),
        pytest.param(lambda store: store.entries(["a"]), id="entries"),
        pytest.param(lambda store: store.reset(), id="reset"),
    ],
)
def test_a_sqlite_failure_after_opening_is_an_index_error(tmp_path: Path, action) -> None:
    """A full disk or a corrupt file met mid-run must reach the run as an index failure
    (which it reports and survives), not as a raw sqlite3 traceback."""
    from pipeline.crossdoc.index.sqlite import SqliteIndex

    store = SqliteIndex(tmp_path / "index.sqlite", max_bucket=10)
    store.db.close()  # every later statement fails inside sqlite3
    with pytest.raises(IndexStoreError, match=r"index .*index\.sqlite: cannot"):
        action(store)

"""Archives whose records lie or explode, beside good ones: the run finishes, every good
record is an article, and each bad one costs itself only, with a reason naming the cap.

Once, one WARC `Content-Length: 99999999999999999999999` crashed the run; a record with
HTTP `Content-Encoding: gzip` inflating 2 KB to 800 MB took 2.7 GB; a record after a
broken encoding was quarantined too ("No reader set"); a record claiming 25 MB swallowed
the 49 after it; a negative length added a phantom line; 300 KB of gzipped newlines in a
JSONL.gz stalled the run for 132 s. All inputs are generated here, scaled down;
`bench/hostile.py` runs the full sizes.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.runtime import run
from tests.behaviour.test_hostile_strings import page
from tests.warc_fixtures import raw_response, write_raw, zeros_gzip

ENCODED = b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n"


def _good(i: int) -> bytes:
    return raw_response(page(i).encode(), url=f"https://good.example/{i}".encode())


def build(folder: Path) -> tuple[set[str], dict[str, str]]:
    """Write the archives; return the sources that must be articles, and the bad sources
    with a fragment of their reason."""
    good: set[str] = set()
    bad: dict[str, str] = {}
    lies = {
        "huge-length": (raw_response(b"x", content_length=b"9" * 23), "invalid WARC Content-"),
        "negative-length": (raw_response(b"x", content_length=b"-5"), "invalid WARC Content-"),
        "broken-encoding": (raw_response(b"not gzip" * 50, headers=ENCODED), "corrupt gzip"),
        "encoding-bomb": (raw_response(zeros_gzip(100), headers=ENCODED), "expands beyond"),
        "claims-25-mb": (raw_response(b"x", content_length=b"25000000"), "record too large"),
    }
    for n, (name, (lie, reason)) in enumerate(lies.items()):
        for gz in (False, True):
            path = folder / f"{name}.warc{'.gz' if gz else ''}"
            after = 49 if name == "claims-25-mb" else 3
            records = [_good(100 * n), lie] + [_good(100 * n + k) for k in range(1, after + 1)]
            offsets = write_raw(path, records, gz)
            good |= {f"{path}#{o}" for i, o in enumerate(offsets) if i != 1}
            bad[f"{path}#{offsets[1]}"] = reason
    lines = [json.dumps({"html": page(900 + i), "url": f"https://j.example/{i}"}) for i in range(3)]
    dump = folder / "newlines.jsonl.gz"
    dump.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()) + _newlines_gzip(40))
    good |= {f"{dump}#L{i}" for i in (1, 2, 3)}
    return good, bad


def _newlines_gzip(megabytes: int) -> bytes:
    return gzip.compress(b"\n" * (megabytes << 20), compresslevel=9)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], dict[str, str], Path]:
    root = tmp_path_factory.mktemp("archives")
    dump = root / "dump"
    dump.mkdir()
    good, bad = build(dump)
    started = time.perf_counter()
    run([str(dump)], root / "out", PipelineConfig(parallel=ParallelConfig(workers=2)))
    assert time.perf_counter() - started < 120
    return good, bad, root / "out"


def _records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_good_record_is_an_article(outputs: tuple[set[str], dict[str, str], Path]) -> None:
    good, _, out = outputs
    articles = {r["source"] for r in _records(out / "articles.jsonl")}
    assert good - articles == set()


def test_each_bad_record_is_one_quarantine_line_with_its_reason(
    outputs: tuple[set[str], dict[str, str], Path],
) -> None:
    _, bad, out = outputs
    quarantined = _records(out / "quarantine.jsonl")
    sources = [q["source"] for q in quarantined]
    assert len(sources) == len(set(sources))  # no record twice
    reasons = {q["source"]: q["reason"] for q in quarantined}
    for source, fragment in bad.items():
        assert fragment in reasons.get(source, ""), (source, reasons.get(source))
    stopped = [r for s, r in reasons.items() if "newlines.jsonl.gz" in s]
    assert len(stopped) == 1 and "read.max_gzip_ratio" in stopped[0]
    assert set(reasons) - set(bad) == {s for s in reasons if "newlines.jsonl.gz" in s}

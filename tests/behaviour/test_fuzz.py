"""Random and mutated bytes through read -> extract -> clean: nothing escapes, nothing is lost.

`process_document` catches everything by design, so "no exception escapes" alone could
not fail; the real invariants are that no input ends in an *unexpected* error (a bug in
a stage), that every article is well formed and writable, and that every input file
comes out exactly once.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.model import Article, Quarantine, RawDocument, article_id
from pipeline.process import process_document
from pipeline.read.inputs import expand_inputs
from pipeline.read.page import decode_container
from pipeline.records import article_record
from pipeline.runtime.engine import process_items
from tests.support import SEEDS

CONFIG = PipelineConfig(parallel=ParallelConfig(workers=1))
STAGES = {"read", "extract", "clean", "dedupe"}
SEED_BYTES = [p.read_bytes()[:30_000] for p in sorted(SEEDS.iterdir())]
TOKENS = [
    b"<div>" * 300,
    b"</div>" * 50,
    b"<!--",
    b"<![CDATA[",
    b"<script>",
    b"</body></html>",
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<meta charset="shift_jis">',
    b"\x00\x00\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"&#xFFFFFFFF;&#0;&#xD800;",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>&a;",
    b"\x1f\x8b\x08\x00",
    b"[link](http://example.com/" + b"(" * 50,
    b"\n# heading\n\n- item\n",
    b"\xe4\xb8\xad\xe6\x96\x87",
    b"\r\r\r\n\n\n\t\t",
]


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "token", "delete", "truncate", "repeat"]))
        if op == "flip" and where < len(data):
            data[where] = draw(st.integers(0, 255))
        elif op == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=64))
        elif op == "token":
            data[where:where] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[where : where + draw(st.integers(1, 2000))]
        elif op == "truncate":
            del data[where:]
        elif op == "repeat":
            data[where:where] = data[where : where + 200] * draw(st.integers(2, 20))
    blob = bytes(data)
    if draw(st.booleans()) and draw(st.booleans()):
        blob = gzip.compress(blob)
        if draw(st.booleans()):
            blob = blob[: draw(st.integers(0, len(blob)))]
    return blob


TEXT = st.text(
    alphabet=st.sampled_from(list("abc xyz.,;'\"<>&#/é中\u200b\n")), min_size=0, max_size=60
)
TAGS = st.sampled_from(["p", "div", "span", "a", "h1", "li", "ul", "table", "td", "script", "nav"])


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attr, inner, close: (
            f"<{tag}{attr}>{''.join(inner)}" + (f"</{tag}>" if close else "")
        ),
        TAGS,
        st.sampled_from(["", ' class="x"', " href='http://198.51.100.7/'", ' id="a" b', " ="]),
        st.lists(children, max_size=4),
        st.booleans(),
    )


SMALL_HTML = st.builds(
    lambda head, body: f"<html><head>{head}</head><body>{body}</body></html>".encode(),
    st.sampled_from(["", "<title>t</title>", '<meta charset="utf-8">', "<script>x</script>"]),
    st.recursive(TEXT, element, max_leaves=25),
)

ANY_INPUT = st.one_of(st.binary(max_size=4000), mutated_seed(), SMALL_HTML)


def check(outcome: Article | Quarantine) -> None:
    event(f"{type(outcome).__name__} at {getattr(outcome, 'stage', 'end')}")
    if isinstance(outcome, Quarantine):
        assert outcome.reason and outcome.stage in STAGES
        assert not outcome.reason.startswith("unexpected"), outcome.reason
        return
    assert outcome.paragraphs and all(p.text for p in outcome.paragraphs)
    assert "\x00" not in outcome.text
    record = article_record(outcome)
    assert record["id"] == article_id(outcome.text)
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # writable as the JSONL is


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_INPUT)
def test_any_bytes_read_extract_clean(data: bytes) -> None:
    raw = decode_container("fuzz", data, CONFIG.read)
    if isinstance(raw, Quarantine):
        check(raw)
        return
    check(process_document(raw, CONFIG))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(ANY_INPUT, min_size=1, max_size=4))
def test_every_fuzzed_file_is_accounted_for(tmp_path: Path, blobs: list[bytes]) -> None:
    folder = tmp_path / f"case-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    for i, blob in enumerate(blobs):
        (folder / f"{i}.html").write_bytes(blob)
    outcomes = list(process_items(expand_inputs([str(folder)]), CONFIG))
    files = {str(folder / f"{i}.html") for i in range(len(blobs))}
    # Bytes that happen to look like an archive (WARC...) give `file#record` sources.
    assert {o.source.partition("#")[0] for o in outcomes} == files
    whole = [o.source for o in outcomes if "#" not in o.source]
    assert len(whole) == len(set(whole))
    for outcome in outcomes:
        check(outcome)


def test_mutations_really_reach_extraction() -> None:
    # Guard against a fuzzer that only ever feeds the read stage.
    sample = SEED_BYTES[0][:5000] + b"<div>" * 300
    outcome = process_document(RawDocument("seed", sample), CONFIG)
    assert isinstance(outcome, Article | Quarantine)
    assert not isinstance(outcome, Quarantine) or outcome.stage != "read"

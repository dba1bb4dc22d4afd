"""Atomic writes and one-record-per-line JSONL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.output.atomic import write_atomic
from pipeline.output.jsonl import dumps, write_jsonl


@given(st.text())
def test_every_record_is_exactly_one_line_for_every_reader(text: str) -> None:
    line = dumps({"text": text})
    assert len(line.splitlines()) == 1
    assert json.loads(line) == {"text": text}


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "articles.jsonl"
    target.write_text("old\n")

    def records() -> object:
        yield {"a": 1}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(target, records())  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]


def test_write_atomic_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.md"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["file.md"]

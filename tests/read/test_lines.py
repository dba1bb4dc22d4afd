"""Lines of a stream: numbered like `splitlines`, blank runs skipped fast, within the caps."""

from __future__ import annotations

import io
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ExpansionCapError
from pipeline.read import lines as lines_module
from pipeline.read.lines import Lines


def naive(data: bytes, max_line: int) -> list[tuple[int, bytes | None]]:
    out: list[tuple[int, bytes | None]] = []
    for number, whole in enumerate(data.split(b"\n"), start=1):
        line = whole.lstrip(b" \t") + b"\n"
        if number == data.count(b"\n") + 1:  # the last, unterminated part
            line = line[:-1]
        if len(line) > max_line and line.strip():
            out.append((number, None))
        elif line.strip():
            out.append((number, line))
    return out


@given(
    data=st.lists(st.sampled_from([b"a", b"bb", b" ", b"\t", b"\n", b"\n\n\n", b"{x}"])).map(
        b"".join
    ),
    chunk=st.integers(min_value=1, max_value=9),
    max_line=st.integers(min_value=1, max_value=12),
)
def test_numbers_and_lines_match_a_naive_split(data: bytes, chunk: int, max_line: int) -> None:
    expected = naive(data, max_line)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lines_module, "CHUNK", chunk)
        got = list(Lines(io.BytesIO(data), max_line))
    assert got == expected


def test_a_long_run_of_blank_lines_is_skipped_in_c() -> None:
    data = b'{"text": "first"}\n' + b"\n" * 50_000_000 + b'{"text": "last"}\n'
    started = time.perf_counter()
    got = list(Lines(io.BytesIO(data), 1000))
    assert time.perf_counter() - started < 5  # a Python call per line took ~20 s
    assert [n for n, _ in got] == [1, 50_000_002]


def test_blank_lines_count_toward_the_cap() -> None:
    reader = Lines(io.BytesIO(b"{}\n" + b"\n" * 10_000_000), 1000, cap=2_000_000)
    with pytest.raises(ExpansionCapError, match="expands beyond 2000000 bytes"):
        list(reader)
    assert reader.number >= 1

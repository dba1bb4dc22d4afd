"""RecordSpool behaves like the list it replaces, with the records on disk."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.runtime.spool import RecordSpool

records = st.lists(
    st.dictionaries(
        st.text(max_size=5),
        st.none() | st.booleans() | st.integers() | st.text() | st.lists(st.text(), max_size=3),
        max_size=4,
    ),
    max_size=30,
)


@given(records=records, start=st.integers(-40, 40), stop=st.integers(-40, 40))
def test_spool_reads_back_like_a_list(records: list[dict[str, Any]], start: int, stop: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spool: RecordSpool[dict[str, Any]] = RecordSpool(Path(folder), "t")
        for record in records:
            spool.append(record)
        assert len(spool) == len(records)
        assert list(spool) == records
        assert list(spool) == records  # a second pass reads the file again
        assert spool[start:stop] == records[start:stop]
        for i in (0, -1, len(records) // 2):
            if records:
                assert spool[i] == records[i]
        path = spool.path
        spool.close()
        assert not path.exists()
        assert len(spool) == 0


def test_spool_indexing_out_of_range_raises_like_a_list(tmp_path: Path) -> None:
    with RecordSpool[dict[str, int]](tmp_path, "t") as spool:
        spool.append({"a": 1})
        assert spool[0] == {"a": 1}
        with pytest.raises(IndexError):
            spool[1]
    assert not list(tmp_path.iterdir())

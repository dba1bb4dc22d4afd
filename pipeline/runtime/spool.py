"""Output records parked on disk while a run goes on, so memory does not grow with it.

A run of a hundred thousand articles would hold gigabytes of records until the corpus-
level steps and the writers get them. Records are instead appended to a temporary JSONL
file next to the outputs and read back lazily: a `Sequence` whose items live on disk
(only each record's byte offset is kept in memory, 8 bytes a record), so the corpus-level
steps and writers can iterate, slice and index it as often as they need while holding a
record at a time.
"""

from __future__ import annotations

import json
import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Generic, TypeVar, overload

R = TypeVar("R")


class RecordSpool(Sequence[R], Generic[R]):
    """An append-then-read sequence of JSON records backed by a temporary file."""

    def __init__(self, folder: Path, name: str) -> None:
        fd, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".spool.jsonl")
        self.path = Path(path)
        self._writer = os.fdopen(fd, "wb")
        self._offsets: array[int] = array("q")
        self._reader: IO[bytes] | None = None

    def append(self, record: R) -> None:
        self._offsets.append(self._writer.tell())
        self._writer.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        self._writer.write(b"\n")

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self) -> Iterator[R]:
        self._writer.flush()
        with open(self.path, "rb") as fh:
            for _, line in zip(range(len(self._offsets)), fh, strict=False):
                record: R = json.loads(line)
                yield record

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> list[R]: ...

    def __getitem__(self, index: int | slice) -> R | list[R]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        offset = self._offsets[index]  # IndexError as for a list
        self._writer.flush()
        if self._reader is None:
            self._reader = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        self._reader.seek(offset)
        record: R = json.loads(self._reader.readline())
        return record

    def close(self) -> None:
        """Delete the file; the spool is empty afterwards."""
        for fh in (self._writer, self._reader):
            if fh is not None and not fh.closed:
                fh.close()
        self.path.unlink(missing_ok=True)
        self._offsets = array("q")

    def __enter__(self) -> RecordSpool[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Output records parked on disk while a run goes on, so memory does not grow with it.

A run of a hundred thousand articles would hold gigabytes of records until the corpus-
level steps and the writers get them. Records are instead appended to a temporary JSONL
file next to the outputs and read back lazily: a `Sequence` whose items live on disk
(only each record's byte offset is kept in memory, 8 bytes a record), so the corpus-level
steps and writers can iterate, slice and index it as often as they need while holding a
record at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Generic, TypeVar, overload

from pipeline.errors import OutputError
from pipeline.output.owned import TEMP_PREFIX

R = TypeVar("R")


class RecordSpool(Sequence[R], Generic[R]):
    """An append-then-read sequence of JSON records backed by a temporary file."""

    def __init__(self, folder: Path, name: str) -> None:
        try:
            fd, path = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=f"-{name}.spool")
        except OSError as exc:
            raise spool_error(folder, exc) from exc
        self.path = Path(path)
        self._writer = os.fdopen(fd, "wb")
        self._offsets: array[int] = array("q")
        self._reader: IO[bytes] | None = None

    def append(self, record: R) -> None:
        line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            offset = self._writer.tell()
            self._writer.write(line)
        except OSError as exc:  # a full disk: one line for the user, not a traceback
            raise spool_error(self.path.parent, exc) from exc
        self._offsets.append(offset)

    def _flush(self) -> None:
        try:
            self._writer.flush()
        except OSError as exc:
            raise spool_error(self.path.parent, exc) from exc

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self) -> Iterator[R]:
        self._flush()
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
        self._flush()
        if self._reader is None:
            self._reader = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        self._reader.seek(offset)
        record: R = json.loads(self._reader.readline())
        return record

    def close(self) -> None:
        """Delete the file; the spool is empty afterwards. The file goes also when closing
        it fails (a full disk fails the last flush): a spool is never left behind."""
        try:
            for fh in (self._writer, self._reader):
                if fh is not None and not fh.closed:
                    # what it could not flush (a full disk) goes with the file
                    with contextlib.suppress(OSError):
                        fh.close()
        finally:
            self.path.unlink(missing_ok=True)
            self._offsets = array("q")

    def __enter__(self) -> RecordSpool[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def spool_error(folder: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot spool records in {folder}: {exc.strerror or exc}")

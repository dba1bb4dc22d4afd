"""Atomic output files: nothing is ever visible half-written under its final name."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.output.owned import TEMP_PREFIX

OUTPUT_MODE = 0o644
"""Outputs are for other tools and users: readable by all (mkstemp would make them 0600)."""


def write_atomic(path: Path, content: str) -> None:
    with AtomicFile(path) as fh:
        fh.write(content)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary sibling for writers that open the file themselves (pyarrow).

    Renamed over `path` only if the block succeeds; removed otherwise.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=f"-{path.name}.tmp")
    os.fchmod(fd, OUTPUT_MODE)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class AtomicFile:
    """Context manager: a temp file in the target's folder, renamed on success only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp: Path | None = None
        self.fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            dir=self.path.parent, prefix=TEMP_PREFIX, suffix=f"-{self.path.name}.tmp"
        )
        os.fchmod(fd, OUTPUT_MODE)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.fh

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.fh is not None and self.tmp is not None
        try:
            try:
                if exc_type is None:
                    self.fh.flush()
                    os.fsync(self.fh.fileno())
            finally:
                self.fh.close()  # also when the flush failed (a full disk): no fd left open
            if exc_type is None:
                os.replace(self.tmp, self.path)
        except OSError as failed:
            if failed.filename is None and failed.errno is not None:
                raise OSError(failed.errno, failed.strerror, str(self.path)) from failed
            raise
        finally:
            self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None and exc.errno is not None:
            # a write that failed (a full disk) names no file: name the one it was for
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc

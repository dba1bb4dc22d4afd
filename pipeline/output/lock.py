"""One run per output folder at a time.

Two runs writing the same `--out` would interleave their files (one's articles.jsonl
with the other's quarantine.jsonl). The second run must stop with a clear error
instead. `fcntl.flock` on a file inside the folder does that, and the kernel releases
the lock when its holder dies — even by SIGKILL — so a crashed run never leaves a stale
lock for the user to delete by hand.

Holding the lock also makes it safe to sweep the temporary files a killed run left
behind: no live run can be writing them.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import OutputBusyError, OutputError
from pipeline.output.owned import remove_temporaries

LOCK_NAME = ".newsclean.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the folder's lock for the block; raise `OutputBusyError` if another run has it.

    Never blocks: waiting would only make the second run overwrite the first one's
    output afterwards, which is not what either user asked for.
    """
    path = out / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create lock file {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            raise OutputBusyError(
                f"output folder {out} is in use by another run{holder}; "
                "wait for it to finish or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        remove_stale_temporaries(out)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _read_holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def remove_stale_temporaries(out: Path) -> int:
    """Delete the temporary files a killed run left behind: only names in the reserved
    namespace (`owned.TEMP_PREFIX`), so a user's dotfile is never taken for one."""
    return remove_temporaries(out)

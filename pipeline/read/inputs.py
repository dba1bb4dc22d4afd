"""Command-line inputs to files, accounting for every one of them.

Inputs are files, folders (walked recursively, in sorted order so runs are reproducible)
and glob patterns. Anything that is not a regular file or cannot be listed becomes a
`Quarantine` with the reason instead of an exception."""

from __future__ import annotations

import glob
import logging
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Quarantine, Stage

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InputFile:
    """A path found from the inputs; `source` is how the user would recognise it."""

    source: str
    path: Path


def expand_inputs(
    inputs: Sequence[str], output: Path | None = None
) -> Iterator[InputFile | Quarantine]:
    """Yield every file under the inputs once, in a stable order.

    A folder named on the command line is read even when the name is a symbolic link;
    inside folders, symbolic links to folders are recorded and not followed (no loops,
    no escaping the tree), symlinks to files are read. Special files (FIFOs, sockets,
    devices) are reported, never opened: opening a FIFO blocks. Names that are not valid
    UTF-8 keep their undecodable bytes as `\\xNN` in `source`, so every record can be
    written.

    A file is one file however it is reached (`seeds/x`, `seeds/../seeds/x`, a symlink or
    a hard link beside it): files are told apart by (device, inode), and the first name
    met is the one kept, so no file is read twice; the log says so once.

    `output`, the run's output folder, is never read, nor anything in it, even when it
    lies inside an input folder or is named itself: each rerun would otherwise read its
    own outputs back. The log says so once.
    """
    walk = _Walk(_Output.of(output))
    for given in inputs:
        matches = _match(given)
        if not matches:
            raise InputError(f"input not found: {_printable(given)}")
        named = matches == [given]  # spelt out, not chosen by a wildcard
        for match in matches:
            if walk.output.holds(match):
                walk.output.met += 1
                continue
            for item, key in _walk(match, follow_link=named, output=walk.output):
                if key in walk.seen:
                    walk.again.append((item.source, walk.seen[key]))
                    continue
                walk.seen[key] = item.source
                yield item
    walk.log()


@dataclass(slots=True)
class _Output:
    """The output folder, as the walk recognises it."""

    path: Path | None = None
    key: tuple[int, int] | None = None
    real: str = ""
    met: int = 0

    @classmethod
    def of(cls, output: Path | None) -> _Output:
        if output is None:
            return cls()
        try:
            st = os.stat(output)
        except OSError:
            return cls(output)
        return cls(output, (st.st_dev, st.st_ino), os.path.realpath(output))

    def holds(self, path: str) -> bool:
        """Whether `path` is the output folder or lies inside it, links resolved."""
        if not self.real:
            return False
        real = os.path.realpath(path)
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)


@dataclass(slots=True)
class _Walk:
    output: _Output
    seen: dict[str | tuple[int, int], str] = field(default_factory=dict)
    again: list[tuple[str, str]] = field(default_factory=list)

    def log(self) -> None:
        if self.output.met:
            _log.info(
                "the output folder %s is among the inputs: not read (a run never reads "
                "its own outputs)",
                self.output.path,
            )
        if self.again:
            later, first = self.again[0]
            _log.info(
                "%d input%s reached by a second path read once (%s is %s)",
                len(self.again),
                "s" if len(self.again) > 1 else "",
                later,
                first,
            )


def _match(given: str) -> list[str]:
    if os.path.lexists(given):
        return [given]
    if glob.has_magic(given):
        literal = _literal_parts(given)
        found = glob.glob(given, recursive=True)
        return sorted(m for m in found if not _through_symlink(m, literal))
    return []


def _literal_parts(pattern: str) -> int:
    """How many leading components of a glob pattern the user spelt out."""
    parts = Path(pattern).parts
    return next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))


def _through_symlink(match: str, literal: int) -> bool:
    """True when a folder that a wildcard chose on the way to `match` is a symlink.

    `glob` follows symlinked folders, so a link back up the tree would list the same
    files under ever longer names until the kernel's ELOOP limit.
    """
    parts = Path(match).parts
    return any(os.path.islink(os.path.join(*parts[:i])) for i in range(literal + 1, len(parts)))


Found = tuple[InputFile | Quarantine, str | tuple[int, int]]
"""An item of the walk and what makes it the same as another: a file's (device, inode),
else its source."""


def _walk(top: str, follow_link: bool, output: _Output) -> Iterator[Found]:
    """Depth-first in sorted order, with an explicit stack: deep trees cannot overflow.

    `follow_link`: whether `top` itself may be a symlink to a folder that is walked.
    The `output` folder is passed over (and counted), as is a link to a file in it."""
    pending = [top]
    folders: set[tuple[int, int]] = set()
    while pending:
        path_str = pending.pop()
        source = _printable(path_str)
        try:
            st = os.lstat(path_str)
        except OSError as exc:
            yield _reported(source, f"cannot stat: {exc.strerror}")
            continue
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.stat(path_str)
            except OSError:
                yield _reported(source, "broken or looping symbolic link")
                continue
            if stat.S_ISDIR(target.st_mode) and not (follow_link and path_str == top):
                yield _reported(source, "symbolic link to a folder: not followed")
                continue
            if output.holds(path_str):
                output.met += 1
                continue
            st = target
        if stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) == output.key:
                output.met += 1
                continue
            if (st.st_dev, st.st_ino) in folders:  # a bind mount inside itself
                yield _reported(source, "folder already read (a loop): not read again")
                continue
            folders.add((st.st_dev, st.st_ino))
            try:
                children = sorted(os.listdir(path_str))
            except OSError as exc:
                yield _reported(source, f"cannot list folder: {exc.strerror}")
                continue
            pending.extend(os.path.join(path_str, child) for child in reversed(children))
            continue
        if not stat.S_ISREG(st.st_mode):
            yield _reported(source, f"not a regular file ({file_kind(st.st_mode)})")
            continue
        yield InputFile(source, Path(path_str)), (st.st_dev, st.st_ino)


def _reported(source: str, reason: str) -> Found:
    return Quarantine(source, reason, Stage.READ), source


def _printable(path: str) -> str:
    """The name as UTF-8 text: undecodable bytes (kept by Python as surrogates) as `\\xNN`.

    A lone surrogate in a record would make the JSON writer fail at the very end of a run.
    """
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"

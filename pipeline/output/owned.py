"""What in the output folder belongs to the run: the only files it may replace or delete.

The output folder is often shared with the user (notes beside the outputs, inputs kept
in `articles/`), so a run never decides by a pattern what to delete. It deletes:

- its temporary files, all named in one reserved namespace (`TEMP_PREFIX`), which no
  final name and no ordinary user file has;
- Markdown files that an earlier run wrote and this run did not, known by name: every
  run lists the Markdown files it wrote in `manifest.json` (`written.markdown`), and
  while it writes them it keeps the names in a journal (`JOURNAL`), so that a run killed
  half-way (its manifest already removed) still leaves the next run knowing them.

A name in neither is never touched, whatever it looks like.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from pipeline.output.names import MANIFEST, MARKDOWN_DIR

TEMP_PREFIX = ".newsclean-tmp-"
"""Every temporary file of a run starts with this (atomic writes, spools, the probe), and
none ends like a final name (`.md`, `.jsonl`): a tool listing `*.md` never sees one."""

JOURNAL = ".newsclean-written"
"""Names of the Markdown files written so far (one a line), while the writers run."""

WRITTEN_KEY = "written"
"""The manifest's section that lists what the run wrote (`{"markdown": [names]}`)."""

MARKDOWN_NAME = re.compile(r"[0-9a-f]{16}\.md")
"""What a Markdown file of ours is called (`<id>.md`): a listed name of another shape (a
hand-edited manifest) is not deleted either."""


def is_temporary(name: str) -> bool:
    return name.startswith(TEMP_PREFIX)


def remove_temporaries(out: Path) -> int:
    """Delete the temporaries a killed run left in `out` and its Markdown folder.

    Only regular files in the reserved namespace; a symbolic link is never followed (an
    `articles` folder that is a link is not looked into)."""
    removed = 0
    for folder in (out, out / MARKDOWN_DIR):
        if folder != out and (folder.is_symlink() or not folder.is_dir()):
            continue
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_temporary(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
    return removed


def previous_markdown(out: Path) -> set[str]:
    """The Markdown names earlier runs are known to have written: the last whole run's
    manifest, and the journal of a run killed while writing."""
    names: set[str] = set()
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        listed = manifest.get(WRITTEN_KEY, {}).get("markdown", [])
        names.update(n for n in listed if isinstance(n, str))
    except (OSError, ValueError, AttributeError):
        pass
    try:
        with open(out / JOURNAL, encoding="utf-8") as fh:
            names.update(line.rstrip("\n") for line in fh)
    except (OSError, ValueError):
        pass
    return {n for n in names if MARKDOWN_NAME.fullmatch(n)}


class Journal:
    """The names of the Markdown files a run may leave behind, kept on disk as it goes.

    Opened with the names of earlier runs, appended to before each file is written, and
    removed once the manifest (which then lists what this run wrote) is in place."""

    def __init__(self, out: Path, known: Iterable[str]) -> None:
        self.path = out / JOURNAL
        self._fh: IO[str] | None = open(  # noqa: SIM115 - closed in close()
            self.path, "w", encoding="utf-8", buffering=1
        )
        self._fh.writelines(f"{name}\n" for name in sorted(known))

    def add(self, name: str) -> None:
        if self._fh is not None:
            self._fh.write(f"{name}\n")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def remove_stale_markdown(folder: Path, stale: Iterable[str]) -> int:
    """Delete the listed Markdown files in `folder`: regular files and links only (a link
    is removed, never what it points to)."""
    removed = 0
    for name in sorted(stale):
        path = folder / name
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            path.unlink(missing_ok=True)
            removed += 1
    return removed

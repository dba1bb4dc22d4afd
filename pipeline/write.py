"""Atomic, reproducible output files.

Nothing is ever visible half-written under its final name: each file is written to a
temporary sibling, flushed, fsync'ed and renamed over the target. JSON is written with
sorted keys so a rerun on the same inputs gives byte-identical files.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from pipeline.config import ReportConfig
from pipeline.records import ArticleRecord, QuarantineRecord, article_markdown

ARTICLES = "articles.jsonl"
QUARANTINE = "quarantine.jsonl"
CLUSTERS = "clusters.jsonl"
MANIFEST = "manifest.json"
MARKDOWN_DIR = "articles"
PARQUET = "articles.parquet"
REPORT = "report.html"


class OutputError(OSError):
    """The output folder cannot be created or written."""


OUTPUT_MODE = 0o644
"""Outputs are for other tools and users: readable by all (mkstemp would make them 0600)."""

# Characters JSON allows raw but that `str.splitlines` and some JSONL readers treat as
# line ends: escaped, so one record is always exactly one line for every reader.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def dumps(record: Any) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    # `translate` with a mapping walks the text in Python-level lookups (~0.3 ms for an
    # article); the three substring scans run in C and are almost always negative.
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        return text.translate(_LINE_BREAKERS)
    return text


def prepare_output(out: Path) -> None:
    """Create the folder and prove it is writable, before any work is done."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise OutputError(f"output folder {out} is not writable: {exc.strerror}") from exc


def write_atomic(path: Path, content: str) -> None:
    with _AtomicFile(path) as fh:
        fh.write(content)


def write_jsonl(path: Path, records: Iterable[Any]) -> int:
    count = 0
    with _AtomicFile(path) as fh:
        for record in records:
            fh.write(dumps(record))
            fh.write("\n")
            count += 1
    return count


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary sibling for writers that open the file themselves (pyarrow).

    Renamed over `path` only if the block succeeds; removed otherwise.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
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


class _AtomicFile:
    """Context manager: a temp file in the target's folder, renamed on success only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp: Path | None = None
        self.fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        os.fchmod(fd, OUTPUT_MODE)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.fh

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.fh is not None and self.tmp is not None
        try:
            if exc_type is None:
                self.fh.flush()
                os.fsync(self.fh.fileno())
            self.fh.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
        finally:
            if self.tmp.exists():
                self.tmp.unlink()


class MarkdownFiles:
    """One `articles/<id>.md` per article, written as the records stream past (the same
    pass that writes `articles.jsonl`: the records may be spooled on disk, and each pass
    parses them all again); `finish` removes files of earlier runs not made now."""

    def __init__(self, out: Path) -> None:
        self.folder = out / MARKDOWN_DIR
        self.made: set[str] = set()

    def add(self, record: ArticleRecord) -> None:
        name = f"{record['id']}.md"
        if name not in self.made:
            write_atomic(self.folder / name, article_markdown(record))
            self.made.add(name)

    def finish(self) -> int:
        if self.folder.is_dir():
            for stale in self.folder.glob("*.md"):
                if stale.name not in self.made:
                    stale.unlink()
        return len(self.made)


WRITER_MODULES = ("pipeline.parquet_out", "pipeline.report")
"""What `write_outputs` imports when it runs, not at start-up (pyarrow, Jinja2: ~0.15 s
that would delay the workers' start; see `start_workers_early`)."""


def import_writers() -> None:
    """Import `WRITER_MODULES` now: a run calls it on a background thread once its
    workers are busy, so the import overlaps the processing instead of lengthening the
    serial tail. A failed import is left to `write_outputs`, which reports it."""
    for name in WRITER_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            return


def _write_parquet_file(out: Path) -> None:
    from pipeline.parquet_out import write_parquet

    with atomic_path(out / PARQUET) as tmp:
        write_parquet(tmp, out / ARTICLES)


def write_outputs(
    out: Path,
    articles: Sequence[ArticleRecord],
    quarantined: Sequence[QuarantineRecord],
    manifest: dict[str, Any],
    markdown: bool = True,
    report: ReportConfig | None = None,
    clusters: Iterable[Mapping[str, Any]] = (),
) -> None:
    """Write every output file; the manifest last, so its presence means a whole run."""
    from pipeline.report import Tally, iter_report  # see WRITER_MODULES

    # An earlier run's manifest must not vouch for a mix of its files and ours if this
    # run is killed half-way through writing.
    (out / MANIFEST).unlink(missing_ok=True)
    report = report or ReportConfig()
    # the Markdown files and the report's counting pass ride on the pass that writes
    # `articles.jsonl`: the records may be spooled, and each pass parses them all again
    files = MarkdownFiles(out) if markdown else None
    tally = Tally(report) if report.enabled else None

    def passing(record: ArticleRecord) -> ArticleRecord:
        if files is not None:
            files.add(record)
        if tally is not None:
            tally.add(record)
        return record

    write_jsonl(out / ARTICLES, map(passing, articles))
    if files is not None:
        files.finish()
    write_jsonl(out / QUARANTINE, quarantined)
    clusters = list(clusters)
    write_jsonl(out / CLUSTERS, clusters)
    # Arrow converts `articles.jsonl` in C++ without the GIL: on another thread, it
    # overlaps the report, which is Python (the two were a third of a run's tail).
    with ThreadPoolExecutor(1, thread_name_prefix="parquet") as background:
        parquet = background.submit(_write_parquet_file, out)
        if tally is not None:
            with _AtomicFile(out / REPORT) as fh:
                fh.writelines(iter_report(articles, quarantined, manifest, clusters, report, tally))
        else:  # a report left from an earlier run would describe other outputs
            (out / REPORT).unlink(missing_ok=True)
        parquet.result()
    write_atomic(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")

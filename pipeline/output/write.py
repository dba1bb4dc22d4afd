"""Atomic, reproducible output files.

Nothing is ever visible half-written under its final name: each file is written to a
temporary sibling, flushed, fsync'ed and renamed over the target. JSON is written with
sorted keys so a rerun on the same inputs gives byte-identical files.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.config import ReportConfig
from pipeline.errors import OutputError
from pipeline.output.atomic import AtomicFile, atomic_path, write_atomic
from pipeline.output.counts import Written
from pipeline.output.jsonl import write_jsonl
from pipeline.output.markdown import MarkdownFiles, markdown_link_error
from pipeline.output.names import (
    ARTICLES,
    CLUSTERS,
    MANIFEST,
    MARKDOWN_DIR,
    PARQUET,
    QUARANTINE,
    REPORT,
)
from pipeline.output.owned import JOURNAL, TEMP_PREFIX, WRITTEN_KEY
from pipeline.records import ArticleRecord, QuarantineRecord


def prepare_output(out: Path, markdown: bool = True) -> None:
    """Prove, before any work is done, that every output can be written: the folder is a
    folder and writable, no folder stands where a file goes (`report.html/`), no file
    where a folder goes, and `articles/` (with `markdown`) is a writable folder that is
    not a symbolic link. Raises `OutputError` with one line saying which."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {out} is not writable: it is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
        _probe(out)
    except OSError as exc:
        raise OutputError(f"output folder {out} is not writable: {exc.strerror}") from exc
    for name in OUTPUT_FILES:
        path = out / name
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"{path} is a folder where the run writes a file: remove it")
    folder = out / MARKDOWN_DIR
    if folder.is_symlink():
        raise OutputError(markdown_link_error(folder))
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file where the run writes a folder: remove it")
    if markdown and folder.is_dir():
        try:
            _probe(folder)
        except OSError as exc:
            raise OutputError(f"{folder} is not writable: {exc.strerror}") from exc


OUTPUT_FILES = (ARTICLES, QUARANTINE, CLUSTERS, PARQUET, REPORT, MANIFEST, JOURNAL)


def _probe(folder: Path) -> None:
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f"{TEMP_PREFIX}probe-"):
        pass


WRITER_MODULES = ("pipeline.output.parquet", "pipeline.output.report")
"""What `write_outputs` imports when it runs, not at start-up: pyarrow and Jinja2 take
long enough to import that they would delay the workers' start (see
`start_workers_early`)."""


def import_writers() -> None:
    """Import `WRITER_MODULES` now: a run calls it on a background thread once its
    workers are busy, so the import overlaps the processing instead of lengthening the
    serial tail. A failed import is left to `write_outputs`, which reports it."""
    for name in WRITER_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            return


def write_parquet_file(out: Path) -> None:
    """`articles.parquet` from the written `articles.jsonl`, atomically (the background
    half of `write_outputs`)."""
    from pipeline.output.parquet import write_parquet

    with atomic_path(out / PARQUET) as tmp:
        write_parquet(tmp, out / ARTICLES)


Manifest = dict[str, Any] | Callable[[Written], dict[str, Any]]
"""The manifest, or how to make it from the counts of what was written."""


def write_outputs(
    out: Path,
    articles: Sequence[ArticleRecord],
    quarantined: Sequence[QuarantineRecord],
    manifest: Manifest,
    markdown: bool = True,
    report: ReportConfig | None = None,
    clusters: Iterable[Mapping[str, Any]] = (),
) -> Written:
    """Write every output file; the manifest last, so its presence means a whole run.

    `manifest` may be a function of the counts of what was written (`Written`, taken as
    the records pass): the manifest and the report then show what the files hold.
    Returns those counts. A write that fails (a full disk, a read-only file system)
    raises `OutputError` naming the file; the temporary files are gone by then, and the
    files already replaced stay without a manifest to vouch for them.
    """
    try:
        return _write(out, articles, quarantined, manifest, markdown, report, clusters)
    except OutputError:
        raise
    except OSError as exc:
        where = exc.filename or out
        raise OutputError(f"cannot write {where}: {exc.strerror or exc}") from exc


def _write(
    out: Path,
    articles: Sequence[ArticleRecord],
    quarantined: Sequence[QuarantineRecord],
    manifest: Manifest,
    markdown: bool,
    report: ReportConfig | None,
    clusters: Iterable[Mapping[str, Any]],
) -> Written:
    from pipeline.output.report import Tally, iter_report

    # the Markdown names earlier runs wrote are read (and journaled) before the manifest
    # that lists them goes
    files = MarkdownFiles(out, enabled=markdown)
    done = False
    try:
        # An earlier run's manifest must not vouch for a mix of its files and ours if this
        # run is killed half-way through writing.
        (out / MANIFEST).unlink(missing_ok=True)
        report = report or ReportConfig()
        written = Written()
        # the Markdown files and the report's counting pass ride on the pass that writes
        # `articles.jsonl`: the records may be spooled, and each pass parses them all again
        tally = Tally(report) if report.enabled else None

        def passing(record: ArticleRecord) -> ArticleRecord:
            files.add(record)
            if tally is not None:
                tally.add(record)
            return record

        write_jsonl(out / ARTICLES, map(passing, written.articles_passing(articles)))
        markdown_names = files.finish()
        write_jsonl(out / QUARANTINE, written.quarantine_passing(quarantined))
        clusters = list(clusters)
        write_jsonl(out / CLUSTERS, clusters)
        made = manifest(written) if callable(manifest) else manifest
        made = {**made, WRITTEN_KEY: {"markdown": markdown_names}}
        # Arrow converts `articles.jsonl` in C++ without the GIL: on another thread, it
        # overlaps the report, which is Python (the two are much of a run's serial tail).
        with ThreadPoolExecutor(1, thread_name_prefix="parquet") as background:
            parquet = background.submit(write_parquet_file, out)
            if tally is not None:
                with AtomicFile(out / REPORT) as fh:
                    fh.writelines(iter_report(articles, quarantined, made, clusters, report, tally))
            else:  # a report left from an earlier run would describe other outputs
                (out / REPORT).unlink(missing_ok=True)
            parquet.result()
        write_atomic(out / MANIFEST, json.dumps(made, indent=2, sort_keys=True) + "\n")
        done = True
    finally:
        files.close(done)
    return written

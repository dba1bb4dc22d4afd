"""Atomic, reproducible output files.

Nothing is ever visible half-written under its final name: each file is written to a
temporary sibling, flushed, fsync'ed and renamed over the target. JSON is written with
sorted keys so a rerun on the same inputs gives byte-identical files.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.config import ReportConfig
from pipeline.errors import OutputError
from pipeline.output.atomic import AtomicFile, atomic_path, write_atomic
from pipeline.output.jsonl import write_jsonl
from pipeline.output.markdown import MarkdownFiles
from pipeline.output.names import ARTICLES, CLUSTERS, MANIFEST, PARQUET, QUARANTINE, REPORT
from pipeline.records import ArticleRecord, QuarantineRecord


def prepare_output(out: Path) -> None:
    """Create the folder and prove it is writable, before any work is done."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise OutputError(f"output folder {out} is not writable: {exc.strerror}") from exc


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


def _write_parquet_file(out: Path) -> None:
    from pipeline.output.parquet import write_parquet

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
    from pipeline.output.report import Tally, iter_report

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
    # overlaps the report, which is Python (the two are much of a run's serial tail).
    with ThreadPoolExecutor(1, thread_name_prefix="parquet") as background:
        parquet = background.submit(_write_parquet_file, out)
        if tally is not None:
            with AtomicFile(out / REPORT) as fh:
                fh.writelines(iter_report(articles, quarantined, manifest, clusters, report, tally))
        else:  # a report left from an earlier run would describe other outputs
            (out / REPORT).unlink(missing_ok=True)
        parquet.result()
    write_atomic(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")

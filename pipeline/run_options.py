"""The options of a run, defined once for every front end that starts one.

`python -m pipeline run`, the Prefect flow's `python -m flows.clean_articles` and
`python -m flows.serve` all take these options. Written once, here, they cannot drift
apart: a flag added to the pipeline's CLI is a flag of the flow's, with the same help,
the same defaults and the same effect on the config (`RunOptions.pipeline_config`).
Nothing here imports Prefect: the pipeline stays usable, and fast to start, without it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from pipeline.config import CrossdocConfig, PipelineConfig
from pipeline.crossdoc import open_index

T = TypeVar("T")

EPILOG = """\
outputs (under --out):
  articles.jsonl     one clean article per line (id, source, title, author, date, site,
                     url, text, paragraphs, removed with reasons)
  quarantine.jsonl   one line per input that gave no article, with the reason
  articles/<id>.md   each article as Markdown
  articles.parquet   the same records as a typed Parquet table
  clusters.jsonl     groups of near-duplicate articles and of shared paragraphs
  report.html        a self-contained page showing what was kept and removed, and why
  manifest.json      counts, config used, library versions, timings

Every input appears in exactly one of articles.jsonl and quarantine.jsonl.
"""

CROSSDOC_FLAGS = ("drop_duplicate_articles", "drop_cross_document_duplicates", "reset_index")
"""Switches that turn on the `[crossdoc]` field of the same name (never off: a config
file that sets one keeps it)."""

SHARED_INDEX_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What one run was asked for, whatever started it (one field per option)."""

    inputs: tuple[str, ...]
    out: Path
    config: Path | None = None
    workers: int | None = None
    drop_duplicate_articles: bool = False
    drop_cross_document_duplicates: bool = False
    index: str | None = None
    reset_index: bool = False
    no_progress: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> RunOptions:
        """The options `add_run_options` put on a parser, out of its parsed arguments."""
        values = {f.name: getattr(args, f.name) for f in fields(cls)}
        values["inputs"] = tuple(values["inputs"])
        return cls(**values)

    def pipeline_config(self) -> PipelineConfig:
        """The config file (or the defaults) with the command-line options applied.

        Raises `ConfigError` for a bad file or value, `IndexStoreError` for a shared
        index that cannot be reached: both now, not after hours of extraction.
        """
        config = PipelineConfig.from_toml(self.config) if self.config else PipelineConfig()
        if self.workers is not None:
            config = replace(config, parallel=replace(config.parallel, workers=self.workers))
        config = replace(config, crossdoc=self._crossdoc(config.crossdoc))
        check_shared_index(config.crossdoc)
        return config

    def _crossdoc(self, config: CrossdocConfig) -> CrossdocConfig:
        """Command-line flags override the `[crossdoc]` section of the config file."""
        changes: dict[str, object] = {flag: True for flag in CROSSDOC_FLAGS if getattr(self, flag)}
        if self.index is not None:
            changes["index"] = self.index
        return replace(config, **changes)  # type: ignore[arg-type]


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Put every run option on `parser`: INPUT..., --out and the options after them."""
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files, folders (read recursively) or quoted glob patterns such as 'dumps/**/*.gz'",
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="output folder (created if missing; earlier outputs there are replaced)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE.toml",
        help="TOML file overriding any threshold; see README 'Configuration' for every key",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes for extraction (default: [parallel] workers in the config, "
        "0 = one per CPU core; 1 runs in this process); outputs do not depend on it",
    )
    parser.add_argument(
        "--drop-duplicate-articles",
        action="store_true",
        help="leave articles that are near copies of another out of articles.jsonl "
        "(they stay in clusters.jsonl)",
    )
    parser.add_argument(
        "--drop-cross-document-duplicates",
        action="store_true",
        help="remove paragraphs already found in an earlier article (quotes, copied "
        "passages), keeping the first occurrence; by default they are only annotated",
    )
    parser.add_argument(
        "--index",
        metavar="URL",
        help="persistent cross-run index: redis://host:port/db, a SQLite file path, or "
        "'off' (default: DIR/.crossdoc-index/index.sqlite); in a Redis URL, ${VAR} is read "
        "from the environment, e.g. redis://:${REDIS_PASSWORD}@host:6379/0, and only the "
        "URL as written is recorded",
    )
    parser.add_argument(
        "--reset-index",
        action="store_true",
        help="empty the persistent index first (later runs dedupe against this one only)",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="do not draw the progress bar on stderr (it is hidden anyway when stderr "
        "is not a terminal)",
    )


def check_shared_index(config: CrossdocConfig) -> None:
    """A shared index that cannot be reached fails now, not after hours of extraction."""
    if config.enabled and config.index.startswith(SHARED_INDEX_SCHEMES):
        index = open_index(config.index, Path("."), config.max_bucket)
        if index is not None:
            index.close()


class ProgressBar:
    """The bar both front ends draw: `progress(done, total)`, then `close()`.

    Created on the first document, not before: the total is only known once the inputs
    are expanded, and an archive turns it into "unknown" when it yields more documents
    than there are files.
    """

    def __init__(self, hidden: bool) -> None:
        self._hidden = hidden
        self._bar: tqdm[None] | None = None

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is None:
            # disable=None: hidden when stderr is not a terminal (a worker's log, CI)
            self._bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=self._hidden or None)
        elif total is None and self._bar.total is not None:
            self._bar.total = None  # an archive: the number of documents is not known
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@contextmanager
def progress_bar(hidden: bool) -> Iterator[ProgressBar]:
    bar = ProgressBar(hidden)
    try:
        yield bar
    finally:
        bar.close()


def tracked(outcomes: Iterable[T], total: int, progress: ProgressBar) -> Iterator[T]:
    """`outcomes` as they come, ticking `progress` for each; `total` is the number of
    inputs (archives can give more documents: then the total becomes unknown)."""
    for done, outcome in enumerate(outcomes, start=1):
        progress(done, total if done <= total else None)
        yield outcome

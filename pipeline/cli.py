"""`python -m pipeline run INPUT... --out DIR`: the command-line front end.

Exit codes: 0 when every input became an article or a quarantine record; 2 for bad
arguments, a bad config file, inputs that name nothing, or an unwritable output folder
(with a one-line error on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from pipeline.config import CrossdocConfig, PipelineConfig
from pipeline.crossdoc import open_index
from pipeline.errors import ConfigError, IndexStoreError, InputError, OutputError
from pipeline.runtime import start_workers_early

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


class _Parser(argparse.ArgumentParser):
    """Bad arguments get the same one-line error as every other failure, not the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m pipeline",
        description="Turn raw dumps of news pages into clean, deduplicated articles.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_cmd = commands.add_parser(
        "run",
        help="clean and deduplicate inputs into an output folder",
        description="Clean and deduplicate INPUT files (HTML, Markdown, text, .gz; the "
        "format is sniffed from the content) into clean canonical articles.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run_cmd.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files, folders (read recursively) or quoted glob patterns such as 'dumps/**/*.gz'",
    )
    run_cmd.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="output folder (created if missing; earlier outputs there are replaced)",
    )
    run_cmd.add_argument(
        "--config",
        type=Path,
        metavar="FILE.toml",
        help="TOML file overriding any threshold; see README 'Configuration' for every key",
    )
    run_cmd.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes for extraction (default: [parallel] workers in the config, "
        "0 = one per CPU core; 1 runs in this process); outputs do not depend on it",
    )
    run_cmd.add_argument(
        "--drop-duplicate-articles",
        action="store_true",
        help="leave articles that are near copies of another out of articles.jsonl "
        "(they stay in clusters.jsonl)",
    )
    run_cmd.add_argument(
        "--drop-cross-document-duplicates",
        action="store_true",
        help="remove paragraphs already found in an earlier article (quotes, copied "
        "passages), keeping the first occurrence; by default they are only annotated",
    )
    run_cmd.add_argument(
        "--index",
        metavar="URL",
        help="persistent cross-run index: redis://host:port/db, a SQLite file path, or "
        "'off' (default: DIR/.crossdoc-index/index.sqlite)",
    )
    run_cmd.add_argument(
        "--reset-index",
        action="store_true",
        help="empty the persistent index first (later runs dedupe against this one only)",
    )
    run_cmd.add_argument(
        "--no-progress",
        action="store_true",
        help="do not draw the progress bar on stderr (it is hidden anyway when stderr "
        "is not a terminal)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = PipelineConfig.from_toml(args.config) if args.config else PipelineConfig()
        if args.workers is not None:
            config = replace(config, parallel=replace(config.parallel, workers=args.workers))
        config = replace(config, crossdoc=_crossdoc_flags(config.crossdoc, args))
        _check_shared_index(config.crossdoc)
    except (ConfigError, IndexStoreError) as exc:
        return _fail(str(exc))
    start_workers_early(config.parallel)
    from pipeline.runtime import run

    bar: tqdm[None] | None = None

    def progress(done: int, total: int | None) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=args.no_progress or None)
        elif total is None and bar.total is not None:
            bar.total = None  # an archive: the number of documents is not known up front
        bar.update(1)

    try:
        summary = run(args.inputs, args.out, config, progress=progress)
    except (InputError, OutputError, IndexStoreError) as exc:
        return _fail(str(exc))
    finally:
        if bar is not None:
            bar.close()
    print(summary.line(args.out), file=sys.stderr)
    return 0


def _crossdoc_flags(config: CrossdocConfig, args: argparse.Namespace) -> CrossdocConfig:
    """Command-line flags override the `[crossdoc]` section of the config file."""
    changes: dict[str, object] = {}
    for flag in ("drop_duplicate_articles", "drop_cross_document_duplicates", "reset_index"):
        if getattr(args, flag):
            changes[flag] = True
    if args.index is not None:
        changes["index"] = args.index
    return replace(config, **changes)  # type: ignore[arg-type]


def _check_shared_index(config: CrossdocConfig) -> None:
    """A shared index that cannot be reached fails now, not after hours of extraction."""
    if config.enabled and config.index.startswith(("redis://", "rediss://", "unix://")):
        index = open_index(config.index, Path("."), config.max_bucket)
        if index is not None:
            index.close()


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

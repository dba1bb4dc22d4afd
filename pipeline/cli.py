"""`python -m pipeline run INPUT... --out DIR`: the command-line front end.

Exit codes: 0 when every input became an article or a quarantine record; 2 for bad
arguments, a bad config file, inputs that name nothing, an output folder that cannot be
written (found before processing where it can be: a read-only folder, a folder where a
file goes; or a write that fails late, a full disk), or a persistent index that fails at
the end of the run — then the outputs are written without it. Always a one-line error on
stderr, no traceback. Notes of the run (inputs skipped, files reached twice) go to stderr
as `note: ...` lines.

The options of `run` are `pipeline.run_options`'s, shared with the Prefect flow's
command line so the two cannot drift apart.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from pipeline.errors import ConfigError, IndexStoreError, InputError, OutputError
from pipeline.run_options import EPILOG, RunOptions, add_run_options, progress_bar
from pipeline.runtime import start_workers_early


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
    add_run_options(run_cmd)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    options = RunOptions.from_args(build_parser().parse_args(argv))
    try:
        config = options.pipeline_config()
    except (ConfigError, IndexStoreError) as exc:
        return _fail(str(exc))
    start_workers_early(config.parallel)
    from pipeline.runtime import run

    try:
        with progress_bar(options.no_progress) as progress, _notes():
            summary = run(options.inputs, options.out, config, progress=progress)
    except (InputError, OutputError, IndexStoreError) as exc:
        return _fail(str(exc))
    print(summary.line(options.out), file=sys.stderr)
    if summary.index_error is not None:
        return _fail(
            f"{summary.index_error} (the outputs were written without the index: "
            "duplicates of earlier runs are not marked)"
        )
    return 0


class _NoteFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = "note" if record.levelno <= logging.INFO else record.levelname.lower()
        return f"{level}: {record.getMessage()}"


@contextmanager
def _notes() -> Iterator[None]:
    """The pipeline's log on stderr for the block, one `note: ...` line per message."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_NoteFormatter())
    logger = logging.getLogger("pipeline")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m pipeline run INPUT... --out DIR`: the command-line front end.

Exit codes: 0 when every input became an article or a quarantine record; 2 for bad
arguments, a bad config file, inputs that name nothing, or an unwritable output folder
(with a one-line error on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from pipeline.config import ConfigError, PipelineConfig
from pipeline.read import InputError
from pipeline.run import run
from pipeline.write import OutputError

EPILOG = """\
outputs (under --out):
  articles.jsonl     one clean article per line (id, source, title, author, date, site,
                     url, text, paragraphs, removed with reasons)
  quarantine.jsonl   one line per input that gave no article, with the reason
  articles/<id>.md   each article as Markdown
  manifest.json      counts, config used, library versions, timings

Every input appears in exactly one of articles.jsonl and quarantine.jsonl.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    except ConfigError as exc:
        return _fail(str(exc))
    bar: tqdm[None] | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=args.no_progress or None)
        bar.update(1)

    try:
        summary = run(args.inputs, args.out, config, progress=progress)
    except (InputError, OutputError) as exc:
        return _fail(str(exc))
    finally:
        if bar is not None:
            bar.close()
    print(summary.line(args.out), file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m flows.serve --cron "0 * * * *" INPUT... --out DIR`: a scheduled deployment.

`flow.serve` registers the deployment with the server at PREFECT_API_URL and runs its
scheduled (and manually triggered) runs in this process until stopped. It needs a real
server: start one with `prefect server start` or use the docker-compose stack.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from flows.extra import exit_unless_installed
from flows.runners import RUNNER_KINDS

DEPLOYMENT_NAME = "newsclean-scheduled"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows.serve",
        description="Serve clean_articles on a cron schedule against a Prefect server.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--cron", required=True, help='cron expression, e.g. "0 * * * *"')
    parser.add_argument("--timezone", default="UTC", help="time zone of the cron schedule")
    parser.add_argument("--name", default=DEPLOYMENT_NAME, help="deployment name")
    parser.add_argument("--config", metavar="FILE.toml")
    parser.add_argument(
        "--chunk-size", type=int, metavar="N", help="documents per task (default: by runner)"
    )
    parser.add_argument("--task-runner", choices=RUNNER_KINDS, default="threads")
    parser.add_argument("--dask-address", metavar="ADDR")
    return parser


def deployment_parameters(args: argparse.Namespace) -> dict[str, object]:
    """Absolute paths: scheduled runs must not depend on where the server thinks we are."""
    return {
        "inputs": [str(Path(i).resolve()) if Path(i).exists() else i for i in args.inputs],
        "out": str(Path(args.out).resolve()),
        "config_path": str(Path(args.config).resolve()) if args.config else None,
        "chunk_size": args.chunk_size,
        "task_runner": args.task_runner,
        "dask_address": args.dask_address,
    }


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    from prefect.schedules import Cron  # after the check for the extra (`__main__` below)

    from flows.clean_articles import clean_articles

    clean_articles.serve(
        name=args.name,
        schedules=[Cron(args.cron, timezone=args.timezone)],
        parameters=deployment_parameters(args),
        description="newsclean: clean and deduplicate news dumps on a schedule",
        tags=["newsclean"],
    )


if __name__ == "__main__":
    exit_unless_installed()
    from flows.serve import main as _main

    _main()

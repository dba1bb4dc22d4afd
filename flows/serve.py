"""`python -m flows.serve --cron "0 * * * *" INPUT... --out DIR`: a served deployment.

`flow.serve` registers the deployment with the server at PREFECT_API_URL and runs its
scheduled (and manually triggered) runs in this process until stopped. It needs a real
server: start one with `prefect server start` or use the docker-compose stack.

The served deployment has a name of its own, `newsclean-served`, never the work pool's
`newsclean-scheduled` of `prefect.yaml`: a deployment is known by its name, so serving
under the pool's name took that deployment over (and `prefect deploy` took a served one
back), and stopping `serve` pauses the schedules of what it serves — the pool's hourly
schedule with it. This command refuses a name that a work pool's deployment holds.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flows.extra import exit_unless_installed
from flows.runners import add_flow_options
from pipeline.run_options import RunOptions, add_run_options

FLOW_NAME = "clean-articles"
DEPLOYMENT_NAME = "newsclean-served"
POOL_DEPLOYMENT_NAME = "newsclean-scheduled"
"""`prefect.yaml`'s deployment (tests/flows/test_compose.py holds the two to it)."""
OVERLAP_LIMIT = 1
"""Runs of the deployment at once: every run rewrites the same output folder."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows.serve",
        description="Serve clean_articles on a cron schedule against a Prefect server.",
    )
    add_run_options(parser)
    served = parser.add_argument_group("serve options")
    served.add_argument("--cron", required=True, help='cron expression, e.g. "0 * * * *"')
    served.add_argument("--timezone", default="UTC", help="time zone of the cron schedule")
    served.add_argument(
        "--name",
        default=DEPLOYMENT_NAME,
        help=f"deployment name (default: {DEPLOYMENT_NAME}; never a work pool's, such as "
        f"prefect.yaml's {POOL_DEPLOYMENT_NAME})",
    )
    add_flow_options(parser.add_argument_group("Prefect flow options"))
    return parser


def deployment_parameters(args: argparse.Namespace) -> dict[str, object]:
    """Absolute paths: scheduled runs must not depend on where the server thinks we are."""
    from flows.clean_articles import run_parameters

    options = RunOptions.from_args(args)
    parameters = run_parameters(options)
    parameters["inputs"] = [str(Path(i).resolve()) if Path(i).exists() else i for i in args.inputs]
    parameters["out"] = str(options.out.resolve())
    parameters["config_path"] = str(options.config.resolve()) if options.config else None
    parameters |= {
        "chunk_size": args.chunk_size,
        "task_runner": args.task_runner,
        "dask_address": args.dask_address,
    }
    return parameters


def concurrency_limit() -> Any:
    """One run at a time; a run that would overlap is cancelled, not queued.

    Every run reprocesses the whole of its inputs into the same folder, so a queued run
    would only redo, right after, what the running one is doing, and with runs longer
    than the schedule's interval a queue would grow without end. (`prefect.yaml` sets
    the same for the pool's deployment.)
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(
        limit=OVERLAP_LIMIT, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
    )


async def work_pool_holding(name: str) -> str | None:
    """The work pool of an existing deployment of that name, if it has one."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    async with get_client() as client:
        try:
            deployment = await client.read_deployment_by_name(f"{FLOW_NAME}/{name}")
        except ObjectNotFound:
            return None
    return deployment.work_pool_name


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    pool = asyncio.run(work_pool_holding(args.name))
    if pool is not None:
        print(
            f"error: deployment {FLOW_NAME}/{args.name} runs on work pool {pool} "
            "(prefect deploy); serving it would take it over and pause its schedule when "
            f"serve stops: serve under another --name (default {DEPLOYMENT_NAME})",
            file=sys.stderr,
        )
        return 2
    from prefect.schedules import Cron  # after the check for the extra (`__main__` below)

    from flows.clean_articles import clean_articles

    clean_articles.serve(
        name=args.name,
        schedules=[Cron(args.cron, timezone=args.timezone)],
        parameters=deployment_parameters(args),
        global_limit=concurrency_limit(),
        description="newsclean: clean and deduplicate news dumps on a schedule "
        "(served: paused when serve stops)",
        tags=["newsclean"],
    )
    return 0


if __name__ == "__main__":
    exit_unless_installed()
    from flows.serve import main as _main

    raise SystemExit(_main())

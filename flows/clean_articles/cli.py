"""`python -m flows.clean_articles INPUT... --out DIR`: the flow with no server.

    python -m flows.clean_articles INPUT... --out DIR [--config F] [--chunk-size N]
        [--task-runner threads|processes|dask] [--dask-address tcp://host:8786]

runs it in Prefect's ephemeral mode (or against PREFECT_API_URL when set).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import Any, cast

from prefect.client.schemas.objects import State

from flows.clean_articles.flow import clean_articles
from flows.runners import RUNNER_KINDS
from pipeline import runtime
from pipeline.config import PipelineConfig
from pipeline.errors import ConfigError, InputError, OutputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows.clean_articles",
        description="Run the cleaning pipeline as a Prefect flow (ephemeral: no server "
        "needed). Writes exactly what `python -m pipeline run` writes.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or globs")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--config", metavar="FILE.toml", help="pipeline config file")
    parser.add_argument(
        "--chunk-size",
        type=int,
        metavar="N",
        help="documents per task (default: 200 on threads and processes, 50 on Dask)",
    )
    parser.add_argument("--task-runner", choices=RUNNER_KINDS, default="threads")
    parser.add_argument(
        "--dask-address", metavar="ADDR", help="existing Dask scheduler (with --task-runner dask)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Prefect's import leaves a large heap of long-lived objects (settings models, schemas)
    # that every full garbage collection would walk again while the run allocates.
    gc.freeze()
    args = build_parser().parse_args(argv)
    if args.chunk_size is not None and args.chunk_size < 1:
        return _fail("--chunk-size must be positive")
    if args.dask_address and args.task_runner != "dask":
        return _fail("--dask-address needs --task-runner dask")
    try:
        config = PipelineConfig.from_toml(args.config) if args.config else PipelineConfig()
    except ConfigError as exc:
        return _fail(str(exc))
    if args.task_runner == "processes":
        # as the CLI does: the pool's server imports the stages while the flow run starts
        runtime.start_workers_early(config.parallel)
    state = cast(
        "State[Any]",
        clean_articles(
            inputs=list(args.inputs),
            out=args.out,
            config_path=args.config,
            chunk_size=args.chunk_size,
            task_runner=args.task_runner,
            dask_address=args.dask_address,
            return_state=True,
        ),
    )
    if state.is_failed() or state.is_crashed():
        error = state.result(raise_on_failure=False)
        if isinstance(error, InputError | OutputError | ConfigError):
            return _fail(str(error))
        return _fail(state.message or "flow run failed")
    counts = state.result()
    print(
        f"{counts['inputs']} inputs: {counts['articles']} articles, "
        f"{counts['quarantined']} quarantined -> {args.out} ({state.name})",
        file=sys.stderr,
    )
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2

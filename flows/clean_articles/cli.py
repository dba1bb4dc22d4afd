"""`python -m flows.clean_articles INPUT... --out DIR`: the flow with no server.

    python -m flows.clean_articles INPUT... --out DIR [every option of `pipeline run`]
        [--chunk-size N] [--task-runner threads|processes|dask] [--dask-address ADDR]

runs it in Prefect's ephemeral mode (or against PREFECT_API_URL when set). The run
options are `pipeline.run_options`'s, the very ones `python -m pipeline run` takes, so
the two commands accept the same flags with the same meaning; only the flow's own
options (how batches are cut and where they run) are added here.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import Any, cast

from prefect.client.schemas.objects import State

from flows.clean_articles.flow import clean_articles, run_parameters
from flows.report import HostMapping, HostMappingError
from flows.runners import add_flow_options
from pipeline import runtime
from pipeline.errors import ConfigError, IndexStoreError, InputError, OutputError
from pipeline.run_options import EPILOG, RunOptions, add_run_options

USER_ERRORS = (InputError, OutputError, ConfigError, IndexStoreError, HostMappingError)
"""What a run fails with that the user must fix: one line, as the pipeline's CLI says it."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows.clean_articles",
        description="Run the cleaning pipeline as a Prefect flow (ephemeral: no server\n"
        "needed). Takes the options of `python -m pipeline run` and writes exactly what it\n"
        "writes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(parser)
    add_flow_options(parser.add_argument_group("Prefect flow options"))
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
    options = RunOptions.from_args(args)
    try:  # a bad config fails before a flow run exists
        config = options.pipeline_config()
        HostMapping.from_env()
    except (ConfigError, IndexStoreError, HostMappingError) as exc:
        return _fail(str(exc))
    if args.task_runner == "processes":
        # as the CLI does: the pool's server imports the stages while the flow run starts
        runtime.start_workers_early(config.parallel)
    state = cast(
        "State[Any]",
        clean_articles(
            **run_parameters(options),
            chunk_size=args.chunk_size,
            task_runner=args.task_runner,
            dask_address=args.dask_address,
            return_state=True,
        ),
    )
    return _report(state, options)


def _report(state: State[Any], options: RunOptions) -> int:
    """Exit code and closing line of a finished flow run."""
    if state.is_cancelled():  # the output folder was held: as `pipeline run` says it
        return _fail(state.message or "flow run cancelled")
    if state.is_failed() or state.is_crashed():
        error = state.result(raise_on_failure=False)
        if isinstance(error, USER_ERRORS):
            return _fail(str(error))
        return _fail(state.message or "flow run failed")
    counts = state.result()
    print(
        f"{counts['inputs']} inputs: {counts['articles']} articles, "
        f"{counts['quarantined']} quarantined -> {options.out} ({state.name})",
        file=sys.stderr,
    )
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2

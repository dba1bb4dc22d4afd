"""Runtime: a whole run over inputs, on every core, in bounded memory.

`run` is the CLI's engine: expand, read, process (`process_stream`, on forkserver
workers that a document can neither stall nor take down, `RenewingPool`, and that end
with the run, `lifeline`), collect, then `complete_run` and `finish_run` — the
corpus-level steps and the writing, which the Prefect flow ends with too. `RunSummary`
holds the counts; `time_limit` bounds one document's wall time (the pool's kill, when
C code holds the document past it).

The names load with their modules on first use: the CLI starts the workers' forkserver
(`start_workers_early`) before it imports the stages, and a worker that needs only the
time limit imports nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.runtime.deadline import Watchdog, thread_watchdog, time_limit
    from pipeline.runtime.engine import complete_run, finish_run, run
    from pipeline.runtime.manifest import versions
    from pipeline.runtime.parallel import (
        batches,
        forkserver_context,
        process_batch,
        process_stream,
        resolve_workers,
        start_workers_early,
    )
    from pipeline.runtime.pool import RenewingPool, quarantine_all
    from pipeline.runtime.summary import RunSummary

__all__ = [
    "RenewingPool",
    "RunSummary",
    "Watchdog",
    "batches",
    "complete_run",
    "finish_run",
    "forkserver_context",
    "process_batch",
    "process_stream",
    "quarantine_all",
    "resolve_workers",
    "run",
    "start_workers_early",
    "thread_watchdog",
    "time_limit",
    "versions",
]

_MODULE = {
    "RenewingPool": "pool",
    "RunSummary": "summary",
    "Watchdog": "deadline",
    "batches": "parallel",
    "complete_run": "engine",
    "finish_run": "engine",
    "forkserver_context": "parallel",
    "process_batch": "parallel",
    "process_stream": "parallel",
    "quarantine_all": "pool",
    "resolve_workers": "parallel",
    "run": "engine",
    "start_workers_early": "parallel",
    "thread_watchdog": "deadline",
    "time_limit": "deadline",
    "versions": "manifest",
}


def __getattr__(name: str) -> object:
    if name not in _MODULE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE[name]}"), name)
    globals()[name] = value
    return value

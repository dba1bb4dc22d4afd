"""`clean_articles`: the pipeline as a Prefect flow (`flow`) and its command line (`cli`).

The names below are imported on first use, not with the package: `python -m
flows.clean_articles` imports this package before its `__main__`, which must be able to
say that Prefect is missing before anything imports it (`flows.extra`).
"""

from __future__ import annotations

import importlib
from typing import Any

from flows.extra import require_flows_extra

_HOME = {
    "BUSY_STATE": "flow",
    "CHUNK_SIZES": "flow",
    "PARTIAL_STATE": "flow",
    "clean_articles": "flow",
    "default_chunk_size": "flow",
    "run_parameters": "flow",
    "main": "cli",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    require_flows_extra()
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

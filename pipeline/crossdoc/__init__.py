"""Cross-document deduplication: reposts, shared paragraphs and site templates across the
articles of a run, and against earlier runs through a persistent index.

`apply_crossdoc` is the step (its phases are described in `crossdoc.step`); `FirstPass`
takes its first pass while a run collects its records; `open_index` opens the index a
config names.

The names load with their modules on first use: the CLI opens the index, and starts its
workers, before anything imports the step's numerical code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.crossdoc.counts import CrossdocCounts
    from pipeline.crossdoc.index import IndexStore, open_index
    from pipeline.crossdoc.scan import FirstPass, Representatives, Scan
    from pipeline.crossdoc.step import CrossdocResult, apply_crossdoc

__all__ = [
    "CrossdocCounts",
    "CrossdocResult",
    "FirstPass",
    "IndexStore",
    "Representatives",
    "Scan",
    "apply_crossdoc",
    "open_index",
]

_MODULE = {
    "CrossdocCounts": "counts",
    "CrossdocResult": "step",
    "FirstPass": "scan",
    "IndexStore": "index",
    "Representatives": "scan",
    "Scan": "scan",
    "apply_crossdoc": "step",
    "open_index": "index",
}


def __getattr__(name: str) -> object:
    if name not in _MODULE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE[name]}"), name)
    globals()[name] = value
    return value

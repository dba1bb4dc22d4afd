"""What `manifest.json` records of a run: counts, the config used, library versions, timings."""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

from pipeline.clean import scorer_for
from pipeline.config import PipelineConfig
from pipeline.runtime.summary import RunSummary

_LIBRARIES = ("newsclean", "trafilatura", "datasketch", "lxml", "markdown-it-py", "xxhash")
"""The tool and the libraries whose behaviour shapes the output."""


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def models(config: PipelineConfig) -> dict[str, Any]:
    """The learned models the run used, by version and content hash (none: empty)."""
    scorer = scorer_for(config.clean)
    if scorer is None:
        return {}
    return {"scorer": {"version": scorer.model.version, "sha256": scorer.model.sha256}}


def build_manifest(config: PipelineConfig, summary: RunSummary) -> dict[str, Any]:
    return {
        "counts": summary.counts(),
        "config": config.to_dict(),
        "versions": versions(),
        "models": models(config),
        "timings": {k: round(v, 3) for k, v in sorted(summary.timings.items())},
    }

"""Cache keys for the processing tasks: input content, config and code version.

Prefect's INPUTS policy would hash every document's bytes through cloudpickle on each
task call; hashing them once here with xxh3 is cheaper and makes the key explicit. The
code version covers the whole `pipeline/` package (TASK_SOURCE only sees the task body)
and the libraries whose behaviour shapes the output, so an upgrade invalidates the cache.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import xxhash

import pipeline
from pipeline.config import PipelineConfig
from pipeline.model import Quarantine, RawDocument
from pipeline.runtime import versions


def content_key(docs: Sequence[RawDocument | Quarantine]) -> str:
    """A digest of everything a batch of documents hands to the stages."""
    digest = xxhash.xxh3_128()
    for doc in docs:
        if isinstance(doc, Quarantine):
            fields: tuple[object, ...] = ("Q", doc.source, doc.reason, doc.stage)
            digest.update(json.dumps(fields).encode())
            continue
        digest.update(json.dumps(("D", doc.source, doc.url, doc.date, len(doc.data))).encode())
        digest.update(doc.data)
    return digest.hexdigest()


NOT_IN_KEY = ("parallel",)
"""Config sections that never change an outcome (`ParallelConfig`: results never depend
on how documents are spread), so `--workers 1` reuses a two-worker run's batches."""


def config_key(config: PipelineConfig) -> str:
    """A digest of the config and of the code that interprets it."""
    settings = {k: v for k, v in config.to_dict().items() if k not in NOT_IN_KEY}
    payload = json.dumps({"config": settings, "code": code_version()}, sort_keys=True, default=list)
    return xxhash.xxh3_128_hexdigest(payload.encode())


@functools.cache
def code_version() -> str:
    """Hash of every `pipeline/` source file plus the versions of its libraries."""
    digest = xxhash.xxh3_128()
    root = Path(pipeline.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(versions(), sort_keys=True).encode())
    return digest.hexdigest()

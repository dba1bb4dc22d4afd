"""newsclean: raw dumps of news pages in, clean deduplicated canonical articles out.

Every stage is a plain function over the frozen model in `pipeline.model`; `pipeline.run`
sequences them for the CLI, and `flows/` wraps the same stages as Prefect tasks.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.config import PipelineConfig
    from pipeline.model import Article, Document, Paragraph, Quarantine, RawDocument
    from pipeline.process import process_document

# Resolved on first use (PEP 562): `python -m pipeline` must not import trafilatura
# before it has started the workers' forkserver, which imports it in parallel.
_HOMES = {
    "Article": "pipeline.model",
    "Document": "pipeline.model",
    "Paragraph": "pipeline.model",
    "PipelineConfig": "pipeline.config",
    "Quarantine": "pipeline.model",
    "RawDocument": "pipeline.model",
    "process_document": "pipeline.process",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)


__all__ = [
    "Article",
    "Document",
    "Paragraph",
    "PipelineConfig",
    "Quarantine",
    "RawDocument",
    "process_document",
]

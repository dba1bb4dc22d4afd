"""newsclean: raw dumps of news pages in, clean deduplicated canonical articles out.

Every stage is a plain function over the frozen model in `pipeline.model`; `pipeline.run`
sequences them for the CLI, and `flows/` wraps the same stages as Prefect tasks.
"""

from pipeline.config import PipelineConfig
from pipeline.model import Article, Document, Paragraph, Quarantine, RawDocument
from pipeline.process import process_document

__all__ = [
    "Article",
    "Document",
    "Paragraph",
    "PipelineConfig",
    "Quarantine",
    "RawDocument",
    "process_document",
]

"""`clean_articles`: the pipeline as a Prefect flow (`flow`) and its command line (`cli`)."""

from flows.clean_articles.cli import main
from flows.clean_articles.flow import (
    CHUNK_SIZES,
    PARTIAL_STATE,
    clean_articles,
    default_chunk_size,
    run_parameters,
)

__all__ = [
    "CHUNK_SIZES",
    "PARTIAL_STATE",
    "clean_articles",
    "default_chunk_size",
    "main",
    "run_parameters",
]

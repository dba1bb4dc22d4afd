"""Shared fixtures: paths to the seeds and the shared development data."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.model import Article, RawDocument
from pipeline.process import process_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path


def process_seed(prefix: str, config: PipelineConfig | None = None) -> Article:
    path = seed_path(prefix)
    raw = RawDocument(source=str(path), data=path.read_bytes())
    outcome = process_document(raw, config or PipelineConfig())
    assert isinstance(outcome, Article), outcome
    return outcome


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    return {p: process_seed(p) for p in ("000", "001", "002", "003", "004")}

"""Session fixtures; paths and builders live in `tests.support`."""

from __future__ import annotations

import pytest

from pipeline.model import Article
from tests.support import process_seed


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    return {p: process_seed(p) for p in ("000", "001", "002", "003", "004")}

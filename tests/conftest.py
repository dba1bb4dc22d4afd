"""Session fixtures; paths and builders live in `tests.support`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline.model import Article
from tests.fake_redis import HalfRedis
from tests.support import process_seed


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    return {p: process_seed(p) for p in ("000", "001", "002", "003", "004")}


@pytest.fixture
def half_redis() -> Iterator[HalfRedis]:
    """A shared index that answers when the run starts and is gone by its end."""
    server = HalfRedis()
    yield server
    server.close()

"""The seeds run that the report's tests read, taken once for the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.runtime import run
from tests.support import SEEDS


@pytest.fixture(scope="package")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    run([str(SEEDS)], out, PipelineConfig())
    return out

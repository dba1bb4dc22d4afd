"""One Prefect test server for the whole session, paid for only by tests that ask for it.

The environment is set before any test module imports Prefect, because Prefect reads its
settings once at import, and spawned workers (process pool, Dask) inherit only the
environment. Task results go to a throwaway folder so caching tests start cold.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "90"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
RESULTS = tempfile.mkdtemp(prefix="newsclean-prefect-results-")
os.environ["PREFECT_LOCAL_STORAGE_PATH"] = RESULTS


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
    shutil.rmtree(RESULTS, ignore_errors=True)

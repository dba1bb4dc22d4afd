"""Without the `flows` extra: the flow commands say what to install; the pipeline runs.

Each command runs in a fresh interpreter whose import system finds no Prefect (a finder
placed first that answers as a missing package does), the state of a `pip install -e .`
without the extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.extra import INSTALL_HINT
from tests.support import ROOT, SEEDS

WITHOUT_PREFECT = """
import runpy, sys

class NoPrefect:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"prefect", "prefect_dask"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoPrefect())
module, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def without_prefect(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PREFECT, module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["flows.clean_articles", "seeds", "--out", "{tmp}/out"],
        ["flows.clean_articles", "--help"],
        ["flows.serve", "--cron", "0 * * * *", "seeds", "--out", "{tmp}/out"],
    ],
    ids=["flow", "flow-help", "serve"],
)
def test_a_flow_command_names_the_extra_to_install(tmp_path: Path, command: list[str]) -> None:
    done = without_prefect(*(part.format(tmp=tmp_path) for part in command))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: ") and INSTALL_HINT in done.stderr
    assert not (tmp_path / "out").exists()


def test_the_pipeline_itself_runs_without_prefect(tmp_path: Path) -> None:
    done = without_prefect("pipeline", "run", str(SEEDS), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert len((tmp_path / "out" / "articles.jsonl").read_text().splitlines()) == 5


def test_importing_the_flow_says_what_to_install() -> None:
    code = WITHOUT_PREFECT.replace(
        "module, sys.argv = sys.argv[1], sys.argv[1:]\n"
        'runpy.run_module(module, run_name="__main__", alter_sys=True)\n',
        "from flows.clean_articles import clean_articles\n",
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "MissingExtraError: the Prefect flows need the flows extra" in done.stderr
    assert INSTALL_HINT in done.stderr

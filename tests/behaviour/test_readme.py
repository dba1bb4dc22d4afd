"""The README's first two commands are the ones CI runs."""

from __future__ import annotations

import re

from tests.support import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_starts_with_install_run_and_test_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.index("```bash")
    assert text[:first_block].count("\n") <= 3
    install, tests = _readme_commands()
    assert "pip install" in install and "pipeline run seeds" in install
    assert "pytest" in tests


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in _readme_commands():
        assert command in ci.splitlines()

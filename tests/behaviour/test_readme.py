"""The README tells a user the truth: its commands are CI's, and it documents every
config key (with its default), every flag and every removal reason the code has.

Each test fails when the code gains a key, a flag or a reason the README does not name,
and when the README names one the code no longer has.
"""

from __future__ import annotations

import enum
import re
import tomllib
from typing import Any

import pytest

from pipeline import cli as pipeline_cli
from pipeline.config import PipelineConfig
from pipeline.model import Reason
from tests.support import ROOT

README = ROOT / "README.md"


def _text() -> str:
    return README.read_text(encoding="utf-8")


def _section(heading: str) -> str:
    """The README from the `## heading` line to the next `## ` heading."""
    text = _text()
    start = re.search(rf"^## {re.escape(heading)}\s*$", text, flags=re.MULTILINE)
    assert start is not None, f"README has no '## {heading}' section"
    end = text.find("\n## ", start.end())
    return text[start.start() : end if end != -1 else None]


def _readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", _text(), flags=re.S)[:2]


def test_readme_starts_with_install_run_and_test_commands() -> None:
    text = _text()
    first_block = text.index("```bash")
    assert text[:first_block].count("\n") <= 3
    install, tests = _readme_commands()
    assert "pip install" in install and "pipeline run seeds" in install
    assert "pytest" in tests


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in _readme_commands():
        assert command in ci.splitlines()


# --- configuration ------------------------------------------------------------------


def _config_block() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", _section("Configuration"), flags=re.S)
    assert len(blocks) == 1, "the Configuration section holds one TOML block"
    return str(blocks[0])


def _typed(value: Any) -> Any:
    """A value with its type, so that 1 and 1.0 or 0 and false do not compare equal."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return ("list", [_typed(item) for item in value])
    if isinstance(value, enum.StrEnum):  # a choice, written in TOML as its string
        return ("str", str(value))
    return (type(value).__name__, value)


def test_readme_config_block_is_every_key_with_its_default() -> None:
    documented = tomllib.loads(_config_block())
    defaults = PipelineConfig().to_dict()
    assert sorted(documented) == sorted(defaults), "sections"
    for section, values in defaults.items():
        assert sorted(documented[section]) == sorted(values), f"keys of [{section}]"
        assert _typed(documented[section]) == _typed(values), f"defaults of [{section}]"


def test_readme_config_block_is_a_valid_config_file() -> None:
    assert PipelineConfig.from_mapping(tomllib.loads(_config_block())) == PipelineConfig()


def test_every_readme_config_key_says_what_it_means() -> None:
    keys = [line for line in _config_block().splitlines() if re.match(r"^[a-z_]+ = ", line)]
    assert len(keys) == sum(len(section) for section in PipelineConfig().to_dict().values())
    for line in keys:
        comment = line.partition(" # ")[2].strip()
        assert len(comment) > 3, f"no meaning given for: {line}"


# --- flags --------------------------------------------------------------------------

HELP_FLAG = re.compile(r"^\s+(--[a-z][a-z-]*)", flags=re.MULTILINE)
TABLE_FLAG = re.compile(r"^\| `(--[a-z][a-z-]*)", flags=re.MULTILINE)


def _help_flags(help_text: str) -> set[str]:
    return set(HELP_FLAG.findall(help_text)) - {"--help"}


def _pipeline_help(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        pipeline_cli.main(["run", "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_readme_usage_table_is_every_flag_of_pipeline_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    documented = set(TABLE_FLAG.findall(_section("Usage")))
    assert documented == _help_flags(_pipeline_help(capsys))


def test_readme_documents_every_flag_of_the_flow_and_serve(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("prefect", reason="the flows extra is not installed")
    from flows import serve
    from flows.clean_articles import cli as flow_cli

    documented = set(TABLE_FLAG.findall(_section("Usage"))) | set(
        TABLE_FLAG.findall(_section("Prefect flows"))
    )
    commands = {
        "pipeline run": _help_flags(_pipeline_help(capsys)),
        "flows.clean_articles": _help_flags(flow_cli.build_parser().format_help()),
        "flows.serve": _help_flags(serve.build_parser().format_help()),
    }
    for command, flags in commands.items():
        assert flags - documented == set(), command
    assert documented - set().union(*commands.values()) == set(), "flags no command has"


# --- removal reasons ----------------------------------------------------------------


def test_readme_names_every_removal_reason() -> None:
    section = _section("Removal reasons")
    documented = set(re.findall(r"^\| `([a-z-]+)`", section, flags=re.MULTILINE))
    assert documented == {reason.value for reason in Reason}

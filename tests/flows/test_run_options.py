"""`python -m pipeline run` and the flow's command line take one set of run options.

Both parsers get them from `pipeline.run_options`; these tests hold them to it: the
same help text option for option, a flow parameter for every option, and the same
config out of the same flags (read back from the manifests the two runs write).
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from flows.clean_articles import clean_articles, run_parameters
from flows.clean_articles import cli as flow_cli
from pipeline import cli as pipeline_cli
from pipeline.output import ARTICLES, MANIFEST, QUARANTINE
from pipeline.run_options import RunOptions
from tests.support import SEEDS

FLOW_ONLY = {"--chunk-size", "--task-runner", "--dask-address"}


def help_text(main: object, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)  # type: ignore[operator]
    assert done.value.code == 0
    return capsys.readouterr().out


def sections(text: str) -> dict[str, str]:
    """Help text by section: the heading line ("options:") to the next blank line."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return {block.splitlines()[0]: block for block in blocks[1:]}


def flags(text: str) -> set[str]:
    return set(re.findall(r"^  (--[a-z-]+)", text, flags=re.MULTILINE))


@pytest.fixture
def helps(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width
    pipeline_help = help_text(pipeline_cli.main, ["run", "--help"], capsys)
    flow_help = help_text(flow_cli.main, ["--help"], capsys)
    return pipeline_help, flow_help


def test_the_flow_help_lists_every_run_option_word_for_word(helps: tuple[str, str]) -> None:
    pipeline_help, flow_help = sections(helps[0]), sections(helps[1])
    for heading in ("positional arguments:", "options:", "outputs (under --out):"):
        assert flow_help[heading] == pipeline_help[heading], heading


def test_the_flow_adds_only_its_own_options(helps: tuple[str, str]) -> None:
    pipeline_help, flow_help = helps
    assert flags(flow_help) - flags(pipeline_help) == FLOW_ONLY
    assert flags(pipeline_help) >= {
        "--workers",
        "--index",
        "--reset-index",
        "--drop-duplicate-articles",
        "--drop-cross-document-duplicates",
        "--no-progress",
    }
    assert flags(pipeline_help) <= flags(flow_help)


def test_every_run_option_is_a_flow_parameter() -> None:
    options = RunOptions(inputs=("seeds",), out=Path("output"))
    parameters = inspect.signature(clean_articles.fn).parameters
    missing = set(run_parameters(options)) - set(parameters)
    assert not missing
    json.dumps(run_parameters(options))  # what a deployment stores


@pytest.mark.usefixtures("prefect_server")
def test_the_flow_honours_every_option_as_the_cli_does(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[report]\nmax_articles = 3\n")
    options = [
        "--config",
        str(config),
        "--workers",
        "1",
        "--drop-duplicate-articles",
        "--drop-cross-document-duplicates",
        "--index",
        str(tmp_path / "index.sqlite"),
        "--reset-index",
        "--no-progress",
    ]
    cli_out, flow_out = tmp_path / "cli", tmp_path / "flow"
    assert pipeline_cli.main(["run", str(SEEDS), "--out", str(cli_out), *options]) == 0
    assert flow_cli.main([str(SEEDS), "--out", str(flow_out), *options]) == 0

    cli_config = json.loads((cli_out / MANIFEST).read_text())["config"]
    flow_config = json.loads((flow_out / MANIFEST).read_text())["config"]
    assert flow_config == cli_config
    assert cli_config["parallel"]["workers"] == 1 and cli_config["report"]["max_articles"] == 3
    flagged = {
        "drop_duplicate_articles": True,
        "drop_cross_document_duplicates": True,
        "reset_index": True,
        "index": str(tmp_path / "index.sqlite"),
    }
    assert {key: cli_config["crossdoc"][key] for key in flagged} == flagged
    for name in (ARTICLES, QUARANTINE):
        assert (flow_out / name).read_bytes() == (cli_out / name).read_bytes(), name

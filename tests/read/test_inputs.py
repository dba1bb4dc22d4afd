"""The output folder is never an input, however the inputs reach it; the log says so once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.read import InputFile, expand_inputs


def _tree(root: Path) -> tuple[Path, Path]:
    """An input folder holding `page.html` and the output folder `out/` with files."""
    (root / "in" / "out" / "articles").mkdir(parents=True)
    (root / "in" / "page.html").write_text("<p>x</p>")
    (root / "in" / "out" / "articles.jsonl").write_text("{}\n")
    (root / "in" / "out" / "articles" / "0123456789abcdef.md").write_text("# x")
    return root / "in", root / "in" / "out"


def _link_to_an_output(inputs: Path, out: Path) -> list[str]:
    (inputs / "link.jsonl").symlink_to(out / "articles.jsonl")
    return [str(inputs)]


CASES: dict[str, Callable[[Path, Path], list[str]]] = {
    "inside-a-folder": lambda inputs, out: [str(inputs)],
    "named": lambda inputs, out: [str(out), str(inputs / "page.html")],
    "a-file-in-it-named": lambda inputs, out: [str(out / "articles.jsonl"), str(inputs)],
    "through-dots": lambda inputs, out: [str(inputs / "out" / ".." / "out" / "articles")],
    "a-glob": lambda inputs, out: [f"{inputs}/**/*.*"],
    "a-link-to-a-file-in-it": _link_to_an_output,
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_the_output_folder_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    inputs, out = _tree(tmp_path)
    given = CASES[case](inputs, out)
    with caplog.at_level(logging.INFO, logger="pipeline"):
        found = list(expand_inputs(given, output=out))
    page = [] if case == "through-dots" else [str(inputs / "page.html")]
    assert [item.source for item in found] == page
    assert all(isinstance(item, InputFile) for item in found)
    notes = [r.getMessage() for r in caplog.records if "output folder" in r.getMessage()]
    assert len(notes) == 1 and str(out) in notes[0]


def test_without_an_output_folder_everything_is_read(tmp_path: Path) -> None:
    inputs, _ = _tree(tmp_path)
    assert len(list(expand_inputs([str(inputs)]))) == 3

"""A config the code cannot use stops the run at start: exit 2, one line naming the key.

Before, each of these was accepted and then failed every document (an empty corpus, exit
0) or the run ended in a traceback. Nothing is read or written when the config is bad.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.support import ROOT, SEEDS

BAD = {
    "pattern": ("[clean]\nextra_patterns = ['(unclosed']\n", "clean.extra_patterns[0]"),
    "end-marker": ("[clean]\nextra_end_markers = ['*x']\n", "clean.extra_end_markers[0]"),
    "nan-seconds": ("[limits]\ndocument_seconds = nan\n", "limits.document_seconds"),
    "negative-seed": ("[dedupe]\nseed = -1\n", "dedupe.seed"),
    "huge-seed": ("[crossdoc]\nseed = 99999999999\n", "crossdoc.seed"),
    "one-permutation": ("[dedupe]\nnum_perm = 1\n", "dedupe.num_perm"),
    "recall-one": ("[crossdoc]\nlsh_recall = 1.0\n", "crossdoc.lsh_recall"),
    "max-bytes": ("[read]\nmax_bytes = 9223372036854775807\n", "read.max_bytes"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_value_fails_at_start_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    text, key = BAD[name]
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and key in err, err
    assert not out.exists()


def test_infinite_seconds_and_a_byte_order_mark_run(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"\xef\xbb\xbf[limits]\ndocument_seconds = inf\n[parallel]\nworkers = 1\n")
    out = tmp_path / "out"
    command = ["run", str(SEEDS), "--out", str(out), "--config", str(config), "--no-progress"]
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(list(SEEDS.iterdir()))

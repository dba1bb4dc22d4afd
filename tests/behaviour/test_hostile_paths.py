"""One file reached by several paths is processed once, under the first name given.

Before, `seeds/x` and `seeds/../seeds/x` (or a link beside the file) were two inputs: the
same article came out twice and the counts disagreed with the files on disk.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.runtime import run
from tests.support import SEEDS


def test_a_file_named_by_two_paths_is_one_input(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    first = sorted(seeds.iterdir())[0]
    os.link(first, seeds / "zz-hard-link.txt")
    dotted = str(seeds / ".." / "seeds" / first.name)
    out = tmp_path / "out"
    summary = run([dotted, str(seeds)], out, PipelineConfig(parallel=ParallelConfig(workers=1)))
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    got = sorted(json.loads(line)["source"] for line in lines)
    others = [str(p) for p in sorted(SEEDS.iterdir())[1:]]
    assert got == sorted([dotted, *(o.replace(str(SEEDS), str(seeds)) for o in others)])
    assert summary.articles == len(list(SEEDS.iterdir()))

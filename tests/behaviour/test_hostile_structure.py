"""Pages whose structure costs libxml2 and the extractors far more than their size, beside
good pages: each is refused before parsing, cheaply, and every good page comes through.

One element with 300,000 attributes (3.5 MB) took 480 s in libxml2 (quadratic in the
attributes of one element, and in C where the time limit cannot stop it); 17.5 MB of
`w<br>` peaked at 2 GB. The sizes here are scaled down to where the old code already took
seconds; `bench/hostile.py` runs the full sizes.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.runtime import run
from tests.behaviour.test_hostile_strings import page


def test_pathological_structure_is_refused_cheaply(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    good = []
    for i in range(3):
        (dump / f"good-{i}.html").write_text(page(i), encoding="utf-8")
        good.append(str(dump / f"good-{i}.html"))
    crowded = "<p " + " ".join(f"a{i}=1" for i in range(30_000)) + ">"
    (dump / "attributes.html").write_text(page(7).replace("<p>", crowded, 1), encoding="utf-8")
    (dump / "breaks.html").write_text(page(8).replace("<p>", "<p>" + "w<br>" * 250_000, 1))
    out = tmp_path / "out"
    started = time.perf_counter()
    run([str(dump)], out, PipelineConfig(parallel=ParallelConfig(workers=1)))
    assert time.perf_counter() - started < 15  # the old code took ~25 s on these two
    articles = [json.loads(line) for line in (out / "articles.jsonl").open(encoding="utf-8")]
    assert sorted(a["source"] for a in articles) == good
    reasons = {
        Path(q["source"]).name: q["reason"]
        for q in map(json.loads, (out / "quarantine.jsonl").open(encoding="utf-8"))
    }
    assert set(reasons) == {"attributes.html", "breaks.html"}
    assert all(r.startswith("pathological HTML") for r in reasons.values()), reasons

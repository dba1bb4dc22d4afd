"""What the paragraph scorer costs a run: its import and model load, and CPU per page.

    python -m bench.scorer_cost [--limit N] [--cache FILE]

Import and load are measured in a fresh interpreter (`-X importtime` would count the
modules a run imports anyway); per-page CPU is the cleaning stage with the scorer minus
without it, on the development pages as extracted (`bench.scorer_data`), with
`time.process_time` so other load on the machine does not count.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.scorer_data import load_all
from pipeline.clean import clean_paragraphs, scorer_for
from pipeline.config import CleanConfig, PipelineConfig

_FRESH = """
import time
t = time.process_time()
import pipeline.process
base = time.process_time() - t
t = time.process_time()
from pipeline.clean.scorer import load_model
load_model("")
print(base, time.process_time() - t)
"""


def import_and_load() -> tuple[float, float]:
    """CPU seconds to import the pipeline, then to read and check the bundled model."""
    out = subprocess.run(
        [sys.executable, "-c", _FRESH], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def per_page(limit: int | None, cache: Path | None) -> tuple[int, float, float]:
    config = PipelineConfig()
    pages = [p for p in load_all(config, cache) if p.document is not None][:limit]
    scoring = CleanConfig(scorer=True)
    scorer = scorer_for(scoring)
    totals = [0.0, 0.0]
    for page in pages:
        document = page.document
        assert document is not None
        for slot, chosen in enumerate((None, scorer)):
            start = time.process_time()
            clean_paragraphs(
                document.paragraphs,
                scoring,
                title=document.metadata.title,
                scorer=chosen,
                language=document.language,
            )
            totals[slot] += time.process_time() - start
    n = max(1, len(pages))
    return len(pages), totals[0] / n, totals[1] / n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--cache", type=Path, help="pickle of the extracted pages")
    args = parser.parse_args(argv)
    imported, loaded = import_and_load()
    print(f"import pipeline.process: {imported:.3f} s CPU; bundled model load: {loaded:.4f} s")
    n, rules, scored = per_page(args.limit, args.cache)
    print(
        f"{n} pages: cleaning {rules * 1000:.2f} ms/page rules alone, {scored * 1000:.2f} ms/page"
        f" with the scorer (+{(scored - rules) * 1000:.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

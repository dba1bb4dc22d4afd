"""The most two processes can gain on this machine: per-page work only, no pipeline.

    python bench/ceiling.py [--corpus /tmp/newsclean-throughput/corpus-1000.warc.gz]

Reads the corpus of `bench/throughput.py` into memory, then times `process_document` on
every page, first in this process, then split over two forked processes (every other
page to each, so both get the same mix). Nothing else runs: no reading, no pool
hand-off, no cross-document step, no writing. The speed-up printed is therefore an upper
bound for `pipeline run --workers 2` against `--workers 1`; "CPU inflation" is how much
more CPU the same pages cost when both cores work at once (shared caches and memory
bandwidth, or a hypervisor's sibling threads).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import PipelineConfig  # noqa: E402
from pipeline.model import RawDocument  # noqa: E402
from pipeline.process import process_all  # noqa: E402
from pipeline.read.inputs import expand_inputs  # noqa: E402
from pipeline.read.page import iter_documents  # noqa: E402

_CONFIG = PipelineConfig()


def _work(pages: list[RawDocument]) -> float:
    started = time.process_time()
    for _ in process_all(pages, _CONFIG):
        pass
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path("/tmp/newsclean-throughput/corpus-1000.warc.gz")
    )
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} not found: run bench/throughput.py first")
    pages = [
        doc
        for item in expand_inputs([str(args.corpus)])
        for doc in iter_documents(item, _CONFIG.read)
        if isinstance(doc, RawDocument)
    ]
    _work(pages[:20])  # warm caches and lazy imports outside the timings
    started = time.perf_counter()
    one_cpu = _work(pages)
    one_wall = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        two_cpu = pool.map(_work, [pages[0::2], pages[1::2]])
        two_wall = time.perf_counter() - started
    print(f"{len(pages)} pages from {args.corpus}")
    print(f"one process : {one_wall:6.2f} s wall, {one_cpu:6.2f} s CPU")
    print(
        f"two processes: {two_wall:6.2f} s wall, {sum(two_cpu):6.2f} s CPU "
        f"({' + '.join(f'{c:.2f}' for c in two_cpu)})"
    )
    print(f"speed-up {one_wall / two_wall:.2f}x; CPU inflation {sum(two_cpu) / one_cpu:.2f}x")
    print(f"balanced bound: {2 * one_cpu / sum(two_cpu):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

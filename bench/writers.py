"""CPU of the writers' tail (`write_outputs`) over N generated article records.

    python bench/writers.py [--n 5000] [--repeat 3]

Times `pipeline.output.write_outputs` (every file: JSONL, Markdown, Parquet, the report,
the manifest) with `time.process_time` of this process (Parquet's background thread
included), into a fresh folder and then again into the same folder (a rerun: the earlier
run's Markdown files are checked against its manifest). Prints the median of `--repeat`
runs of each. Run it on two commits to see what a change to the writers costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.model import Article, Format, Metadata, Paragraph  # noqa: E402
from pipeline.output import write_outputs  # noqa: E402
from pipeline.records import ArticleRecord, article_record  # noqa: E402

WORDS = ("harbour", "ferry", "terminal", "spring", "builder")
WORDS += ("dispute", "travellers", "sheds", "shops", "trade")


def records(n: int) -> list[ArticleRecord]:
    made = []
    for i in range(n):
        paragraphs = tuple(
            Paragraph(" ".join(WORDS[(i + k + j) % len(WORDS)] for j in range(40)) + f" {i}.")
            for k in range(12)
        )
        meta = Metadata(title=f"Harbour news {i}", url=f"https://example.org/{i}")
        made.append(article_record(Article(f"page-{i}.html", Format.HTML, meta, paragraphs)))
    return made


def timed(out: Path, articles: list[ArticleRecord]) -> float:
    started = time.process_time()
    write_outputs(out, articles, [], {"counts": {"inputs": len(articles)}})
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = records(args.n)
    fresh, rerun = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            fresh.append(timed(Path(folder), articles))
            rerun.append(timed(Path(folder), articles))
    print(
        f"{args.n} articles: fresh {statistics.median(fresh):.2f} s CPU, "
        f"rerun {statistics.median(rerun):.2f} s CPU (median of {args.repeat})"
    )


if __name__ == "__main__":
    main()

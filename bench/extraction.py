"""Extraction quality and cost on the Scrapinghub development pages, in one run.

Scores our pipeline (extract + clean + dedupe, `Article.text`) and trafilatura alone in
its three modes with the benchmark's own metric (`bench.scoring`), and prints F1,
precision, recall and CPU seconds per document (`time.process_time`, so other load on the
machine does not count) plus each system's CPU relative to trafilatura's default.

    python -m bench.extraction [--limit N] [--ids ID ...] [--show-worst K]
                               [--systems ours,default,precision,recall] [--repeat R]

Both sides get the same decompressed bytes (gunzip is not timed) and decode them
themselves. A quarantined page counts as an empty prediction.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from bench.scoring import Match, Score, match, score
from pipeline.clean import clean_paragraphs
from pipeline.config import PipelineConfig
from pipeline.extract.document import extract_document
from pipeline.model import Article, RawDocument
from pipeline.process import process_document

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "bench" / "scrapinghub-dev"


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    truth: str
    data: bytes


Extractor = Callable[[Page], str]


def load_pages(
    root: Path = DEV_SET, ids: Sequence[str] | None = None, limit: int | None = None
) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth) if not ids else list(ids)
    if limit is not None:
        keys = keys[:limit]
    pages = []
    for key in keys:
        data = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        entry = truth[key]
        pages.append(Page(key, entry.get("url", ""), entry.get("articleBody", ""), data))
    return pages


def ours(config: PipelineConfig | None = None) -> Extractor:
    cfg = config or PipelineConfig()

    def run(page: Page) -> str:
        raw = RawDocument(source=f"{page.id}.html", data=page.data, url=page.url or None)
        outcome = process_document(raw, cfg)
        return outcome.text if isinstance(outcome, Article) else ""

    return run


def extract_and_clean(config: PipelineConfig | None = None) -> Extractor:
    """Our stages up to cleaning, without the in-document deduplication: the part that
    does what trafilatura does, for a like-for-like CPU comparison."""
    cfg = config or PipelineConfig()

    def run(page: Page) -> str:
        raw = RawDocument(source=f"{page.id}.html", data=page.data, url=page.url or None)
        document = extract_document(raw, cfg.extract)
        decision = clean_paragraphs(document.paragraphs, cfg.clean, title=document.metadata.title)
        return "\n\n".join(document.paragraphs[i].text for i in decision.kept)

    return run


def trafilatura_mode(**options: bool) -> Extractor:
    def run(page: Page) -> str:
        text = trafilatura.extract(page.data, include_comments=False, **options)
        return text or ""

    return run


SYSTEMS: dict[str, Callable[[], Extractor]] = {
    "ours": ours,
    "extract": extract_and_clean,
    "default": lambda: trafilatura_mode(),
    "precision": lambda: trafilatura_mode(favor_precision=True),
    "recall": lambda: trafilatura_mode(favor_recall=True),
}
LABELS = {
    "ours": "newsclean pipeline",
    "extract": "newsclean extract+clean",
    "default": "trafilatura default",
    "precision": "trafilatura favor_precision",
    "recall": "trafilatura favor_recall",
}


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    score: Score
    cpu_per_doc: float
    matches: tuple[Match, ...]
    predictions: tuple[str, ...]


def evaluate(systems: dict[str, Extractor], pages: Sequence[Page], repeat: int = 1) -> list[Result]:
    """Run every system on each page in turn, so load on a shared machine hits all alike.

    A page's CPU time is the least of `repeat` runs: noise only ever adds time.
    """
    matches: dict[str, list[Match]] = {name: [] for name in systems}
    predictions: dict[str, list[str]] = {name: [] for name in systems}
    cpu = dict.fromkeys(systems, 0.0)
    for page in pages:
        for name, extractor in systems.items():
            best = float("inf")
            for _ in range(max(1, repeat)):
                start = time.process_time()
                predicted = extractor(page)
                best = min(best, time.process_time() - start)
            cpu[name] += best
            predictions[name].append(predicted)
            matches[name].append(match(page.truth, predicted))
    return [
        Result(
            name,
            score(matches[name]),
            cpu[name] / max(1, len(pages)),
            tuple(matches[name]),
            tuple(predictions[name]),
        )
        for name in systems
    ]


def report(results: Sequence[Result], out: Callable[[str], None] = print) -> None:
    base = next((r.cpu_per_doc for r in results if r.name == "default"), None)
    out(f"{'system':<30} {'F1':>6} {'P':>6} {'R':>6} {'CPU s/doc':>10} {'CPU/default':>12}")
    for r in results:
        ratio = f"{r.cpu_per_doc / base:.2f}x" if base else "-"
        out(
            f"{LABELS.get(r.name, r.name):<30} {r.score.f1:6.3f} {r.score.precision:6.3f}"
            f" {r.score.recall:6.3f} {r.cpu_per_doc:10.4f} {ratio:>12}"
        )


def show_worst(
    result: Result, pages: Sequence[Page], k: int, out: Callable[[str], None] = print
) -> None:
    out(f"\nworst {k} documents for {LABELS.get(result.name, result.name)}:")
    order = sorted(range(len(pages)), key=lambda i: result.matches[i].f1)
    for i in order[:k]:
        m = result.matches[i]
        out(
            f"  F1={m.f1:.3f} P={m.precision:.3f} R={m.recall:.3f}"
            f"  {pages[i].id[:16]}  {pages[i].url}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.extraction", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by id)")
    parser.add_argument("--ids", nargs="+", help="only these page ids")
    parser.add_argument(
        "--show-worst",
        type=int,
        default=0,
        metavar="K",
        help="print the K worst pages of our pipeline",
    )
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma-separated subset of {','.join(SYSTEMS)}",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="time each page N times, keep the least CPU"
    )
    parser.add_argument("--data", type=Path, default=DEV_SET, help="benchmark folder")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s): {', '.join(unknown)}")
    if not (args.data / "ground-truth.json").is_file():
        print(f"error: no benchmark at {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.ids, args.limit)
    # Warm imports and caches once, outside the timed loop, for every system alike.
    for name in names:
        SYSTEMS[name]()(pages[0])
    results = evaluate({name: SYSTEMS[name]() for name in names}, pages, args.repeat)
    print(f"{len(pages)} pages from {args.data}")
    report(results)
    if args.show_worst:
        for r in results:
            if r.name == "ours":
                show_worst(r, pages, args.show_worst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

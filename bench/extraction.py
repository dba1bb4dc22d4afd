"""Extraction quality and cost on both development sets, ours against trafilatura.

Scores our pipeline (extract + clean + dedupe, `Article.text`) and trafilatura alone in
its three modes (bare defaults with its fallbacks, `favor_precision`, `favor_recall`) on
the same pages in the same run, each set with its own metric (`bench.scoring`): F1,
precision, recall, CPU seconds per page (`time.process_time`, so other load on the
machine does not count) and CPU relative to trafilatura's default; for WCXB also the
share of `with` snippets found and of `without` snippets absent. Then the per-site
spread (`bench.breakdown`), and with `--show-worst K` the K pages of lowest recall for
ours, with the body paragraphs we removed and why. With `--cv K`, our figures with the
paragraph scorer, each page scored by a model trained on the other folds' sites only
(`bench.scorer_fit`), beside the rules alone on the same pages.

    python -m bench.extraction [--set scrapinghub|wcxb|both] [--limit N] [--ids ID ...]
        [--systems ours,default,precision,recall] [--show-worst K] [--sites K]
        [--losses] [--repeat R] [--cv K [--cv-cache FILE]]

Both sides get the same decompressed bytes and decode them themselves. A quarantined
page counts as an empty prediction. Other scripts import `evaluate`, `SYSTEMS` and
`bench.datasets.load_set` to add their own figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from bench.breakdown import losses, show_worst, site_spread
from bench.datasets import SETS, DataSet, Page, load_pages
from bench.scoring import SHINGLE_METRIC, Match, Metric, Score, SnippetCounts, TokenMatch
from bench.scoring import snippet_counts as count_snippets
from pipeline.clean import clean_paragraphs
from pipeline.config import PipelineConfig
from pipeline.extract.document import extract_document
from pipeline.model import Article, Quarantine, RawDocument
from pipeline.process import process_document

__all__ = ["SYSTEMS", "Page", "Result", "evaluate", "load_pages", "ours", "report"]

Extractor = Callable[[Page], str]


class Ours:
    """Our whole pipeline on one page; remembers each page's outcome (the Article with
    its removal records, or the Quarantine) for the loss reports."""

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self.outcomes: dict[str, Article | Quarantine] = {}

    def outcome(self, page: Page) -> Article | Quarantine:
        raw = RawDocument(source=f"{page.id}.html", data=page.data, url=page.url or None)
        return process_document(raw, self.config)

    def __call__(self, page: Page) -> str:
        outcome = self.outcome(page)
        self.outcomes[page.id] = outcome
        return outcome.text if isinstance(outcome, Article) else ""


def ours(config: PipelineConfig | None = None) -> Ours:
    return Ours(config)


def extract_and_clean(config: PipelineConfig | None = None) -> Extractor:
    """Our stages up to cleaning, without the in-document deduplication: the part that
    does what trafilatura does, for a like-for-like CPU comparison."""
    cfg = config or PipelineConfig()

    def run(page: Page) -> str:
        raw = RawDocument(source=f"{page.id}.html", data=page.data, url=page.url or None)
        document = extract_document(raw, cfg.extract, sources=cfg.clean.scorer)
        decision = clean_paragraphs(document.paragraphs, cfg.clean, title=document.metadata.title)
        return "\n\n".join(document.paragraphs[i].text for i in decision.kept)

    return run


def trafilatura_mode(favor_precision: bool = False, favor_recall: bool = False) -> Extractor:
    def run(page: Page) -> str:
        text = trafilatura.extract(
            page.data,
            include_comments=False,
            favor_precision=favor_precision,
            favor_recall=favor_recall,
        )
        return text or ""

    return run


SYSTEMS: dict[str, Callable[[], Extractor]] = {
    "ours": ours,
    "extract": extract_and_clean,
    "default": lambda: trafilatura_mode(),
    "precision": lambda: trafilatura_mode(favor_precision=True),
    "recall": lambda: trafilatura_mode(favor_recall=True),
}
DEFAULT_SYSTEMS = ("ours", "default", "precision", "recall")
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
    matches: tuple[Match | TokenMatch, ...]
    predictions: tuple[str, ...]
    snippets: SnippetCounts | None = None


def evaluate(
    systems: dict[str, Extractor],
    pages: Sequence[Page],
    repeat: int = 1,
    metric: Metric = SHINGLE_METRIC,
    snippets: bool = False,
) -> list[Result]:
    """Run every system on each page in turn, so load on a shared machine hits all alike.

    A page's CPU time is the least of `repeat` runs: noise only ever adds time.
    """
    matches: dict[str, list[Match | TokenMatch]] = {name: [] for name in systems}
    predictions: dict[str, list[str]] = {name: [] for name in systems}
    found = dict.fromkeys(systems, SnippetCounts())
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
            matches[name].append(metric.match(page.truth, predicted))
            if snippets:
                found[name] += count_snippets(predicted, page.with_snippets, page.without_snippets)
    return [
        Result(
            name,
            metric.score(matches[name]),
            cpu[name] / max(1, len(pages)),
            tuple(matches[name]),
            tuple(predictions[name]),
            found[name] if snippets else None,
        )
        for name in systems
    ]


def report(results: Sequence[Result], out: Callable[[str], None] = print) -> None:
    base = next((r.cpu_per_doc for r in results if r.name == "default"), None)
    snippets = any(r.snippets is not None for r in results)
    head = f"{'system':<28} {'F1':>6} {'P':>6} {'R':>6} {'CPU s/doc':>10} {'CPU/def':>8}"
    out(head + (f" {'with':>6} {'without':>8}" if snippets else ""))
    for r in results:
        ratio = f"{r.cpu_per_doc / base:.2f}x" if base else "-"
        line = (
            f"{LABELS.get(r.name, r.name):<28} {r.score.f1:6.3f} {r.score.precision:6.3f}"
            f" {r.score.recall:6.3f} {r.cpu_per_doc:10.4f} {ratio:>8}"
        )
        if r.snippets is not None:
            line += f" {r.snippets.with_rate:6.3f} {r.snippets.without_rate:8.3f}"
        out(line)


def run_set(
    data: DataSet, pages: Sequence[Page], names: Sequence[str], args: argparse.Namespace
) -> list[Result]:
    systems = {name: SYSTEMS[name]() for name in names}
    # Warm imports and caches once, outside the timed loop, for every system alike.
    for extractor in systems.values():
        extractor(pages[0])
    results = evaluate(systems, pages, args.repeat, data.metric, data.snippets)
    print(f"\n== {data.name}: {len(pages)} pages from {data.root} ({data.metric.name})")
    report(results)
    by_name = {r.name: r for r in results}
    site_spread(results, pages, data.metric, args.sites, LABELS)
    pipeline = systems.get("ours")
    if isinstance(pipeline, Ours):
        if args.losses:
            losses(pages, pipeline.outcomes)
        if args.show_worst:
            show_worst(
                by_name["ours"], pages, pipeline.outcomes, args.show_worst, by_name.get("default")
            )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.extraction", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--set", choices=[*SETS, "both"], default="both")
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by id)")
    parser.add_argument("--ids", nargs="+", help="only these page ids")
    parser.add_argument(
        "--show-worst", type=int, default=0, metavar="K", help="the K pages of lowest recall"
    )
    parser.add_argument(
        "--sites", type=int, default=10, metavar="K", help="list the K sites ours trails most"
    )
    parser.add_argument(
        "--losses", action="store_true", help="body paragraphs ours removed, by reason"
    )
    parser.add_argument(
        "--systems",
        default=",".join(DEFAULT_SYSTEMS),
        help=f"comma-separated subset of {','.join(SYSTEMS)}",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each page N times, keep the least CPU"
    )
    parser.add_argument("--data", type=Path, help="another folder in the format of --set")
    parser.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="also ours with the paragraph scorer, cross-validated by site in K folds over "
        "both sets (needs the `train` extra)",
    )
    parser.add_argument("--cv-cache", type=Path, help="pickle of the extracted pages for --cv")
    parser.add_argument(
        "--no-metadata",
        action="store_true",
        help="skip the title/author/date hit rates on wcxb-dev (bench.metadata)",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s): {', '.join(unknown)}")
    chosen = list(SETS) if args.set == "both" else [args.set]
    if args.data and len(chosen) != 1:
        parser.error("--data needs one --set")
    for key in chosen:
        data = SETS[key]
        if args.data:
            data = DataSet(data.name, args.data, data.metric, data.snippets)
        if not (data.root / "ground-truth.json").is_file():
            print(f"error: no benchmark at {data.root}", file=sys.stderr)
            return 2
        pages = load_pages(data.root, args.ids, args.limit)
        if pages:
            run_set(data, pages, names, args)
        if key == "wcxb" and not args.no_metadata:
            _metadata(data.root, args)
    if args.cv:
        from bench.scorer_fit import report_cv

        report_cv(args.cv, args.cv_cache)
    return 0


def _metadata(root: Path, args: argparse.Namespace) -> None:
    """WCXB's truth has title, author and date: ours against trafilatura's metadata, on
    the same pages (`bench.metadata` holds the matching rules)."""
    from bench import metadata

    pages = metadata.load_meta_pages(root, args.ids, args.limit)
    systems = {name: make() for name, make in metadata.SYSTEMS.items()}
    print("\nmetadata hit rates (wcxb-dev; wrong = an author the truth does not have):")
    metadata.report(metadata.evaluate_metadata(systems, pages), pages, folds=5)


if __name__ == "__main__":
    raise SystemExit(main())

"""Train the paragraph scorer on the development pages and write its model file.

    pip install -c constraints.txt -e ".[train]"
    PYTHONPATH=. python scripts/train_scorer.py [--folds 5] [--cache FILE]
        [--out pipeline/clean/scorer.json] [--version V] [--baselines] [--no-write]

Reads both development sets from ../shared/bench (scrapinghub-dev, wcxb-dev), extracts
every page with the default config, labels each paragraph by its overlap with the
page's ground truth (`bench.scorer_data`), prints the figures of a `--folds`-fold
cross-validation grouped by site (each set with its own metric; with `--baselines`
also trafilatura's three modes on the same pages), then fits on every page and writes
the model file. The seed is fixed: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasets import SETS  # noqa: E402
from bench.scorer_data import LabelledPage, load_all, page_features, set_score  # noqa: E402
from bench.scorer_fit import SEED, cross_validate, train  # noqa: E402
from bench.scoring import Score  # noqa: E402
from pipeline.config import PipelineConfig  # noqa: E402

DEFAULT_OUT = ROOT / "pipeline" / "clean" / "scorer.json"


def baselines(pages: Sequence[LabelledPage], cache: Path | None) -> dict[str, dict[str, Score]]:
    """trafilatura's three modes on the same pages, each set with its own metric."""
    import gzip

    import trafilatura

    if cache is not None and cache.is_file():
        texts: dict[str, list[str]] = pickle.loads(cache.read_bytes())
    else:
        modes = {"default": {}, "favor_precision": {"favor_precision": True},
                 "favor_recall": {"favor_recall": True}}  # fmt: skip
        texts = {mode: [] for mode in modes}
        for page in pages:
            data = gzip.decompress(
                (SETS[page.set].root / "html" / f"{page.id}.html.gz").read_bytes()
            )
            for mode, options in modes.items():
                out = trafilatura.extract(data, include_comments=False, **options)
                texts[mode].append(out or "")
        if cache is not None:
            cache.write_bytes(pickle.dumps(texts))
    result = {}
    for mode, predicted in texts.items():
        result[mode] = {
            name: set_score(name, [(p.truth, t) for p, t in zip(pages, predicted, strict=True)
                                   if p.set == name])
            for name in SETS
        }  # fmt: skip
    return result


def _row(label: str, scores: dict[str, Score]) -> str:
    cells = "".join(
        f"  {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f}" for s in (scores[n] for n in SETS)
    )
    return f"{label:<34}{cells}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5, help="grouped k-fold by site (0: none)")
    parser.add_argument("--cache", type=Path, help="pickle of the extracted pages (made once)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--version", default=time.strftime("%Y-%m-%d", time.gmtime()))
    parser.add_argument("--baselines", action="store_true", help="also run trafilatura")
    parser.add_argument("--thresholds", default="0.5", help="comma-separated, for the CV")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args(argv)
    config = PipelineConfig()
    pages = load_all(config, args.cache)
    features = [page_features(p, config) for p in pages]
    rows = sum(f.shape[0] for f in features)
    positives = sum(sum(p.labels) for p in pages)
    sites = len({p.site for p in pages})
    print(f"{len(pages)} pages, {sites} sites, {rows} paragraphs ({positives} story)")
    print(f"{'':<34}" + "".join(f"  {n + ' F1':>6} {'P':>6} {'R':>6}" for n in SETS))
    if args.baselines:
        cache = args.cache.with_suffix(".trafilatura.pkl") if args.cache else None
        for mode, scores in baselines(pages, cache).items():
            print(_row(f"trafilatura {mode}", scores))
    if args.folds:
        thresholds = [float(t) for t in args.thresholds.split(",")]
        results = cross_validate(pages, features, config, args.folds, thresholds)
        print(_row("newsclean rules alone", results[thresholds[0]].rules))
        for threshold, cv in results.items():
            print(_row(f"newsclean + scorer, CV {args.folds} (t={threshold})", cv.scored))
    if args.no_write:
        return 0
    _, document = train(pages, features, range(len(pages)), args.version, SEED)
    text = json.dumps(document, separators=(",", ":")) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KB, sha256 {document['sha256'][:12]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

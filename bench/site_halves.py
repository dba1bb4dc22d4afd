"""Our pipeline's figures on one set split by site into two halves (no site in both).

A rule change written while reading some pages should help on sites it was not written
against: this prints F1/P/R for the whole set and for each half, sites ordered by the
sha256 of their name as in `bench.metadata.site_folds`, so a gain that holds on both
halves is not one site's.

    python -m bench.site_halves [--set wcxb|scrapinghub] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence

from bench.datasets import SETS, Page, load_set
from bench.extraction import evaluate, ours


def halves(pages: Sequence[Page]) -> list[list[int]]:
    """Page indexes in two groups of whole sites, sites ordered by a hash of the name."""
    sites = sorted({p.site for p in pages}, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
    half_of = {site: i * 2 // len(sites) for i, site in enumerate(sites)}
    groups: list[list[int]] = [[], []]
    for index, page in enumerate(pages):
        groups[half_of[page.site]].append(index)
    return groups


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.site_halves")
    parser.add_argument("--set", choices=list(SETS), default="wcxb")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    data = SETS[args.set]
    pages = load_set(args.set, limit=args.limit)
    (result,) = evaluate({"ours": ours()}, pages, metric=data.metric)
    rows = [("all", list(range(len(pages))))] + [
        (f"half {h}", group) for h, group in enumerate(halves(pages))
    ]
    print(f"{'pages':<8} {'n':>4} {'sites':>5} {'F1':>6} {'P':>6} {'R':>6}")
    for label, group in rows:
        s = data.metric.score([result.matches[i] for i in group])
        sites = len({pages[i].site for i in group})
        figures = f"{s.f1:6.4f} {s.precision:6.4f} {s.recall:6.4f}"
        print(f"{label:<8} {len(group):4d} {sites:5d} {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

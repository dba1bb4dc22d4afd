"""Where the figures of `bench.extraction` come from: per site, per page, per reason.

* `site_spread`: each system's score per site (the URL's registered domain), so a mean
  carried by a few sites shows; and the sites where ours trails trafilatura most.
* `show_worst`: the pages of lowest recall for ours, with trafilatura default's recall
  on the same page, the paragraphs of the truth we removed (with the reason recorded in
  the Article's `removed`) and how many we never extracted.
* `losses`: the same count over the whole set, by removal reason.

A paragraph "is body" when most of its lowercase 4-token shingles are in the truth (or,
under 4 tokens, when its normalised text is in the truth's).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from bench.datasets import Page
from bench.scoring import Metric, normalise
from pipeline.model import Article, Quarantine

if TYPE_CHECKING:
    from bench.extraction import Result

Out = Callable[[str], None]
_TOKEN = re.compile(r"\w+")
BODY_SHARE = 0.5
"""A paragraph with at least this share of its shingles in the truth is body."""


def _grams(text: str) -> list[tuple[str, ...]]:
    words = _TOKEN.findall(text.lower())
    return [tuple(words[i : i + 4]) for i in range(len(words) - 3)]


class TruthIndex:
    """Answers "is this paragraph in the truth?" and "which truth paragraphs are in
    this text?" for one page."""

    def __init__(self, truth: str) -> None:
        self.text = normalise(truth)
        self.grams = set(_grams(truth))
        self.paragraphs = [p for p in re.split(r"\n\s*\n", truth) if _TOKEN.search(p)]

    def holds(self, text: str) -> bool:
        grams = _grams(text)
        if not grams:
            return bool(normalise(text)) and normalise(text) in self.text
        return sum(1 for g in grams if g in self.grams) >= BODY_SHARE * len(grams)

    def missing(self, text: str) -> list[str]:
        """Truth paragraphs that `text` does not hold."""
        have = set(_grams(text))
        norm = normalise(text)
        out = []
        for para in self.paragraphs:
            grams = _grams(para)
            if grams:
                if sum(1 for g in grams if g in have) < BODY_SHARE * len(grams):
                    out.append(para)
            elif normalise(para) not in norm:
                out.append(para)
        return out


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def site_spread(
    results: Sequence[Result],
    pages: Sequence[Page],
    metric: Metric,
    k: int,
    labels: Mapping[str, str],
    out: Out = print,
) -> None:
    sites: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        sites[page.site].append(i)
    per_site = {
        r.name: {s: metric.score(r.matches[i] for i in idx).f1 for s, idx in sites.items()}
        for r in results
    }
    out(f"\nby site ({len(sites)} sites; F1 of each site's pages, then over sites):")
    out(f"{'system':<28} {'mean':>6} {'min':>6} {'p10':>6} {'p25':>6} {'median':>6}")
    for r in results:
        f1s = list(per_site[r.name].values())
        out(
            f"{labels.get(r.name, r.name):<28} {statistics.fmean(f1s):6.3f} {min(f1s):6.3f}"
            f" {_quantile(f1s, 0.1):6.3f} {_quantile(f1s, 0.25):6.3f}"
            f" {statistics.median(f1s):6.3f}"
        )
    if k and "ours" in per_site and "default" in per_site:
        gap = sorted(sites, key=lambda s: per_site["ours"][s] - per_site["default"][s])
        out("sites where ours trails trafilatura default most (F1 ours / default, pages):")
        for site in gap[:k]:
            ours, default = per_site["ours"][site], per_site["default"][site]
            if ours >= default:
                break
            out(f"  {ours:.3f} / {default:.3f}  {len(sites[site]):3d}  {site}")


def _body_removals(article: Article, index: TruthIndex) -> list[tuple[str, str, str]]:
    return [(str(r.reason), r.rule or "", r.text) for r in article.removed if index.holds(r.text)]


def show_worst(
    result: Result,
    pages: Sequence[Page],
    outcomes: Mapping[str, Article | Quarantine],
    k: int,
    reference: Result | None = None,
    out: Out = print,
) -> None:
    out(f"\n{k} pages of lowest recall for ours (R ours / trafilatura default):")
    order = sorted(range(len(pages)), key=lambda i: result.matches[i].recall)
    for i in order[:k]:
        page = pages[i]
        mine = result.matches[i]
        theirs = f"{reference.matches[i].recall:.3f}" if reference else "-"
        out(f"- {page.id}  R {mine.recall:.3f} / {theirs}  F1 {mine.f1:.3f}  {page.url}")
        outcome = outcomes.get(page.id)
        if isinstance(outcome, Quarantine):
            out(f"    quarantined ({outcome.stage}): {outcome.reason}")
            continue
        if outcome is None:
            continue
        index = TruthIndex(page.truth)
        extracted = "\n\n".join([outcome.text, *(r.text for r in outcome.removed)])
        never = index.missing(extracted)
        out(f"    truth paragraphs never extracted: {len(never)} of {len(index.paragraphs)}")
        for reason, rule, text in _body_removals(outcome, index):
            out(f"    removed body [{reason}/{rule}]: {text[:100]!r}")


def losses(
    pages: Sequence[Page], outcomes: Mapping[str, Article | Quarantine], out: Out = print
) -> None:
    """Body paragraphs removed, by reason, and truth paragraphs never extracted."""
    removed: Counter[str] = Counter()
    affected: dict[str, set[str]] = defaultdict(set)
    quarantined: Counter[str] = Counter()
    never = half = total = 0
    for page in pages:
        outcome = outcomes.get(page.id)
        index = TruthIndex(page.truth)
        total += len(index.paragraphs)
        if isinstance(outcome, Quarantine):
            quarantined[outcome.reason.split(" (")[0]] += 1
            never += len(index.paragraphs)
            half += 1
            continue
        if outcome is None:
            continue
        for reason, _, _ in _body_removals(outcome, index):
            removed[reason] += 1
            affected[reason].add(page.id)
        extracted = "\n\n".join([outcome.text, *(r.text for r in outcome.removed)])
        missing = len(index.missing(extracted))
        never += missing
        half += missing * 2 >= len(index.paragraphs) > 0
    out(f"\nbody paragraphs lost by ours ({total} in the truth):")
    out(f"  never extracted: {never} ({half} pages missing half their paragraphs or more)")
    for reason, n in removed.most_common():
        out(f"  removed as {reason}: {n} on {len(affected[reason])} pages")
    for reason, n in quarantined.most_common():
        out(f"  quarantined, {reason}: {n} pages")

"""Fit the paragraph scorer, export its trees, and cross-validate it by site.

scikit-learn's `HistGradientBoostingClassifier` learns the trees (the `train` extra:
imported here only); `export` writes them in the layout `pipeline.clean.scorer` reads
with numpy. Cross-validation is grouped by site (a page's URL host): every page of a
site falls in one fold, so a fold's model never saw the sites it is scored on, and the
figures reported are those of held-out folds only, through the whole pipeline (rules,
scorer, in-document dedupe) as a run produces them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.scorer_data import LabelledPage, set_score
from bench.scoring import Score
from pipeline.clean import clean_paragraphs
from pipeline.clean.features import FEATURES
from pipeline.clean.scorer import FORMAT, FORMAT_VERSION, Model, Scorer, content_hash, from_document
from pipeline.config import PipelineConfig
from pipeline.dedupe import assemble, near_duplicates
from pipeline.model import Document, Format

SEED = 14
PARAMETERS: dict[str, Any] = {
    "max_iter": 200,
    "learning_rate": 0.08,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
}
"""The booster's settings: small trees, enough of them; fixed, not searched on the folds."""


def fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64], seed: int = SEED) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    classifier = HistGradientBoostingClassifier(random_state=seed, **PARAMETERS)
    return classifier.fit(x, y)


def export(classifier: Any, version: str) -> dict[str, Any]:
    """The model file's content (hash included) from a fitted binary classifier."""
    predictors = [tree[0] for tree in classifier._predictors]
    width = max(len(p.nodes) for p in predictors)
    rows: dict[str, list[list[Any]]] = {
        k: [] for k in ("feature", "threshold", "left", "right", "value")
    }
    depth = 1
    for predictor in predictors:
        nodes = predictor.nodes
        n = len(nodes)
        own = list(range(width))
        leaf = [bool(nodes["is_leaf"][i]) for i in range(n)] + [True] * (width - n)
        depth = max(depth, int(nodes["depth"].max()))
        rows["feature"].append([0 if leaf[i] else int(nodes["feature_idx"][i]) for i in own])
        rows["threshold"].append(
            [0.0 if leaf[i] else float(nodes["num_threshold"][i]) for i in own]
        )
        rows["left"].append([i if leaf[i] else int(nodes["left"][i]) for i in own])
        rows["right"].append([i if leaf[i] else int(nodes["right"][i]) for i in own])
        rows["value"].append(
            [float(np.float32(nodes["value"][i])) if i < n and leaf[i] else 0.0 for i in own]
        )
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model_version": version,
        "features": list(FEATURES),
        "base": float(np.ravel(classifier._baseline_prediction)[0]),
        "depth": depth,
        "trees": rows,
        "trained_with": {"library": "scikit-learn", "parameters": PARAMETERS},
    }
    document["sha256"] = content_hash(document)
    return document


def dataset(
    pages: Sequence[LabelledPage], features: Sequence[npt.NDArray[np.float64]], which: Sequence[int]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    chosen = [i for i in which if features[i].shape[0]]
    x = np.concatenate([features[i] for i in chosen])
    y = np.concatenate([np.array(pages[i].labels, dtype=np.int64) for i in chosen])
    return x, y


def train(
    pages: Sequence[LabelledPage],
    features: Sequence[npt.NDArray[np.float64]],
    which: Sequence[int],
    version: str = "cv",
    seed: int = SEED,
) -> tuple[Model, dict[str, Any]]:
    x, y = dataset(pages, features, which)
    document = export(fit(x, y, seed), version)
    return from_document(document), document


def folds(pages: Sequence[LabelledPage], k: int, seed: int = SEED) -> list[list[int]]:
    """`k` folds of page indices; all pages of a site in one fold (sites shuffled with
    `seed`, then dealt largest first to the fold with the fewest pages)."""
    sites: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        sites.setdefault(page.site, []).append(i)
    order = sorted(sites)
    np.random.default_rng(seed).shuffle(order)
    order.sort(key=lambda s: -len(sites[s]))
    out: list[list[int]] = [[] for _ in range(k)]
    for site in order:
        min(out, key=len).extend(sites[site])
    return [sorted(f) for f in out]


def article_text(document: Document | None, config: PipelineConfig, scorer: Scorer | None) -> str:
    """What a run writes as the article's text, as `pipeline.process` builds it."""
    if document is None:
        return ""
    decision = clean_paragraphs(
        document.paragraphs,
        config.clean,
        title=document.metadata.title,
        find_title=document.format is Format.TEXT,
        scorer=scorer if document.format is Format.HTML else None,
        language=document.language,
    )
    kept = [document.paragraphs[i].text for i in decision.kept]
    return assemble(document, decision, near_duplicates(kept, config.dedupe)).text


@dataclass(frozen=True, slots=True)
class CrossValidation:
    scored: dict[str, Score]
    """Held-out figures per set, with the scorer."""
    rules: dict[str, Score]
    """The same pages with the rules alone."""
    texts: list[str]
    """Every page's held-out article text, in page order."""


def cross_validate(
    pages: Sequence[LabelledPage],
    features: Sequence[npt.NDArray[np.float64]],
    config: PipelineConfig,
    k: int = 5,
    thresholds: Sequence[float] = (),
) -> dict[float, CrossValidation]:
    """Held-out figures at each threshold (default: the config's); each fold trained once."""
    from dataclasses import replace

    chosen = tuple(thresholds) or (config.clean.scorer_threshold,)
    configs = {t: replace(config, clean=replace(config.clean, scorer_threshold=t)) for t in chosen}
    texts = {t: [""] * len(pages) for t in chosen}
    everything = set(range(len(pages)))
    for number, held in enumerate(folds(pages, k), start=1):
        model, _ = train(pages, features, sorted(everything - set(held)))
        print(f"  fold {number}/{k}: trained on {len(everything) - len(held)} pages", flush=True)
        for i in held:
            for t in chosen:
                texts[t][i] = article_text(pages[i].document, configs[t], Scorer(model))
    rules = _per_set(pages, [article_text(p.document, config, None) for p in pages])
    return {
        t: CrossValidation(scored=_per_set(pages, texts[t]), rules=rules, texts=texts[t])
        for t in chosen
    }


def _per_set(pages: Sequence[LabelledPage], texts: Sequence[str]) -> dict[str, Score]:
    pairs: dict[str, list[tuple[str, str]]] = {}
    for page, text in zip(pages, texts, strict=True):
        pairs.setdefault(page.set, []).append((page.truth, text))
    return {name: set_score(name, pairs[name]) for name in sorted(pairs)}


def report_cv(k: int, cache: Path | None = None, out: Callable[[str], None] = print) -> None:
    """Print our held-out figures per set: rules alone and with a scorer of each fold."""
    from bench.scorer_data import load_all, page_features

    config = PipelineConfig()
    pages = load_all(config, cache)
    features = [page_features(p, config) for p in pages]
    cv = cross_validate(pages, features, config, k)[config.clean.scorer_threshold]
    sites = len({p.site for p in pages})
    out(f"\n== cross-validated by site: {k} folds, {len(pages)} pages of {sites} sites")
    out(f"{'set':<14} {'system':<30} {'F1':>6} {'P':>6} {'R':>6}")
    for name in sorted(cv.scored):
        for label, s in (("rules alone", cv.rules[name]), ("rules + scorer (CV)", cv.scored[name])):
            out(f"{name:<14} {label:<30} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f}")

"""The paragraph scorer: boosted trees, trained offline, evaluated with numpy at run time.

The trees are trained by `scripts/train_scorer.py` (scikit-learn, a training-only
dependency) on the development pages and exported to a small JSON file shipped with the
package (`scorer.json`), so a run imports no machine-learning library. The file carries
its format version, the feature names it was trained on and a hash of its content; any
mismatch is refused when the config is built (`load_model`), never discovered half-way
through a run or silently worked around.

The hand rules stay where chrome is unambiguous (`TRUSTED`: a comment form, a copyright
line, the headline repeated); every other paragraph is kept or removed by the score,
with the rules' hits among the features. A paragraph the scorer removes gets
`Reason.SCORER` and its probability of being story.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from pipeline.clean.features import FEATURES, feature_matrix
from pipeline.clean.lines import Reasons
from pipeline.errors import ConfigError
from pipeline.model import Paragraph, Reason

if TYPE_CHECKING:
    from pipeline.clean.passes import Annotation
    from pipeline.config import CleanConfig

FORMAT = "newsclean-paragraph-scorer"
FORMAT_VERSION = 1
"""The layout of the model file this code reads; a file of another version is refused."""
BUNDLED = "scorer.json"
"""The model shipped with the package, used when `clean.scorer_model` is empty."""

TRUSTED: frozenset[Reason] = frozenset(
    {
        Reason.BOILERPLATE,
        Reason.COMMENT_FORM,
        Reason.NEWSLETTER,
        Reason.THEME_WARNING,
        Reason.WIDGET,
        Reason.SEARCH_BOX,
        Reason.REVISION_TRACKER,
        Reason.FOOTER,
        Reason.TITLE,
        Reason.ALTERNATE_HEADLINE,
        Reason.BEFORE_TITLE,
        Reason.CUSTOM,
    }
)
"""Reasons the rules decide alone: patterns of chrome that reads the same on every site,
and the headline. Every other rule hit is evidence for the scorer."""


@dataclass(frozen=True, slots=True)
class Model:
    """Boosted trees as padded arrays: one row per tree, one column per node."""

    version: str
    sha256: str
    features: tuple[str, ...]
    base: float
    """The raw score (log-odds) before any tree."""
    feature: npt.NDArray[np.intp]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.intp]
    right: npt.NDArray[np.intp]
    value: npt.NDArray[np.float64]
    """Each node's contribution (learning rate applied); leaves loop onto themselves."""
    depth: int

    def probability(self, matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """P(story) per row: every tree walked at once, one level per step (a value equal
        to a threshold goes left, as in training)."""
        x = matrix.astype(np.float64)
        trees, rows = self.feature.shape[0], x.shape[0]
        tree = np.arange(trees)[:, None]
        row = np.arange(rows)[None, :]
        node = np.zeros((trees, rows), dtype=np.intp)
        for _ in range(self.depth):
            go_left = x[row, self.feature[tree, node]] <= self.threshold[tree, node]
            node = np.where(go_left, self.left[tree, node], self.right[tree, node])
        raw = self.base + self.value[tree, node].sum(axis=0)
        result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-raw))
        return result


def content_hash(document: dict[str, Any]) -> str:
    """sha256 of the file's content without its own hash: canonical JSON, sorted keys."""
    body = {k: v for k, v in document.items() if k != "sha256"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def from_document(document: Any, where: str = "model") -> Model:
    """Check a parsed model file and build its arrays; `ConfigError` naming what is wrong."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ConfigError(f"{where} is not a newsclean paragraph scorer model")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ConfigError(
            f"{where} has format version {version!r}; this newsclean reads version "
            f"{FORMAT_VERSION}: retrain it with scripts/train_scorer.py"
        )
    if document.get("sha256") != content_hash(document):
        raise ConfigError(f"{where} is corrupt: its content does not match its sha256")
    if tuple(document.get("features", ())) != FEATURES:
        raise ConfigError(
            f"{where} was trained on other features than this newsclean computes: retrain it"
        )
    try:
        trees = document["trees"]
        arrays = {k: np.array(trees[k]) for k in ("feature", "threshold", "left", "right", "value")}
        return Model(
            version=str(document["model_version"]),
            sha256=str(document["sha256"]),
            features=FEATURES,
            base=float(document["base"]),
            feature=arrays["feature"].astype(np.intp),
            threshold=arrays["threshold"].astype(np.float64),
            left=arrays["left"].astype(np.intp),
            right=arrays["right"].astype(np.intp),
            value=arrays["value"].astype(np.float64),
            depth=int(document["depth"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where} is corrupt: {type(exc).__name__}: {exc}") from exc


def _check_shapes(model: Model, where: str) -> None:
    shape = model.feature.shape
    arrays = (model.threshold, model.left, model.right, model.value)
    if len(shape) != 2 or any(a.shape != shape for a in arrays) or model.depth < 1:
        raise ConfigError(f"{where} is corrupt: its tree arrays do not line up")
    nodes = shape[1]
    bad_node = any(((a < 0) | (a >= nodes)).any() for a in (model.left, model.right))
    if bad_node or ((model.feature < 0) | (model.feature >= len(FEATURES))).any():
        raise ConfigError(f"{where} is corrupt: a node points outside its tree or features")


@functools.lru_cache(maxsize=8)
def load_model(path: str = "") -> Model:
    """The model at `path`, or the bundled one for ""; loaded once per process."""
    where = f"clean.scorer_model {path!r}" if path else f"the bundled scorer model ({BUNDLED})"
    try:
        if path:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = resources.files("pipeline.clean").joinpath(BUNDLED).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{where} is missing: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where} cannot be read: {exc}") from exc
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ConfigError(f"{where} is corrupt: not JSON ({exc})") from exc
    model = from_document(document, where)
    _check_shapes(model, where)
    return model


@dataclass(frozen=True, slots=True)
class Scorer:
    model: Model

    def scores(
        self, paragraphs: Sequence[Paragraph], notes: Annotation, language: str | None
    ) -> npt.NDArray[np.float64]:
        matrix = feature_matrix(paragraphs, notes.lines, notes.reasons, notes.start, language)
        return self.model.probability(matrix)

    def decide(
        self,
        paragraphs: Sequence[Paragraph],
        notes: Annotation,
        language: str | None,
        threshold: float,
    ) -> tuple[Reasons, dict[int, float]]:
        """The trusted rule verdicts plus a removal for each other paragraph scoring
        below `threshold`; the scores of the scorer's removals, by index."""
        probabilities = self.scores(paragraphs, notes, language)
        reasons: Reasons = {}
        scores: dict[int, float] = {}
        for i, p in enumerate(probabilities):
            hit = notes.reasons.get(i)
            if hit is not None and hit[0] in TRUSTED:
                reasons[i] = hit
            elif p < threshold:
                rule = f"rule:{hit[1]}" if hit is not None else "model"
                reasons[i] = (Reason.SCORER, rule)
                scores[i] = round(float(p), 3)
        return reasons, scores


def scorer_for(config: CleanConfig) -> Scorer | None:
    """The scorer `config` asks for (its model loaded once per process), or None."""
    if not (config.enabled and config.scorer):
        return None
    return Scorer(load_model(config.scorer_model))

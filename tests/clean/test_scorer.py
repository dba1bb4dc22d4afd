"""The paragraph scorer: its model file checked at start, its trees evaluated like the
library that trained them, its verdicts recorded as its own."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.clean import clean_paragraphs, scorer_for
from pipeline.clean.features import FEATURES
from pipeline.clean.scorer import (
    FORMAT_VERSION,
    TRUSTED,
    Scorer,
    content_hash,
    from_document,
    load_model,
)
from pipeline.config import CleanConfig, PipelineConfig
from pipeline.errors import ConfigError
from pipeline.model import Article, Paragraph, RawDocument, Reason
from pipeline.process import process_document
from pipeline.runtime.manifest import models
from tests.clean.story import BODY
from tests.support import FIXTURES


def _bundled() -> dict[str, Any]:
    path = Path(__file__).resolve().parents[2] / "pipeline" / "clean" / "scorer.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _write(tmp_path: Path, document: Any, rehash: bool = True) -> str:
    if rehash and isinstance(document, dict):
        document["sha256"] = content_hash(document)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def _config(path: str) -> PipelineConfig:
    return PipelineConfig.from_mapping({"clean": {"scorer": True, "scorer_model": path}})


def test_bundled_model_loads_and_is_small() -> None:
    model = load_model("")
    assert model.features == FEATURES
    assert model.version
    path = Path(__file__).resolve().parents[2] / "pipeline" / "clean" / "scorer.json"
    assert path.stat().st_size < 500_000


def _other_version(d: dict[str, Any]) -> None:
    d["format_version"] = FORMAT_VERSION + 1


def _other_features(d: dict[str, Any]) -> None:
    d["features"] = d["features"][:-1]


def _bad_node(d: dict[str, Any]) -> None:
    d["trees"]["left"][0][0] = 10_000


def _short_row(d: dict[str, Any]) -> None:
    d["trees"]["threshold"][0] = d["trees"]["threshold"][0][:-1]


def _not_a_model(d: dict[str, Any]) -> None:
    d["format"] = "something-else"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(_other_version, "format version", id="other-version"),
        pytest.param(_other_features, "other features", id="other-features"),
        pytest.param(_bad_node, "points outside", id="node-out-of-range"),
        pytest.param(_short_row, "is corrupt", id="ragged-arrays"),
        pytest.param(_not_a_model, "not a newsclean paragraph scorer", id="other-format"),
    ],
)
def test_bad_model_file_is_refused_at_start(tmp_path: Path, change: Any, message: str) -> None:
    document = _bundled()
    change(document)
    with pytest.raises(ConfigError, match=message):
        _config(_write(tmp_path, document))


def test_edited_model_file_fails_its_hash(tmp_path: Path) -> None:
    document = _bundled()
    document["base"] = document["base"] + 1.0
    with pytest.raises(ConfigError, match="corrupt: its content does not match"):
        _config(_write(tmp_path, document, rehash=False))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{not json", "corrupt: not JSON", id="not-json"),
        pytest.param("[1, 2]", "not a newsclean paragraph scorer", id="json-list"),
    ],
)
def test_unreadable_model_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        _config(str(path))


def test_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing"):
        _config(str(tmp_path / "nowhere.json"))


def test_model_file_is_not_read_when_the_scorer_is_off(tmp_path: Path) -> None:
    config = PipelineConfig.from_mapping({"clean": {"scorer_model": str(tmp_path / "none")}})
    assert scorer_for(config.clean) is None
    assert models(config) == {}


@pytest.mark.parametrize("value", [-0.1, 1.5], ids=["negative", "above-one"])
def test_threshold_is_validated(value: float) -> None:
    with pytest.raises(ConfigError, match="scorer_threshold"):
        PipelineConfig.from_mapping({"clean": {"scorer_threshold": value}})


def test_numpy_trees_equal_sklearn_predict_proba() -> None:
    pytest.importorskip("sklearn")
    from bench.scorer_fit import export, fit

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, len(FEATURES)))
    x[:, 5] = np.round(x[:, 5])  # ties on thresholds
    y = ((x[:, 0] + x[:, 5] * 0.5 + rng.normal(scale=0.5, size=400)) > 0).astype(np.int64)
    classifier = fit(x, y)
    model = from_document(export(classifier, "test"))
    probe = rng.normal(size=(200, len(FEATURES)))
    probe[:, 5] = np.round(probe[:, 5])
    expected = classifier.predict_proba(probe)[:, 1]
    assert np.allclose(model.probability(probe), expected, atol=1e-6)


def _scored(paragraphs: list[Paragraph], threshold: float) -> Any:
    config = CleanConfig(scorer=True, scorer_threshold=threshold)
    scorer = scorer_for(config)
    assert isinstance(scorer, Scorer)
    return clean_paragraphs(paragraphs, config, scorer=scorer, language="en")


def test_threshold_one_removes_all_but_trusted_rules_decide_their_own() -> None:
    paragraphs = [*map(Paragraph, BODY), Paragraph("Your email address will not be published.")]
    decision = _scored(paragraphs, 1.0)
    reasons = {r.position: r for r in decision.removed}
    assert decision.kept == ()
    assert reasons[3].reason in TRUSTED and reasons[3].similarity is None
    assert all(reasons[i].reason is Reason.SCORER for i in range(3))
    assert all(0.0 <= (reasons[i].similarity or 0.0) <= 1.0 for i in range(3))


def test_threshold_zero_keeps_all_but_trusted() -> None:
    paragraphs = [Paragraph("Skip to main content"), *map(Paragraph, BODY)]
    decision = _scored(paragraphs, 0.0)
    assert decision.kept == (0, 1, 2, 3)  # navigation is not trusted: the score decides


def test_whole_run_with_the_scorer_records_it() -> None:
    page = FIXTURES / "html" / "livescience-simulation.html.gz"
    raw = RawDocument(source=page.name, data=gzip.decompress(page.read_bytes()))
    config = PipelineConfig.from_mapping({"clean": {"scorer": True}})
    with_scorer = process_document(raw, config)
    rules_alone = process_document(raw, PipelineConfig())
    assert isinstance(with_scorer, Article) and isinstance(rules_alone, Article)
    assert len(with_scorer.text) > 0.5 * len(rules_alone.text)
    for removal in with_scorer.removed:
        if removal.reason is Reason.SCORER:
            assert removal.similarity is not None and removal.similarity < 0.5
    manifest = models(config)
    assert manifest["scorer"]["sha256"] == load_model("").sha256

"""One config object from TOML: every key checked, unknown ones refused, types enforced."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest

from pipeline.config import DedupeConfig, LimitsConfig, PipelineConfig, ReadConfig
from pipeline.errors import ConfigError
from pipeline.model import KeepRevision
from tests.support import ROOT


def load(tmp_path: Path, text: str) -> PipelineConfig:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return PipelineConfig.from_toml(path)


def test_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load(tmp_path, "") == PipelineConfig()


def test_values_are_read_per_section(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "[read]\nmax_bytes = 1000\nmax_gzip_ratio = 50\n"
        "[limits]\ndocument_seconds = 2.5\n"
        "[clean]\nextra_patterns = ['^Advertisement$']\nenabled = false\n"
        "[dedupe]\njaccard_threshold = 1\n",
    )
    assert config.read == ReadConfig(max_bytes=1000, max_gzip_ratio=50)
    assert config.limits == LimitsConfig(document_seconds=2.5)
    assert config.clean.extra_patterns == ("^Advertisement$",) and not config.clean.enabled
    assert config.dedupe.jaccard_threshold == 1.0 and isinstance(
        config.dedupe.jaccard_threshold, float
    )


def test_an_integer_is_a_valid_float(tmp_path: Path) -> None:
    assert load(tmp_path, "[limits]\ndocument_seconds = 30\n").limits.document_seconds == 30.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[read]\nmax_byte = 1\n", r"unknown key\(s\) in \[read\]: max_byte"),
        ("[limit]\n", r"unknown config section\(s\): limit"),
        ("read = 5\n", r"config section \[read\] must be a table"),
        ("[read]\nmax_bytes = 1.5\n", "read.max_bytes must be an integer"),
        ("[read]\nmax_bytes = true\n", "read.max_bytes must be an integer"),
        ("[read]\nmax_bytes = 0\n", "read.max_bytes must be positive"),
        ("[limits]\ndocument_seconds = 'soon'\n", "limits.document_seconds must be a number"),
        ("[limits]\ndocument_seconds = -1\n", r"limits.document_seconds must be >= 0"),
        ("[extract]\nfast = 1\n", "extract.fast must be true or false"),
        ("[clean]\nextra_patterns = 'x'\n", "clean.extra_patterns must be a list of strings"),
        ("[clean]\nextra_patterns = [1]\n", "clean.extra_patterns must be a list of strings"),
        ("[dedupe]\njaccard_threshold = 1.5\n", r"dedupe.jaccard_threshold must be in \(0, 1\]"),
        ("[dedupe]\nkeep = 'newest'\n", r"dedupe.keep must be one of 'latest', 'first'"),
        ("[dedupe]\nkeep = 1\n", "dedupe.keep must be a string"),
        ("[read\n", "invalid TOML"),
    ],
    ids=[
        "unknown-key",
        "unknown-section",
        "section-not-table",
        "float-for-int",
        "bool-for-int",
        "not-positive",
        "string-for-float",
        "negative-limit",
        "int-for-bool",
        "string-for-list",
        "int-in-list",
        "out-of-range",
        "keep-unknown",
        "keep-not-string",
        "syntax",
    ],
)
def test_bad_files_are_refused_with_the_key_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        PipelineConfig.from_toml(tmp_path / "absent.toml")


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"[read]\n# caf\xe9\nmax_bytes = 5\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        PipelineConfig.from_toml(path)


def test_manifest_form_round_trips() -> None:
    config = PipelineConfig(limits=LimitsConfig(document_seconds=7))
    data = json.loads(json.dumps(config.to_dict()))  # as the manifest stores it
    assert data["limits"] == {"document_seconds": 7}
    assert PipelineConfig.from_mapping(data) == config


def test_defaults_are_sensible_caps() -> None:
    config = PipelineConfig()
    assert 10_000_000 <= config.read.max_bytes <= 50_000_000
    assert 0 < config.limits.document_seconds <= 300


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[clean]\nextra_patterns = ['(unclosed']\n", r"clean.extra_patterns\[0\] is not a valid"),
        ("[clean]\nextra_end_markers = ['ok', 'a{2,1}']\n", r"extra_end_markers\[1\] is not"),
        ("[limits]\ndocument_seconds = nan\n", "limits.document_seconds must be a number"),
        ("[dedupe]\nseed = -1\n", r"dedupe.seed must be in 0..4294967295"),
        ("[crossdoc]\nseed = 99999999999\n", r"crossdoc.seed must be in 0..4294967295"),
        ("[dedupe]\nnum_perm = 1\n", r"dedupe.num_perm must be in 2..4096"),
        ("[crossdoc]\nnum_perm = 3\n", "crossdoc.document_jaccard: no banding of 3 permutations"),
        ("[dedupe]\nnum_perm = 4\n", "dedupe.jaccard_threshold: no banding of 4"),
        ("[crossdoc]\nlsh_recall = 1.0\n", r"crossdoc.lsh_recall must be in \(0, 1\)"),
        ("[dedupe]\nlsh_recall = 1\n", r"dedupe.lsh_recall must be in \(0, 1\)"),
        ("[read]\nmax_bytes = 9223372036854775807\n", "read.max_bytes must be at most 2147483647"),
        ("[parallel]\nworkers = 100000\n", r"parallel.workers must be in 0..256"),
        ("[crossdoc]\ndocument_jaccard = inf\n", r"crossdoc.document_jaccard must be in \(0, 1\]"),
        ("[crossdoc]\nboilerplate_min_share = nan\n", "must be a number, got nan"),
        ("[limits]\ndocument_seconds = -inf\n", "limits.document_seconds must be >= 0"),
        ("[report]\nmax_articles = 99999999999\n", "report.max_articles must be at most"),
        ("[limits]\ndocument_seconds = 1" + "0" * 400 + "\n", "out of range"),
        ("[extract]\nfallback_ratio = 1.5\n", r"extract.fallback_ratio must be in \[0, 1\]"),
        ("[extract]\nfallback_ratio = nan\n", "extract.fallback_ratio must be"),
        (
            "[extract]\nfallback_unlinked_ratio = -0.1\n",
            r"extract.fallback_unlinked_ratio must be in \[0, 1\]",
        ),
        ("[extract]\nfallback_gain = 0.5\n", "extract.fallback_gain must be a finite number >= 1"),
        ("[extract]\nfallback_gain = inf\n", "extract.fallback_gain must be a finite number"),
    ],
    ids=[
        "pattern",
        "end-marker",
        "nan-seconds",
        "negative-seed",
        "huge-seed",
        "one-permutation",
        "crossdoc-banding",
        "dedupe-banding",
        "recall-one",
        "recall-one-int",
        "max-bytes-int64",
        "workers",
        "inf-threshold",
        "nan-share",
        "minus-inf-seconds",
        "huge-count",
        "int-beyond-float",
        "fallback-ratio-above-one",
        "fallback-ratio-nan",
        "fallback-unlinked-ratio-negative",
        "fallback-gain-below-one",
        "fallback-gain-inf",
    ],
)
def test_values_the_code_cannot_use_fail_at_load(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, text)


def test_infinite_document_seconds_means_no_limit(tmp_path: Path) -> None:
    config = load(tmp_path, "[limits]\ndocument_seconds = inf\n")
    assert config.limits.document_seconds == 0.0  # the spelling of "no limit"
    assert json.loads(json.dumps(config.to_dict(), allow_nan=False))["limits"] == {
        "document_seconds": 0.0
    }


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf[read]\nmax_bytes = 1000\n")
    assert PipelineConfig.from_toml(path).read.max_bytes == 1000


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ConfigError, match="document_seconds"):
        LimitsConfig(document_seconds=float("nan"))
    with pytest.raises(ConfigError, match="lsh_recall"):
        DedupeConfig(lsh_recall=1.0)


def test_valid_patterns_and_edges_are_accepted(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "[clean]\nextra_patterns = ['^Advertisement$', '(?x) sponsored \\\\s+ content']\n"
        "[dedupe]\nseed = 4294967295\nnum_perm = 256\nlsh_recall = 0.999\n"
        "[crossdoc]\nseed = 0\n[read]\nmax_bytes = 2147483647\n",
    )
    assert config.dedupe.seed == 2**32 - 1 and config.read.max_bytes == 2**31 - 1


def test_dedupe_keep_is_read_as_its_enum(tmp_path: Path) -> None:
    config = load(tmp_path, "[dedupe]\nkeep = 'first'\n")
    assert config.dedupe.keep is KeepRevision.FIRST
    assert DedupeConfig().keep is KeepRevision.LATEST
    assert DedupeConfig(keep="first").keep is KeepRevision.FIRST  # type: ignore[arg-type]
    assert json.loads(json.dumps(config.to_dict()))["dedupe"]["keep"] == "first"


def test_readme_config_block_lists_every_dedupe_key() -> None:
    """The README's [dedupe] block names each field of `DedupeConfig`, with its default."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("\n[dedupe]\n", 1)[1].split("\n\n", 1)[0]
    documented = tomllib.loads(block)
    fields = {f.name: f.default for f in dataclasses.fields(DedupeConfig)}
    assert documented == fields

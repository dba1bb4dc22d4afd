"""One configuration object, split so each stage sees only its own part.

Everything is a frozen dataclass with defaults that work on a laptop; a TOML file can set
any field by section (`[read]`, `[extract]`, `[clean]`, `[dedupe]`, `[write]`). Unknown
sections or keys are an error, never silently ignored: a typo in a threshold must not go
unnoticed.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration file or value that cannot be used."""


@dataclass(frozen=True, slots=True)
class ReadConfig:
    max_bytes: int = 50_000_000
    """Largest input accepted, after decompression; larger ones are quarantined."""
    max_gzip_ratio: int = 200
    """Decompressed/compressed ratio beyond which a gzip is treated as a bomb."""

    def __post_init__(self) -> None:
        _positive(self, "max_bytes", "max_gzip_ratio")


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    fast: bool = False
    """Skip trafilatura's fallback extractors (faster, a little less recall)."""
    min_text_chars: int = 80
    """Below this, an extraction is considered empty and the input is quarantined."""
    max_tree_depth: int = 400
    """HTML nested deeper than this is flattened before parsing (hostile input guard)."""

    def __post_init__(self) -> None:
        _positive(self, "max_tree_depth")
        if self.min_text_chars < 0:
            raise ConfigError("extract.min_text_chars must be >= 0")


@dataclass(frozen=True, slots=True)
class CleanConfig:
    enabled: bool = True
    short_line_words: int = 4
    """Lines with at most this many words and no sentence are candidates for chrome."""
    body_min_words: int = 20
    """A paragraph this long (or a full sentence of half this length) starts the story."""
    title_scan: int = 12
    """How many leading paragraphs of a plain-text dump may hold the headline."""
    extra_patterns: tuple[str, ...] = ()
    """Additional regular expressions (case-insensitive) for paragraphs to drop."""
    extra_end_markers: tuple[str, ...] = ()
    """Additional regular expressions for end-of-article markers (drop it and the rest)."""

    def __post_init__(self) -> None:
        _positive(self, "short_line_words", "body_min_words", "title_scan")


@dataclass(frozen=True, slots=True)
class DedupeConfig:
    enabled: bool = True
    shingle_words: int = 3
    num_perm: int = 128
    jaccard_threshold: float = 0.5
    """Paragraphs of one document at or above this Jaccard are revisions of each other."""
    containment_threshold: float = 0.6
    """Share of a paragraph's shingles found in a longer one for it to count as contained.

    On the revision dump seed, true rewrites score 0.65-1.0 and unrelated paragraphs at
    most 0.40, so 0.6 leaves a margin on both sides."""
    lsh_recall: float = 0.995
    """Probability the LSH bands must give a pair exactly at the threshold."""
    min_shingles: int = 3
    """Paragraphs with fewer shingles are too short to call duplicates."""
    seed: int = 1

    def __post_init__(self) -> None:
        _positive(self, "shingle_words", "num_perm", "min_shingles")
        for name in ("jaccard_threshold", "containment_threshold", "lsh_recall"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"dedupe.{name} must be in (0, 1], got {value!r}")


@dataclass(frozen=True, slots=True)
class WriteConfig:
    markdown: bool = True
    """Also write each article as `articles/<id>.md`."""


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    read: ReadConfig = field(default_factory=ReadConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)
    write: WriteConfig = field(default_factory=WriteConfig)

    @classmethod
    def from_toml(cls, path: str | Path) -> PipelineConfig:
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML in {path}: {exc}") from exc
        return cls.from_mapping(raw)

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> PipelineConfig:
        sections = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(raw) - set(sections)
        if unknown:
            raise ConfigError(f"unknown config section(s): {', '.join(sorted(unknown))}")
        parts: dict[str, Any] = {}
        for name, section in raw.items():
            if not isinstance(section, dict):
                raise ConfigError(f"config section [{name}] must be a table")
            section_type = typing.get_type_hints(cls)[name]
            parts[name] = _build(section_type, name, section)
        return cls(**parts)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _build(section_type: type[Any], name: str, values: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(section_type)
    known = {f.name for f in dataclasses.fields(section_type)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
    converted: dict[str, Any] = {}
    for key, value in values.items():
        converted[key] = _coerce(hints[key], f"{name}.{key}", value)
    try:
        return section_type(**converted)
    except TypeError as exc:
        raise ConfigError(f"invalid [{name}]: {exc}") from exc


def _coerce(hint: Any, where: str, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of strings")
        return tuple(value)
    if origin in (types.UnionType, typing.Union):
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, got {value!r}")
        return float(value)
    if hint is str and not isinstance(value, str):
        raise ConfigError(f"{where} must be a string, got {value!r}")
    return value


def _positive(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if value <= 0:
            section = type(obj).__name__.removesuffix("Config").lower()
            raise ConfigError(f"{section}.{name} must be positive, got {value!r}")

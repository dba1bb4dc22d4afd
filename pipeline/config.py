"""One configuration object, split so each stage sees only its own part.

Everything is a frozen dataclass with defaults that work on a laptop; a TOML file can set
any field by section (`[read]`, `[extract]`, `[clean]`, `[dedupe]`, `[write]`). Unknown
sections or keys are an error, never silently ignored: a typo in a threshold must not go
unnoticed. The whole config is validated when it is built (`pipeline.validate`): every
number finite and within what the code supports, every regular expression compiled, every
LSH banding satisfiable, so a bad value stops the run at start with one line naming it.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import validate
from pipeline.errors import ConfigError
from pipeline.model import KeepRevision
from pipeline.validate import positive as _positive

MAX_NUM_PERM = 4096
"""Largest `num_perm`: signatures take num_perm x 8 bytes per paragraph and unit."""
MAX_WORKERS = 256
"""Most worker processes: each holds a whole extraction stack in memory."""


@dataclass(frozen=True, slots=True)
class ReadConfig:
    max_bytes: int = 20_000_000
    """Largest input (or archive record) accepted, after decompression; larger ones are
    quarantined. It bounds memory and the parse time no time limit can interrupt (a call
    into libxml2), both of which grow with the page; real news pages are a small fraction
    of the default (docs/benchmarks.md, Hostile inputs). At most 2**31-1
    (`validate.INT_MAX`): an input is held in memory whole."""
    max_gzip_ratio: int = 200
    """Decompressed/compressed ratio beyond which a compressed stream (a gzip file, a
    JSONL.gz or WARC.gz archive, a gzip member, an HTTP content encoding) is treated as a
    bomb and cut off."""

    def __post_init__(self) -> None:
        _positive(self, "max_bytes", "max_gzip_ratio")


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Guards that keep one hostile document from stalling a whole run."""

    document_seconds: float = 60.0
    """Wall-clock limit for one document through extract, clean and dedupe; beyond it the
    document is quarantined ("timed out"). 0 (or inf, stored as 0) turns the limit off;
    nan is refused. See `pipeline.deadline` for what it can and cannot interrupt."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "document_seconds", validate.seconds(self, "document_seconds"))


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    favor_precision: bool = False
    favor_recall: bool = True
    """Recall mode plus the cleaning stage beats precision mode: cleaning removes what
    recall mode lets through, but nothing brings back what precision mode drops
    (`python -m bench.extraction` compares the modes: docs/benchmarks.md)."""
    include_tables: bool = True
    fast: bool = True
    """Skip trafilatura's fallback extractors (readability, jusText) on the first pass:
    they cost CPU on every page. A fragment is caught by `fallback_ratio` instead."""
    fallback_ratio: float = 0.2
    """An extraction holding less than this share of the page's visible text (outside
    scripts and styles) is tried again in trafilatura's default mode, with its fallback
    extractors (`extract.fallback`). 0 turns the second pass off; at most 1."""
    fallback_unlinked_ratio: float = 0.4
    """... and less than this share of the page's visible text outside links. Chrome is
    mostly links, so a page whose article is small beside its menus and teasers passes
    the first test; only an extraction that also misses most of the text a reader could
    read as an article is a fragment. 1 leaves `fallback_ratio` alone to decide."""
    fallback_gain: float = 1.5
    """The second pass replaces the first only when it holds at least this many times
    its prose (paragraphs of running words outside links). At least 1."""
    min_text_chars: int = 80
    """Below this, an extraction is considered empty and the input is quarantined."""
    max_tree_depth: int = 400
    """HTML nested deeper than this is flattened before parsing (hostile input guard)."""

    def __post_init__(self) -> None:
        _positive(self, "max_tree_depth")
        validate.int_range(self, "min_text_chars", 0, validate.INT_MAX)
        validate.closed_unit(self, "fallback_ratio")
        validate.closed_unit(self, "fallback_unlinked_ratio")
        validate.at_least(self, "fallback_gain", 1.0)


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
    scorer: bool = False
    """On HTML pages, let the paragraph scorer (`pipeline.clean.scorer`) decide every
    paragraph the rules do not call chrome unambiguously."""
    scorer_threshold: float = 0.5
    """A paragraph whose probability of being story is below this is removed, in [0, 1]."""
    scorer_model: str = ""
    """Path of the scorer's model file; "" = the one shipped with newsclean. Checked at
    start (missing, corrupt, or of another format version: an error) when `scorer` is on."""

    def __post_init__(self) -> None:
        _positive(self, "short_line_words", "body_min_words", "title_scan")
        validate.regexes(self, "extra_patterns")
        validate.regexes(self, "extra_end_markers")
        validate.closed_unit(self, "scorer_threshold")
        if self.scorer and self.enabled:
            from pipeline.clean.scorer import load_model  # numpy, only once a config is built

            load_model(self.scorer_model)


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
    """Probability the LSH bands must give a pair exactly at the threshold, in (0, 1):
    certainty (1) is reached by no banding."""
    min_shingles: int = 3
    """Paragraphs with fewer shingles are too short to call duplicates."""
    seed: int = 1
    """Seed of the MinHash permutations, 0..2**32-1."""
    keep: KeepRevision = KeepRevision.LATEST
    """Which revision of a paragraph a revision dump keeps: the latest (as the dump's
    sequence and tracker lines order them) or the first."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep", validate.choice(self, "keep", KeepRevision))
        _positive(self, "shingle_words", "min_shingles")
        validate.int_range(self, "num_perm", 2, MAX_NUM_PERM)
        validate.seeds(self, "seed")
        validate.half_open_unit(self, "jaccard_threshold", "containment_threshold")
        validate.open_unit(self, "lsh_recall")
        validate.banding(self, ["jaccard_threshold"], self.num_perm, self.lsh_recall)


@dataclass(frozen=True, slots=True)
class WriteConfig:
    markdown: bool = True
    """Also write each article as `articles/<id>.md`."""


@dataclass(frozen=True, slots=True)
class ReportConfig:
    """The HTML run report: a page to read, so its size is capped for huge runs."""

    enabled: bool = True
    """Write `report.html`."""
    max_articles: int = 200
    """Articles shown in full; the summary and charts always count every article.
    A page is for reading: its size and its rendering time grow with every article shown,
    and past a few hundred articles browsers open it slowly and rendering it costs as
    much as a large part of the run (docs/benchmarks.md, Throughput and memory)."""
    max_members: int = 20
    """Members listed per duplicate cluster (the canonical first); the rest are counted."""
    chart_sources: int = 40
    """Sources drawn in each per-source chart."""
    title: str = "newsclean run report"

    def __post_init__(self) -> None:
        _positive(self, "max_articles", "max_members", "chart_sources")


@dataclass(frozen=True, slots=True)
class CrossdocConfig:
    """Near-duplicates across documents: reposts, shared quotes, site template text."""

    enabled: bool = True
    shingle_words: int = 3
    num_perm: int = 128
    lsh_recall: float = 0.995
    """Probability the LSH bands must give a pair exactly at a Jaccard threshold, in
    (0, 1): certainty (1) is reached by no banding."""
    seed: int = 1
    """Seed of the MinHash permutations, 0..2**32-1."""
    document_jaccard: float = 0.7
    """Two articles at or above this Jaccard are copies (reposts, light edits)."""
    document_containment: float = 0.9
    """Share of an article's shingles inside another for it to be a truncated copy."""
    document_min_ratio: float = 0.3
    """A truncated copy must hold at least this share of the longer one's shingles."""
    paragraph_jaccard: float = 0.8
    """Paragraphs of different articles at or above this Jaccard are the same passage."""
    paragraph_containment: float = 0.75
    """Share of a paragraph's shingles inside another's for it to count as quoted there."""
    min_shingles: int = 5
    """Shorter paragraphs are never matched across documents (only exactly, as template)."""
    boilerplate_min_pages: int = 3
    """A paragraph on at least this many distinct pages of one site is template text."""
    boilerplate_min_share: float = 0.2
    """... and on at least this share of that site's pages."""
    boilerplate_jaccard: float = 0.9
    """How close two occurrences must be to count as the same template paragraph."""
    site_from_folder: bool = False
    """Treat an input's folder as its site when it has no site name and no URL."""
    max_bucket: int = 500
    """LSH buckets are cut at this many members (reported in the manifest)."""
    max_postings: int = 1000
    """Containment probes skip holders beyond this many per shingle (reported)."""
    max_fanout: int = 16
    """A unit is paired with at most this many earlier members of an LSH bucket (or
    holders of a shingle): work stays linear in the copies of one text (reported)."""
    max_paragraphs: int = 5000
    """Paragraphs of one article beyond this are not matched across documents (reported)."""
    index: str = ""
    """Persistent index: "" = `<out>/.crossdoc-index/index.sqlite`, a file path,
    `redis://host:port/db`, or "off" for none."""
    reset_index: bool = False
    """Start the persistent index over."""
    drop_duplicate_articles: bool = False
    """Leave articles that duplicate another out of `articles.jsonl`."""
    drop_cross_document_duplicates: bool = False
    """Remove paragraphs found in an earlier article (keeping the first occurrence)."""

    def __post_init__(self) -> None:
        _positive(
            self,
            "shingle_words",
            "min_shingles",
            "boilerplate_min_pages",
            "max_bucket",
            "max_postings",
            "max_fanout",
            "max_paragraphs",
        )
        validate.int_range(self, "num_perm", 2, MAX_NUM_PERM)
        validate.seeds(self, "seed")
        validate.open_unit(self, "lsh_recall")
        validate.half_open_unit(
            self,
            "document_jaccard",
            "document_containment",
            "paragraph_jaccard",
            "paragraph_containment",
            "boilerplate_jaccard",
        )
        validate.closed_unit(self, "document_min_ratio", "boilerplate_min_share")
        validate.banding(
            self, ["document_jaccard", "paragraph_jaccard"], self.num_perm, self.lsh_recall
        )


@dataclass(frozen=True, slots=True)
class ParallelConfig:
    """How documents are spread over processes (results never depend on it)."""

    workers: int = 0
    """Worker processes for extraction; 0 means one per CPU core, 1 runs in-process."""
    batch_size: int = 16
    """Documents sent to a worker at a time: large enough to amortise the hand-off,
    small enough that slow pages do not leave the other worker idle."""
    batches_in_flight: int = 4
    """Batches queued per worker; bounds memory whatever the number of documents."""

    def __post_init__(self) -> None:
        _positive(self, "batch_size", "batches_in_flight")
        validate.int_range(self, "workers", 0, MAX_WORKERS, "0 = one per core")


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    read: ReadConfig = field(default_factory=ReadConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)
    write: WriteConfig = field(default_factory=WriteConfig)
    crossdoc: CrossdocConfig = field(default_factory=CrossdocConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    parallel: ParallelConfig = field(default_factory=ParallelConfig)

    @classmethod
    def from_toml(cls, path: str | Path) -> PipelineConfig:
        """Read a TOML file; a UTF-8 byte order mark (as Windows editors save) is allowed."""
        try:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8").removeprefix("\ufeff")
            raw = tomllib.loads(text)
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML in {path}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"invalid TOML in {path}: not UTF-8 text") from exc
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
        try:
            number = float(value)
        except OverflowError as exc:  # an integer beyond any float
            raise ConfigError(f"{where} is out of range, got {value!r}") from exc
        if math.isnan(number):
            raise ConfigError(f"{where} must be a number, got {value!r}")
        return number
    if isinstance(hint, type) and issubclass(hint, enum.StrEnum):
        if not isinstance(value, str):  # the member itself is checked by the section
            raise ConfigError(f"{where} must be a string, got {value!r}")
        return value
    if hint is str and not isinstance(value, str):
        raise ConfigError(f"{where} must be a string, got {value!r}")
    return value

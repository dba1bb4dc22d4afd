"""Title, author and date hit rates on the WCXB development pages: ours against trafilatura.

Both systems get the same decompressed bytes and the page URL, in the same run: ours is the
extract stage's `Document.metadata` (what `Article.metadata` carries), trafilatura's is
`trafilatura.extract_metadata` (what `bare_extraction(with_metadata=True)` runs). A page we
quarantine counts as one with no metadata.

    python -m bench.metadata [--limit N] [--ids ID ...] [--systems ours,trafilatura]
                             [--show-wrong K] [--folds K]

Matching is generous and the same for both systems (`match_fields`):
- title: normalised equality, or one containing the other, after a site suffix or prefix
  ("Story | Site", "Site - Story") is stripped from the prediction; the contained one must
  hold at least half of the other's words, so "Home" is not a hit inside a long headline;
- author: the names on each side (split on commas, "and", "&", ";", "|", "/"), each name a
  set of word tokens without credentials ("PhD", "MD"); a hit when some predicted name and
  some true name share all the tokens of the smaller one (order-insensitive);
- date: exact `YYYY-MM-DD`.
A hit rate counts the pages whose truth has the field. A WRONG author is a non-empty
prediction that is not a hit: where the truth names someone else, or where it has none.

The spread by site: the sites (URL host without `www.`) are ordered by a hash of their name
and cut into folds; each fold's rates are printed, and the two halves (A: first half of the
sites, B: the rest), so a rule that only fits some sites shows as a gap between them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura

from pipeline.config import PipelineConfig
from pipeline.errors import ExtractionError
from pipeline.extract.document import extract_document
from pipeline.model import RawDocument

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "bench" / "wcxb-dev"


@dataclass(frozen=True, slots=True)
class Fields:
    title: str | None = None
    author: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class MetaPage:
    id: str
    url: str
    truth: Fields
    data: bytes

    @property
    def site(self) -> str:
        return site_of(self.url)


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """One page: each field True (hit), False (miss) or None (the truth has no value)."""

    title: bool | None
    author: bool | None
    date: bool | None
    wrong_author: bool
    """A non-empty predicted author that is not a hit (also where the truth has none)."""


@dataclass(frozen=True, slots=True)
class MetadataScore:
    title: float
    author: float
    date: float
    wrong_authors: int
    wrong_on_null: int
    """Of `wrong_authors`, those on pages whose truth has no author."""
    pages: int


MetadataExtractor = Callable[[MetaPage], Fields]


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def load_meta_pages(
    root: Path = DEV_SET, ids: Sequence[str] | None = None, limit: int | None = None
) -> list[MetaPage]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth) if not ids else list(ids)
    if limit is not None:
        keys = keys[:limit]
    pages = []
    for key in keys:
        entry = truth[key]
        data = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        fields = Fields(entry.get("title"), entry.get("author"), entry.get("date"))
        pages.append(MetaPage(key, entry.get("url") or "", fields, data))
    return pages


# --- matching ------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]+\s+|\s*[|·•»]\s*")
_NAME_SPLIT = re.compile(r"\s*(?:[,;|/&]|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# Honorifics and credentials around a name, which the two sides may or may not carry.
_CREDENTIALS = frozenset(
    re.findall(
        r"\w+",
        "by dr mr mrs ms prof phd md rd rdn rn ma mba msc bsc ba jr sr ii iii cpa cfp cfa "
        "esq dvm lcsw fand cscs cpt ryt e",
    )
)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def _title_variants(title: str) -> list[str]:
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    variants = [title]
    if len(parts) > 1:
        variants += [parts[0], parts[-1], " ".join(parts[:-1]), " ".join(parts[1:])]
    return [v for v in map(_norm, variants) if v]


def _contains(longer: str, shorter: str) -> bool:
    if shorter not in longer:
        return False
    return 2 * len(shorter.split()) >= len(longer.split())


def title_hit(truth: str, predicted: str | None) -> bool:
    if not predicted:
        return False
    want = _norm(truth)
    for got in _title_variants(predicted):
        if got == want or _contains(got, want) or _contains(want, got):
            return True
    return False


def _names(text: str) -> list[frozenset[str]]:
    names = []
    for part in _NAME_SPLIT.split(text):
        tokens = frozenset(_norm(part).split()) - _CREDENTIALS
        if tokens:
            names.append(tokens)
    return names


def author_hit(truth: str, predicted: str | None) -> bool:
    if not predicted:
        return False
    for got in _names(predicted):
        for want in _names(truth):
            if got <= want or want <= got:
                return True
    return False


def match_fields(truth: Fields, predicted: Fields) -> FieldMatch:
    title = None if not truth.title else title_hit(truth.title, predicted.title)
    author = None if not truth.author else author_hit(truth.author, predicted.author)
    date = None if not truth.date else predicted.date == truth.date
    wrong = bool(predicted.author and predicted.author.strip()) and not author
    return FieldMatch(title, author, date, wrong)


def _rate(values: Iterable[bool | None]) -> float:
    scored = [v for v in values if v is not None]
    return sum(scored) / len(scored) if scored else 0.0


def summarise(matches: Sequence[FieldMatch]) -> MetadataScore:
    return MetadataScore(
        title=_rate(m.title for m in matches),
        author=_rate(m.author for m in matches),
        date=_rate(m.date for m in matches),
        wrong_authors=sum(m.wrong_author for m in matches),
        wrong_on_null=sum(m.wrong_author and m.author is None for m in matches),
        pages=len(matches),
    )


# --- systems -------------------------------------------------------------------------


def ours(config: PipelineConfig | None = None) -> MetadataExtractor:
    extract = (config or PipelineConfig()).extract

    def run(page: MetaPage) -> Fields:
        raw = RawDocument(source=f"{page.id}.html", data=page.data, url=page.url or None)
        try:
            meta = extract_document(raw, extract).metadata
        except ExtractionError:
            return Fields()
        return Fields(meta.title, meta.author, meta.date)

    return run


def trafilatura_metadata() -> MetadataExtractor:
    def run(page: MetaPage) -> Fields:
        meta = trafilatura.extract_metadata(page.data, default_url=page.url or None)
        return Fields(meta.title, meta.author, meta.date)

    return run


SYSTEMS: dict[str, Callable[[], MetadataExtractor]] = {
    "ours": ours,
    "trafilatura": trafilatura_metadata,
}


def evaluate_metadata(
    systems: dict[str, MetadataExtractor], pages: Sequence[MetaPage]
) -> dict[str, tuple[tuple[Fields, ...], tuple[FieldMatch, ...]]]:
    """Each system's predictions and matches, page by page (systems in turn on each page)."""
    predicted: dict[str, list[Fields]] = {name: [] for name in systems}
    for page in pages:
        for name, extractor in systems.items():
            predicted[name].append(extractor(page))
    return {
        name: (
            tuple(found),
            tuple(match_fields(p.truth, f) for p, f in zip(pages, found, strict=True)),
        )
        for name, found in predicted.items()
    }


def metadata_rates(
    pages: Sequence[MetaPage], names: Sequence[str] = tuple(SYSTEMS)
) -> dict[str, MetadataScore]:
    """The entry point for other bench scripts: each named system's score on `pages`."""
    results = evaluate_metadata({name: SYSTEMS[name]() for name in names}, pages)
    return {name: summarise(matches) for name, (_, matches) in results.items()}


def site_folds(pages: Sequence[MetaPage], folds: int) -> list[list[int]]:
    """Page indexes in `folds` groups of whole sites, sites ordered by a hash of the name."""
    sites = sorted({p.site for p in pages}, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
    fold_of = {site: i * folds // len(sites) for i, site in enumerate(sites)}
    groups: list[list[int]] = [[] for _ in range(folds)]
    for index, page in enumerate(pages):
        groups[fold_of[page.site]].append(index)
    return groups


# --- report --------------------------------------------------------------------------


def _line(label: str, s: MetadataScore) -> str:
    return (
        f"{label:<24} {s.pages:>5} {s.title:7.3f} {s.author:7.3f} {s.date:7.3f}"
        f" {s.wrong_authors:>6} {s.wrong_on_null:>8}"
    )


def report(
    results: dict[str, tuple[tuple[Fields, ...], tuple[FieldMatch, ...]]],
    pages: Sequence[MetaPage],
    folds: int,
    out: Callable[[str], None] = print,
) -> None:
    heads = ("title", "author", "date")
    out(f"{'system':<24} {'pages':>5} " + " ".join(f"{h:>7}" for h in heads) + "  wrong  on null")
    for name, (_, matches) in results.items():
        out(_line(name, summarise(matches)))
    halves = site_folds(pages, 2)
    out("\nby site, halves (sites sorted by hash):")
    for name, (_, matches) in results.items():
        for label, group in zip("AB", halves, strict=True):
            out(_line(f"{name} half {label}", summarise([matches[i] for i in group])))
    out(f"\nby site, {folds} folds: min / max of each rate over folds")
    for name, (_, matches) in results.items():
        scores = [summarise([matches[i] for i in g]) for g in site_folds(pages, folds) if g]
        spread = "  ".join(
            f"{field} {min(getattr(s, field) for s in scores):.3f}-"
            f"{max(getattr(s, field) for s in scores):.3f}"
            for field in ("title", "author", "date")
        )
        wrong = [s.wrong_authors for s in scores]
        out(f"{name:<24} {spread}  wrong {min(wrong)}-{max(wrong)}")


def show_wrong(
    name: str,
    results: dict[str, tuple[tuple[Fields, ...], tuple[FieldMatch, ...]]],
    pages: Sequence[MetaPage],
    k: int,
    out: Callable[[str], None] = print,
) -> None:
    found, matches = results[name]
    out(f"\n{name}: misses and wrong values (first {k} of each field)")
    for field in ("title", "author", "date"):
        shown = 0
        for page, got, m in zip(pages, found, matches, strict=True):
            if getattr(m, field) is False or (field == "author" and m.wrong_author):
                if shown < k:
                    out(
                        f"  {field:<6} {page.id} {page.site[:28]:<28} "
                        f"got={getattr(got, field)!r:.70} want={getattr(page.truth, field)!r:.60}"
                    )
                shown += 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.metadata", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by id)")
    parser.add_argument("--ids", nargs="+", help="only these page ids")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated")
    parser.add_argument("--show-wrong", type=int, default=0, metavar="K")
    parser.add_argument("--folds", type=int, default=10, help="site folds for the spread")
    parser.add_argument("--data", type=Path, default=DEV_SET, help="benchmark folder")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s): {', '.join(unknown)}")
    if not (args.data / "ground-truth.json").is_file():
        print(f"error: no benchmark at {args.data}", file=sys.stderr)
        return 2
    pages = load_meta_pages(args.data, args.ids, args.limit)
    results = evaluate_metadata({name: SYSTEMS[name]() for name in names}, pages)
    print(f"{len(pages)} pages from {args.data}")
    report(results, pages, args.folds)
    if args.show_wrong:
        for name in names:
            show_wrong(name, results, pages, args.show_wrong)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

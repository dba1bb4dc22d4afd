"""The search phases of the cross-document step, the only ones that read shingles:
paragraph pairs, the site template, document pairs.

`find_matches` runs them over the first pass and returns what they found without any
shingle table: the tables (the step's largest arrays) go when it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.counts import Cuts
from pipeline.crossdoc.edits import Drop
from pipeline.crossdoc.scan import Corpus, Representatives
from pipeline.crossdoc.search import (
    Copies,
    DocumentSearch,
    document_settings,
    kept,
    pairs_among,
    paragraph_settings,
    renamed,
)
from pipeline.crossdoc.signing import Signing
from pipeline.crossdoc.template import Occurrence, boilerplate_occurrences
from pipeline.model import Measure, Reason
from pipeline.similarity import Pair, components

MAX_PARAGRAPH_SHINGLES = 5_000
"""Representatives with more shingles than this (some 5,000 words, ten times a long
news paragraph) are set aside from paragraph pair search, as too short ones are.

Checking a pair costs both its sets, and a "paragraph" of megabytes (a page's text with
no breaks, a JSON file of a whole feed on one line) holds every other paragraph of the
run: each of them would be verified against it, K times its size. Such a unit is not a
paragraph: it stays in its article and in document search (its copies are still found),
it is only never matched, annotated or dropped as a paragraph (`paragraphs_too_long`)."""


@dataclass(frozen=True, slots=True)
class ParagraphPairs:
    """Phase 2: near-duplicate paragraphs."""

    pairs: list[Pair]
    """Verified pairs between representatives (by Jaccard or containment)."""
    too_short: int
    """Paragraphs whose representative has fewer than `min_shingles` shingles: not
    compared."""
    cuts: Cuts
    too_long: int = 0
    """Paragraphs whose representative has more than `MAX_PARAGRAPH_SHINGLES`: not
    compared."""


@dataclass(frozen=True, slots=True)
class SiteTemplate:
    """Phase 3: paragraphs removed as their site's template."""

    occurrences: frozenset[Occurrence]
    drops: dict[int, list[Drop]]
    """The same, per article."""


@dataclass(frozen=True, slots=True)
class DocumentMatches:
    """Phase 4: near-duplicate documents, on their text without the template."""

    pairs: list[Pair]
    """Verified pairs between articles (each the first of its identical copies)."""
    copy_of: dict[int, int]
    """Article -> the first article with the same kept paragraphs, for later copies."""
    sizes: np.ndarray
    """Shingles of each article's kept text."""
    cluster_of: list[int]
    """A document cluster label per article (pairs and copies)."""
    signing: Signing
    identical: int
    """Copies with any shingles (not searched: a copy is its first's twin)."""
    cuts: Cuts


@dataclass(frozen=True, slots=True)
class Matches:
    """What the search phases found, for the phases after them."""

    corpus: Corpus
    paragraphs: ParagraphPairs
    template: SiteTemplate
    documents: DocumentMatches

    @property
    def cuts(self) -> Cuts:
        return self.paragraphs.cuts + self.documents.cuts


def find_matches(first: Representatives, config: CrossdocConfig, sign: bool) -> Matches:
    """Phases 2 to 4 over the first pass; `sign`: band the documents for the index."""
    pairs = paragraph_pairs(first, config)
    template, pages = site_template(first, pairs, config)
    # with no template the documents are the pages: their search is reused
    search = pages if pages is not None else document_search(first, template, config)
    documents = document_matches(search, first.corpus.over_cap, sign, config)
    return Matches(first.corpus, pairs, template, documents)


def paragraph_pairs(first: Representatives, config: CrossdocConfig) -> ParagraphPairs:
    """Representatives are matched by Jaccard (LSH) and by containment, every candidate
    verified exactly; those under `min_shingles` or over `MAX_PARAGRAPH_SHINGLES` are
    left out."""
    sizes = first.table.sizes
    short, long = sizes < config.min_shingles, sizes > MAX_PARAGRAPH_SHINGLES
    eligible = [int(r) for r in np.flatnonzero(~short & ~long)]
    occurrences = first.corpus.occurrences
    too_short = sum(len(occurrences[r]) for r in np.flatnonzero(short))
    too_long = sum(len(occurrences[r]) for r in np.flatnonzero(long))
    pairs, cuts = pairs_among(first.table.take(eligible), paragraph_settings(config), config)
    return ParagraphPairs(renamed(pairs, eligible), too_short, cuts, too_long)


def site_template(
    first: Representatives, pairs: ParagraphPairs, config: CrossdocConfig
) -> tuple[SiteTemplate, DocumentSearch | None]:
    """Near-identical paragraphs on many distinct pages of one site (`template`).

    Pages are told apart by a first document search on the whole texts, so that three
    captures of one story do not make its paragraphs template. When the template is
    empty, the texts without it are the texts: that search is returned to be reused as
    the document search (else None, and it goes).
    """
    corpus = first.corpus
    pages = DocumentSearch.of(
        first.table, Copies.of(corpus.of_article), document_settings(config), config
    )
    found = boilerplate_occurrences(
        _candidates(first, pairs, config), first.sites, pages.page_of(), config
    )
    drops: dict[int, list[Drop]] = defaultdict(list)
    for occ in found:
        r = corpus.of_article[occ.article][occ.paragraph]
        rule = Measure.EXACT if len(corpus.occurrences[r]) > 1 else Measure.JACCARD
        drops[occ.article].append(Drop(occ.paragraph, Reason.SITE_BOILERPLATE, rule))
    return SiteTemplate(frozenset(found), dict(drops)), None if found else pages


def _candidates(
    first: Representatives, pairs: ParagraphPairs, config: CrossdocConfig
) -> Iterator[list[Occurrence]]:
    """Occurrences of each group of near-identical representatives (Jaccard at least
    `boilerplate_jaccard`) found in more than one article."""
    near = [
        (p.a, p.b)
        for p in pairs.pairs
        if p.measure == Measure.JACCARD and p.similarity >= config.boilerplate_jaccard
    ]
    rep_group = components(len(first.table), near)
    groups: dict[int, list[Occurrence]] = defaultdict(list)
    for r, occs in enumerate(first.corpus.occurrences):
        if len(occs) > 1 or rep_group[r] != r:
            groups[rep_group[r]].extend(occs)
    return (g for g in groups.values() if len({o.article for o in g}) > 1)


def document_search(
    first: Representatives, template: SiteTemplate, config: CrossdocConfig
) -> DocumentSearch:
    """Document pairs on the text without the template; identical documents (the same
    kept paragraphs) are searched once, through their first copy."""
    removed = {a: {d.paragraph for d in drops} for a, drops in template.drops.items()}
    kept_reps = (
        kept(reps, removed[a]) if a in removed else reps
        for a, reps in enumerate(first.corpus.of_article)
    )
    return DocumentSearch.of(first.table, Copies.of(kept_reps), document_settings(config), config)


def document_matches(
    search: DocumentSearch, over_cap: frozenset[int], sign: bool, config: CrossdocConfig
) -> DocumentMatches:
    """The search's pairs named by articles, the copies, the clusters they make, and
    (with `sign`) the band hashes for the index, signed while the table is here."""
    copies = search.copies
    sizes = search.sizes[np.asarray(copies.group_of, dtype=np.int64)]
    pairs = renamed(search.pairs, [copies.first[g] for g in search.alive])
    copy_of = {a: copies.first[g] for a, g in enumerate(copies.group_of) if copies.first[g] != a}
    cluster_of = components(
        len(copies.group_of), [(p.a, p.b) for p in pairs] + list(copy_of.items())
    )
    signing = Signing.of(search.table, search.alive, copies.group_of, over_cap, config, sign)
    identical = sum(1 for a in copy_of if sizes[a])
    return DocumentMatches(pairs, copy_of, sizes, cluster_of, signing, identical, search.cuts)

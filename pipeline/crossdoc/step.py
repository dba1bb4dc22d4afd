"""Near-duplicates across the articles of a run (and of earlier runs, through the index).

The step is a sequence of phases. Each takes what the earlier ones found (typed, read
only) and returns its own findings with their counts; `apply_crossdoc` is that sequence.

1. First pass (`scan`): paragraphs are normalised; identical ones collapse to one
   *representative* whatever how many articles carry it (thousands of copies of one
   line cost one LSH entry), and representatives are shingled.
2. Paragraph pairs (`matching.paragraph_pairs`): representatives matched by Jaccard
   (LSH) and by containment (prefix-filtered inverted index), every candidate verified
   exactly.
3. Site template (`matching.site_template`): near-identical paragraphs on many distinct
   pages of one site are removed. Pages are told apart by a first document search, so
   three captures of one story do not make its paragraphs template.
4. Document search (`matching.document_matches`), on the text without the template:
   Jaccard for reposts and light edits, containment (with a minimum length ratio) for
   truncated copies; identical documents are searched once. Phases 2 to 4 are the only
   ones that read shingles: `find_matches` runs them, and the tables go when it returns.
5. Paragraph clusters (`paragraphs.paragraph_clusters`) across articles of *different*
   document clusters (a repost's paragraphs are all the canonical's: the document
   cluster already says so). They are annotated; with `drop_cross_document_duplicates`
   a paragraph that duplicates (or is contained in) one already kept in an earlier
   article is removed — the first occurrence stays, and a long paragraph is never
   dropped for holding a short quote.
6. Removals and final ids (`edits.removals`): each article losing paragraphs is read
   once for its removal records and the id of its new text.
7. Document clusters (`documents.document_clusters`), with the persistent index: an
   earlier canonical stays canonical; otherwise the most complete article, ties by
   earliest date, then by source. Only band hashes are stored, so matches with earlier
   runs carry an *estimated* Jaccard (`jaccard-estimate`), the one thing that can be
   checked without the text. The paragraph clusters become records once ids are final.
8. The result: a lazy `Sequence` (`view.EditedArticles`) applying the edits record by
   record, and the counts. Records may be spooled on disk: phases read them in passes.

On shards of the corpus (a later step past one machine's memory, as datatrove's MinHash
stages do it: signatures per shard, candidates per band bucket, clustering, then the
per-article edits):

- phase 1 runs per shard of records; representatives merge by their normalised text (a
  shuffle on its hash), articles numbered by shard offset;
- phases 2 and 4 are signatures per shard of representatives (of documents: unions of
  their representatives' shingles, after a join), candidates per LSH band bucket and per
  shingle posting, and verification per candidate pair; their outputs are pair lists;
- phase 3 and the clusters of phases 4, 5 and 7 are connected components over those
  pairs (one union-find, or a distributed one), then work per component: phase 3 per
  group and site, phase 5 and phase 7's canonical per cluster; the index is queried per
  band bucket;
- phase 6 and the result are per article, each needing only its own drops and the final
  ids of the articles its drops point to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.counts import CrossdocCounts
from pipeline.crossdoc.documents import DocumentClusters, document_clusters
from pipeline.crossdoc.edits import Edit, Removals, removals
from pipeline.crossdoc.index.base import IndexStore
from pipeline.crossdoc.matching import Matches, find_matches
from pipeline.crossdoc.paragraphs import (
    ParagraphClusters,
    ParagraphRecords,
    paragraph_cluster_records,
    paragraph_clusters,
)
from pipeline.crossdoc.scan import FirstPass, Representatives, scan
from pipeline.crossdoc.view import EditedArticles
from pipeline.model import Stage
from pipeline.records import ArticleRecord, ClusterRecord, QuarantineRecord

__all__ = ["CrossdocResult", "apply_crossdoc"]

EMPTIED = "nothing left after removing site boilerplate and cross-document duplicates"
"""The quarantine reason of an article the step removed every paragraph of."""


@dataclass(frozen=True, slots=True)
class CrossdocResult:
    articles: Sequence[ArticleRecord]
    quarantined: list[QuarantineRecord]
    clusters: list[ClusterRecord]
    counts: CrossdocCounts
    removed_by_reason: Counter[str]
    """Paragraphs removed from the articles kept, by reason."""
    paragraphs_gone: int
    """Paragraphs no longer in `articles`: removed, or in articles left out."""


def apply_crossdoc(
    articles: Sequence[ArticleRecord],
    config: CrossdocConfig,
    index: IndexStore | None = None,
    first: FirstPass | Representatives | None = None,
) -> CrossdocResult:
    """The step over `articles`, with documents of earlier runs from `index` (the run's
    new documents are added to it).

    `first` is their first pass if it was taken as they were collected, with the same
    config: a `FirstPass` fed every record (taken here, so that the step holds the only
    reference to its shingles and frees them once the searches are done; already taken,
    the records are scanned again), or what one found (`Representatives`, only read).
    None: the pass is taken here. Raises `ValueError` for a pass over other records.
    """
    matches = find_matches(_first_pass(articles, config, first), config, index is not None)
    paragraphs = paragraph_clusters(matches, config)
    removed = removals(articles, matches.corpus.digest, (matches.template.drops, paragraphs.drops))
    documents = document_clusters(articles, matches, removed, index, config)
    annotations = paragraph_cluster_records(paragraphs, matches.corpus.digest, removed)
    found = _Findings(matches, paragraphs, removed, documents, annotations)
    return _result(articles, found, config)


def _first_pass(
    articles: Sequence[ArticleRecord],
    config: CrossdocConfig,
    first: FirstPass | Representatives | None,
) -> Representatives:
    taken = first.take() if isinstance(first, FirstPass) else first
    if taken is None:
        return scan(articles, config)
    if len(taken.corpus) != len(articles):
        raise ValueError(
            f"the first pass saw {len(taken.corpus)} articles, the step got {len(articles)}"
        )
    return taken


@dataclass(frozen=True, slots=True)
class _Findings:
    """What the phases after the searches found, for the result."""

    matches: Matches
    paragraphs: ParagraphClusters
    removals: Removals
    documents: DocumentClusters
    annotations: ParagraphRecords


def _result(
    articles: Sequence[ArticleRecord], found: _Findings, config: CrossdocConfig
) -> CrossdocResult:
    digest, removed = found.matches.corpus.digest, found.removals.removed
    emptied, duplicates = found.removals.emptied, found.documents.duplicates
    n = len(articles)
    keep = [
        a
        for a in range(n)
        if a not in emptied and not (config.drop_duplicate_articles and a in duplicates)
    ]
    removed_by_reason = Counter(
        r["reason"] for a, records in removed.items() if a not in emptied for r in records.values()
    )
    kept = set(keep)
    gone = sum(removed_by_reason.values()) + sum(
        digest.paragraphs[a] - len(removed.get(a, ())) for a in range(n) if a not in kept
    )
    quarantined: list[QuarantineRecord] = [
        {"source": digest.sources[a], "reason": EMPTIED, "stage": Stage.CROSSDOC}
        for a in sorted(emptied)
    ]
    view = EditedArticles(articles, keep, _edits(found), found.removals.final_ids)
    clusters = [*found.documents.records, *found.annotations.records]
    return CrossdocResult(
        view, quarantined, clusters, _counts(found, config), removed_by_reason, gone
    )


def _edits(found: _Findings) -> dict[int, Edit]:
    """Each phase's changes to an article, as one `Edit` per article changed."""
    removed, cross = found.removals.removed, found.annotations.cross
    duplicates = found.documents.duplicates
    edits: dict[int, Edit] = {}
    for a in sorted({*removed, *cross, *duplicates}):
        edit = edits[a] = Edit(removed.get(a, {}), cross.get(a, []))
        duplicate = duplicates.get(a)
        if duplicate is not None:
            edit.duplicate_of = duplicate.of
            edit.reason = duplicate.reason
            edit.similarity = duplicate.similarity
    return edits


def _counts(found: _Findings, config: CrossdocConfig) -> CrossdocCounts:
    """The phases' counts, for the manifest."""
    matches, documents = found.matches, found.documents
    cuts, index = matches.cuts, documents.index
    return CrossdocCounts(
        document_clusters=len(documents.records),
        duplicate_articles=len(documents.duplicates),
        duplicate_articles_dropped=len(documents.duplicates)
        if config.drop_duplicate_articles
        else 0,
        paragraph_clusters=len(found.paragraphs.clusters),
        cross_duplicates_annotated=found.annotations.annotated,
        cross_duplicates_dropped=found.paragraphs.dropped,
        site_boilerplate_removed=len(matches.template.occurrences),
        articles_emptied=len(found.removals.emptied),
        paragraphs_too_short=matches.paragraphs.too_short,
        paragraphs_too_long=matches.paragraphs.too_long,
        paragraphs_over_cap=matches.corpus.paragraphs_over_cap,
        buckets_capped=cuts.buckets_capped,
        postings_capped=cuts.postings_capped,
        buckets_fanout_limited=cuts.buckets_fanout_limited,
        postings_fanout_limited=cuts.postings_fanout_limited,
        pairs_verified=cuts.pairs_verified,
        shingles_compared=cuts.shingles_compared,
        identical_documents=matches.documents.identical,
        index=index.index,
        index_run=index.index_run,
        index_known=index.index_known,
        index_matches=index.index_matches,
        index_added=index.index_added,
        index_buckets_refused=index.index_buckets_refused,
    )

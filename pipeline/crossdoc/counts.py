"""The cross-document step's counts, for the manifest's `crossdoc` section."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.similarity import Caps, Fanout, Matches


@dataclass(frozen=True, slots=True)
class Cuts:
    """What the safety caps and the fan-out bound left out of one or more searches, and
    the work the searches did (pairs verified, shingles compared)."""

    buckets_capped: int = 0
    postings_capped: int = 0
    buckets_fanout_limited: int = 0
    postings_fanout_limited: int = 0
    pairs_verified: int = 0
    shingles_compared: int = 0

    @staticmethod
    def of(matches: Matches, fanout: Fanout) -> Cuts:
        caps: Caps = matches.caps
        return Cuts(
            caps.buckets_capped,
            caps.postings_capped,
            fanout.buckets,
            fanout.postings,
            matches.verified,
            matches.compared,
        )

    def __add__(self, other: Cuts) -> Cuts:
        return Cuts(
            *(
                a + b
                for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True)
            )
        )


@dataclass(frozen=True, slots=True)
class IndexCounts:
    """What the persistent index gave and took in one run (all zero without an index)."""

    index: str | None = None
    """The index, as it describes itself."""
    index_run: int | None = None
    """This run's number in the index (1, 2, ...)."""
    index_known: int = 0
    """Documents of this run the index already held."""
    index_matches: int = 0
    """Links to documents of earlier runs, by estimated Jaccard."""
    index_added: int = 0
    index_buckets_refused: int = 0
    """Band entries not stored because their bucket was full (`max_bucket`)."""


@dataclass(frozen=True, slots=True)
class CrossdocCounts:
    """Counts for the manifest's `crossdoc` section, gathered from the step's phases."""

    document_clusters: int = 0
    duplicate_articles: int = 0
    duplicate_articles_dropped: int = 0
    paragraph_clusters: int = 0
    cross_duplicates_annotated: int = 0
    cross_duplicates_dropped: int = 0
    site_boilerplate_removed: int = 0
    articles_emptied: int = 0
    paragraphs_too_short: int = 0
    paragraphs_too_long: int = 0
    paragraphs_over_cap: int = 0
    buckets_capped: int = 0
    postings_capped: int = 0
    buckets_fanout_limited: int = 0
    postings_fanout_limited: int = 0
    pairs_verified: int = 0
    shingles_compared: int = 0
    identical_documents: int = 0
    index: str | None = None
    index_run: int | None = None
    index_known: int = 0
    index_matches: int = 0
    index_added: int = 0
    index_buckets_refused: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

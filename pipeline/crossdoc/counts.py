"""The cross-document step's counts, for the manifest's `crossdoc` section."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class CrossdocReport:
    """Counts for the manifest's `crossdoc` section (mutable while counting)."""

    document_clusters: int = 0
    duplicate_articles: int = 0
    duplicate_articles_dropped: int = 0
    paragraph_clusters: int = 0
    cross_duplicates_annotated: int = 0
    cross_duplicates_dropped: int = 0
    site_boilerplate_removed: int = 0
    articles_emptied: int = 0
    paragraphs_too_short: int = 0
    paragraphs_over_cap: int = 0
    buckets_capped: int = 0
    postings_capped: int = 0
    buckets_fanout_limited: int = 0
    postings_fanout_limited: int = 0
    identical_documents: int = 0
    index: str | None = None
    index_run: int | None = None
    index_known: int = 0
    index_matches: int = 0
    index_added: int = 0
    index_buckets_refused: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

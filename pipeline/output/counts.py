"""The counts of what a run wrote, taken from the records as they are written.

Counts kept beside the processing drift from the files as soon as a later step leaves
something out (an article dropped as a duplicate, one emptied by the corpus-level step);
counted on the pass that writes `articles.jsonl` and `quarantine.jsonl`, they are what
the files hold by construction. The run summary takes them over (`RunSummary.written`),
and the CLI line, the manifest and the report all show the summary's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pipeline.records import ArticleRecord, QuarantineRecord


@dataclass(slots=True)
class Written:
    articles: int = 0
    paragraphs_kept: int = 0
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    quarantined: int = 0
    quarantine_by_stage: Counter[str] = field(default_factory=Counter)

    def articles_passing(self, records: Iterable[ArticleRecord]) -> Iterator[ArticleRecord]:
        for record in records:
            self.articles += 1
            self.paragraphs_kept += len(record["paragraphs"])
            self.removed_by_reason.update(r["reason"] for r in record["removed"])
            yield record

    def quarantine_passing(self, records: Iterable[QuarantineRecord]) -> Iterator[QuarantineRecord]:
        for record in records:
            self.quarantined += 1
            self.quarantine_by_stage[record["stage"]] += 1
            yield record

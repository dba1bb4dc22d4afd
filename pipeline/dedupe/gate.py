"""Is this document a dump of revisions? Only then does in-document dedupe remove anything.

Ordinary pages repeat lines on purpose: a table's header row for each week of a plan, the
"Max speed: ..." line of each product compared, list items, subheadings. None of that is
a revision, and removing it loses content. A revision dump repeats *prose*: paragraphs
of sentence shape, long enough to be written, each present in two or more wordings. So
the gate counts the prose paragraphs that have a near-duplicate prose partner and the
distinct passages they make (one disclaimer repeated under every product is one passage,
not a history of edits), and calls the document a dump when several passages come in two
or more wordings and those make a real share of its prose, or when the revision
tracker's own lines are there as well. What it saw is kept (`RevisionEvidence`)
and shown in the rule of every removal it allows, so a reader can see why dedupe fired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.clean.lines import describe
from pipeline.model import Paragraph, ParagraphKind
from pipeline.similarity import components

PROSE_KINDS = frozenset({ParagraphKind.TEXT, ParagraphKind.QUOTE})
"""Table rows, list items and headings repeat on ordinary pages; they are no evidence."""
PROSE_MIN_WORDS = 12
"""Shorter sentences ("Max speed: 25 mph.", "Price: $499.") are spec lines, not prose."""
MIN_PASSAGES = 3
"""Distinct passages in two or more wordings needed: a repeated lede, a pull quote or a
boilerplate sentence under each item is one or two, a revision history has many."""
MIN_SHARE = 0.2
"""... and their copies this share of the document's prose: in a dump most paragraphs
come twice."""
MIN_PASSAGES_TRACKED = 1
"""With the revision tracker's lines present, one revised passage is enough."""


@dataclass(frozen=True, slots=True)
class RevisionEvidence:
    """What the gate saw in one document."""

    paired: int
    """Prose paragraphs with a near-duplicate prose partner."""
    passages: int
    """The distinct passages those make (groups of linked paragraphs)."""
    prose: int
    """Prose paragraphs in the document (after cleaning)."""
    trackers: int
    """Revision-tracker lines ("Version 3 of 5", "(about 3 hours later)", its headers)."""

    @property
    def is_dump(self) -> bool:
        if self.trackers and self.passages >= MIN_PASSAGES_TRACKED:
            return True
        return self.passages >= MIN_PASSAGES and self.paired >= MIN_SHARE * self.prose

    def describe(self) -> str:
        """The evidence in a few words, for the `rule` of a duplicate's removal."""
        lines = "line" if self.trackers == 1 else "lines"
        return (
            f"revision dump: {self.passages} passages in several wordings, {self.paired} of"
            f" {self.prose} prose paragraphs, {self.trackers} tracker {lines}"
        )


def is_prose(paragraph: Paragraph) -> bool:
    """A paragraph written as prose: a sentence of at least `PROSE_MIN_WORDS` words."""
    if paragraph.kind not in PROSE_KINDS:
        return False
    line = describe(paragraph)
    return line.sentence and line.words >= PROSE_MIN_WORDS


def revision_evidence(
    prose: int, linked: Sequence[tuple[int, int]], trackers: int
) -> RevisionEvidence:
    """The evidence from `linked`, the near-duplicate pairs among the `prose` paragraphs."""
    roots = components(prose, linked)
    paired = {i for pair in linked for i in pair}
    passages = {roots[i] for i in paired}
    return RevisionEvidence(len(paired), len(passages), prose, trackers)

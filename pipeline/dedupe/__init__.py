"""Deduplication within one document, and the canonical article it leaves.

In-document dedupe is for dumps that merge several revisions of one article: the gate
(`gate`) recognises them from their own evidence, `order` ranks their revisions, `within`
links the near-duplicate paragraphs and keeps one copy of each (the latest by default);
`dedupe_document` runs the three, and `assemble` builds the `Article` from the cleaning
decision and the duplicates.
"""

from pipeline.dedupe.assemble import assemble
from pipeline.dedupe.gate import RevisionEvidence, is_prose
from pipeline.dedupe.order import revision_order, tracker_lines, tracker_of
from pipeline.dedupe.step import Dedupe, dedupe_document
from pipeline.dedupe.within import DuplicateOf, Links, link_paragraphs, near_duplicates, resolve

__all__ = [
    "Dedupe",
    "DuplicateOf",
    "Links",
    "RevisionEvidence",
    "assemble",
    "dedupe_document",
    "is_prose",
    "link_paragraphs",
    "near_duplicates",
    "resolve",
    "revision_order",
    "tracker_lines",
    "tracker_of",
]

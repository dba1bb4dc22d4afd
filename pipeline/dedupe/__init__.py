"""Deduplication within one document, and the canonical article it leaves.

`near_duplicates` finds the paragraphs of a document that repeat another of its
paragraphs (exact copies, revisions, a paragraph swallowed by a longer one);
`assemble` builds the `Article` from the cleaning decision and those duplicates.
"""

from pipeline.dedupe.assemble import assemble
from pipeline.dedupe.within import DuplicateOf, near_duplicates

__all__ = ["DuplicateOf", "assemble", "near_duplicates"]

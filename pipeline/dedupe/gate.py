"""Is this document a dump of revisions? Only then does in-document dedupe remove anything.

Ordinary pages repeat lines on purpose: a table's header row for each week of a plan, the
"Max speed: ..." line of each product compared, list items, subheadings. None of that is
a revision, and removing it loses content. A revision dump repeats *prose*: paragraphs
of sentence shape, long enough to be written, each present in two or more wordings. So
the gate counts the prose paragraphs that have a near-duplicate prose partner and the
distinct passages they make (one disclaimer repeated under every product is one passage,
not a history of edits), and calls the document a dump when several passages come in two
or more wordings and their copies make a real share of its prose, or when the revision
tracker's own lines are there as well.

One ordinary page still looks like that: a comparison that fills one template of prose
per product ("Mullvad supports the WireGuard protocol..." then "IVPN supports ..."). Its
near-duplicates differ by the same words every time, the products' names, where a
revision's edits differ from one paragraph to the next; so when one word is in the
difference of most of the revised pairs, the page is a template, not a dump.

What the gate saw is kept (`RevisionEvidence`) and shown in the rule of every removal it
allows, so a reader can see why dedupe fired.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.clean.lexicon import SENTENCE_END
from pipeline.clean.lines import word_count
from pipeline.model import Paragraph, ParagraphKind
from pipeline.similarity import components

PROSE_KINDS = frozenset({ParagraphKind.TEXT, ParagraphKind.QUOTE})
"""Table rows, list items and headings repeat on ordinary pages; they are no evidence."""
PROSE_MIN_WORDS = 12
"""Shorter sentences ("Max speed: 25 mph.", "Price: $499.") are spec lines, not prose."""
MIN_PASSAGES = 3
"""Distinct passages in two or more wordings needed: a repeated lede, a pull quote or a
boilerplate sentence under each item is one or two, a revision history has many."""
MIN_SHARE = 0.3
"""... and their copies this share of the document's prose: in a dump most paragraphs
come twice, where pull quotes repeat a few paragraphs of a long article."""
MIN_PASSAGES_TRACKED = 1
"""With the revision tracker's lines present, one revised passage is enough."""
TEMPLATE_MIN_PAIRS = 3
"""Revised pairs needed before their differences can show a template."""
TEMPLATE_SHARE = 0.5
"""A word in the difference of at least this share of the revised pairs is a name the
template is filled with."""
WORD = re.compile(r"\w+")


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
    template_word: str | None = None
    """The word most of the revised pairs differ by, when they share one: a template."""

    @property
    def is_dump(self) -> bool:
        if self.trackers and self.passages >= MIN_PASSAGES_TRACKED:
            return True
        return (
            self.template_word is None
            and self.passages >= MIN_PASSAGES
            and self.paired >= MIN_SHARE * self.prose
        )

    def describe(self) -> str:
        """The evidence in a few words, for the `rule` of a duplicate's removal."""
        lines = "line" if self.trackers == 1 else "lines"
        return (
            f"revision dump: {self.passages} passages in several wordings, {self.paired} of"
            f" {self.prose} prose paragraphs, {self.trackers} tracker {lines}"
        )


def is_prose(paragraph: Paragraph) -> bool:
    """A paragraph written as prose: a sentence of at least `PROSE_MIN_WORDS` words."""
    if paragraph.kind not in PROSE_KINDS or not SENTENCE_END.search(paragraph.text):
        return False
    return word_count(paragraph.text) >= PROSE_MIN_WORDS


def is_long(paragraph: Paragraph) -> bool:
    """Long enough to be revised rather than repeated: inside a dump, such paragraphs are
    matched as revisions even when not shaped as a sentence (a lead-in ending in a colon,
    a long list item); headings and table rows never are."""
    return (
        paragraph.kind not in (ParagraphKind.HEADING, ParagraphKind.TABLE)
        and word_count(paragraph.text) >= PROSE_MIN_WORDS
    )


def revision_evidence(
    texts: Sequence[str],
    linked: Sequence[tuple[int, int]],
    revised: Sequence[tuple[int, int]],
    trackers: int,
) -> RevisionEvidence:
    """The evidence among the prose paragraphs `texts`: `linked` are all their
    near-duplicate pairs (exact copies too), `revised` the pairs of like size (Jaccard)."""
    roots = components(len(texts), linked)
    paired = {i for pair in linked for i in pair}
    passages = {roots[i] for i in paired}
    return RevisionEvidence(
        len(paired), len(passages), len(texts), trackers, template_word(texts, revised)
    )


def template_word(texts: Sequence[str], revised: Sequence[tuple[int, int]]) -> str | None:
    """The word in the difference of most `revised` pairs (`TEMPLATE_SHARE`), if any."""
    if len(revised) < TEMPLATE_MIN_PAIRS:
        return None
    words = [set(WORD.findall(t.lower())) for t in texts]
    counts: Counter[str] = Counter()
    for a, b in revised:
        counts.update(words[a] ^ words[b])
    if not counts:
        return None
    word, count = counts.most_common(1)[0]
    return word if count >= TEMPLATE_SHARE * len(revised) else None

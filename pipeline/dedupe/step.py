"""In-document dedupe of one cleaned document: gate, order, resolve.

The gate is asked on the prose paragraphs alone (few, and the only evidence it takes), so
an ordinary page costs one small matching and loses nothing; only a document the gate
calls a revision dump is matched whole, its revisions ranked (`order`) and the older (or,
with `keep = "first"`, the newer) copies of each paragraph dropped (`within.resolve`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.config import DedupeConfig
from pipeline.dedupe.gate import RevisionEvidence, is_long, is_prose, revision_evidence
from pipeline.dedupe.order import revision_order, tracker_lines
from pipeline.dedupe.within import DuplicateOf, gate_links, link_paragraphs, resolve
from pipeline.model import Decision, Document


@dataclass(frozen=True, slots=True)
class Dedupe:
    """Which kept paragraphs (by position in `decision.kept`) go, and the gate's evidence."""

    duplicates: dict[int, DuplicateOf] = field(default_factory=dict)
    evidence: RevisionEvidence | None = None
    """None when dedupe is off or there is nothing to compare."""


def dedupe_document(document: Document, decision: Decision, config: DedupeConfig) -> Dedupe:
    """The duplicates of a revision dump; nothing for any other document."""
    if not config.enabled or len(decision.kept) < 2:
        return Dedupe()
    paragraphs = [document.paragraphs[i] for i in decision.kept]
    prose = [is_prose(p) for p in paragraphs]
    texts = [p.text for p, yes in zip(paragraphs, prose, strict=True) if yes]
    evidence = gate(texts, tracker_lines(decision), config)
    if not evidence.is_dump:
        return Dedupe(evidence=evidence)
    order = revision_order(document.paragraphs, decision)
    links = link_paragraphs([p.text for p in paragraphs], config)
    # A short line inside a paragraph (a subheading its text repeats) is no revision of
    # it: besides exact copies, only long paragraphs are matched with each other.
    long = [is_long(paragraphs[i]) for i in links.units]
    pairs = [p for p in links.pairs if long[p.a] and long[p.b]]
    found = resolve(replace(links, pairs=pairs), order, config.keep, config.containment_threshold)
    return Dedupe(found, evidence)


def gate(prose: Sequence[str], trackers: int, config: DedupeConfig) -> RevisionEvidence:
    """The revision gate's evidence from the document's prose paragraphs."""
    if len(prose) < 2:
        return revision_evidence(prose, [], [], trackers)
    linked, revised = gate_links(prose, config)
    return revision_evidence(prose, linked, revised, trackers)

"""In-document dedupe of one cleaned document: gate, order, resolve.

The gate is asked on the prose paragraphs alone (few, and the only evidence it takes), so
an ordinary page costs one small matching and loses nothing; only a document the gate
calls a revision dump is matched whole, its revisions ranked (`order`) and the older (or,
with `keep = "first"`, the newer) copies of each paragraph dropped (`within.resolve`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import DedupeConfig
from pipeline.dedupe.gate import RevisionEvidence, is_prose, revision_evidence
from pipeline.dedupe.order import revision_order
from pipeline.dedupe.within import DuplicateOf, link_paragraphs, resolve
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
    order = revision_order(document.paragraphs, decision)
    prose = [k for k, p in enumerate(paragraphs) if is_prose(p)]
    linked: list[tuple[int, int]] = []
    if len(prose) >= 2:
        links = link_paragraphs([paragraphs[k].text for k in prose], config)
        linked = links.linked()
    evidence = revision_evidence(len(prose), linked, order.trackers)
    if not evidence.is_dump:
        return Dedupe(evidence=evidence)
    links = link_paragraphs([p.text for p in paragraphs], config)
    found = resolve(links, order.ranks, config.keep, config.containment_threshold)
    return Dedupe(found, evidence)

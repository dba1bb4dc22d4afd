"""Put cleaning and deduplication decisions together into one canonical `Article`."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.dedupe.gate import RevisionEvidence
from pipeline.dedupe.within import DuplicateOf
from pipeline.model import Article, Decision, Document, Metadata, Paragraph, Reason, Removal


def assemble(
    document: Document,
    decision: Decision,
    duplicates: Mapping[int, DuplicateOf],
    evidence: RevisionEvidence | None = None,
) -> Article:
    """`duplicates` is keyed by position in `decision.kept`, as dedupe saw them; the
    gate's `evidence`, when given, is written into each duplicate's rule after the measure,
    so the record says why dedupe fired on this document."""
    why = f"; {evidence.describe()}" if evidence is not None else ""
    final_index: dict[int, int] = {}
    paragraphs: list[Paragraph] = []
    for k, position in enumerate(decision.kept):
        if k not in duplicates:
            final_index[k] = len(paragraphs)
            paragraphs.append(document.paragraphs[position])
    removed = list(decision.removed)
    for k, dup in duplicates.items():
        position = decision.kept[k]
        removed.append(
            Removal(
                text=document.paragraphs[position].text,
                reason=Reason.DUPLICATE,
                rule=f"{dup.measure}{why}",
                position=position,
                duplicate_of=final_index[dup.index],
                similarity=dup.similarity,
            )
        )
    removed.sort(key=lambda r: r.position)
    meta = document.metadata
    return Article(
        source=document.source,
        format=document.format,
        metadata=Metadata(
            title=decision.title or meta.title,
            author=meta.author,
            date=meta.date,
            site=meta.site,
            url=meta.url,
        ),
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        encoding=document.encoding,
    )

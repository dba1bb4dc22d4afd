"""Put cleaning and deduplication decisions together into one canonical `Article`."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.dedupe.within import DuplicateOf
from pipeline.model import Article, Decision, Document, Metadata, Paragraph, Reason, Removal


def assemble(
    document: Document, decision: Decision, duplicates: Mapping[int, DuplicateOf]
) -> Article:
    """`duplicates` is keyed by position in `decision.kept`, as dedupe saw them."""
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
                rule=dup.measure,
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

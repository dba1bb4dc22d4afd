"""Anchor ids of the articles the page shows, and how a reference finds them."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.output.report.fields import Record, records, short_source, string


@dataclass(slots=True)
class Anchors:
    """Anchor ids per article; links are made only to articles the page shows."""

    by_source: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, str] = field(default_factory=dict)
    paragraphs: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def add(self, record: Record) -> str:
        """A unique anchor for a shown article (two inputs can give the same text, so id)."""
        base = f"art-{string(record, 'id') or 'x'}"
        anchor, n = base, 1
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        source = string(record, "source")
        if source is not None:
            self.by_source.setdefault(source, anchor)
        article_id = string(record, "id")
        if article_id is not None:
            self.by_id.setdefault(article_id, anchor)
        self.paragraphs[anchor] = len(records(record.get("paragraphs")))
        self.titles[anchor] = string(record, "title") or short_source(source or anchor)
        return anchor

    def article(self, ref: Record) -> str | None:
        """The anchor of the article a reference names by `id`, `article` or `source`."""
        for key in ("id", "article", "article_id"):
            value = string(ref, key)
            if value is not None and value in self.by_id:
                return self.by_id[value]
        source = string(ref, "source")
        return self.by_source.get(source) if source is not None else None

    def paragraph(self, anchor: str, index: int | None) -> str:
        """The anchor of paragraph `index` of an article; the article's own if no such one."""
        if index is None or not 0 <= index < self.paragraphs.get(anchor, 0):
            return anchor
        return f"{anchor}-p{index}"


def target_label(ref: Record, index: int | None) -> str:
    """How a reference to an article not shown on the page is printed."""
    name = string(ref, "id") or string(ref, "article") or short_source(string(ref, "source") or "?")
    return f"{name} ¶{index}" if index is not None else name

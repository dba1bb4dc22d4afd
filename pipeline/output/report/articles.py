"""One article's view: its kept paragraphs with every removed one back in its place.

A removal carries its `position` among the extracted paragraphs, so the page can put it
back where it stood, in a run of consecutive removals folded into one block. Duplicates
link to the paragraph they duplicate, in this article or in another one the page shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.output.report.anchors import Anchors, target_label
from pipeline.output.report.fields import (
    Record,
    integer,
    records,
    safe_href,
    short_source,
    similarity,
    string,
)
from pipeline.output.report.view import (
    ArticleView,
    Block,
    Category,
    KeptView,
    Link,
    RemovalView,
    category,
)


def article_view(
    record: Record, anchor: str, anchors: Anchors, copies: tuple[Link, ...]
) -> ArticleView:
    """The view of one shown article; `copies` are the shown articles that copy it."""
    paragraphs = records(record.get("paragraphs"))
    removals = records(record.get("removed"))
    kept_chars = sum(len(str(p.get("text") or "")) for p in paragraphs)
    removed_chars = sum(len(str(r.get("text") or "")) for r in removals)
    by_category = Counter(category(string(r, "reason") or "") for r in removals)
    source = string(record, "source") or "?"
    url = string(record, "url")
    return ArticleView(
        anchor=anchor,
        id=string(record, "id") or "",
        source=source,
        title=string(record, "title") or short_source(source),
        author=string(record, "author"),
        date=string(record, "date"),
        site=string(record, "site"),
        url=url,
        url_href=safe_href(url),
        format=string(record, "format") or "?",
        blocks=_blocks(record, paragraphs, removals, anchor, anchors),
        kept=len(paragraphs),
        removed=len(removals),
        chars_before=kept_chars + removed_chars,
        chars_after=kept_chars,
        duplicate_of=_duplicate_of(record, anchors),
        duplicate_detail=_duplicate_detail(record),
        copies=copies,
        removed_by_category=tuple((c, by_category[c]) for c in Category if by_category[c]),
    )


def _blocks(
    record: Record,
    paragraphs: Sequence[Record],
    removals: Sequence[Record],
    anchor: str,
    anchors: Anchors,
) -> tuple[Block, ...]:
    """Kept paragraphs and runs of removed ones in reading order, when the removals'
    positions allow it; otherwise the kept paragraphs first, then every removal."""
    by_position: dict[int, Record] = {}
    for removal in removals:
        position = integer(removal.get("position"))
        if position is not None and position not in by_position:
            by_position[position] = removal
    total = len(paragraphs) + len(removals)
    interleave = len(by_position) == len(removals) and all(p < total for p in by_position)
    notes = _cross_notes(record, anchors)

    def kept(index: int) -> Block:
        return Block(kept=_kept_view(paragraphs[index], index, anchor, notes.get(index, ())))

    blocks: list[Block] = []
    run: list[RemovalView] = []

    def flush() -> None:
        if run:
            blocks.append(Block(removed=tuple(run)))
            run.clear()

    if interleave:
        kept_index = 0
        for position in range(total):
            if position in by_position:
                run.append(_removal_view(by_position[position], position, anchor, anchors))
            else:
                flush()
                blocks.append(kept(kept_index))
                kept_index += 1
    else:  # positions unusable: kept paragraphs first, then every removal
        blocks.extend(kept(i) for i in range(len(paragraphs)))
        run.extend(_removal_view(r, total + i, anchor, anchors) for i, r in enumerate(removals))
    flush()
    return tuple(blocks)


def _kept_view(paragraph: Record, index: int, anchor: str, notes: tuple[Link, ...]) -> KeptView:
    return KeptView(
        anchor=f"{anchor}-p{index}",
        number=index,
        text=str(paragraph.get("text") or ""),
        kind=string(paragraph, "kind") or "text",
        notes=notes,
    )


def _removal_view(removal: Record, fallback: int, anchor: str, anchors: Anchors) -> RemovalView:
    """`fallback` stands for the position when the removal has none."""
    reason = string(removal, "reason") or "unknown"
    position = integer(removal.get("position"))
    return RemovalView(
        anchor=f"{anchor}-r{position if position is not None else fallback}",
        text=str(removal.get("text") or ""),
        reason=reason,
        rule=string(removal, "rule"),
        category=category(reason),
        position=position if position is not None else fallback,
        target=_removal_target(removal, anchor, anchors),
        similarity=similarity(removal.get("similarity")),
    )


def _removal_target(removal: Record, here: str, anchors: Anchors) -> Link | None:
    """Where a duplicate's original is: this article's paragraph, or another article's."""
    index = integer(removal.get("duplicate_of"))
    other = removal.get("duplicate_of_article") or removal.get("duplicate_of_source")
    if isinstance(other, str):
        ref: Record = {"id": other, "source": other}
        anchor = anchors.article(ref)
        label = target_label(ref, index)
        if anchor is None:
            return Link(label=label, title="not shown in this report")
        href = f"#{anchors.paragraph(anchor, index)}"
        return Link(label=f"{anchors.titles[anchor]} ¶{index}", href=href)
    if index is None:
        return None
    return Link(label=f"¶{index}", href=f"#{anchors.paragraph(here, index)}")


def _cross_notes(record: Record, anchors: Anchors) -> dict[int, tuple[Link, ...]]:
    """Per kept paragraph, the same passage in other articles (`cross_duplicates`)."""
    notes: dict[int, list[Link]] = {}
    for ref in records(record.get("cross_duplicates")):
        index = integer(ref.get("paragraph"))
        if index is None:
            continue
        other = integer(ref.get("other_paragraph"))
        measure = string(ref, "measure")
        detail = " ".join(x for x in (measure, similarity(ref.get("similarity"))) if x)
        suffix = f" ({detail})" if detail else ""
        anchor = anchors.article(ref)
        if anchor is None:
            link = Link(label=target_label(ref, other) + suffix, title="not shown in this report")
        else:
            link = Link(
                label=f"{anchors.titles[anchor]} ¶{other}{suffix}",
                href=f"#{anchors.paragraph(anchor, other)}",
                title=string(ref, "source"),
            )
        notes.setdefault(index, []).append(link)
    return {index: tuple(links) for index, links in notes.items()}


def _duplicate_of(record: Record, anchors: Anchors) -> Link | None:
    """The canonical article of a near copy: a link when the page shows it."""
    canonical = string(record, "duplicate_of")
    if canonical is None:
        return None
    target = anchors.by_id.get(canonical)
    label = anchors.titles[target] if target is not None else canonical
    return Link(label=label, href=f"#{target}" if target is not None else None)


def _duplicate_detail(record: Record) -> str | None:
    parts = (
        string(record, "duplicate_reason"),
        similarity(record.get("duplicate_similarity")),
    )
    return ", ".join(x for x in parts if x) or None

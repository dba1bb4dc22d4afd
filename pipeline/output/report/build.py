"""The run report: one static page on which a person judges what cleaning removed.

People trust (or fix) a cleaning tool by looking at what it threw away, next to what it
kept. So the page shows every article in reading order with each removed paragraph back
in its place, struck through and coloured by why it went, and every duplicate links to
the paragraph it duplicates.

Why a view model: all decisions (grouping, linking, colours, chart geometry) are plain
Python here, and the Jinja2 template only loops and prints, with autoescaping on — so
no text from an input can become markup. The page is self-contained (inline CSS,
server-drawn SVG, no script, a Content-Security-Policy that forbids scripts and network)
because reports are mailed around and opened from disk.

Records are read as plain mappings, tolerantly: fields are added over time (cross-document
annotations, clusters) and a report must still render from an older run's records.
"""

from __future__ import annotations

import enum
import posixpath
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2

from pipeline.config import ReportConfig
from pipeline.model import ClusterLevel, Reason

TEMPLATE = "report.html.j2"

Record = Mapping[str, Any]
"""One JSON record as written (article, removal, cluster, quarantine): read tolerantly."""


class Category(enum.StrEnum):
    """The four kinds of removal a reader tells apart; each has its own colour."""

    RULE = "rule"
    SITE = "site"
    REVISION = "revision"
    CROSS = "cross"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.RULE: "boilerplate rule",
    Category.SITE: "site boilerplate",
    Category.REVISION: "revision duplicate",
    Category.CROSS: "cross-document duplicate",
}


_CATEGORY_OF: dict[str, Category] = {
    Reason.SITE_BOILERPLATE: Category.SITE,  # learned from the corpus; `site-chrome` is a rule
    Reason.CROSS_DOCUMENT_DUPLICATE: Category.CROSS,
    Reason.DUPLICATE: Category.REVISION,
}


def category(reason: str) -> Category:
    """The colour class of a removal reason; unknown reasons count as fixed rules."""
    return _CATEGORY_OF.get(reason, Category.RULE)


# --- view model -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A reference to another place in the report; `href` is None when not rendered."""

    label: str
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class RemovalView:
    anchor: str
    text: str
    reason: str
    rule: str | None
    category: Category
    position: int
    target: Link | None
    similarity: str | None


@dataclass(frozen=True, slots=True)
class KeptView:
    anchor: str
    number: int
    text: str
    kind: str
    notes: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """A kept paragraph, or a run of consecutive removed ones (one collapsible block)."""

    kept: KeptView | None = None
    removed: tuple[RemovalView, ...] = ()

    @property
    def summary(self) -> str:
        counts = Counter(r.reason for r in self.removed)
        return ", ".join(f"{reason} ×{n}" if n > 1 else reason for reason, n in counts.items())

    @property
    def categories(self) -> list[Category]:
        return sorted({r.category for r in self.removed}, key=list(Category).index)


@dataclass(frozen=True, slots=True)
class ArticleView:
    anchor: str
    id: str
    source: str
    title: str
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    url_href: str | None
    format: str
    blocks: tuple[Block, ...]
    kept: int
    removed: int
    chars_before: int
    chars_after: int
    duplicate_of: Link | None
    duplicate_detail: str | None
    copies: tuple[Link, ...]
    removed_by_category: tuple[tuple[Category, int], ...]


@dataclass(frozen=True, slots=True)
class MemberView:
    link: Link
    canonical: bool
    similarity: str | None
    measure: str | None
    dropped: bool
    preview: str | None


@dataclass(frozen=True, slots=True)
class ClusterView:
    level: str
    members: tuple[MemberView, ...]
    reason: str | None
    hidden: int = 0
    """Members counted but not listed (`report.max_members`)."""


@dataclass(frozen=True, slots=True)
class QuarantineView:
    source: str
    reason: str
    stage: str


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    title: str
    href: str | None
    y: float
    segments: tuple[Segment, ...]
    value: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart whose geometry is computed here and drawn as inline SVG."""

    caption: str
    rows: tuple[ChartRow, ...]
    width: int
    height: int
    label_width: int
    bar_height: int
    legend: tuple[tuple[str, str], ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ReasonRow:
    reason: str
    category: Category
    count: int
    width: float


@dataclass(frozen=True, slots=True)
class Summary:
    inputs: int
    articles: int
    quarantined: int
    kept: int
    removed: int
    document_clusters: int
    paragraph_clusters: int
    duplicate_articles: int
    chars_before: int
    chars_after: int
    reasons: tuple[ReasonRow, ...]
    by_category: tuple[tuple[Category, int], ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    title: str
    summary: Summary
    charts: tuple[Chart, ...]
    articles: tuple[ArticleView, ...]
    hidden_articles: int
    document_clusters: tuple[ClusterView, ...]
    paragraph_clusters: tuple[ClusterView, ...]
    quarantined: tuple[QuarantineView, ...]
    hidden_quarantined: int = 0


# --- reading records tolerantly ------------------------------------------------------------


def _str(record: Record, key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _records(value: object) -> list[Record]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _similarity(value: object) -> str | None:
    number = _float(value)
    return None if number is None else f"{number:.2f}"


def _preview(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _short_source(source: str) -> str:
    return posixpath.basename(source.replace("\\", "/")) or source


def _safe_href(url: str | None) -> str | None:
    """Only web links become links: an input's `javascript:` URL stays plain text."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _kilo(chars: int) -> str:
    return f"{chars / 1000:.1f}k" if chars >= 1000 else str(chars)


# --- building the view -----------------------------------------------------------------------


@dataclass(slots=True)
class _Anchors:
    """Anchor ids per article; links are made only to articles the page shows."""

    by_source: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, str] = field(default_factory=dict)
    paragraphs: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def add(self, record: Record) -> str:
        """A unique anchor for a shown article (two inputs can give the same text, so id)."""
        base = f"art-{_str(record, 'id') or 'x'}"
        anchor, n = base, 1
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        source = _str(record, "source")
        if source is not None:
            self.by_source.setdefault(source, anchor)
        article_id = _str(record, "id")
        if article_id is not None:
            self.by_id.setdefault(article_id, anchor)
        self.paragraphs[anchor] = len(_records(record.get("paragraphs")))
        self.titles[anchor] = _str(record, "title") or _short_source(source or anchor)
        return anchor

    def article(self, ref: Record) -> str | None:
        """The anchor of the article a reference names by `id`, `article` or `source`."""
        for key in ("id", "article", "article_id"):
            value = _str(ref, key)
            if value is not None and value in self.by_id:
                return self.by_id[value]
        source = _str(ref, "source")
        return self.by_source.get(source) if source is not None else None

    def paragraph(self, anchor: str, index: int | None) -> str:
        if index is None or not 0 <= index < self.paragraphs.get(anchor, 0):
            return anchor
        return f"{anchor}-p{index}"


def _target_label(ref: Record, index: int | None) -> str:
    name = _str(ref, "id") or _str(ref, "article") or _short_source(_str(ref, "source") or "?")
    return f"{name} ¶{index}" if index is not None else name


def _removal_target(removal: Record, here: str, anchors: _Anchors) -> Link | None:
    """Where a duplicate's original is: this article's paragraph, or another article's."""
    index = _int(removal.get("duplicate_of"))
    other = removal.get("duplicate_of_article") or removal.get("duplicate_of_source")
    if isinstance(other, str):
        ref: Record = {"id": other, "source": other}
        anchor = anchors.article(ref)
        label = _target_label(ref, index)
        if anchor is None:
            return Link(label=label, title="not shown in this report")
        href = f"#{anchors.paragraph(anchor, index)}"
        return Link(label=f"{anchors.titles[anchor]} ¶{index}", href=href)
    if index is None:
        return None
    return Link(label=f"¶{index}", href=f"#{anchors.paragraph(here, index)}")


def _cross_notes(record: Record, anchors: _Anchors) -> dict[int, tuple[Link, ...]]:
    """Per kept paragraph, the same passage in other articles (`cross_duplicates`)."""
    notes: dict[int, list[Link]] = {}
    for ref in _records(record.get("cross_duplicates")):
        index = _int(ref.get("paragraph"))
        if index is None:
            continue
        other = _int(ref.get("other_paragraph"))
        measure = _str(ref, "measure")
        similarity = _similarity(ref.get("similarity"))
        detail = " ".join(x for x in (measure, similarity) if x)
        suffix = f" ({detail})" if detail else ""
        anchor = anchors.article(ref)
        if anchor is None:
            link = Link(label=_target_label(ref, other) + suffix, title="not shown in this report")
        else:
            link = Link(
                label=f"{anchors.titles[anchor]} ¶{other}{suffix}",
                href=f"#{anchors.paragraph(anchor, other)}",
                title=_str(ref, "source"),
            )
        notes.setdefault(index, []).append(link)
    return {index: tuple(links) for index, links in notes.items()}


def _article_view(
    record: Record, anchor: str, anchors: _Anchors, copies: tuple[Link, ...]
) -> ArticleView:
    paragraphs = _records(record.get("paragraphs"))
    removals = _records(record.get("removed"))
    by_position: dict[int, Record] = {}
    for removal in removals:
        position = _int(removal.get("position"))
        if position is not None and position not in by_position:
            by_position[position] = removal
    total = len(paragraphs) + len(removals)
    interleave = len(by_position) == len(removals) and all(p < total for p in by_position)

    def removal_view(removal: Record, fallback: int) -> RemovalView:
        reason = _str(removal, "reason") or "unknown"
        position = _int(removal.get("position"))
        return RemovalView(
            anchor=f"{anchor}-r{position if position is not None else fallback}",
            text=str(removal.get("text") or ""),
            reason=reason,
            rule=_str(removal, "rule"),
            category=category(reason),
            position=position if position is not None else fallback,
            target=_removal_target(removal, anchor, anchors),
            similarity=_similarity(removal.get("similarity")),
        )

    cross = _cross_notes(record, anchors)

    def kept_view(index: int) -> KeptView:
        paragraph = paragraphs[index]
        return KeptView(
            anchor=f"{anchor}-p{index}",
            number=index,
            text=str(paragraph.get("text") or ""),
            kind=_str(paragraph, "kind") or "text",
            notes=cross.get(index, ()),
        )

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
                run.append(removal_view(by_position[position], position))
            else:
                flush()
                blocks.append(Block(kept=kept_view(kept_index)))
                kept_index += 1
    else:  # positions unusable: kept paragraphs first, then every removal
        blocks.extend(Block(kept=kept_view(i)) for i in range(len(paragraphs)))
        run.extend(removal_view(r, total + i) for i, r in enumerate(removals))
    flush()

    kept_chars = sum(len(str(p.get("text") or "")) for p in paragraphs)
    removed_chars = sum(len(str(r.get("text") or "")) for r in removals)
    by_category = Counter(category(_str(r, "reason") or "") for r in removals)
    source = _str(record, "source") or "?"
    canonical = _str(record, "duplicate_of")
    duplicate_of = None
    if canonical is not None:
        target = anchors.by_id.get(canonical)
        label = anchors.titles[target] if target is not None else canonical
        duplicate_of = Link(label=label, href=f"#{target}" if target is not None else None)
    url = _str(record, "url")
    return ArticleView(
        anchor=anchor,
        id=_str(record, "id") or "",
        source=source,
        title=_str(record, "title") or _short_source(source),
        author=_str(record, "author"),
        date=_str(record, "date"),
        site=_str(record, "site"),
        url=url,
        url_href=_safe_href(url),
        format=_str(record, "format") or "?",
        blocks=tuple(blocks),
        kept=len(paragraphs),
        removed=len(removals),
        chars_before=kept_chars + removed_chars,
        chars_after=kept_chars,
        duplicate_of=duplicate_of,
        duplicate_detail=", ".join(
            x
            for x in (
                _str(record, "duplicate_reason"),
                _similarity(record.get("duplicate_similarity")),
            )
            if x
        )
        or None,
        copies=copies,
        removed_by_category=tuple((c, by_category[c]) for c in Category if by_category[c]),
    )


def _cluster_view(
    cluster: Record, anchors: _Anchors, texts: Mapping[str, Sequence[str]], limit: int
) -> ClusterView:
    """A `clusters.jsonl` record: members link to articles (or paragraphs), canonical
    first, then those shown in this report; at most `limit` are listed (a story syndicated
    a thousand times is one cluster of a thousand members)."""
    level = _str(cluster, "level") or ClusterLevel.DOCUMENT
    paragraph_level = level == ClusterLevel.PARAGRAPH
    canonical = _str(cluster, "canonical")
    canonical_paragraph = _int(cluster.get("canonical_paragraph"))
    members: list[MemberView] = []
    for member in _records(cluster.get("members")):
        index = _int(member.get("paragraph")) if paragraph_level else None
        anchor = anchors.article(member)
        preview = None
        if anchor is None:
            link = Link(label=_target_label(member, index), title="not shown in this report")
        else:
            title = anchors.titles[anchor]
            label = f"{title} ¶{index}" if paragraph_level else title
            href = anchors.paragraph(anchor, index) if paragraph_level else anchor
            link = Link(label=label, href=f"#{href}", title=_str(member, "source"))
            paragraphs = texts.get(anchor, ())
            if index is not None and 0 <= index < len(paragraphs):
                preview = _preview(paragraphs[index], 160)
        is_canonical = canonical is not None and _str(member, "id") == canonical
        if paragraph_level:
            is_canonical = is_canonical and index == canonical_paragraph
        members.append(
            MemberView(
                link=link,
                canonical=is_canonical,
                similarity=None if is_canonical else _similarity(member.get("similarity")),
                measure=None if is_canonical else _str(member, "measure"),
                dropped=member.get("dropped") is True,
                preview=preview,
            )
        )
    members.sort(key=lambda m: (not m.canonical, m.link.href is None))
    return ClusterView(
        level=level,
        members=tuple(members[:limit]),
        reason=_str(cluster, "reason"),
        hidden=max(0, len(members) - limit),
    )


@dataclass(frozen=True, slots=True)
class _Stats:
    """What the per-source charts need of one article: no text, so every article fits."""

    source: str
    href: str | None
    removed: tuple[tuple[Category, tuple[tuple[str, int], ...]], ...]
    chars_before: int
    chars_after: int

    @property
    def removed_count(self) -> int:
        return sum(n for _, reasons in self.removed for _, n in reasons)


def _stats(record: Record, href: str | None) -> _Stats:
    removals = _records(record.get("removed"))
    kept_chars = sum(len(str(p.get("text") or "")) for p in _records(record.get("paragraphs")))
    by_category: dict[Category, Counter[str]] = {}
    for removal in removals:
        reason = _str(removal, "reason") or "unknown"
        by_category.setdefault(category(reason), Counter())[reason] += 1
    return _Stats(
        source=_str(record, "source") or "?",
        href=href,
        removed=tuple(
            (c, tuple(sorted(by_category[c].items()))) for c in Category if c in by_category
        ),
        chars_before=kept_chars + sum(len(str(r.get("text") or "")) for r in removals),
        chars_after=kept_chars,
    )


_CHART_WIDTH = 560
_LABEL_WIDTH = 200
_VALUE_WIDTH = 90
_BAR_HEIGHT = 16
_ROW_HEIGHT = 22
_SPAN = _CHART_WIDTH - _LABEL_WIDTH - _VALUE_WIDTH


def _chart(
    caption: str,
    rows: list[ChartRow],
    total: int,
    legend: tuple[tuple[str, str], ...],
) -> Chart:
    note = f"first {len(rows)} of {total} articles" if total > len(rows) else None
    return Chart(
        caption=caption,
        rows=tuple(rows),
        width=_CHART_WIDTH,
        height=max(len(rows), 1) * _ROW_HEIGHT,
        label_width=_LABEL_WIDTH,
        bar_height=_BAR_HEIGHT,
        legend=legend,
        note=note,
    )


def _removed_chart(stats: Sequence[_Stats], total: int) -> Chart:
    most = max((s.removed_count for s in stats), default=0) or 1
    rows = []
    for i, item in enumerate(stats):
        x = float(_LABEL_WIDTH)
        segments = []
        for cat, reasons in item.removed:
            count = sum(n for _, n in reasons)
            width = _SPAN * count / most
            detail = ", ".join(f"{r} ×{n}" for r, n in reasons)
            segments.append(
                Segment(x=x, width=width, css=f"cat-{cat}", title=f"{cat.label}: {detail}")
            )
            x += width
        rows.append(
            ChartRow(
                label=_preview(_short_source(item.source), 26),
                title=item.source,
                href=item.href,
                y=i * _ROW_HEIGHT,
                segments=tuple(segments),
                value=str(item.removed_count),
            )
        )
    legend = tuple((f"cat-{c}", c.label) for c in Category)
    return _chart("Removed paragraphs per source, by reason category", rows, total, legend)


def _size_chart(stats: Sequence[_Stats], total: int) -> Chart:
    most = max((s.chars_before for s in stats), default=0) or 1
    rows = [
        ChartRow(
            label=_preview(_short_source(item.source), 26),
            title=item.source,
            href=item.href,
            y=i * _ROW_HEIGHT,
            segments=(
                Segment(
                    _LABEL_WIDTH,
                    _SPAN * item.chars_before / most,
                    "before",
                    f"before: {item.chars_before} characters",
                ),
                Segment(
                    _LABEL_WIDTH,
                    _SPAN * item.chars_after / most,
                    "after",
                    f"after: {item.chars_after} characters",
                ),
            ),
            value=f"{_kilo(item.chars_before)} → {_kilo(item.chars_after)}",
        )
        for i, item in enumerate(stats)
    ]
    legend = (("before", "before cleaning"), ("after", "kept"))
    return _chart(
        "Size before and after cleaning (characters of extracted text)", rows, total, legend
    )


def _shows_any(cluster: ClusterView) -> bool:
    return any(m.link.href is not None for m in cluster.members)


@dataclass(slots=True)
class Tally:
    """The report's pass over every article: anchors of the articles it shows, links
    between copies, counts and chart rows, and no text. `write_outputs` feeds it records
    as it writes `articles.jsonl`, so a spooled corpus is not read once more for it."""

    config: ReportConfig
    anchors: _Anchors = field(default_factory=_Anchors)
    anchor_list: list[str] = field(default_factory=list)
    """Anchors of the articles shown in full: the first `config.max_articles`."""
    copies: dict[str, list[Link]] = field(default_factory=dict)
    stats: list[_Stats] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    total: int = 0
    kept: int = 0
    chars_before: int = 0
    chars_after: int = 0
    duplicates: int = 0

    def add(self, record: Record) -> None:
        shown = self.total < self.config.max_articles
        anchor = self.anchors.add(record) if shown else ""
        href = f"#{anchor}" if shown else None
        if shown:
            self.anchor_list.append(anchor)
        item = _stats(record, href)
        if self.total < self.config.chart_sources:
            self.stats.append(item)
        self.total += 1
        for _, per_reason in item.removed:
            self.reasons.update(dict(per_reason))
        self.kept += len(_records(record.get("paragraphs")))
        self.chars_before += item.chars_before
        self.chars_after += item.chars_after
        canonical = _str(record, "duplicate_of")
        if canonical is not None:
            self.duplicates += 1
            if shown:
                self.copies.setdefault(canonical, []).append(
                    Link(self.anchors.titles[anchor], href, _str(record, "source"))
                )


def build_view(
    articles: Iterable[Record],
    quarantined: Iterable[Record],
    manifest: Mapping[str, Any],
    clusters: Iterable[Record] = (),
    config: ReportConfig | None = None,
    tally: Tally | None = None,
) -> ReportView:
    """Two passes over `articles` (it may be a spool on disk), the first skipped if
    `tally` has taken it (over the same articles, with the same config); only the first
    `config.max_articles` are held in memory, everything else is counted."""
    config = config or ReportConfig()
    if tally is None:
        tally = Tally(config)
        for record in articles:
            tally.add(record)
    elif tally.config != config:
        raise ValueError("the tally was taken with another report config")
    anchors, anchor_list, copies = tally.anchors, tally.anchor_list, tally.copies
    limit, total = config.max_articles, tally.total
    views: list[ArticleView] = []
    for i, record in enumerate(articles):  # pass 2: the articles shown in full
        if i >= len(anchor_list):
            break
        own = tuple(copies.get(_str(record, "id") or "", ()))
        views.append(_article_view(record, anchor_list[i], anchors, own))
    texts = {v.anchor: [b.kept.text for b in v.blocks if b.kept is not None] for v in views}

    level_counts: Counter[str] = Counter()
    document_clusters: list[ClusterView] = []
    paragraph_clusters: list[ClusterView] = []
    for record in clusters:
        cluster = _cluster_view(record, anchors, texts, config.max_members)
        level_counts[cluster.level] += 1
        shown_list = (
            paragraph_clusters if cluster.level == ClusterLevel.PARAGRAPH else document_clusters
        )
        if len(shown_list) < limit and _shows_any(cluster):
            shown_list.append(cluster)

    reasons = tally.reasons
    most = max(reasons.values(), default=0) or 1
    reason_rows = tuple(
        ReasonRow(reason, category(reason), n, 100 * n / most)
        for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    by_category = Counter[Category]()
    for reason, n in reasons.items():
        by_category[category(reason)] += n

    quarantine_views: list[QuarantineView] = []
    quarantine_total = 0
    for q in quarantined:
        quarantine_total += 1
        if len(quarantine_views) < limit:
            quarantine_views.append(
                QuarantineView(
                    source=_str(q, "source") or "?",
                    reason=_str(q, "reason") or "?",
                    stage=_str(q, "stage") or "?",
                )
            )

    counts = manifest.get("counts")
    counts = counts if isinstance(counts, Mapping) else {}
    inputs = _int(counts.get("inputs"))
    paragraph_total = level_counts.pop(ClusterLevel.PARAGRAPH, 0)
    summary = Summary(
        inputs=inputs if inputs is not None else total + quarantine_total,
        articles=total,
        quarantined=quarantine_total,
        kept=tally.kept,
        removed=sum(reasons.values()),
        document_clusters=sum(level_counts.values()),
        paragraph_clusters=paragraph_total,
        duplicate_articles=tally.duplicates,
        chars_before=tally.chars_before,
        chars_after=tally.chars_after,
        reasons=reason_rows,
        by_category=tuple((c, by_category[c]) for c in Category),
    )
    return ReportView(
        title=config.title,
        summary=summary,
        charts=(_removed_chart(tally.stats, total), _size_chart(tally.stats, total)),
        articles=tuple(views),
        hidden_articles=total - len(views),
        document_clusters=tuple(document_clusters),
        paragraph_clusters=tuple(paragraph_clusters),
        quarantined=tuple(quarantine_views),
        hidden_quarantined=quarantine_total - len(quarantine_views),
    )


def environment() -> jinja2.Environment:
    """Autoescape on for every template (not only *.html): input text is never markup."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.output.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def iter_report(
    articles: Iterable[Record],
    quarantined: Iterable[Record],
    manifest: Mapping[str, Any],
    clusters: Iterable[Record] = (),
    config: ReportConfig | None = None,
    tally: Tally | None = None,
) -> Iterator[str]:
    """The page in chunks, so a large report is written without one giant string.

    `articles` is read twice (once without `tally`, see `build_view`): pass a list or a
    re-iterable spool, not a generator.
    """
    view = build_view(articles, quarantined, manifest, clusters, config, tally)
    return environment().get_template(TEMPLATE).generate(view=view)


def render_report(
    articles: Iterable[Record],
    quarantined: Iterable[Record],
    manifest: Mapping[str, Any],
    clusters: Iterable[Record] = (),
    config: ReportConfig | None = None,
) -> str:
    return "".join(iter_report(articles, quarantined, manifest, clusters, config))

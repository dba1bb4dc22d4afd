"""From the run's records, manifest and clusters to the `ReportView` the template prints.

Two passes over the articles (they may be a spool on disk): the first (`Tally`) counts
every article and gives anchors to those the page shows; the second builds the shown
ones in full. Only the first `config.max_articles` are held in memory, everything else
is counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.config import ReportConfig
from pipeline.model import ClusterLevel
from pipeline.output.report.articles import article_view
from pipeline.output.report.charts import charts
from pipeline.output.report.clusters import cluster_view
from pipeline.output.report.fields import Record, integer, string
from pipeline.output.report.tally import Tally
from pipeline.output.report.view import (
    ArticleView,
    Category,
    ClusterView,
    QuarantineView,
    ReasonRow,
    ReportView,
    Summary,
    category,
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
    `config.max_articles` are held in memory, everything else is counted.

    Raises `ValueError` if `tally` was taken with another config: its anchors and
    counts would not match the page this config asks for.
    """
    config = config or ReportConfig()
    if tally is None:
        tally = Tally(config)
        for record in articles:
            tally.add(record)
    elif tally.config != config:
        raise ValueError("the tally was taken with another report config")
    views = _shown_articles(articles, tally)
    documents, paragraphs, counts = _clusters(clusters, views, tally, config)
    quarantine, quarantine_total = _quarantine(quarantined, config.max_articles)
    return ReportView(
        title=config.title,
        summary=_summary(tally, manifest, quarantine_total, counts),
        charts=charts(tally.stats, tally.total),
        articles=tuple(views),
        hidden_articles=tally.total - len(views),
        document_clusters=tuple(documents),
        paragraph_clusters=tuple(paragraphs),
        quarantined=tuple(quarantine),
        hidden_quarantined=quarantine_total - len(quarantine),
    )


def _shown_articles(articles: Iterable[Record], tally: Tally) -> list[ArticleView]:
    """Pass 2: the articles shown in full, the first `len(tally.anchor_list)`."""
    views: list[ArticleView] = []
    for i, record in enumerate(articles):
        if i >= len(tally.anchor_list):
            break
        own = tuple(tally.copies.get(string(record, "id") or "", ()))
        views.append(article_view(record, tally.anchor_list[i], tally.anchors, own))
    return views


def _clusters(
    clusters: Iterable[Record], views: list[ArticleView], tally: Tally, config: ReportConfig
) -> tuple[list[ClusterView], list[ClusterView], Counter[str]]:
    """The document and paragraph clusters listed (the first `config.max_articles` of
    each that show a member), and every cluster counted by level."""
    texts = {v.anchor: [b.kept.text for b in v.blocks if b.kept is not None] for v in views}
    counts: Counter[str] = Counter()
    documents: list[ClusterView] = []
    paragraphs: list[ClusterView] = []
    for record in clusters:
        cluster = cluster_view(record, tally.anchors, texts, config.max_members)
        counts[cluster.level] += 1
        listed = paragraphs if cluster.level == ClusterLevel.PARAGRAPH else documents
        if len(listed) < config.max_articles and _shows_any(cluster):
            listed.append(cluster)
    return documents, paragraphs, counts


def _shows_any(cluster: ClusterView) -> bool:
    return any(m.link.href is not None for m in cluster.members)


def _quarantine(quarantined: Iterable[Record], limit: int) -> tuple[list[QuarantineView], int]:
    """The first `limit` quarantined inputs, and how many there are."""
    views: list[QuarantineView] = []
    total = 0
    for q in quarantined:
        total += 1
        if len(views) < limit:
            views.append(
                QuarantineView(
                    source=string(q, "source") or "?",
                    reason=string(q, "reason") or "?",
                    stage=string(q, "stage") or "?",
                )
            )
    return views, total


def _summary(
    tally: Tally, manifest: Mapping[str, Any], quarantine_total: int, levels: Counter[str]
) -> Summary:
    """The counts at the top of the page; `levels` counts the clusters by level."""
    reasons = tally.reasons
    most = max(reasons.values(), default=0) or 1
    reason_rows = tuple(
        ReasonRow(reason, category(reason), n, 100 * n / most)
        for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    by_category = Counter[Category]()
    for reason, n in reasons.items():
        by_category[category(reason)] += n
    counts = manifest.get("counts")
    counts = counts if isinstance(counts, Mapping) else {}

    def count(key: str, otherwise: int) -> int:
        """The run summary's count (the manifest's: the CLI line and the manifest show
        the same), or what the page's own pass counted when it has none."""
        value = integer(counts.get(key))
        return value if value is not None else otherwise

    paragraph_total = levels[ClusterLevel.PARAGRAPH]
    return Summary(
        inputs=count("inputs", tally.total + quarantine_total),
        articles=count("articles", tally.total),
        quarantined=count("quarantined", quarantine_total),
        kept=count("paragraphs_kept", tally.kept),
        removed=count("paragraphs_removed", sum(reasons.values())),
        dropped=count("duplicates_dropped", 0),
        document_clusters=sum(levels.values()) - paragraph_total,
        paragraph_clusters=paragraph_total,
        duplicate_articles=tally.duplicates,
        chars_before=tally.chars_before,
        chars_after=tally.chars_after,
        reasons=reason_rows,
        by_category=tuple((c, by_category[c]) for c in Category),
    )

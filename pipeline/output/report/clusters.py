"""A `clusters.jsonl` record as the page lists it: members linked to what it shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.model import ClusterLevel
from pipeline.output.report.anchors import Anchors, target_label
from pipeline.output.report.fields import Record, integer, preview, records, similarity, string
from pipeline.output.report.view import ClusterView, Link, MemberView


def cluster_view(
    cluster: Record, anchors: Anchors, texts: Mapping[str, Sequence[str]], limit: int
) -> ClusterView:
    """Members link to articles (or paragraphs), canonical first, then those shown in
    this report; at most `limit` are listed (a story syndicated a thousand times is one
    cluster of a thousand members). `texts` holds the kept paragraphs of each shown
    article by anchor, for a paragraph member's preview."""
    level = string(cluster, "level") or ClusterLevel.DOCUMENT
    paragraph_level = level == ClusterLevel.PARAGRAPH
    canonical = string(cluster, "canonical")
    canonical_paragraph = integer(cluster.get("canonical_paragraph"))
    members: list[MemberView] = []
    for member in records(cluster.get("members")):
        index = integer(member.get("paragraph")) if paragraph_level else None
        link, shown = _member_link(member, index, paragraph_level, anchors)
        paragraphs = texts.get(shown, ()) if shown is not None else ()
        text = None
        if index is not None and 0 <= index < len(paragraphs):
            text = preview(paragraphs[index], 160)
        is_canonical = canonical is not None and string(member, "id") == canonical
        if paragraph_level:
            is_canonical = is_canonical and index == canonical_paragraph
        members.append(
            MemberView(
                link=link,
                canonical=is_canonical,
                similarity=None if is_canonical else similarity(member.get("similarity")),
                measure=None if is_canonical else string(member, "measure"),
                dropped=member.get("dropped") is True,
                preview=text,
            )
        )
    members.sort(key=lambda m: (not m.canonical, m.link.href is None))
    return ClusterView(
        level=level,
        members=tuple(members[:limit]),
        reason=string(cluster, "reason"),
        hidden=max(0, len(members) - limit),
    )


def _member_link(
    member: Record, index: int | None, paragraph_level: bool, anchors: Anchors
) -> tuple[Link, str | None]:
    """The member's link, and the anchor of its article if the page shows it."""
    anchor = anchors.article(member)
    if anchor is None:
        return Link(label=target_label(member, index), title="not shown in this report"), None
    title = anchors.titles[anchor]
    label = f"{title} ¶{index}" if paragraph_level else title
    href = anchors.paragraph(anchor, index) if paragraph_level else anchor
    return Link(label=label, href=f"#{href}", title=string(member, "source")), anchor

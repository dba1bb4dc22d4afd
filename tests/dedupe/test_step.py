"""A revision dump through dedupe and assembly: which copy stays, and the provenance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_paragraphs
from pipeline.config import CleanConfig, DedupeConfig, PipelineConfig
from pipeline.dedupe import assemble, dedupe_document
from pipeline.model import (
    Decision,
    Document,
    Format,
    KeepRevision,
    Metadata,
    Paragraph,
    Reason,
)
from tests.dedupe.texts import PROSE, REVISED
from tests.support import process_seed

FIRST = DedupeConfig(keep=KeepRevision.FIRST)


def _article(lines: list[str], config: DedupeConfig) -> tuple[Document, list[str]]:
    document = Document("dump.txt", Format.TEXT, Metadata(), tuple(Paragraph(t) for t in lines))
    decision = clean_paragraphs(document.paragraphs, CleanConfig())
    result = dedupe_document(document, decision, config)
    article = assemble(document, decision, result.duplicates, result.evidence)
    return document, [p.text for p in article.paragraphs]


OLDEST_FIRST = ["Version 1 of 2", *PROSE[:3], "Version 2 of 2", *REVISED]
NEWEST_FIRST = ["Version 2 of 2", *REVISED, "Version 1 of 2", *PROSE[:3]]
GAPS_BACKWARDS = [*REVISED, "(about 3 hours earlier)", *PROSE[:3]]


@pytest.mark.parametrize(
    ("lines", "keep", "expected"),
    [
        pytest.param(OLDEST_FIRST, KeepRevision.LATEST, REVISED, id="oldest-first-latest"),
        pytest.param(OLDEST_FIRST, KeepRevision.FIRST, PROSE[:3], id="oldest-first-first"),
        pytest.param(NEWEST_FIRST, KeepRevision.LATEST, REVISED, id="version-numbers-latest"),
        pytest.param(NEWEST_FIRST, KeepRevision.FIRST, PROSE[:3], id="version-numbers-first"),
        pytest.param(GAPS_BACKWARDS, KeepRevision.LATEST, REVISED, id="earlier-gap-latest"),
    ],
)
def test_tracker_ordering_decides_the_copy_kept(
    lines: list[str], keep: KeepRevision, expected: list[str]
) -> None:
    _, kept = _article(lines, DedupeConfig(keep=keep))
    assert kept == expected


def test_keep_first_on_seed_002_keeps_the_earlier_wording() -> None:
    config = PipelineConfig(dedupe=FIRST)
    article = process_seed("002", config)
    text = article.text
    assert "TikTok is to pull its app from Hong Kong app stores" in text
    assert "TikTok is to withdraw from Hong Kong app stores" not in text
    (old,) = [r for r in article.removed if "TikTok is to withdraw" in r.text]
    assert old.reason is Reason.DUPLICATE
    assert "pull its app" in article.paragraphs[old.duplicate_of or 0].text


def test_the_article_reads_in_the_order_of_the_kept_revision() -> None:
    """The kept copies stay where they stand: the latest revision reads in its order."""
    _, kept = _article([*PROSE, "(about 2 hours later)", *REVISED, *PROSE[3:]], DedupeConfig())
    assert kept == [*REVISED, *PROSE[3:]]


POOL = [*PROSE, *REVISED, "Version 2 of 3", "(about 1 hour later)", "Week | Mon | Tue | Wed"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), min_size=0, max_size=16),
    st.sampled_from([DedupeConfig(), FIRST]),
)
def test_nothing_is_lost_without_a_record_naming_a_kept_paragraph(
    lines: list[str], config: DedupeConfig
) -> None:
    document = Document("dump.txt", Format.TEXT, Metadata(), tuple(Paragraph(t) for t in lines))
    decision = Decision(kept=tuple(range(len(lines))), removed=())
    result = dedupe_document(document, decision, config)
    article = assemble(document, decision, result.duplicates, result.evidence)
    assert len(article.paragraphs) + len(article.removed) == len(lines)
    assert sorted(r.position for r in article.removed) == sorted(result.duplicates)
    for removal in article.removed:
        assert removal.reason is Reason.DUPLICATE
        assert removal.duplicate_of is not None
        assert 0 <= removal.duplicate_of < len(article.paragraphs)
        assert removal.similarity is not None and removal.similarity > 0
        assert removal.rule and "revision dump" in removal.rule

"""The revision gate: dedupe acts on revision dumps, and on nothing else.

Ordinary pages repeat table header rows, spec lines, list items and headings on purpose;
the cases below are built from such lines, and `test_real_pages` runs pages of the WCXB
development set on which the ungated dedupe removed body text (tests/fixtures/dedupe).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_paragraphs
from pipeline.config import CleanConfig, DedupeConfig
from pipeline.dedupe import dedupe_document, link_paragraphs
from pipeline.model import Decision, Document, Format, Metadata, Paragraph, ParagraphKind
from tests.dedupe.texts import PROSE, REVISED
from tests.support import FIXTURES, process_seed

CFG = DedupeConfig()
TABLE, LIST, HEADING, TEXT, QUOTE = (
    ParagraphKind.TABLE,
    ParagraphKind.LIST_ITEM,
    ParagraphKind.HEADING,
    ParagraphKind.TEXT,
    ParagraphKind.QUOTE,
)


def _document(paragraphs: list[Paragraph]) -> tuple[Document, Decision]:
    document = Document("page.html", Format.HTML, Metadata(), tuple(paragraphs))
    return document, Decision(kept=tuple(range(len(paragraphs))), removed=())


def _with(repeats: list[tuple[str, ParagraphKind]]) -> list[Paragraph]:
    """The unique prose with the repeated lines between its paragraphs."""
    out = []
    for i, text in enumerate(PROSE):
        out.append(Paragraph(text))
        out += [Paragraph(t, k) for t, k in repeats[i :: len(PROSE)]]
    return out


TEMPLATES = [
    "{} supports the WireGuard protocol, a newer protocol that uses modern cryptography "
    "on every platform.",
    "{} has published App Store and Google Play clients, both supporting an easy-to-use "
    "interface for everyone.",
    "{} provides the source code for their desktop and mobile clients in their GitHub "
    "organization today.",
]
HEADER = "Week | Monday | Tuesday | Wednesday | Thursday | Friday | Saturday | Sunday"
ORDINARY = [
    pytest.param([(HEADER, TABLE)] * 6, id="table-header-rows"),
    pytest.param(
        [(f"Max speed: 25 mph. Range: {20 + i} miles. Weight: 30 lbs.", TEXT) for i in range(6)]
        + [("Max speed: 25 mph and a range of 40 miles on one charge.", TEXT)] * 6,
        id="spec-lines",
    ),
    pytest.param(
        [("Location: New York, New York", LIST)] * 6
        + [("Free cancellation up to 24 hours before the start of the tour", LIST)] * 6,
        id="list-items",
    ),
    pytest.param(
        [("How personal trainers can adapt to this coaching trend", HEADING)] * 6, id="headings"
    ),
    pytest.param([(PROSE[2], QUOTE)], id="one-pull-quote"),
    pytest.param(
        [
            (template.format(name), TEXT)
            for template in TEMPLATES
            for name in ("Mullvad", "IVPN", "Proton VPN")
        ],
        id="template-prose-per-product",
    ),
]


@pytest.mark.parametrize("repeats", ORDINARY)
def test_ordinary_page_repeats_are_not_deduped(
    repeats: list[tuple[str, ParagraphKind]],
) -> None:
    document, decision = _document(_with(repeats))
    assert link_paragraphs([p.text for p in document.paragraphs], CFG).linked()  # they repeat
    result = dedupe_document(document, decision, CFG)
    assert result.duplicates == {}
    assert result.evidence is not None and not result.evidence.is_dump


def test_revised_prose_is_a_dump() -> None:
    document, decision = _document([Paragraph(t) for t in PROSE + REVISED])
    result = dedupe_document(document, decision, CFG)
    assert result.evidence is not None and result.evidence.is_dump
    assert result.evidence.paired == 6 and result.evidence.passages == 3
    # The later wording stays, each older one names it.
    assert set(result.duplicates) == {0, 1, 2}
    assert {d.index for d in result.duplicates.values()} == {6, 7, 8}


def test_a_tracker_line_makes_one_revised_pair_enough() -> None:
    paragraphs = [Paragraph(t) for t in [*PROSE, "Version 2 of 2", REVISED[0]]]
    document, _ = _document(paragraphs)
    decision = clean_paragraphs(document.paragraphs, CleanConfig())  # flags the tracker line
    result = dedupe_document(document, decision, CFG)
    assert result.evidence is not None and result.evidence.trackers == 1
    assert set(result.duplicates) == {0}
    # ... while the same pair without the tracker line is an ordinary page's repeat.
    document, decision = _document([Paragraph(t) for t in [*PROSE, REVISED[0]]])
    assert dedupe_document(document, decision, CFG).duplicates == {}


def test_seed_002_is_a_dump_with_its_evidence_in_the_rule() -> None:
    article = process_seed("002")
    rules = [r.rule for r in article.removed if r.reason == "duplicate"]
    assert len(rules) >= 6
    assert all(rule and "revision dump: " in rule and "tracker lines" in rule for rule in rules)


def test_disabled_dedupe_does_nothing() -> None:
    document, decision = _document([Paragraph(t) for t in PROSE + REVISED])
    result = dedupe_document(document, decision, DedupeConfig(enabled=False))
    assert result.duplicates == {} and result.evidence is None


def _fixture_pages() -> list[object]:
    pages = json.loads((FIXTURES / "dedupe" / "ordinary-pages.json").read_text("utf-8"))
    return [pytest.param(page, id=f"{page['id']}-{page['what']}") for page in pages]


@pytest.mark.parametrize("page", _fixture_pages())
def test_real_pages(page: dict[str, object]) -> None:
    """Real pages whose repeated lines the ungated dedupe removed as duplicates."""
    raw = page["paragraphs"]
    assert isinstance(raw, list)
    paragraphs = [Paragraph(p["text"], ParagraphKind(p["kind"])) for p in raw]
    document, decision = _document(paragraphs)
    assert link_paragraphs([p.text for p in paragraphs], CFG).linked()  # they repeat
    assert dedupe_document(document, decision, CFG).duplicates == {}


WORDS = st.integers(0, 100_000).map(lambda i: f"w{i}")


@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, min_size=24, max_size=240, unique=True), st.integers(12, 24))
def test_unique_prose_keeps_everything(words: list[str], length: int) -> None:
    """A page of distinct prose with its table rows and list items repeated loses nothing."""
    texts = [" ".join(words[i : i + length]) + "." for i in range(0, len(words), length)]
    repeated = [Paragraph(HEADER, TABLE), Paragraph("Location: New York, New York", LIST)]
    paragraphs = [Paragraph(t) for t in texts] + repeated * 3
    document, decision = _document(paragraphs)
    result = dedupe_document(document, decision, CFG)
    assert result.duplicates == {}

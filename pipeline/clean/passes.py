"""The cleaning passes in their order, from the paragraphs to a `Decision`.

Two kinds of evidence are combined:

* patterns (`rules`) for chrome that reads the same on every site, tried on each
  paragraph alone (`screen`);
* structure: where a paragraph stands (`structure`, `title`).

The order matters: each pass sees the decisions of those before it, and a paragraph
once removed is never brought back, so the reason recorded is the first that applied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.clean import structure
from pipeline.clean import title as headline
from pipeline.clean.lexicon import URL
from pipeline.clean.lines import Line, Reasons, describe
from pipeline.clean.rules import END_MARKERS, RULES, Rule
from pipeline.clean.screen import match, screens_of
from pipeline.config import CleanConfig
from pipeline.model import Decision, Paragraph, ParagraphKind, Reason, Removal

if TYPE_CHECKING:
    from pipeline.clean.scorer import Scorer

LINK_ONLY = 0.8
"""A paragraph this much inside links is a link, not prose (HTML only)."""
NOT_CAPTIONS = frozenset({ParagraphKind.LIST_ITEM, ParagraphKind.HEADING})
"""A caption is never a list item or a heading: there "(Men's/Women's)" or "(4-5 hours/6
items)" is the story's own text. (A table cell can be one: old layouts set a picture and
its caption in a table.)"""
MAX_TEASER_WORDS = 60
"""The longest paragraph that, all link, is a headline pointing elsewhere."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """What the hand rules make of a document's paragraphs, before anything is decided."""

    lines: list[Line]
    reasons: Reasons
    """Paragraph index → (reason, rule): every rule that fired, in the passes' order."""
    start: int
    """The first body paragraph (see `structure.body_start`)."""
    title: str | None


def annotate(
    paragraphs: Sequence[Paragraph],
    config: CleanConfig,
    title: str | None = None,
    find_title: bool = False,
    links_marked: bool | None = None,
) -> Annotation:
    """Run every pass: the reasons the rules give, which `clean_paragraphs` decides on.

    `links_marked`: whether the paragraphs' `link_share` is known (HTML), so that an
    unlinked line is known to be no link; None tells it from the paragraphs."""
    lines = [describe(p) for p in paragraphs]
    if links_marked is None:
        links_marked = any(line.link_share > 0 for line in lines)
    reasons = _line_pass(lines, RULES + _extra_rules(config))
    drop_link_items(lines, reasons, config)
    start = structure.body_start(lines, reasons, config)
    start = structure.section_start(lines, reasons, start)
    structure.cut_at_end_marker(
        lines, reasons, END_MARKERS + _extra_end_markers(config), start, config
    )
    structure.peel_tail(lines, reasons, start, config)
    structure.drop_teaser_list(lines, reasons, start)
    structure.drop_preamble_headings(lines, reasons, start)
    structure.drop_datelines(lines, reasons, start)

    if find_title:
        title = headline.find_title(lines, reasons, start, config)
    elif title:
        headline.drop_title_repeats(lines, reasons, title)

    structure.drop_teaser_runs(lines, reasons)
    structure.drop_outside_body(lines, reasons, start, config, links_marked)
    structure.drop_nav_runs(lines, reasons, config, links_marked)
    return Annotation(lines, reasons, start, title)


def clean_paragraphs(
    paragraphs: Sequence[Paragraph],
    config: CleanConfig,
    title: str | None = None,
    find_title: bool = False,
    scorer: Scorer | None = None,
    language: str | None = None,
    links_marked: bool | None = None,
) -> Decision:
    """Return which paragraphs to keep, the removals with reasons, and the title.

    `find_title` asks for the headline to be found among the paragraphs (plain text);
    otherwise `title` (from the page's metadata) is passed through and its repeats in
    the body are removed. With `config.enabled` false every paragraph is kept.

    With a `scorer` (HTML pages, `clean.scorer`), the rules' unambiguous verdicts stand
    and the scorer decides every other paragraph, reading the rules' hits as evidence;
    `language` is the page's declared language, for its stopwords. `links_marked`:
    whether the paragraphs' links are known (HTML; see `annotate`).
    """
    if not config.enabled:
        return Decision(kept=tuple(range(len(paragraphs))), removed=(), title=title)
    notes = annotate(paragraphs, config, title, find_title, links_marked)
    reasons = notes.reasons
    scores: dict[int, float] = {}
    if scorer is not None and paragraphs:
        reasons, scores = scorer.decide(paragraphs, notes, language, config.scorer_threshold)
    kept = tuple(i for i in range(len(paragraphs)) if i not in reasons)
    removed = tuple(
        Removal(
            text=paragraphs[i].text, reason=reason, rule=rule, position=i, similarity=scores.get(i)
        )
        for i, (reason, rule) in sorted(reasons.items())
    )
    return Decision(kept=kept, removed=removed, title=notes.title)


def _extra_rules(config: CleanConfig) -> tuple[Rule, ...]:
    return tuple(
        Rule(Reason.CUSTOM, f"extra_{i}", re.compile(p, re.IGNORECASE))
        for i, p in enumerate(config.extra_patterns)
    )


def _extra_end_markers(config: CleanConfig) -> tuple[Rule, ...]:
    return tuple(
        Rule(Reason.END_OF_ARTICLE, f"extra_end_{i}", re.compile(p, re.IGNORECASE))
        for i, p in enumerate(config.extra_end_markers)
    )


def _line_pass(lines: list[Line], rules: tuple[Rule, ...]) -> Reasons:
    """What each paragraph is on its own: a rule's chrome, a fragment, a link teaser."""
    reasons: Reasons = {}
    screens = screens_of(rules)
    for i, line in enumerate(lines):
        hit = match(line, rules, screens=screens)
        if hit is not None and not (hit[0] is Reason.CAPTION and line.kind in NOT_CAPTIONS):
            reasons[i] = hit
        elif fragment(line):
            reasons[i] = (Reason.FRAGMENT, "too_short")
        elif link_teaser(line) and line.kind is not ParagraphKind.LIST_ITEM:
            reasons[i] = (Reason.TEASER, "link_only")
    return reasons


def fragment(line: Line) -> bool:
    """Too short to say anything: a stray symbol, a separator, a lone number.

    A heading is spared when it holds a letter or a digit: "FAQ", "SQL" or "iOS" titles
    a section, however short (above or below the story it is the positional passes'
    to judge)."""
    if line.words > 3:  # checked first: counting characters costs more
        return False
    alnum = sum(1 for ch in line.text if ch.isalnum())
    if line.kind is ParagraphKind.HEADING and alnum:
        return False
    return alnum < 4


def drop_link_items(lines: list[Line], reasons: Reasons, config: CleanConfig) -> None:
    """List items that are nothing but a link are teasers or menu entries, unless they
    stand between paragraphs of prose: then the list is the story's own (the products
    of a guide, the courses of a syllabus), each linked to where it can be found. A list
    of other stories closing the article is `structure.drop_teaser_list`'s to judge.
    """
    prose = [
        i for i, line in enumerate(lines) if i not in reasons and structure.is_prose(line, config)
    ]
    for i, line in enumerate(lines):
        if i in reasons or line.kind is not ParagraphKind.LIST_ITEM or not link_teaser(line):
            continue
        if not (prose and prose[0] < i < prose[-1]):
            reasons[i] = (Reason.TEASER, "link_only")


def link_teaser(line: Line) -> bool:
    """A short paragraph that is nothing but a link: a headline pointing elsewhere.

    Headings are spared (a linked product name heading its section), and so are full
    sentences and spelled-out URLs, which an author writes on purpose.
    """
    return (
        line.link_share >= LINK_ONLY
        and line.kind is not ParagraphKind.HEADING
        and line.words <= MAX_TEASER_WORDS
        and not line.sentence
        and not URL.search(line.text)
    )

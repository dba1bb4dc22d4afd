"""Decide which extracted paragraphs are story and which are chrome, and say why.

Two kinds of evidence are combined:

* patterns (`clean_rules`) for chrome that reads the same on every site;
* structure: where a paragraph stands. A story has a *preamble* (navigation, headline,
  tags), a *body* (paragraphs of running prose) and a *tail* (bylines of other stories,
  site blurbs). Short lines with no sentence are kept in the body — they are
  subheadings — but dropped in the preamble and tail, where they are menus, tag lists
  and site names. End-of-article markers ("Next Post", "You May Also Like") cut the tail.

For plain text, the headline is found here too: the first headline-shaped line of the
preamble; what stands before it is chrome, and headline variants right after it (a dump
of several revisions carries several headlines) are recorded as such.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.clean_rules import END_MARKERS, RULES, Rule
from pipeline.config import CleanConfig
from pipeline.model import Decision, Paragraph, ParagraphKind, Removal

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
_UPDATE_NOTE = re.compile(r"^\W*(update[ds]?|correction|editor'?s note)\b", re.IGNORECASE)
_TRUNCATED = re.compile(r"(\.\.\.\.?|…)$")
_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "not",
        "no",
        "but",
        "if",
        "than",
        "then",
        "there",
        "these",
        "those",
        "been",
        "being",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "le",
        "la",
        "les",
        "de",
        "des",
        "du",
        "et",
        "un",
        "une",
        "der",
        "die",
        "das",
        "und",
        "ein",
        "eine",
        "el",
        "los",
        "las",
        "y",
        "en",
    )
)
# Rules that fire on long paragraphs only for these reasons (a caption can be long;
# a newsletter prompt or a footer cannot).
_LONG_OK = frozenset({"caption", "revision-tracker", "teaser"})
_MAX_CHROME_WORDS = 40


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    kind: ParagraphKind
    words: int
    sentence: bool

    @property
    def headline_like(self) -> bool:
        first = self.text[:1]
        return (
            4 <= self.words <= 25
            and first.isalnum()
            and not first.islower()
            and not self.text.endswith((".", ",", ";", ":"))
        )


def clean_paragraphs(
    paragraphs: Sequence[Paragraph],
    config: CleanConfig,
    title: str | None = None,
    find_title: bool = False,
) -> Decision:
    """Return which paragraphs to keep, the removals with reasons, and the title.

    `find_title` asks for the headline to be found among the paragraphs (plain text);
    otherwise `title` (from the page's metadata) is passed through and its repeats in
    the body are removed.
    """
    if not config.enabled:
        return Decision(kept=tuple(range(len(paragraphs))), removed=(), title=title)
    lines = [_describe(p) for p in paragraphs]
    reasons: dict[int, tuple[str, str]] = {}
    extra = tuple(
        Rule("custom", f"extra_{i}", re.compile(p, re.IGNORECASE))
        for i, p in enumerate(config.extra_patterns)
    )
    end_markers = END_MARKERS + tuple(
        Rule("end-of-article", f"extra_end_{i}", re.compile(p, re.IGNORECASE))
        for i, p in enumerate(config.extra_end_markers)
    )

    for i, line in enumerate(lines):
        hit = _match(line, RULES + extra)
        if hit is not None:
            reasons[i] = hit
        elif sum(1 for ch in line.text if ch.isalnum()) < 4:
            reasons[i] = ("fragment", "too_short")

    body_start = _body_start(lines, reasons, config)
    _cut_at_end_marker(lines, reasons, end_markers, body_start)

    if find_title:
        title = _find_title(lines, reasons, body_start, config)
    elif title:
        _drop_title_repeats(lines, reasons, title)

    _drop_teaser_runs(lines, reasons)
    _drop_outside_body(lines, reasons, body_start, config)
    _drop_nav_runs(lines, reasons, config)

    kept = tuple(i for i in range(len(lines)) if i not in reasons)
    removed = tuple(
        Removal(text=lines[i].text, reason=reason, rule=rule, position=i)
        for i, (reason, rule) in sorted(reasons.items())
    )
    return Decision(kept=kept, removed=removed, title=title)


def word_count(text: str) -> int:
    return max(len(_WORD.findall(text)), len(_CJK.findall(text)) // 2)


def _describe(paragraph: Paragraph) -> _Line:
    words = word_count(paragraph.text)
    return _Line(
        text=paragraph.text,
        kind=paragraph.kind,
        words=words,
        sentence=bool(_SENTENCE_END.search(paragraph.text)) and words >= 4,
    )


def _match(line: _Line, rules: Sequence[Rule]) -> tuple[str, str] | None:
    for rule in rules:
        if line.words > _MAX_CHROME_WORDS and rule.reason not in _LONG_OK:
            continue
        if line.words > 3 * _MAX_CHROME_WORDS:
            continue
        if rule.pattern.search(line.text):
            return rule.reason, rule.name
    return None


def _is_body(line: _Line, config: CleanConfig) -> bool:
    if line.kind is ParagraphKind.HEADING:
        return False
    return line.words >= config.body_min_words or (
        line.sentence and line.words >= config.body_min_words // 2
    )


def _body_start(lines: list[_Line], reasons: dict[int, tuple[str, str]], cfg: CleanConfig) -> int:
    for i, line in enumerate(lines):
        if i not in reasons and _is_body(line, cfg):
            return i
    return 0


def _cut_at_end_marker(
    lines: list[_Line],
    reasons: dict[int, tuple[str, str]],
    markers: Sequence[Rule],
    body_start: int,
) -> None:
    """The first end marker after the story began drops itself and all that follows."""
    for i in range(body_start + 1, len(lines)):
        hit = _match(lines[i], markers)
        if hit is None:
            continue
        reasons[i] = hit
        for j in range(i + 1, len(lines)):
            if j not in reasons:
                reasons[j] = ("after-end-of-article", hit[1])
        return
    # Before the story, a marker is just chrome of its own (a "Comments" menu link).
    for i in range(min(body_start, len(lines))):
        if i not in reasons and (hit := _match(lines[i], markers)) is not None:
            reasons[i] = ("navigation", hit[1])


def _find_title(
    lines: list[_Line],
    reasons: dict[int, tuple[str, str]],
    body_start: int,
    config: CleanConfig,
) -> str | None:
    limit = min(body_start if body_start > 0 else config.title_scan, config.title_scan)
    title_at = next((i for i in range(limit) if i not in reasons and lines[i].headline_like), None)
    if title_at is None:
        return None
    for i in range(title_at):
        reasons.setdefault(i, ("before-title", "preamble"))
    reasons[title_at] = ("title", "headline")
    title = lines[title_at].text
    # Variants of the headline straight after it (several revisions, several headlines).
    for i in range(title_at + 1, limit):
        if i in reasons:
            continue
        line = lines[i]
        if line.headline_like and line.words <= 16 and _overlap(title, line.text) >= 0.25:
            reasons[i] = ("alternate-headline", "headline_variant")
            continue
        break
    return title


def _drop_title_repeats(
    lines: list[_Line], reasons: dict[int, tuple[str, str]], title: str
) -> None:
    key = _norm(title)
    for i, line in enumerate(lines[:5]):
        if i not in reasons and _norm(line.text) == key:
            reasons[i] = ("title", "title_repeat")


def _drop_outside_body(
    lines: list[_Line],
    reasons: dict[int, tuple[str, str]],
    body_start: int,
    config: CleanConfig,
) -> None:
    """Short non-sentences before the story or after its last paragraph are chrome."""
    kept = [i for i in range(len(lines)) if i not in reasons]
    body = [i for i in kept if _is_body(lines[i], config)]
    if not body:
        return
    last_body = body[-1]
    for i in kept:
        if body_start <= i <= last_body:
            continue
        line = lines[i]
        if _UPDATE_NOTE.match(line.text) or line.sentence:
            continue
        where = "preamble" if i < body_start else "tail"
        if _tag_line(line):
            reasons[i] = ("tags", f"{where}_tag_list")
        elif line.words <= 2 * config.short_line_words:
            reasons[i] = ("site-chrome", f"{where}_short_line")


def _drop_teaser_runs(lines: list[_Line], reasons: dict[int, tuple[str, str]]) -> None:
    """A cut-off excerpt ("...") next to a known teaser is one more teaser of the list."""
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if i in reasons or not _TRUNCATED.search(line.text):
                continue
            neighbours = (reasons.get(i - 1, ("",))[0], reasons.get(i + 1, ("",))[0])
            if "teaser" in neighbours:
                reasons[i] = ("teaser", "excerpt_list")
                changed = True


def _drop_nav_runs(
    lines: list[_Line], reasons: dict[int, tuple[str, str]], config: CleanConfig
) -> None:
    """Three or more short lines in a row with hardly a stopword: a menu or link list."""
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            plain = sum(1 for i in run if _stopword_share(lines[i].text) < 0.15)
            if plain * 2 > len(run):
                for i in run:
                    reasons[i] = ("navigation", "link_list")
        run.clear()

    for i, line in enumerate(lines):
        if i in reasons:
            continue
        if (
            line.words <= config.short_line_words
            and not line.sentence
            and line.kind is not ParagraphKind.HEADING
        ):
            run.append(i)
        else:
            flush()
    flush()


def _tag_line(line: _Line) -> bool:
    parts = [p.strip() for p in re.split(r"[,|·•;]", line.text) if p.strip()]
    return (
        len(parts) >= 2
        and all(len(p.split()) <= 3 for p in parts)
        and _stopword_share(line.text) <= 0.1
    )


def _stopword_share(text: str) -> float:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(1 for w in words if w in _STOPWORDS) / len(words)


def _overlap(a: str, b: str) -> float:
    wa = {w.lower() for w in _WORD.findall(a)} - _STOPWORDS
    wb = {w.lower() for w in _WORD.findall(b)} - _STOPWORDS
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _norm(text: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(text))

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

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.clean.rules import END_MARKERS, RULES, TAIL_RULES, Rule
from pipeline.config import CleanConfig
from pipeline.model import Decision, Paragraph, ParagraphKind, Reason, Removal

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’)\]]*$")
_UPDATE_NOTE = re.compile(r"^\W*(update[ds]?|correction|editor'?s note)\b", re.IGNORECASE)
_TRUNCATED = re.compile(r"(\.\.\.\.?|…)$")
_URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
# A paragraph this much inside links is a link, not prose (HTML only).
_LINK_ONLY = 0.8
_MAX_TEASER_WORDS = 60
# A trailing run of list items this much inside links is a list of other stories.
_LIST_LINKS = 0.2
_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b"
    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b"
    r"|\b\d{1,2}\.? (de )?(jan|feb|fév|mär|mar|apr|avr|abr|may|mai|mag|jun|jui|giu|jul|lug"
    r"|aug|ago|aoû|sep|set|okt|oct|ott|out|nov|dec|dez|déc|dic)[a-zé]*\b",
    re.IGNORECASE,
)
_MAX_DATELINE_WORDS = 12
_BARE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
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
_LONG_OK = frozenset({Reason.CAPTION, Reason.REVISION_TRACKER, Reason.TEASER, Reason.BOILERPLATE})
_MAX_CHROME_WORDS = 40
# "About the company" paragraphs closing a press release run to a couple hundred words.
_MAX_BOILERPLATE_WORDS = 250


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    kind: ParagraphKind
    words: int
    sentence: bool
    link_share: float = 0.0

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
    reasons: dict[int, tuple[Reason, str]] = {}
    extra = tuple(
        Rule(Reason.CUSTOM, f"extra_{i}", re.compile(p, re.IGNORECASE))
        for i, p in enumerate(config.extra_patterns)
    )
    end_markers = END_MARKERS + tuple(
        Rule(Reason.END_OF_ARTICLE, f"extra_end_{i}", re.compile(p, re.IGNORECASE))
        for i, p in enumerate(config.extra_end_markers)
    )

    rules = RULES + extra
    screens = _screens(rules)
    for i, line in enumerate(lines):
        hit = _match(line, rules, screens=screens)
        if hit is not None:
            reasons[i] = hit
        elif line.words <= 3 and sum(1 for ch in line.text if ch.isalnum()) < 4:
            reasons[i] = (Reason.FRAGMENT, "too_short")
        elif _link_teaser(line):
            reasons[i] = (Reason.TEASER, "link_only")

    body_start = _body_start(lines, reasons, config)
    _cut_at_end_marker(lines, reasons, end_markers, body_start)
    _peel_tail(lines, reasons, body_start, config)
    _drop_teaser_list(lines, reasons, body_start)
    _drop_preamble_headings(lines, reasons, body_start)
    _drop_datelines(lines, reasons, body_start)

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
        link_share=paragraph.link_share,
    )


def _link_teaser(line: _Line) -> bool:
    """A short paragraph that is nothing but a link: a headline pointing elsewhere.

    Headings are spared (a linked product name heading its section), and so are full
    sentences and spelled-out URLs, which an author writes on purpose.
    """
    return (
        line.link_share >= _LINK_ONLY
        and line.kind is not ParagraphKind.HEADING
        and line.words <= _MAX_TEASER_WORDS
        and not line.sentence
        and not _URL.search(line.text)
    )


def _peel_tail(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], body_start: int, config: CleanConfig
) -> None:
    """Credits, bios, follow-us lines and company boilerplate trail a story; peel them off.

    These read like prose ("Keith Bradsher contributed reporting"), so they are only
    trusted at the very end, walking back until a paragraph that is none of them. Short
    non-sentences on the way ("Thank you") are stepped over; the tail rules for short
    lines deal with them.
    """
    screens = _screens(TAIL_RULES)
    for i in range(len(lines) - 1, body_start, -1):
        if i in reasons:
            continue
        line = lines[i]
        hit = _match(line, TAIL_RULES, max_words=_MAX_BOILERPLATE_WORDS, screens=screens)
        if hit is not None:
            reasons[i] = hit
        elif line.sentence or line.words > 2 * config.short_line_words:
            return


def _drop_teaser_list(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], body_start: int
) -> None:
    """The story's last paragraphs, when list items that each hold a link, are a list of
    other stories ("headline + summary" per item); a list the text introduces with a
    colon is the story's own."""
    run: list[int] = []
    for i in range(len(lines) - 1, body_start, -1):
        if i in reasons:
            continue
        line = lines[i]
        if line.kind is not ParagraphKind.LIST_ITEM or line.link_share < _LIST_LINKS:
            if line.text.endswith(":"):
                return
            break
        run.append(i)
    if len(run) >= 3:
        for i in run:
            reasons[i] = (Reason.TEASER, "related_list")


def _drop_preamble_headings(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], body_start: int
) -> None:
    """Headings that open the page, above any kept text, are the headline, kicker or deck.

    Below a byline or a lead-in they may be a pull quote or the first section's title.
    """
    for i in range(body_start):
        if i in reasons:
            continue
        if lines[i].kind is not ParagraphKind.HEADING:
            return
        reasons[i] = (Reason.DECK, "preamble_heading")


def _drop_datelines(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], body_start: int
) -> None:
    """Above the story, a short line with a date or a time is a dateline or byline, and
    a bare URL is the page's own address (print views show it)."""
    for i in range(body_start):
        line = lines[i]
        if i in reasons or line.sentence:
            continue
        if len(line.text.split()) <= _MAX_DATELINE_WORDS and _DATE.search(line.text):
            reasons[i] = (Reason.BYLINE, "preamble_dateline")
        elif _BARE_URL.match(line.text):
            reasons[i] = (Reason.SITE_CHROME, "preamble_url")


def _match(
    line: _Line,
    rules: tuple[Rule, ...],
    max_words: int = 3 * _MAX_CHROME_WORDS,
    screens: tuple[_Screen | None, _Screen | None] | None = None,
) -> tuple[Reason, str] | None:
    """`screens` is `_screens(rules)`, looked up once by a caller matching many lines:
    the cache key hashes every rule, which cost as much as the screening itself."""
    if line.words > max_words:
        return None
    long = line.words > _MAX_CHROME_WORDS
    screen = (_screens(rules) if screens is None else screens)[1 if long else 0]
    # Most paragraphs match no rule: one search of all patterns at once says so, and
    # only a hit pays for finding which rule (in order) it was.
    if screen is None or not screen.hits(line.text):
        return None
    for rule in rules:
        if long and rule.reason not in _LONG_OK:
            continue
        if rule.pattern.search(line.text):
            return rule.reason, rule.name
    return None


@dataclass(frozen=True, slots=True)
class _Screen:
    r"""Whether any of some rules matches, at a fraction of trying each rule in turn.

    Rules anchored at the start (`^…`, most of them) are tried as one alternation with
    `match`, at position 0 only: in one alternation with the others, each of them was
    tried again at every position of the paragraph, which cost more than half of the
    cleaning time (measured on the scrapinghub development set).

    The others must be searched at every position. Python's `re` finds a literal prefix
    with a fast scan, but only in a case-sensitive pattern that opens with that literal:
    so each is searched on its own, without its leading `\b`, case-sensitively in the
    lowercased paragraph (4.5 times faster than one case-insensitive alternation, 0.2
    against 0.9 s for the 22,000 paragraphs of 1,000 pages). Dropping `\b` only lets
    the screen say yes more often; the rule itself then decides. A pattern with an
    upper-case letter of its own is searched case-insensitively instead.
    """

    anchored: re.Pattern[str] | None
    lowered: tuple[re.Pattern[str], ...]
    folded: tuple[re.Pattern[str], ...]

    def hits(self, text: str) -> bool:
        if self.anchored is not None and self.anchored.match(text) is not None:
            return True
        if self.lowered:
            low = text.lower()
            if any(p.search(low) is not None for p in self.lowered):
                return True
        return any(p.search(text) is not None for p in self.folded)


@functools.lru_cache(maxsize=16)
def _screens(rules: tuple[Rule, ...]) -> tuple[_Screen | None, _Screen | None]:
    """One screen of every rule, and one of the rules that may hit long paragraphs."""

    def combine(chosen: list[Rule]) -> _Screen | None:
        if not chosen:
            return None
        patterns = [r.pattern.pattern for r in chosen]
        # The leading `^`s are dropped: the anchored alternation is only tried with match().
        anchored = [p[1:] for p in patterns if _anchored(p)]
        anywhere = [p.removeprefix(r"\b") for p in patterns if not _anchored(p)]
        return _Screen(
            anchored=(
                re.compile("|".join(f"(?:{p})" for p in anchored), re.IGNORECASE)
                if anchored
                else None
            ),
            lowered=tuple(re.compile(p) for p in anywhere if not _has_upper(p)),
            folded=tuple(re.compile(p, re.IGNORECASE) for p in anywhere if _has_upper(p)),
        )

    return combine(list(rules)), combine([r for r in rules if r.reason in _LONG_OK])


def _has_upper(pattern: str) -> bool:
    r"""An upper-case letter that is not an escape (`\W`, `\S`, …) would never match
    lowercased text."""
    return re.search(r"(?<!\\)[A-Z]", pattern.replace("\\\\", "")) is not None


def _anchored(pattern: str) -> bool:
    """`^` opens the pattern and no `|` outside brackets and groups lets a branch escape it
    (without MULTILINE, such a pattern can only match at position 0)."""
    if not pattern.startswith("^"):
        return False
    depth, i = 0, 1
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
        i += 1
    return True


def _is_body(line: _Line, config: CleanConfig) -> bool:
    if line.kind is ParagraphKind.HEADING:
        return False
    return line.words >= config.body_min_words or (
        line.sentence and line.words >= config.body_min_words // 2
    )


def _body_start(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], cfg: CleanConfig
) -> int:
    for i, line in enumerate(lines):
        if i not in reasons and _is_body(line, cfg):
            return i
    return 0


def _cut_at_end_marker(
    lines: list[_Line],
    reasons: dict[int, tuple[Reason, str]],
    markers: tuple[Rule, ...],
    body_start: int,
) -> None:
    """The first end marker after the story began drops itself and all that follows."""
    screens = _screens(markers)
    for i in range(body_start + 1, len(lines)):
        hit = _match(lines[i], markers, screens=screens)
        if hit is None:
            continue
        reasons[i] = hit
        for j in range(i + 1, len(lines)):
            if j not in reasons:
                reasons[j] = (Reason.AFTER_END_OF_ARTICLE, hit[1])
        return
    # Before the story, a marker is just chrome of its own (a "Comments" menu link).
    for i in range(min(body_start, len(lines))):
        if i not in reasons and (hit := _match(lines[i], markers, screens=screens)) is not None:
            reasons[i] = (Reason.NAVIGATION, hit[1])


def _find_title(
    lines: list[_Line],
    reasons: dict[int, tuple[Reason, str]],
    body_start: int,
    config: CleanConfig,
) -> str | None:
    limit = min(body_start if body_start > 0 else config.title_scan, config.title_scan, len(lines))
    title_at = next((i for i in range(limit) if i not in reasons and lines[i].headline_like), None)
    if title_at is None:
        return None
    for i in range(title_at):
        reasons.setdefault(i, (Reason.BEFORE_TITLE, "preamble"))
    reasons[title_at] = (Reason.TITLE, "headline")
    title = lines[title_at].text
    # Variants of the headline straight after it (several revisions, several headlines).
    for i in range(title_at + 1, limit):
        if i in reasons:
            continue
        line = lines[i]
        if line.headline_like and line.words <= 16 and _overlap(title, line.text) >= 0.25:
            reasons[i] = (Reason.ALTERNATE_HEADLINE, "headline_variant")
            continue
        break
    return title


def _drop_title_repeats(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], title: str
) -> None:
    key = _norm(title)
    for i, line in enumerate(lines[:5]):
        if i not in reasons and _norm(line.text) == key:
            reasons[i] = (Reason.TITLE, "title_repeat")


def _drop_outside_body(
    lines: list[_Line],
    reasons: dict[int, tuple[Reason, str]],
    body_start: int,
    config: CleanConfig,
) -> None:
    """Short non-sentences before the story or after its last paragraph are chrome."""
    kept = [i for i in range(len(lines)) if i not in reasons]
    body = [i for i in kept if _is_body(lines[i], config)]
    if not body:
        return
    last_body = max(body[-1], _last_plain_list_item(lines, kept))
    for i in kept:
        if body_start <= i <= last_body:
            continue
        line = lines[i]
        where = "preamble" if i < body_start else "tail"
        if where == "tail" and line.kind is ParagraphKind.HEADING:
            # A heading with no body under it heads a widget, not a section.
            reasons[i] = (Reason.SITE_CHROME, "tail_heading")
            continue
        if _UPDATE_NOTE.match(line.text) or line.sentence:
            continue
        if _tag_line(line):
            reasons[i] = (Reason.TAGS, f"{where}_tag_list")
        elif line.words <= 2 * config.short_line_words:
            reasons[i] = (Reason.SITE_CHROME, f"{where}_short_line")


def _last_plain_list_item(lines: list[_Line], kept: list[int]) -> int:
    """End of the last run of 3+ list items without links: a list of the story's own
    (a table of results, ingredients), which short items do not make chrome."""
    last, run = -1, 0
    for i in kept:
        line = lines[i]
        if line.kind is ParagraphKind.LIST_ITEM and line.link_share < _LIST_LINKS:
            run += 1
            if run >= 3:
                last = i
        else:
            run = 0
    return last


def _drop_teaser_runs(lines: list[_Line], reasons: dict[int, tuple[Reason, str]]) -> None:
    """A cut-off excerpt ("...") next to a known teaser is one more teaser of the list."""
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if i in reasons or not _TRUNCATED.search(line.text):
                continue
            neighbours = (reasons.get(i - 1, ("",))[0], reasons.get(i + 1, ("",))[0])
            if "teaser" in neighbours:
                reasons[i] = (Reason.TEASER, "excerpt_list")
                changed = True


def _drop_nav_runs(
    lines: list[_Line], reasons: dict[int, tuple[Reason, str]], config: CleanConfig
) -> None:
    """Three or more short lines in a row with hardly a stopword: a menu or link list."""
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            plain = sum(1 for i in run if _stopword_share(lines[i].text) < 0.15)
            if plain * 2 > len(run):
                for i in run:
                    reasons[i] = (Reason.NAVIGATION, "link_list")
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

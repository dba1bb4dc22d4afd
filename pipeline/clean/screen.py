r"""Which rule, if any, a paragraph matches: the first in order, found through a screen.

Most paragraphs match no rule. One screen of all the patterns at once says so, and only
a hit pays for finding which rule (in order) it was; `match` gives the same answer as
trying each rule in turn (a test holds the two equal on the seeds).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.clean.lines import Line
from pipeline.clean.rules import Rule
from pipeline.model import Reason

LONG_OK = frozenset({Reason.CAPTION, Reason.REVISION_TRACKER, Reason.TEASER, Reason.BOILERPLATE})
"""Rules that fire on long paragraphs only for these reasons (a caption can be long; a
newsletter prompt or a footer cannot)."""
MAX_CHROME_WORDS = 40
"""Above this many words, a paragraph is long: only the `LONG_OK` rules may hit it."""


def match(
    line: Line,
    rules: tuple[Rule, ...],
    max_words: int = 3 * MAX_CHROME_WORDS,
    screens: tuple[Screen | None, Screen | None] | None = None,
) -> tuple[Reason, str] | None:
    """The (reason, name) of the first of `rules` whose pattern `line` matches, or None.

    A line over `max_words` matches nothing, and one over `MAX_CHROME_WORDS` only the
    `LONG_OK` rules. `screens` is `screens_of(rules)`, looked up once by a caller matching
    many lines: the cache key hashes every rule, which costs as much as the screening.
    """
    if line.words > max_words:
        return None
    long = line.words > MAX_CHROME_WORDS
    screen = (screens_of(rules) if screens is None else screens)[1 if long else 0]
    if screen is None or not screen.hits(line.text):
        return None
    for rule in rules:
        if long and rule.reason not in LONG_OK:
            continue
        if rule.pattern.search(line.text):
            return rule.reason, rule.name
    return None


@dataclass(frozen=True, slots=True)
class Screen:
    r"""Whether any of some rules matches, at a fraction of trying each rule in turn.

    Rules anchored at the start (`^…`, most of them) are tried as one alternation with
    `match`, at position 0 only: in one alternation with the others, each of them would
    be tried again at every position of the paragraph, which cost more than the rest of
    the cleaning.

    The others must be searched at every position. Python's `re` finds a literal prefix
    with a fast scan, but only in a case-sensitive pattern that opens with that literal:
    so each is searched on its own, without its leading `\b`, case-sensitively in the
    lowercased paragraph, several times faster than one case-insensitive alternation.
    Dropping `\b` only lets the screen say yes more often; the rule itself then decides.
    A pattern with an upper-case letter of its own is searched case-insensitively
    instead.
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
def screens_of(rules: tuple[Rule, ...]) -> tuple[Screen | None, Screen | None]:
    """One screen of every rule, and one of the rules that may hit long paragraphs."""
    return _combine(list(rules)), _combine([r for r in rules if r.reason in LONG_OK])


def _combine(chosen: list[Rule]) -> Screen | None:
    if not chosen:
        return None
    patterns = [r.pattern.pattern for r in chosen]
    # The leading `^`s are dropped: the anchored alternation is only tried with match().
    anchored = [p[1:] for p in patterns if is_anchored(p)]
    anywhere = [p.removeprefix(r"\b") for p in patterns if not is_anchored(p)]
    return Screen(
        anchored=(
            re.compile("|".join(f"(?:{p})" for p in anchored), re.IGNORECASE) if anchored else None
        ),
        lowered=tuple(re.compile(p) for p in anywhere if not has_upper(p)),
        folded=tuple(re.compile(p, re.IGNORECASE) for p in anywhere if has_upper(p)),
    )


def has_upper(pattern: str) -> bool:
    r"""Whether `pattern` holds an upper-case letter that is not an escape (`\W`, `\S`,
    …): such a pattern would never match lowercased text."""
    return re.search(r"(?<!\\)[A-Z]", pattern.replace("\\\\", "")) is not None


def is_anchored(pattern: str) -> bool:
    """Whether `^` opens the pattern and no `|` outside brackets and groups lets a branch
    escape it (without MULTILINE, such a pattern can only match at position 0)."""
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

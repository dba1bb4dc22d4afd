"""Matching a paragraph against the rules: the screen says the same as rule by rule."""

from __future__ import annotations

import pytest

from pipeline.clean.lines import describe
from pipeline.clean.rules import END_MARKERS, RULES, TAIL_RULES
from pipeline.clean.screen import LONG_OK, MAX_CHROME_WORDS, has_upper, is_anchored, match
from pipeline.model import Paragraph
from tests.clean.story import BODY
from tests.support import SEEDS


def test_screened_matching_equals_rule_by_rule_matching() -> None:
    """The screen in `match` must never change which rule fires."""
    texts = [
        line.strip()
        for path in sorted(SEEDS.iterdir())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += ["[gallery ids=1,2]caption[/gallery]", "[gallery]x[/video]", *BODY]
    texts += [variant for text in texts for variant in (text.upper(), text.title())]
    for rules in (RULES, END_MARKERS, TAIL_RULES):
        for text in texts:
            line = describe(Paragraph(text))
            expected = None
            if line.words <= 3 * MAX_CHROME_WORDS:
                long = line.words > MAX_CHROME_WORDS
                expected = next(
                    (
                        (r.reason, r.name)
                        for r in rules
                        if not (long and r.reason not in LONG_OK) and r.pattern.search(text)
                    ),
                    None,
                )
            assert match(line, rules) == expected, text


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        (r"^cancel reply$", True),
        (r"^(post|submit) comment\W*$", True),
        (r"^a|b", False),
        (r"^(a|b)|c", False),
        (r"^[|(]x", True),
        (r"^[]|]x", True),
        (r"^a\|b", True),
        (r"^a\(|b", False),
        (r"\bmenu is not set\b", False),
        (r"click to hide$", False),
    ],
    ids=[
        "plain",
        "group_branch",
        "top_branch",
        "branch_after_group",
        "bar_in_brackets",
        "bracket_first",
        "escaped_bar",
        "escaped_paren",
        "word_boundary",
        "unanchored",
    ],
)
def test_anchored_rules_are_those_that_only_match_at_the_start(
    pattern: str, anchored: bool
) -> None:
    assert is_anchored(pattern) is anchored


@pytest.mark.parametrize(
    ("pattern", "upper"),
    [
        (r"\bmenu is not set\b", False),
        (r"\W*$", False),
        (r"\S+\s*\D", False),
        (r"[\w .'’-]{2,50}", False),
        (r"^Photo: AP$", True),
        (r"[A-Z]{3}", True),
        (r"a\\Wb", True),  # an escaped backslash, then a literal W
    ],
    ids=str,
)
def test_screen_searches_case_sensitive_patterns_only_when_lowercase(
    pattern: str, upper: bool
) -> None:
    assert has_upper(pattern) is upper

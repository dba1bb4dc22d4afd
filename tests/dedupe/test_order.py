"""The dump's own ordering evidence: sequence, version numbers, times, gaps."""

from __future__ import annotations

import pytest

from pipeline.clean import clean_paragraphs
from pipeline.config import CleanConfig
from pipeline.dedupe import revision_order, tracker_lines, tracker_of
from pipeline.model import Decision, Paragraph, Reason, Removal


def _order(lines: list[str], trackers: set[int] | None = None) -> dict[str, float]:
    """The rank of each non-tracker line, by its text."""
    paragraphs = [Paragraph(t) for t in lines]
    flagged = trackers or set()
    kept = tuple(i for i in range(len(lines)) if i not in flagged)
    removed = tuple(Removal(lines[i], Reason.REVISION_TRACKER, i) for i in sorted(flagged))
    ranks = revision_order(paragraphs, Decision(kept=kept, removed=removed))
    return {lines[i]: rank for i, rank in zip(kept, ranks, strict=True)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("Version 3 of 5", "VERSION", id="version-of"),
        pytest.param("Revision 2", "VERSION", id="revision-n"),
        pytest.param("Version 3 of 5 (about 3 hours later)", "VERSION", id="version-and-gap"),
        pytest.param("(about 3 hours later)", "GAP", id="gap-later"),
        pytest.param("(2 days earlier)", "GAP", id="gap-earlier"),
        pytest.param("Updated at 14:05, 7 July 2020", "TIME", id="updated-at"),
        pytest.param("Last updated: July 8, 2020 5:48 pm", "TIME", id="last-updated"),
    ],
)
def test_tracker_lines_are_recognised(text: str, kind: str) -> None:
    tracker = tracker_of(text, 0)
    assert tracker is not None and tracker.mark.name == kind


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Version control systems let a team keep every revision.", id="prose"),
        pytest.param("Version 2 of the app adds a dark mode.", id="version-sentence"),
        pytest.param("V8 engines power most of these cars.", id="v8"),
        pytest.param("Updated with Twitter's response to the new law.", id="update-note"),
        pytest.param("The story was updated at the request of the family.", id="story"),
    ],
)
def test_story_lines_are_not_tracker_lines(text: str) -> None:
    assert tracker_of(text, 0) is None


def test_without_trackers_later_in_the_dump_is_later() -> None:
    ranks = _order(["one", "two", "three"])
    assert ranks["one"] < ranks["two"] < ranks["three"]


def test_version_numbers_override_the_sequence() -> None:
    """A dump listing the newest revision first."""
    ranks = _order(["Version 2 of 2", "new wording", "Version 1 of 2", "old wording"], {0, 2})
    assert ranks["new wording"] > ranks["old wording"]


def test_earlier_gaps_read_the_dump_backwards() -> None:
    lines = ["newest", "(about 2 hours earlier)", "middle", "(about 1 hour earlier)", "oldest"]
    ranks = _order(lines, {1, 3})
    assert ranks["newest"] > ranks["middle"] > ranks["oldest"]


def test_update_times_order_the_segments() -> None:
    lines = ["Updated at 18:00", "evening wording", "Updated at 09:30", "morning wording"]
    ranks = _order(lines)
    assert ranks["evening wording"] > ranks["morning wording"]


def test_counted_trackers_are_the_trackers_own_lines() -> None:
    """Cleaning removes the tracker's own lines; 'Updated at' lines, which news pages
    print too, stay in the article and are not counted."""
    lines = [
        "Updated at 18:00",
        "Some text of the story.",
        "Version 2 of 2",
        "(about 3 hours later)",
    ]
    decision = clean_paragraphs([Paragraph(t) for t in lines], CleanConfig())
    assert tracker_lines(decision) == 2
    assert 0 in decision.kept

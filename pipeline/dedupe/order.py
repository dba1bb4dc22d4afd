"""Which revision each paragraph of a dump belongs to: the dump's own ordering evidence.

Later in the dump is a later revision, unless the revision tracker's lines say otherwise:
a tracker line opens a segment of the dump, and the segments are ranked by what the lines
say ("Version 3 of 5"; "Updated at 14:05, 7 July 2020"; "(about 3 hours later)" or
"... earlier" relative to the segment before), so a dump that lists the newest revision
first is read the right way round. Inside a segment, and without tracker lines, the
sequence decides.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil import parser as dateparser

from pipeline.clean.lines import word_count
from pipeline.model import Decision, Paragraph, Reason

MAX_TRACKER_WORDS = 14
"""A tracker line is a label, never a paragraph of prose."""

VERSION = re.compile(
    r"^(?:version|revision)\s+(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[:(,\u2013\u2014-].{0,60})?$",
    re.I,
)
"""A label, alone or with a date or gap after it ("Version 3 of 5 (about 3 hours later)");
never a sentence that starts "Version 2 of the app..."."""
GAP = re.compile(r"^\((?:about |around |roughly |some )?[\w ]{1,20} (later|earlier)\)$", re.I)
UPDATED = re.compile(r"^(?:last )?(?:updated|modified)(?: at| on)?\s*:?\s+(.{4,60}?)\W*$", re.I)
_DEFAULT_TIME = dt.datetime(2000, 1, 1)


class Mark(enum.IntEnum):
    """The kinds of tracker line, in the order their evidence is trusted."""

    VERSION = 0
    TIME = 1
    GAP = 2


@dataclass(frozen=True, slots=True)
class Tracker:
    position: int
    mark: Mark
    value: float
    """The version number, the time (POSIX seconds), or +1 / -1 for later / earlier."""


def tracker_of(text: str, position: int) -> Tracker | None:
    """The tracker line `text` is, if it is one."""
    line = " ".join(text.split())
    if not line or word_count(line) > MAX_TRACKER_WORDS:
        return None
    if m := VERSION.match(line):
        return Tracker(position, Mark.VERSION, float(m.group(1)))
    if m := GAP.match(line):
        return Tracker(position, Mark.GAP, 1.0 if m.group(1).lower() == "later" else -1.0)
    if m := UPDATED.match(line):
        try:
            when = dateparser.parse(m.group(1), default=_DEFAULT_TIME)
        except (ValueError, OverflowError):
            return None
        stamp = when.replace(tzinfo=None) if when.tzinfo else when
        return Tracker(position, Mark.TIME, (stamp - _DEFAULT_TIME).total_seconds())
    return None


def tracker_lines(decision: Decision) -> int:
    """The lines cleaning removed as the revision tracker's own (versions, gaps, its
    headers): evidence of a dump for the gate. "Updated at" lines order revisions but
    are not among them, since news pages print one."""
    return sum(1 for r in decision.removed if r.reason is Reason.REVISION_TRACKER)


def revision_order(paragraphs: Sequence[Paragraph], decision: Decision) -> list[float]:
    """Rank the kept paragraphs of `decision` (in its order) among the dump's revisions:
    higher is a later revision."""
    trackers = [t for i, p in enumerate(paragraphs) if (t := tracker_of(p.text, i))]
    times = [t for t in trackers if t.mark is Mark.TIME]
    chosen = [t for t in trackers if t.mark is Mark.VERSION] or (times if len(times) > 1 else [])
    chosen = chosen or [t for t in trackers if t.mark is Mark.GAP]
    segments = _segment_ranks(chosen)
    n = len(paragraphs) + 1
    ranks: list[float] = []
    s = 0
    for position in decision.kept:
        while s < len(chosen) and chosen[s].position <= position:
            s += 1
        ranks.append(segments[s] * n + position)
    return ranks


def _segment_ranks(chosen: Sequence[Tracker]) -> list[float]:
    """Dense ranks of the segments: before the first tracker line, then after each."""
    if not chosen:
        return [0.0]
    if chosen[0].mark is Mark.GAP:
        values = [0.0]
        for t in chosen:
            values.append(values[-1] + t.value)
    else:
        values = [chosen[0].value - 1.0, *(t.value for t in chosen)]
    order = sorted(set(values))
    return [float(order.index(v)) for v in values]

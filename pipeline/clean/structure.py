"""The positional passes: where a paragraph stands decides what a short line is.

A story has a *preamble* (navigation, headline, tags), a *body* (paragraphs of running
prose) and a *tail* (bylines of other stories, site blurbs). Short lines with no
sentence are kept in the body — they are subheadings — but dropped in the preamble and
tail, where they are menus, tag lists and site names. End-of-article markers ("Next
Post", "You May Also Like") cut the tail.

Each pass reads the `Line`s and the `Reasons` decided so far, and adds to them.
"""

from __future__ import annotations

from pipeline.clean.lexicon import BARE_URL, DATE, TAG_SEPARATORS, TRUNCATED, UPDATE_NOTE
from pipeline.clean.lines import Line, Reasons, stopword_share
from pipeline.clean.rules import TAIL_RULES, Rule
from pipeline.clean.screen import match, screens_of
from pipeline.config import CleanConfig
from pipeline.model import ParagraphKind, Reason

LIST_LINKS = 0.2
"""A trailing run of list items this much inside links is a list of other stories."""
MAX_DATELINE_WORDS = 12
"""Above the story, a line of at most this many words with a date is a dateline."""
MAX_MARKER_WORDS = 6
"""An end marker is a label; a full sentence longer than this is never one."""
LINK_HEAVY = 0.5
"""A heading or table row this much inside links is a teaser, not the story's structure."""
MIN_SEQUEL_PROSE = 2
"""After an end marker, fewer prose paragraphs than this never make the story go on."""
SEQUEL_PROSE_SHARE = 0.5
"""After an end marker, the story goes on when prose makes this share of the lines up to
its last prose paragraph."""
MIN_LIKE_SECTIONS = 2
"""A heading above the story heads its first section when this many of the story's own
headings below are of its make."""
MAX_SECTION_WORDS = 4
"""The longest heading in capitals read as a section's name ("GIRLS BASKETBALL")."""
MAX_BOILERPLATE_WORDS = 250
"""The longest tail paragraph a tail rule may hit: the "About the company" paragraphs
closing a press release run to a couple hundred words."""


def is_body(line: Line, config: CleanConfig) -> bool:
    """Running prose: `config.body_min_words` words, or half as many in a sentence."""
    if line.kind is ParagraphKind.HEADING:
        return False
    return line.words >= config.body_min_words or (
        line.sentence and line.words >= config.body_min_words // 2
    )


def body_start(lines: list[Line], reasons: Reasons, config: CleanConfig) -> int:
    """The first body paragraph not yet removed; 0 if there is none."""
    for i, line in enumerate(lines):
        if i not in reasons and is_body(line, config):
            return i
    return 0


def section_start(lines: list[Line], reasons: Reasons, start: int) -> int:
    """Where the story begins when its first section opens above its first prose: the
    heading nearest the prose, when the story's own section headings below are of the
    same make (`_section_shape`, at least `MIN_LIKE_SECTIONS` of them), and only text
    stands between it and the prose (a round-up's "GIRLS BASKETBALL" over a box score,
    as "BOYS SOCCER" and "GIRLS SOCCER" head the sections further down). `start` when
    there is none."""
    for i in range(start - 1, -1, -1):
        if i in reasons:
            continue
        line = lines[i]
        if line.kind is not ParagraphKind.HEADING:
            if line.link_share >= LIST_LINKS:
                return start
            continue
        shape = _section_shape(line)
        if shape is None:
            return start
        alike = sum(
            1
            for j in range(start + 1, len(lines))
            if j not in reasons
            and lines[j].kind is ParagraphKind.HEADING
            and _section_shape(lines[j]) == shape
        )
        return i if alike >= MIN_LIKE_SECTIONS else start
    return start


def _section_shape(line: Line) -> int | None:
    """The make of a section heading set in capitals: its word count, or None for a
    heading in mixed case (the headline's and most subheadings' own) or a long one."""
    words = line.text.split()
    if not line.text.isupper() or len(words) > MAX_SECTION_WORDS:
        return None
    return len(words)


def cut_at_end_marker(
    lines: list[Line],
    reasons: Reasons,
    markers: tuple[Rule, ...],
    start: int,
    config: CleanConfig,
) -> None:
    """The first end marker after the story began (at `start`) whose sequel reads as
    chrome drops itself and all that follows.

    A marker line can also stand inside the story: a "Related" box between two
    paragraphs, a "More on this" aside, a heading that happens to read "Comments". So
    the marker alone is dropped when prose goes on after it (`story_goes_on`), and the
    search moves on to the next marker.
    """
    screens = screens_of(markers)
    for i in range(start + 1, len(lines)):
        if lines[i].sentence and lines[i].words > MAX_MARKER_WORDS:
            continue  # "More on that in a follow-up post about ...": a sentence, not a label
        hit = match(lines[i], markers, screens=screens)
        if hit is None:
            continue
        reasons[i] = hit
        if story_goes_on(lines, reasons, i, config):
            continue
        for j in range(i + 1, len(lines)):
            if j not in reasons:
                reasons[j] = (Reason.AFTER_END_OF_ARTICLE, hit[1])
        return
    # Before the story, a marker is just chrome of its own (a "Comments" menu link).
    for i in range(min(start, len(lines))):
        if i not in reasons and (hit := match(lines[i], markers, screens=screens)) is not None:
            reasons[i] = (Reason.NAVIGATION, hit[1])


def is_prose(line: Line, config: CleanConfig) -> bool:
    """Body text that is nobody's teaser: running prose, hardly linked, not cut off."""
    return (
        is_body(line, config) and line.link_share < LIST_LINKS and not TRUNCATED.search(line.text)
    )


def story_goes_on(lines: list[Line], reasons: Reasons, marker: int, config: CleanConfig) -> bool:
    """Whether what follows the marker reads as more of the story, not as chrome.

    Counted from the marker to the last prose paragraph after it (a footer further down
    says nothing about the marker): at least `MIN_SEQUEL_PROSE` prose paragraphs, making
    `SEQUEL_PROSE_SHARE` or more of the lines there that are not the story's own
    structure (headings, table rows, unlinked list items). Lines already removed count
    as chrome, so a teaser list (linked headlines, each with a summary) or a comment
    thread (names, dates and "Reply" around each comment) stays below the share.
    """
    prose = [
        j for j in range(marker + 1, len(lines)) if j not in reasons and is_prose(lines[j], config)
    ]
    if len(prose) < MIN_SEQUEL_PROSE:
        return False
    chrome = sum(
        1
        for j in range(marker + 1, prose[-1])
        if j in reasons or not (is_prose(lines[j], config) or _structure(lines[j]))
    )
    return len(prose) >= SEQUEL_PROSE_SHARE * (len(prose) + chrome)


def _structure(line: Line) -> bool:
    """A heading, a table row or an unlinked list item: the story's own structure."""
    if line.kind in (ParagraphKind.HEADING, ParagraphKind.TABLE):
        return line.link_share < LINK_HEAVY
    return line.kind is ParagraphKind.LIST_ITEM and line.link_share < LIST_LINKS


def peel_tail(lines: list[Line], reasons: Reasons, start: int, config: CleanConfig) -> None:
    """Credits, bios, follow-us lines and company boilerplate trail a story; peel them off.

    These read like prose ("Keith Bradsher contributed reporting"), so they are only
    trusted at the very end, walking back until a paragraph that is none of them. Short
    non-sentences on the way ("Thank you") are stepped over; the tail rules for short
    lines deal with them.
    """
    screens = screens_of(TAIL_RULES)
    for i in range(len(lines) - 1, start, -1):
        if i in reasons:
            continue
        line = lines[i]
        hit = match(line, TAIL_RULES, max_words=MAX_BOILERPLATE_WORDS, screens=screens)
        if hit is not None:
            reasons[i] = hit
        elif line.sentence or line.words > 2 * config.short_line_words:
            return


def drop_teaser_list(lines: list[Line], reasons: Reasons, start: int) -> None:
    """The story's last paragraphs, when list items that each hold a link, are a list of
    other stories ("headline + summary" per item); a list the text introduces with a
    colon is the story's own."""
    run: list[int] = []
    for i in range(len(lines) - 1, start, -1):
        if i in reasons:
            continue
        line = lines[i]
        if line.kind is not ParagraphKind.LIST_ITEM or line.link_share < LIST_LINKS:
            if line.text.endswith(":"):
                return
            break
        run.append(i)
    if len(run) >= 3:
        for i in run:
            reasons[i] = (Reason.TEASER, "related_list")


def drop_preamble_headings(lines: list[Line], reasons: Reasons, start: int) -> None:
    """Headings that open the page, above any kept text, are the headline, kicker or deck.

    Below a byline or a lead-in they may be a pull quote or the first section's title.
    """
    for i in range(start):
        if i in reasons:
            continue
        if lines[i].kind is not ParagraphKind.HEADING:
            return
        reasons[i] = (Reason.DECK, "preamble_heading")


def drop_datelines(lines: list[Line], reasons: Reasons, start: int) -> None:
    """Above the story, a short line with a date or a time is a dateline or byline, and
    a bare URL is the page's own address (print views show it)."""
    for i in range(start):
        line = lines[i]
        if i in reasons or line.sentence:
            continue
        if len(line.text.split()) <= MAX_DATELINE_WORDS and DATE.search(line.text):
            reasons[i] = (Reason.BYLINE, "preamble_dateline")
        elif BARE_URL.match(line.text):
            reasons[i] = (Reason.SITE_CHROME, "preamble_url")


def drop_teaser_runs(lines: list[Line], reasons: Reasons) -> None:
    """A cut-off excerpt ("...") next to a known teaser is one more teaser of the list."""
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if i in reasons or not TRUNCATED.search(line.text):
                continue
            neighbours = (reasons.get(i - 1, ("",))[0], reasons.get(i + 1, ("",))[0])
            if Reason.TEASER in neighbours:
                reasons[i] = (Reason.TEASER, "excerpt_list")
                changed = True


def drop_outside_body(
    lines: list[Line],
    reasons: Reasons,
    start: int,
    config: CleanConfig,
    links_marked: bool = False,
) -> None:
    """Short non-sentences before the story or after its last paragraph are chrome.

    Where the page marks its links (`links_marked`, HTML), an unlinked list above the story
    is kept as the story's own; in a text dump a menu is unlinked too, so not there."""
    kept = [i for i in range(len(lines)) if i not in reasons]
    body = [i for i in kept if is_body(lines[i], config)]
    if not body:
        return
    last_body = max(body[-1], _last_plain_list_item(lines, kept))
    first_body = min(start, _first_plain_list(lines, reasons, start)) if links_marked else start
    for i in kept:
        if first_body <= i <= last_body:
            continue
        line = lines[i]
        where = "preamble" if i < start else "tail"
        if where == "tail" and line.kind is ParagraphKind.HEADING:
            # A heading with no body under it heads a widget, not a section.
            reasons[i] = (Reason.SITE_CHROME, "tail_heading")
            continue
        if UPDATE_NOTE.match(line.text) or line.sentence:
            continue
        if _tag_line(line):
            reasons[i] = (Reason.TAGS, f"{where}_tag_list")
        elif line.words <= 2 * config.short_line_words:
            reasons[i] = (Reason.SITE_CHROME, f"{where}_short_line")


def _last_plain_list_item(lines: list[Line], kept: list[int]) -> int:
    """End of the last run of 3+ list items without links: a list of the story's own
    (a table of results, ingredients), which short items do not make chrome."""
    last, run = -1, 0
    for i in kept:
        line = lines[i]
        if line.kind is ParagraphKind.LIST_ITEM and line.link_share < LIST_LINKS:
            run += 1
            if run >= 3:
                last = i
        else:
            run = 0
    return last


def _first_plain_list(lines: list[Line], reasons: Reasons, start: int) -> int:
    """Start of the first run of 3+ list items in a row above the story, none linked nor
    removed: the story's own list opening it (the steps, the specs, the picks), as a menu
    above a story is made of links. `start` when there is none."""
    run = 0
    for i in range(start):
        line = lines[i]
        if (
            i not in reasons
            and line.kind is ParagraphKind.LIST_ITEM
            and line.link_share < LIST_LINKS
        ):
            run += 1
            if run >= 3:
                return _lead_in(lines, reasons, i - run + 1)
        else:
            run = 0
    return start


def _lead_in(lines: list[Line], reasons: Reasons, first: int) -> int:
    """`first`, or the line before it when that introduces the list: an unlinked line of
    text right above it, not removed ("Running speed can be raised with these codes")."""
    i = first - 1
    if i < 0 or i in reasons:
        return first
    line = lines[i]
    if line.kind is ParagraphKind.TEXT and line.link_share < LIST_LINKS:
        return i
    return first


def _tag_line(line: Line) -> bool:
    parts = [p.strip() for p in TAG_SEPARATORS.split(line.text) if p.strip()]
    return (
        len(parts) >= 2
        and all(len(p.split()) <= 3 for p in parts)
        and stopword_share(line.text) <= 0.1
    )


def drop_nav_runs(
    lines: list[Line], reasons: Reasons, config: CleanConfig, links_marked: bool | None = None
) -> None:
    """Three or more short lines in a row with hardly a stopword: a menu or link list.

    Where the page says which text is linked (HTML), a menu is made of links: a run of
    short unlinked lines is the story's own list or table (pros and cons, a spec sheet,
    the items of a guide), so most of the run must be linked too. Plain text carries no
    links, and there the words alone decide. On a page with links, list items are left
    to `passes.drop_link_items` and `drop_teaser_list`, which read their links and
    place. `links_marked` says which the page is; None tells it from the lines (a link
    in one of them).
    """
    if links_marked is None:
        links_marked = any(line.link_share > 0 for line in lines)
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            plain = sum(1 for i in run if stopword_share(lines[i].text) < 0.15)
            linked = sum(1 for i in run if lines[i].link_share >= LIST_LINKS)
            if plain * 2 > len(run) and (not links_marked or linked * 2 > len(run)):
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
            and not (links_marked and line.kind is ParagraphKind.LIST_ITEM)
        ):
            run.append(i)
        else:
            flush()
    flush()

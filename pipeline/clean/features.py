"""What the paragraph scorer reads of each paragraph: numbers that mean the same on any site.

No feature names a site, a phrase or a language. They describe a paragraph's shape
(words, sentences, end punctuation, capitals, digits), how much of it is link, how much
of it is the page's own function words, where it stands (relative position, distance to
the densest text), its place in the page's DOM (block tag, depth against the body's,
class/id words by kind, sectioning ancestors), what its neighbours look like, and which
hand rules hit it (as evidence, not verdicts). `FEATURES` names the columns; a model
file lists the names it was trained on and is refused when they differ.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pipeline.clean.language import page_stopwords
from pipeline.clean.lexicon import DATE, TAG_SEPARATORS, TRUNCATED, URL, WORD
from pipeline.clean.lines import Line, Reasons
from pipeline.model import Paragraph, ParagraphKind, Reason, Source

FAR = 9.0
"""The level given to a class/id word group found on none of the levels read."""
CAP = 50
"""Counts of paragraphs from the start or the end are capped here."""

NAME_GROUPS: dict[str, tuple[str, ...]] = {
    "body": ("article", "content", "post", "entry", "story", "body", "text", "prose", "main"),
    "comment": ("comment", "reply", "respond", "discuss", "disqus"),
    "related": ("related", "recommend", "popular", "trending", "teaser", "promo", "more"),
    "share": ("share", "sharing", "social", "follow"),
    "nav": ("nav", "menu", "breadcrumb", "masthead", "topbar", "header"),
    "footer": ("footer", "copyright", "bottom", "colophon"),
    "side": ("sidebar", "aside", "widget", "rail"),
    "ad": ("advert", "sponsor", "banner", "dfp", "adslot"),
    "signup": ("newsletter", "subscribe", "signup", "optin", "paywall", "modal", "popup"),
    "meta": ("author", "byline", "date", "meta", "tag", "categor", "time"),
    "caption": ("caption", "credit", "figure", "image", "photo", "media", "gallery"),
    "card": ("card", "list", "item", "grid", "tile", "thumb", "link"),
}
"""Kinds of class/id words, matched as prefixes of a word ("comments", "sidebar-left")."""
BLOCK_TAGS: dict[str, tuple[str, ...]] = {
    "p": ("p",),
    "li": ("li",),
    "h": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "cell": ("td", "th"),
    "div": ("div", "section", "article", "main"),
    "quote": ("blockquote", "pre", "q"),
    "caption": ("figcaption", "caption", "figure"),
    "term": ("dd", "dt"),
}
SECTIONS = ("article", "main", "aside", "nav", "footer", "header", "figure", "form", "table")
RULE_GROUPS: dict[str, frozenset[Reason]] = {
    "end_marker": frozenset({Reason.END_OF_ARTICLE}),
    "after_end": frozenset({Reason.AFTER_END_OF_ARTICLE}),
    "tail": frozenset({Reason.CREDITS, Reason.SOCIAL}),
    "preamble": frozenset(
        {Reason.DECK, Reason.BYLINE, Reason.BEFORE_TITLE, Reason.TITLE, Reason.ALTERNATE_HEADLINE}
    ),
    "chrome": frozenset({Reason.SITE_CHROME}),
    "teaser": frozenset({Reason.TEASER}),
    "navigation": frozenset({Reason.NAVIGATION, Reason.SEARCH_BOX, Reason.TAGS}),
    "fragment": frozenset({Reason.FRAGMENT}),
    "form": frozenset({Reason.COMMENT_FORM, Reason.NEWSLETTER, Reason.WIDGET}),
    "footer": frozenset({Reason.FOOTER, Reason.BOILERPLATE, Reason.THEME_WARNING}),
    "caption": frozenset({Reason.CAPTION}),
}
"""The rules' reasons, grouped: each group is one feature."""

_OWN = (
    "log_words", "log_chars", "sentences", "words_per_sentence", "ends_sentence",
    "ends_colon", "truncated", "starts_upper", "title_case", "digits", "upper",
    "commas", "separators", "link_share", "stopwords", "stopwords_vs_page", "has_url",
    "has_date", "heading", "list_item", "quote", "table", "rule_any",
    *(f"rule_{g}" for g in RULE_GROUPS),
)  # fmt: skip
_DOM = (
    "has_source", "depth", "depth_vs_body", "depth_off_body",
    *(f"tag_{t}" for t in BLOCK_TAGS), *(f"in_{s}" for s in SECTIONS),
    *(f"name_{g}" for g in NAME_GROUPS),
)  # fmt: skip
_PLACE = (
    "position", "from_start", "from_end", "words_before", "dense_offset", "dense_distance",
    "before_start", "after_last_body", "page_paragraphs", "page_words", "page_stopwords",
    "page_link_share",
)  # fmt: skip
_NEIGHBOUR = ("log_words", "link_share", "stopwords", "ends_sentence", "rule_any", "heading")
_WINDOW = ("stopwords", "link_share", "rule_any", "same_tag", "same_depth")
FEATURES: tuple[str, ...] = (
    *_OWN,
    *_DOM,
    *_PLACE,
    *(f"prev_{n}" for n in _NEIGHBOUR),
    *(f"next_{n}" for n in _NEIGHBOUR),
    *(f"window_{n}" for n in _WINDOW),
)
"""The feature columns, in order."""

_SENTENCE = re.compile(r"[.!?。！？]+[\"'”’)\]]*(\s|$)")
_KINDS = (ParagraphKind.HEADING, ParagraphKind.LIST_ITEM, ParagraphKind.QUOTE, ParagraphKind.TABLE)


def _own(
    line: Line, rule: Reason | None, stopwords: frozenset[str], page_stop: float
) -> list[float]:
    text = line.text
    words = WORD.findall(text)
    n = max(1, len(words))
    letters = sum(map(str.isalpha, text))
    sentences = len(_SENTENCE.findall(text)) or (1 if line.words >= 4 else 0)
    stop = sum(1 for w in words if w.lower() in stopwords) / n
    return [
        math.log1p(line.words),
        math.log1p(len(text)),
        float(sentences),
        line.words / max(1, sentences),
        float(line.sentence),
        float(text.endswith(":")),
        float(bool(TRUNCATED.search(text))),
        float(text[:1].isupper()),
        sum(1 for w in words if w[:1].isupper()) / n,
        sum(map(str.isdigit, text)) / max(1, len(text)),
        sum(map(str.isupper, text)) / max(1, letters),
        text.count(",") / n,
        len(TAG_SEPARATORS.findall(text)) / n,
        line.link_share,
        stop,
        stop / page_stop if page_stop > 0 else 0.0,
        float(bool(URL.search(text))),
        float(bool(DATE.search(text))),
        *(float(line.kind is kind) for kind in _KINDS),
        float(rule is not None),
        *(float(rule in group) for group in RULE_GROUPS.values()),
    ]


@functools.lru_cache(maxsize=4096)
def _name_levels(names: frozenset[str]) -> tuple[float, ...]:
    """For each of `NAME_GROUPS`, the nearest level holding one of its words (or `FAR`).
    Cached: the paragraphs of one block share their names."""
    best = dict.fromkeys(NAME_GROUPS, FAR)
    for name in names:
        level_text, _, word = name.partition(":")
        level = float(level_text)
        for group, prefixes in NAME_GROUPS.items():
            if level < best[group] and word.startswith(prefixes):
                best[group] = level
    return tuple(best.values())


def _dom(source: Source | None, body_depth: float) -> list[float]:
    if source is None:
        blanks = len(_DOM) - 4
        return [
            0.0,
            -1.0,
            0.0,
            FAR,
            *([0.0] * (blanks - len(NAME_GROUPS))),
            *[FAR] * len(NAME_GROUPS),
        ]
    offset = source.depth - body_depth
    return [
        1.0,
        float(source.depth),
        offset,
        abs(offset),
        *(float(source.tag in tags) for tags in BLOCK_TAGS.values()),
        *(float(section in source.ancestors) for section in SECTIONS),
        *_name_levels(source.names),
    ]


def _body_depth(paragraphs: Sequence[Paragraph], lines: Sequence[Line]) -> float:
    """The depth holding most of the page's words: where the story's paragraphs sit."""
    weight: dict[int, int] = {}
    for paragraph, line in zip(paragraphs, lines, strict=True):
        if paragraph.source is not None:
            weight[paragraph.source.depth] = weight.get(paragraph.source.depth, 0) + line.words
    return float(max(weight, key=lambda d: (weight[d], -d))) if weight else 0.0


def _densest(words: npt.NDArray[np.float64], stop: npt.NDArray[np.float64]) -> int:
    """The centre of the five paragraphs holding the most prose words."""
    prose = words * (0.5 + stop)
    window = np.convolve(prose, np.ones(5), mode="same")
    return int(np.argmax(window))


def _place(
    lines: Sequence[Line], own: npt.NDArray[np.float64], start: int, reasons: Reasons
) -> npt.NDArray[np.float64]:
    n = len(lines)
    words = np.array([line.words for line in lines], dtype=np.float64)
    stop = own[:, _OWN.index("stopwords")]
    links = own[:, _OWN.index("link_share")]
    index = np.arange(n, dtype=np.float64)
    before = np.concatenate([[0.0], np.cumsum(words)[:-1]]) / max(1.0, words.sum())
    dense = _densest(words, stop)
    kept_body = [i for i in range(n) if i not in reasons and lines[i].words >= 20]
    last_body = kept_body[-1] if kept_body else n - 1
    total = max(1.0, words.sum())
    columns = [
        index / max(1, n - 1),
        np.minimum(index, CAP),
        np.minimum(n - 1 - index, CAP),
        before,
        (index - dense) / max(1, n),
        np.log1p(np.abs(index - dense)),
        (index < start).astype(np.float64),
        (index > last_body).astype(np.float64),
        np.full(n, math.log1p(n)),
        np.full(n, math.log1p(total)),
        np.full(n, float((stop * words).sum() / total)),
        np.full(n, float((links * words).sum() / total)),
    ]
    return np.stack(columns, axis=1)


def _neighbours(own: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    columns = [_OWN.index(name) for name in _NEIGHBOUR]
    picked = own[:, columns]
    edge = np.full((1, len(columns)), -1.0)
    previous = np.concatenate([edge, picked[:-1]])
    following = np.concatenate([picked[1:], edge])
    return np.concatenate([previous, following], axis=1)


def _window(
    own: npt.NDArray[np.float64], paragraphs: Sequence[Paragraph]
) -> npt.NDArray[np.float64]:
    """Means over the two paragraphs on each side: the neighbourhood a paragraph is in."""
    n = len(paragraphs)
    tags = [p.source.tag if p.source else "" for p in paragraphs]
    depths = [p.source.depth if p.source else -1 for p in paragraphs]
    same_tag = np.zeros(n)
    same_depth = np.zeros(n)
    base = own[:, [_OWN.index("stopwords"), _OWN.index("link_share"), _OWN.index("rule_any")]]
    means = np.zeros((n, 3))
    for i in range(n):
        around = [j for j in range(max(0, i - 2), min(n, i + 3)) if j != i]
        if not around:
            continue
        means[i] = base[around].mean(axis=0)
        same_tag[i] = sum(tags[j] == tags[i] for j in around) / len(around)
        same_depth[i] = sum(depths[j] == depths[i] for j in around) / len(around)
    return np.concatenate([means, same_tag[:, None], same_depth[:, None]], axis=1)


def feature_matrix(
    paragraphs: Sequence[Paragraph],
    lines: Sequence[Line],
    reasons: Reasons,
    start: int,
    language: str | None = None,
) -> npt.NDArray[np.float64]:
    """One row per paragraph, the columns of `FEATURES`."""
    if not paragraphs:
        return np.zeros((0, len(FEATURES)))
    stopwords = page_stopwords(language, (p.text for p in paragraphs))
    all_words = [w.lower() for line in lines for w in WORD.findall(line.text)]
    page_stop = sum(1 for w in all_words if w in stopwords) / max(1, len(all_words))
    own = np.array(
        [
            _own(line, reasons[i][0] if i in reasons else None, stopwords, page_stop)
            for i, line in enumerate(lines)
        ],
        dtype=np.float64,
    )
    body_depth = _body_depth(paragraphs, lines)
    dom = np.array([_dom(p.source, body_depth) for p in paragraphs], dtype=np.float64)
    matrix = np.concatenate(
        [own, dom, _place(lines, own, start, reasons), _neighbours(own), _window(own, paragraphs)],
        axis=1,
    )
    return matrix

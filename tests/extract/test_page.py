"""HTML extraction on real pages (tests/fixtures/html) and on small hand-made ones.

For each real page: the metadata it carries, the kinds of paragraphs it holds, story
paragraphs that must survive the whole pipeline and chrome that must not.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

import pytest
from lxml import etree, html

from pipeline.config import ExtractConfig, PipelineConfig
from pipeline.errors import ExtractionError
from pipeline.extract.page import body_paragraphs, extract_html, parse_html
from pipeline.model import Article, ParagraphKind, RawDocument
from pipeline.process import process_document
from tests.support import FIXTURES

HTML = FIXTURES / "html"


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    title: str
    author: str
    date: str
    story: tuple[str, ...]
    chrome: tuple[str, ...]
    kinds: frozenset[ParagraphKind] = field(default_factory=lambda: frozenset({ParagraphKind.TEXT}))


PAGES = [
    Page(
        file="cbssports-nfl.html.gz",
        url="https://www.cbssports.com/nfl/news/browns-player-on-mason-rudolphs-role-in-fight-with-myles-garrett-he-asked-for-it/",
        title="Browns player on Mason Rudolph's role in fight with Myles Garrett: He asked for it",
        author="Bryan DeArdo",
        # The header reads "Nov 18, 2019 at 9:24 pm ET"; the markup's UTC stamp is the 19th.
        date="2019-11-18",
        story=(
            "The Steelers spent Monday trying to distance themselves",
            "Browns DL Sheldon Richardson, however, decided to weigh in",
            "I like the fact that we lost to them, so we get another shot",
        ),
        chrome=(
            "Pick Six Newsletter",  # newsletter widget
            "Keep an eye on your inbox",
            "There was an error processing your subscription",
            "Gronk, Serena perform with Laker Girls",  # list of other stories
            "Rams top Bears as offenses struggle",
            "One member of the Browns' defense didn't hold back",  # deck above the story
        ),
    ),
    Page(
        file="cbssports-euro2020.html.gz",
        url="https://www.cbssports.com/soccer/news/uefa-euro-2020-qualifying-tracking-every-team-to-clinch-a-spot-as-wales-punches-ticket/",
        title="UEFA Euro 2020 qualifying: Tracking every team to clinch a spot"
        " as Wales punches ticket",
        author="Roger Gonzalez",
        date="2019-11-19",
        story=(
            "Euro 2020 qualifying is over. Well, sort of.",
            "There's still a chance for these teams",  # a subheading
            "England (Group A): 10th appearance",  # the story's own list, short items
            "Wales (Group E): Second appearance",
        ),
        chrome=(
            "Pochettino fired by Tottenham",
            "USMNT gets revenge on Canada in Nations League",
            "Twenty teams have punched tickets for next summer's tournament",
        ),
        kinds=frozenset({ParagraphKind.TEXT, ParagraphKind.HEADING, ParagraphKind.LIST_ITEM}),
    ),
    Page(
        file="livescience-simulation.html.gz",
        url="https://www.livescience.com/most-detailed-universe-simulation.html",
        title="Physicists Just Created the Most Detailed Simulation of the Universe in History",
        author="Tim Childers",
        date="2019-11-19",
        story=(
            "The formation of galaxies is a complex dance between matter and energy",
            "There's a huge road ahead of us now that we have these simulations completed",
        ),
        chrome=(
            "Related: From Big Bang to Present",
            "Related: The 15 Weirdest Galaxies in Our Universe",
            "11 Fascinating Facts About Our Milky Way Galaxy",
        ),
    ),
    Page(
        file="barrons-home-depot.html.gz",
        url="https://www.barrons.com/articles/home-depot-stock-earnings-report-51574168486",
        title="Home Depot Stock Is Falling After Its Earnings Release. Why You Shouldn’t Worry.",
        author="Al Root",
        date="2019-11-19",
        story=(
            "Shares of construction goods giant Home Depot are dropping in premarket trading",
            "Home Depot (ticker: HD) reported $2.53 in per-share earnings",
        ),
        chrome=(
            "This copy is for your personal, non-commercial use only",
            "Order Reprints",
            "Write to Al Root at",
            "An error has occurred, please try again later.",
            "Copyright ©2019 Dow Jones",
            "https://www.barrons.com/articles/",
        ),
    ),
]


def _params() -> list[object]:
    return [pytest.param(page, id=page.file.removesuffix(".html.gz")) for page in PAGES]


def _markup(page: Page) -> str:
    return gzip.decompress((HTML / page.file).read_bytes()).decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    out = {}
    for page in PAGES:
        raw = RawDocument(source=page.file, data=(HTML / page.file).read_bytes(), url=page.url)
        outcome = process_document(_gunzipped(raw), PipelineConfig())
        assert isinstance(outcome, Article), outcome
        out[page.file] = outcome
    return out


def _gunzipped(raw: RawDocument) -> RawDocument:
    return RawDocument(raw.source, gzip.decompress(raw.data), url=raw.url)


@pytest.mark.parametrize("page", _params())
def test_metadata(page: Page) -> None:
    metadata, _ = extract_html(_markup(page), ExtractConfig(), url=page.url)
    assert metadata.title == page.title
    assert metadata.author == page.author
    assert metadata.date == page.date
    assert metadata.url == page.url
    assert metadata.site


@pytest.mark.parametrize("page", _params())
def test_paragraph_kinds(page: Page, articles: dict[str, Article]) -> None:
    assert {p.kind for p in articles[page.file].paragraphs} == page.kinds


@pytest.mark.parametrize("page", _params())
def test_story_paragraphs_survive(page: Page, articles: dict[str, Article]) -> None:
    article = articles[page.file]
    for phrase in page.story:
        assert sum(phrase in p.text for p in article.paragraphs) == 1, phrase


@pytest.mark.parametrize("page", _params())
def test_chrome_is_removed_with_a_reason(page: Page, articles: dict[str, Article]) -> None:
    article = articles[page.file]
    for phrase in page.chrome:
        assert phrase not in article.text, phrase
        # Removed by cleaning (recorded), not silently lost in extraction.
        assert any(phrase in r.text and r.reason for r in article.removed), phrase


@pytest.mark.parametrize("page", _params())
def test_title_is_not_repeated_in_body(page: Page, articles: dict[str, Article]) -> None:
    assert all(p.text != page.title for p in articles[page.file].paragraphs)


def _page(body: str) -> str:
    filler = "".join(
        f"<p>Paragraph {i} of the story, long enough to count as running prose for sure.</p>"
        for i in range(3)
    )
    return (
        f"<html><head><title>T</title></head><body><article>{filler}{body}</article></body></html>"
    )


def test_loose_text_between_headings_is_kept() -> None:
    # The shape trafilatura returns for text a page put straight under its container
    # (seen on a deals page of the benchmark): bare text and tails beside <head>s.
    body = etree.fromstring(
        "<body><head rend='h2'>First deal</head>Loose text of the first deal."
        "<head rend='h2'>Second deal</head>Loose text <hi>of the</hi> second deal."
        "<p>A paragraph.</p>Tail text after it.</body>"
    )
    paragraphs = body_paragraphs(body)
    assert [(p.kind, p.text) for p in paragraphs] == [
        (ParagraphKind.HEADING, "First deal"),
        (ParagraphKind.TEXT, "Loose text of the first deal."),
        (ParagraphKind.HEADING, "Second deal"),
        (ParagraphKind.TEXT, "Loose text of the second deal."),
        (ParagraphKind.TEXT, "A paragraph."),
        (ParagraphKind.TEXT, "Tail text after it."),
    ]


def test_link_share_is_measured() -> None:
    markup = _page(
        '<p><a href="/other">Another story entirely, all of it a link to elsewhere</a></p>'
        '<p>Half of this paragraph is plain text and <a href="/x">half is a link</a>.</p>'
    )
    _, paragraphs = extract_html(markup, ExtractConfig())
    shares = {p.text[:12]: p.link_share for p in paragraphs}
    assert shares["Another stor"] == 1.0
    assert 0.2 < shares["Half of this"] < 0.5
    assert shares["Paragraph 0 "] == 0.0


def test_nested_list_items_are_not_repeated() -> None:
    markup = _page(
        "<ul><li>Outer item one<ul><li>Inner item a</li><li>Inner item b</li></ul></li>"
        "<li>Outer item two</li></ul>"
    )
    _, paragraphs = extract_html(markup, ExtractConfig())
    items = [p.text for p in paragraphs if p.kind is ParagraphKind.LIST_ITEM]
    assert items == ["Outer item one", "Inner item a", "Inner item b", "Outer item two"]


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param("   ", id="blank"),
        pytest.param("<html><body>" + "<div>" * 500 + "x" + "</div>" * 500, id="too-deep"),
    ],
)
def test_unusable_pages_raise_extraction_error(markup: str) -> None:
    with pytest.raises(ExtractionError):
        extract_html(markup, ExtractConfig())


@pytest.mark.parametrize(
    ("canonical", "given", "expected"),
    [
        ("javascript:alert(1)", None, None),
        ("javascript:alert(1)", "https://given.example/a", "https://given.example/a"),
        ("data:text/html,<script>alert(1)</script>", None, None),
        ("/relative/story", None, None),
        ("/relative/story", "javascript:alert(1)", None),
        ("https://news.example/story", None, "https://news.example/story"),
    ],
)
def test_page_url_is_an_http_url_or_none(
    canonical: str, given: str | None, expected: str | None
) -> None:
    body = "".join(
        f"<p>{'Council story text that goes on for a while. ' * 4}</p>" for _ in range(3)
    )
    markup = (
        f'<html><head><title>Story</title><link rel="canonical" href="{canonical}">'
        f'<meta property="og:url" content="{canonical}"></head>'
        f"<body><article>{body}</article></body></html>"
    )
    metadata, _ = extract_html(markup, ExtractConfig(), url=given)
    assert metadata.url == expected


def test_the_parsed_page_is_one_element_class_that_trafilatura_accepts() -> None:
    """Every element, form controls too, is a plain `HtmlElement`, so trafilatura and
    htmldate take the tree as a parsed page (they test for `HtmlElement`)."""
    markup = (
        "<html><body><form><input name='q'><select><option>a</option></select>"
        "<textarea>t</textarea><label>l</label></form><p>text</p></body></html>"
    )
    tree = parse_html(markup, 400)
    assert {type(e) for e in tree.iter(etree.Element)} == {html.HtmlElement}

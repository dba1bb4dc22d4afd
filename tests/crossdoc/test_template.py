"""Site boilerplate learned from the corpus."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.config import CrossdocConfig
from pipeline.crossdoc import apply_crossdoc
from pipeline.crossdoc.template import site_of
from pipeline.model import Article, Reason
from tests.support import make_record

TEMPLATE = (
    "Example Daily is funded by readers like you: become a member today and read every "
    "story without limits."
)
NO_INDEX = CrossdocConfig(index="off")


def stories(seed_articles: dict[str, Article]) -> list[list[str]]:
    return [
        [p.text for p in seed_articles[s].paragraphs][:6]
        for s in ("000", "001", "002", "003", "004")
    ]


@pytest.mark.parametrize(
    ("pages", "site", "url", "removed"),
    [
        pytest.param(4, "Example Daily", None, True, id="site-name-4-pages"),
        pytest.param(4, None, "https://www.example.com/news/{i}", True, id="url-host-4-pages"),
        pytest.param(2, "Example Daily", None, False, id="only-2-pages"),
        pytest.param(4, None, None, False, id="no-site-text-dumps"),
    ],
)
def test_template_paragraph_on_many_pages_is_removed(
    seed_articles: dict[str, Article], pages: int, site: str | None, url: str | None, removed: bool
) -> None:
    bodies = stories(seed_articles)[:pages]
    records = [
        make_record(
            [*body[:3], TEMPLATE + " Thanks!" if i == 1 else TEMPLATE, *body[3:]],
            f"site/{i}.txt",
            site=site,
            url=url.format(i=i) if url else None,
        )
        for i, body in enumerate(bodies)
    ]
    result = apply_crossdoc(records, NO_INDEX)
    for record in result.articles:
        assert ("funded by readers" in record["text"]) is not removed
        gone = [r for r in record["removed"] if r["reason"] == Reason.SITE_BOILERPLATE]
        assert len(gone) == (1 if removed else 0)
        if removed:
            assert gone[0]["position"] == 3
    assert result.counts.site_boilerplate_removed == (pages if removed else 0)


def test_copies_of_one_story_are_one_page(seed_articles: dict[str, Article]) -> None:
    """Three captures of the same story must not turn its paragraphs into template."""
    body = [p.text for p in seed_articles["001"].paragraphs]
    records = [make_record(body, f"capture/{i}.txt", site="Example Daily") for i in range(3)]
    result = apply_crossdoc(records, NO_INDEX)
    assert result.counts.site_boilerplate_removed == 0
    assert [r["duplicate_of"] is None for r in result.articles] == [True, False, False]


def test_folder_as_site_is_opt_in(seed_articles: dict[str, Article]) -> None:
    bodies = stories(seed_articles)[:4]
    records = [make_record([*b, TEMPLATE], f"dumps/example/{i}.txt") for i, b in enumerate(bodies)]
    config = dataclasses.replace(NO_INDEX, site_from_folder=True)
    assert apply_crossdoc(records, config).counts.site_boilerplate_removed == 4


@pytest.mark.parametrize(
    ("site", "url", "source", "folder", "expected"),
    [
        pytest.param(" Reuters ", None, "a.txt", False, "reuters", id="name"),
        pytest.param(None, "https://www.nytimes.com/x", "a", False, "nytimes.com", id="host"),
        pytest.param(None, None, "d/a.txt", False, None, id="none"),
        pytest.param(None, None, "d/a.warc#12", True, "folder:d", id="folder"),
    ],
)
def test_site_of(
    site: str | None, url: str | None, source: str, folder: bool, expected: str | None
) -> None:
    assert site_of(site, url, source, folder) == expected

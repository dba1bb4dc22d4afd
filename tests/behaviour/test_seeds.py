"""What the five real seed dumps must give: every story paragraph, none of the chrome.

Each expectation names a paragraph by a phrase from it, so a failure says exactly which
story paragraph was lost or which piece of chrome survived.
"""

from __future__ import annotations

import pytest

from pipeline.model import Article
from tests.support import seed_path

STORY = {
    "000": [
        "NEW YORK/HONG KONG: Chinese-owned social media platform TikTok",
        "Major US internet companies including Facebook",
        "Apple said it does not receive requests for user content",
        "A source familiar with TikTok’s decision to exit Hong Kong",
        "China’s parliament passed the national security legislation",
        "Messaging app Signal, which promises end-to-end encryption",
        "“We’d announce that we’re stopping too",
    ],
    "001": [
        "TikTok said Tuesday it would cease operations in Hong Kong",
        "TikTok said in a statement that it had decided to suspend operations",
        "Telegram, whose platform has been widely used",
        "“Telegram has never shared data with Hong Kong authorities",
        "Google also said it had “halted the production",
        "Service providers who fail to comply with these requests",
        "Written notices or restraining orders may also be issued",
    ],
    "002": [
        "has consistently denied sharing any user data with authorities in China",
        "Despite its ownership, TikTok has never been available in China",
        "“We’re actively monitoring the developments in Hong Kong SAR",
        "Google announced a freeze on cooperation later that day",
        "After controversial laws were imposed by the Chinese central government",
        "They allow police to enter and search premises",
        "The freezing of relations between technology companies",
        "In a statement an Apple spokesman said",
        "Following the approval of the security law, books by pro-democracy figures",
        "The taskforce should “crack down on all kinds of infiltration",
    ],
    "003": [
        "Google, Facebook and Twitter said on Monday that they would temporarily",
        "TikTok went even further than the American companies on Monday",
        "The companies have much to lose.",
        "Riva Sciuto, a Google spokeswoman, said",
        "The government said that if an internet company failed to comply",
        "Going along with the law may be unpopular in the United States",
    ],
    "004": [
        "In response to China’s enactment of Hong Kong’s National Security Law",
        "Facebook, WhatsApp, Google, Twitter hit pause",
        "“We believe freedom of expression is a fundamental human right",
        "TikTok will quit operations in the city",
        "ProtonMail refuses to share data with HK police",
        "Signal has no data to share",
        "In a cheeky response to HKFP’s article about Telegram",
        "***Update (July 8, 2020 5:48 pm): Updated with ProtonMail’s stance.",
        "***Update (July 8, 2020 11:01 am): Updated with Twitter’s response",
    ],
}

CHROME = {
    "000": [
        "FILE PHOTO: A TikTok logo",
        "Leave a Reply",
        "Your email address will not be published",
        "Next Post",
        "In Hong Kong national security law, echoes of China's own cyber crackdown",
        "Social menu is not set",
        "Z24 News",
    ],
    "001": [
        "Protesters carry the flag that reads",
        "Chinese President Xi Jinping voted on Hong Kong’s national security law",
        "Please enter your comment!",
        "Please enter your name here",
    ],
    "002": [
        "This article is from the source",
        "won't be checked again for changes",
        "(about 3 hours later)",
    ],
    "003": [
        "Skip to content",
        "Advertisement",
        "Continue reading the main story",
        "Supported by",
        "Site Index",
        "The New York Times Company",
        "Credit...",
        "To avoid slogans that are banned",
        "Terms of Service",
    ],
    "004": [
        "wordpress blog stats",
        "Connect with us",
        "Hi, what are you looking for?",
        "Hong Kong, protest",
        "By Rahul Rai and Shruti Aji Murali",
        "You May Also Like",
        "Subscribe to our daily newsletter",
        "Your email address:",
        "Developed By PixelVJ",
        "© 2008-2021 Mixed Bag Media",
        "This article is being posted here courtesy of The Wire",
    ],
}


def _cases(table: dict[str, list[str]]) -> list[object]:
    return [
        pytest.param(seed, phrase, id=f"{seed}-{phrase[:32]}")
        for seed, phrases in table.items()
        for phrase in phrases
    ]


@pytest.mark.parametrize(("seed", "phrase"), _cases(STORY))
def test_story_paragraph_survives(
    seed_articles: dict[str, Article], seed: str, phrase: str
) -> None:
    article = seed_articles[seed]
    assert sum(phrase in p.text for p in article.paragraphs) == 1, phrase


@pytest.mark.parametrize(("seed", "phrase"), _cases(CHROME))
def test_chrome_is_gone(seed_articles: dict[str, Article], seed: str, phrase: str) -> None:
    article = seed_articles[seed]
    assert phrase not in article.text
    assert phrase != article.metadata.title


@pytest.mark.parametrize(
    ("seed", "titles"),
    [
        pytest.param(
            "000",
            {"TikTok quits Hong Kong as US giants suspend processing data requests"},
            id="000",
        ),
        pytest.param("001", {"TikTok leaves Hong Kong amid concerns over security law"}, id="001"),
        pytest.param(
            "002",
            {
                "TikTok pulls out of Hong Kong as police get sweeping new powers",
                "Apple under pressure to act after TikTok pulls out of Hong Kong",
            },
            id="002",
        ),
        pytest.param(
            "003", {"TikTok to Withdraw From Hong Kong as Tech Giants Halt Data Requests"}, id="003"
        ),
        pytest.param(
            "004",
            {"Big Tech hit pause on sharing data with law enforcement in Hong Kong"},
            id="004",
        ),
    ],
)
def test_title_is_the_headline(
    seed_articles: dict[str, Article], seed: str, titles: set[str]
) -> None:
    article = seed_articles[seed]
    assert article.metadata.title in titles
    assert not any(p.text in titles for p in article.paragraphs)


def test_003_metadata_from_markdown(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["003"]
    assert article.metadata.author == "Paul Mozur"
    assert article.metadata.date == "2020-07-06"
    assert article.format.value == "markdown"


REVISION_PAIRS = [
    pytest.param(
        "TikTok is to pull its app from Hong Kong app stores",
        "TikTok is to withdraw from Hong Kong app stores",
        id="pull-vs-withdraw",
    ),
    pytest.param(
        "TikTok, which is owned by China-based ByteDance",
        "TikTok, a video-sharing social-networking platform",
        id="owned-by-bytedance",
    ),
    pytest.param(
        "The decision, which a spokesperson said was made",
        "TikTok’s decision, which a spokesperson said was made",
        id="decision",
    ),
    pytest.param(
        "Zoom was criticised last month after it admitted",
        "Zoom was criticised last month after it admitted",
        id="zoom-criticised",
    ),
]


@pytest.mark.parametrize(("first", "second"), REVISION_PAIRS)
def test_002_revision_pair_leaves_one(
    seed_articles: dict[str, Article], first: str, second: str
) -> None:
    article = seed_articles["002"]
    holders = {i for i, p in enumerate(article.paragraphs) if first in p.text or second in p.text}
    assert len(holders) == 1
    dropped = [r for r in article.removed if first in r.text or second in r.text]
    assert dropped and all(r.reason == "duplicate" for r in dropped)
    assert all(r.duplicate_of in holders and r.similarity for r in dropped)


def test_002_containment_case_leaves_one(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["002"]
    merged = [
        i
        for i, p in enumerate(article.paragraphs)
        if "Hours after TikTok’s announcement" in p.text and "A spokesman for Zoom said" in p.text
    ]
    assert len(merged) == 1
    assert not any("Just hours after Tik Tok" in p.text for p in article.paragraphs)
    assert sum("A spokesman for Zoom said" in p.text for p in article.paragraphs) == 1
    contained = [r for r in article.removed if r.text.startswith("A spokesman for Zoom said")]
    # The rule names the measure, then the revision gate's evidence (why dedupe fired).
    measure, _, why = contained[0].rule.partition("; ")
    assert measure == "containment"
    assert why.startswith("revision dump: ")
    assert contained[0].duplicate_of == merged[0]
    assert contained[0].similarity == 1.0


LATER_WORDING = [
    pytest.param(
        "TikTok is to withdraw from Hong Kong app stores",
        "TikTok is to pull its app from Hong Kong app stores",
        id="withdraw-not-pull",
    ),
    pytest.param(
        "TikTok, a video-sharing social-networking platform",
        "TikTok, which is owned by China-based ByteDance",
        id="video-sharing-not-owned-by",
    ),
    pytest.param(
        "TikTok’s decision, which a spokesperson said was made",
        "The decision, which a spokesperson said was made",
        id="tiktoks-decision",
    ),
]


@pytest.mark.parametrize(("later", "earlier"), LATER_WORDING)
def test_002_keeps_the_later_wording(
    seed_articles: dict[str, Article], later: str, earlier: str
) -> None:
    """The dump lists each paragraph's revisions in order: the later one is kept, and
    the earlier one is recorded as its duplicate."""
    article = seed_articles["002"]
    (kept,) = [i for i, p in enumerate(article.paragraphs) if later in p.text]
    assert not any(earlier in p.text for p in article.paragraphs)
    (old,) = [r for r in article.removed if earlier in r.text]
    assert old.reason == "duplicate" and old.duplicate_of == kept


def test_other_seeds_have_no_duplicates(seed_articles: dict[str, Article]) -> None:
    """No revision dump, no in-document dedupe: nothing there repeats as revisions do."""
    for seed in ("000", "001", "003", "004"):
        assert not [r for r in seed_articles[seed].removed if r.reason == "duplicate"], seed


def test_every_seed_is_a_text_or_markdown_article() -> None:
    for prefix in ("000", "001", "002", "004"):
        assert seed_path(prefix).suffix == ".txt"

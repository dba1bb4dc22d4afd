"""The report in a real browser: Debian's headless Chromium, driven by Selenium.

lxml (test_render.py) proves what the markup is; only a browser proves what runs:
no script from an input executes, links resolve in the live DOM, details open when a
link points inside them, and the page can be driven from the keyboard. A screenshot is
saved as output/report.png (and report-article.png) for people to look at.

Selenium is given /usr/bin/chromedriver explicitly, so Selenium Manager downloads
nothing. CI installs chromium and chromium-driver (.ci/run); elsewhere the test skips
if they are missing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import PipelineConfig
from pipeline.output.names import ARTICLES, QUARANTINE, REPORT
from pipeline.runtime import run
from tests.support import FIXTURES, ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
        "chromium-driver; .ci/run installs them)",
    ),
]

HOSTILE_NAME = "<img src=x onerror=window.__pwned=3>.txt"


@pytest.fixture(scope="module")
def report_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus hostile inputs: an article about XSS and a lightly edited repost of
    it (a syndicated pair), and a file whose *name* is an HTML payload and whose content
    is empty (so it is quarantined)."""
    base = tmp_path_factory.mktemp("browser")
    (base / HOSTILE_NAME).write_bytes(b"")
    out = base / "out"
    inputs = [str(SEEDS), str(FIXTURES / "report"), str(base / HOSTILE_NAME)]
    run(inputs, out, PipelineConfig())
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="newsclean-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1366,850",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def records(out: Path, name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (out / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def page(browser: Any, report_out: Path) -> Any:
    browser.get((report_out / REPORT).as_uri())
    return browser


def test_no_input_script_ran(page: Any, report_out: Path) -> None:
    articles = records(report_out, ARTICLES)
    quarantined = records(report_out, QUARANTINE)
    assert any("<script>" in (a["title"] or "") for a in articles), "fixture lost its payload"
    assert any(HOSTILE_NAME in q["source"] for q in quarantined), "fixture not quarantined"
    assert page.execute_script("return typeof window.__pwned") == "undefined"
    assert page.title == "newsclean run report"
    assert page.execute_script("return document.scripts.length") == 0
    assert page.execute_script("return document.querySelectorAll('img, iframe').length") == 0
    headings = page.execute_script(
        "return [...document.querySelectorAll('article h3')].map(h => h.textContent)"
    )
    assert any("<script>document.title='pwned'</script>" in h for h in headings)
    rows = page.execute_script(
        "return [...document.querySelectorAll('tr.quarantined')].map(r => r.textContent)"
    )
    assert any(HOSTILE_NAME in r for r in rows)


def test_dom_counts_match_the_jsonl(page: Any, report_out: Path) -> None:
    articles = records(report_out, ARTICLES)
    counts = page.execute_script(
        "return {articles: document.querySelectorAll('article.article').length,"
        " removed: document.querySelectorAll('.removed-para').length,"
        " kept: document.querySelectorAll('.para.kept').length,"
        " quarantined: document.querySelectorAll('tr.quarantined').length}"
    )
    assert counts == {
        "articles": len(articles),
        "removed": sum(len(a["removed"]) for a in articles),
        "kept": sum(len(a["paragraphs"]) for a in articles),
        "quarantined": len(records(report_out, QUARANTINE)),
    }


def test_every_in_page_link_resolves(page: Any) -> None:
    missing = page.execute_script(
        "return [...document.querySelectorAll('[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href'))"
        ".filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))"
    )
    total = page.execute_script("return document.querySelectorAll('[href^=\"#\"]').length")
    assert missing == []
    assert total > 150  # article, paragraph, duplicate and chart links


def test_following_a_duplicate_link_lands_on_the_kept_paragraph(page: Any) -> None:
    link = page.execute_script(
        "const a = document.querySelector('.removed-para .why a[href^=\"#\"]');"
        "a.closest('details').open = true; return a"
    )
    href = link.get_attribute("href").split("#", 1)[1]
    link.click()
    assert page.execute_script("return location.hash") == f"#{href}"
    assert page.execute_script("return document.querySelector(':target').id") == href


def test_a_link_into_closed_details_opens_them(page: Any) -> None:
    target = page.execute_script(
        "const el = [...document.querySelectorAll('.removed-para')]"
        ".find(e => !e.closest('details').open); return el.id"
    )
    page.execute_script("location.hash = arguments[0]", f"#{target}")
    opened = page.execute_script(
        "return document.getElementById(arguments[0]).closest('details').open", target
    )
    assert opened is True


def test_keyboard_reaches_the_articles(page: Any, report_out: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page.get((report_out / REPORT).as_uri())
    ActionChains(page).send_keys(Keys.TAB).perform()
    active = page.execute_script("return document.activeElement.className")
    assert active == "skip"
    ActionChains(page).send_keys(Keys.ENTER).perform()
    assert page.execute_script("return location.hash") == "#articles"
    # a removed block opens with the keyboard: focus its summary, press Enter
    page.execute_script("document.querySelector('details.removed > summary').focus()")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    assert page.execute_script("return document.querySelector('details.removed').open") is True


def test_syndicated_pair_shows_as_a_cluster(page: Any, report_out: Path) -> None:
    articles = records(report_out, ARTICLES)
    copies = [a for a in articles if a.get("duplicate_of")]
    assert copies, "the repost fixture is no longer called a near copy"
    page.get((report_out / REPORT).as_uri())
    clusters = page.execute_script(
        "return [...document.querySelectorAll('.document-cluster')].map(c => ["
        " c.querySelector('li .canonical') !== null,"
        " [...c.querySelectorAll('a')].map(a => a.getAttribute('href'))])"
    )
    canonical_hrefs = {f"#art-{c['duplicate_of']}" for c in copies}
    assert len(clusters) == len({c["duplicate_of"] for c in copies})
    for has_canonical, hrefs in clusters:
        assert has_canonical and hrefs[0] in canonical_hrefs
    for copy in copies:
        note = page.execute_script(
            "return document.querySelector(`#art-${arguments[0]} .copy-note a`)"
            ".getAttribute('href')",
            copy["id"],
        )
        assert note == f"#art-{copy['duplicate_of']}"


def test_screenshots(page: Any, report_out: Path) -> None:
    out = ROOT / "output"
    out.mkdir(exist_ok=True)
    page.get((report_out / REPORT).as_uri())
    assert page.save_screenshot(str(out / "report.png"))
    page.execute_script(
        "const a = [...document.querySelectorAll('article.article')]"
        ".find(a => a.querySelector('.removed-para.cat-revision'));"
        "a.querySelectorAll('details.removed').forEach(d => d.open = true);"
        "a.querySelector('.removed-para.cat-revision').scrollIntoView({block: 'center'})"
    )
    assert page.save_screenshot(str(out / "report-article.png"))
    assert (out / "report.png").stat().st_size > 10_000

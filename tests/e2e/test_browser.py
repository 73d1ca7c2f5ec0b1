"""End to end, in a real browser: every page in English and French, and each demo's sample."""

from pathlib import Path

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGES = browser.app_pages()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("ref", PAGES, ids=[ref.name for ref in PAGES])
def test_every_page_opens_without_exception(server, page, ref, lang):
    browser.open_page(page, server.url, ref.url_path, lang, t(ref.title_key, lang))
    assert browser.exception_count(page) == 0
    assert page.locator('[role="dialog"]').count() == 0  # e.g. Streamlit's "Page not found"
    # the app's own translated navigation, even on a deep link (not Streamlit's file list)
    assert t("nav.home", lang) in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert f"lang={lang}" in page.url  # the language is in the URL: a link reproduces the view


def test_language_survives_navigation(server, page):
    browser.open_page(page, server.url, "", "fr", t("home.title", "fr"))
    navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert t("nav.home", "fr") in navigation and t("section.about", "fr") in navigation  # the app's own, translated
    page.locator('[data-testid="stSidebarNav"] a', has_text=t("nav.sentiment", "fr")).first.click()
    page.get_by_role("heading", name=t("sentiment.title", "fr")).first.wait_for()
    browser.wait_until_idle(page)
    assert "lang=fr" in page.url


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sentiment_sample_shows_a_verdict(server, page, lang):
    browser.open_page(page, server.url, "sentiment", lang, t("sentiment.title", lang))
    page.get_by_role("button", name=t("sentiment.sample.fr_pos", lang)).click()
    page.get_by_text(t("sentiment.probabilities", lang)).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    verdict = "Verdict : " if lang == "fr" else "Verdict: "
    assert page.get_by_text(verdict).count() >= 1
    assert browser.exception_count(page) == 0


def test_sentiment_batch_downloads_its_table_as_csv(server, page):
    browser.open_page(page, server.url, "sentiment", "fr", t("sentiment.title", "fr"))
    page.get_by_role("tab", name=t("sentiment.tab_batch", "fr")).click()
    page.get_by_label(t("sentiment.batch_text", "fr")).fill("J'adore ce film\nQuel ennui, je suis parti avant la fin")
    page.get_by_role("button", name=t("sentiment.batch_run", "fr")).click()
    download = page.get_by_role("button", name=t("sentiment.batch_download", "fr"))
    download.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    with page.expect_download(timeout=60_000) as saved:  # the CSV is written only on the click
        download.click()
    rows = Path(saved.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and rows[1].startswith("J'adore ce film,"), rows
    browser.wait_until_idle(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 1  # the table outlives the download's rerun
    assert browser.exception_count(page) == 0


def test_html_in_user_text_is_shown_as_text(server, page):
    browser.open_page(page, server.url, "sentiment", "en", t("sentiment.title", "en"))
    page.get_by_label(t("sentiment.text_label", "en")).fill('<img src=x onerror="document.title=\'pwned\'"> I love it')
    page.get_by_role("button", name=t("sentiment.analyse", "en")).click()
    page.get_by_text(t("sentiment.probabilities", "en")).first.wait_for(timeout=120_000)
    assert page.title() != "pwned"
    assert browser.exception_count(page) == 0


def test_reduced_motion_visitors_get_no_animations(server, page):
    """With the system's reduced-motion setting the hub's stylesheet stops transitions; without it nothing changes."""
    animated_elements = """() => [...document.querySelectorAll('*')].filter((element) => {
        const style = getComputedStyle(element);
        return [style.transitionDuration, style.animationDuration].some((value) => value.split(',').some((part) => parseFloat(part) > 0));
    }).length"""
    try:
        page.emulate_media(reduced_motion="reduce")
        browser.open_page(page, server.url, "", "en", t("home.title", "en"))
        assert page.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")
        assert page.evaluate(animated_elements) == 0
        page.emulate_media(reduced_motion="no-preference")
        assert page.evaluate(animated_elements) > 0  # other visitors keep Streamlit's animations
    finally:
        page.emulate_media(reduced_motion="no-preference")


def test_load_driver_sees_runs_and_server_messages(server, page):
    """The load driver's page counters: a sample click makes the server start and finish a run, and
    the run is over only once the answer is there (a run kept in the session may never show as running)."""
    from dl_apps.tools import load

    context = page.context.browser.new_context(locale="en-GB")
    try:
        context.add_init_script(load.RUNS_OBSERVER)
        probe = context.new_page()
        browser.open_page(probe, server.url, "sentiment", "en", t("sentiment.title", "en"))
        before = probe.evaluate(load.ACTIVITY_JS)
        assert before["started"] >= 1 and before["finished"] >= 1  # the page's own first run came over the wrapped WebSocket
        probe.get_by_role("button", name=t("sentiment.sample.fr_pos", "en")).click()
        probe.wait_for_function(load.RUN_ENDED_JS, arg=before, timeout=120_000)
        probe.wait_for_timeout(load.QUIET_MS)
        after = probe.evaluate(load.ACTIVITY_JS)
        # at rest every run started has finished: as many of each (the protobuf reading counts no delta as either)
        assert after["started"] > before["started"] and after["finished"] - before["finished"] == after["started"] - before["started"]
        assert after["started"] == after["finished"]
        assert probe.get_by_text(t("sentiment.probabilities", "en")).count() >= 1
    finally:
        context.close()

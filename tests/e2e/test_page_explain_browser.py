"""End to end, in a real browser: the explanations page's three tabs, and markup safety of the word highlights."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _open_tab(page, lang: str, tab_key: str) -> None:
    page.get_by_role("tab", name=t(tab_key, lang)).click()
    browser.wait_until_idle(page)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_patient_sample_shows_shap_lime_and_agreement(server, page, lang):
    browser.open_page(page, server.url, "explain", lang, t("explain.title", lang))
    label = t("explain.patient", lang, i=0, label="").split("(")[0].strip()
    page.get_by_role("button", name=label).first.click()
    page.get_by_text(t("explain.agreement", lang)).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.get_by_text(t("explain.whatif", lang)).count() >= 1
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=30_000)  # the metric widget's code loads lazily
    assert page.locator('[data-testid="stMetric"]').count() >= 2
    assert f"lang={lang}" in page.url
    assert browser.exception_count(page) == 0


def test_text_tab_highlights_words_and_escapes_markup(server, page):
    browser.open_page(page, server.url, "explain", "en", t("explain.title", "en"))
    _open_tab(page, "en", "explain.tab_text")
    page.get_by_label(t("explain.text_label", "en")).fill('<img src=x onerror="document.title=\'pwned\'"> The film was wonderful')
    page.get_by_role("button", name=t("explain.run", "en")).first.click()  # hidden tabs are out of the accessibility tree
    page.locator("span.explain-word").first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.title() != "pwned"
    assert page.locator("span.explain-word", has_text="wonderful").count() == 2  # SHAP and LIME rows
    assert browser.exception_count(page) == 0


def test_digit_tab_draws_heat_maps(server, page):
    browser.open_page(page, server.url, "explain", "fr", t("explain.title", "fr"))
    _open_tab(page, "fr", "explain.tab_image")
    page.get_by_role("button", name=t("explain.digit", "fr", i=4), exact=True).click()
    page.get_by_text(t("explain.agreement", "fr")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.locator('[data-testid="stImage"]').count() >= 5
    assert browser.exception_count(page) == 0

"""End to end, in a real browser with the real Gemma 3 270M: a sample is continued, steering works, FR strings."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_lm_sample_is_continued_and_an_alternative_steers_it(server, page):
    page.goto(f"{server.url}/lm?lang=en&max_new_tokens=3&temperature=0")
    page.get_by_role("heading", name=t("lm.title", "en")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("lm.sample.en_fact", "en")).click()  # "The Eiffel Tower is in the city of"
    page.get_by_text("⟨ Paris", exact=False).first.wait_for(timeout=240_000)
    browser.wait_until_idle(page)
    assert page.get_by_text(t("lm.licence_note", "en").split("**")[0], exact=False).count() >= 1
    alternative = page.locator('[class*="st-key-lm_alt_0_1"] button').first
    label = alternative.inner_text().strip()
    alternative.click()
    page.get_by_text(t("lm.steered", "en", index=1, token=label), exact=False).first.wait_for(timeout=240_000)
    assert browser.exception_count(page) == 0


def test_lm_page_in_french_with_an_absurd_query_string(server, page):
    page.goto(f"{server.url}/lm?lang=fr&max_new_tokens=100000&top_k=abc")
    page.get_by_role("heading", name=t("lm.title", "fr")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.get_by_text("max_new_tokens doit être entre 1 et 256", exact=False).count() >= 1
    assert page.get_by_text(t("lm.limits", "fr").split("**")[1], exact=False).count() >= 1
    assert browser.exception_count(page) == 0

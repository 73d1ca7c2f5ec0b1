"""End to end, in a real browser: the CNN page trains one epoch live and opens up the network."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_one_epoch_in_the_browser_shows_filters_and_mistakes(server, page):
    lang = "fr"
    browser.open_page(page, server.url, "cnn", lang, t("cnn.title", lang))
    page.locator('[class*="st-key-cnn_train"] button').first.click()
    page.get_by_text(t("cnn.filters", lang)).first.wait_for(timeout=180_000)
    browser.wait_until_idle(page)
    assert page.get_by_text(t("cnn.mistakes", lang)).count() >= 1
    assert page.locator('[data-testid="stImage"], [data-testid="stFullScreenFrame"] img').count() >= 2
    assert browser.exception_count(page) == 0

"""End to end, in a real browser: the image generation page's sample run in EN and FR, and a bad link."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_generate_sample_shows_grid_strip_and_downloads(server, page, lang):
    browser.open_page(page, server.url, "generate", lang, t("generate.title", lang))
    page.get_by_role("button", name=t("generate.sample.eight_of", lang, label="7")).click()
    page.get_by_text(t("generate.strip", lang)).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.locator('[data-testid="stImage"]').count() >= 3
    for key in ("generate.download_png", "generate.download_zip", "generate.download_gif"):
        assert page.get_by_role("button", name=t(key, lang)).count() == 1
    assert "seed=7" in page.url  # the link reproduces the settings
    assert browser.exception_count(page) == 0


def test_generate_bad_link_settings_are_explained(server, page):
    page.goto(f"{server.url}/generate?lang=en&steps=0&seed=abc")
    page.get_by_text(t("generate.title", "en")).first.wait_for(timeout=60_000)
    browser.wait_until_idle(page)
    page.get_by_text("The link sets steps to “0”, which this page cannot use: 10 is used instead").first.wait_for(timeout=30_000)
    assert browser.exception_count(page) == 0

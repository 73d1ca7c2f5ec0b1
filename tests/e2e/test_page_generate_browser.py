"""End to end, in a real browser: the image generation page's sample run in EN and FR, and a bad link."""

from pathlib import Path

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
    for key, signature in (("generate.download_png", b"\x89PNG"), ("generate.download_zip", b"PK"), ("generate.download_gif", b"GIF89a")):
        button = page.get_by_role("button", name=t(key, lang))
        assert button.count() == 1
        with page.expect_download(timeout=60_000) as saved:  # the PNG and the ZIP are encoded only on the click
            button.click()
        assert Path(saved.value.path()).read_bytes().startswith(signature), key
        browser.wait_until_idle(page)
    assert "seed=7" in page.url  # the link reproduces the settings
    assert browser.exception_count(page) == 0


def test_generate_bad_link_settings_are_explained(server, page):
    page.goto(f"{server.url}/generate?lang=en&steps=0&seed=abc")
    page.get_by_text(t("generate.title", "en")).first.wait_for(timeout=60_000)
    browser.wait_until_idle(page)
    page.get_by_text("The link sets steps to “0”, which this page cannot use: 10 is used instead").first.wait_for(timeout=30_000)
    assert browser.exception_count(page) == 0

"""End to end, in a real browser: compress the digit CNN (int8, then pruning with a link), see the
figures, the chart and the download; a broken link is a notice, never an exception."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compress_int8_shows_figures_chart_and_download(server, page, lang):
    browser.open_page(page, server.url, "compress", lang, t("compress.title", lang))
    page.get_by_role("button", name=t("compress.run", lang)).click()
    page.get_by_text(t("compress.phone_title", lang)).first.wait_for(timeout=180_000)
    browser.wait_until_idle(page)
    assert page.locator('[data-testid="stMetric"]').count() >= 4
    assert page.get_by_role("button", name=t("compress.download", lang)).count() == 1
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1
    assert browser.exception_count(page) == 0


def test_link_to_pruning_with_fine_tune_runs_it(server, page):
    page.goto(f"{server.url}/compress?lang=fr&model=mnist-cnn&method=prune-ft&amount=60")
    page.get_by_role("heading", name=t("compress.title", "fr")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("compress.run", "fr")).click()
    page.get_by_text("60\u202f% des poids valent maintenant zéro.").first.wait_for(timeout=180_000)
    assert browser.exception_count(page) == 0


def test_a_broken_link_is_a_notice_not_an_exception(server, page):
    page.goto(f"{server.url}/compress?lang=en&model=%3Cscript%3E&method=nan&amount=-1e999")
    page.get_by_role("heading", name=t("compress.title", "en")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.locator('[data-testid="stAlert"]').count() >= 1
    assert browser.exception_count(page) == 0

"""End to end, in a real browser: a recorded sample on the speech recognition page, in EN and FR."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_asr_sample_shows_the_transcript(server, page, lang):
    browser.open_page(page, server.url, "asr", lang, t("asr.title", lang))
    page.get_by_role("button", name=t("asr.sample.en_librivox_0930", lang)).click()
    page.get_by_text(t("asr.transcript", lang), exact=True).first.wait_for(timeout=180_000)
    browser.wait_until_idle(page, timeout_ms=180_000)
    assert "amiable" in page.locator('[data-testid="stCode"]').first.inner_text().lower()
    assert browser.exception_count(page) == 0

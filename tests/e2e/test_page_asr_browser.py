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


def test_read_aloud_plays_and_the_round_trip_shows_a_wer(server, page):
    lang = "en"
    browser.open_page(page, server.url, "asr", lang, t("asr.title", lang))
    page.get_by_role("tab", name=t("tts.tab", lang)).click()
    page.get_by_role("button", name=t("tts.speak", lang), exact=True).click()
    player = page.locator("audio").first
    player.wait_for(timeout=120_000)
    browser.wait_until_idle(page, timeout_ms=120_000)
    page.wait_for_function("() => { const a = document.querySelector('audio'); return a && a.readyState >= 1 && a.duration > 1; }", timeout=60_000)
    page.evaluate("() => { const a = document.querySelector('audio'); a.muted = true; return a.play(); }")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2", timeout=30_000)  # it really plays
    page.get_by_role("button", name=t("tts.round_trip", lang)).click()
    page.get_by_text("Whisper heard:").first.wait_for(timeout=180_000)
    assert "word error rate against your text" in page.get_by_text("Whisper heard:").first.inner_text()
    assert browser.exception_count(page) == 0

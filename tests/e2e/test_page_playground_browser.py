"""End to end, in a real browser: training starts from the Train button and the boundary redraws while it trains."""

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def boundary_src(page) -> str:
    return page.locator('[data-testid="stImage"] img').first.get_attribute("src") or ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_training_starts_and_the_boundary_redraws(server, page, lang):
    browser.open_page(page, server.url, "playground", lang, t("playground.title", lang))
    page.get_by_text(t("playground.not_started", lang).replace("**", "")).first.wait_for(timeout=60_000)
    before = boundary_src(page)
    page.get_by_role("button", name=t("playground.train", lang)).click()
    page.get_by_text(t("playground.running", lang)).first.wait_for(timeout=60_000)
    seen = {before}
    for _ in range(40):  # the live fragment redraws every ~0.6 s while it trains
        page.wait_for_timeout(700)
        src = boundary_src(page)
        if src:
            seen.add(src)
        if len(seen) >= 3:
            break
    assert len(seen) >= 3, "the boundary did not redraw while training"
    page.get_by_role("button", name=t("playground.pause", lang)).click()
    browser.wait_until_idle(page)
    assert browser.exception_count(page) == 0


def test_absurd_link_gets_notices_not_a_traceback(server, page):
    page.goto(f"{server.url}/playground?lang=en&lr=inf&hidden=99,99,99,99,99&batch=-4&batch=7&epochs=1e99&dataset=%3Cscript%3E")
    page.get_by_role("heading", name=t("playground.title", "en")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.get_by_text("lr=inf", exact=False).count() >= 1
    assert browser.exception_count(page) == 0
    assert "lr=0.03" in page.url  # the URL now carries the corrected set-up

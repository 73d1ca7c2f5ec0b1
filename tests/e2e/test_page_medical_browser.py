"""End to end, in a real browser: the medical page's atlas view, a sample run and a Grad-CAM map."""

import os

import pytest

from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_medical_atlas_slice_sample_and_saliency(server, page, lang):
    browser.open_page(page, server.url, "medical", lang, t("medical.title", lang))
    browser.wait_until_idle(page)
    page.get_by_text(t("medical.split.test", lang).split("**")[0].strip()).first.wait_for(timeout=120_000)
    page.get_by_text(t("medical.agreement", lang, accuracy=0.5).split("**")[0].strip()).first.wait_for(timeout=120_000)
    page.locator('[data-testid="stImage"]').nth(2).wait_for(timeout=120_000)  # slice, model's map, atlas truth
    page.get_by_role("button", name=t("medical.compute_saliency", lang)).click()
    browser.wait_until_idle(page)
    page.get_by_text(t("medical.saliency_caption", lang, method="Grad-CAM", target="x").split("“")[0].split("«")[0].strip()).first.wait_for(timeout=120_000)
    page.get_by_text(t("medical.source.sample", lang), exact=True).click()
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("medical.sample.cat_chelsea.jpg", lang)).click()
    browser.wait_until_idle(page)
    page.get_by_text(t("notice.medical_out_of_distribution", lang, score=1.0).split("(")[0].strip()).first.wait_for(timeout=120_000)
    assert browser.exception_count(page) == 0
    if os.environ.get("DL_HUB_E2E_SCREENSHOTS"):
        for step in range(6):
            page.screenshot(path=os.path.join(os.environ["DL_HUB_E2E_SCREENSHOTS"], f"medical_{lang}_{step}.png"))
            page.mouse.move(700, 500)
            page.mouse.wheel(0, 800)
            page.wait_for_timeout(300)

"""End to end, in a real browser: Teach with Chromium's fake camera (a video of the bundled dog photo)."""


import pytest

from dl_apps.registry import ASSETS_DIR
from dl_apps.tools import browser
from dl_apps.ui.i18n import t
from tests.e2e.conftest import camera_filming

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def camera_page(server, page, tmp_path_factory):
    """A second Chromium whose camera films the bundled dog photo."""
    with camera_filming(page, ASSETS_DIR / "samples/detection/dog.jpg", tmp_path_factory.mktemp("camera")) as opened:
        yield opened


def test_a_snapshot_and_a_bundled_photo_teach_two_classes(server, camera_page):
    page = camera_page
    browser.open_page(page, server.url, "teach", "en", t("teach.title", "en"))
    page.get_by_text(t("teach.camera_enable", "en")).click()
    browser.wait_until_idle(page)
    page.locator('[data-testid="stCameraInput"] video').first.wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)  # the fake camera needs a moment before the first frame
    page.get_by_role("button", name="Take Photo").first.click()
    page.get_by_text(t("teach.examples_count", "en", n=1)).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("teach.add_sample_button", "en")).nth(1).click()  # class 2: views of the cat photo
    page.get_by_text(t("teach.examples_count", "en", n=5)).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("teach.train", "en")).click()
    page.get_by_text(t("teach.trained", "en", n=6, ms=0, feature_ms=0).split(" in ")[0]).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("teach.sample.dog", "en"), exact=True).click()  # the dog photo the camera filmed
    page.get_by_text("It looks like").first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    verdict = page.get_by_text("It looks like").first.inner_text()
    assert t("teach.default_name", "en", n=1) in verdict  # the class taught by the camera snapshot
    assert browser.exception_count(page) == 0

"""End to end, in a real browser: Teach with Chromium's fake camera (a video of the bundled dog photo)."""

import contextlib

import numpy as np
import pytest
from PIL import Image

from dl_apps.registry import ASSETS_DIR
from dl_apps.tools import browser
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def write_y4m(path, image: np.ndarray, frames: int = 10) -> None:
    """A short uncompressed video (YUV 4:2:0) of one still image, for Chromium's fake camera."""
    import cv2

    height, width = image.shape[:2]
    yuv = cv2.cvtColor(image, cv2.COLOR_RGB2YUV_I420).tobytes()
    with open(path, "wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            handle.write(b"FRAME\n" + yuv)


@pytest.fixture(scope="module")
def camera_page(server, page, tmp_path_factory):
    video = tmp_path_factory.mktemp("camera") / "dog.y4m"
    photo = Image.open(ASSETS_DIR / "samples/detection/dog.jpg").convert("RGB")
    photo = photo.resize((photo.width // 2 * 2, photo.height // 2 * 2))
    write_y4m(video, np.asarray(photo))
    args = browser.CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
    chromium = page.context.browser.browser_type.launch(executable_path=browser.find_chromium(), headless=True, args=args)
    try:
        context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale="en-GB", permissions=["camera"])
        opened = context.new_page()
        opened.set_default_timeout(60_000)
        yield opened
    finally:
        with contextlib.suppress(Exception):
            chromium.close()


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

"""One real app server (network blocked except loopback) and one headless Chromium per session."""

import contextlib
import os

import pytest

from dl_apps.tools import browser


@pytest.fixture(scope="package")  # closed before tests/serving opens its own browsers (one sync Playwright per thread)
def server():
    if browser.find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: the set-up script must install it (apt-get install chromium)")
        pytest.skip("no Chromium on this machine (run scripts/setup.sh)")
    with browser.streamlit_server(offline=True) as running:
        yield running


@pytest.fixture(scope="package")  # closed before tests/serving opens its own browsers (one sync Playwright per thread)
def page(server):
    with browser.chromium_page() as opened:
        yield opened


def write_y4m(path, image, frames: int = 10) -> None:
    """A short uncompressed video (YUV 4:2:0) of one still RGB image (even sides), for Chromium's fake camera."""
    import cv2
    import numpy as np

    pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    yuv = cv2.cvtColor(pixels, cv2.COLOR_RGB2YUV_I420).tobytes()
    with open(path, "wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            handle.write(b"FRAME\n" + yuv)


@contextlib.contextmanager
def camera_filming(page, photo_path, video_dir):
    """A second Chromium whose camera films ``photo_path`` (permission granted without a prompt).

    Launched through the package browser's Playwright (one sync Playwright per thread).
    """
    from PIL import Image

    photo = Image.open(photo_path).convert("RGB")
    photo = photo.resize((photo.width // 2 * 2, photo.height // 2 * 2))  # YUV 4:2:0 needs even sides
    video = video_dir / "camera.y4m"
    write_y4m(video, photo)
    args = browser.CHROMIUM_ARGS + [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    chromium = page.context.browser.browser_type.launch(executable_path=browser.find_chromium(), headless=True, args=args)
    try:
        context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale="en-GB", permissions=["camera"])
        opened = context.new_page()
        opened.set_default_timeout(60_000)
        yield opened
    finally:
        with contextlib.suppress(Exception):
            chromium.close()

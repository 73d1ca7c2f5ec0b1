"""End to end, in a real browser: a sample run, a camera snapshot and live webcam detection.

The camera is Chromium's fake capture device fed with a video of the bundled dog photo,
so the snapshot and the live stream both show a dog the model must find.
"""


import io
from pathlib import Path

import pytest
from PIL import Image

from dl_apps.tools import browser
from dl_apps.tasks import detection
from dl_apps.ui.i18n import t
from tests.e2e.conftest import camera_filming

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def camera_page(server, page, tmp_path_factory):
    """A second Chromium whose camera films the dog photo."""
    with camera_filming(page, detection.SAMPLES_DIR / "dog.jpg", tmp_path_factory.mktemp("camera")) as opened:
        yield opened


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_detection_sample_draws_boxes_and_lists_objects(server, page, lang):
    browser.open_page(page, server.url, "detection", lang, t("detection.title", lang))
    page.get_by_role("button", name=t("detection.sample.dog", lang)).click()
    browser.wait_until_idle(page)
    download = page.get_by_role("button", name=t("detection.download", lang))
    download.wait_for(timeout=120_000)
    page.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=60_000)  # counts per class, all detections
    assert page.locator('[data-testid="stImage"]').count() >= 1
    with page.expect_download(timeout=60_000) as saved:  # the PNG is drawn only now, on the click
        download.click()
    picture = Image.open(io.BytesIO(Path(saved.value.path()).read_bytes()))
    assert picture.format == "PNG" and picture.size == Image.open(detection.SAMPLES_DIR / "dog.jpg").size
    assert browser.exception_count(page) == 0


def test_detection_camera_snapshot_finds_the_dog(server, camera_page):
    page = camera_page
    browser.open_page(page, server.url, "detection", "en", t("detection.title", "en"))
    page.get_by_role("tab", name=t("detection.tab_camera", "en")).click()
    page.get_by_text(t("detection.camera_enable", "en")).click()
    browser.wait_until_idle(page)
    page.locator('[data-testid="stCameraInput"] video').first.wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)  # the fake camera needs a moment before the first frame
    page.get_by_role("button", name="Take Photo").click()
    browser.wait_until_idle(page)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.get_by_text(t("detection.input_name", "en", name="snapshot")).count() == 1
    assert browser.exception_count(page) == 0


def test_detection_live_webcam_annotates_frames(server, camera_page):
    pytest.importorskip("streamlit_webrtc", reason="live video needs the optional streamlit-webrtc package")
    page = camera_page
    browser.open_page(page, server.url, "detection", "en", t("detection.title", "en"))
    page.get_by_role("tab", name=t("detection.tab_live", "en")).click()
    page.get_by_text(t("detection.live_enable", "en")).click()
    browser.wait_until_idle(page)
    component = page.frame_locator('iframe[title*="streamlit_webrtc"]')
    component.get_by_role("button", name=t("detection.live.start", "en")).click()
    component.locator("video").first.wait_for(timeout=60_000)
    # Frames are processed in a server thread; a rerun of the page shows the counter.
    stats = t("detection.live_stats", "en", frames=0, ms=0).split(",")[0].split(" ", 1)[1]  # "frames annotated"
    for attempt in range(30):
        page.wait_for_timeout(2_000)
        page.get_by_role("slider").first.focus()
        page.keyboard.press("ArrowRight" if attempt % 2 == 0 else "ArrowLeft")  # a widget change reruns the page
        browser.wait_until_idle(page)
        if page.get_by_text(stats, exact=False).count():
            break
    assert page.get_by_text(stats, exact=False).count() >= 1, "no frame was annotated"
    component.get_by_role("button", name=t("detection.live.stop", "en")).click()
    assert browser.exception_count(page) == 0


def test_detection_upload_without_camera_and_a_bad_file(server, page, tmp_path):
    browser.open_page(page, server.url, "detection", "en", t("detection.title", "en"))
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
    uploader.set_input_files(str(detection.SAMPLES_DIR / "person.jpg"))
    page.get_by_text(t("detection.input_name", "en", name="person.jpg")).wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    found = t("detection.found", "en", n=0).split(" ", 1)[1]  # "object(s) found" (the tables are canvases)
    page.get_by_text(found).wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=60_000)  # counts, then all detections
    fake = tmp_path / "report.png"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF")
    uploader.set_input_files(str(fake))
    page.get_by_text(t("error.image_not_an_image", "en")).wait_for(timeout=60_000)
    assert browser.exception_count(page) == 0

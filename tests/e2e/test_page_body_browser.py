"""End to end, in a real browser: the body page's sample run, a camera snapshot and the live webcam.

The camera is Chromium's fake capture device fed with a video of the bundled astronaut
photo, so the snapshot and the live stream both show a face the models must find.
"""


from pathlib import Path

import pytest

from dl_apps.tasks import body
from dl_apps.tools import browser
from dl_apps.ui.i18n import t
from tests.e2e.conftest import camera_filming

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
URL = "body"  # one page for the three tasks pose, face and segment: its URL is its file name


@pytest.fixture(scope="module")
def camera_page(server, page, tmp_path_factory):
    """A second Chromium whose camera films the astronaut photo."""
    with camera_filming(page, body.sample("astronaut").path, tmp_path_factory.mktemp("camera")) as opened:
        yield opened


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_body_sample_draws_the_skeleton_with_a_download(server, page, lang):
    browser.open_page(page, server.url, URL, lang, t("pose.title", lang))
    page.get_by_role("button", name=t("body.sample.person", lang)).click()
    browser.wait_until_idle(page)
    download = page.get_by_role("button", name=t("body.download", lang))
    download.wait_for(timeout=120_000)
    assert page.get_by_text(t("body.found.pose", lang, n=1, visible=0).split(":")[0]).count() >= 1
    assert page.locator('[data-testid="stImage"]').count() >= 1
    with page.expect_download(timeout=60_000) as saved:  # encoded as PNG only on the click
        download.click()
    assert Path(saved.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert browser.exception_count(page) == 0


def test_body_camera_snapshot_gets_a_face_mesh(server, camera_page):
    page = camera_page
    browser.open_page(page, server.url, URL, "en", t("pose.title", "en"))
    mesh_label = t("body.mode.mesh", "en").split(" ", 1)[1]  # the emoji may be rendered as an icon
    page.locator('[data-testid="stButtonGroup"] button', has_text=mesh_label).first.click()
    browser.wait_until_idle(page)
    page.get_by_role("tab", name=t("body.tab_camera", "en")).click()
    page.get_by_text(t("body.camera_enable", "en")).click()
    browser.wait_until_idle(page)
    page.locator('[data-testid="stCameraInput"] video').first.wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)  # the fake camera needs a moment before the first frame
    page.get_by_role("button", name="Take Photo").click()
    browser.wait_until_idle(page)
    page.get_by_text(t("body.input_name", "en", name="snapshot")).wait_for(timeout=120_000)
    found = t("body.found.mesh", "en", n=1, points=478)
    page.get_by_text(found).wait_for(timeout=60_000)
    assert browser.exception_count(page) == 0


def test_body_live_webcam_shows_frames_and_frame_rate(server, camera_page):
    pytest.importorskip("streamlit_webrtc", reason="live video needs the optional streamlit-webrtc package")
    page = camera_page
    browser.open_page(page, server.url, URL, "en", t("pose.title", "en"))
    page.get_by_role("tab", name=t("body.tab_live", "en")).click()
    page.get_by_text(t("body.live_enable", "en")).click()
    browser.wait_until_idle(page)
    component = page.frame_locator('iframe[title*="streamlit_webrtc"]')
    component.get_by_role("button", name=t("body.live.start", "en")).click()
    component.locator("video").first.wait_for(timeout=60_000)
    stats = t("body.live_stats", "en", frames=0, fps=0, ms=0).split(" · ")[0].split(" ", 1)[1]  # "frames processed"
    for _ in range(30):
        page.wait_for_timeout(2_000)
        page.get_by_role("button", name=t("body.live_refresh", "en")).click()  # reruns the fragment: fresh counters
        browser.wait_until_idle(page)
        if page.get_by_text(stats, exact=False).count():
            break
    assert page.get_by_text(stats, exact=False).count() >= 1, "no frame was processed"
    assert page.get_by_text("frames per second", exact=False).count() >= 1
    component.get_by_role("button", name=t("body.live.stop", "en")).click()
    assert browser.exception_count(page) == 0


def test_body_upload_and_a_bad_file(server, page, tmp_path):
    browser.open_page(page, server.url, URL, "en", t("pose.title", "en"))
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
    uploader.set_input_files(str(body.sample("astronaut").path))
    page.get_by_text(t("body.input_name", "en", name="astronaut.jpg")).wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    fake = tmp_path / "report.png"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF")
    uploader.set_input_files(str(fake))
    page.get_by_text(t("error.image_not_an_image", "en")).wait_for(timeout=60_000)
    assert browser.exception_count(page) == 0

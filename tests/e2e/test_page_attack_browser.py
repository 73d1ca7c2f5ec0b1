"""End to end, in a real browser: the attack page's sample run, an upload, and a bad upload."""

from pathlib import Path

import pytest

from dl_apps.tools import browser
from dl_apps.registry import REPO_ROOT
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SAMPLES = REPO_ROOT / "assets" / "samples" / "attack"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_attack_sample_shows_three_pictures_and_a_download(server, page, lang):
    browser.open_page(page, server.url, "attack", lang, t("attack.title", lang))
    page.get_by_role("button", name="3", exact=True).click()
    page.get_by_text(t("attack.top5_after", lang)).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.locator('[data-testid="stImage"]').count() >= 3
    download = page.get_by_role("button", name=t("attack.download", lang))
    assert download.count() == 1
    with page.expect_download(timeout=60_000) as saved:  # encoded only on the click
        download.click()
    assert Path(saved.value.path()).read_bytes().startswith(b"\x89PNG")
    assert browser.exception_count(page) == 0


def test_attack_upload_of_a_digit_on_paper(server, page):
    browser.open_page(page, server.url, "attack", "en", t("attack.title", "en"))
    page.locator('[data-testid="stButtonGroup"]').get_by_text(t("attack.source.upload", "en"), exact=True).first.click()
    browser.wait_until_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SAMPLES / "digit_7_on_paper.png"))
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("attack.run", "en")).click()
    page.get_by_text(t("attack.top5_after", "en")).first.wait_for(timeout=120_000)
    browser.wait_until_idle(page)
    assert page.get_by_text("was inverted to white on black").count() >= 1
    assert browser.exception_count(page) == 0


def test_attack_upload_that_is_not_an_image_is_a_clear_message(server, page, tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_bytes(b"%PDF-1.4 this is not a picture")
    browser.open_page(page, server.url, "attack", "fr", t("attack.title", "fr"))
    page.locator('[data-testid="stButtonGroup"]').get_by_text(t("attack.source.upload", "fr"), exact=True).first.click()
    browser.wait_until_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fake))
    browser.wait_until_idle(page)
    page.get_by_role("button", name=t("attack.run", "fr")).click()
    page.get_by_text(t("error.image_not_an_image", "fr")).first.wait_for(timeout=60_000)
    assert browser.exception_count(page) == 0

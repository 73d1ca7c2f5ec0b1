"""`python -m dl_apps screenshots` and `gallery`: the marketing pictures come from the real app."""

import subprocess
import sys

import pytest
from PIL import Image

from dl_apps.tools import browser
from dl_apps.registry import REPO_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_screenshots_writes_one_png_per_page(tmp_path, server):  # `server`: skips/fails like the other e2e tests without Chromium
    done = subprocess.run(
        [sys.executable, "-m", "dl_apps", "screenshots", "--out", str(tmp_path), "--lang", "fr"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for ref in browser.app_pages():
        shot = tmp_path / f"{ref.name}-fr.png"
        assert shot.is_file(), shot
        with Image.open(shot) as image:
            assert image.width == 1280 and image.height >= 600


def test_gallery_picture_comes_from_the_model(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "dl_apps", "gallery", "sentiment", "--out", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with Image.open(tmp_path / "sentiment.png") as image:
        assert image.size == (480, 270)
        assert len(set(image.convert("RGB").getdata())) > 50  # a drawn chart, not a blank card

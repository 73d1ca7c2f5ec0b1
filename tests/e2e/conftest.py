"""One real app server (network blocked except loopback) and one headless Chromium per session."""

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

"""The cache page's tier view: deployments, replicas and queues of the running tier (AppTest)."""

import pytest

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cache_page_lists_the_tier_deployments(on_tier, lang):
    app = open_page("pages/cache.py", lang)
    assert_no_exception(app)
    assert t("cache.tier.title", lang) in all_text(app)
    frames = [frame.value for frame in app.dataframe]
    tier_frame = next(frame for frame in frames if t("cache.tier.col.deployment", lang) in frame.columns)
    rows = dict(zip(tier_frame[t("cache.tier.col.deployment", lang)], tier_frame[t("cache.tier.col.running", lang)]))
    assert rows == {"detection": 1, "sentiment": 2}


def test_cache_page_says_when_the_tier_is_down(monkeypatch):
    from dl_apps.tools.browser import free_port

    monkeypatch.setenv("DL_HUB_BACKEND", "ray")
    monkeypatch.setenv("DL_HUB_TIER_URL", f"http://127.0.0.1:{free_port()}")
    app = open_page("pages/cache.py", "fr")
    assert_no_exception(app)
    assert "injoignable" in all_text(app)


def test_cache_page_embedded_says_so():
    app = open_page("pages/cache.py", "en")
    assert_no_exception(app)
    assert t("cache.tier.embedded", "en") in all_text(app)

"""A tier that cannot be reached: a clear message at once (EN/FR, on the page too), or the embedded fallback."""

from __future__ import annotations

import time

import pytest

from dl_apps.serving import client
from dl_apps.serving.client import TierError
from dl_apps.serving.config import load_config
from dl_apps.tasks import sentiment
from dl_apps.tools.browser import free_port
from dl_apps.registry import REPO_ROOT
from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

TEST_CONFIG = str(REPO_ROOT / "tests" / "serving" / "serve-test.toml")


@pytest.fixture
def dead_tier(monkeypatch) -> str:
    """The ray backend pointed at a loopback port where nothing listens."""
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("DL_HUB_BACKEND", "ray")
    monkeypatch.setenv("DL_HUB_SERVE_CONFIG", TEST_CONFIG)
    monkeypatch.setenv("DL_HUB_TIER_URL", url)
    monkeypatch.delenv("DL_HUB_TIER_FALLBACK", raising=False)
    return url


def test_unreachable_tier_says_so_at_once(dead_tier):
    started = time.monotonic()
    with pytest.raises(TierError) as caught:
        sentiment.run("I love it")
    assert time.monotonic() - started < 5
    assert caught.value.code == "tier_unavailable"
    assert dead_tier in str(caught.value)
    assert "injoignable" in t("error.tier_unavailable", "fr")


def test_fallback_to_embedded_when_configured(dead_tier, monkeypatch):
    monkeypatch.setenv("DL_HUB_TIER_FALLBACK", "embedded")
    result = sentiment.run("I love it")
    monkeypatch.setenv("DL_HUB_BACKEND", "embedded")
    local = sentiment.run("I love it")
    assert result.label == local.label and result.scores == local.scores
    assert [n["code"] for n in result.notices] == ["tier_fallback"]
    assert "serveur web" in t("notice.tier_fallback", "fr")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_shows_the_message_and_keeps_working(dead_tier, lang):
    app = open_page("pages/sentiment.py", lang)
    app.button(key="sentiment_sample_0").click().run()
    assert_no_exception(app)
    assert t("error.tier_unavailable", lang) in all_text(app)


def test_config_file_is_checked(tmp_path):
    bad = tmp_path / "serve.toml"
    bad.write_text("[defaults]\nreplicas = 2\n")
    with pytest.raises(ValueError, match="unknown keys"):
        load_config(bad)
    config = load_config(REPO_ROOT / "deploy" / "serve.toml")
    assert {"sentiment", "detection", "qa", "recommend"} <= set(config.deployments)
    options = config.deployments["sentiment"].serve_options()
    assert options["num_replicas"] == 1 and options["max_ongoing_requests"] == 8
    assert client.TierError.__mro__[1].__name__ == "InputError"

"""scripts/stack.sh: two Streamlit replicas behind nginx (sticky, websockets) on the tests' tier;
a real browser gets the home page and a sentiment answer through the proxy; `bench load` runs on it."""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from dl_apps.serving import client
from dl_apps.tools import browser, load
from dl_apps.ui.i18n import t

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
REPO_ROOT = Path(__file__).resolve().parents[2]


def free_block(size: int) -> int:
    """A base port B with B+1..B+size all free on loopback."""
    for _ in range(50):
        base = browser.free_port()
        try:
            probes = []
            for offset in range(1, size + 1):
                probe = socket.socket()
                probe.bind(("127.0.0.1", base + offset))
                probes.append(probe)
            return base
        except OSError:
            continue
        finally:
            for probe in locals().get("probes", []):
                probe.close()
    raise RuntimeError("no free block of ports")


@pytest.fixture(scope="module")
def stack(tier, tmp_path_factory):
    if not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is not installed: scripts/setup.sh installs it")
    state = tmp_path_factory.mktemp("stack")
    port = browser.free_port()
    env = {**os.environ, **tier.env(), "STACK_DIR": str(state)}
    script = str(REPO_ROOT / "scripts" / "stack.sh")
    try:
        started = subprocess.run(
            ["bash", script, "start", "--external-tier", "--replicas", "2", "--port", str(port), "--base-port", str(free_block(2))],
            env=env, capture_output=True, text=True, timeout=400,
        )
    finally:  # a failed or timed-out start must not leave processes behind
        if not (state / "nginx.pid").exists() or "started" not in locals() or started.returncode != 0:
            subprocess.run(["bash", script, "stop"], env=env, capture_output=True, timeout=120)
    assert started.returncode == 0, started.stderr[-3000:]
    assert "stack ready" in started.stdout
    pids = [int((state / f"streamlit-{i}.pid").read_text()) for i in (1, 2)]
    yield {"url": f"http://127.0.0.1:{port}", "state": state, "pids": pids}
    stopped = subprocess.run(["bash", script, "stop"], env=env, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert not list(state.glob("*.pid"))


def test_home_page_through_the_proxy_sets_the_sticky_cookie(stack):
    with urllib.request.urlopen(stack["url"] + "/", timeout=30) as answer:
        assert answer.status == 200
        assert "nginx" in answer.headers.get("Server", "")
        assert "dlhub_route=" in answer.headers.get("Set-Cookie", "")
    with browser.chromium_page() as page:
        # the title is drawn by the script over the websocket (/_stcore/stream) through nginx;
        # the home page's own content is checked by tests/e2e/test_browser.py
        browser.open_page(page, stack["url"], "", "en", t("home.title", "en"))
        assert page.locator('[data-testid="stApp"][data-test-connection-state="CONNECTED"]').count() == 1


def test_sentiment_answer_through_the_proxy_comes_from_the_tier(stack, on_tier):
    def served() -> int:
        return sum(r["served"] for r in client.tier_status()["deployments"] if r["deployment"] == "sentiment")

    import time

    time.sleep(1.2)
    before = served()
    with browser.chromium_page() as page:
        browser.open_page(page, stack["url"], "sentiment", "en", t("sentiment.title", "en"))
        page.get_by_role("button", name=t("sentiment.sample.en_pos", "en")).click()
        page.get_by_text(t("sentiment.probabilities", "en")).first.wait_for(timeout=120_000)
        browser.wait_until_idle(page)
        assert page.get_by_text("Verdict: ").count() >= 1
        assert browser.exception_count(page) == 0
    time.sleep(1.5)  # replicas report every second
    assert served() > before


def test_bench_load_runs_a_few_seconds_without_errors(stack):
    rows = load.run_load(sessions=2, seconds=8, tasks=["sentiment"], url=stack["url"], backend="ray", server_pids=stack["pids"])
    row = rows[0]
    assert row["task"] == "sentiment" and row["sessions"] == 2
    assert row["requests"] >= 2, row
    assert row["errors"] == 0 and row["exceptions"] == 0, row
    assert 0 < row["p50_s"] <= row["p95_s"]
    assert row["server_rss_mb_peak"] >= row["server_rss_mb_start"] > 0
    assert row["tier_rss_mb_peak"] > 0


def test_the_load_driver_refuses_other_machines():
    for url in ("http://10.0.0.1:8501", "http://example.org", "ftp://127.0.0.1"):
        with pytest.raises(load.LoadError):
            load.check_url(url)
    assert load.check_url("http://localhost:8501/") == "http://localhost:8501"
    with pytest.raises(load.LoadError):
        load.run_load(sessions=1000, seconds=5)

"""The serving tests' model tier: one local Ray (num_cpus=2) started by the test session.

``python -m dl_apps serve`` runs as a subprocess with tests/serving/serve-test.toml (sentiment
with 2 replicas, detection with 1) on a free loopback port and a fresh token; the session
waits for its ``ready`` line, and at the end sends SIGTERM, checks it stopped cleanly and that
no Ray process it started is left (any survivor is killed by pid and fails the run).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from dl_apps.tools.browser import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_CONFIG = Path(__file__).with_name("serve-test.toml")
READY_TIMEOUT_S = 420
RAY_MARKERS = ("ray::", "raylet", "gcs_server", "ray/dashboard", "ray/_private", "ray/autoscaler")


def ray_pids() -> set[int]:
    """Pids of Ray's processes on this machine."""
    found = set()
    for process in psutil.process_iter(["cmdline"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
        except (psutil.Error, TypeError):
            continue
        if any(marker in cmdline for marker in RAY_MARKERS):
            found.add(process.pid)
    return found


@dataclass
class Tier:
    url: str
    config_path: Path
    token: str
    process: subprocess.Popen
    ready_line: str
    log_path: Path

    def env(self) -> dict[str, str]:
        """What a front end needs to use this tier."""
        return {"DL_HUB_BACKEND": "ray", "DL_HUB_SERVE_CONFIG": str(self.config_path), "DL_HUB_TIER_TOKEN": self.token}


@pytest.fixture(scope="session")
def tier(tmp_path_factory) -> Tier:
    folder = tmp_path_factory.mktemp("tier")
    port = free_port()
    config_path = folder / "serve.toml"
    config_path.write_text(TEST_CONFIG.read_text().replace("port = 0 ", f"port = {port} ", 1))
    token = secrets.token_hex(16)
    log_path = folder / "serve.log"
    before = ray_pids()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "DL_HUB_TIER_TOKEN": token}
    env.pop("RAY_ADDRESS", None)
    env.pop("DL_HUB_TIER_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "dl_apps", "serve", "--config", str(config_path)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=open(log_path, "w"), text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not any("ready" in line for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the tier did not start: {lines} / {log_path.read_text()[-2000:]}")
        time.sleep(0.5)
    ready = next(line for line in lines if "ready" in line)
    yield Tier(f"http://127.0.0.1:{port}", config_path, token, process, ready, log_path)
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        code = None
    reader.join(timeout=5)
    time.sleep(2)
    left = ray_pids() - before
    for pid in left:  # never leave Ray running after the tests
        try:
            psutil.Process(pid).kill()
        except psutil.Error:
            pass
    assert code == 0, f"serve exited with {code}; {log_path}"
    assert any(line.strip() == "stopped" for line in lines), lines
    assert not left, f"Ray processes left after the tier stopped: {sorted(left)}"


@pytest.fixture
def on_tier(tier, monkeypatch) -> Tier:
    """This test's task functions go through the tier (DL_HUB_BACKEND=ray)."""
    for key, value in tier.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DL_HUB_TIER_URL", raising=False)
    monkeypatch.delenv("DL_HUB_TIER_FALLBACK", raising=False)
    from dl_apps.serving import client

    client._config_for.cache_clear()
    yield tier
    client._config_for.cache_clear()

"""A real browser on the real app: start ``streamlit run app.py`` on a free loopback port and
drive Debian's Chromium with Playwright.  Shared by the end-to-end tests, the
``screenshots`` command and the home-page first-paint benchmark.

Chromium is started with the flags this closed network needs (no background
connections, no sandbox as root); Playwright's own browser download is never used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from dl_apps.registry import REPO_ROOT, load_registry

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
OFFLINE_SITE_DIR = REPO_ROOT / "tests" / "offline"
# glibc's malloc gives each new thread (Streamlit runs every session's script in one) its own arena,
# up to 8 per core; the server's memory then creeps up with the sessions. scripts/start.sh and
# scripts/stack.sh set the same value (tests/unit/test_load_driver.py checks it).
SERVER_MALLOC_ARENAS = "2"


def find_chromium() -> str | None:
    """Path of a system Chromium/Chrome binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PageRef:
    """One page of the app: its URL path ("" for the home page) and the key of its title."""

    url_path: str
    title_key: str

    @property
    def name(self) -> str:
        return self.url_path or "home"


def app_pages() -> list[PageRef]:
    """Every page the navigation offers: home, each available demo, cache, about."""
    pages = [PageRef("", "home.title")]  # the default page lives at the root URL
    from dl_apps.ui.nav import listed_tasks, page_url_path  # a page shared by several tasks is listed once

    pages += [PageRef(page_url_path(task), f"{task.name}.title") for task in listed_tasks(load_registry().tasks_in_order())]
    pages += [PageRef("cache", "cache.title"), PageRef("about", "about.title")]
    return pages


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen
    started_at: float
    ready_s: float


@contextlib.contextmanager
def streamlit_server(offline: bool = True, timeout_s: float = 120.0, env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """Run the app on a free loopback port until the block ends.

    ``offline=True`` puts ``tests/offline/sitecustomize.py`` on the server's path: any
    socket connection to a non-loopback address then fails, proving the app needs no network.
    """
    port = free_port()
    server_env = {"MALLOC_ARENA_MAX": SERVER_MALLOC_ARENAS, **os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **(env or {})}
    if offline:
        server_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE_SITE_DIR), server_env.get("PYTHONPATH")]))
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]
    log_file = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"dl_hub_streamlit_{port}.log", "w")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=server_env, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {process.returncode}; see {log_file.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not start within {timeout_s:.0f} s; see {log_file.name}")
            time.sleep(0.2)
        yield RunningServer(url=url, process=process, started_at=started, ready_s=time.perf_counter() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log_file.close()


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A Playwright page in headless system Chromium."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: apt-get install chromium (the set-up scripts do this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def wait_until_idle(page: Any, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has rendered and finished running the script."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    # While a script runs, the status widget shows "Running..." and/or a "Stop" button.
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stStatusWidget"]');
                   if (!s) return true;
                   const text = s.innerText.toLowerCase();
                   return !text.includes('running') && !text.includes('stop'); }""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)


def open_page(page: Any, base_url: str, url_path: str, lang: str, title: str) -> None:
    """Open one app page in ``lang`` and wait for its title and the end of the run."""
    page.goto(f"{base_url}/{url_path}?lang={lang}")
    page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
    wait_until_idle(page)


def exception_count(page: Any) -> int:
    """How many Streamlit exception boxes are on the page."""
    return page.locator('[data-testid="stException"]').count()


def whole_page_screenshot(page: Any, path: Path, width: int = 1280, max_height: int = 8000) -> None:
    """A PNG of the whole page: Streamlit scrolls inside its main block, so the window is
    grown to the block's height for the shot (Playwright's full_page sees only the window)."""
    height = page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   return main ? main.scrollHeight : document.body.scrollHeight; }"""
    )
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": int(min(max(height, 600), max_height))})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    if original:
        page.set_viewport_size(original)


GALLERY_CLIP = {"x": 340, "y": 90, "width": 900, "height": 506}  # the top of a page's main column
GALLERY_SIZE = (480, 270)


def take_screenshots(out_dir: Path, languages: list[str], gallery_dir: Path | None = None) -> list[Path]:
    """One full-page PNG per page and language into ``out_dir``; returns the paths.

    With ``gallery_dir``, also writes a 480×270 thumbnail of each demo page (English)
    there, named ``<task>.png``: the home gallery's card pictures.
    """
    from PIL import Image

    from dl_apps.ui.i18n import t

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    demo_names = set(load_registry().tasks)
    with streamlit_server() as server, chromium_page() as page:
        for lang in languages:
            for ref in app_pages():
                open_page(page, server.url, ref.url_path, lang, t(ref.title_key, lang))
                path = out_dir / f"{ref.name}-{lang}.png"
                whole_page_screenshot(page, path)
                written.append(path)
                if gallery_dir is not None and lang == languages[0] and ref.url_path in demo_names:
                    gallery_dir.mkdir(parents=True, exist_ok=True)
                    thumbnail = gallery_dir / f"{ref.url_path}.png"
                    page.screenshot(path=str(thumbnail), clip=GALLERY_CLIP)
                    Image.open(thumbnail).convert("RGB").resize(GALLERY_SIZE, Image.LANCZOS).save(thumbnail, optimize=True)
                    written.append(thumbnail)
    return written


def measure_first_paint() -> dict[str, Any]:
    """Seconds from ``streamlit run`` to the home title painted in an already open browser.

    The browser starts first (its own launch is not the app's start-up); then the server
    starts and the page is requested as soon as the server answers its health check.
    Also: the same page reloaded (the browser has the front-end cached by then).
    """
    from dl_apps.ui.i18n import t

    title = t("home.title", "en")
    with chromium_page() as page:
        with streamlit_server() as server:
            page.goto(f"{server.url}/?lang=en")
            page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
            painted = time.perf_counter()
            reload_started = time.perf_counter()
            page.reload()
            page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
            reload_s = time.perf_counter() - reload_started
    return {
        "model": "home page",
        "server_ready_s": round(server.ready_s, 2),
        "first_paint_after_start_s": round(painted - server.started_at, 2),
        "first_paint_after_ready_s": round(painted - server.started_at - server.ready_s, 2),
        "reload_paint_s": round(reload_s, 2),
    }

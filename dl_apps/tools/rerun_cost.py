"""What a click costs the server: CPU seconds of the Streamlit process per interaction, beside the model's own time.

Under load a page's reruns, not its model, were the server's main cost (about 0.46 core-seconds
per sentiment click for 0.02 s of model time).  This benchmark opens each page in a real
browser (Debian Chromium through :mod:`dl_apps.tools.browser`), clicks each of its sample
buttons once (each a new input, so nothing comes from a session cache), and reads:

* ``server_cpu_ms``: user + system CPU of the server process per click (psutil), everything the
  server did for that click — the script run, serialising the page, the model;
* ``model_ms``: the inference latencies the page itself shows for that click (its latency badges);
* ``ratio``: server CPU ÷ model time (the target on sentiment is at most 3);
* ``browser_cpu_ms``: CPU of the driver's Chromium processes per click (rendering the answer:
  on a workshop this is the attendee's laptop, but here it shares the server's two cores).

``python -m dl_apps bench reruns [--json]``.  Loopback only; bounded (a few clicks per page).
"""

from __future__ import annotations

import re
import statistics
import time
from typing import Any

# page url path → the key prefix of its sample buttons (dl_apps.ui.page.sample_buttons(key=...))
SAMPLE_BUTTONS: dict[str, str] = {
    "sentiment": "sentiment_sample",
    "qa": "qa_question",
    "detection": "detection_sample",
    "recommend": "recommend_profile",
    "medical": "medical_sample",
    "attack": "attack_sample_digits",
    "explain": "explain_tab_sample",
}
# page url path → what to click first so that its sample buttons appear (not counted)
PREPARE: dict[str, tuple[str, str | None]] = {
    "qa": ("qa_passage", None),  # a passage first: its questions are the samples that run the model
    "medical": ("medical_source", "medical.source.sample"),  # the atlas is the default source
}
MAX_CLICKS = 6
LATENCY_PATTERN = re.compile(r"([\d.,\u202f ]+)\s*ms")


def _latencies_shown(page: Any) -> list[float]:
    """The numbers of every latency badge on the page (``⏱ 20 ms``)."""
    values = []
    for badge in page.locator(".stMarkdownBadge").all():
        text = badge.inner_text() or ""
        match = LATENCY_PATTERN.search(text)
        if match:
            try:
                values.append(float(match.group(1).replace(",", "").replace("\u202f", "").replace(" ", "")))
            except ValueError:
                continue
    return values


def measure_page(page: Any, server: Any, url_path: str, key_prefix: str, clicks: int = MAX_CLICKS) -> dict[str, Any]:
    """Click up to ``clicks`` distinct sample buttons of one page; server CPU and model time per click."""
    from dl_apps.tools import browser
    from dl_apps.tools.load import MemorySampler
    from dl_apps.ui.i18n import t

    usage = MemorySampler(front_pids=[server.process.pid])  # the server's and the browsers' CPU, as in bench load
    page.goto(f"{server.url}/{url_path}?lang=en")
    if url_path in PREPARE:
        key, label = PREPARE[url_path]
        first = page.locator(f'[class*="st-key-{key}"] button')
        if label is not None:
            first = first.filter(has_text=t(label, "en"))
        first.first.wait_for(timeout=120_000)
        first.first.click()
        browser.wait_until_idle(page)
    selector = f'[class*="st-key-{key_prefix}_"] button'
    try:
        page.wait_for_selector(selector, timeout=120_000)
    except Exception:  # noqa: BLE001 - reported as the row's error below
        pass
    browser.wait_until_idle(page)
    buttons = page.locator(selector)
    count = buttons.count()
    if count == 0:
        return {"task": "reruns", "page": url_path, "error": f"no sample buttons with key {key_prefix}_*"}
    buttons.nth(0).click()  # warm: the model loads into the cache here, not counted
    browser.wait_until_idle(page)
    cpu_ms, model_ms, wall_ms, browser_ms = [], [], [], []
    for index in list(range(1, count))[:clicks]:
        usage.mark_cpu()
        started = time.perf_counter()
        page.locator(f'[class*="st-key-{key_prefix}_"] button').nth(index).click()
        browser.wait_until_idle(page)
        wall_ms.append((time.perf_counter() - started) * 1000.0)
        usage.sample()
        used = usage.cpu_seconds()
        cpu_ms.append(used["front"] * 1000.0)
        browser_ms.append(used["browser"] * 1000.0)
        model_ms.append(sum(_latencies_shown(page)))
    cpu, model = statistics.median(cpu_ms), statistics.median(model_ms)
    return {
        "task": "reruns",
        "page": url_path,
        "clicks": len(cpu_ms),
        "server_cpu_ms": round(cpu, 1),
        "model_ms": round(model, 1),
        "ratio": round(cpu / model, 2) if model > 0 else None,
        "wall_ms_p50": round(statistics.median(wall_ms), 0),
        "browser_cpu_ms": round(statistics.median(browser_ms), 1),
    }


def measure_pages(pages: dict[str, str] | None = None, clicks: int = MAX_CLICKS) -> list[dict[str, Any]]:
    """One row per page of ``pages`` (url path → sample key prefix), in one server and one browser."""
    from dl_apps.tools import browser

    rows = []
    with browser.streamlit_server() as server, browser.chromium_page() as page:
        for url_path, prefix in (pages or SAMPLE_BUTTONS).items():
            try:
                rows.append(measure_page(page, server, url_path, prefix, clicks))
            except Exception as error:  # one page's failure must not hide the others' rows
                rows.append({"task": "reruns", "page": url_path, "error": f"{type(error).__name__}: {error}"})
    return rows

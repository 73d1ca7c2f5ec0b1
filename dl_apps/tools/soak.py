"""Soak test: N real browser sessions on mixed pages for M minutes; errors, latency and the server's memory over time.

``python -m dl_apps bench soak --sessions N --minutes M [--task T ...] [--json]`` (issue 21).
It shares the driver of ``bench load`` (:mod:`dl_apps.tools.load`: Playwright + Debian Chromium,
loopback only, bounded in sessions and time, stops by itself) and adds the memory timeline:
the server's RSS at the end of every minute and its growth from the end of the first minute
(once the models are loaded) to the end of the run.  A workshop server must keep errors at 0
and memory growth under 10% (:data:`MAX_GROWTH`).
"""

from __future__ import annotations

import time
from typing import Any

from dl_apps.tools import load

MAX_MINUTES = 60
MAX_GROWTH = 0.10
SOAK_TASKS = ("sentiment", "qa", "detection", "recommend")


def memory_timeline(samples: list[float], every_s: float, minutes: float) -> list[float]:
    """The RSS sample closest to the end of each minute (MB)."""
    if not samples:
        return []
    per_minute = max(1, int(round(60 / every_s)))
    marks = [min(len(samples) - 1, per_minute * (m + 1)) for m in range(max(1, int(minutes)))]
    return [round(samples[i], 1) for i in marks]


def run_soak(sessions: int, minutes: float, tasks: list[str] | None = None, every_s: float = 1.0, think_s: float = 0.0) -> dict[str, Any]:
    """The whole soak run on a server of its own; returns one summary row (JSON-able).

    ``think_s``: each session's pause after every answer (0: the next click at once)."""
    from dl_apps.tools.browser import streamlit_server

    if not 0 < minutes <= MAX_MINUTES:
        raise load.LoadError(f"minutes must be between 0 and {MAX_MINUTES}")
    if not 1 <= sessions <= load.MAX_SESSIONS:
        raise load.LoadError(f"sessions must be between 1 and {load.MAX_SESSIONS}")
    if not 0 <= think_s <= load.MAX_THINK_S:
        raise load.LoadError(f"think time must be between 0 and {load.MAX_THINK_S} s")
    tasks = list(tasks or SOAK_TASKS)
    unknown = [task for task in tasks if task not in load.recipes()]
    if unknown:
        raise load.LoadError(f"no load recipe for {unknown}; known: {sorted(load.recipes())}")
    with streamlit_server() as server:
        with load.MemorySampler(every_s=every_s, front_pids=[server.process.pid]) as memory:
            started = time.perf_counter()
            tallies = load.run_in_fresh_loop(load.drive(server.url, sessions, minutes * 60.0, tasks, think_s))
            wall_s = time.perf_counter() - started
        rows = load.rows_from(tallies, "embedded", wall_s, memory.figures(), think_s)
        samples = memory.samples["front"]
    overall = next((row for row in rows if row["task"] == "all"), rows[0])
    timeline = memory_timeline(samples, every_s, minutes)
    settled = timeline[0] if timeline else None
    end = samples[-1] if samples else None
    growth = (end - settled) / settled if settled and end else None
    return {
        "task": "soak",
        "sessions": sessions,
        "minutes": minutes,
        "pages": tasks,
        "think_s": think_s,
        "requests": overall["requests"],
        "errors": overall["errors"],
        "exceptions": overall["exceptions"],
        "reclicks": overall["reclicks"],
        "silent_runs": overall.get("silent_runs", 0),
        "server_cpu_ms_per_request": overall.get("server_cpu_ms_per_request"),
        "browser_cpu_ms_per_request": overall.get("browser_cpu_ms_per_request"),
        "p50_s": overall["p50_s"],
        "p95_s": overall["p95_s"],
        "server_rss_mb_per_minute": timeline,
        "server_rss_mb_start": round(samples[0], 1) if samples else None,
        "server_rss_mb_peak": round(max(samples), 1) if samples else None,
        "server_rss_mb_end": round(end, 1) if end else None,
        "growth_after_first_minute": round(growth, 4) if growth is not None else None,
        "meets_goal": bool(overall["errors"] == 0 and overall["exceptions"] == 0 and growth is not None and growth < MAX_GROWTH),
        "per_page": [row for row in rows if row["task"] != "all"],
    }

"""Benchmarks: latency and memory of every offline model, with baselines measured in the same run.

Row per model (docs/cli.md): ``task, model, load_s, p50_ms, p95_ms, rss_mb`` and
``baseline`` / ``baseline_p50_ms`` / ``ratio`` (baseline ÷ this, > 1 = faster).  The
default baseline is ``load-per-request``: a fresh cache, load, run once, drop — what a
page without the shared cache would do.  Task modules may add rows with
``bench_extra(calls) -> list[dict]``; ``sentiment`` also runs the cache benchmarks
(16 threads on one cold model; 10 concurrent requests), and ``app`` times the home
page's first paint in a real browser.

Timings on a shared machine are noisy: compare ratios measured in one run.
"""

from __future__ import annotations

import gc
import importlib
import platform
import statistics
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable

from dl_apps.cache import MB, ModelCache, process_rss_bytes
from dl_apps.registry import load_registry
from dl_apps.stats import percentile

BASELINE_REPEATS = 3


def machine_info() -> dict[str, Any]:
    import os

    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }


def bench_model(task: str, module: Any, model_id: str, calls: int) -> dict[str, Any]:
    """Cold load time, warm p50/p95 over ``calls`` runs, RSS, and the load-per-request baseline."""
    args = module.bench_args()
    cache = ModelCache(budget_mb=100_000)
    started = time.perf_counter()
    cache.get(model_id, task=task)
    load_s = time.perf_counter() - started
    rss_mb = process_rss_bytes() / MB
    module.cli_run(dict(args), model_id, cache)  # first call warms lazy paths
    latencies = [module.cli_run(dict(args), model_id, cache).latency_ms for _ in range(calls)]
    p50 = statistics.median(latencies)
    cache.clear()
    baseline = []
    for _ in range(BASELINE_REPEATS):
        fresh = ModelCache(budget_mb=100_000)
        started = time.perf_counter()
        module.cli_run(dict(args), model_id, fresh)
        baseline.append((time.perf_counter() - started) * 1000.0)
        fresh.clear()
        del fresh
        gc.collect()
    baseline_p50 = statistics.median(baseline)
    return {
        "task": task,
        "model": model_id,
        "load_s": round(load_s, 3),
        "p50_ms": round(p50, 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "calls": calls,
        "rss_mb": round(rss_mb, 1),
        "baseline": "load-per-request",
        "baseline_p50_ms": round(baseline_p50, 2),
        "ratio": round(baseline_p50 / p50, 1) if p50 > 0 else None,
    }


def bench_cache_load_once(task: str, model_id: str, threads: int = 16) -> dict[str, Any]:
    """``threads`` threads ask a fresh cache for the same cold model at once: how many loads?"""
    cache = ModelCache(budget_mb=100_000)
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            barrier.wait()
            cache.get(model_id, task=task)
        except BaseException as error:  # recorded and reported in the row
            errors.append(error)

    started = time.perf_counter()
    workers = [threading.Thread(target=ask) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stats = cache.stats()[model_id]
    cache.clear()
    return {
        "task": "cache",
        "model": model_id,
        "benchmark": f"{threads} threads ask for the same cold model",
        "threads": threads,
        "loads": stats.loads,
        "hits": stats.hits,
        "errors": len(errors),
        "wall_s": round(time.perf_counter() - started, 3),
    }


def bench_concurrent_requests(task: str, module: Any, model_id: str, requests: int = 10) -> dict[str, Any]:
    """``requests`` simultaneous requests on a warm model: end-to-end p50/p95 (queueing included)."""
    cache = ModelCache(budget_mb=100_000)
    cache.get(model_id, task=task)
    args = module.bench_args()
    barrier = threading.Barrier(requests)
    totals: list[float] = []
    lock = threading.Lock()

    def request() -> None:
        barrier.wait()
        started = time.perf_counter()
        module.cli_run(dict(args), model_id, cache)
        with lock:
            totals.append((time.perf_counter() - started) * 1000.0)

    workers = [threading.Thread(target=request) for _ in range(requests)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    cache.clear()
    return {
        "task": "cache",
        "model": model_id,
        "benchmark": f"{requests} concurrent requests, warm model",
        "requests": requests,
        "max_concurrent": cache.max_concurrent,
        "p50_ms": round(statistics.median(totals), 2),
        "p95_ms": round(percentile(totals, 95), 2),
    }


def bench_task(task: str, calls: int) -> list[dict[str, Any]]:
    """Every offline model of ``task``, then the task's own extra rows."""
    registry = load_registry()
    task = registry.task(task).name  # accepts the CLI's short names (detect)
    module = importlib.import_module(registry.task(task).module or f"dl_apps.{task}")
    rows = []
    # slow tasks (seconds per call) cap the warm calls: ``BENCH_MAX_CALLS`` in their module
    model_calls = min(calls, getattr(module, "BENCH_MAX_CALLS", calls))
    for spec in registry.models_for(task):
        if spec.source == "hub":
            continue
        try:
            rows.append(bench_model(task, module, spec.id, model_calls))
        except Exception as error:  # a missing optional model must not hide the others
            rows.append({"task": task, "model": spec.id, "error": f"{type(error).__name__}: {error}"})
    extra: Callable[[int], list[dict[str, Any]]] | None = registry.task(task).bench_extra()
    if extra is not None:
        rows.extend(extra(calls))
    if task == "sentiment":
        default = registry.default_for(task).id
        rows.append(bench_cache_load_once(task, default))
        rows.append(bench_concurrent_requests(task, module, default))
    return rows


def run_benchmarks(tasks: list[str], calls: int = 50) -> list[dict[str, Any]]:
    """All rows for ``tasks``; each row carries the machine facts of this run."""
    info = machine_info()
    rows: list[dict[str, Any]] = []
    for task in tasks:
        if task == "app":
            from dl_apps.tools.browser import measure_first_paint

            rows.append({"task": "app", **measure_first_paint()})
            continue
        if task == "reruns":
            from dl_apps.tools.rerun_cost import measure_pages

            rows.extend(measure_pages())
            continue
        rows.extend(bench_task(task, calls))
    for row in rows:
        row.setdefault("machine", info)
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of the model rows, then the extra rows one per line."""
    lines = ["| task | model | load s | p50 ms | p95 ms | RSS MB | baseline | baseline p50 ms | ratio |", "|---|---|---|---|---|---|---|---|---|"]
    extras = []
    for row in rows:
        if "load_s" in row:
            lines.append(
                f"| {row['task']} | {row['model']} | {row['load_s']:.2f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
                f"{row['rss_mb']:.0f} | {row['baseline']} | {row['baseline_p50_ms']:.0f} | {row['ratio']}x |"
            )
        else:
            extras.append(", ".join(f"{k}={v}" for k, v in row.items() if k != "machine"))
    info = rows[0]["machine"] if rows else machine_info()
    header = f"Measured {info['date']} on {info['cpus']} CPUs ({info['machine']}, Python {info['python']})"
    return "\n".join([header, "", *lines, "", *extras])

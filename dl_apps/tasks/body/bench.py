"""Benchmark rows of the body page's modes (``python -m dl_apps bench pose`` adds them).

For each mode: the p50 latency of the model on a 640×480 picture, measured with the
process pinned to ONE core (the issue's targets: pose ≤ 100 ms, face mesh ≤ 20 ms,
segmentation ≤ 20 ms), and the live frame rate: a 60-frame "video" (the same picture
shifted a few pixels per frame) through the live annotator, tracking included, drawing
included.  Machines are noisy: compare rows of one run.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from typing import Any, Iterator

import numpy as np

TARGETS_MS = {"pose": 100.0, "mesh": 20.0, "segment": 20.0}
PICTURE_SIZE = (640, 480)
LIVE_FRAMES = 60
# mode -> the sample its 640×480 picture is made from (someone the mode can find)
MODE_SAMPLES = {"pose": "person", "hands": "person", "mesh": "astronaut", "segment": "astronaut", "blur": "astronaut"}


@contextlib.contextmanager
def one_core() -> Iterator[int | None]:
    """Pin this thread (and the threads it starts, e.g. a new mediapipe graph's) to one CPU; restore after."""
    if not hasattr(os, "sched_getaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    core = min(before)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, before)


def picture(name: str) -> np.ndarray:
    """A bundled sample resized to 640×480 RGB."""
    import cv2

    from dl_apps.tasks.body import prepare_image, sample

    pixels, _ = prepare_image(str(sample(name).path))
    return cv2.resize(pixels, PICTURE_SIZE, interpolation=cv2.INTER_AREA)


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Rows per mode of the page (p50 on a 640×480 picture, on one core) and the live frame rate of each."""
    return mode_rows(calls)


def mode_rows(calls: int = 30) -> list[dict[str, Any]]:
    """One row per mode: p50/p95 model latency on one core, what was found, and the live frame rate."""
    from dl_apps.cache import ModelCache
    from dl_apps.stats import percentile
    from dl_apps.tasks.body.modes import MODES, LiveAnnotator, ModeSettings, model_for, run_mode

    calls = max(5, min(int(calls), 40))
    rows = []
    with one_core() as core:
        cache = ModelCache(budget_mb=100_000)  # fresh: the graphs' threads start under the one-core affinity
        try:
            for mode in MODES:
                image = picture(MODE_SAMPLES[mode])
                settings = ModeSettings(mode=mode)
                spec = model_for(mode)
                run_mode(settings, image, cache=cache)  # load + first call
                latencies = [run_mode(settings, image, cache=cache).latency_ms for _ in range(calls)]
                found = run_mode(settings, image, cache=cache).found
                annotator = LiveAnnotator(cache, settings)
                annotator(image)  # the stream's tracking graph is created on its first frame
                started = time.perf_counter()
                for index in range(LIVE_FRAMES):
                    annotator(np.ascontiguousarray(np.roll(image, 2 * (index % 10), axis=1)))
                live_fps = LIVE_FRAMES / (time.perf_counter() - started)
                p50 = statistics.median(latencies)
                row = {
                    "task": spec.task,
                    "model": spec.id,
                    "benchmark": f"mode {mode}, 640x480 {MODE_SAMPLES[mode]} picture, 1 core",
                    "mode": mode,
                    "cpu": core,
                    "calls": calls,
                    "p50_ms": round(p50, 2),
                    "p95_ms": round(percentile(latencies, 95), 2),
                    "found": found,
                    "live_fps": round(live_fps, 1),
                    "live_errors": annotator.last_error,
                }
                if mode in TARGETS_MS:
                    row["target_ms"] = TARGETS_MS[mode]
                    row["within_target"] = p50 <= TARGETS_MS[mode]
                rows.append(row)
        finally:
            cache.clear()
    return rows

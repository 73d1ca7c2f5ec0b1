"""Compression in the background: one thread per (model, method), with progress, shared by sessions.

The page starts a job and polls it; a rerun or another visitor asking for the same
(model, method) joins the running job instead of starting a second one; a finished
result is kept by :data:`dl_apps.tasks.compress.RESULTS` and returned at once.
The work itself holds one of the cache's inference slots (``ModelCache.slot``), so
compressions count against the same limit as every other inference on the server.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from dl_apps.cache import ModelCache
from dl_apps.core import InputError

log = logging.getLogger(__name__)


@dataclass
class Job:
    """One compression run: its progress (0-1), current stage, and its result or error."""

    model_id: str
    method: str
    progress: float = 0.0
    stage: str = "waiting"  # waiting, queued, loading, compressing, fine_tuning, training_student, training_alone, measuring, done
    queue_position: int | None = None
    result: Any = None
    error: InputError | None = None
    failure: str | None = None  # an unexpected error's type (logged on the server)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.model_id, self.method)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends (or ``timeout`` seconds); True if it ended."""
        return self._done.wait(timeout)

    def _report(self, fraction: float, stage: str) -> None:
        self.progress = max(self.progress, min(1.0, float(fraction)))
        self.stage = stage
        self.queue_position = None

    def _queued(self, position: int) -> None:
        self.stage = "queued"
        self.queue_position = position


_jobs: dict[tuple[str, str], Job] = {}
_lock = threading.Lock()


def _work(job: Job, cache: ModelCache) -> None:
    from dl_apps.tasks.compress import compress

    try:
        job.result = compress(job.model_id, job.method, cache=cache, progress=job._report, on_queue=job._queued)
        job.progress, job.stage = 1.0, "done"
    except InputError as error:
        job.error = error
    except MemoryError:
        log.exception("compression ran out of memory")
        job.failure = "MemoryError"
    except Exception as error:  # reported to the page as a short apology, logged in full here
        log.exception("compression of %s with %s failed", job.model_id, job.method)
        job.failure = type(error).__name__
    finally:
        job.finished = time.time()
        job._done.set()


def start(model_id: str | None, method: Any, cache: ModelCache) -> Job:
    """Start (or join) the compression of ``model_id`` with ``method``; returns its Job at once.

    The request is validated first: a bad method or model raises InputError here.
    """
    from dl_apps.tasks.compress import RESULTS, check_request

    spec, canonical = check_request(model_id, method)
    key = (spec.id, canonical)
    with _lock:
        running = _jobs.get(key)
        if running is not None and not running.done:
            return running
        job = Job(model_id=spec.id, method=canonical)
        cached = RESULTS.get(*key)
        if cached is not None:
            job.result, job.progress, job.stage, job.finished = cached, 1.0, "done", time.time()
            job._done.set()
            return job
        _jobs[key] = job
    threading.Thread(target=_work, args=(job, cache), name=f"compress-{spec.id}-{canonical}", daemon=True).start()
    return job


def get(model_id: str, method: str) -> Job | None:
    """The latest job for (model, method), running or finished, if any."""
    with _lock:
        return _jobs.get((model_id, method))


def running() -> int:
    """How many compression jobs are running now (all sessions)."""
    with _lock:
        return sum(1 for job in _jobs.values() if not job.done)

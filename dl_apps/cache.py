"""The shared model cache: load each model once, keep memory in a budget, share it safely.

One ``ModelCache`` serves every session of the Streamlit process (held there with
``st.cache_resource``), the CLI, the benchmarks and the tests.  It is plain Python.

* ``get(id)`` loads a model once: concurrent callers for the same id wait for the
  first caller's load (a per-id lock); callers for other ids are not blocked.
* A memory budget (``DL_HUB_CACHE_MB``): before a load that would exceed it, the
  least recently used models that nobody is using are released.
* ``use(id)`` is how inference is done: it pins the model (never evicted under its
  user), serialises inference on models that are not thread-safe, and takes one of
  a global number of inference slots (``DL_HUB_MAX_CONCURRENT``) so that one busy
  workshop cannot starve the machine; a caller that must wait is told its place.
* Stats per model (hits, misses, loads, load seconds, approximate bytes, last use).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterator

from dl_apps.registry import ModelSpec, get_model_spec

log = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_BUDGET_MB = 8000.0


def process_rss_bytes() -> int:
    """Resident memory of this process, in bytes."""
    import psutil

    return int(psutil.Process().memory_info().rss)


def approx_model_bytes(model: Any) -> int | None:
    """Best guess of a loaded model's memory: its own ``approx_bytes()``, or torch tensors."""
    own = getattr(model, "approx_bytes", None)
    if callable(own):
        value = own()
        if value is not None:
            return int(value)
    if "torch" in sys.modules:
        import torch

        if isinstance(model, torch.nn.Module):
            tensors = list(model.parameters()) + list(model.buffers())
            return sum(t.numel() * t.element_size() for t in tensors)
    return None


@dataclass
class ModelStats:
    """Counters for one model id, as shown on the cache page and by ``models``."""

    model_id: str
    hits: int = 0
    misses: int = 0
    loads: int = 0
    evictions: int = 0
    load_seconds: float | None = None
    approx_bytes: int | None = None
    last_used: float | None = None
    loaded: bool = False
    in_use: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Entry:
    spec: ModelSpec
    model: Any
    approx_bytes: int
    inference_lock: threading.Lock
    pins: int = 0


class ModelCache:
    """Load-once, budgeted, thread-safe store of loaded models (see module docstring)."""

    def __init__(
        self,
        budget_mb: float | None = None,
        max_concurrent: int | None = None,
        spec_resolver: Callable[[str, str | None], ModelSpec] = get_model_spec,
    ) -> None:
        if budget_mb is None:
            budget_mb = float(os.environ.get("DL_HUB_CACHE_MB", DEFAULT_BUDGET_MB))
        if max_concurrent is None:
            max_concurrent = int(os.environ.get("DL_HUB_MAX_CONCURRENT", os.cpu_count() or 2))
        self.budget_bytes = int(budget_mb * MB)
        self.max_concurrent = max(1, max_concurrent)
        self._resolve_spec = spec_resolver
        self._lock = threading.RLock()
        self._entries: dict[str, _Entry] = {}
        self._load_locks: dict[str, threading.Lock] = {}
        self._stats: dict[str, ModelStats] = {}
        self._slots = threading.Semaphore(self.max_concurrent)
        self._waiting = 0
        self._active = 0

    # ----------------------------------------------------------------- loading
    def spec(self, model_id: str, task: str | None = None) -> ModelSpec:
        """The registry spec of ``model_id`` (``hub:`` ids need ``task``)."""
        with self._lock:
            entry = self._entries.get(model_id)
        return entry.spec if entry else self._resolve_spec(model_id, task)

    def get(self, model_id: str, task: str | None = None) -> Any:
        """Return the loaded model, loading it once if needed (blocks while another thread loads it)."""
        return self._get_entry(model_id, task, pin=False).model

    def _get_entry(self, model_id: str, task: str | None, pin: bool) -> _Entry:
        with self._lock:
            entry = self._hit(model_id, pin)
            if entry is not None:
                return entry
            load_lock = self._load_locks.setdefault(model_id, threading.Lock())
        with load_lock:
            with self._lock:
                entry = self._hit(model_id, pin)  # loaded by the thread we waited for
                if entry is not None:
                    return entry
            spec = self._resolve_spec(model_id, task)
            self._make_room(spec)
            rss_before = process_rss_bytes()
            started = time.perf_counter()
            log.info("loading model %s", model_id)
            model = spec.resolve_loader()(spec)
            seconds = time.perf_counter() - started
            size = approx_model_bytes(model)
            if size is None:
                size = max(process_rss_bytes() - rss_before, int((spec.size_mb or 0) * MB))
            entry = _Entry(spec=spec, model=model, approx_bytes=size, inference_lock=threading.Lock())
            with self._lock:
                self._entries[model_id] = entry
                stats = self._stats_for(model_id)
                stats.misses += 1
                stats.loads += 1
                stats.load_seconds = seconds
                stats.approx_bytes = size
                stats.last_used = time.time()
                if pin:
                    entry.pins += 1
            log.info("loaded %s in %.2fs (~%.0f MB)", model_id, seconds, size / MB)
            return entry

    def _hit(self, model_id: str, pin: bool) -> _Entry | None:
        entry = self._entries.get(model_id)
        if entry is None:
            return None
        stats = self._stats_for(model_id)
        stats.hits += 1
        stats.last_used = time.time()
        if pin:
            entry.pins += 1
        return entry

    def _stats_for(self, model_id: str) -> ModelStats:
        return self._stats.setdefault(model_id, ModelStats(model_id=model_id))

    def _expected_bytes(self, spec: ModelSpec) -> int:
        known = self._stats.get(spec.id)
        if known and known.approx_bytes:
            return known.approx_bytes
        return int((spec.size_mb or 0) * MB)

    def _make_room(self, spec: ModelSpec) -> None:
        """Evict least recently used, unpinned models until ``spec`` fits in the budget."""
        dropped = False
        with self._lock:
            needed = self._expected_bytes(spec)
            while self._entries and self.used_bytes() + needed > self.budget_bytes:
                idle = [(self._stats[i].last_used or 0.0, i) for i, e in self._entries.items() if e.pins == 0]
                if not idle:
                    log.warning("cache over budget but every loaded model is in use")
                    break
                _, victim = min(idle)
                self._drop(victim)
                dropped = True
        if dropped:  # a full collection only when memory was actually released
            gc.collect()

    def _drop(self, model_id: str) -> None:
        entry = self._entries.pop(model_id)
        entry.model = None
        self._stats_for(model_id).evictions += 1
        log.info("evicted %s", model_id)

    # --------------------------------------------------------------- inference
    def _acquire_slot(self, on_queue: Callable[[int], None] | None) -> None:
        """Take one inference slot, waiting in line if all are busy (``on_queue(position)`` told once)."""
        if self._slots.acquire(blocking=False):
            return
        with self._lock:
            self._waiting += 1
            position = self._waiting
        if on_queue is not None:
            on_queue(position)
        try:
            self._slots.acquire()
        finally:
            with self._lock:
                self._waiting -= 1

    @contextmanager
    def slot(self, on_queue: Callable[[int], None] | None = None) -> Iterator[None]:
        """Hold one inference slot for work on no cached model (e.g. compressing a copy of one).

        Counts against ``DL_HUB_MAX_CONCURRENT`` like ``use``; ``on_queue(position)`` as in ``use``.
        Do not call ``use`` while holding it (that would take a second slot).
        """
        self._acquire_slot(on_queue)
        with self._lock:
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
            self._slots.release()

    @contextmanager
    def use(
        self,
        model_id: str,
        task: str | None = None,
        on_queue: Callable[[int], None] | None = None,
    ) -> Iterator[Any]:
        """Context manager for inference: take a slot, pin and lock the model, yield it.

        ``on_queue(position)`` is called once if every inference slot is busy, so
        the caller can tell its user it is queued (position 1 = next).
        """
        self._acquire_slot(on_queue)
        try:
            entry = self._get_entry(model_id, task, pin=True)
            try:
                lock = nullcontext() if entry.spec.thread_safe else entry.inference_lock
                with lock:
                    with self._lock:
                        self._active += 1
                    try:
                        yield entry.model
                    finally:
                        with self._lock:
                            self._active -= 1
            finally:
                with self._lock:
                    entry.pins -= 1
                    self._stats_for(model_id).last_used = time.time()
        finally:
            self._slots.release()

    # ------------------------------------------------------------- management
    def is_loaded(self, model_id: str) -> bool:
        with self._lock:
            return model_id in self._entries

    def evict(self, model_id: str) -> bool:
        """Release one model now; False if it is not loaded or is being used."""
        with self._lock:
            entry = self._entries.get(model_id)
            if entry is None or entry.pins > 0:
                return False
            self._drop(model_id)
        gc.collect()
        return True

    def clear(self) -> list[str]:
        """Release every model that is not in use; return the ids released."""
        with self._lock:
            released = [i for i, e in list(self._entries.items()) if e.pins == 0]
            for model_id in released:
                self._drop(model_id)
        gc.collect()
        return released

    def warmup(self, model_ids: list[str]) -> list[dict[str, Any]]:
        """Load each model (errors are reported per model, not raised)."""
        report = []
        for model_id in model_ids:
            started = time.perf_counter()
            try:
                self.get(model_id)
                report.append({"model": model_id, "ok": True, "seconds": time.perf_counter() - started})
            except Exception as error:  # one broken model must not stop a workshop warm-up
                log.exception("warm-up of %s failed", model_id)
                report.append({"model": model_id, "ok": False, "error": str(error)})
        return report

    def used_bytes(self) -> int:
        with self._lock:
            return sum(entry.approx_bytes for entry in self._entries.values())

    @property
    def waiting(self) -> int:
        """How many callers are queued for an inference slot right now."""
        return self._waiting

    @property
    def active(self) -> int:
        """How many inferences are running right now."""
        return self._active

    def stats(self) -> dict[str, ModelStats]:
        """A snapshot of the per-model counters (copies)."""
        with self._lock:
            snapshot = {}
            for model_id, stats in self._stats.items():
                entry = self._entries.get(model_id)
                copy = ModelStats(**asdict(stats))
                copy.loaded = entry is not None
                copy.in_use = entry.pins if entry else 0
                snapshot[model_id] = copy
            return snapshot


_shared_cache: ModelCache | None = None
_shared_lock = threading.Lock()


def shared_cache() -> ModelCache:
    """The process-wide cache used when a caller does not pass its own."""
    global _shared_cache
    with _shared_lock:
        if _shared_cache is None:
            _shared_cache = ModelCache()
        return _shared_cache

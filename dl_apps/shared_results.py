"""Results shared between the sessions of one server: the same question is answered once.

In a workshop every attendee clicks the same few samples within a minute of each other.  Each
click used to run the model again, on the same two cores the other attendees are waiting for.
This module remembers the last :data:`MAX_ENTRIES` results of the tasks that opt in (through
``run_cached(..., share_key=...)`` in :mod:`dl_apps.core`), keyed by the task, the resolved model
id and every input that changes the answer, and hands each later session a deep copy:

* the copy is marked: its ``latency_ms`` is 0 (no model ran for it) and it carries a
  ``shared_result`` notice with the model time the first answer took (``ms``), so no page shows a
  latency that did not happen;
* one session's copy cannot change another's (deep copies in, deep copies out);
* two sessions asking the same thing at the same moment do not both compute it: the second waits
  for the first (one computation in flight per key); if the first fails, the second computes its own;
* ``DL_HUB_SHARED_RESULTS=0`` (or ``false``/``no``/``off``) turns it off; the test suite does, so
  tests that repeat an input still see the model run (the feature's own tests turn it on).

Only results computed on the process's shared model cache are shared (core checks this), so a
test or a benchmark with its own cache never receives another's result.
"""

from __future__ import annotations

import copy
import hashlib
import os
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

ENV = "DL_HUB_SHARED_RESULTS"
MAX_ENTRIES = 256  # results are small (answers, scores, offsets): 256 fit in well under 10 MB
NOTICE_CODE = "shared_result"

T = TypeVar("T")

_lock = threading.Lock()
_results: OrderedDict[str, Any] = OrderedDict()  # digest → the first session's result (never handed out)
_in_flight: dict[str, threading.Event] = {}
_stats = {"hits": 0, "misses": 0}


def enabled() -> bool:
    """True unless ``DL_HUB_SHARED_RESULTS`` says off (read on each call: tests flip it)."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def digest(key: Hashable) -> str:
    """A short fixed-size name for ``key`` (a tuple of strings, numbers and tuples): passages stay out of the memo."""
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s result for ``key``: computed here the first time, else a marked copy of the first.

    ``compute`` returns a task result (a :class:`dl_apps.core.TaskResult`: ``latency_ms`` and
    ``notices``).  The caller always receives its own object; exceptions from ``compute`` propagate
    and nothing is remembered for them.
    """
    name = digest(key)
    while True:
        with _lock:
            if name in _results:
                _results.move_to_end(name)
                _stats["hits"] += 1
                return _marked_copy(_results[name])
            waiting = _in_flight.get(name)
            if waiting is None:
                _in_flight[name] = threading.Event()
                _stats["misses"] += 1
                break
        waiting.wait()  # another session computes this very input: wait, then read its result
        with _lock:
            if name not in _results:  # it failed (bad input, out of memory...): compute our own
                _stats["misses"] += 1
                return compute()
    try:
        result = compute()
        with _lock:
            _results[name] = copy.deepcopy(result)
            while len(_results) > MAX_ENTRIES:
                _results.popitem(last=False)
        return result
    finally:
        with _lock:
            _in_flight.pop(name).set()


def _marked_copy(original: T) -> T:
    result = copy.deepcopy(original)
    model_ms = float(getattr(original, "latency_ms", 0.0))
    result.latency_ms = 0.0
    result.notices.append(
        {
            "code": NOTICE_CODE,
            "message": f"The same request was answered a moment ago on this server; its result is shown (the model took {model_ms:,.0f} ms).",
            "ms": round(model_ms),
        }
    )
    return result


def is_shared(result: Any) -> bool:
    """True when ``result`` is a copy handed out by :func:`remembered` (it carries the notice)."""
    return any(item.get("code") == NOTICE_CODE for item in getattr(result, "notices", ()))


def stats() -> dict[str, int]:
    """Entries held, hits and misses since the start (or the last :func:`clear`), for the cache page."""
    with _lock:
        return {"entries": len(_results), **_stats}


def clear() -> None:
    """Forget every remembered result (the cache page's admin clear, and the tests)."""
    with _lock:
        _results.clear()
        _stats.update(hits=0, misses=0)

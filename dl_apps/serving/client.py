"""The front end's side of the model tier: ``DL_HUB_BACKEND=ray`` sends inferences here.

:func:`dl_apps.core.run_cached` calls :func:`run_on_tier` with the task's own
``predict`` closure; for a task the tier serves (a ``[deployments.<task>]`` block of the
serving file) the closure is posted to Serve's HTTP proxy at ``<tier url>/<task>`` and
the replica's answer comes back as the same result dataclass, with the replica's own
inference latency, queue notices passed to ``on_queue`` as they happen, and bad input
raised as the same :class:`~dl_apps.core.InputError` (code, message, params).

Tasks the tier does not serve, and closures that cannot travel (a progress callback
holding a Streamlit element), run embedded in this process as before.

Faults never hang a page: the connection has a short timeout, the answer the serving
file's ``timeout_s``; a tier that cannot be reached, a replica that dies mid-request or
an answer that is too late raise :class:`TierError` (an InputError, so pages show its
translated message and the CLI prints it), unless ``fallback = "embedded"`` is set: then
the request runs here and its result carries a ``tier_fallback`` notice.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import urlsplit

from dl_apps.core import InputError, notice, run_embedded
from dl_apps.registry import UnknownModelError
from dl_apps.serving import protocol
from dl_apps.serving.config import ServeConfig, load_config

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 3.0
STATUS_PATH = "/_tier"


class TierError(InputError):
    """The model tier could not answer: ``tier_unavailable``, ``tier_failed``, ``tier_timeout`` or ``tier_refused``."""


@lru_cache(maxsize=8)
def _config_for(path: str | None, *environment: str | None) -> ServeConfig:
    return load_config(path)


def tier_config() -> ServeConfig:
    """The serving file the front end reads (cached per file and per ``DL_HUB_TIER_*`` override)."""
    import os

    overrides = [os.environ.get(name) for name in ("DL_HUB_TIER_URL", "DL_HUB_TIER_FALLBACK", "DL_HUB_TIER_TIMEOUT_S")]
    return _config_for(os.environ.get("DL_HUB_SERVE_CONFIG"), *overrides)


def served_tasks() -> list[str]:
    """The tasks the tier serves (the others stay embedded)."""
    return sorted(tier_config().deployments)


def _connection(url: str, timeout_s: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise TierError("tier_unavailable", f"The model tier address {url!r} is not an http:// URL.", url=url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=CONNECT_TIMEOUT_S)
    try:
        connection.connect()
    except OSError as error:
        raise TierError(
            "tier_unavailable", f"The model tier at {url} cannot be reached ({error.__class__.__name__}).", url=url
        ) from error
    connection.sock.settimeout(timeout_s)
    return connection


def _post(config: ServeConfig, task: str, body: bytes, on_queue: Callable[[int], None] | None) -> Any:
    """POST one request and read its frames; returns the result or raises InputError/TierError."""
    url = config.url
    connection = _connection(url, config.timeout_s)
    try:
        headers = {"Content-Type": "application/octet-stream"}
        signature = protocol.sign(body)
        if signature:
            headers[protocol.SIGNATURE_HEADER] = signature
        connection.request("POST", f"/{task}", body=body, headers=headers)
        answer = connection.getresponse()
        if answer.status == 403:
            raise TierError("tier_refused", "The model tier refused the request (wrong DL_HUB_TIER_TOKEN).", url=url)
        if answer.status != 200:
            detail = answer.read(300).decode("utf-8", "replace").strip().splitlines()
            log.warning("tier answered %s for %s: %s", answer.status, task, detail[:1])
            raise TierError(
                "tier_failed", f"The model tier failed on this request (HTTP {answer.status}); please try again.", url=url
            )
        for kind, payload in protocol.read_frames(answer):
            if kind == protocol.QUEUE and on_queue is not None:
                on_queue(int(json.loads(payload)["position"]))
            elif kind == protocol.RESULT:
                import cloudpickle

                return cloudpickle.loads(payload)
            elif kind == protocol.ERROR:
                raise _error_from(json.loads(payload))
        raise EOFError("the answer ended without a result")
    except (socket.timeout, TimeoutError) as error:
        raise TierError(
            "tier_timeout", f"The model tier did not answer within {config.timeout_s:.0f} s.", seconds=config.timeout_s
        ) from error
    except (EOFError, http.client.HTTPException, ConnectionError) as error:
        raise TierError("tier_failed", "The model tier failed on this request; please try again.", url=url) from error
    finally:
        connection.close()


def _error_from(payload: dict[str, Any]) -> Exception:
    """The exception a replica reported, rebuilt on this side with the same code and message."""
    kind, code, message = payload.get("kind"), str(payload.get("code")), str(payload.get("message"))
    if kind == "input":
        return InputError(code, message, **(payload.get("params") or {}))
    if kind == "model":
        return UnknownModelError(message)
    return RuntimeError(message)


_inflight = 0
_inflight_lock = threading.Lock()


def inflight() -> int:
    """Requests this process has sent to the tier and not yet received."""
    return _inflight


def run_on_tier(
    task: str,
    model_id: str,
    predict: Callable[[Any], Any],
    cache: Any = None,
    on_queue: Callable[[int], None] | None = None,
) -> Any:
    """:func:`dl_apps.core.run_cached` through the tier (see the module docstring)."""
    global _inflight
    config = tier_config()
    if task not in config.deployments:
        return run_embedded(task, model_id, predict, cache, on_queue)
    try:
        body = protocol.encode_request(task, model_id, predict)
    except Exception:  # e.g. a progress callback holding a Streamlit element: stays local
        log.debug("request for %s cannot be pickled; running it embedded", task, exc_info=True)
        return run_embedded(task, model_id, predict, cache, on_queue)
    with _inflight_lock:
        _inflight += 1
    try:
        return _post(config, task, body, on_queue)
    except TierError as error:
        if config.fallback != "embedded":
            raise
        log.warning("tier failed (%s); running %s embedded", error.code, task)
        result = run_embedded(task, model_id, predict, cache, on_queue)
        result.notices.append(
            notice("tier_fallback", "The model tier did not answer: this result was computed on the web server instead.")
        )
        return result
    finally:
        with _inflight_lock:
            _inflight -= 1


def tier_status(timeout_s: float = 3.0) -> dict[str, Any]:
    """The tier's ``/_tier`` answer: deployments, replicas by state, per-replica queues (TierError if down)."""
    config = tier_config()
    connection = _connection(config.url, timeout_s)
    try:
        connection.request("GET", STATUS_PATH)
        answer = connection.getresponse()
        if answer.status != 200:
            raise TierError("tier_failed", f"The model tier status answered HTTP {answer.status}.", url=config.url)
        return json.loads(answer.read())
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise TierError("tier_unavailable", f"The model tier at {config.url} cannot be reached.", url=config.url) from error
    finally:
        connection.close()


def status_table(status: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per deployment of a :func:`tier_status` answer (for the cache page's tier view)."""
    rows = []
    for row in status.get("deployments", []):
        facts = row.get("replica_facts", [])
        rows.append(
            {
                "deployment": row["deployment"],
                "status": row["status"],
                "running": row["running"],
                "ongoing": row["ongoing"],
                "waiting": row["waiting"],
                "served": row["served"],
                "models": ", ".join(sorted({m for f in facts for m in f.get("models", [])})),
                "memory": round(sum(f.get("rss_mb", 0.0) for f in facts), 1),
            }
        )
    return rows

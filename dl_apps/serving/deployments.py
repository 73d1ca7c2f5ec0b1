"""The Ray Serve deployments of the model tier (imported only inside the tier: needs ``ray``).

* :class:`TaskModels`: one deployment per task (a family of models).  Each replica is a
  Ray worker process with its own :class:`dl_apps.cache.ModelCache`, so models are loaded
  by the registry's loaders exactly as in the embedded backend, and a request runs the
  task's own ``predict`` closure through :func:`dl_apps.core.run_embedded` (same
  latency figure, same errors, same queue notices).  ``GET`` answers this replica's facts.
* :class:`TierStatus` at ``/_tier``: every deployment's replicas (from ``serve.status()``)
  and each live replica's ongoing requests, queue and loaded models (reported by the
  replicas to a small named actor every second).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Any

import ray
from ray import serve

from dl_apps.serving import protocol

log = logging.getLogger(__name__)
STATS_ACTOR = "dl_hub_tier_stats"
STATS_NAMESPACE = "dl_hub"
REPORT_EVERY_S = 1.0
STALE_AFTER_S = 5.0


@ray.remote(num_cpus=0)
class TierStats:
    """Latest facts reported by each replica (kept in memory by this one small actor)."""

    def __init__(self) -> None:
        self.replicas: dict[str, dict[str, Any]] = {}

    def report(self, replica_id: str, facts: dict[str, Any]) -> None:
        self.replicas[replica_id] = {**facts, "reported_at": time.time()}

    def forget(self, replica_id: str) -> None:
        self.replicas.pop(replica_id, None)

    def snapshot(self) -> dict[str, dict[str, Any]]:
        now = time.time()
        return {key: value for key, value in self.replicas.items() if now - value["reported_at"] < STALE_AFTER_S}


def stats_actor() -> Any:
    """The tier's one stats actor (created by the first replica that asks)."""
    return TierStats.options(name=STATS_ACTOR, namespace=STATS_NAMESPACE, get_if_exists=True, lifetime="detached").remote()


@serve.deployment
class TaskModels:
    """One task's models behind Serve's HTTP proxy at ``/<task>`` (see the module docstring)."""

    def __init__(self, task: str, max_concurrent: int, warm_models: list[str]) -> None:
        os.environ["DL_HUB_BACKEND"] = "embedded"  # a replica runs models itself, never calls a tier
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from dl_apps.cache import ModelCache

        self.task = task
        self.cache = ModelCache(max_concurrent=max_concurrent)
        self.ongoing = 0
        self.served = 0
        try:
            self.replica_id = serve.get_replica_context().replica_id.unique_id
        except Exception:  # outside a replica (unit use)
            self.replica_id = f"{task}-{os.getpid()}"
        for model_id in warm_models:
            self.cache.get(model_id, task=task)
        self._stop = threading.Event()
        self._stats = stats_actor()
        threading.Thread(target=self._report_loop, name="tier-stats", daemon=True).start()

    def facts(self) -> dict[str, Any]:
        """This replica: pid, requests in flight, the cache's queue and its loaded models."""
        from dl_apps.cache import MB, process_rss_bytes

        stats = self.cache.stats()
        return {
            "deployment": self.task,
            "replica": self.replica_id,
            "pid": os.getpid(),
            "ongoing": self.ongoing,
            "active": self.cache.active,
            "waiting": self.cache.waiting,
            "served": self.served,
            "models": sorted(model_id for model_id, s in stats.items() if s.loaded),
            "rss_mb": round(process_rss_bytes() / MB, 1),
        }

    def _report_loop(self) -> None:
        while not self._stop.wait(REPORT_EVERY_S):
            try:
                self._stats.report.remote(self.replica_id, self.facts())
            except Exception:  # the stats are a convenience: never let them break serving
                log.debug("tier stats report failed", exc_info=True)

    def _work(self, body: bytes, on_queue: Any) -> bytes:
        """Decode and run one request; every outcome becomes one frame (never raises)."""
        from dl_apps.core import InputError, run_embedded
        from dl_apps.registry import UnknownModelError

        try:
            task, model_id, predict = protocol.decode_request(body)
            result = run_embedded(task, model_id, predict, self.cache, on_queue)
            return protocol.result_frame(result)
        except InputError as error:
            return protocol.error_frame("input", error.code, str(error), error.params)
        except UnknownModelError as error:
            return protocol.error_frame("model", "unknown_model", str(error))
        except Exception as error:  # reported to the front end, which shows a short message
            log.exception("tier request failed")
            return protocol.error_frame("internal", type(error).__name__, f"{type(error).__name__}: {error}")

    async def __call__(self, request: Any) -> Any:
        from starlette.responses import JSONResponse, Response, StreamingResponse

        if request.method == "GET":
            return JSONResponse(self.facts())
        body = await request.body()
        if not protocol.verify(body, request.headers.get(protocol.SIGNATURE_HEADER)):
            return Response("bad or missing signature", status_code=403)
        loop = asyncio.get_running_loop()
        frames: asyncio.Queue[bytes | None] = asyncio.Queue()

        def on_queue(position: int) -> None:
            loop.call_soon_threadsafe(frames.put_nowait, protocol.queue_frame(position))

        def work() -> None:
            answer = self._work(body, on_queue)
            loop.call_soon_threadsafe(frames.put_nowait, answer)
            loop.call_soon_threadsafe(frames.put_nowait, None)

        async def stream() -> Any:
            self.ongoing += 1
            try:
                loop.run_in_executor(None, work)
                while (item := await frames.get()) is not None:
                    yield item
            finally:
                self.ongoing -= 1
                self.served += 1

        return StreamingResponse(stream(), media_type="application/octet-stream")

    def __del__(self) -> None:
        stop = getattr(self, "_stop", None)
        if stop is not None:
            stop.set()


@serve.deployment(num_replicas=1, ray_actor_options={"num_cpus": 0})
class TierStatus:
    """``GET /_tier``: the deployments, their replica counts by state, and each replica's facts."""

    def __init__(self, deployments: list[str]) -> None:
        self.deployments = deployments
        self._stats = stats_actor()

    async def __call__(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        status = serve.status()
        replicas = await self._stats.snapshot.remote()
        rows = []
        for name in self.deployments:
            app = status.applications.get(name)
            states: dict[str, int] = {}
            app_status = "MISSING"
            if app is not None:
                app_status = str(getattr(app.status, "value", app.status))
                for deployment in app.deployments.values():
                    for state, count in deployment.replica_states.items():
                        key = str(getattr(state, "value", state))
                        states[key] = states.get(key, 0) + count
            live = [facts for facts in replicas.values() if facts.get("deployment") == name]
            rows.append(
                {
                    "deployment": name,
                    "status": app_status,
                    "replicas": states,
                    "running": states.get("RUNNING", 0),
                    "ongoing": sum(f["ongoing"] for f in live),
                    "waiting": sum(f["waiting"] for f in live),
                    "served": sum(f["served"] for f in live),
                    "replica_facts": sorted(live, key=lambda f: f["replica"]),
                }
            )
        return JSONResponse({"deployments": rows, "time": time.time()})

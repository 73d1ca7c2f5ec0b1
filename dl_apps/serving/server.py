"""``python -m dl_apps serve [--config FILE] [--replicas N]``: start the model tier and keep it up.

Starts a local Ray (``num_cpus`` of the file's ``[tier]``) or joins the cluster named by
``RAY_ADDRESS``, starts Serve's HTTP proxy on the file's host/port, deploys one
:class:`~dl_apps.serving.deployments.TaskModels` application per ``[deployments.<task>]``
(route ``/<task>``) and the status application (``/_tier``), waits until every
deployment answers, prints one line containing ``ready``, and on SIGINT/SIGTERM
removes the applications, stops Serve and Ray (a local one) and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.request
from typing import Sequence

from dl_apps.registry import REPO_ROOT, load_registry
from dl_apps.serving.config import ServeConfig, load_config

READY_TIMEOUT_S = 600.0


def worker_environment() -> dict[str, str]:
    """Environment the replicas need: the repo importable, offline hub, the embedded backend inside."""
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {
        "PYTHONPATH": path,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "DL_HUB_BACKEND": "embedded",
        "RAY_SERVE_HTTP_KEEP_ALIVE_TIMEOUT_S": "90",
    }


def start_ray(config: ServeConfig) -> bool:
    """Join ``RAY_ADDRESS`` or start a local Ray; returns True if the Ray was started here."""
    import ray

    env = worker_environment()
    joining = bool(os.environ.get("RAY_ADDRESS"))
    if joining:
        ray.init(address=os.environ["RAY_ADDRESS"], namespace="dl_hub", runtime_env={"env_vars": env}, log_to_driver=False)
    else:
        os.environ.update(env)  # a local raylet's workers inherit this process's environment
        ray.init(
            num_cpus=int(config.num_cpus) if float(config.num_cpus).is_integer() else config.num_cpus,
            _node_ip_address="127.0.0.1",  # one machine: Ray's own traffic stays on loopback
            include_dashboard=False,
            namespace="dl_hub",
            log_to_driver=False,
            configure_logging=False,
        )
    return not joining


def deploy(config: ServeConfig) -> None:
    """Start Serve's proxy and deploy every configured task plus the status application."""
    from ray import serve

    from dl_apps.serving.deployments import TaskModels, TierStatus

    registry = load_registry()
    serve.start(http_options={"host": config.host, "port": config.port})
    for task, deployment in config.deployments.items():
        warm = []
        if deployment.warm:
            warm = [registry.default_for(task).id] + [m for m in deployment.models if m != registry.default_for(task).id]
        app = TaskModels.options(**deployment.serve_options()).bind(task, deployment.max_concurrent, warm)
        serve.run(app, name=task, route_prefix=f"/{task}", blocking=False)
    serve.run(TierStatus.bind(sorted(config.deployments)), name="_tier", route_prefix="/_tier", blocking=False)


def wait_until_answering(config: ServeConfig, timeout_s: float = READY_TIMEOUT_S) -> dict[str, dict]:
    """GET every deployment until each answers 200; returns one replica's facts per task."""
    deadline = time.monotonic() + timeout_s
    facts: dict[str, dict] = {}
    for task in [*config.deployments, "_tier"]:
        while True:
            try:
                with urllib.request.urlopen(f"http://{config.host}:{config.port}/{task}", timeout=5) as answer:
                    if answer.status == 200:
                        facts[task] = json.loads(answer.read())
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"deployment {task!r} did not answer within {timeout_s:.0f} s")
            time.sleep(0.5)
    return facts


def shutdown(started_ray: bool) -> None:
    """Remove the applications and stop Serve; stop Ray if this process started it."""
    import ray
    from ray import serve

    try:
        serve.shutdown()
    finally:
        if started_ray:
            ray.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    """The ``serve`` sub-command (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps serve", description="run the Ray Serve model tier")
    parser.add_argument("--config", help="serving file (default: DL_HUB_SERVE_CONFIG or deploy/serve.toml)")
    parser.add_argument("--replicas", type=int, help="a fixed replica count for every deployment (overrides the file)")
    parser.add_argument("--port", type=int, help="HTTP port of the tier (overrides the file)")
    args = parser.parse_args(list(argv or []))
    config = load_config(args.config)
    if args.replicas:
        config.with_replicas(max(1, args.replicas))
    if args.port:
        config.port = args.port
    stop = threading.Event()
    started = time.perf_counter()
    started_ray = start_ray(config)
    for sig in (signal.SIGINT, signal.SIGTERM):  # after ray.init, which installs its own SIGTERM handler
        signal.signal(sig, lambda *_: stop.set())
    try:
        deploy(config)
        facts = wait_until_answering(config)
        replicas = {task: deployment.num_replicas for task, deployment in config.deployments.items()}
        print(
            f"ready: {len(config.deployments)} deployments on http://{config.host}:{config.port} "
            f"({', '.join(f'{t}×{n}' for t, n in replicas.items())}) in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        for task, fact in facts.items():
            if task != "_tier":
                print(f"  {task}: pid {fact['pid']}, models {', '.join(fact['models']) or '-'}", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
        print("stopping the model tier", file=sys.stderr, flush=True)
    finally:
        shutdown(started_ray)
    print("stopped", flush=True)
    return 0

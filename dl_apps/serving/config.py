"""The serving configuration file (``deploy/serve.toml``): where the tier listens, and its deployments.

Read by both sides: ``python -m dl_apps serve`` deploys what it lists, and the front
ends (``DL_HUB_BACKEND=ray``) read ``[tier]`` to find the tier and the deployment list
to know which tasks go there (the others stay embedded).  Plain Python, no Ray import.

Environment overrides: ``DL_HUB_SERVE_CONFIG`` (the file), ``DL_HUB_TIER_URL`` (the
tier's URL), ``DL_HUB_TIER_FALLBACK`` (``none`` | ``embedded``), ``DL_HUB_TIER_TIMEOUT_S``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dl_apps.registry import REPO_ROOT

DEFAULT_CONFIG = REPO_ROOT / "deploy" / "serve.toml"
CONFIG_ENV = "DL_HUB_SERVE_CONFIG"
DEPLOYMENT_KEYS = {"num_replicas", "max_ongoing_requests", "max_concurrent", "num_cpus", "warm", "autoscaling", "models"}


class ConfigError(ValueError):
    """The serving configuration file is missing or wrong (message says what and where)."""


@dataclass
class DeploymentConfig:
    """One Serve deployment: one task (a family of models) and how many replicas serve it."""

    task: str
    num_replicas: int = 1
    max_ongoing_requests: int = 8
    max_concurrent: int = 2
    num_cpus: float = 0.25
    warm: bool = True
    autoscaling: dict[str, Any] | None = None
    models: list[str] = field(default_factory=list)  # models to warm besides the default

    def serve_options(self) -> dict[str, Any]:
        """Keyword arguments of ``Deployment.options`` for this deployment."""
        options: dict[str, Any] = {
            "name": self.task,
            "max_ongoing_requests": self.max_ongoing_requests,
            "ray_actor_options": {"num_cpus": self.num_cpus},
            "health_check_period_s": 2.0,
            "graceful_shutdown_timeout_s": 5.0,
        }
        if self.autoscaling:
            options["autoscaling_config"] = dict(self.autoscaling)
            options["num_replicas"] = "auto"
        else:
            options["num_replicas"] = self.num_replicas
        return options


@dataclass
class ServeConfig:
    """The whole file: the tier's address and behaviour, and one entry per deployed task."""

    host: str = "127.0.0.1"
    port: int = 8765
    timeout_s: float = 120.0
    fallback: str = "none"
    num_cpus: float = 2.0
    deployments: dict[str, DeploymentConfig] = field(default_factory=dict)
    path: Path | None = None

    @property
    def url(self) -> str:
        """The tier's base URL (``DL_HUB_TIER_URL`` wins over the file)."""
        return os.environ.get("DL_HUB_TIER_URL") or f"http://{self.host}:{self.port}"

    def with_replicas(self, replicas: int) -> ServeConfig:
        """The same configuration with a fixed replica count on every deployment (``serve --replicas``)."""
        for deployment in self.deployments.values():
            deployment.num_replicas = replicas
            deployment.autoscaling = None
        return self


def load_config(path: str | Path | None = None) -> ServeConfig:
    """Read and check a serving file (default: ``DL_HUB_SERVE_CONFIG`` or ``deploy/serve.toml``)."""
    path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"no serving configuration at {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    tier = data.get("tier", {})
    defaults = data.get("defaults", {})
    unknown = set(defaults) - DEPLOYMENT_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown keys in [defaults]: {sorted(unknown)}")
    config = ServeConfig(
        host=str(tier.get("host", "127.0.0.1")),
        port=int(tier.get("port", 8765)),
        timeout_s=float(os.environ.get("DL_HUB_TIER_TIMEOUT_S") or tier.get("timeout_s", 120.0)),
        fallback=str(os.environ.get("DL_HUB_TIER_FALLBACK") or tier.get("fallback", "none")),
        num_cpus=float(tier.get("num_cpus", 2)),
        path=path,
    )
    if config.fallback not in ("none", "embedded"):
        raise ConfigError(f"{path}: fallback must be 'none' or 'embedded', not {config.fallback!r}")
    for task, block in (data.get("deployments") or {}).items():
        merged = {**defaults, **(block or {})}
        unknown = set(merged) - DEPLOYMENT_KEYS
        if unknown:
            raise ConfigError(f"{path}: unknown keys in [deployments.{task}]: {sorted(unknown)}")
        config.deployments[task] = DeploymentConfig(task=task, **merged)
    return config

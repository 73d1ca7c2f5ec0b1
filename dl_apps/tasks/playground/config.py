"""The playground's configuration: its bounds, and a parser that never raises.

The whole configuration travels in the page's URL query string, so anyone can paste
anything there.  :func:`parse_config` reads a mapping of raw values (query strings,
CLI arguments, JSON batch lines): strings, numbers, lists from repeated keys, ``None``.
Every value is checked; one out of range is clamped, one that cannot be read (``nan``,
``inf``, ``abc``, a wrong type) falls back to its default, and each correction yields a
notice for the user.  It never raises.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from dl_apps.core import notice
from dl_apps.tasks.playground.data import DATASETS, FEATURES

ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid", "linear")
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")
MAX_LAYERS = 4
MAX_UNITS = 16
MAX_EPOCHS = 2_000  # per run (CLI call or page session)
MAX_SECONDS = 60.0  # of training per run, whatever the epochs asked
MAX_SEED = 2**31 - 1

# name: (default, low, high) for numbers
FLOATS: dict[str, tuple[float, float, float]] = {
    "noise": (0.1, 0.0, 1.0),
    "train": (0.5, 0.1, 0.9),
    "lr": (0.03, 0.0001, 10.0),
    "l2": (0.0, 0.0, 0.1),
    "dropout": (0.0, 0.0, 0.8),
}
INTS: dict[str, tuple[int, int, int]] = {
    "batch": (10, 1, 400),
    "seed": (0, 0, MAX_SEED),
    "epochs": (300, 1, MAX_EPOCHS),
}
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dataset": ("circles", DATASETS),
    "activation": ("tanh", ACTIVATIONS),
    "optimizer": ("adam", OPTIMIZERS),
}
DEFAULT_HIDDEN: tuple[int, ...] = (4, 4)
DEFAULT_FEATURES: tuple[str, ...] = ("x", "y")
KEYS: tuple[str, ...] = tuple(CHOICES) + tuple(FLOATS) + tuple(INTS) + ("hidden", "features", "bn")
_SHOWN = re.compile(r"[^A-Za-z0-9.,+\-_ ]")


@dataclass(frozen=True)
class PlaygroundConfig:
    """One playground set-up: data, network, training.  Always within bounds once built by parse_config."""

    dataset: str = "circles"
    noise: float = 0.1
    train: float = 0.5
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    activation: str = "tanh"
    lr: float = 0.03
    batch: int = 10
    optimizer: str = "adam"
    l2: float = 0.0
    dropout: float = 0.0
    bn: bool = False
    features: tuple[str, ...] = DEFAULT_FEATURES
    seed: int = 0
    epochs: int = 300

    def with_changes(self, **changes: Any) -> "PlaygroundConfig":
        """A copy with some fields replaced, validated again (bad values clamped; notices dropped)."""
        merged = {**self.to_query(), **{k: _as_query_value(v) for k, v in changes.items()}}
        return parse_config(merged)[0]

    def to_query(self) -> dict[str, str]:
        """The configuration as URL query parameters (strings), the inverse of parse_config."""
        return {
            "dataset": self.dataset,
            "noise": _number(self.noise),
            "train": _number(self.train),
            "hidden": ",".join(str(w) for w in self.hidden),
            "activation": self.activation,
            "lr": _number(self.lr),
            "batch": str(self.batch),
            "optimizer": self.optimizer,
            "l2": _number(self.l2),
            "dropout": _number(self.dropout),
            "bn": "1" if self.bn else "0",
            "features": ",".join(self.features),
            "seed": str(self.seed),
            "epochs": str(self.epochs),
        }

    def architecture_key(self) -> tuple[Any, ...]:
        """Everything except the run length: a change here means a new network (reset)."""
        return tuple((k, v) for k, v in self.to_query().items() if k != "epochs")


@dataclass
class _Parser:
    notices: list[dict[str, Any]] = field(default_factory=list)

    def raw(self, params: Mapping[str, Any], key: str) -> Any:
        value = params.get(key)
        if isinstance(value, (list, tuple)):
            if len(value) > 1:
                self.notices.append(notice("playground_query_repeated", f"'{key}' was given {len(value)} times: the last one is used.", param=key, times=len(value)))
            value = value[-1] if value else None
        return value

    def bad(self, key: str, value: Any, used: Any) -> None:
        self.notices.append(
            notice("playground_query_invalid", f"'{key}={_shown(value)}' cannot be used: {used} instead.", param=key, value=_shown(value), used=str(used))
        )

    def clamped(self, key: str, value: Any, used: Any) -> None:
        self.notices.append(
            notice("playground_query_clamped", f"'{key}={_shown(value)}' is out of range: {used} instead.", param=key, value=_shown(value), used=str(used))
        )

    def number(self, params: Mapping[str, Any], key: str, default: float, low: float, high: float, integer: bool) -> Any:
        value = self.raw(params, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise TypeError
            number = float(value.strip()[:40] if isinstance(value, str) else value)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            self.bad(key, value, default)
            return default
        clamped = min(max(number, low), high)
        if integer:
            clamped = int(round(clamped))
        if clamped != number:
            self.clamped(key, value, _number(clamped))
        return int(clamped) if integer else float(clamped)

    def choice(self, params: Mapping[str, Any], key: str, default: str, options: tuple[str, ...]) -> str:
        value = self.raw(params, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        text = str(value).strip().lower()
        if text not in options:
            self.bad(key, value, default)
            return default
        return text

    def flag(self, params: Mapping[str, Any], key: str, default: bool) -> bool:
        value = self.raw(params, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        self.bad(key, value, "on" if default else "off")
        return default

    def hidden(self, params: Mapping[str, Any]) -> tuple[int, ...]:
        value = self.raw(params, "hidden")
        if value is None:
            return DEFAULT_HIDDEN
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.bad("hidden", value, ",".join(map(str, DEFAULT_HIDDEN)))
            return DEFAULT_HIDDEN
        parts = [part.strip() for part in value.strip()[:200].split(",") if part.strip()]
        widths: list[int] = []
        for part in parts:
            try:
                number = float(part)
                if not math.isfinite(number):
                    raise ValueError
            except ValueError:
                self.bad("hidden", value, ",".join(map(str, DEFAULT_HIDDEN)))
                return DEFAULT_HIDDEN
            width = int(min(max(round(number), 1), MAX_UNITS))
            if width != number:
                self.clamped("hidden", part, width)
            widths.append(width)
        if len(widths) > MAX_LAYERS:
            self.clamped("hidden", value, ",".join(map(str, widths[:MAX_LAYERS])))
            widths = widths[:MAX_LAYERS]
        return tuple(widths)

    def features(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        value = self.raw(params, "features")
        if value is None or (isinstance(value, str) and not value.strip()):
            return DEFAULT_FEATURES
        if not isinstance(value, str):
            self.bad("features", value, ",".join(DEFAULT_FEATURES))
            return DEFAULT_FEATURES
        asked = [part.strip().lower() for part in value[:200].split(",") if part.strip()]
        kept = tuple(name for name in FEATURES if name in asked)  # canonical order, no duplicates
        if len(kept) != len(set(asked)) or not kept:
            used = kept or DEFAULT_FEATURES
            self.bad("features", value, ",".join(used))
            return used
        return kept


def parse_config(params: Mapping[str, Any] | None) -> tuple[PlaygroundConfig, list[dict[str, Any]]]:
    """A valid PlaygroundConfig from raw values (see module docstring) and the notices of what was corrected.

    Unknown keys are ignored (the URL also carries ``lang``).  Never raises.
    """
    params = params if isinstance(params, Mapping) else {}
    parser = _Parser()
    values: dict[str, Any] = {}
    for key, (default, options) in CHOICES.items():
        values[key] = parser.choice(params, key, default, options)
    for key, (default, low, high) in FLOATS.items():
        values[key] = parser.number(params, key, default, low, high, integer=False)
    for key, (default, low, high) in INTS.items():
        values[key] = parser.number(params, key, default, low, high, integer=True)
    values["hidden"] = parser.hidden(params)
    values["features"] = parser.features(params)
    values["bn"] = parser.flag(params, "bn", False)
    return PlaygroundConfig(**values), parser.notices


def _number(value: float) -> str:
    """Short text for a number: 0.03, 1e-04, 2."""
    return f"{value:.4g}"


def _shown(value: Any) -> str:
    """A user value made safe to echo in a notice: short, plain characters only."""
    return _SHOWN.sub("", str(value))[:30]


def _as_query_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


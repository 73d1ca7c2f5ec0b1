"""Neural network playground: train a small network live on a 2-D toy problem.

The "model" (``playground-mlp`` in ``models/manifest.toml``) is a training engine, not
weights: the network is built from the user's configuration and trained on the spot
(:mod:`dl_apps.tasks.playground.engine`), with the same MLP code as the CNN page's
comparison and the Teach page's head (:mod:`dl_apps.nets.mlp`).

* :func:`run` trains one configuration from scratch (CLI, benchmarks, tests).
* :func:`train_more` continues a page's :class:`Trainer` for a few epochs.  Both take one
  of the cache's inference slots while they train (``ModelCache.use``), so a room of
  students training at once waits in line instead of starving the other pages, and one
  torch thread (``core.torch_threads``).
* :data:`LESSONS`: one-click set-ups whose outcome the unit tests assert.

Pure library: no Streamlit import; torch only inside functions.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from dl_apps.cache import ModelCache, shared_cache
from dl_apps.core import TaskResult, run_cached, torch_threads
from dl_apps.registry import ModelSpec, resolve_model_id
from dl_apps.tasks.playground.config import KEYS, MAX_EPOCHS, MAX_SECONDS, PlaygroundConfig, parse_config
from dl_apps.tasks.playground.engine import Trainer

TASK = "playground"
BENCH_MAX_CALLS = 3  # one call trains 300 epochs (a few seconds)
CHUNK_SECONDS = 0.35  # the page trains this long between two redraws

# One-click lessons: the configuration each one loads (the rest stays at its default).
LESSONS: dict[str, dict[str, Any]] = {
    "linear_xor": {"dataset": "xor", "noise": 0.1, "hidden": (), "activation": "linear", "features": ("x", "y"), "lr": 0.03, "optimizer": "adam", "epochs": 80},
    "depth_spiral": {"dataset": "spiral", "noise": 0.1, "hidden": (16, 16), "activation": "relu", "features": ("x", "y"), "lr": 0.01, "optimizer": "adam", "epochs": 300},
    "high_lr": {"dataset": "circles", "noise": 0.1, "hidden": (4, 4), "activation": "tanh", "lr": 10.0, "optimizer": "sgd", "epochs": 100},
    "overfit": {"dataset": "xor", "noise": 0.5, "train": 0.2, "hidden": (16, 16, 16), "activation": "relu", "lr": 0.01, "optimizer": "adam", "l2": 0.0, "dropout": 0.0, "epochs": 400},
}
# What to change to see each lesson's "fix" (the page offers it as a second click).
LESSON_FIXES: dict[str, dict[str, Any]] = {
    "linear_xor": {"hidden": (4,), "activation": "tanh"},
    "depth_spiral": {"hidden": ()},  # the contrast: without hidden layers the spiral stays unsolved
    "high_lr": {"lr": 0.03},
    "overfit": {"l2": 0.003},
}


@dataclass
class PlaygroundResult(TaskResult):
    """One training run: final accuracies and the loss after each epoch."""

    train_accuracy: float = 0.0
    test_accuracy: float = 0.0
    loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    epochs: int = 0
    seconds: float = 0.0
    diverged: bool = False
    parameters: int = 0
    config: dict[str, str] = field(default_factory=dict)


@dataclass
class TrainReport:
    """What one :func:`train_more` call did."""

    epochs_done: int = 0
    busy: bool = False  # another call was already training this trainer: this one did nothing
    finished: bool = False


class PlaygroundEngine:
    """The cache's "model" for this task: the run limits and the way to train (no weights)."""

    max_epochs = MAX_EPOCHS
    max_seconds = MAX_SECONDS

    def fit(self, config: PlaygroundConfig) -> Trainer:
        """A trainer trained from scratch for ``config.epochs`` (within the limits)."""
        trainer = Trainer(config)
        with torch_threads():
            trainer.train_epochs(config.epochs, max_seconds=self.max_seconds)
        return trainer

    def approx_bytes(self) -> int:
        return 0  # networks live in each session's Trainer, not in the cache


def load_engine(spec: ModelSpec) -> PlaygroundEngine:
    """Loader of ``playground-mlp``: the training engine (the network is built per run)."""
    return PlaygroundEngine()


def lesson_config(name: str, fixed: bool = False, seed: int = 0) -> PlaygroundConfig:
    """The configuration of lesson ``name`` (one of LESSONS); ``fixed=True`` applies its fix."""
    changes = dict(LESSONS[name])
    if fixed:
        changes.update(LESSON_FIXES[name])
    return PlaygroundConfig().with_changes(seed=seed, **changes)


def result_of(trainer: Trainer) -> PlaygroundResult:
    """The result fields of a trainer's current state."""
    history = trainer.history
    return PlaygroundResult(
        train_accuracy=history.train_accuracy[-1] if history.train_accuracy else 0.0,
        test_accuracy=history.test_accuracy[-1] if history.test_accuracy else 0.0,
        loss=list(history.train_loss),
        test_loss=list(history.test_loss),
        epochs=trainer.epoch,
        seconds=round(trainer.seconds, 3),
        diverged=trainer.diverged,
        parameters=trainer.parameter_count(),
        config=trainer.config.to_query(),
    )


def run(
    params: Mapping[str, Any] | PlaygroundConfig | None = None,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> PlaygroundResult:
    """Train one configuration from scratch and report it.

    ``params`` are raw values (query string, CLI: see config.parse_config) or a ready
    PlaygroundConfig; bad values are clamped or replaced, each with a notice.
    """
    if isinstance(params, PlaygroundConfig):
        config, notices = params, []
    else:
        config, notices = parse_config(params or {})
    result = run_cached(TASK, model_id, lambda engine: result_of(engine.fit(config)), cache, on_queue)
    result.notices.extend(notices)
    return result


def train_more(
    trainer: Trainer,
    epochs: int,
    max_seconds: float | None = CHUNK_SECONDS,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> TrainReport:
    """Continue ``trainer`` for up to ``epochs`` epochs / ``max_seconds``, holding one inference slot.

    A call made while the same trainer is already training returns at once with
    ``busy=True``: a student pressing Train fifty times never stacks fifty runs.
    """
    if not trainer.lock.acquire(blocking=False):
        return TrainReport(busy=True, finished=trainer.finished)
    try:
        cache = cache or shared_cache()
        with cache.use(resolve_model_id(TASK, model_id), task=TASK, on_queue=on_queue):
            with torch_threads():
                done = trainer.train_epochs(max(0, int(epochs)), max_seconds=max_seconds)
        return TrainReport(epochs_done=done, finished=trainer.finished)
    finally:
        trainer.lock.release()


# ----------------------------------------------------------------------- CLI
CLI_NAMES = {"batch": "batch-size"}
CLI_KEYS = {"batch_size": "batch"}


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run playground`` takes every configuration key as ``--KEY VALUE`` (values checked like the URL's);
    the batch size is ``--batch-size``."""
    helps = {
        "dataset": "circles, xor, moons, spiral or blobs",
        "hidden": 'hidden layer widths, e.g. "16,16" ("" = no hidden layer)',
        "activation": "relu, tanh, sigmoid or linear",
        "optimizer": "sgd, momentum or adam",
        "features": "comma-separated inputs among x,y,x2,y2,xy,sinx,siny",
        "epochs": f"epochs to train (at most {MAX_EPOCHS}, and {MAX_SECONDS:.0f} s)",
        "bn": "batch normalisation: 1 or 0",
    }
    for key in KEYS:
        flag = CLI_NAMES.get(key, key)  # --batch is the CLI's own JSONL option
        parser.add_argument(f"--{flag}", dest=flag.replace("-", "_"), default=None, help=helps.get(key, key))


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> PlaygroundResult:
    """One CLI/batch call: ``args`` = configuration keys (missing ones take their defaults)."""
    params = {CLI_KEYS.get(key, key): value for key, value in args.items() if value is not None}
    return run(params, model_id=model_id, cache=cache)


def bench_args() -> dict[str, Any]:
    """The issue's reference run: the spiral with two hidden layers of 16 ReLU units, 300 epochs."""
    return {"dataset": "spiral", "hidden": "16,16", "activation": "relu", "epochs": "300", "seed": "0"}


def seconds_to_accuracy(config: PlaygroundConfig, target: float = 0.95) -> tuple[float | None, int]:
    """Training seconds (one thread) until the train accuracy first reaches ``target``, and the epoch."""
    trainer = Trainer(config)
    started = time.perf_counter()
    with torch_threads():
        while not trainer.finished:
            trainer.train_epochs(1)
            if trainer.history.train_accuracy[-1] >= target:
                return time.perf_counter() - started, trainer.epoch
    return None, trainer.epoch


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Seconds to 95% train accuracy on the spiral (16-16 ReLU; target ≤ 5 s on one core), best of 3."""
    config, _ = parse_config(bench_args())
    runs = [seconds_to_accuracy(config) for _ in range(3)]
    reached = [seconds for seconds, _ in runs if seconds is not None]
    return [
        {
            "task": TASK,
            "benchmark": "spiral, hidden 16-16 ReLU, Adam lr 0.03, batch 10: seconds to 95% train accuracy (1 thread)",
            "best_s": round(min(reached), 2) if reached else None,
            "median_s": round(sorted(reached)[len(reached) // 2], 2) if reached else None,
            "epochs": runs[0][1],
            "target_s": 5.0,
        }
    ]

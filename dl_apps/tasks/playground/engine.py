"""The playground's training engine: one seeded network on one 2-D data set, trained epoch by epoch.

A :class:`Trainer` holds everything of one session's run (data, network, optimiser,
history) so a page can train a few epochs, draw, and go on later; :func:`fit` trains
one from scratch (CLI, benchmarks, tests).  Deterministic: the same configuration
gives the same numbers, whatever else runs in the process (explicit generators, no
global random state; one torch thread under :func:`dl_apps.core.torch_threads`).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dl_apps.tasks.playground.config import MAX_EPOCHS, MAX_SECONDS, PlaygroundConfig
from dl_apps.tasks.playground.data import feature_matrix, grid, make_points, split


@dataclass
class History:
    """Per-epoch curves of a run (index i = after epoch i+1)."""

    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


class Trainer:
    """One network being trained on one data set (see module docstring)."""

    def __init__(self, config: PlaygroundConfig) -> None:
        import torch

        from dl_apps.nets.mlp import build_mlp

        self.config = config
        self.lock = threading.Lock()  # one training at a time on this trainer (Train pressed 50 times)
        points = make_points(config.dataset, noise=config.noise, seed=config.seed)
        self.train_points, self.test_points = split(points, config.train)
        self._x_train = torch.from_numpy(feature_matrix(self.train_points.xy, config.features))
        self._y_train = torch.from_numpy(self.train_points.labels)
        self._x_test = torch.from_numpy(feature_matrix(self.test_points.xy, config.features))
        self._y_test = torch.from_numpy(self.test_points.labels)
        self.net = build_mlp(
            len(config.features), config.hidden, 2, config.activation, config.dropout, config.bn, seed=config.seed
        )
        self._shuffle = torch.Generator().manual_seed(config.seed + 1)
        self.optimizer = _optimizer(self.net, config)
        self.history = History()
        self.epoch = 0
        self.seconds = 0.0
        self.diverged = False

    # ------------------------------------------------------------- training
    @property
    def finished(self) -> bool:
        """No more training in this run: epochs or time used up, or the loss blew up."""
        return self.diverged or self.epoch >= min(self.config.epochs, MAX_EPOCHS) or self.seconds >= MAX_SECONDS

    def train_epochs(self, epochs: int, max_seconds: float | None = None) -> int:
        """Train up to ``epochs`` more epochs (fewer if the run's budget ends or ``max_seconds`` pass).

        Returns the number of epochs done.  Call under the caller's torch thread policy.
        """
        import torch

        done = 0
        started = time.perf_counter()
        batch = max(1, min(self.config.batch, len(self._y_train)))
        while done < epochs and not self.finished:
            epoch_started = time.perf_counter()
            self.net.train()
            order = torch.randperm(len(self._y_train), generator=self._shuffle)
            for start in range(0, len(order), batch):
                index = order[start : start + batch]
                if self.config.bn and len(index) < 2:
                    continue  # batch norm needs two points to compute a batch statistic
                loss = torch.nn.functional.cross_entropy(self.net(self._x_train[index]), self._y_train[index])
                if self.config.l2 > 0:
                    loss = loss + self.config.l2 * sum((p * p).sum() for n, p in self.net.named_parameters() if n.endswith("weight") and p.dim() > 1)
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                self.optimizer.step()
            self._record()
            done += 1
            self.epoch += 1
            self.seconds += time.perf_counter() - epoch_started
            if max_seconds is not None and time.perf_counter() - started >= max_seconds:
                break
        return done

    def _record(self) -> None:
        import torch

        self.net.eval()
        with torch.no_grad():
            for x, y, losses, accuracies in (
                (self._x_train, self._y_train, self.history.train_loss, self.history.train_accuracy),
                (self._x_test, self._y_test, self.history.test_loss, self.history.test_accuracy),
            ):
                logits = self.net(x)
                loss = float(torch.nn.functional.cross_entropy(logits, y))
                if not math.isfinite(loss) or loss > 1e6:
                    self.diverged = True
                    loss = float("nan") if not math.isfinite(loss) else loss
                losses.append(round(loss, 5) if math.isfinite(loss) else loss)
                accuracies.append(round(float((logits.argmax(1) == y).float().mean()), 4))

    # -------------------------------------------------------------- reading
    def _inputs(self, xy: np.ndarray) -> Any:
        import torch

        return torch.from_numpy(feature_matrix(xy, self.config.features))

    def probabilities(self, resolution: int = 80) -> np.ndarray:
        """P(class 1) over the grid of :func:`data.grid`, shape (resolution, resolution), top row y = +6."""
        import torch

        self.net.eval()
        with torch.no_grad():
            logits = self.net(self._inputs(grid(resolution)))
            p = torch.softmax(logits, dim=1)[:, 1].numpy()
        return np.nan_to_num(p, nan=0.5).reshape(resolution, resolution)

    def unit_maps(self, resolution: int = 40) -> list[np.ndarray]:
        """Each hidden layer's activations over the grid: one (units, resolution, resolution) array per layer."""
        import torch

        self.net.eval()
        with torch.no_grad():
            outputs = self.net.hidden_outputs(self._inputs(grid(resolution)))
        return [np.nan_to_num(out.numpy().T.reshape(-1, resolution, resolution)) for out in outputs]

    def input_maps(self, resolution: int = 40) -> list[np.ndarray]:
        """Each input feature over the grid (what the first layer sees), one (resolution, resolution) map each."""
        values = feature_matrix(grid(resolution), self.config.features)
        return [values[:, i].reshape(resolution, resolution) for i in range(values.shape[1])]

    def parameter_count(self) -> int:
        from dl_apps.nets.mlp import count_parameters

        return count_parameters(self.net)


def _optimizer(net: Any, config: PlaygroundConfig) -> Any:
    import torch

    if config.optimizer == "adam":
        return torch.optim.Adam(net.parameters(), lr=config.lr)
    momentum = 0.9 if config.optimizer == "momentum" else 0.0
    return torch.optim.SGD(net.parameters(), lr=config.lr, momentum=momentum)


def fit(config: PlaygroundConfig, max_seconds: float = MAX_SECONDS) -> Trainer:
    """A new Trainer trained for ``config.epochs`` epochs (bounded by MAX_EPOCHS and ``max_seconds``)."""
    from dl_apps.core import torch_threads

    trainer = Trainer(config)
    with torch_threads():
        trainer.train_epochs(config.epochs, max_seconds=max_seconds)
    return trainer


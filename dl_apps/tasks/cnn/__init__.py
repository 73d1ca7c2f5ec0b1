"""CNN on digits: a small convolutional network trained live on the hub's 4,000 MNIST digits, beside a plain MLP.

The cache's "model" (``cnn-live``) is the training engine; the networks are trained on
the spot (one CPU thread, holding one of the cache's slots while they train).  The
CNN is defined here (two 3×3 convolution blocks and a linear layer, ~9k weights); the
MLP beside it is the Learn section's :func:`dl_apps.nets.mlp.build_mlp` — the very code
of the playground — so the student compares parameters against accuracy on real data.
After training: first-layer filters, every layer's feature maps for one digit, the
confusion matrix and the worst mistakes.

Pure library: no Streamlit import; torch inside functions.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from dl_apps.cache import ModelCache, shared_cache
from dl_apps.core import InputError, TaskResult, torch_threads
from dl_apps.registry import MODELS_DIR, ModelSpec, resolve_model_id

TASK = "cnn"
DEFAULT_EPOCHS = 6
MAX_EPOCHS = 10
MAX_SECONDS = 90.0
BATCH = 32
LR = 2e-3
MLP_HIDDEN = (64,)
BENCH_MAX_CALLS = 1


def build_cnn(seed: int = 0) -> Any:
    """The page's CNN: conv 3×3 (8) → ReLU → pool → conv 3×3 (16) → ReLU → pool → linear 10 (``torch.nn.Sequential``)."""
    import torch
    from torch import nn

    net = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10),
    )
    generator = torch.Generator().manual_seed(int(seed))  # never the global generator: other sessions use it
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu", generator=generator)
                layer.bias.zero_()
    return net


class CnnEngine:
    """The cache's "model" for this task: how to train (no weights are stored)."""

    max_epochs = MAX_EPOCHS

    def approx_bytes(self) -> int:
        return 0


def load_engine(spec: ModelSpec) -> CnnEngine:
    """Loader of ``cnn-live``: the training engine (networks are built per run)."""
    return CnnEngine()


@dataclass
class CnnResult(TaskResult):
    """A training run: held-out accuracy after each epoch for the CNN and the MLP, sizes, seconds."""

    test_accuracy: float = 0.0
    accuracy: list[float] = field(default_factory=list)
    mlp_accuracy: list[float] = field(default_factory=list)
    parameters: int = 0
    mlp_parameters: int = 0
    epochs: int = 0
    seconds: float = 0.0
    mlp_seconds: float = 0.0
    reference: dict[str, Any] = field(default_factory=dict)


class DigitTrainer:
    """A CNN and an MLP trained side by side on the same digits, epoch by epoch."""

    def __init__(self, seed: int = 0) -> None:
        import torch

        from dl_apps.datasets import mnist
        from dl_apps.nets.mlp import build_mlp

        train, test = mnist.train_split(), mnist.test_split()
        self.x_train = torch.from_numpy(train.images.astype(np.float32) / 255.0).unsqueeze(1)
        self.y_train = torch.from_numpy(train.labels)
        self.x_test = torch.from_numpy(test.images.astype(np.float32) / 255.0).unsqueeze(1)
        self.y_test = torch.from_numpy(test.labels)
        self.test_images = test.images
        self.cnn = build_cnn(seed)
        self.mlp = build_mlp(28 * 28, MLP_HIDDEN, 10, "relu", seed=seed)
        self.optimizers = [torch.optim.Adam(self.cnn.parameters(), lr=LR), torch.optim.Adam(self.mlp.parameters(), lr=LR)]
        self._shuffle = torch.Generator().manual_seed(seed + 1)
        self.accuracy: list[float] = []
        self.mlp_accuracy: list[float] = []
        self.seconds = 0.0
        self.mlp_seconds = 0.0
        self.epoch = 0

    def train_epoch(self) -> None:
        """One epoch for each network (same batches), then both evaluated on the 1,000 held-out digits."""
        import torch

        order = torch.randperm(len(self.y_train), generator=self._shuffle)
        for index, (net, optimizer, flat) in enumerate(((self.cnn, self.optimizers[0], False), (self.mlp, self.optimizers[1], True))):
            started = time.perf_counter()
            net.train()
            for start in range(0, len(order), BATCH):
                batch = order[start : start + BATCH]
                x = self.x_train[batch]
                loss = torch.nn.functional.cross_entropy(net(x.flatten(1) if flat else x), self.y_train[batch])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
            if index == 0:
                self.seconds += time.perf_counter() - started
            else:
                self.mlp_seconds += time.perf_counter() - started
        self.epoch += 1
        self.accuracy.append(self.evaluate(self.cnn))
        self.mlp_accuracy.append(self.evaluate(self.mlp, flat=True))

    def logits(self, net: Any, flat: bool = False) -> Any:
        import torch

        net.eval()
        with torch.no_grad():
            return net(self.x_test.flatten(1) if flat else self.x_test)

    def evaluate(self, net: Any, flat: bool = False) -> float:
        return round(float((self.logits(net, flat).argmax(1) == self.y_test).float().mean()), 4)

    # ----------------------------------------------------------- analysis
    def filters(self) -> np.ndarray:
        """The first layer's 8 filters, (8, 3, 3)."""
        return self.cnn[0].weight.detach().numpy()[:, 0].copy()

    def feature_maps(self, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Every layer's output for one 28×28 digit (uint8, white on black): [(layer name, (C, H, W)), ...]."""
        import torch

        x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0)[None, None]
        maps = []
        self.cnn.eval()
        with torch.no_grad():
            for layer in self.cnn:
                x = layer(x)
                if x.dim() == 4:
                    maps.append((type(layer).__name__, x[0].numpy().copy()))
        return maps

    def predict(self, image: np.ndarray) -> dict[str, float]:
        import torch

        x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0)[None, None]
        self.cnn.eval()
        with torch.no_grad():
            p = torch.softmax(self.cnn(x), dim=1)[0].numpy()
        return {str(d): round(float(v), 4) for d, v in enumerate(p)}

    def confusion(self) -> np.ndarray:
        """(10, 10) counts: row = true digit, column = the CNN's answer."""
        guesses = self.logits(self.cnn).argmax(1).numpy()
        matrix = np.zeros((10, 10), dtype=np.int64)
        np.add.at(matrix, (self.y_test.numpy(), guesses), 1)
        return matrix

    def worst_mistakes(self, count: int = 8) -> list[dict[str, Any]]:
        """The wrong answers the CNN was most sure of: index, true digit, answer, confidence."""
        import torch

        p = torch.softmax(self.logits(self.cnn), dim=1)
        guesses = p.argmax(1)
        wrong = torch.nonzero(guesses != self.y_test).flatten()
        ranked = sorted(wrong.tolist(), key=lambda i: -float(p[i, guesses[i]]))[:count]
        return [{"index": i, "true": int(self.y_test[i]), "guess": int(guesses[i]), "confidence": round(float(p[i, guesses[i]]), 3)} for i in ranked]

    def parameter_counts(self) -> tuple[int, int]:
        from dl_apps.nets.mlp import count_parameters

        return count_parameters(self.cnn), count_parameters(self.mlp)

    def result(self) -> CnnResult:
        cnn_params, mlp_params = self.parameter_counts()
        return CnnResult(
            test_accuracy=self.accuracy[-1] if self.accuracy else 0.0,
            accuracy=list(self.accuracy),
            mlp_accuracy=list(self.mlp_accuracy),
            parameters=cnn_params,
            mlp_parameters=mlp_params,
            epochs=self.epoch,
            seconds=round(self.seconds, 2),
            mlp_seconds=round(self.mlp_seconds, 2),
            reference=reference_model(),
        )


def reference_model() -> dict[str, Any]:
    """The attack page's digit CNN, as measured by its training script (models/mnist-cnn/metrics.json)."""
    path = MODELS_DIR / "mnist-cnn" / "metrics.json"
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
        return {"model": "mnist-cnn", "parameters": metrics["parameters"], "test_accuracy": metrics["evaluation"]["clean_accuracy"], "train_seconds": metrics["train_seconds"], "epochs": metrics["epochs"]}
    except (OSError, KeyError, ValueError):
        return {}


def train_epochs(
    trainer: DigitTrainer,
    epochs: int,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    on_epoch: Callable[[DigitTrainer], None] | None = None,
) -> DigitTrainer:
    """Train ``epochs`` more epochs (bounded by MAX_EPOCHS and MAX_SECONDS), holding one cache slot; ``on_epoch`` after each."""
    cache = cache or shared_cache()
    with cache.use(resolve_model_id(TASK, model_id), task=TASK, on_queue=on_queue):
        with torch_threads():
            for _ in range(max(0, int(epochs))):
                if trainer.epoch >= MAX_EPOCHS or trainer.seconds + trainer.mlp_seconds >= MAX_SECONDS:
                    break
                trainer.train_epoch()
                if on_epoch is not None:
                    on_epoch(trainer)
    return trainer


def run(epochs: Any = DEFAULT_EPOCHS, seed: Any = 0, model_id: str | None = None, cache: ModelCache | None = None, on_queue: Callable[[int], None] | None = None) -> CnnResult:
    """Train both networks from scratch for ``epochs`` (1..MAX_EPOCHS) and report held-out accuracies."""
    try:
        epochs, seed = int(epochs), int(seed)
    except (TypeError, ValueError):
        raise InputError("cnn_bad_number", "epochs and seed must be whole numbers.") from None
    if not 1 <= epochs <= MAX_EPOCHS or not 0 <= seed < 2**31:
        raise InputError("cnn_bad_number", f"epochs must be 1..{MAX_EPOCHS} and seed ≥ 0.")
    started = time.perf_counter()
    trainer = train_epochs(DigitTrainer(seed), epochs, model_id, cache, on_queue)
    result = trainer.result()
    result.model = resolve_model_id(TASK, model_id)
    result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


def digit_from_image(image: np.ndarray) -> np.ndarray:
    """An uploaded RGB picture of a digit → 28×28 uint8, white ink on black (dark ink on paper is inverted)."""
    from PIL import Image

    grey = np.asarray(Image.fromarray(np.asarray(image, dtype=np.uint8)).convert("L"), dtype=np.float32)
    if np.median(grey) > 127:
        grey = 255.0 - grey
    grey = np.clip((grey - np.percentile(grey, 50)) * 255.0 / max(1.0, np.ptp(grey)), 0, 255)
    return np.asarray(Image.fromarray(grey.astype(np.uint8)).resize((28, 28), Image.LANCZOS))


# -------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run cnn [--epochs N] [--seed S]``."""
    parser.add_argument("--epochs", default=DEFAULT_EPOCHS, help=f"epochs (1..{MAX_EPOCHS})")
    parser.add_argument("--seed", default=0)


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> CnnResult:
    """One CLI call: ``args`` = {"epochs": ..., "seed": ...}."""
    return run(args.get("epochs", DEFAULT_EPOCHS), args.get("seed", 0), model_id=model_id, cache=cache)


def bench_args() -> dict[str, Any]:
    """The page's default training run (arguments of :func:`cli_run`)."""
    return {"epochs": DEFAULT_EPOCHS, "seed": 0}


def sample_args() -> dict[str, Any]:
    """A one-epoch run: the same code path as the bench input, cheap enough for the contract test."""
    return {"epochs": 1, "seed": 0}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Seconds of CNN training (one thread) until 95% held-out accuracy (target ≤ 60 s)."""
    trainer = DigitTrainer(0)
    reached = None
    with torch_threads():
        while trainer.epoch < MAX_EPOCHS:
            trainer.train_epoch()
            if trainer.accuracy[-1] >= 0.95:
                reached = trainer.seconds
                break
    return [{"task": TASK, "benchmark": "digit CNN: training seconds to 95% held-out accuracy (1 thread)", "seconds": round(reached, 1) if reached else None, "epochs": trainer.epoch, "accuracy": trainer.accuracy[-1], "mlp_accuracy": trainer.mlp_accuracy[-1], "target_s": 60}]

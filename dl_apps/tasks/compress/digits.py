"""The digit CNN's side of the compression page: data, accuracy, fine-tuning and distillation.

Data: the MNIST digits of :mod:`dl_apps.datasets.mnist`, split exactly as the attack page's
model was trained (``dl_apps/train/mnist_cnn.py``): fine-tuning and distillation train on the
4,000 training digits only, and every accuracy is measured on the 1,000 held-out digits.

Distillation (Hinton et al., 2015): a student about ten times smaller than the teacher learns
from the teacher's softened probabilities (temperature ``T``) as well as from the labels; the
same student trained on the labels alone, with the same seed, epochs and data, is the control.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any, Callable

import numpy as np

SEED = 11
BATCH = 64
FINE_TUNE_EPOCHS = 1
FINE_TUNE_LR = 5e-4
DISTILL_EPOCHS = 6
DISTILL_LR = 3e-3
TEMPERATURE = 4.0
ALPHA = 0.8  # weight of the teacher's soft targets (the rest: the true labels)
CALIBRATION_BATCHES = 8


def _as_tensors(images: np.ndarray, labels: np.ndarray) -> tuple[Any, Any]:
    import torch

    x = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(np.asarray(labels, dtype=np.int64))


@lru_cache(maxsize=1)
def held_out() -> tuple[Any, Any]:
    """The 1,000 held-out digits (100 per digit) as tensors (N, 1, 28, 28) in [0, 1] and labels."""
    from dl_apps.datasets import mnist

    split = mnist.test_split()
    return _as_tensors(split.images, split.labels)


@lru_cache(maxsize=1)
def training() -> tuple[Any, Any]:
    """The 4,000 training digits (the attack model's own training split) as tensors."""
    from dl_apps.datasets import mnist

    split = mnist.train_split()
    return _as_tensors(split.images, split.labels)


def logits(net: Callable[[Any], Any], images: Any, batch: int = 250) -> Any:
    """The network's logits on ``images``, ``batch`` at a time, without gradients."""
    import torch

    with torch.inference_mode():
        return torch.cat([net(images[i : i + batch]).float() for i in range(0, len(images), batch)])


def accuracy(net: Callable[[Any], Any], n: int | None = None) -> tuple[float, int]:
    """(accuracy, number of digits) of ``net`` on the held-out digits (the first ``n`` if given)."""
    images, labels = held_out()
    if n:
        images, labels = images[:n], labels[:n]
    predicted = logits(net, images).argmax(dim=1)
    return float((predicted == labels).float().mean()), int(len(labels))


def agreement(net: Callable[[Any], Any], reference: Callable[[Any], Any]) -> float:
    """Share of held-out digits on which ``net`` and ``reference`` give the same answer."""
    images, _ = held_out()
    return float((logits(net, images).argmax(1) == logits(reference, images).argmax(1)).float().mean())


def example_input() -> Any:
    """One held-out digit, shape (1, 1, 28, 28): what the latency is measured on."""
    return held_out()[0][:1]


def calibration_batches() -> list[Any]:
    """Training digits (never the held-out ones) for static quantization's activation ranges."""
    images, _ = training()
    return [images[i * BATCH : (i + 1) * BATCH] for i in range(CALIBRATION_BATCHES)]


def _shift(images: Any, generator: Any, max_shift: int = 2) -> Any:
    """Random shift of a batch by up to ``max_shift`` pixels (the training script's augmentation)."""
    import torch
    from torch.nn import functional as F

    dx, dy = (int(v) for v in torch.randint(-max_shift, max_shift + 1, (2,), generator=generator))
    padded = F.pad(images, (max_shift,) * 4)
    return padded[:, :, max_shift + dy : max_shift + dy + images.shape[2], max_shift + dx : max_shift + dx + images.shape[3]]


def _train(
    net: Any,
    epochs: int,
    lr: float,
    loss_of: Callable[[Any, Any, Any], Any],
    progress: Callable[[float], None] | None,
    seed: int = SEED,
) -> float:
    """Adam over the training digits for ``epochs``; ``loss_of(net, batch, truth)``; returns seconds."""
    import torch

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    images, labels = training()
    optimiser = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=lr)
    steps = epochs * ((len(labels) + BATCH - 1) // BATCH)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps)
    started, done = time.perf_counter(), 0
    net.train()
    for _ in range(epochs):
        order = torch.randperm(len(labels), generator=generator)
        for start in range(0, len(order), BATCH):
            index = order[start : start + BATCH]
            loss = loss_of(net, _shift(images[index], generator), labels[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            done += 1
            if progress is not None and done % 10 == 0:
                progress(done / steps)
    net.eval()
    return time.perf_counter() - started


def fine_tune(net: Any, progress: Callable[[float], None] | None = None, epochs: int = FINE_TUNE_EPOCHS) -> float:
    """A short fine-tune on the training digits (cross-entropy); pruning masks, if attached, are kept."""
    from torch.nn import functional as F

    for parameter in net.parameters():
        parameter.requires_grad_(True)
    for name, parameter in net.named_parameters():
        parameter.requires_grad_(True)
    seconds = _train(net, epochs, FINE_TUNE_LR, lambda model, x, y: F.cross_entropy(model(x), y), progress)
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return seconds


def build_student() -> Any:
    """The student: two thin conv blocks and one linear layer (~9k parameters, ~12× fewer than the teacher)."""
    from torch import nn

    class DigitStudent(nn.Module):
        """8 and 16 filters, then straight to the 10 classes; same input as the teacher."""

        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            )
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 7 * 7, 10))

        def forward(self, x: Any) -> Any:
            return self.classifier(self.features((x - 0.13) / 0.31))

    return DigitStudent()


def train_student(
    teacher: Any | None,
    epochs: int = DISTILL_EPOCHS,
    progress: Callable[[float], None] | None = None,
) -> tuple[Any, float]:
    """Train a fresh student, from ``teacher``'s soft targets + labels if given, else labels alone.

    Same seed, data order, augmentation and epochs either way, so the teacher is the only difference.
    Returns (student, seconds).
    """
    import torch
    from torch.nn import functional as F

    torch.manual_seed(SEED)
    student = build_student()

    def hard(model: Any, x: Any, y: Any) -> Any:
        return F.cross_entropy(model(x), y)

    def soft(model: Any, x: Any, y: Any) -> Any:
        with torch.no_grad():
            target = F.softmax(teacher(x) / TEMPERATURE, dim=1)
        out = model(x)
        kd = F.kl_div(F.log_softmax(out / TEMPERATURE, dim=1), target, reduction="batchmean") * TEMPERATURE**2
        return ALPHA * kd + (1 - ALPHA) * F.cross_entropy(out, y)

    seconds = _train(student, epochs, DISTILL_LR, soft if teacher is not None else hard, progress)
    for parameter in student.parameters():
        parameter.requires_grad_(False)
    return student, seconds

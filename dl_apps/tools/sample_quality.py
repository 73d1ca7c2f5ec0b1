"""Measuring generated images with numbers, not by eye.

* **Recognition rate**: the share of generated images that a *separately trained*
  classifier assigns to the class that was asked for.
* **Diversity**: the mean pairwise distance between generated images of one class,
  divided by the same figure for real images of that class (1.0 = as varied as the
  real data; near 0 = the model draws the same picture again and again).

Classifiers: for the digits an RBF support-vector machine on scikit-learn's digits
(trained in about a second, so it is re-created rather than stored); for
Fashion-MNIST a small CNN trained by ``python -m dl_apps train diffusion-fashion``
whose weights (``classifier.safetensors``) sit beside the diffusion model.

Pure library: no Streamlit import; torch and scikit-learn are imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

Classifier = Callable[[np.ndarray], np.ndarray]  # uint8 images (n, H, W) -> predicted class indices (n,)


# ------------------------------------------------------------------ datasets
def load_digits_16(split: str = "all", test_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 handwritten digits (8×8, 17 grey levels) upscaled to 16×16 uint8.

    ``split`` = "all", "train" or "test" (a fixed, stratified split).
    """
    import torch
    import torch.nn.functional as F
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    small = torch.from_numpy(digits.images.astype(np.float32) / 16.0)[:, None]
    big = F.interpolate(small, size=(16, 16), mode="bilinear", align_corners=False)[:, 0]
    images = (big.clamp(0, 1).numpy() * 255).round().astype(np.uint8)
    labels = digits.target.astype(np.int64)
    if split == "all":
        return images, labels
    train_x, test_x, train_y, test_y = train_test_split(images, labels, test_size=test_fraction, random_state=seed, stratify=labels)
    return (train_x, train_y) if split == "train" else (test_x, test_y)


FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")  # Debian package dataset-fashion-mnist


def load_fashion_mnist(split: str = "train", directory: Path = FASHION_DIR) -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST from its idx.gz files (``split`` = "train": 60k, "test": 10k), uint8 28×28."""
    import gzip

    prefix = "train" if split == "train" else "t10k"
    images_path = directory / f"{prefix}-images-idx3-ubyte.gz"
    if not images_path.is_file():
        raise FileNotFoundError(f"{images_path} not found: `apt-get install dataset-fashion-mnist` (training only)")
    with gzip.open(images_path, "rb") as handle:
        images = np.frombuffer(handle.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(directory / f"{prefix}-labels-idx1-ubyte.gz", "rb") as handle:
        labels = np.frombuffer(handle.read(), dtype=np.uint8, offset=8).astype(np.int64)
    return images.copy(), labels


# --------------------------------------------------------------- classifiers
def digit_classifier(seed: int = 0) -> Classifier:
    """An RBF SVM trained on the *training split* of the 16×16 digits (~1 s)."""
    from sklearn.svm import SVC

    images, labels = load_digits_16("train", seed=seed)
    svm = SVC(C=10.0, gamma="scale").fit(images.reshape(len(images), -1) / 255.0, labels)

    def classify(batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch, dtype=np.float32)
        return svm.predict(batch.reshape(len(batch), -1) / 255.0)

    return classify


def small_cnn(num_classes: int = 10) -> Any:
    """A small CNN for 28×28 grey images (~24k parameters): the Fashion-MNIST checker."""
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, num_classes),
    )


def cnn_classifier(network: Any, batch_size: int = 256) -> Classifier:
    """Wrap a torch network taking (n, 1, H, W) in [0, 1] as a Classifier."""
    import torch

    network.eval()

    def classify(batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch, dtype=np.float32) / 255.0
        predictions = []
        with torch.inference_mode():
            for start in range(0, len(batch), batch_size):
                part = torch.from_numpy(batch[start : start + batch_size])[:, None]
                predictions.append(network(part).argmax(dim=1).numpy())
        return np.concatenate(predictions) if predictions else np.zeros((0,), dtype=np.int64)

    return classify


def load_cnn_classifier(path: str | Path) -> Classifier:
    """The Fashion-MNIST checker from its safetensors file."""
    from safetensors.torch import load_file

    network = small_cnn()
    state = load_file(str(path))
    network.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in state.items()}, strict=True)
    return cnn_classifier(network)


def train_cnn_classifier(images: np.ndarray, labels: np.ndarray, epochs: int = 2, seed: int = 0, log: Callable[[str], None] = print) -> Any:
    """Train :func:`small_cnn` on uint8 images (a few minutes on one core for Fashion-MNIST)."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    network = small_cnn(int(labels.max()) + 1)
    optimiser = torch.optim.AdamW(network.parameters(), lr=2e-3, weight_decay=1e-4)
    x = torch.from_numpy(images.astype(np.float32) / 255.0)[:, None]
    y = torch.from_numpy(labels)
    total = epochs * ((len(x) + 127) // 128)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=total)
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        network.train()
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), 128):
            index = order[start : start + 128]
            batch = x[index]
            shift = torch.randint(-2, 3, (2,), generator=generator)  # small random shifts: robustness to generated samples
            batch = torch.roll(batch, shifts=(int(shift[0]), int(shift[1])), dims=(2, 3))
            loss = F.cross_entropy(network(batch), y[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
        log(f"classifier epoch {epoch + 1}/{epochs}: loss {loss.item():.3f}")
    return network.eval()


# ------------------------------------------------------------------- figures
def recognition_rate(classify: Classifier, images: np.ndarray, labels: np.ndarray) -> float:
    """Share of ``images`` that ``classify`` assigns to their requested ``labels``."""
    predictions = classify(images)
    return float(np.mean(predictions == np.asarray(labels)))


def mean_pairwise_distance(images: np.ndarray) -> float:
    """Mean Euclidean distance between every pair of images (pixels scaled to [0, 1])."""
    flat = np.asarray(images, dtype=np.float64).reshape(len(images), -1) / 255.0
    if len(flat) < 2:
        return 0.0
    squared = (flat**2).sum(axis=1)
    distances = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * flat @ flat.T, 0.0))
    upper = np.triu_indices(len(flat), k=1)
    return float(distances[upper].mean())


def diversity_ratio(generated: np.ndarray, generated_labels: np.ndarray, real: np.ndarray, real_labels: np.ndarray, per_class: int = 100) -> float:
    """Mean over classes of (pairwise distance of generated) ÷ (pairwise distance of real images)."""
    ratios = []
    for label in np.unique(generated_labels):
        fake = generated[generated_labels == label][:per_class]
        true = real[real_labels == label][:per_class]
        if len(fake) >= 2 and len(true) >= 2:
            ratios.append(mean_pairwise_distance(fake) / max(mean_pairwise_distance(true), 1e-9))
    return float(np.mean(ratios)) if ratios else 0.0


@dataclass
class QualityReport:
    """The figures written into a model card."""

    recognition: float
    per_class: dict[str, float]
    diversity: float
    samples: int
    steps: int
    scheduler: str
    guidance: float
    classifier_test_accuracy: float

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def measure(
    model: Any,
    classify: Classifier,
    real: np.ndarray,
    real_labels: np.ndarray,
    classifier_test_accuracy: float,
    per_class: int = 50,
    steps: int = 50,
    guidance: float | None = None,
    scheduler: str = "ddim",
    seed: int = 1234,
) -> QualityReport:
    """Generate ``per_class`` images of every class and measure recognition and diversity."""
    from dl_apps.nets.diffusion import DEFAULT_GUIDANCE, generate_images

    guidance = DEFAULT_GUIDANCE if guidance is None else guidance
    images, labels, rates = [], [], {}
    for index, name in enumerate(model.labels):
        generated = generate_images(model, index, n=per_class, steps=steps, seed=seed + 1000 * index, guidance=guidance, scheduler=scheduler)
        images.append(generated)
        labels.append(np.full(per_class, index))
        rates[name] = round(recognition_rate(classify, generated, labels[-1]), 4)
    images_array, labels_array = np.concatenate(images), np.concatenate(labels)
    return QualityReport(
        recognition=round(recognition_rate(classify, images_array, labels_array), 4),
        per_class=rates,
        diversity=round(diversity_ratio(images_array, labels_array, real, real_labels), 3),
        samples=len(images_array),
        steps=steps,
        scheduler=scheduler,
        guidance=guidance,
        classifier_test_accuracy=round(classifier_test_accuracy, 4),
    )


def guidance_sweep(
    model: Any,
    classify: Classifier,
    real: np.ndarray,
    real_labels: np.ndarray,
    values: tuple[float, ...] = (0.0, 1.0, 1.5, 2.0, 3.0, 5.0),
    per_class: int = 10,
    steps: int = 20,
    seed: int = 777,
) -> list[dict[str, float]]:
    """Recognition and diversity at several guidance scales: the trade-off the page's slider shows."""
    from dl_apps.nets.diffusion import generate_images

    rows = []
    for guidance in values:
        images, labels = [], []
        for index in range(len(model.labels)):
            images.append(generate_images(model, index, n=per_class, steps=steps, seed=seed + 1000 * index, guidance=guidance))
            labels.append(np.full(per_class, index))
        images_array, labels_array = np.concatenate(images), np.concatenate(labels)
        rows.append({
            "guidance": guidance,
            "recognition": round(recognition_rate(classify, images_array, labels_array), 4),
            "diversity": round(diversity_ratio(images_array, labels_array, real, real_labels), 3),
            "samples": len(images_array),
            "steps": steps,
        })
    return rows

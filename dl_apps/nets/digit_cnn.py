"""The hub's small digit CNN (~106k parameters): 28×28 grey digits in [0, 1] → 10 logits.

Trained by ``python -m dl_apps train mnist-cnn`` (standard and adversarially trained
twins, ``dl_apps/train/mnist_cnn.py``); used by the adversarial-attack and explanation
tasks through their loaders.  torch is imported inside the functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

INPUT_SIZE = 28


def _digit_cnn_class() -> Any:
    import torch
    from torch import nn

    class DigitCNN(nn.Module):
        """Two conv blocks and two linear layers (~106k parameters) on 28×28 grey digits in [0, 1]."""

        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            )
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            # Centre pixels around 0 inside the model, so attacks stay in [0, 1] pixel space.
            return self.classifier(self.features((x - 0.13) / 0.31))

    return DigitCNN


def build_digit_cnn() -> Any:
    """A fresh (untrained) digit CNN; input (N, 1, 28, 28) in [0, 1], output 10 logits."""
    return _digit_cnn_class()()



def load_weights(path: str | Path) -> Any:
    """A digit CNN with the weights of a safetensors file (strict: every tensor must match), in eval mode."""
    from safetensors.torch import load_file

    net = build_digit_cnn()
    net.load_state_dict(load_file(str(path)), strict=True)
    return net.eval()

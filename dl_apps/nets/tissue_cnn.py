"""The brain-tissue CNN: a fully convolutional 17×17-patch classifier (background, CSF, grey, white matter).

Trained by ``python -m dl_apps train brain-tissue`` (``dl_apps/train/brain_tissue.py``) on the
MNI152 template (``dl_apps.datasets.mni152``); loaded by the medical task.  One pass over a
zero-padded slice classifies every pixel.  torch and safetensors are imported inside functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

TISSUE_LABELS: tuple[str, ...] = ("background", "csf", "grey_matter", "white_matter")
PATCH_RADIUS = 8  # the tissue CNN sees a 17×17 patch around each pixel


def normalise_intensity(grey: np.ndarray) -> np.ndarray:
    """Scale so that the 99th percentile of the foreground is 1 (the tissue model's convention)."""
    grey = np.asarray(grey, dtype=np.float32)
    peak = float(grey.max())
    if peak <= 0:
        return np.zeros_like(grey)
    foreground = grey[grey > 0.05 * peak]
    reference = float(np.percentile(foreground, 99)) if foreground.size else peak
    return np.clip(grey / max(reference, 1e-6), 0.0, 1.5).astype(np.float32)

def build_tissue_net(widths: tuple[int, int, int, int] = (16, 32, 32, 32), n_classes: int = 4) -> Any:
    """The tissue CNN: four 3×3 convolutions (dilations 1, 2, 4, 1), no padding, no pooling.

    Its receptive field is exactly 17×17, so each output pixel is the classification of
    the 17×17 patch around it; on a zero-padded slice one pass classifies every pixel.
    """
    from torch import nn

    class TissueNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w1, w2, w3, w4 = widths
            self.features = nn.Sequential(
                nn.Conv2d(1, w1, 3), nn.ReLU(),
                nn.Conv2d(w1, w2, 3, dilation=2), nn.ReLU(),
                nn.Conv2d(w2, w3, 3, dilation=4), nn.ReLU(),
                nn.Conv2d(w3, w4, 3), nn.ReLU(),
            )
            self.head = nn.Conv2d(w4, n_classes, 1)

        def forward(self, x: Any) -> Any:
            return self.head(self.features(x))

    return TissueNet()


def slice_descriptor(probabilities: np.ndarray, features: np.ndarray) -> np.ndarray:
    """An image-level summary for the out-of-distribution score: the mean of each feature
    channel and the share of each predicted class over the whole image."""
    return np.concatenate([features.mean(axis=(1, 2)), probabilities.mean(axis=(1, 2))]).astype(np.float32)


class TissueModel:
    """The trained tissue CNN + what it needs: labels and slice statistics for OOD."""

    kind = "tissue"
    labels = TISSUE_LABELS

    def __init__(self, net: Any, ood_mean: np.ndarray, ood_precision: np.ndarray, ood_threshold: float, metadata: dict[str, str]) -> None:
        self.net = net.eval()
        self.ood_mean = ood_mean.astype(np.float64)
        self.ood_precision = ood_precision.astype(np.float64)
        self.ood_threshold = float(ood_threshold)
        self.metadata = metadata

    @classmethod
    def load(cls, path: Path) -> "TissueModel":
        from safetensors import safe_open
        from safetensors.torch import load_file

        with safe_open(str(path), framework="pt") as handle:
            metadata = dict(handle.metadata() or {})
        tensors = load_file(str(path))
        widths = tuple(int(w) for w in metadata.get("widths", "16,32,32,32").split(","))
        net = build_tissue_net(widths)  # type: ignore[arg-type]
        state = {k[len("net."):]: v for k, v in tensors.items() if k.startswith("net.")}
        net.load_state_dict(state, strict=True)
        return cls(
            net,
            tensors["ood.mean"].numpy(),
            tensors["ood.precision"].numpy(),
            float(tensors["ood.threshold"].item()),
            metadata,
        )

    def _tensor(self, grey: np.ndarray) -> Any:
        import torch

        padded = np.pad(normalise_intensity(grey), PATCH_RADIUS, mode="constant")
        return torch.from_numpy(padded)[None, None]

    def forward(self, grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-pixel class probabilities (C×H×W) and features (D×H×W) of a grey image."""
        import torch

        with torch.inference_mode():
            features = self.net.features(self._tensor(grey))
            logits = self.net.head(features)
            probabilities = torch.softmax(logits, dim=1)[0].numpy()
        return probabilities, features[0].numpy()

    def ood_distance(self, probabilities: np.ndarray, features: np.ndarray) -> float:
        """Mahalanobis distance of the image's descriptor from the training slices'."""
        centred = slice_descriptor(probabilities, features).astype(np.float64) - self.ood_mean
        return float(np.sqrt(max(centred @ self.ood_precision @ centred, 0.0)))

    def ood_score(self, probabilities: np.ndarray, features: np.ndarray) -> float:
        """0 = typical of the training slices; 0.5 = as unusual as the 1% most unusual; → 1 beyond."""
        distance = self.ood_distance(probabilities, features)
        return distance / (distance + self.ood_threshold)

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.net.parameters())


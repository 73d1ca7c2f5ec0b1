"""Adversarial attacks: FGSM and PGD against real classifiers, and a defence that helps.

An adversarial example is an input changed by a tiny, carefully chosen amount so that
a classifier changes its answer.  The attacks here are written by hand in PyTorch (the
few lines are the lesson) and work in pixel space: images are tensors in [0, 1] and
the budget ε bounds the change of every pixel (L∞ norm), e.g. ε = 8/255.

* FGSM (Goodfellow et al., 2015): one step of size ε in the direction of the sign
  of the loss gradient with respect to the input.
* PGD (Madry et al., 2018): many small signed-gradient steps from a random start in
  the ε-ball, each followed by projection back into the ball and into [0, 1].
* Targeted variants descend the loss of a chosen class instead of ascending the loss
  of the true one.

Models (see ``models/manifest.toml``, task ``attack``): a small CNN on MNIST digits
trained normally, the same CNN adversarially trained (the defence), and the ImageNet
classifier EfficientNet-Lite0.  Every model is wrapped as a :class:`Classifier` whose
network takes [0, 1] pixels (normalisation inside), so one attack code serves all.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, check_upload, notice, run_cached, torch_threads
from dl_apps.registry import ModelSpec, get_model_spec, load_registry, resolve_model_id

TASK = "attack"
METHODS: tuple[str, ...] = ("fgsm", "pgd")
DEFAULT_EPS = 0.1
DEFAULT_STEPS = 10
MAX_STEPS = {"digits": 200, "imagenet": 20}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs; anything smaller is resized
TOP_K = 5
DIGIT_INK_THRESHOLD = 127  # mean grey above this → dark ink on light paper, invert to MNIST style

# Photos bundled with scikit-image (read in place, not copied): name → (file, licence).
IMAGENET_SAMPLES: tuple[tuple[str, str], ...] = (
    ("coffee", "coffee.png"),
    ("cat", "chelsea.png"),
    ("rocket", "rocket.jpg"),
    ("motorcycle", "motorcycle_left.png"),
)


# ---------------------------------------------------------------------- models
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
    from safetensors.torch import load_file

    net = build_digit_cnn()
    net.load_state_dict(load_file(str(spec.option_path("weights"))), strict=True)
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


# --------------------------------------------------------------------- attacks
def _loss_gradient(net: Any, x: Any, labels: Any) -> Any:
    """Gradient of the mean cross-entropy with respect to the input images."""
    import torch
    from torch.nn import functional as F

    x = x.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        loss = F.cross_entropy(net(x), labels)
        (gradient,) = torch.autograd.grad(loss, x)
    return gradient


def fgsm(net: Any, images: Any, labels: Any, eps: float, target: Any | None = None) -> Any:
    """Fast Gradient Sign Method: ``x + ε·sign(∇ₓ loss)``, clipped to [0, 1].

    ``labels`` are the true classes (untargeted: push away from them); with ``target``
    the step goes *down* the loss of the target classes instead (targeted).
    """
    if target is None:
        step = eps * _loss_gradient(net, images, labels).sign()
    else:
        step = -eps * _loss_gradient(net, images, target).sign()
    return (images + step).clamp(0.0, 1.0).detach()


def pgd(
    net: Any,
    images: Any,
    labels: Any,
    eps: float,
    steps: int = DEFAULT_STEPS,
    step_size: float | None = None,
    target: Any | None = None,
    random_start: bool = True,
    seed: int | None = 0,
) -> Any:
    """Projected Gradient Descent (iterated FGSM): ``steps`` signed-gradient steps of
    ``step_size`` (default 2.5·ε/steps, as in Madry et al.), each projected back into the
    L∞ ball of radius ε around the original and into [0, 1].  Starts at a random point
    of the ball when ``random_start`` (seeded by ``seed`` for reproducible demos).
    """
    import torch

    if step_size is None:
        step_size = 2.5 * eps / max(steps, 1)
    original = images.detach()
    adversarial = original.clone()
    if random_start and eps > 0:
        generator = torch.Generator().manual_seed(seed) if seed is not None else None
        noise = torch.rand(original.shape, generator=generator, dtype=original.dtype) * 2 - 1
        adversarial = (original + eps * noise).clamp(0.0, 1.0)
    for _ in range(steps):
        if target is None:
            adversarial = adversarial + step_size * _loss_gradient(net, adversarial, labels).sign()
        else:
            adversarial = adversarial - step_size * _loss_gradient(net, adversarial, target).sign()
        adversarial = torch.min(torch.max(adversarial, original - eps), original + eps).clamp(0.0, 1.0)
    return adversarial.detach()


def attack_batch(
    net: Any,
    images: Any,
    labels: Any,
    method: str,
    eps: float,
    steps: int = DEFAULT_STEPS,
    step_size: float | None = None,
    target: Any | None = None,
    seed: int | None = 0,
) -> Any:
    """Run ``method`` ("fgsm" or "pgd") on a batch; returns the adversarial images."""
    if method == "fgsm":
        return fgsm(net, images, labels, eps, target=target)
    if method == "pgd":
        return pgd(net, images, labels, eps, steps=steps, step_size=step_size, target=target, seed=seed)
    raise InputError("attack_bad_method", f"Unknown attack {method!r}; choose one of: {', '.join(METHODS)}.", method=method)


def accuracy(net: Any, images: Any, labels: Any, batch_size: int = 250) -> float:
    """Fraction of ``images`` classified as ``labels``."""
    import torch

    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            logits = net(images[start:start + batch_size])
            correct += int((logits.argmax(1) == labels[start:start + batch_size]).sum())
    return correct / max(len(labels), 1)


def robust_accuracy(
    net: Any,
    images: Any,
    labels: Any,
    method: str,
    eps: float,
    steps: int = DEFAULT_STEPS,
    batch_size: int = 250,
    seed: int = 0,
) -> float:
    """Accuracy on adversarial versions of ``images`` (each attacked against its true label)."""
    import torch

    correct = 0
    for start in range(0, len(labels), batch_size):
        chunk, truth = images[start:start + batch_size], labels[start:start + batch_size]
        adversarial = attack_batch(net, chunk, truth, method, eps, steps=steps, seed=seed + start)
        with torch.no_grad():
            correct += int((net(adversarial).argmax(1) == truth).sum())
    return correct / max(len(labels), 1)


# ---------------------------------------------------------------------- inputs
def _pil() -> Any:
    from PIL import Image

    return Image


def decode_image(data: bytes) -> tuple[Any, list[dict[str, Any]]]:
    """Uploaded bytes → a PIL image (RGB or L); refuses empty, oversized and non-image files."""
    Image = _pil()
    check_upload(data, MAX_UPLOAD_BYTES)
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS and image.format == "JPEG":
            image.draft("RGB", (2048, 2048))  # decode a JPEG at a fraction of its size instead of refusing
        if image.size[0] * image.size[1] > MAX_PIXELS:
            raise _too_large(width * height)
        image.load()
    except InputError:
        raise
    except Image.DecompressionBombError as error:
        found = re.search(r"\((\d+) pixels\)", str(error))
        raise _too_large(int(found.group(1)) if found else None) from None
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise InputError("attack_not_an_image", "This file is not an image we can read (try PNG or JPEG).") from error
    return _flatten_modes(image), []


def _too_large(pixels: int | None) -> InputError:
    megapixels = f"{pixels / 1e6:,.0f}" if pixels else "?"
    return InputError(
        "attack_image_too_large",
        f"The image is too large to process ({megapixels} megapixels; the limit is {MAX_PIXELS // 1_000_000}).",
        megapixels=megapixels,
        limit_mp=MAX_PIXELS // 1_000_000,
    )


def _flatten_modes(image: Any) -> Any:
    """Any PIL mode → RGB or L, upright (EXIF orientation); transparency composited on white
    (as a viewer shows it); 16-bit and float grey rescaled to 0..255."""
    from PIL import ImageOps

    Image = _pil()
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) / (high - low) * 255 if high > low else np.zeros_like(values)
        image = Image.fromarray(scaled.round().astype(np.uint8))
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image


def to_pil(image: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Bytes, a PIL image or a uint8/float numpy array (H×W or H×W×C) → PIL image + notices."""
    Image = _pil()
    if isinstance(image, (bytes, bytearray, memoryview)):
        return decode_image(bytes(image))
    if isinstance(image, Image.Image):
        return _flatten_modes(image), []
    if isinstance(image, np.ndarray):
        array = image
        if array.dtype != np.uint8:
            scale = 255.0 if array.size and float(np.nanmax(array)) <= 1.0 else 1.0
            array = np.nan_to_num(array.astype(np.float64) * scale).clip(0, 255).astype(np.uint8)
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[:, :, 0]
        if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)) or min(array.shape[:2]) < 1:
            raise InputError("attack_not_an_image", "This is not an image (expected height × width [× 3] pixels).")
        return _flatten_modes(Image.fromarray(array)), []
    raise InputError("attack_no_image", "Choose a sample or upload an image.")


def prepare_digit(image: Any) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """A picture of one digit → 28×28 uint8 in MNIST style (white ink on black, centred).

    Dark ink on light paper is inverted; the ink's bounding box is fitted into 20×20 and
    centred by its centre of mass in 28×28, as MNIST was made.  A 28×28 image keeps its pixels.
    """
    Image = _pil()
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    notices = []
    if grey.mean() > DIGIT_INK_THRESHOLD:
        grey = 255 - grey
        notices.append(notice("attack_inverted", "Dark ink on light paper was inverted to white on black, like MNIST."))
    if grey.shape == (28, 28):  # already MNIST-sized (e.g. a downloaded adversarial PNG): keep every pixel
        return grey.copy(), notices
    ink = np.argwhere(grey > 50)
    if len(ink):
        (top, left), (bottom, right) = ink.min(0), ink.max(0) + 1
        grey = grey[top:bottom, left:right]
    height, width = grey.shape
    scale = 20.0 / max(height, width)
    small = Image.fromarray(grey).resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.LANCZOS)
    digit = np.asarray(small, dtype=np.float64)
    canvas = np.zeros((28, 28))
    total = digit.sum()
    rows, cols = digit.shape
    if total > 0:
        cy = (digit.sum(1) * np.arange(rows)).sum() / total
        cx = (digit.sum(0) * np.arange(cols)).sum() / total
    else:
        cy, cx = rows / 2, cols / 2
    top = int(np.clip(round(14 - cy), 0, 28 - rows))
    left = int(np.clip(round(14 - cx), 0, 28 - cols))
    canvas[top:top + rows, left:left + cols] = digit
    notices.append(
        notice(
            "attack_resized_digit",
            f"The image ({image.size[0]}×{image.size[1]}) was fitted into 28×28 pixels, the size the digit model reads.",
            width=image.size[0],
            height=image.size[1],
        )
    )
    return canvas.clip(0, 255).astype(np.uint8), notices


def prepare_photo(image: Any, size: int) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """A photo → size×size×3 uint8: shorter side resized to ``size``, then a centre crop."""
    Image = _pil()
    rgb = image.convert("RGB")
    width, height = rgb.size
    notices = []
    if (width, height) != (size, size):
        scale = size / min(width, height)
        resized = rgb.resize((max(size, round(width * scale)), max(size, round(height * scale))), Image.BICUBIC)
        left, top = (resized.size[0] - size) // 2, (resized.size[1] - size) // 2
        rgb = resized.crop((left, top, left + size, top + size))
        notices.append(
            notice(
                "attack_resized_photo",
                f"The image ({width}×{height}) was resized and centre-cropped to {size}×{size} pixels, the size the model reads.",
                width=width,
                height=height,
                size=size,
            )
        )
    return np.asarray(rgb, dtype=np.uint8).copy(), notices


@lru_cache(maxsize=8)
def _imagenet_sample(index: int) -> np.ndarray:
    _, filename = IMAGENET_SAMPLES[index]
    with _pil().open(sample_photo_dir() / filename) as image:
        array = np.asarray(image.convert("RGB"))
    array.setflags(write=False)
    return array


def sample_photo_dir() -> Path:
    """scikit-image's bundled photos (BSD-3 package; the photos are CC0 / public domain), read in place."""
    import importlib.util

    spec = importlib.util.find_spec("skimage")
    if spec is None or spec.origin is None:
        raise InputError("attack_bad_sample", "The sample photos need scikit-image (pip install scikit-image).", sample="", last=0)
    return Path(spec.origin).resolve().parent / "data"


def sample_count(kind: str) -> int:
    """How many one-click samples a model kind has (held-out digits, or bundled photos)."""
    from dl_apps.datasets import mnist

    return len(mnist.test_split()) if kind == "digits" else len(IMAGENET_SAMPLES)


def sample_names(kind: str) -> list[str]:
    """Names of the photo samples (``kind == "imagenet"``), or ``[]`` for digits (they are numbered)."""
    return [name for name, _ in IMAGENET_SAMPLES] if kind == "imagenet" else []


def load_sample(kind: str, index: int) -> tuple[np.ndarray, int | None]:
    """Sample ``index`` for a model kind: (uint8 image, true class index or None)."""
    from dl_apps.datasets import mnist

    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        try:
            index = int(str(index).strip())
        except ValueError:
            raise InputError("attack_bad_sample", f"The sample must be a number, got {index!r}.", sample=str(index)) from None
    count = sample_count(kind)
    if not 0 <= index < count:
        raise InputError(
            "attack_bad_sample", f"There is no sample {index}: choose 0 to {count - 1}.", sample=index, last=count - 1
        )
    if kind == "digits":
        image, label = mnist.test_digit(index)
        return image, label
    return _imagenet_sample(index), None


def model_kind(model_id: str | None) -> str:
    """"digits" or "imagenet": which input the model reads (from its registry options)."""
    spec = get_model_spec(resolve_model_id(TASK, model_id), TASK)
    return str(spec.options.get("input", "imagenet"))


def image_to_tensor(image: np.ndarray) -> Any:
    """uint8 H×W (grey) or H×W×3 → float tensor (1, C, H, W) in [0, 1]."""
    import torch

    array = image.astype(np.float32) / 255.0
    if array.ndim == 2:
        array = array[None]
    else:
        array = array.transpose(2, 0, 1)
    return torch.from_numpy(np.ascontiguousarray(array)).unsqueeze(0)


def tensor_to_image(tensor: Any) -> np.ndarray:
    """(1, C, H, W) in [0, 1] → uint8 H×W or H×W×3, rounded as a PNG would store it."""
    import torch

    array = tensor.detach()[0].clamp(0, 1).mul(255).round().to(dtype=torch.uint8).numpy()
    return array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0)


# --------------------------------------------------------------------- results
@dataclass
class Prediction:
    """One class and its probability."""

    label: str
    score: float
    index: int


IMAGE_FIELDS = ("original_image", "perturbation_image", "adversarial_image")


@dataclass
class AttackResult(TaskResult):
    """What an attack did: predictions before/after, the perturbation's size, and the pictures.

    ``png`` is the prediction on the adversarial image rounded to 8 bits (what a downloaded
    PNG holds); ``survives_png`` says whether that still gives the adversarial answer.
    The three images (uint8) are for display and are left out of :meth:`to_dict`.
    """

    method: str = "pgd"
    eps: float = DEFAULT_EPS
    steps: int = 1
    step_size: float = 0.0
    target: str | None = None
    true_label: str | None = None
    original: Prediction | None = None
    adversarial: Prediction | None = None
    png: Prediction | None = None
    top5_original: list[Prediction] = field(default_factory=list)
    top5_adversarial: list[Prediction] = field(default_factory=list)
    linf: float = 0.0
    l2: float = 0.0
    changed_pixels: float = 0.0
    success: bool = False
    survives_png: bool = False
    amplification: float = 1.0
    original_image: np.ndarray | None = None
    perturbation_image: np.ndarray | None = None
    adversarial_image: np.ndarray | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the CLI's output), without the pixel arrays."""
        from dl_apps.core import to_jsonable

        data = {f.name: to_jsonable(getattr(self, f.name)) for f in fields(self) if f.name not in IMAGE_FIELDS}
        data["linf_255"] = round(self.linf * 255, 2)
        return data


def top_k(probabilities: Any, labels: Sequence[str], k: int = TOP_K) -> list[Prediction]:
    """The ``k`` most probable classes, best first."""
    values, indices = probabilities.topk(min(k, len(labels)))
    return [Prediction(labels[int(i)], round(float(v), 4), int(i)) for v, i in zip(values, indices)]


def resolve_target(target: Any, labels: Sequence[str]) -> int | None:
    """A class given as index or name (case and ``_`` insensitive) → its index; None/"" → None."""
    if target is None or (isinstance(target, str) and not target.strip()):
        return None
    text = str(target).strip()
    if text.isdigit():
        index = int(text)
        if 0 <= index < len(labels):
            return index
    wanted = text.lower().replace("_", " ")
    for index, name in enumerate(labels):
        if name.lower() == wanted:
            return index
    raise InputError(
        "attack_bad_target",
        f"Unknown target class {text!r}: give a class name or a number from 0 to {len(labels) - 1}.",
        target=text,
        last=len(labels) - 1,
    )


def perturbation_picture(delta: Any, eps: float) -> tuple[np.ndarray, float]:
    """The perturbation made visible: grey 128 = unchanged, brighter/darker = pixels pushed up/down.

    Returns the uint8 picture and the amplification used (±ε is stretched to full range).
    """
    amplification = 0.5 / eps if eps > 0 else 1.0
    picture = (0.5 + delta.detach()[0] * amplification).clamp(0, 1).mul(255).round().byte().numpy()
    picture = picture[0] if picture.shape[0] == 1 else picture.transpose(1, 2, 0)
    return picture, round(amplification, 2)


def predict(
    model: Classifier,
    image: np.ndarray,
    method: str = "pgd",
    eps: float = DEFAULT_EPS,
    steps: int = DEFAULT_STEPS,
    step_size: float | None = None,
    target: Any = None,
    true_label: int | None = None,
    seed: int | None = 0,
) -> AttackResult:
    """Attack one prepared image (uint8, the model's input size) on a loaded model.

    Untargeted attacks push away from ``true_label`` when known, else from the model's own
    clean answer; a ``target`` class makes the attack targeted.
    """
    import torch

    x = image_to_tensor(image)
    with torch.no_grad():
        clean = model.net(x).softmax(1)[0]
    top_clean = top_k(clean, model.labels)
    reference = true_label if true_label is not None else top_clean[0].index
    target_index = resolve_target(target, model.labels)
    labels = torch.tensor([reference])
    target_tensor = torch.tensor([target_index]) if target_index is not None else None
    if method == "fgsm":
        steps, step_size = 1, eps
    elif step_size is None:
        step_size = 2.5 * eps / max(steps, 1)
    adversarial = attack_batch(model.net, x, labels, method, eps, steps=steps, step_size=step_size, target=target_tensor, seed=seed)
    quantised = image_to_tensor(tensor_to_image(adversarial))
    with torch.no_grad():
        attacked = model.net(adversarial).softmax(1)[0]
        stored = model.net(quantised).softmax(1)[0]
    top_attacked = top_k(attacked, model.labels)
    png = top_k(stored, model.labels, 1)[0]
    delta = adversarial - x
    perturbation, amplification = perturbation_picture(delta, eps)
    if target_index is not None:
        success = top_attacked[0].index == target_index
    else:  # the answer changed, and is not the true class either
        success = top_attacked[0].index not in (reference, top_clean[0].index)
    return AttackResult(
        method=method,
        eps=eps,
        steps=steps,
        step_size=round(float(step_size), 6),
        target=model.labels[target_index] if target_index is not None else None,
        true_label=model.labels[true_label] if true_label is not None else None,
        original=top_clean[0],
        adversarial=top_attacked[0],
        png=png,
        top5_original=top_clean,
        top5_adversarial=top_attacked,
        linf=round(float(delta.abs().max()), 6),
        l2=round(float(delta.norm()), 6),
        changed_pixels=round(float((delta.abs() > 0.5 / 255).float().mean()), 4),
        success=bool(success),
        survives_png=bool(png.index == top_attacked[0].index),
        amplification=amplification,
        original_image=image,
        perturbation_image=perturbation,
        adversarial_image=tensor_to_image(adversarial),
    )


def check_eps(eps: Any) -> float:
    """ε as a float in [0, 1] (pixel units, 1 = full range), or InputError."""
    try:
        value = float(eps)
    except (TypeError, ValueError):
        raise InputError("attack_bad_eps", f"ε must be a number between 0 and 1, got {eps!r}.", eps=str(eps)) from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise InputError(
            "attack_bad_eps", f"ε must be between 0 and 1 (0 to 255/255 in pixel units), got {eps}.", eps=str(eps)
        )
    return value


def check_steps(steps: Any, kind: str) -> tuple[int, list[dict[str, Any]]]:
    """PGD steps as an int ≥ 1, capped at the model's maximum (with a notice)."""
    try:
        value = int(steps)
        if value != float(steps):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise InputError("attack_bad_steps", f"The number of PGD steps must be a whole number, got {steps!r}.", steps=str(steps)) from None
    if value < 1:
        raise InputError("attack_bad_steps", f"PGD needs at least 1 step, got {value}.", steps=str(value))
    limit = MAX_STEPS.get(kind, min(MAX_STEPS.values()))
    if value > limit:
        return limit, [notice("attack_steps_capped", f"{value:,} steps is too many for a shared machine: capped at {limit}.", steps=value, limit=limit)]
    return value, []


def prepare_input(
    kind: str, size: int, image: Any = None, sample: Any = None
) -> tuple[np.ndarray, int | None, list[dict[str, Any]]]:
    """Image or sample → (model-ready uint8 image, true class or None, notices)."""
    if image is None and sample is None:
        raise InputError("attack_no_image", "Choose a sample or upload an image.")
    if image is None:
        raw, true_label = load_sample(kind, sample)
        pil, notices = to_pil(raw)
    else:
        true_label = None
        pil, notices = to_pil(image)
    if kind == "digits":
        prepared, more = prepare_digit(pil)
    else:
        prepared, more = prepare_photo(pil, size)
    return prepared, true_label, notices + more


INPUT_SIZES = {"digits": 28, "imagenet": 224}


def run(
    image: Any = None,
    sample: Any = None,
    method: str = "pgd",
    eps: Any = DEFAULT_EPS,
    steps: Any = DEFAULT_STEPS,
    step_size: Any = None,
    target: Any = None,
    seed: int | None = 0,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> AttackResult:
    """Validate the input (InputError with a clear message), then attack through the shared cache.

    ``image``: bytes of an uploaded file, a PIL image or a numpy array; or ``sample``: the
    number of a held-out test digit (digit models) or of a bundled photo (ImageNet model).
    ``eps`` and ``step_size`` are in pixel units where 1 is the full range (8/255 ≈ 0.031).
    """
    method = str(method or "").strip().lower()
    if method not in METHODS:
        raise InputError("attack_bad_method", f"Unknown attack {method!r}; choose one of: {', '.join(METHODS)}.", method=method)
    eps = check_eps(eps)
    kind = model_kind(model_id)
    notices: list[dict[str, Any]] = []
    if method == "pgd":
        steps, notices = check_steps(steps, kind)
        if step_size is not None and str(step_size).strip() != "":
            step_size = check_eps(step_size)
            if step_size == 0:
                raise InputError("attack_bad_step_size", "The PGD step size must be above 0.")
        else:
            step_size = None
    else:
        steps, step_size = 1, None
    prepared, true_label, input_notices = prepare_input(kind, INPUT_SIZES.get(kind, 224), image=image, sample=sample)
    def attack_on(model: Classifier) -> AttackResult:
        with torch_threads():
            return predict(model, prepared, method, eps, steps, step_size, target, true_label, seed)

    result = run_cached(TASK, model_id, attack_on, cache, on_queue)
    result.notices = input_notices + notices + result.notices
    return result


def encode_png(image: np.ndarray) -> bytes:
    """uint8 image → PNG bytes (lossless: the download holds exactly the rounded pixels)."""
    buffer = io.BytesIO()
    _pil().fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def enlarge(image: np.ndarray, min_side: int = 224) -> np.ndarray:
    """Nearest-neighbour upscaling of small images (28×28 digits) so the pixels can be seen."""
    factor = max(1, math.ceil(min_side / max(1, min(image.shape[:2]))))
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1) if factor > 1 else image


# -------------------------------------------------------------- robustness curve
def robustness_curves() -> list[dict[str, Any]]:
    """Accuracy vs ε of the digit models, as measured by ``python -m dl_apps train mnist-cnn``.

    Long format, one row per (model, attack, ε): ``model``, ``method``, ``eps``,
    ``eps_255``, ``accuracy``, ``n``.  Read from each model's ``metrics.json``
    (``options.metrics``); models without one are skipped.
    """
    rows = []
    for spec in load_registry().models_for(TASK):
        path_key = spec.options.get("metrics")
        if not path_key:
            continue
        path = spec.option_path("metrics")
        if not path.is_file():
            continue
        evaluation = json.loads(path.read_text(encoding="utf-8"))["evaluation"]
        curve = evaluation["curve"]
        for method in ("fgsm", "pgd"):
            title = "FGSM" if method == "fgsm" else f"PGD-{evaluation['pgd_steps']}"
            for eps, value in zip(curve["eps"], curve[method]):
                rows.append(
                    {"model": spec.id, "method": title, "eps": eps, "eps_255": round(eps * 255), "accuracy": value, "n": evaluation["n_test"]}
                )
    return rows


def _metrics(model_id: str) -> dict[str, Any] | None:
    try:
        path = get_model_spec(model_id, TASK).option_path("metrics")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError):
        return None


def defence_summary(standard_id: str = "mnist-cnn", robust_id: str = "mnist-cnn-robust") -> dict[str, Any] | None:
    """What adversarial training buys and costs, from the two cards' metrics.

    Keys: ``eps`` (the reference ε in grey levels), ``standard`` / ``robust`` (PGD accuracy
    at that ε), ``clean_standard`` / ``clean_robust``, ``cost`` (training-time ratio).
    None when either metrics file is missing.
    """
    standard, robust = _metrics(standard_id), _metrics(robust_id)
    if not standard or not robust:
        return None
    eps = standard["evaluation"]["reference_eps"]

    def attacked(metrics: dict[str, Any]) -> float:
        curve = metrics["evaluation"]["curve"]
        return float(curve["pgd"][curve["eps"].index(eps)])

    return {
        "eps": round(eps * 255),
        "standard": attacked(standard),
        "robust": attacked(robust),
        "clean_standard": float(standard["evaluation"]["clean_accuracy"]),
        "clean_robust": float(robust["evaluation"]["clean_accuracy"]),
        "cost": robust["train_seconds"] / max(standard["train_seconds"], 1e-9),
    }


def class_names(kind: str) -> list[str]:
    """The classes a model kind can output (for the target selector)."""
    if kind == "digits":
        return list(digit_labels())
    from dl_apps.nets import efficientnet_lite

    return efficientnet_lite.imagenet_classes()


# ------------------------------------------------------------------ CLI hooks
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run attack`` arguments (shared/cli.md)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--image", type=Path, help="image file to attack (a digit for the digit models)")
    source.add_argument("--sample", type=int, help="a bundled sample: held-out test digit number, or photo number for --model efficientnet-lite0")
    parser.add_argument("--method", choices=METHODS, default="pgd")
    parser.add_argument("--eps", type=float, default=DEFAULT_EPS, help="L∞ budget in [0, 1] (8/255 ≈ 0.031)")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, help="PGD steps")
    parser.add_argument("--step-size", type=float, help="PGD step (default 2.5·eps/steps)")
    parser.add_argument("--target", help="targeted attack: class name or number")
    parser.add_argument("--seed", type=int, default=0, help="seed of PGD's random start")


def cli_run(args: dict, model_id: str | None, cache: ModelCache) -> AttackResult:
    """Run from CLI/batch arguments (names without dashes)."""
    image = args.get("image")
    data = None
    if image:
        path = Path(image)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError("attack_file_not_found", f"Cannot read {path}: {error.strerror or error}.", path=str(path)) from None
    sample = args.get("sample")
    if data is None and sample is None:
        sample = 0
    return run(
        image=data,
        sample=sample,
        method=args.get("method") or "pgd",
        eps=args.get("eps") if args.get("eps") is not None else DEFAULT_EPS,
        steps=args.get("steps") if args.get("steps") is not None else DEFAULT_STEPS,
        step_size=args.get("step_size"),
        target=args.get("target"),
        seed=args.get("seed") if args.get("seed") is not None else 0,
        model_id=model_id,
        cache=cache,
    )


def bench_args() -> dict:
    """One representative input for ``bench``: FGSM at ε = 0.1 on sample 0."""
    return {"sample": 0, "method": "fgsm", "eps": 0.1}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """10-step PGD latency per offline model (the ``bench`` rows time FGSM)."""
    import statistics

    from dl_apps.tools.bench import percentile

    rows = []
    for spec in load_registry().models_for(TASK):
        if spec.source == "hub":
            continue
        cache = ModelCache(budget_mb=100_000)
        args = {"sample": 0, "method": "pgd", "eps": 0.1, "steps": 10}
        n = min(calls, 50 if spec.options.get("input") == "digits" else 5)
        try:
            cli_run(dict(args), spec.id, cache)
            latencies = [cli_run(dict(args), spec.id, cache).latency_ms for _ in range(n)]
        except Exception as error:  # one model's failure must not hide the others
            rows.append({"task": TASK, "model": spec.id, "benchmark": "pgd-10", "error": f"{type(error).__name__}: {error}"})
            continue
        rows.append(
            {
                "task": TASK,
                "model": spec.id,
                "benchmark": "pgd-10 (10-step PGD, one image)",
                "calls": n,
                "p50_ms": round(statistics.median(latencies), 2),
                "p95_ms": round(percentile(latencies, 95), 2),
            }
        )
        cache.clear()
    return rows

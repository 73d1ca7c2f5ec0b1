"""Inputs of the attack task: uploads through the shared decoder, digit and photo preparation, samples, checks."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.core import InputError, notice
from dl_apps.media import image as image_io
from dl_apps.media.image import MAX_PIXELS, MAX_UPLOAD_BYTES, load_image
from dl_apps.registry import get_model_spec, resolve_model_id

TASK = "attack"
MAX_STEPS = {"digits": 200, "imagenet": 20}
DIGIT_INK_THRESHOLD = 127  # mean grey above this → dark ink on light paper, invert to MNIST style

# Photos bundled with scikit-image (read in place, not copied): name → (file, licence).
IMAGENET_SAMPLES: tuple[tuple[str, str], ...] = (
    ("coffee", "coffee.png"),
    ("cat", "chelsea.png"),
    ("rocket", "rocket.jpg"),
    ("motorcycle", "motorcycle_left.png"),
)


def _pil() -> Any:
    from PIL import Image

    return Image



def to_pil(image: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Bytes, a file path, a PIL image or a numpy array → RGB PIL image + notices (``dl_apps.media.image``).

    Every failure is one of the shared ``image_*`` errors (missing, not an image, corrupt, too large).
    """
    if isinstance(image, np.ndarray) and image.dtype != np.uint8:
        scale = 255.0 if image.size and float(np.nanmax(image)) <= 1.0 else 1.0
        image = np.nan_to_num(image.astype(np.float64) * scale).clip(0, 255).astype(np.uint8)
    if isinstance(image, np.ndarray) and image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    rgb, notices = load_image(image, MAX_UPLOAD_BYTES, MAX_PIXELS)
    return _pil().fromarray(rgb), notices


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
            raise InputError(
                "attack_bad_sample", f"The sample must be a number, got {index!r}.", sample=str(index), last=sample_count(kind) - 1
            ) from None
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
        raise InputError("image_missing", "Please choose a sample, upload a picture or take a snapshot.")
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

encode_png = image_io.encode_png  # lossless: the download holds exactly the rounded pixels


def enlarge(image: np.ndarray, min_side: int = 224) -> np.ndarray:
    """Nearest-neighbour upscaling of small images (28×28 digits) so the pixels can be seen."""
    factor = max(1, math.ceil(min_side / max(1, min(image.shape[:2]))))
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1) if factor > 1 else image


"""Inputs of the explanations task: limits, samples, and the validation of every argument.

Bad input raises :class:`~dl_apps.core.InputError` with an ``explain_*`` code (messages in
``strings.py``); the image target reads uploads through the shared decoder (``dl_apps.media.image``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import numpy as np

from dl_apps.core import InputError, clean_text, notice
from dl_apps.nets.tree_ensemble import TreeEnsemble

METHODS: tuple[str, ...] = ("shap", "lime")
TARGETS: tuple[str, ...] = ("tabular", "text", "image")
# Which registry task may serve each target, and its default model there.
TARGET_TASKS = {"tabular": "explain", "text": "sentiment", "image": "attack"}
DEFAULT_IMAGE_MODEL = "mnist-cnn"

# Page defaults: LIME perturbed samples / SHAP model evaluations per target (tabular SHAP is exact).
DEFAULT_LIME_SAMPLES = {"tabular": 1000, "text": 150, "image": 300}
DEFAULT_SHAP_EVALS = {"tabular": 0, "text": 120, "image": 100}
MIN_SAMPLES = 20
MAX_SAMPLES = {"tabular": 20_000, "text": 2_000, "image": 5_000}
# Seconds per SHAP evaluation / LIME sample, from `bench explain` on the 2-core server (2026-11-27)
# with a 1.5× margin for a busy workshop: the page's time estimate.
SECONDS_PER_EVAL = {"tabular": (0.0, 0.00008), "text": (0.014, 0.016), "image": (0.003, 0.002)}
MAX_TEXT_CHARS = 600  # every word is a feature: longer texts need far more samples
MAX_TEXT_WORDS = 60
IMAGE_SIDE = 28
SEGMENTS = 40
MAX_REPEATS = 10
BENCH_MAX_CALLS = 20
WORD_PATTERN = r"\W+"  # words are runs of letters/digits (Unicode: accents stay inside words)

TEXT_SAMPLES: tuple[tuple[str, str], ...] = (
    ("en_pos", "The workshop was fantastic and the speaker was brilliant."),
    ("en_neg", "The food was awful and the waiter was rude."),
    ("en_mixed", "Great actors, but the plot was boring and far too long."),
    ("fr_pos", "Une formation géniale, les explications étaient claires et passionnantes."),
    ("fr_neg", "Le colis est arrivé cassé et le service client est nul."),
)


# --------------------------------------------------------------- validation
def check_method(method: Any) -> str:
    method = str(method or "").strip().lower()
    if method not in METHODS:
        raise InputError("explain_bad_method", f"Unknown method {method!r}: choose shap or lime.", method=method)
    return method


def check_target(target: Any) -> str:
    target = str(target or "").strip().lower()
    if target not in TARGETS:
        raise InputError("explain_bad_target", f"Unknown target {target!r}: choose tabular, text or image.", target=target)
    return target


def check_samples(samples: Any, target: str, method: str) -> tuple[int, list[dict[str, Any]]]:
    """The number of LIME samples / SHAP evaluations: a whole number, capped into [MIN_SAMPLES, MAX]."""
    if samples is None:
        default = DEFAULT_LIME_SAMPLES if method == "lime" else DEFAULT_SHAP_EVALS
        return default[target], []
    try:
        value = float(samples)
    except (TypeError, ValueError):
        raise InputError("explain_bad_samples", f"The number of samples must be a whole number, got {samples!r}.", value=str(samples)) from None
    if not math.isfinite(value):
        raise InputError("explain_bad_samples", f"The number of samples must be a whole number, got {samples!r}.", value=str(samples))
    wanted = int(value)
    if method == "shap" and target == "tabular":
        return 0, []  # exact: TreeExplainer needs no samples
    limit = MAX_SAMPLES[target]
    capped = min(max(wanted, MIN_SAMPLES), limit)
    notices = []
    if capped != wanted:
        notices.append(
            notice(
                "explain_samples_capped",
                f"{wanted:,} samples is outside the allowed range; {capped:,} were used (between {MIN_SAMPLES} and {limit:,}).",
                asked=wanted,
                used=capped,
                low=MIN_SAMPLES,
                high=limit,
            )
        )
    return capped, notices


def check_seed(seed: Any) -> int:
    try:
        return int(seed or 0) % (2**31)
    except (TypeError, ValueError):
        raise InputError("explain_bad_seed", f"The seed must be a whole number, got {seed!r}.", value=str(seed)) from None

# ------------------------------------------------------------------ tabular
@lru_cache(maxsize=1)
def tabular_data() -> dict[str, Any]:
    """The held-out patients of the model's split (the page's and CLI's samples)."""
    from dl_apps.datasets.breast_cancer import load_data, split

    x, y, names, classes = load_data()
    _, x_test, _, y_test = split(x, y)
    return {"x": x_test, "y": y_test, "features": names, "classes": classes}


def tabular_sample(index: Any) -> tuple[np.ndarray, str]:
    """Held-out patient ``index``: (30 feature values, true diagnosis)."""
    data = tabular_data()
    index = _sample_index(index, len(data["y"]))
    return data["x"][index].copy(), data["classes"][int(data["y"][index])]


def _sample_index(index: Any, count: int) -> int:
    try:
        value = int(str(index).strip())
    except ValueError:
        raise InputError("explain_bad_sample", f"The sample must be a number from 0 to {count - 1}.", last=count - 1) from None
    if not 0 <= value < count:
        raise InputError("explain_bad_sample", f"There is no sample {value}: choose 0 to {count - 1}.", last=count - 1)
    return value


def what_if(model: TreeEnsemble, row: np.ndarray, overrides: dict[str, Any] | None) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """``row`` with some features changed; a value outside the training range is allowed and flagged."""
    row = np.asarray(row, dtype=np.float64).copy()
    notices = []
    for name, value in (overrides or {}).items():
        if name not in model.feature_names:
            raise InputError("explain_unknown_feature", f"Unknown feature {name!r}.", feature=str(name))
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not math.isfinite(number):
            raise InputError("explain_bad_value", f"The value of {name} must be a number, got {value!r}.", feature=name, value=str(value))
        index = model.feature_names.index(name)
        low, high = float(model.arrays["train_min"][index]), float(model.arrays["train_max"][index])
        if not low <= number <= high:
            notices.append(
                notice(
                    "explain_extrapolation",
                    f"{name} = {number:g} is outside the training range [{low:g}, {high:g}]: the model extrapolates, trust it less.",
                    feature=name,
                    value=number,
                    low=low,
                    high=high,
                )
            )
        row[index] = number
    return row, notices
# --------------------------------------------------------------------- text
def words(text: str) -> list[str]:
    """The words of ``text`` as both explainers see them (split on non-word characters)."""
    return [w for w in re.split(WORD_PATTERN, text) if w]


def check_text(text: Any) -> tuple[str, list[dict[str, Any]]]:
    cleaned, notices = clean_text(text, MAX_TEXT_CHARS)
    found = words(cleaned)
    if not found:
        raise InputError("explain_no_words", "The text has no words to explain.")
    if len(found) > MAX_TEXT_WORDS:
        raise InputError("explain_too_many_words", f"The text has {len(found)} words; explain at most {MAX_TEXT_WORDS} at a time.", words=len(found), limit=MAX_TEXT_WORDS)
    return cleaned, notices
# -------------------------------------------------------------------- image
def image_sample(index: Any) -> tuple[np.ndarray, int]:
    """Held-out MNIST digit ``index`` (the adversarial page's test split): (28×28 uint8, label)."""
    from dl_apps.datasets import mnist

    split = mnist.test_split()
    value = _sample_index(index, len(split))
    return split.images[value].copy(), int(split.labels[value])


def check_image(image: Any) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """A 28×28 uint8 digit (white on black) from bytes or an array; other sizes refused with a clear message.

    Uploads are decoded by the shared image decoder; a photo of a digit is not
    silently squeezed: the digit model only reads 28×28 MNIST-style images.
    """
    if image is None:
        raise InputError("explain_no_image", "Choose a sample or upload a 28×28 digit image.")
    if isinstance(image, (bytes, bytearray, memoryview)):
        from PIL import Image

        from dl_apps.media.image import decode_image

        rgb, notices = decode_image(bytes(image))
        array = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.uint8)
    else:
        array, notices = np.asarray(image), []
        if array.ndim == 3 and array.shape[2] in (1, 3, 4):
            array = array[:, :, :3].mean(axis=2) if array.shape[2] >= 3 else array[:, :, 0]
        if array.dtype != np.uint8:
            finite = np.nan_to_num(array.astype(np.float64))
            array = (finite * (255.0 if finite.size and finite.max() <= 1.0 else 1.0)).clip(0, 255).astype(np.uint8)
    if array.shape != (IMAGE_SIDE, IMAGE_SIDE):
        raise InputError(
            "explain_image_size",
            f"The digit model reads 28×28 grey images; this one is {'×'.join(str(s) for s in array.shape[:2][::-1])}. Use the adversarial page's download or a sample.",
            size="×".join(str(s) for s in array.shape[:2][::-1]),
        )
    if array.mean() > 127:  # dark ink on light paper → MNIST style
        array = 255 - array
        notices.append(notice("explain_inverted", "Dark ink on light paper was inverted to white on black, like MNIST."))
    return array.astype(np.uint8), notices
# ------------------------------------------------------------------ dispatch
def prepare_input(target: str, sample: Any = None, text: Any = None, image: Any = None, overrides: dict[str, Any] | None = None, model: Any = None) -> tuple[Any, list[dict[str, Any]]]:
    """Validate the input of ``target`` (a bundled sample if nothing else is given)."""
    if target == "text":
        if text is None:
            index = _sample_index(0 if sample is None else sample, len(TEXT_SAMPLES))
            text = TEXT_SAMPLES[index][1]
        return check_text(text)
    if target == "image":
        if image is None:
            image, _ = image_sample(0 if sample is None else sample)
        return check_image(image)
    row, _ = tabular_sample(0 if sample is None else sample)
    if model is not None:
        return what_if(model, row, overrides)
    return row, []

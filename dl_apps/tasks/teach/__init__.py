"""Teach it your classes: transfer learning from a frozen EfficientNet-Lite0 and a small head trained live.

* The cache's model (``efficientnet-lite0-features``) is the packaged EfficientNet-Lite0
  of :mod:`dl_apps.nets.efficientnet_lite` without its ImageNet classifier: each photo
  becomes 1,280 numbers (its *features*).  The network stays frozen.
* The head is the Learn section's MLP (:func:`dl_apps.nets.mlp.build_mlp`) with no hidden
  layer: a softmax regression from 1,280 features to the user's 2–5 classes, trained in
  well under a second on a handful of examples.
* :func:`loo_curve`: leave-one-out accuracy against the number of examples per class.

Pure library: no Streamlit import; torch inside functions.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, run_cached, torch_threads
from dl_apps.registry import ASSETS_DIR, ModelSpec

TASK = "teach"
MIN_CLASSES, MAX_CLASSES = 2, 5
MAX_EXAMPLES_PER_CLASS = 30
MAX_NAME_CHARS = 40
HEAD_STEPS = 150
HEAD_LR = 0.05
HEAD_L2 = 1e-3
BENCH_MAX_CALLS = 10

# Bundled photos a class can take its examples from (crops of one photo: see sample_examples).
SAMPLE_PHOTOS: dict[str, tuple[str, str]] = {
    "dog": ("file", "samples/detection/dog.jpg"),
    "cat": ("file", "samples/medical/cat_chelsea.jpg"),
    "coffee": ("file", "samples/detection/coffee.jpg"),
    "horses": ("file", "samples/detection/horses.jpg"),
    "eagle": ("file", "samples/detection/eagle.jpg"),
    "rocket": ("skimage", "rocket"),
    "astronaut": ("skimage", "astronaut"),
}


# ------------------------------------------------------------------ model
class FeatureExtractor:
    """EfficientNet-Lite0 up to its pooled 1,280 features, frozen, eval mode."""

    def __init__(self, net: Any) -> None:
        self.net = net

    def features(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """(N, 1280) float32 features of RGB uint8 images (any size: resized, centre-cropped)."""
        import torch

        from dl_apps.nets import efficientnet_lite

        batch = torch.from_numpy(np.stack([prepare(image) for image in images])).permute(0, 3, 1, 2).float() / 255.0
        with torch.inference_mode(), torch_threads():
            out = self.net(efficientnet_lite.normalise(batch))
        return out.numpy().astype(np.float32)

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.net.parameters())


def load_feature_extractor(spec: ModelSpec) -> FeatureExtractor:
    """Loader: the packaged EfficientNet-Lite0 (nets.efficientnet_lite) with its classifier removed, frozen."""
    from torch import nn

    from dl_apps.nets import efficientnet_lite

    net = efficientnet_lite.load_pretrained()
    net._fc = nn.Identity()  # pooled features instead of the 1,000 ImageNet logits
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return FeatureExtractor(net.eval())


def prepare(image: np.ndarray, size: int = 224) -> np.ndarray:
    """RGB uint8 (H, W, 3) → (size, size, 3): shorter side to ``size``, centre crop."""
    from PIL import Image

    picture = Image.fromarray(np.asarray(image, dtype=np.uint8))
    scale = size / min(picture.size)
    picture = picture.resize((max(size, round(picture.width * scale)), max(size, round(picture.height * scale))), Image.BILINEAR)
    left, top = (picture.width - size) // 2, (picture.height - size) // 2
    return np.asarray(picture.crop((left, top, left + size, top + size)))


# ------------------------------------------------------------------ samples
def sample_photo(name: str) -> np.ndarray:
    """One bundled photo (RGB uint8) by its SAMPLE_PHOTOS name."""
    from dl_apps.media.image import load_image

    kind, where = SAMPLE_PHOTOS[name]
    if kind == "skimage":
        import skimage.data

        return np.asarray(getattr(skimage.data, where)())[..., :3]
    return load_image(ASSETS_DIR / where)[0]


def sample_examples(name: str, count: int = 5, seed: int = 0) -> list[np.ndarray]:
    """``count`` different views of one bundled photo (random crops of 60–95 %, some mirrored)."""
    photo = sample_photo(name)
    rng = np.random.default_rng(seed + sum(map(ord, name)))
    height, width = photo.shape[:2]
    views = []
    for _ in range(count):
        share = rng.uniform(0.6, 0.95)
        h, w = int(height * share), int(width * share)
        top, left = rng.integers(0, height - h + 1), rng.integers(0, width - w + 1)
        view = photo[top : top + h, left : left + w]
        views.append(np.ascontiguousarray(view[:, ::-1] if rng.random() < 0.5 else view))
    return views


# ------------------------------------------------------------------- head
@dataclass
class Head:
    """A trained softmax head over the user's labels."""

    net: Any
    labels: tuple[str, ...]
    seconds: float = 0.0

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        import torch

        self.net.eval()
        with torch.no_grad():
            logits = self.net(torch.from_numpy(_normalise(features)))
        return torch.softmax(logits, dim=1).numpy()


def _normalise(features: np.ndarray) -> np.ndarray:
    features = np.asarray(features, dtype=np.float32)
    return features / (np.linalg.norm(features, axis=1, keepdims=True) + 1e-6) * 10.0


def clean_labels(names: Sequence[Any]) -> list[str]:
    """Validated class names: 2–5, not blank, not repeated (case-insensitive), at most 40 characters."""
    cleaned: list[str] = []
    for raw in names:
        name = str(raw if raw is not None else "").replace("\x00", "").strip()[:MAX_NAME_CHARS]
        if not name:
            raise InputError("teach_empty_name", "Every class needs a name.")
        if name.casefold() in (c.casefold() for c in cleaned):
            raise InputError("teach_duplicate_name", f"Two classes are called '{name}': give each class its own name.", name=name)
        cleaned.append(name)
    if len(cleaned) < MIN_CLASSES:
        raise InputError("teach_too_few_classes", f"Give at least {MIN_CLASSES} classes, each with examples.", minimum=MIN_CLASSES)
    if len(cleaned) > MAX_CLASSES:
        raise InputError("teach_too_many_classes", f"At most {MAX_CLASSES} classes.", maximum=MAX_CLASSES)
    return cleaned


def check_examples(features_by_label: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Names validated (clean_labels) and every class with at least one example, else InputError."""
    labels = clean_labels(list(features_by_label))
    checked = {}
    for label, raw in zip(labels, features_by_label.values()):
        features = np.asarray(raw, dtype=np.float32).reshape(-1, np.asarray(raw).shape[-1] if np.size(raw) else 1)
        if np.size(raw) == 0 or len(features) == 0:
            raise InputError("teach_no_examples", f"The class '{label}' has no example yet.", name=label)
        checked[label] = features[:MAX_EXAMPLES_PER_CLASS]
    return checked


def train_head(features_by_label: Mapping[str, np.ndarray], seed: int = 0, steps: int = HEAD_STEPS) -> Head:
    """Train the softmax head (nets.mlp, no hidden layer) on each label's features (full batch, Adam, L2)."""
    import torch

    from dl_apps.nets.mlp import build_mlp

    started = time.perf_counter()
    checked = check_examples(features_by_label)
    labels = tuple(checked)
    x = torch.from_numpy(_normalise(np.concatenate(list(checked.values()))))
    y = torch.cat([torch.full((len(f),), index, dtype=torch.long) for index, f in enumerate(checked.values())])
    net = build_mlp(x.shape[1], (), len(labels), seed=seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=HEAD_LR)
    with torch_threads():
        for _ in range(steps):
            loss = torch.nn.functional.cross_entropy(net(x), y) + HEAD_L2 * (net.output.weight**2).sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return Head(net=net, labels=labels, seconds=time.perf_counter() - started)


def loo_curve(features_by_label: Mapping[str, np.ndarray], max_per_class: int = 8) -> list[dict[str, float]]:
    """Leave-one-out accuracy against examples per class.

    For k = 1 .. (smallest class − 1): each example in turn is held out, a head is
    trained on the first k other examples of every class, and it must name the held-out
    one.  Returns [{"per_class": k, "accuracy": ...}, ...] (empty if a class has one example).
    """
    checked = check_examples(features_by_label)
    smallest = min(len(f) for f in checked.values())
    curve = []
    for k in range(1, min(smallest - 1, max_per_class) + 1):
        right = total = 0
        for held_label, held in checked.items():
            for index in range(len(held)):
                train = {}
                for label, features in checked.items():
                    pool = np.delete(features, index, axis=0) if label == held_label else features
                    train[label] = pool[:k]
                head = train_head(train, steps=60)
                guess = head.labels[int(np.argmax(head.predict_proba(held[index : index + 1])[0]))]
                right += guess == held_label
                total += 1
        curve.append({"per_class": k, "accuracy": round(right / total, 4)})
    return curve


# ---------------------------------------------------------------- results
@dataclass
class FeaturesResult(TaskResult):
    """Features of some images (``latency_ms`` covers the extraction)."""

    features: Any = None


@dataclass
class TeachResult(TaskResult):
    """A new image classified by a head trained on the user's examples."""

    label: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    examples: dict[str, int] = field(default_factory=dict)
    head_ms: float = 0.0


def extract(
    images: Sequence[np.ndarray],
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> FeaturesResult:
    """Features (N, 1280) of decoded RGB images, through the cache's frozen EfficientNet-Lite0."""
    if not images:
        raise InputError("teach_no_examples", "There is no image to read.", name="")
    return run_cached(TASK, model_id, lambda model: FeaturesResult(features=model.features(list(images))), cache, on_queue)


def classify(head: Head, features: np.ndarray) -> dict[str, float]:
    """Probabilities of each label for one image's features."""
    probabilities = head.predict_proba(np.asarray(features).reshape(1, -1))[0]
    return {label: round(float(p), 4) for label, p in zip(head.labels, probabilities)}


def run(
    examples: Mapping[str, Sequence[Any]],
    image: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> TeachResult:
    """Train a head on ``examples`` ({label: [image bytes, path or RGB array, ...]}) and classify ``image``.

    Every image goes through the shared decoder (bad files → InputError).  Raises
    InputError for fewer than 2 labels, a label without examples, empty or repeated names.
    """
    from dl_apps.media.image import load_image

    labels = check_named_examples(examples)
    decoded = {label: [load_image(item)[0] for item in list(items)[:MAX_EXAMPLES_PER_CLASS]] for label, items in zip(labels, examples.values())}
    query, notices = load_image(image)

    def predict(model: FeatureExtractor) -> TeachResult:
        features = {label: model.features(images) for label, images in decoded.items()}
        head = train_head(features)
        scores = classify(head, model.features([query])[0])
        return TeachResult(
            label=max(scores, key=scores.get),
            scores=scores,
            examples={label: len(images) for label, images in decoded.items()},
            head_ms=round(head.seconds * 1000, 1),
        )

    result = run_cached(TASK, model_id, predict, cache, on_queue)
    result.notices.extend(notices)
    return result


def check_named_examples(examples: Mapping[str, Sequence[Any]]) -> list[str]:
    """The cleaned labels of ``examples`` ({label: items}); InputError if a name is bad or a class is empty."""
    labels = clean_labels(list(examples))
    for label, items in zip(labels, examples.values()):
        if not items:
            raise InputError("teach_no_examples", f"The class '{label}' has no example yet.", name=label)
    return labels


# -------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run teach --example LABEL=FILE [...] --image FILE``."""
    parser.add_argument("--example", action="append", default=[], help="LABEL=FILE, repeat for each example (2–5 labels)")
    parser.add_argument("--image", help="the image to classify")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> TeachResult:
    """One CLI/batch call: ``args`` = {"example": ["LABEL=FILE", ...], "image": FILE}."""
    examples: dict[str, list[Path]] = {}
    raw = args.get("example") or []
    for item in [raw] if isinstance(raw, str) else raw:
        label, sep, path = str(item).partition("=")
        if not sep:
            raise InputError("teach_bad_example", f"--example wants LABEL=FILE, not {item!r}.")
        examples.setdefault(label.strip(), [])
        if path.strip():
            examples[label.strip()].append(_existing(path.strip()))
    check_named_examples(examples)
    if not args.get("image"):
        raise InputError("teach_no_image", "Give the image to classify with --image FILE.")
    return run(examples, _existing(str(args["image"])), model_id=model_id, cache=cache)


def _existing(path: str) -> Path:
    file = Path(path)
    if not file.is_file():
        raise InputError("teach_missing_file", f"No such file: {path}", path=path)
    return file


def bench_args() -> dict[str, Any]:
    """3 classes × 5 examples from bundled photos (written once to a temp folder), one query photo."""
    import tempfile

    from PIL import Image

    folder = Path(tempfile.gettempdir()) / "dl_hub_teach_bench"
    folder.mkdir(exist_ok=True)
    examples = []
    for name in ("dog", "cat", "coffee"):
        for index, view in enumerate(sample_examples(name, 5)):
            path = folder / f"{name}_{index}.jpg"
            if not path.is_file():
                Image.fromarray(view).save(path, quality=90)
            examples.append(f"{name}={path}")
    return {"example": examples, "image": str(ASSETS_DIR / "samples/detection/dog.jpg")}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Feature extraction per image (target ≤ 150 ms) and head training for 3 × 5 examples (target ≤ 2 s)."""
    from dl_apps.cache import ModelCache as Cache

    cache = Cache(budget_mb=100_000)
    images = [view for name in ("dog", "cat", "coffee") for view in sample_examples(name, 5)]
    extract(images[:1], cache=cache)  # load + warm
    per_image = sorted(extract([image], cache=cache).latency_ms for image in images)
    features = extract(images, cache=cache).features
    by_label = {name: features[i * 5 : (i + 1) * 5] for i, name in enumerate(("dog", "cat", "coffee"))}
    head_s = sorted(train_head(by_label).seconds for _ in range(5))
    loo_started = time.perf_counter()
    curve = loo_curve(by_label)
    return [
        {"task": TASK, "benchmark": "EfficientNet-Lite0 features, one 224×224 image (1 thread)", "p50_ms": round(per_image[len(per_image) // 2], 1), "max_ms": round(per_image[-1], 1), "target_ms": 150},
        {"task": TASK, "benchmark": "head training, 3 classes × 5 examples (150 Adam steps)", "p50_s": round(head_s[2], 3), "target_s": 2.0},
        {"task": TASK, "benchmark": "leave-one-out curve, 3 × 5 examples", "seconds": round(time.perf_counter() - loo_started, 2), "accuracy_by_k": {row["per_class"]: row["accuracy"] for row in curve}},
    ]

"""The models the page compresses, each with its own held-out check.

A *target* knows how to take a copy of the cached model's network, how to run a
(compressed) copy of it, what "accuracy" means for it and on which items, and one
input to time.  The models themselves are the registry's existing entries, taken from
the shared cache with their own task (``cache.use(model_id, task=spec.task)``):

* digits (``mnist-cnn``): the 1,000 held-out MNIST digits;
* sentiment (``sentiment-minilm-en``): the English check set (30 sentences) + 300 held-out tweets;
* imagenet (``efficientnet-lite0``): a small labelled set built from packaged photos
  (scikit-image samples and the detection page's photos), 3 views each;
* detection (``yolov3-tiny-coco``): the objects known to be in the bundled sample photos.
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.registry import ASSETS_DIR, DATA_DIR

# ------------------------------------------------------------------ evaluation


@dataclass
class Evaluation:
    """One accuracy measurement: the value (0-1), on how many items, and what was measured."""

    accuracy: float
    n: int
    what: str  # a key: eval.<what> in the strings says it in English and French
    description: str  # the English sentence the CLI prints
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Prepared:
    """A float copy of a cached model and everything needed to measure variants of it."""

    kind: str
    base: Any  # the float torch module that the methods compress
    evaluate: Callable[[Any], Evaluation]  # runner -> accuracy on the held-out items
    latency_call: Callable[[Any], Callable[[], Any]]  # runner -> a no-argument call to time
    latency_runs: int
    example: Any = None  # one input tensor (for FX tracing and latency)
    calibration: list[Any] = field(default_factory=list)  # inputs for static quantization
    runner: Callable[[Any], Any] = lambda net: net  # compressed net -> what evaluate/latency call


class Bf16Runner:
    """Runs a bfloat16 network on float32 inputs; outputs back in float32; other attributes forwarded."""

    def __init__(self, net: Any) -> None:
        self.net = net

    def __call__(self, x: Any) -> Any:
        import torch

        out = self.net(x.to(torch.bfloat16))
        return out.float() if isinstance(out, torch.Tensor) else [item.float() for item in out]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.net, name)


# ---------------------------------------------------------------------- digits
def prepare_digits(model: Any) -> Prepared:
    """The digit CNN (the attack page's ``Classifier``): its ``net`` and the held-out digits."""
    from dl_apps.tasks.compress import digits

    def evaluate(runner: Any) -> Evaluation:
        value, n = digits.accuracy(runner)
        return Evaluation(value, n, "digits", f"accuracy on the {n} held-out MNIST digits (100 per digit, never trained on)")

    example = digits.example_input()
    return Prepared(
        kind="digits",
        base=copy.deepcopy(model.net).eval(),
        evaluate=evaluate,
        latency_call=lambda runner: lambda: runner(example),
        latency_runs=200,
        example=example,
        calibration=digits.calibration_batches(),
    )


# ------------------------------------------------------------------- sentiment
def sentiment_check_set() -> tuple[list[str], list[str]]:
    """The English check sentences and their labels (``dl_apps/data/sentiment_check_en.csv``)."""
    text = (DATA_DIR / "sentiment_check_en.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    # the text column may hold unquoted commas: everything after the first comma is the text
    return [",".join(row[1:]).strip() for row in rows if row], [row[0].strip() for row in rows if row]


class SentenceRunner:
    """A (compressed) sentence encoder + the cached model's trained head: texts -> labels."""

    def __init__(self, encoder: Any, head: Any) -> None:
        self.encoder = encoder
        self.head = head

    def predict(self, texts: list[str]) -> list[str]:
        import torch

        with torch.inference_mode():
            vectors = self.encoder.encode(list(texts), normalize_embeddings=True, batch_size=32, convert_to_numpy=True)
        probabilities = self.head.predict_proba(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
        return [self.head.labels[i] for i in probabilities.argmax(axis=1)]


HELD_OUT_TWEETS = 300  # the first 300 of the 2,000 tweets the sentiment training script holds out


@lru_cache(maxsize=1)
def sentiment_eval_set() -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """(texts, labels, how many are check sentences): the 30 English check sentences, then
    the first ``HELD_OUT_TWEETS`` held-out tweets of ``dl_apps/train/sentiment.py``'s split
    (same seed and sizes as the trained head, so none of them was trained on)."""
    from dl_apps.train import sentiment as sentiment_training

    texts, labels = sentiment_check_set()
    try:
        tweets, tweet_labels = sentiment_training.load_tweets()
        _, test = sentiment_training.split(len(tweets), 8000, 2000)
        chosen = test[:HELD_OUT_TWEETS]
        texts += [tweets[i] for i in chosen]
        labels += [sentiment_training.LABELS[int(tweet_labels[i])] for i in chosen]
    except (ImportError, OSError, SystemExit):  # the tweets package is optional: the check set alone
        pass
    return tuple(texts), tuple(labels), len(sentiment_check_set()[0])


def prepare_sentiment(model: Any) -> Prepared:
    """The MiniLM sentiment model: its sentence-transformers encoder (torch) and its trained head."""
    encoder = getattr(model.encoder, "model", None) or getattr(model.encoder, "_model")
    head = model.head
    texts, labels, n_check = sentiment_eval_set()

    def evaluate(runner: SentenceRunner) -> Evaluation:
        predicted = runner.predict(list(texts))
        right = [p == t for p, t in zip(predicted, labels)]
        value = float(np.mean(right))
        tweets = len(texts) - n_check
        return Evaluation(
            value,
            len(texts),
            "sentiment",
            f"3-class accuracy on {len(texts)} English texts: the {n_check} check sentences and {tweets} held-out tweets",
            {"check_sentences": n_check, "tweets": tweets, "check_accuracy": round(float(np.mean(right[:n_check])), 4),
             "tweet_accuracy": round(float(np.mean(right[n_check:])), 4) if tweets else None},
        )

    return Prepared(
        kind="sentiment",
        base=copy.deepcopy(encoder).eval(),
        evaluate=evaluate,
        latency_call=lambda runner: lambda: runner.predict([texts[0]]),
        latency_runs=30,
        runner=lambda net: SentenceRunner(net, head),
    )


# -------------------------------------------------------------------- imagenet
# Packaged photos with the ImageNet classes accepted as right (written by this project).
# Each photo is seen three times: centre square, mirrored, and a 80% zoom.
LABELLED_PHOTOS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("skimage", "chelsea.png", ("Egyptian cat", "tiger cat", "tabby")),
    ("skimage", "coffee.png", ("espresso", "cup", "coffee mug")),
    ("skimage", "rocket.jpg", ("missile", "projectile", "space shuttle")),
    ("skimage", "motorcycle_left.png", ("moped", "motor scooter")),
    ("skimage", "motorcycle_right.png", ("moped", "motor scooter")),
    ("skimage", "camera.png", ("tripod", "reflex camera", "Polaroid camera")),
    ("detection", "eagle.jpg", ("bald eagle", "kite")),
)
# Other photos (never the labelled ones) for static quantization's activation ranges.
CALIBRATION_PHOTOS: tuple[tuple[str, str], ...] = (
    ("skimage", "astronaut.png"), ("skimage", "horse.png"), ("skimage", "clock_motion.png"),
    ("skimage", "hubble_deep_field.jpg"), ("skimage", "coins.png"), ("detection", "dog.jpg"),
    ("detection", "horses.jpg"), ("detection", "person.jpg"),
)
VIEWS = ("centre", "mirror", "zoom")


def _photo_path(source: str, name: str) -> Path:
    if source == "detection":
        return ASSETS_DIR / "samples" / "detection" / name
    import importlib.util

    found = importlib.util.find_spec("skimage")
    if found is None or found.origin is None:
        raise FileNotFoundError("scikit-image is not installed")
    return Path(found.origin).resolve().parent / "data" / name


def _photo_tensor(path: Path, view: str, size: int = 224) -> Any:
    import torch
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    side = min(rgb.size)
    if view == "zoom":
        side = int(side * 0.8)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    square = rgb.crop((left, top, left + side, top + side)).resize((size, size), Image.BILINEAR)
    if view == "mirror":
        square = ImageOps.mirror(square)
    array = np.asarray(square, dtype=np.float32) / 255.0
    return torch.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1))).unsqueeze(0)


@lru_cache(maxsize=1)
def labelled_photos() -> tuple[Any, tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """(images (N, 3, 224, 224) in [0, 1], accepted labels per image, names) of the labelled set."""
    import torch

    images, accepted, names = [], [], []
    for source, name, labels in LABELLED_PHOTOS:
        for view in VIEWS:
            images.append(_photo_tensor(_photo_path(source, name), view))
            accepted.append(labels)
            names.append(f"{name} ({view})")
    return torch.cat(images), tuple(accepted), tuple(names)


def prepare_imagenet(model: Any) -> Prepared:
    """EfficientNet-Lite0 (the attack page's ``Classifier``, normalisation inside) and the labelled photos."""
    import torch

    images, accepted, _ = labelled_photos()
    labels = list(model.labels)
    wanted = [{labels.index(name) for name in names} for names in accepted]

    def top1(runner: Any) -> list[int]:
        with torch.inference_mode():
            return torch.cat([runner(images[i : i + 7]).float() for i in range(0, len(images), 7)]).argmax(1).tolist()

    reference = top1(model.net)  # the uncompressed model's answers, to count changed answers too

    def evaluate(runner: Any) -> Evaluation:
        answers = top1(runner)
        value = float(np.mean([p in w for p, w in zip(answers, wanted)]))
        return Evaluation(
            value,
            len(images),
            "imagenet",
            f"top-1 accuracy on {len(images)} views ({len(LABELLED_PHOTOS)} packaged photos × {len(VIEWS)}) with hand-checked ImageNet labels",
            {"top1": [labels[i] for i in answers], "same_top1_as_original": round(float(np.mean([a == r for a, r in zip(answers, reference)])), 4)},
        )

    example = images[:1]
    calibration = [torch.cat([_photo_tensor(_photo_path(s, n), "centre") for s, n in CALIBRATION_PHOTOS])]
    return Prepared(
        kind="imagenet",
        base=copy.deepcopy(model.net).eval(),
        evaluate=evaluate,
        latency_call=lambda runner: lambda: runner(example),
        latency_runs=10,
        example=example,
        calibration=calibration,
    )


# ------------------------------------------------------------------- detection
# What is in each bundled detection photo (assets/samples/detection/LICENSE.md), as COCO labels;
# a tuple lists the labels that count for one object (the car of dog.jpg is often called a truck).
EXPECTED_OBJECTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "dog.jpg": (("dog",), ("bicycle",), ("car", "truck")),
    "person.jpg": (("person",), ("horse",), ("dog",)),
    "horses.jpg": (("horse",),),
    "eagle.jpg": (("bird",),),
    "coffee.jpg": (("cup",),),
}
DETECTION_THRESHOLD = 0.25
DETECTION_IOU = 0.45


@lru_cache(maxsize=1)
def detection_photos() -> tuple[tuple[str, np.ndarray], ...]:
    """The bundled detection photos as RGB arrays."""
    from PIL import Image

    photos = []
    for name in EXPECTED_OBJECTS:
        with Image.open(ASSETS_DIR / "samples" / "detection" / name) as image:
            photos.append((name, np.asarray(image.convert("RGB"))))
    return tuple(photos)


def prepare_detection(model: Any) -> Prepared:
    """YOLOv3-tiny (the detection page's detector): its network, run through a copy of the detector."""
    photos = detection_photos()
    size = int(getattr(model, "default_input_size", 416))

    def runner_for(net: Any) -> Any:
        detector = copy.copy(model)
        detector.network = net
        detector.threads = 1
        return detector

    def evaluate(runner: Any) -> Evaluation:
        found = total = 0
        seen: dict[str, list[str]] = {}
        for name, image in photos:
            labels = {d.label for d in runner.detect(image, DETECTION_THRESHOLD, DETECTION_IOU, size)}
            seen[name] = sorted(labels)
            for options in EXPECTED_OBJECTS[name]:
                total += 1
                found += bool(labels.intersection(options))
        return Evaluation(
            found / total,
            total,
            "detection",
            f"share of the {total} known objects of the {len(photos)} bundled sample photos that are found (confidence ≥ {DETECTION_THRESHOLD})",
            {"labels": seen},
        )

    import torch

    example = torch.zeros(1, 3, size, size)
    return Prepared(
        kind="detection",
        base=copy.deepcopy(model.network).eval(),
        evaluate=evaluate,
        latency_call=lambda runner: lambda: runner.detect(photos[0][1], DETECTION_THRESHOLD, DETECTION_IOU, size),
        latency_runs=5,
        example=example,
        calibration=[],
        runner=runner_for,
    )


PREPARERS: dict[str, Callable[[Any], Prepared]] = {
    "digits": prepare_digits,
    "sentiment": prepare_sentiment,
    "imagenet": prepare_imagenet,
    "detection": prepare_detection,
}

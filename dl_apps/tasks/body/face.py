"""Task ``face``: face boxes (CenterFace), the 478-point face mesh (mediapipe Face Mesh) and face blurring.

``python -m dl_apps run face --image FILE --json`` prints ``faces`` [{``box`` [x1, y1, x2, y2]
(pixels), ``score``, ``landmarks`` (how many landmark points the face has: 5 for
CenterFace, 478 for the mesh), ``points`` [[x, y], ...]}].  ``--blur OUT.png`` also writes
the picture with every face blurred.  No face → an empty list and a notice.

The mesh model gives no per-face confidence: its faces have ``score`` null.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, notice, run_cached
from dl_apps.registry import load_registry, resolve_model_id
from dl_apps.tasks.body import prepare_image
from dl_apps.tasks.body.pose import image_argument

TASK = "face"
DEFAULT_THRESHOLD = 0.5
BLUR_THRESHOLD = 0.3  # anonymising: better a blurred background patch than a face left visible


@dataclass
class Face:
    """One face: box ``[x1, y1, x2, y2]`` in pixels, score (None for the mesh), number of landmarks and their points."""

    box: list[float]
    score: float | None
    landmarks: int
    points: list[list[float]] = field(default_factory=list)


@dataclass
class FaceResult(TaskResult):
    """Every face found, best first; ``image`` (the blurred picture, when asked for) is not part of the JSON."""

    faces: list[Face] = field(default_factory=list)
    image_width: int = 0
    image_height: int = 0
    threshold: float = DEFAULT_THRESHOLD
    blurred_file: str | None = None
    image: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer, without the pixel array."""
        saved, self.image = self.image, None
        try:
            payload = super().to_dict()
        finally:
            self.image = saved
        payload.pop("image", None)
        return payload


def check_threshold(threshold: Any) -> float:
    """A confidence threshold between 0 and 1 (InputError otherwise)."""
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value) or not 0.0 <= value <= 1.0:
        raise InputError("body_bad_threshold", "The confidence threshold must be a number between 0 and 1.")
    return value


def predict_boxes(model: Any, image: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> FaceResult:
    """Faces in an RGB uint8 picture, on a loaded CenterFace detector: boxes, scores and 5 landmarks each."""
    height, width = image.shape[:2]
    boxes, scores, points = model.detect(image, threshold)
    faces = [
        Face(
            box=[round(float(v), 1) for v in box],
            score=round(float(score), 4),
            landmarks=len(marks),
            points=[[round(float(x), 1), round(float(y), 1)] for x, y in marks],
        )
        for box, score, marks in zip(boxes, scores, points)
    ]
    return FaceResult(faces=faces, image_width=width, image_height=height, threshold=threshold)


def predict_mesh(model: Any, image: np.ndarray, stream: str | None = None) -> FaceResult:
    """Face meshes in an RGB uint8 picture, on a loaded face-mesh model: 478 points each, the box around them."""
    height, width = image.shape[:2]
    output = model.process(image, stream)
    faces = []
    for landmarks in output.multi_face_landmarks or []:
        points = np.array([[mark.x * width, mark.y * height] for mark in landmarks.landmark])
        x1, y1 = points.min(axis=0).clip(0, [width, height])
        x2, y2 = points.max(axis=0).clip(0, [width, height])
        faces.append(
            Face(
                box=[round(float(x1), 1), round(float(y1), 1), round(float(x2), 1), round(float(y2), 1)],
                score=None,
                landmarks=len(points),
                points=np.round(points, 1).tolist(),
            )
        )
    return FaceResult(faces=faces, image_width=width, image_height=height, threshold=0.0)


def model_kind(model_id: str | None) -> str:
    """``detector`` or ``mesh``: which kind of model a registry id of this task is."""
    spec = load_registry().model(resolve_model_id(TASK, model_id))
    return str(spec.options.get("kind", "detector"))


def run(
    image: Any,
    threshold: float = DEFAULT_THRESHOLD,
    blur: bool = False,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    stream: str | None = None,
) -> FaceResult:
    """Validate the picture and find its faces (boxes with the detector, meshes with the mesh model).

    ``blur=True`` also puts the picture with every face blurred in ``result.image``.
    Raises InputError for anything unreadable or a threshold out of range.
    """
    threshold = check_threshold(threshold)
    pixels, notices = prepare_image(image)
    if model_kind(model_id) == "mesh":
        result = run_cached(TASK, model_id, lambda model: predict_mesh(model, pixels, stream), cache, on_queue)
    else:
        result = run_cached(TASK, model_id, lambda model: predict_boxes(model, pixels, threshold), cache, on_queue)
    result.notices = notices + result.notices
    if blur:
        from dl_apps.tasks.body.draw import blur_regions

        result.image = blur_regions(pixels, [face.box for face in result.faces])
    if not result.faces and stream is None:
        result.notices.append(notice("body_no_face", "No face was found in this picture."))
    return result


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run face`` takes ``--image FILE`` (or ``--sample NAME``), ``--threshold P`` and ``--blur OUT.png``."""
    parser.add_argument("--image", help="the image file (JPEG, PNG, WebP, BMP, GIF, TIFF)")
    parser.add_argument("--sample", help="a bundled photo instead: astronaut, cameraman, person, horses")
    parser.add_argument("--threshold", type=float, default=None, help="minimum face confidence (0-1)")
    parser.add_argument("--blur", type=Path, default=None, help="also write the picture with every face blurred (PNG)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> FaceResult:
    """One CLI/batch call: ``args`` = {"image": path, "threshold": p, "blur": out.png}."""
    out = args.get("blur")
    threshold = args.get("threshold")
    if threshold is None:
        threshold = BLUR_THRESHOLD if out else DEFAULT_THRESHOLD
    result = run(image_argument(args), threshold=threshold, blur=bool(out), model_id=model_id, cache=cache)
    if out and result.image is not None:
        from dl_apps.tasks.body.draw import encode_png

        path = Path(str(out))
        try:
            path.write_bytes(encode_png(result.image))
        except OSError as error:
            raise InputError("body_cannot_write", f"Cannot write {path}: {error.strerror or error}.", path=str(path)) from None
        result.blurred_file = str(path)
    return result


def bench_args() -> dict[str, Any]:
    """A representative input: the astronaut sample (one face, in front)."""
    return {"sample": "astronaut"}

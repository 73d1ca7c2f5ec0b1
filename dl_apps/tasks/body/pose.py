"""Task ``pose``: the 33-point body skeleton (mediapipe Pose) and the 21 points of each hand (mediapipe Hands).

``python -m dl_apps run pose --image FILE --json`` prints ``people`` [{``keypoints``
[{``name``, ``x``, ``y``, ``score``}] (33, pixels), ``score``}]; with ``--model`` set to the
hands model it prints ``hands`` [{``side``, ``score``, ``keypoints`` (21)}].  A picture
with nobody in it gives an empty list and a notice, not an error.

mediapipe's classic pose pipeline follows one person: the most prominent one.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, notice, run_cached
from dl_apps.registry import load_registry, resolve_model_id
from dl_apps.tasks.body import prepare_image, sample

TASK = "pose"
BENCH_SIZE = (640, 480)


@dataclass
class Keypoint:
    """One landmark: its name, position in the picture's pixels and confidence (0-1).

    For the pose, ``score`` is mediapipe's *visibility* (how likely the point is in view and
    not hidden); ``z`` is the depth relative to the hips (pose) or the wrist (hand), in the
    same scale as ``x``.
    """

    name: str
    x: float
    y: float
    score: float
    z: float = 0.0


@dataclass
class Person:
    """One skeleton: 33 keypoints and a score (the mean visibility of its keypoints)."""

    keypoints: list[Keypoint] = field(default_factory=list)
    score: float = 0.0


@dataclass
class PoseResult(TaskResult):
    """The people found (at most one with mediapipe's classic pose), with the picture's size."""

    people: list[Person] = field(default_factory=list)
    image_width: int = 0
    image_height: int = 0


@dataclass
class Hand:
    """One hand: which side mediapipe thinks it is (for a mirrored, selfie view), its score and 21 keypoints."""

    side: str = ""
    score: float = 0.0
    keypoints: list[Keypoint] = field(default_factory=list)


@dataclass
class HandsResult(TaskResult):
    """Every hand found, with the picture's size."""

    hands: list[Hand] = field(default_factory=list)
    image_width: int = 0
    image_height: int = 0


def landmark_names(kind: str) -> list[str]:
    """The 33 pose or 21 hand landmark names, lower case, in mediapipe's order (``nose``, ``left_eye_inner``...)."""
    from dl_apps.tasks.body.models import import_mediapipe_solutions

    solutions = import_mediapipe_solutions()
    enum = solutions.pose.PoseLandmark if kind == "pose" else solutions.hands.HandLandmark
    return [member.name.lower() for member in sorted(enum, key=int)]


def _keypoints(landmarks: Any, names: list[str], width: int, height: int, visibility: bool) -> list[Keypoint]:
    points = []
    for name, mark in zip(names, landmarks.landmark):
        score = float(np.clip(mark.visibility, 0.0, 1.0)) if visibility else 1.0
        points.append(
            Keypoint(name=name, x=round(mark.x * width, 1), y=round(mark.y * height, 1), score=round(score, 4), z=round(mark.z * width, 1))
        )
    return points


def predict_pose(model: Any, image: np.ndarray, stream: str | None = None) -> PoseResult:
    """The skeleton in an RGB uint8 picture, on a loaded pose model (``stream``: a live video's id)."""
    height, width = image.shape[:2]
    output = model.process(image, stream)
    people = []
    if output.pose_landmarks is not None:
        keypoints = _keypoints(output.pose_landmarks, landmark_names("pose"), width, height, visibility=True)
        people.append(Person(keypoints=keypoints, score=round(float(np.mean([k.score for k in keypoints])), 4)))
    return PoseResult(people=people, image_width=width, image_height=height)


def predict_hands(model: Any, image: np.ndarray, stream: str | None = None) -> HandsResult:
    """Every hand in an RGB uint8 picture, on a loaded hands model.

    A hand's keypoint scores are its detection score: mediapipe gives no per-point confidence for hands.
    """
    height, width = image.shape[:2]
    output = model.process(image, stream)
    hands = []
    names = landmark_names("hand")
    for landmarks, handedness in zip(output.multi_hand_landmarks or [], output.multi_handedness or []):
        best = handedness.classification[0]
        keypoints = _keypoints(landmarks, names, width, height, visibility=False)
        for point in keypoints:
            point.score = round(float(best.score), 4)
        hands.append(Hand(side=best.label.lower(), score=round(float(best.score), 4), keypoints=keypoints))
    return HandsResult(hands=hands, image_width=width, image_height=height)


def model_kind(model_id: str | None) -> str:
    """``pose`` or ``hands``: which kind of model a registry id of this task is."""
    spec = load_registry().model(resolve_model_id(TASK, model_id))
    return str(spec.options.get("kind", "pose"))


def run(
    image: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    stream: str | None = None,
) -> PoseResult | HandsResult:
    """Validate the picture, then find the skeleton (pose model) or the hands (hands model) through the cache.

    ``image``: bytes of an image file, a path, a PIL image or an RGB array.  Raises
    InputError for anything unreadable.  Nobody in the picture → an empty list and a notice.
    """
    pixels, notices = prepare_image(image)
    kind = model_kind(model_id)
    predict = predict_hands if kind == "hands" else predict_pose
    result = run_cached(TASK, model_id, lambda model: predict(model, pixels, stream), cache, on_queue)
    result.notices = notices + result.notices
    found = result.hands if kind == "hands" else result.people
    if not found and stream is None:
        code, what = ("body_no_hands", "No hand was found") if kind == "hands" else ("body_no_person", "Nobody was found")
        result.notices.append(notice(code, f"{what} in this picture: try one where the whole body or the hands are in view."))
    return result


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run pose`` takes ``--image FILE`` (or ``--sample NAME``, a bundled photo)."""
    parser.add_argument("--image", help="the image file (JPEG, PNG, WebP, BMP, GIF, TIFF)")
    parser.add_argument("--sample", help="a bundled photo instead: astronaut, cameraman, person, horses")


def image_argument(args: dict[str, Any]) -> str:
    """The image path of CLI/batch arguments: ``image``, else the bundled ``sample``."""
    if args.get("image"):
        return str(args["image"])
    if args.get("sample"):
        return str(sample(str(args["sample"])).path)
    raise InputError("image_missing", "Please give an image file (--image FILE).")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> PoseResult | HandsResult:
    """One CLI/batch call: ``args`` = {"image": path} or {"sample": name}."""
    return run(image_argument(args), model_id=model_id, cache=cache)


def bench_args() -> dict[str, Any]:
    """A representative input: the person sample (a whole body)."""
    return {"sample": "person"}

# The per-mode rows of `bench pose` live in dl_apps/tasks/body/bench.py, named by the manifest's
# `bench` field: they drive the page's modes, which import this module.

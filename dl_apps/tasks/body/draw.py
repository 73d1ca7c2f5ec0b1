"""Drawing the results on the picture: skeletons, hands, face meshes, boxes, blur and backgrounds.

OpenCV draws (fast enough for live video); every function takes an RGB uint8 array and
returns a new one.  The connection lists (which landmark joins which) are mediapipe's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from dl_apps.media import image as image_io

POSE_COLOUR = (0, 200, 255)  # RGB; colour-blind-safe pairs: sky blue lines, orange joints
JOINT_COLOUR = (255, 140, 0)
HAND_COLOURS = ((0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167))
MESH_COLOUR = (200, 200, 200)
CONTOUR_COLOUR = (0, 200, 255)
IRIS_COLOUR = (255, 140, 0)
BOX_COLOUR = (0, 200, 255)


def line_width(image: np.ndarray) -> int:
    """A line thickness that stays visible on small and large pictures."""
    return max(1, round(max(image.shape[:2]) / 320))


@lru_cache(maxsize=1)
def connections() -> dict[str, tuple[tuple[int, int], ...]]:
    """mediapipe's landmark connections: pose, hand, face tesselation, contours, irises."""
    from dl_apps.tasks.body.models import import_mediapipe_solutions

    solutions = import_mediapipe_solutions()
    face = solutions.face_mesh_connections
    return {
        "pose": tuple(sorted(solutions.pose_connections.POSE_CONNECTIONS)),
        "hand": tuple(sorted(solutions.hands_connections.HAND_CONNECTIONS)),
        "tesselation": tuple(sorted(face.FACEMESH_TESSELATION)),
        "contours": tuple(sorted(face.FACEMESH_CONTOURS)),
        "irises": tuple(sorted(face.FACEMESH_IRISES)),
    }


def _points(keypoints: Sequence[Any]) -> np.ndarray:
    return np.array([[k.x, k.y] for k in keypoints], dtype=np.float64).reshape(-1, 2)


def _lines(canvas: np.ndarray, points: np.ndarray, pairs: Sequence[tuple[int, int]], colour, width: int, visible=None) -> None:
    """All the segments ``points[a]``-``points[b]`` in one OpenCV call (fast enough for a 2,556-edge mesh per frame)."""
    import cv2

    if not len(points) or not len(pairs):
        return
    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    index = index[(index < len(points)).all(axis=1)]
    if visible is not None:
        shown = np.asarray(visible, dtype=bool)
        index = index[shown[index[:, 0]] & shown[index[:, 1]]]
    if not len(index):
        return
    segments = np.rint(points[index]).astype(np.int32)  # (N, 2 ends, 2 coordinates)
    cv2.polylines(canvas, list(segments), False, colour, width, cv2.LINE_AA)


def _dots(canvas: np.ndarray, points: np.ndarray, colour, radius: int, visible=None) -> None:
    import cv2

    for index, point in enumerate(points):
        if visible is not None and not visible[index]:
            continue
        cv2.circle(canvas, tuple(int(v) for v in np.rint(point)), radius, colour, -1, cv2.LINE_AA)


def draw_pose(image: np.ndarray, people: Sequence[Any], min_score: float = 0.5) -> np.ndarray:
    """The skeleton of each person: bones between visible joints (score ≥ ``min_score``), joints as dots."""
    canvas = image.copy()
    width = line_width(image)
    for person in people:
        points = _points(person.keypoints)
        visible = [k.score >= min_score for k in person.keypoints]
        _lines(canvas, points, connections()["pose"], POSE_COLOUR, width + 1, visible)
        _dots(canvas, points, JOINT_COLOUR, width + 2, visible)
    return canvas


def draw_hands(image: np.ndarray, hands: Sequence[Any]) -> np.ndarray:
    """Each hand's 21 points and bones, one colour per hand."""
    canvas = image.copy()
    width = line_width(image)
    for index, hand in enumerate(hands):
        colour = HAND_COLOURS[index % len(HAND_COLOURS)]
        points = _points(hand.keypoints)
        _lines(canvas, points, connections()["hand"], colour, width + 1)
        _dots(canvas, points, JOINT_COLOUR, width + 1)
    return canvas


def draw_mesh(image: np.ndarray, faces: Sequence[Any], tesselation: bool = True) -> np.ndarray:
    """Each face's mesh: the triangles (thin grey), the contours of eyes, brows, lips and face, the irises."""
    canvas = image.copy()
    width = max(1, line_width(image) // 2)
    for face in faces:
        points = np.asarray(face.points, dtype=np.float64).reshape(-1, 2)
        if tesselation:
            _lines(canvas, points, connections()["tesselation"], MESH_COLOUR, 1)
        _lines(canvas, points, connections()["contours"], CONTOUR_COLOUR, width)
        _lines(canvas, points, connections()["irises"], IRIS_COLOUR, width)
    return canvas


def draw_boxes(image: np.ndarray, faces: Sequence[Any], show_scores: bool = True) -> np.ndarray:
    """A box per face with its score, and its landmarks as dots."""
    import cv2

    canvas = image.copy()
    width = line_width(image)
    for face in faces:
        x1, y1, x2, y2 = (int(round(v)) for v in face.box)
        cv2.rectangle(canvas, (x1, y1), (x2, y2), BOX_COLOUR, width + 1, cv2.LINE_AA)
        points = np.asarray(face.points, dtype=np.float64).reshape(-1, 2)
        if len(points) <= 10:
            _dots(canvas, points, JOINT_COLOUR, width + 1)
        if show_scores and face.score is not None:
            scale = max(0.4, width * 0.45)
            text = f"{face.score:.2f}"
            (text_w, text_h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, width)
            top = max(0, y1 - text_h - 2 * width)
            cv2.rectangle(canvas, (x1, top), (x1 + text_w + 2 * width, top + text_h + 2 * width), BOX_COLOUR, -1)
            cv2.putText(canvas, text, (x1 + width, top + text_h + width), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), width, cv2.LINE_AA)
    return canvas


def blur_regions(image: np.ndarray, boxes: Sequence[Sequence[float]], grow: float = 0.15, pixelate: bool = False) -> np.ndarray:
    """Every box (grown by ``grow`` of its size) made unrecognisable: a strong blur, or big pixels, inside an ellipse."""
    import cv2

    canvas = image.copy()
    height, width = image.shape[:2]
    for box in boxes:
        x1, y1, x2, y2 = (float(v) for v in box)
        grow_x, grow_y = (x2 - x1) * grow, (y2 - y1) * grow
        x1, y1 = max(0, int(x1 - grow_x)), max(0, int(y1 - grow_y))
        x2, y2 = min(width, int(np.ceil(x2 + grow_x))), min(height, int(np.ceil(y2 + grow_y)))
        if x2 - x1 < 2 or y2 - y1 < 2:
            continue
        region = canvas[y1:y2, x1:x2]
        if pixelate:
            small = cv2.resize(region, (max(1, (x2 - x1) // 12), max(1, (y2 - y1) // 12)), interpolation=cv2.INTER_AREA)
            hidden = cv2.resize(small, (x2 - x1, y2 - y1), interpolation=cv2.INTER_NEAREST)
        else:  # an eighth of the resolution, then blurred: nothing recognisable remains
            small = cv2.resize(region, (max(1, (x2 - x1) // 8), max(1, (y2 - y1) // 8)), interpolation=cv2.INTER_AREA)
            small = cv2.GaussianBlur(small, (0, 0), 2.0)
            hidden = cv2.resize(small, (x2 - x1, y2 - y1), interpolation=cv2.INTER_LINEAR)
        mask = np.zeros((y2 - y1, x2 - x1), dtype=np.uint8)
        cv2.ellipse(mask, (((x2 - x1) / 2, (y2 - y1) / 2), (float(x2 - x1), float(y2 - y1)), 0.0), 255, -1)
        inside = mask.astype(bool)
        region[inside] = hidden[inside]
    return canvas


def composite(image: np.ndarray, mask: np.ndarray, effect: str, blur: int = 21, colour: Sequence[int] = (0, 177, 64)) -> np.ndarray:
    """The person kept and the background changed, blended by the soft ``mask`` (H, W) of person probabilities.

    ``effect``: ``blur`` (background blurred, ``blur`` = kernel size in px), ``replace``
    (background replaced by ``colour``), ``mask`` (the mask itself, white = person).
    """
    import cv2

    alpha = np.clip(mask.astype(np.float32), 0.0, 1.0)[..., None]
    if effect == "mask":
        return np.repeat((alpha * 255).astype(np.uint8), 3, axis=2)
    if effect == "replace":
        background = np.empty_like(image)
        background[:] = np.asarray(colour, dtype=np.uint8)
    else:
        size = max(3, int(blur) | 1)
        background = cv2.GaussianBlur(image, (size, size), 0)
    blended = image.astype(np.float32) * alpha + background.astype(np.float32) * (1.0 - alpha)
    return np.clip(np.rint(blended), 0, 255).astype(np.uint8)


encode_png = image_io.encode_png  # PNG bytes of a view, for the download button and the CLI's files
encode_jpeg = image_io.encode_jpeg  # what the page shows: the bytes st.image sends as they are

"""Home-gallery pictures of the body page's three cards, drawn from real runs of the default models.

``picture_pose()`` (also ``picture()``), ``picture_face()`` and ``picture_segment()`` are the three
cards (``python -m dl_apps gallery pose face segment`` finds them by task name).  Each is 480×270 RGB.
"""

from __future__ import annotations

from typing import Any

import numpy as np

SIZE = (480, 270)
BACKGROUND = (246, 246, 248)


def _panel(images: list[np.ndarray]) -> Any:
    """Pictures side by side, each fitted to an equal share of a 480×270 canvas."""
    from PIL import Image

    canvas = Image.new("RGB", SIZE, BACKGROUND)
    margin = 10
    width = (SIZE[0] - margin * (len(images) + 1)) // len(images)
    x = margin
    for array in images:
        image = Image.fromarray(array)
        scale = min(width / image.width, (SIZE[1] - 2 * margin) / image.height)
        fitted = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.LANCZOS)
        canvas.paste(fitted, (x + (width - fitted.width) // 2, (SIZE[1] - fitted.height) // 2))
        x += width + margin
    return canvas


def _view(mode: str, sample_name: str, **settings: Any) -> Any:
    from dl_apps.cache import ModelCache
    from dl_apps.tasks.body import sample
    from dl_apps.tasks.body.modes import ModeSettings, run_mode

    cache = ModelCache(budget_mb=100_000)
    try:
        return run_mode(ModeSettings(mode=mode, **settings), str(sample(sample_name).path), cache=cache)
    finally:
        cache.clear()


def _around_person(view: Any, grow: float = 0.6) -> np.ndarray:
    """The drawn picture cropped around the skeleton (so that a small person fills the card)."""
    picture = view.picture
    if not view.result.people:
        return picture
    points = np.array([[k.x, k.y] for k in view.result.people[0].keypoints])
    (x1, y1), (x2, y2) = points.min(axis=0), points.max(axis=0)
    pad_x, pad_y = (x2 - x1) * grow, (y2 - y1) * grow * 0.4
    height, width = picture.shape[:2]
    top, bottom = int(max(0, y1 - pad_y)), int(min(height, y2 + pad_y))
    left, right = int(max(0, x1 - pad_x)), int(min(width, x2 + pad_x))
    return picture[top:bottom, left:right]


def picture() -> Any:
    """The pose card: the skeleton on the person sample and the face mesh on the astronaut."""
    return _panel([_around_person(_view("pose", "person")), _view("mesh", "astronaut").picture])


def picture_face() -> Any:
    """The face card: the mesh on the astronaut, and the same photo with the face blurred."""
    return _panel([_view("mesh", "astronaut").picture, _view("blur", "astronaut").picture])


def picture_segment() -> Any:
    """The segment card: the cameraman with his background blurred, and the astronaut on a plain colour."""
    return _panel(
        [_view("segment", "cameraman", effect="blur", background_blur=61).picture, _view("segment", "astronaut", effect="replace").picture]
    )


picture_pose = picture  # the package holds three tasks: dl_apps.tools.gallery looks for picture_<task>()
PICTURES = {"pose": picture_pose, "face": picture_face, "segment": picture_segment}

"""Body, hands and face, live from a photo or the webcam: one page, three CLI tasks.

* :mod:`.pose` (task ``pose``): the 33-point skeleton (mediapipe Pose) and the 21 points
  of each hand (mediapipe Hands);
* :mod:`.face` (task ``face``): face boxes (CenterFace), the 478-point face mesh
  (mediapipe Face Mesh) and face blurring (anonymise every face);
* :mod:`.segment` (task ``segment``): person segmentation (mediapipe Selfie
  Segmentation), to blur or replace the background;
* :mod:`.modes` is what the page calls: one function per picture (:func:`.modes.run_mode`)
  and the live-webcam annotator (:class:`.modes.LiveAnnotator`);
* :mod:`.models` holds the loaders, :mod:`.compat` the protobuf shim mediapipe needs,
  :mod:`.draw` the drawing.

This module holds what they share: the image input (through the hub's one decoder,
:mod:`dl_apps.media.image`) and the bundled sample photos.  Pure library: no Streamlit;
mediapipe and OpenCV are imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.core import InputError, notice
from dl_apps.media.image import MAX_UPLOAD_BYTES, load_image
from dl_apps.registry import ASSETS_DIR

SAMPLES_DIR = ASSETS_DIR / "samples" / "body"
DETECTION_SAMPLES_DIR = ASSETS_DIR / "samples" / "detection"
MAX_SIDE = 1920  # larger pictures are scaled down first: landmark models see 256 px anyway
MIN_SIDE = 16
UPLOAD_LIMIT_BYTES = MAX_UPLOAD_BYTES

__all__ = ["SAMPLES_DIR", "Sample", "prepare_image", "samples", "sample"]


def prepare_image(image: Any) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Any image input (bytes, path, PIL image, array) → RGB uint8 array at most ``MAX_SIDE`` px, and notices.

    Decoding, size limits and format checks are the shared decoder's (``image_*`` errors);
    a picture smaller than ``MIN_SIDE`` pixels is refused (``body_image_too_small``).
    """
    pixels, notices = load_image(image)
    height, width = pixels.shape[:2]
    if min(height, width) < MIN_SIDE:
        raise InputError(
            "body_image_too_small",
            f"The picture is only {width}×{height} pixels; at least {MIN_SIDE}×{MIN_SIDE} are needed.",
            width=width,
            height=height,
            minimum=MIN_SIDE,
        )
    if max(height, width) > MAX_SIDE:
        import cv2

        scale = MAX_SIDE / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        notices.append(
            notice(
                "body_resized",
                f"The {width}×{height} picture was scaled down to {size[0]}×{size[1]} pixels.",
                width=width,
                height=height,
                new_width=size[0],
                new_height=size[1],
            )
        )
    return np.ascontiguousarray(pixels), notices


# ------------------------------------------------------------------ samples
@dataclass(frozen=True)
class Sample:
    """A bundled photo: a short name (string key ``body.sample.<name>``), its file and where it comes from."""

    name: str
    path: Path
    source: str
    people: bool = True


DARKNET = "Darknet sample image (Debian package darknet; GPL-3.0+ or MIT or WTFPL per its copyright file)"
SAMPLES: tuple[Sample, ...] = (
    Sample(
        "astronaut",
        SAMPLES_DIR / "astronaut.jpg",
        "Eileen Collins, NASA, public domain (scikit-image data.astronaut)",
    ),
    Sample("cameraman", SAMPLES_DIR / "cameraman.jpg", "Cameraman by Lav Varshney, CC0 (scikit-image data.camera)"),
    Sample("person", DETECTION_SAMPLES_DIR / "person.jpg", DARKNET),
    Sample("horses", DETECTION_SAMPLES_DIR / "horses.jpg", DARKNET, people=False),
)


def samples() -> list[Sample]:
    """The bundled sample photos that exist on disk, in display order."""
    return [item for item in SAMPLES if item.path.is_file()]


def sample(name: str) -> Sample:
    """The sample called ``name`` (InputError if there is none)."""
    for item in samples():
        if item.name == name:
            return item
    raise InputError("body_unknown_sample", f"There is no sample called {name!r}.", name=name)

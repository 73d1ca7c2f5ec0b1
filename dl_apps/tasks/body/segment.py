"""Task ``segment``: which pixels are a person (mediapipe Selfie Segmentation), to blur or replace the background.

``python -m dl_apps run segment --image FILE --out MASK.png --json`` writes the mask (white =
person, 8-bit greyscale of the person probability) and prints ``coverage`` (the fraction
of the picture that is a person, 0-1) and ``mask_file``.  Nobody → coverage near 0 and a notice.

Segmentation is a classification of every pixel: person or background.  The model sees
the picture at 256×256 (144×256 for the landscape model); its probability map is scaled
back to the picture's size.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, notice, run_cached
from dl_apps.tasks.body import prepare_image
from dl_apps.tasks.body.pose import image_argument

TASK = "segment"
THRESHOLD = 0.5  # a pixel is "person" when its probability is above this
EMPTY_COVERAGE = 0.005  # below half a percent of the picture: nobody


@dataclass
class SegmentResult(TaskResult):
    """The person coverage (0-1) and, when written, the mask file; ``mask`` (H, W probabilities) is not in the JSON."""

    coverage: float = 0.0
    threshold: float = THRESHOLD
    image_width: int = 0
    image_height: int = 0
    mask_file: str | None = None
    mask: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer, without the probability array."""
        saved, self.mask = self.mask, None
        try:
            payload = super().to_dict()
        finally:
            self.mask = saved
        payload.pop("mask", None)
        return payload

    def mask_png(self) -> bytes:
        """The mask as an 8-bit greyscale PNG (255 = surely a person)."""
        from dl_apps.tasks.body.draw import encode_png

        if self.mask is None:
            raise ValueError("this result has no mask")
        return encode_png(np.clip(np.rint(self.mask * 255.0), 0, 255).astype(np.uint8))


def predict(model: Any, image: np.ndarray) -> SegmentResult:
    """Person probability per pixel of an RGB uint8 picture, on a loaded segmentation model."""
    height, width = image.shape[:2]
    output = model.process(image)
    mask = np.asarray(output.segmentation_mask, dtype=np.float32)
    if mask.shape != (height, width):
        import cv2

        mask = cv2.resize(mask, (width, height), interpolation=cv2.INTER_LINEAR)
    mask = np.clip(mask, 0.0, 1.0)
    coverage = float((mask > THRESHOLD).mean())
    return SegmentResult(coverage=round(coverage, 4), image_width=width, image_height=height, mask=mask)


def run(
    image: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> SegmentResult:
    """Validate the picture, then segment the people in it through the cache (InputError if unreadable)."""
    pixels, notices = prepare_image(image)
    result = run_cached(TASK, model_id, lambda model: predict(model, pixels), cache, on_queue)
    result.notices = notices + result.notices
    if result.coverage < EMPTY_COVERAGE:
        result.notices.append(notice("body_no_person_pixels", "No person was found in this picture: the mask is (almost) empty."))
    return result


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run segment`` takes ``--image FILE`` (or ``--sample NAME``) and ``--out MASK.png``."""
    parser.add_argument("--image", help="the image file (JPEG, PNG, WebP, BMP, GIF, TIFF)")
    parser.add_argument("--sample", help="a bundled photo instead: astronaut, cameraman, person, horses")
    parser.add_argument("--out", type=Path, default=None, help="where to write the mask (PNG, white = person)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> SegmentResult:
    """One CLI/batch call: ``args`` = {"image": path, "out": mask.png}."""
    result = run(image_argument(args), model_id=model_id, cache=cache)
    out = args.get("out")
    if out:
        path = Path(str(out))
        try:
            path.write_bytes(result.mask_png())
        except OSError as error:
            raise InputError("body_cannot_write", f"Cannot write {path}: {error.strerror or error}.", path=str(path)) from None
        result.mask_file = str(path)
    return result


def bench_args() -> dict[str, Any]:
    """A representative input: the astronaut sample."""
    return {"sample": "astronaut"}

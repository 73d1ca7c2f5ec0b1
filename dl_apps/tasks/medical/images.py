"""The medical task's image type and the array-level helpers (grey/colour, size, pictures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dl_apps.core import InputError, notice
from dl_apps.datasets.mni152 import atlas_slice
from dl_apps.nets.tissue_cnn import TISSUE_LABELS

MAX_SIDE = 256  # the tissue model was trained at 1 mm/pixel on ~200-pixel slices
TISSUE_COLOURS: dict[str, tuple[int, int, int]] = {
    "background": (0, 0, 0),
    "csf": (66, 135, 245),
    "grey_matter": (240, 160, 60),
    "white_matter": (245, 245, 235),
}


@dataclass
class MedicalImage:
    """A decoded input: grey levels in [0, 1] (H×W) and, for colour files, the RGB pixels."""

    pixels: np.ndarray
    source: str = "array"
    rgb: np.ndarray | None = None
    colourfulness: float = 0.0
    notices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return int(self.pixels.shape[0]), int(self.pixels.shape[1])


def colourfulness(rgb: np.ndarray) -> float:
    """Mean spread between the RGB channels (0 for a grey image, ~0.1-0.3 for photos)."""
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        return 0.0
    channels = rgb[..., :3].astype(np.float32) / 255.0
    return round(float((channels.max(axis=2) - channels.min(axis=2)).mean()), 4)


def image_from_array(array: np.ndarray, source: str = "array") -> MedicalImage:
    """Wrap a grey (H×W, any range) or RGB (H×W×3 uint8) array as a MedicalImage."""
    array = np.asarray(array)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        rgb = array[..., :3]
        if rgb.dtype != np.uint8:
            rgb = np.clip(rgb, 0, 255).astype(np.uint8)
        grey = (rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)) / 255.0
        return MedicalImage(pixels=grey, source=source, rgb=rgb, colourfulness=colourfulness(rgb))
    if array.ndim != 2 or min(array.shape) < 8:
        raise InputError("medical_bad_image", "The image must be a 2-D picture of at least 8×8 pixels.")
    grey = array.astype(np.float32)
    low, high = float(grey.min()), float(grey.max())
    grey = (grey - low) / (high - low) if high > low else np.zeros_like(grey)
    return MedicalImage(pixels=grey, source=source)

def fit_size(image: MedicalImage, max_side: int = MAX_SIDE) -> MedicalImage:
    """Shrink an image whose longest side exceeds ``max_side`` (with a notice); never enlarge."""
    height, width = image.size
    if max(height, width) <= max_side:
        return image
    import cv2

    scale = max_side / max(height, width)
    new_size = (max(8, round(width * scale)), max(8, round(height * scale)))
    pixels = cv2.resize(image.pixels, new_size, interpolation=cv2.INTER_AREA)
    rgb = cv2.resize(image.rgb, new_size, interpolation=cv2.INTER_AREA) if image.rgb is not None else None
    notices = image.notices + [
        notice("medical_resized", f"The image was resized from {width}×{height} to {new_size[0]}×{new_size[1]} pixels.", width=width, height=height, new_width=new_size[0], new_height=new_size[1])
    ]
    return MedicalImage(pixels=pixels, source=image.source, rgb=rgb, colourfulness=image.colourfulness, notices=notices)


def atlas_image(plane: str, index: int) -> MedicalImage:
    """A template slice as a model input."""
    pixels, _ = atlas_slice(plane, index)
    return MedicalImage(pixels=pixels, source="atlas")


def label_map_rgb(labels: np.ndarray) -> np.ndarray:
    """Colour a tissue label map (H×W indices) as an RGB image."""
    palette = np.array([TISSUE_COLOURS[name] for name in TISSUE_LABELS], dtype=np.uint8)
    return palette[np.asarray(labels, dtype=np.int64)]


def overlay_heatmap(grey: np.ndarray, heat: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """Blend a [0, 1] heat map (jet colours) over a grey image; returns RGB uint8."""
    import cv2

    base = np.clip(np.asarray(grey, dtype=np.float32), 0, 1)
    base_rgb = np.repeat((base * 255).astype(np.uint8)[..., None], 3, axis=2)
    heat8 = (np.clip(heat, 0, 1) * 255).astype(np.uint8)
    coloured = cv2.cvtColor(cv2.applyColorMap(heat8, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    opacity = float(np.clip(opacity, 0.0, 1.0))
    return (base_rgb * (1 - opacity) + coloured * opacity).astype(np.uint8)


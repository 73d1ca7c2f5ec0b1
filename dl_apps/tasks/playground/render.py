"""Pictures of a playground run: the decision boundary with its points, and one small map per unit.

Colours follow TensorFlow Playground's convention (orange = class 0, blue = class 1,
white = undecided), chosen to stay readable for colour-blind students.  Pure numpy +
PIL: the page shows the arrays with ``st.image``, which is much lighter to redraw
every few epochs than a chart of thousands of marks.
"""

from __future__ import annotations

import numpy as np

from dl_apps.tasks.playground.data import RANGE, Points

ORANGE = np.array([245, 147, 34], dtype=np.float32)
BLUE = np.array([8, 119, 189], dtype=np.float32)
WHITE = np.array([250, 250, 250], dtype=np.float32)


def diverging(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] → RGB uint8: orange for -1, white for 0, blue for +1."""
    v = np.clip(np.nan_to_num(values), -1.0, 1.0)[..., None]
    rgb = np.where(v < 0, WHITE + (ORANGE - WHITE) * (-v), WHITE + (BLUE - WHITE) * v)
    return rgb.astype(np.uint8)


def boundary_image(probabilities: np.ndarray, train: Points, test: Points, size: int = 360, show_test: bool = True) -> np.ndarray:
    """The boundary picture (size, size, 3): P(class 1) as a colour field, train points with a white rim,
    test points with a black rim.  ``probabilities`` is the (R, R) grid of ``Trainer.probabilities``."""
    from PIL import Image, ImageDraw

    field = diverging((probabilities - 0.5) * 2.0 * 0.75)  # keep the field lighter than the points
    image = Image.fromarray(field).resize((size, size), Image.BILINEAR)
    draw = ImageDraw.Draw(image)
    radius = max(2, size // 110)

    def to_pixels(xy: np.ndarray) -> np.ndarray:
        return (xy * np.array([1.0, -1.0]) + RANGE) / (2 * RANGE) * (size - 1)

    layers = [(train, (255, 255, 255))] + ([(test, (30, 30, 30))] if show_test else [])
    for points, rim in layers:
        for (px, py), label in zip(to_pixels(points.xy), points.labels):
            colour = tuple(int(c) for c in (BLUE if label == 1 else ORANGE))
            draw.ellipse((px - radius, py - radius, px + radius, py + radius), fill=colour, outline=rim)
    return np.asarray(image)


def unit_image(activation: np.ndarray, size: int = 72) -> np.ndarray:
    """One unit's (or input's) activation map, scaled by its largest magnitude, as RGB (size, size, 3)."""
    from PIL import Image

    scale = float(np.max(np.abs(activation))) or 1.0
    image = Image.fromarray(diverging(activation / scale)).resize((size, size), Image.BILINEAR)
    return np.asarray(image)

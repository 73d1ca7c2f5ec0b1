"""The film map as a picture: every film a small grey dot, the user's films and the
recommendations drawn on top, each recommendation numbered by its rank in the list.

Pure numpy + PIL.  The page keeps the PNG bytes of each answer in the session (about 20 kB,
against 770 kB for the decoded picture) and shows them with ``st.image``: a PNG costs the browser far less
to draw on every answer than an interactive chart of 1,700 marks, which stays one toggle
away for hovering titles.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from dl_apps.media.image import encode_png

LIKED_COLOUR, RECOMMENDED_COLOUR, OTHER_COLOUR = "#0072b2", "#e69f00", "#c8c8c8"  # colour-blind safe
MARGIN = 18


def to_pixels(x: np.ndarray, y: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates → pixel columns and rows inside the margins (y grows upwards, as on a chart).
    A map of one point, or of identical points, lands in the middle."""
    x, y = np.nan_to_num(np.asarray(x, dtype=np.float64)), np.nan_to_num(np.asarray(y, dtype=np.float64))

    def scale(values: np.ndarray, size: int) -> np.ndarray:
        if values.size == 0:
            return values
        low, high = float(values.min()), float(values.max())
        span = high - low
        if span <= 0:
            return np.full(values.shape, size / 2.0)
        return MARGIN + (values - low) / span * (size - 1 - 2 * MARGIN)

    return scale(x, width), height - 1 - scale(y, height)


def film_map_picture(
    x: Sequence[float],
    y: Sequence[float],
    liked: Sequence[int],
    recommended: Sequence[int],
    width: int = 560,
    height: int = 460,
) -> Any:
    """RGB PIL image (width × height): every film at (x[i], y[i]) as a grey dot; the films at
    indices ``liked`` as blue circles; those at ``recommended`` as orange diamonds with their
    rank (1 = first) written inside.  Indices outside the map are ignored."""
    from PIL import ImageDraw

    x, y = np.ascontiguousarray(x, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64)
    columns, rows = to_pixels(x, y, width, height)
    image = _background(x.tobytes(), y.tobytes(), width, height).copy()
    draw = ImageDraw.Draw(image)
    count = len(columns)
    for index in liked:
        if 0 <= index < count:
            c, r = columns[index], rows[index]
            draw.ellipse((c - 7, r - 7, c + 7, r + 7), fill=LIKED_COLOUR, outline="white", width=2)
    for rank, index in reversed(list(enumerate(recommended, start=1))):  # rank 1 drawn last, on top
        if 0 <= index < count:
            c, r = columns[index], rows[index]
            draw.polygon([(c, r - 11), (c + 11, r), (c, r + 11), (c - 11, r)], fill=RECOMMENDED_COLOUR, outline="white")
            draw.text((c, r), str(rank), fill="black", font_size=11, anchor="mm")
    return image


def film_map_png(x: Sequence[float], y: Sequence[float], liked: Sequence[int], recommended: Sequence[int]) -> bytes:
    """PNG bytes of :func:`film_map_picture` at its default size."""
    return encode_png(film_map_picture(x, y, liked, recommended))


@lru_cache(maxsize=8)
def _background(x: bytes, y: bytes, width: int, height: int) -> Any:
    """The grey dots alone, drawn once per map (keyed by the coordinates' bytes): most of the drawing time."""
    from PIL import Image, ImageDraw

    columns, rows = to_pixels(np.frombuffer(x), np.frombuffer(y), width, height)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for column, row in zip(columns, rows):
        draw.ellipse((column - 1.6, row - 1.6, column + 1.6, row + 1.6), fill=OTHER_COLOUR)
    return image

"""Pictures of explanations: one diverging colour scale, heat maps, saliency maps, highlighted text."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np


# ---------------------------------------------------------------- pictures
# One diverging, colour-blind-safe scale for every signed attribution (ColorBrewer PuOr):
# purple = pushes against the explained class, white = nothing, orange = pushes towards it.
AGAINST_RGB = (94, 60, 153)
TOWARDS_RGB = (230, 97, 1)
AGAINST_HEX, TOWARDS_HEX = "#5e3c99", "#e66101"


def shared_scale(*arrays: Any) -> float:
    """The largest |value| over several attributions: one colour scale for both methods."""
    values = [float(np.max(np.abs(np.asarray(a, dtype=np.float64)))) for a in arrays if a is not None and np.size(a)]
    return max(values + [1e-12])


def signed_colours(values: Any, scale: float) -> np.ndarray:
    """Signed values → RGB uint8 on the shared scale (white at 0, full colour at ±scale)."""
    v = np.clip(np.asarray(values, dtype=np.float64) / max(scale, 1e-12), -1.0, 1.0)[..., None]
    white = np.array([255.0, 255.0, 255.0])
    towards = white + (np.array(TOWARDS_RGB) - white) * np.clip(v, 0, 1)
    against = white + (np.array(AGAINST_RGB) - white) * np.clip(-v, 0, 1)
    return np.where(v >= 0, towards, against).round().astype(np.uint8)


def heatmap_rgb(heatmap: Any, scale: float, image: Any = None, size: int = 168) -> np.ndarray:
    """A signed heat map as an RGB picture (``size`` pixels wide), the digit's outline drawn faintly on top."""
    from PIL import Image

    rgb = signed_colours(heatmap, scale).astype(np.float64)
    if image is not None:  # keep the digit visible: darken where the ink is
        ink = np.asarray(image, dtype=np.float64)[..., None] / 255.0
        rgb = rgb * (1.0 - 0.35 * ink)
    picture = Image.fromarray(rgb.clip(0, 255).astype(np.uint8))
    return np.asarray(picture.resize((size, size), Image.NEAREST))


def magnitude_rgb(values: Any, size: int = 168) -> np.ndarray:
    """An unsigned map (saliency, Grad-CAM) in cividis (colour-blind safe), normalised to its max."""
    from matplotlib import colormaps
    from PIL import Image

    v = np.asarray(values, dtype=np.float64)
    v = v / max(float(v.max(initial=0.0)), 1e-12)
    rgb = (colormaps["cividis"](v)[..., :3] * 255).round().astype(np.uint8)
    return np.asarray(Image.fromarray(rgb).resize((size, size), Image.NEAREST))


def grey_rgb(image: Any, size: int = 168) -> np.ndarray:
    """The 28×28 input, enlarged without smoothing."""
    from PIL import Image

    return np.asarray(Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((size, size), Image.NEAREST))


def highlight_html(tokens: Sequence[Sequence[Any]], scale: float) -> str:
    """Words with a background in the shared scale; the text is escaped (user input is never markup)."""
    import html

    spans = []
    for word, weight in tokens:
        r, g, b = (int(c) for c in signed_colours([float(weight)], scale)[0])
        title = f"{float(weight):+.3f}"
        spans.append(
            f'<span class="explain-word" title="{title}" style="background: rgb({r},{g},{b}); padding: 0.1em 0.25em; '
            f'border-radius: 0.25em; margin: 0 0.1em; color: #111">{html.escape(str(word))}</span>'
        )
    return '<div class="explain-text" style="line-height: 2.1">' + " ".join(spans) + "</div>"


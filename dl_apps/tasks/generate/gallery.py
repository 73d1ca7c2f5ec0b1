"""Gallery hook: the home card of the image generation demo (two rows of generated digits)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: six 3s and six 7s sampled by the default diffusion model (seed 4)."""
    from PIL import Image

    from dl_apps.tasks import generate

    rows = []
    for label in ("3", "7"):
        result = generate.run(label=label, n=6, steps=50, seed=4, guidance=1.5)
        rows.append(generate.grid(result.images, columns=6, scale=1, gap=1))
    both = np.concatenate([rows[0], np.full((2, rows[0].shape[1]), 255, np.uint8), rows[1]])
    return card.paste_row(card.canvas(), [Image.fromarray(both)], smooth=False)

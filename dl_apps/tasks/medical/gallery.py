"""Gallery hook: the home card of the medical imaging demo (an atlas slice and its tissue map)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: a bundled axial template slice beside the tissue CNN's map of it."""
    from PIL import Image

    from dl_apps.tasks import medical

    sample = next(path for path in medical.sample_files() if path.suffix == ".png" and "axial" in path.name)
    result = medical.run(sample.read_bytes())
    grey = (np.clip(result.image.pixels, 0, 1) * 255).astype(np.uint8)
    tissue = medical.label_map_rgb(result.tissue_map)
    return card.paste_row(card.canvas(), [Image.fromarray(grey), Image.fromarray(tissue)])

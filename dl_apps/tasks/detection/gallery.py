"""Gallery hook: the home card of the detection demo (boxes the default model finds on the dog sample)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: the dog sample with the default detector's boxes drawn by the page's own drawer."""
    from PIL import Image

    from dl_apps.media.image import decode_image
    from dl_apps.tasks import detection

    photo = (detection.SAMPLES_DIR / "dog.jpg").read_bytes()
    result = detection.run(photo)
    annotated = detection.draw_detections(decode_image(photo)[0], result.detections)
    return card.paste_row(card.canvas(), [Image.fromarray(np.asarray(annotated))])

"""Gallery hook: the home card of the CNN page (a digit and its first-layer feature maps after a live epoch)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: held-out digit 7 and the 8 feature maps of the first convolution of a CNN
    trained for one epoch (a real run)."""
    from PIL import Image

    from dl_apps.tasks import cnn
    from dl_apps.tasks.playground import render

    trainer = cnn.train_epochs(cnn.DigitTrainer(seed=0), 1)
    digit = trainer.test_images[7]
    picture = card.canvas()
    picture.paste(Image.fromarray(np.asarray(digit)).convert("RGB").resize((168, 168), Image.NEAREST), (14, 51))
    maps = trainer.feature_maps(digit)[1][1]  # after the first ReLU
    for index, feature in enumerate(maps):
        row, column = divmod(index, 4)
        picture.paste(Image.fromarray(render.unit_image(feature, 64)), (200 + column * 68, 62 + row * 78))
    return picture

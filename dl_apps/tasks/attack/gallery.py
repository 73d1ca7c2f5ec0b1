"""Gallery hook: the home card of the adversarial attack demo (original, perturbation, adversarial)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: a PGD attack at ε = 0.2 on digit sample 3, its three images side by side."""
    from PIL import Image

    from dl_apps.tasks import attack

    result = attack.run(sample=3, method="pgd", eps=0.2)
    images = [result.original_image, result.perturbation_image, result.adversarial_image]
    return card.paste_row(card.canvas(), [Image.fromarray(np.asarray(image)) for image in images], smooth=False)

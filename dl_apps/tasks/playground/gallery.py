"""Gallery hook: the home card of the playground (the spiral lesson's boundary and its hidden units)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: the 'depth solves the spiral' lesson after a real training run, its boundary
    on the left and the first hidden layer's 16 unit maps on the right."""
    from PIL import Image

    from dl_apps.tasks import playground
    from dl_apps.tasks.playground import render
    from dl_apps.tasks.playground.engine import fit

    trainer = fit(playground.lesson_config("depth_spiral"))
    boundary = Image.fromarray(render.boundary_image(trainer.probabilities(), trainer.train_points, trainer.test_points, size=242))
    picture = card.canvas()
    picture.paste(boundary, (14, 14))
    units = trainer.unit_maps(32)[1]
    for index, unit in enumerate(units[:16]):
        row, column = divmod(index, 4)
        picture.paste(Image.fromarray(render.unit_image(unit, 50)), (276 + column * 48, 20 + row * 60))
    return picture

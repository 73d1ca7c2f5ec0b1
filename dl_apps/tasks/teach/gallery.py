"""Gallery hook: the home card of Teach (examples of two classes and the verdict on a new photo)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: 4 views each of the cat and the coffee photos, a head trained on them, and
    its probabilities for the whole cat photo — a real run of the frozen features + head."""
    from PIL import Image, ImageDraw

    from dl_apps.tasks import teach

    views = {name: teach.sample_examples(name, 4) for name in ("cat", "coffee")}
    found = teach.extract([v for name in views for v in views[name]]).features
    head = teach.train_head({"cat": found[:4], "coffee": found[4:]})
    scores = teach.classify(head, teach.extract([teach.sample_photo("cat")]).features[0])
    picture = card.canvas()
    draw = ImageDraw.Draw(picture)
    for row, name in enumerate(views):
        for column, view in enumerate(views[name]):
            picture.paste(Image.fromarray(teach.prepare(view, 70)), (14 + column * 76, 24 + row * 110))
        draw.text((14, 98 + row * 110), name, fill=(30, 30, 30), font_size=15)
    y = 60
    for name, p in scores.items():
        draw.text((334, y), f"{name} {p:.0%}", fill=(30, 30, 30), font_size=15)
        draw.rounded_rectangle((334, y + 22, 334 + max(4, int(130 * p)), y + 36), radius=6, fill="#0072b2")
        y += 70
    return picture

"""Gallery hook: the home card of the language model demo (a prompt, its greedy continuation, next-token bars)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card

PROMPT = "The Eiffel Tower is in the city of"


def picture() -> Any:
    """480×270 RGB PIL image from a real greedy run of the default model: the text and the first step's top-6 tokens."""
    from PIL import ImageDraw

    from dl_apps.tasks import lm

    result = lm.run(PROMPT, max_new_tokens=6, temperature=0)
    image = card.canvas()
    draw = ImageDraw.Draw(image)
    draw.text((16, 12), PROMPT, fill=(30, 30, 30), font_size=17)
    draw.text((16, 36), "→" + result.text.replace("\n", " ")[:48], fill=(200, 60, 30), font_size=17)
    step = result.tokens[0]
    y = 78
    for alternative in step.top[:6]:
        label = alternative.token.replace(" ", "▁")[:12]
        draw.text((16, y), label, fill=(30, 30, 30), font_size=15)
        width = int(300 * alternative.prob / max(step.top[0].prob, 1e-9))
        colour = (228, 87, 46) if alternative.id == step.id else (76, 120, 168)
        draw.rectangle((130, y + 2, 130 + max(width, 2), y + 18), fill=colour)
        draw.text((136 + max(width, 2), y), f"{alternative.prob:.0%}", fill=(60, 60, 60), font_size=14)
        y += 30
    return image

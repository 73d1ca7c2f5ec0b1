"""Gallery hook: the home card of the question answering demo (a question and its highlighted answer)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: the first sample question and the passage around the answer the default model picks."""
    from PIL import ImageDraw

    from dl_apps.tasks import qa

    passage = qa.samples()[0]
    context, question = passage["context"], passage["questions"][0]["question"]
    result = qa.run(context=context, question=question)
    image = card.canvas()
    draw = ImageDraw.Draw(image)
    draw.text((16, 14), f"Q: {question}", fill=(30, 30, 30), font_size=17)
    start = max(0, result.start - 140)
    window = context[start : result.end + 160]
    x, y = 16, 52
    for index, word in enumerate(window.split(" ")):
        absolute = start + len(" ".join(window.split(" ")[:index])) + (1 if index else 0)
        inside = result.start <= absolute < result.end
        width = draw.textlength(word + " ", font_size=15)
        if x + width > card.SIZE[0] - 16:
            x, y = 16, y + 24
        if y > card.SIZE[1] - 28:
            break
        if inside:
            draw.rectangle((x - 2, y - 2, x + width - 3, y + 19), fill=(255, 221, 87))
        draw.text((x, y), word, fill=(30, 30, 30), font_size=15)
        x += width
    return image

"""Gallery hook: the home card of the recommendation demo.

Genre chips and score bars only: MovieLens-derived pictures stay off the home page
(its licence asks GroupLens' permission for marketing use).
"""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card

ROWS = [("Sci-Fi", "Adventure", 0.92), ("Comedy", "Romance", 0.81), ("Drama", "War", 0.74), ("Animation", "Children's", 0.66), ("Thriller", "Crime", 0.58)]
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999", "#882255", "#44aa99"]


def picture() -> Any:
    """480×270 RGB PIL image: five pairs of genre chips with a score bar each (no MovieLens content)."""
    from PIL import ImageDraw

    image = card.canvas()
    draw = ImageDraw.Draw(image)
    y = 22
    for index, (first, second, score) in enumerate(ROWS):
        x = 20
        for chip, colour in ((first, PALETTE[(2 * index) % 10]), (second, PALETTE[(2 * index + 1) % 10])):
            width = draw.textlength(chip, font_size=15) + 20
            draw.rounded_rectangle((x, y, x + width, y + 28), radius=14, fill=colour)
            draw.text((x + 10, y + 5), chip, fill="white", font_size=15)
            x += width + 8
        draw.rounded_rectangle((260, y + 8, 260 + int(200 * score), y + 20), radius=6, fill="#0072b2")
        y += 48
    return image

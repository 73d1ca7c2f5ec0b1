"""Gallery hook: the home card of the sentiment demo (score bars of three texts, EN and FR)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card

COLOURS = {"negative": "#d55e00", "neutral": "#999999", "positive": "#0072b2"}  # colour-blind safe, as on the page
TEXTS = ["I love this workshop!", "C'est horrible, je déteste ça.", "The bus leaves at nine."]


def picture() -> Any:
    """480×270 RGB PIL image: stacked negative/neutral/positive scores of the default model for three texts."""
    from dl_apps.tasks import sentiment

    fig, axes = card.figure()
    for row, text in enumerate(TEXTS):
        scores = sentiment.run(text).scores
        left = 0.0
        for label in sentiment.LABELS:
            axes.barh(row, scores[label], left=left, color=COLOURS[label], height=0.6)
            left += scores[label]
    axes.set_yticks(range(len(TEXTS)), TEXTS, fontsize=11)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xticks([])
    card.hide_spines(axes)
    fig.tight_layout()
    return card.figure_to_image(fig)

"""Gallery hook: the home card of the compression demo (size against accuracy of real digit-CNN variants)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card

METHODS = ("int8", "int8-static", "fp16", "prune-ft:70", "distill")
COLOUR = "#0072b2"


def picture() -> Any:
    """480×270 RGB PIL image: file size (log) vs held-out accuracy of the digit CNN and its compressed variants, measured now."""
    from dl_apps.tasks import compress

    points: dict[str, tuple[float, float]] = {}
    for method in METHODS:
        result = compress.compress("mnist-cnn", method)
        points.setdefault("original", (result.size_mb_before * 1024, result.accuracy_before))
        points[method] = (result.size_mb_after * 1024, result.accuracy_after)
    fig, axes = card.figure()
    for name, (size_kb, accuracy) in points.items():
        axes.scatter(size_kb, accuracy * 100, s=70, color="#999999" if name == "original" else COLOUR, zorder=3)
        axes.annotate(name, (size_kb, accuracy * 100), textcoords="offset points", xytext=(6, 4), fontsize=10)
    axes.set_xscale("log")
    ticks = [25, 50, 100, 200, 400]
    axes.set_xticks(ticks, [str(t) for t in ticks])
    axes.minorticks_off()
    axes.set_xlim(20, 700)
    axes.set_xlabel("weights file (KB, log)", fontsize=10)
    axes.set_ylabel("held-out accuracy (%)", fontsize=10)
    low = min(a for _, a in points.values()) * 100
    axes.set_ylim(low - 1.0, 100.0)
    axes.grid(alpha=0.3)
    card.hide_spines(axes)
    fig.tight_layout()
    return card.figure_to_image(fig)

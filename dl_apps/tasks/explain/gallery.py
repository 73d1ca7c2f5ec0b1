"""Gallery hook: the home card of the explanations demo (SHAP weights of one patient's prediction)."""

from __future__ import annotations

from typing import Any

from dl_apps.tools import gallery as card


def picture() -> Any:
    """480×270 RGB PIL image: the seven largest SHAP weights of held-out patient 0 on the tabular model."""
    from dl_apps.tasks import explain

    features = explain.run(target="tabular", method="shap", sample=0).features[:7]
    names = [feature.name if hasattr(feature, "name") else feature["name"] for feature in features]
    weights = [feature.weight if hasattr(feature, "weight") else feature["weight"] for feature in features]
    fig, axes = card.figure()
    axes.barh(range(len(names)), weights, color=["#d55e00" if w > 0 else "#0072b2" for w in weights])
    axes.set_yticks(range(len(names)), names, fontsize=10)
    axes.invert_yaxis()
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_xticks([])
    card.hide_spines(axes)
    fig.tight_layout()
    return card.figure_to_image(fig)

"""Result dataclasses of the explanations task and the measures that compare two explanations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from dl_apps.core import TaskResult

TOP_K = 5


# ------------------------------------------------------------------ results
@dataclass
class Attribution:
    """One feature's share of the prediction (positive: pushes towards the explained class)."""

    name: str
    weight: float
    value: float | None = None  # the feature's value (tabular) or None


@dataclass
class ExplainResult(TaskResult):
    """One explanation by one method.  ``features`` are sorted by |weight|, largest first."""

    target: str = ""
    method: str = ""
    explained_label: str = ""
    probability: float = 0.0
    features: list[Attribution] = field(default_factory=list)
    units: str = ""  # "log-odds" or "probability"
    base_value: float | None = None  # SHAP: the average prediction the attributions start from
    tokens: list[list[Any]] | None = None  # text: [word, weight] in reading order
    heatmap: list[list[float]] | None = None  # image: per-pixel attribution, the input's size
    segments: list[list[int]] | None = None  # image: superpixel id of each pixel
    samples: int = 0
    seed: int = 0

    def weights(self) -> dict[str, float]:
        return {item.name: item.weight for item in self.features}


@dataclass
class Agreement:
    """How much SHAP and LIME agree: rank correlation over shared features, top-k overlap."""

    spearman: float
    top_k_overlap: float
    k: int
    shared_features: int


@dataclass
class Comparison(TaskResult):
    """SHAP and LIME on the same input, their agreement and (image) two gradient maps."""

    target: str = ""
    shap: ExplainResult | None = None
    lime: ExplainResult | None = None
    agreement: Agreement | None = None
    saliency: dict[str, list[list[float]]] = field(default_factory=dict)
    image: list[list[int]] | None = None  # image: the 28×28 input as explained
    label: str = ""
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass
class Stability(TaskResult):
    """The same explanation under several seeds: mean pairwise rank correlation and top-k overlap."""

    target: str = ""
    method: str = ""
    seeds: list[int] = field(default_factory=list)
    mean_spearman: float = 1.0
    min_spearman: float = 1.0
    top_k_overlap: float = 1.0
    k: int = TOP_K
    runs: list[dict[str, float]] = field(default_factory=list)


# ------------------------------------------------------------ measurements
def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman rank correlation (average ranks for ties); 1.0 when both are constant, 0.0 if one is."""
    from scipy.stats import rankdata

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size < 2:
        return 1.0
    ra, rb = rankdata(a), rankdata(b)
    sa, sb = ra.std(), rb.std()
    if sa == 0 and sb == 0:
        return 1.0
    if sa == 0 or sb == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def top_k(weights: dict[str, float], k: int) -> list[str]:
    """The ``k`` names with the largest |weight| (ties broken by name, for determinism)."""
    return [name for name, _ in sorted(weights.items(), key=lambda item: (-abs(item[1]), item[0]))[:k]]


def agreement(first: dict[str, float], second: dict[str, float], k: int = TOP_K) -> Agreement:
    """Spearman correlation of the signed weights over the features both name, and top-k overlap."""
    shared = sorted(set(first) & set(second))
    k = max(1, min(k, len(shared) or 1))
    overlap = len(set(top_k(first, k)) & set(top_k(second, k))) / k
    rho = spearman([first[n] for n in shared], [second[n] for n in shared]) if shared else 0.0
    return Agreement(spearman=round(rho, 4), top_k_overlap=round(overlap, 4), k=k, shared_features=len(shared))


def _sorted(attributions: list[Attribution]) -> list[Attribution]:
    return sorted(attributions, key=lambda item: (-abs(item.weight), item.name))


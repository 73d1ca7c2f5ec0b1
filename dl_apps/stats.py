"""Small statistics shared by the benchmarks and the task modules' ``bench_extra`` hooks (stdlib only)."""

from __future__ import annotations

import math
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values`` by linear interpolation; NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def prediction_entropy(probabilities: Any) -> float:
    """Entropy of a probability vector, normalised to [0, 1] (1 = no idea at all)."""
    import numpy as np

    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-12, 1.0)
    return float(-(p * np.log(p)).sum() / math.log(len(p)))

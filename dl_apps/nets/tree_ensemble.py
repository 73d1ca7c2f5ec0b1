"""A binary gradient-boosted tree ensemble stored as plain arrays, evaluated in numpy.

Written by ``python -m dl_apps train tabular-cancer`` (``dl_apps/train/tabular_cancer.py``)
from scikit-learn's ``GradientBoostingClassifier``; read by the explanations task, whose
SHAP TreeExplainer takes the trees in SHAP's own dictionary format (no sklearn, no pickle).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class TreeEnsemble:
    """A binary gradient-boosted tree ensemble stored as plain arrays (see ``train/tabular_cancer.py``).

    ``raw(x)`` is the log-odds of ``class_names[1]``; node arrays of all trees are
    concatenated and ``offsets[t]`` is where tree ``t`` starts (children are local ids).
    """

    arrays: dict[str, np.ndarray]
    base_offset: float
    feature_names: list[str]
    class_names: list[str]
    _explainer: Any = field(default=None, repr=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, path: Any) -> "TreeEnsemble":
        from safetensors import safe_open

        with safe_open(str(path), framework="numpy") as handle:
            meta = handle.metadata()
            arrays = {key: handle.get_tensor(key) for key in handle.keys()}
        return cls(arrays, float(meta["base_offset"]), meta["features"].split("|"), meta["classes"].split("|"))

    @property
    def n_features(self) -> int:
        return len(self.feature_names)

    @property
    def train_sample(self) -> np.ndarray:
        return self.arrays["train_sample"]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of ``class_names[1]`` for rows ``x`` (n, n_features): all trees at once."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        a = self.arrays
        starts = a["offsets"][:-1]
        nodes = np.broadcast_to(starts, (x.shape[0], starts.size)).copy()
        offset = nodes.copy()
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(64):  # deeper than any tree we train
            left = a["children_left"][nodes]
            leaf = left < 0
            if leaf.all():
                break
            feature = np.where(leaf, 0, a["features"][nodes])
            go_left = x[rows, feature] <= a["thresholds"][nodes]
            child = np.where(go_left, left, a["children_right"][nodes]) + offset
            nodes = np.where(leaf, nodes, child)
        return self.base_offset + a["values"][nodes].sum(axis=1)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probabilities (n, 2) over ``class_names``."""
        p = 1.0 / (1.0 + np.exp(-self.raw(x)))
        return np.stack([1.0 - p, p], axis=1)

    def shap_model(self) -> dict[str, Any]:
        """The trees in SHAP's dictionary format (TreeExplainer reads it without sklearn)."""
        a, trees = self.arrays, []
        offsets = a["offsets"]
        for start, end in zip(offsets[:-1], offsets[1:]):
            left = a["children_left"][start:end]
            trees.append(
                {
                    "children_left": left,
                    "children_right": a["children_right"][start:end],
                    "children_default": left.copy(),
                    "features": np.where(left < 0, -2, a["features"][start:end]),
                    "thresholds": a["thresholds"][start:end],
                    "values": a["values"][start:end][:, None],
                    "node_sample_weight": a["node_sample_weight"][start:end],
                }
            )
        return {"trees": trees, "base_offset": self.base_offset, "tree_output": "log_odds", "objective": "binary_crossentropy", "input_dtype": np.float64}

    def tree_explainer(self) -> Any:
        """SHAP's TreeExplainer for these trees, built once (path-dependent: no background data needed)."""
        with self._lock:
            if self._explainer is None:
                import shap

                self._explainer = shap.TreeExplainer(self.shap_model())
            return self._explainer

    def approx_bytes(self) -> int:
        return int(sum(value.nbytes for value in self.arrays.values()))


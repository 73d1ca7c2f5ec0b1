"""Result dataclasses of the medical task (the pixel arrays stay out of the JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from dl_apps.core import TaskResult, to_jsonable
from dl_apps.tasks.medical.images import MedicalImage


def _json_field(**kwargs: Any) -> Any:
    return field(metadata={"json": False}, repr=False, compare=False, **kwargs)


@dataclass
class MedicalResult(TaskResult):
    """A classification: ``label``/``scores`` plus how far the input is from the training data.

    Tumour model: ``scores`` are the four class probabilities.  Tissue model: ``scores``
    are the shares of grey matter, white matter and CSF among the pixels it does not
    call background (soft counts), ``label`` the dominant tissue, and ``tissue_map`` the
    per-pixel labels (not part of the JSON).
    """

    label: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    kind: str = ""
    ood_score: float = 0.0
    out_of_distribution: bool = False
    colourfulness: float = 0.0
    entropy: float = 0.0
    background_fraction: float | None = None
    image_size: list[int] = field(default_factory=list)
    saliency: dict[str, Any] | None = None
    tissue_map: np.ndarray | None = _json_field(default=None)
    probabilities: np.ndarray | None = _json_field(default=None)
    image: MedicalImage | None = _json_field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: to_jsonable(getattr(self, f.name)) for f in fields(self) if f.metadata.get("json", True)}


@dataclass
class SaliencyResult(TaskResult):
    """A saliency map (H×W, in [0, 1], the input's size) for one class and one method."""

    method: str = ""
    target: str = ""
    saliency: np.ndarray | None = _json_field(default=None)
    evaluations: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {f.name: to_jsonable(getattr(self, f.name)) for f in fields(self) if f.metadata.get("json", True)}


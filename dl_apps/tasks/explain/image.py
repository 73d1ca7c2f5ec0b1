"""SHAP (expected gradients) and LIME (superpixels) on a 28×28 digit, plus saliency and Grad-CAM."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

import numpy as np

from dl_apps.tasks.explain.inputs import IMAGE_SIDE, SEGMENTS
from dl_apps.tasks.explain.results import Attribution, ExplainResult, _sorted


def superpixels(image: np.ndarray, n_segments: int = SEGMENTS) -> np.ndarray:
    """SLIC superpixels of a 28×28 digit (ids 0..n-1); a regular grid if SLIC finds too few."""
    from skimage.segmentation import slic

    grey = image.astype(np.float64) / 255.0
    segments = slic(grey, n_segments=n_segments, compactness=0.2, channel_axis=None, start_label=0, enforce_connectivity=True)
    if len(np.unique(segments)) < 8:
        cell = IMAGE_SIDE // 7
        rows, cols = np.indices(grey.shape) // cell
        segments = rows * 7 + cols
    _, segments = np.unique(segments, return_inverse=True)
    return segments.reshape(grey.shape).astype(np.int64)


def _probabilities(classifier: Any, batch: np.ndarray) -> np.ndarray:
    """Digit probabilities for uint8/float images (n, 28, 28[, 3]) in [0, 255] or [0, 1]."""
    import torch

    batch = np.asarray(batch, dtype=np.float32)
    if batch.ndim == 4:
        batch = batch.mean(axis=3)
    if batch.max(initial=0.0) > 1.0:
        batch = batch / 255.0
    with torch.inference_mode():
        return torch.softmax(classifier.net(torch.from_numpy(np.ascontiguousarray(batch))[:, None]), dim=1).numpy()


def _segment_weights(heatmap: np.ndarray, segments: np.ndarray) -> np.ndarray:
    return np.bincount(segments.reshape(-1), weights=heatmap.reshape(-1), minlength=int(segments.max()) + 1)


def explain_image(classifier: Any, image: np.ndarray, method: str, samples: int, seed: int, progress: Callable[[float], None] | None = None) -> ExplainResult:
    """Which parts of the digit made the CNN answer what it answers (probability of its top class)."""
    import torch

    segments = superpixels(image)
    probabilities = _probabilities(classifier, image[None])[0]
    label_index = int(np.argmax(probabilities))
    if method == "lime":
        from lime import lime_image
        from lime.lime_image import LimeImageExplainer

        # lime 0.2.0.1 always draws a tqdm bar on stderr (no switch): silence it for server logs
        lime_image.tqdm = lambda rows, *args, **kwargs: rows

        calls = {"done": 0}

        def classify(batch: np.ndarray) -> np.ndarray:
            calls["done"] += len(batch)
            if progress is not None:
                progress(min(1.0, calls["done"] / samples))
            return _probabilities(classifier, batch)

        rgb = np.repeat(image[:, :, None], 3, axis=2).astype(np.float64)
        explanation = LimeImageExplainer(random_state=seed).explain_instance(
            rgb, classify, labels=(label_index,), top_labels=None, hide_color=0, num_samples=samples,
            batch_size=100, segmentation_fn=lambda _: segments, random_seed=seed,
        )
        segment_weights = np.zeros(int(segments.max()) + 1)
        for segment, weight in explanation.local_exp[label_index]:
            segment_weights[segment] = weight
        heatmap = segment_weights[segments] / np.maximum(np.bincount(segments.reshape(-1))[segments], 1)
        base = float(np.asarray(explanation.intercept[label_index]))
    else:
        import shap

        background = _background_digits()
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            explainer = shap.GradientExplainer(class_probability(classifier.net, label_index), background)
            values = explainer.shap_values(torch.from_numpy(image.astype(np.float32)[None, None] / 255.0), nsamples=samples, rseed=seed)
        heatmap = np.asarray(values, dtype=np.float64).reshape(IMAGE_SIDE, IMAGE_SIDE)
        segment_weights = _segment_weights(heatmap, segments)
        base = float(_probabilities(classifier, (background.numpy()[:, 0] * 255.0))[:, label_index].mean())
    if progress is not None:
        progress(1.0)
    features = [Attribution(f"segment {i}", round(float(w), 6)) for i, w in enumerate(segment_weights)]
    return ExplainResult(
        target="image", method=method, explained_label=classifier.labels[label_index], probability=round(float(probabilities[label_index]), 6),
        features=_sorted(features), units="probability", base_value=round(base, 6), heatmap=np.round(heatmap, 6).tolist(),
        segments=segments.tolist(), samples=samples, seed=seed,
    )


def class_probability(net: Any, index: int) -> Any:
    """A module whose (N, 1) output is the softmax probability of class ``index`` (what SHAP explains)."""
    from torch import nn

    class ClassProbability(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, x: Any) -> Any:
            return self.net(x).softmax(dim=1)[:, index : index + 1]

    return ClassProbability().eval()


@lru_cache(maxsize=1)
def _background_digits(count: int = 50) -> Any:
    """Expected gradients' reference distribution: ``count`` training digits (5 of each), fixed."""
    import torch

    from dl_apps.datasets import mnist

    split = mnist.train_split()
    picks = np.concatenate([np.flatnonzero(split.labels == d)[: count // 10] for d in range(10)])
    return torch.from_numpy(split.images[picks].astype(np.float32)[:, None] / 255.0)


def gradient_maps(classifier: Any, image: np.ndarray, label_index: int) -> dict[str, np.ndarray]:
    """Gradient saliency (|∂p/∂x|) and Grad-CAM (last conv layer) for the class, both 28×28."""
    import torch
    from torch.nn import functional as F

    import copy

    net = copy.deepcopy(classifier.net)  # a private copy: the hook below must not fire on other users' calls
    x = torch.from_numpy(image.astype(np.float32)[None, None] / 255.0).requires_grad_(True)
    convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    captured: dict[str, Any] = {}
    handle = convs[-1].register_forward_hook(lambda _m, _i, out: captured.__setitem__("a", out)) if convs else None
    try:
        with torch.enable_grad():
            probability = net(x).softmax(dim=1)[0, label_index]
            activation = captured.get("a")
            targets = [x] + ([activation] if activation is not None else [])
            grads = torch.autograd.grad(probability, targets)
    finally:
        if handle is not None:
            handle.remove()
    maps = {"gradient": grads[0][0, 0].abs().numpy().astype(np.float64)}
    if activation is not None:
        weights = grads[1].mean(dim=(2, 3), keepdim=True)
        cam = F.relu((weights * activation).sum(dim=1, keepdim=True))
        cam = F.interpolate(cam, size=image.shape, mode="bilinear", align_corners=False)[0, 0]
        maps["gradcam"] = cam.detach().numpy().astype(np.float64)
    return maps


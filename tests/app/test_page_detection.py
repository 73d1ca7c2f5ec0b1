"""AppTest of the object detection page: a sample in one click, an upload without a camera, bad files, French."""

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from dl_apps.tasks import detection
from dl_apps.ui.i18n import t
from dl_apps.ui.page import PageInput

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "detection.py")
TIMEOUT = 120  # the first run loads YOLO (a few seconds; more on a busy machine)


class FakeUpload:
    """What st.file_uploader hands the page (AppTest cannot drive the uploader widget)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data, self.size, self.file_id = name, data, len(data), f"test-{name}-{len(data)}"
        self.type = "image/png"

    def getvalue(self) -> bytes:
        return self._data


def page(lang: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    return app


def all_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info]
    parts += [w.value for w in app.warning] + [e.value for e in app.error]
    return "\n".join(str(p) for p in parts)


def test_page_opens_with_a_prompt_and_no_error():
    app = page().run()
    assert not app.exception
    assert app.title[0].value == t("detection.title", "en")
    assert any(t("detection.pick_input", "en") in i.value for i in app.info)


def test_sample_button_shows_detections_table_and_latency():
    app = page().run()
    app.button(key="detection_sample_0").click().run()  # the dog sample
    assert not app.exception and not app.error
    assert len(app.get("image")) >= 1
    table = app.dataframe[1].value
    labels = set(table.iloc[:, 0])
    assert {"dog", "bicycle"} <= labels
    assert " ms" in all_text(app)  # the latency badge
    # the side-by-side toggle shows the original as well, without losing the result
    app.toggle(key="detection_side_by_side").set_value(True).run()
    assert not app.exception
    assert len(app.get("image")) >= 1 and app.dataframe


def test_class_filter_and_threshold_controls():
    app = page().run()
    app.button(key="detection_sample_1").click().run()  # person, horse, dogs
    app.multiselect(key="detection_classes_yolov3-tiny-coco").set_value(["dog"]).run()
    assert set(app.dataframe[1].value.iloc[:, 0]) == {"dog"}
    app.slider(key="detection_threshold").set_value(0.95).run()
    assert not app.exception
    assert any(t("detection.none_found", "en")[:30] in i.value for i in app.info)


def _run_with_upload(data: bytes, name: str, lang: str = "en") -> AppTest:
    """Run the page with a file in the uploader (patched: AppTest has no uploader driver)."""
    import streamlit as st

    original = st.file_uploader
    st.file_uploader = lambda *args, **kwargs: FakeUpload(name, data)
    try:
        return page(lang).run()
    finally:
        st.file_uploader = original


def test_camera_less_upload_of_a_photo():
    image = Image.open(detection.SAMPLES_DIR / "person.jpg")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    app = _run_with_upload(buffer.getvalue(), "my_photo.png")
    assert not app.exception and not app.error
    assert "person" in set(app.dataframe[1].value.iloc[:, 0])
    assert "my_photo.png" in all_text(app)


@pytest.mark.parametrize(
    "data,key",
    [
        (b"%PDF-1.4 not an image", "error.image_not_an_image"),
        (b"", "error.empty_file"),
    ],
    ids=["pdf-renamed-png", "empty"],
)
def test_bad_upload_is_a_translated_message_not_a_traceback(data, key):
    app = _run_with_upload(data, "photo.png", lang="fr")
    assert not app.exception and not app.error
    assert any(t(key, "fr")[:25] in w.value for w in app.warning)


def test_french_page():
    app = page("fr")
    # One run only: AppTest re-formats the model selector's options outside the page's
    # language context on a second run, so the input is put in the session beforehand.
    data = (detection.SAMPLES_DIR / "eagle.jpg").read_bytes()
    app.session_state["detection_input"] = PageInput("sample", "eagle.jpg", data, hashlib.sha1(data).hexdigest())
    app.run()
    assert not app.exception
    assert app.title[0].value == t("detection.title", "fr")
    assert app.get("image")
    assert "bird" in set(app.dataframe[1].value.iloc[:, 0])


def test_a_sample_another_session_just_ran_is_shared_and_says_so_in_french(monkeypatch):
    from dl_apps import shared_results

    monkeypatch.setenv(shared_results.ENV, "1")
    shared_results.clear()
    try:
        first = page().run()
        first.button(key="detection_sample_0").click().run()
        later = page("fr").run()  # another attendee clicks the same sample
        later.button(key="detection_sample_0").click().run()
        assert not later.exception and not later.error
        assert set(later.dataframe[1].value.iloc[:, 0]) == set(first.dataframe[1].value.iloc[:, 0])
        assert any("Quelqu'un sur ce serveur" in i.value for i in later.info)
        assert t("common.latency_shared", "fr") in all_text(later)
    finally:
        shared_results.clear()

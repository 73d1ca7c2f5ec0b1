"""Teach it your classes: examples from the camera, uploads or bundled photos → frozen features → a small head."""

import numpy as np
import pandas as pd
import streamlit as st

from dl_apps.media.image import MAX_UPLOAD_BYTES, load_image
from dl_apps.registry import load_registry
from dl_apps.tasks import teach
from dl_apps.ui import page as ui

UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff"]
EXAMPLES = "teach_examples"  # {class index: [(thumbnail, features), ...]}
HEAD = "teach_head"  # (signature, Head, curve, feature_ms)
THUMB = 96


def plain(text: str) -> str:
    """User text made inert in Markdown (a class name is shown as typed, never as a link or markup)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$" else ch for ch in text)


def examples() -> dict[int, list]:
    return st.session_state.setdefault(EXAMPLES, {})


def thumbnail(image: np.ndarray) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(teach.prepare(image, THUMB)))


def add_images(index: int, images: list) -> None:
    """Features of new examples (through the cache) appended to class ``index``."""
    room = teach.MAX_EXAMPLES_PER_CLASS - len(examples().get(index, []))
    images = images[: max(0, room)]
    if not images:
        return
    result = teach.extract(images, cache=ui.model_cache(), on_queue=ui.queue_notice())
    examples().setdefault(index, []).extend((thumbnail(image), features) for image, features in zip(images, result.features))
    st.session_state["teach_feature_ms"] = result.latency_ms / len(images)


def names(count: int) -> list[str]:
    return [st.session_state.get(f"teach_name_{i}", "") for i in range(count)]


def signature(count: int) -> tuple:
    return tuple(names(count)) + tuple(len(examples().get(i, [])) for i in range(count))


def train(count: int) -> None:
    labels = teach.clean_labels(names(count))
    by_label = {}
    for index, label in enumerate(labels):
        items = examples().get(index, [])
        by_label[label] = np.stack([features for _, features in items]) if items else np.zeros((0, 1280), np.float32)
    head = teach.train_head(by_label)
    curve = teach.loo_curve(by_label) if min(len(v) for v in by_label.values()) >= 2 else []
    st.session_state[HEAD] = (signature(count), head, curve)


def class_editor(index: int) -> None:
    default = ui.tr("teach.default_name", n=index + 1)
    st.session_state.setdefault(f"teach_name_{index}", default)
    st.text_input(ui.tr("teach.class_name", n=index + 1), key=f"teach_name_{index}", max_chars=teach.MAX_NAME_CHARS)
    sample = st.selectbox(
        ui.tr("teach.add_sample"), list(teach.SAMPLE_PHOTOS), format_func=SAMPLE_NAMES.__getitem__, key=f"teach_sample_{index}", index=index % len(teach.SAMPLE_PHOTOS)
    )
    left, right = st.columns(2)
    if left.button(ui.tr("teach.add_sample_button"), key=f"teach_add_sample_{index}", icon=":material/add_photo_alternate:"):
        with ui.guard():
            add_images(index, teach.sample_examples(sample, 5))
    if right.button(ui.tr("teach.clear"), key=f"teach_clear_{index}", icon=":material/delete:"):
        examples().pop(index, None)
    uploads = st.file_uploader(ui.tr("teach.add_upload"), type=UPLOAD_TYPES, accept_multiple_files=True, key=f"teach_upload_{index}")
    seen = st.session_state.setdefault(f"teach_seen_{index}", set())
    fresh = [f for f in uploads or [] if f.file_id not in seen]
    if fresh:
        decoded = []
        for upload in fresh:
            seen.add(upload.file_id)
            with ui.guard():  # one bad file gets a message; the others are still added
                decoded.append(load_image(ui.uploaded_bytes(upload, MAX_UPLOAD_BYTES))[0])
        with ui.guard():
            add_images(index, decoded)
    items = examples().get(index, [])
    st.caption(ui.tr("teach.examples_count", n=len(items)))
    if items:
        st.image([thumb for thumb, _ in items[-12:]], width=48)


def scores_chart(scores: dict) -> None:
    frame = pd.DataFrame({"p": list(scores.values())}, index=pd.Index(list(scores), name=""))
    st.bar_chart(frame, horizontal=True, height=60 + 30 * len(scores), y_label="", x_label="")


@st.fragment
def workshop() -> None:
    count = st.slider(ui.tr("teach.n_classes"), teach.MIN_CLASSES, teach.MAX_CLASSES, 2, key="teach_n")
    st.subheader(ui.tr("teach.classes"))
    columns = st.columns(count)
    for index, column in enumerate(columns):
        with column, st.container(border=True):
            class_editor(index)
    st.caption(ui.tr("teach.sample_note"))

    if st.toggle(ui.tr("teach.camera_enable"), key="teach_camera_on"):
        target = st.radio(ui.tr("teach.camera_target"), list(range(count)), format_func=lambda i: names(count)[i] or str(i + 1), horizontal=True, key="teach_camera_target")
        snapshot = st.camera_input(ui.tr("teach.camera", name=names(count)[target]), key="teach_camera")
        if ui.is_new_upload(snapshot, "teach_camera_seen"):
            with ui.guard():
                add_images(target, [load_image(ui.uploaded_bytes(snapshot, MAX_UPLOAD_BYTES))[0]])
                st.rerun()  # redraw the class's count and thumbnails

    if st.button(ui.tr("teach.train"), type="primary", icon=":material/model_training:", key="teach_train"):
        with ui.guard():
            train(count)
    trained = st.session_state.get(HEAD)
    if trained is None:
        return
    sig, head, curve = trained
    if sig != signature(count):
        st.info(ui.tr("teach.retrain"), icon=":material/refresh:")
    st.success(
        ui.tr("teach.trained", n=sum(len(v) for v in examples().values()), ms=head.seconds * 1000, feature_ms=st.session_state.get("teach_feature_ms", 0.0)),
        icon=":material/check_circle:",
    )
    st.subheader(ui.tr("teach.curve"))
    if curve:
        frame = pd.DataFrame({ui.tr("teach.accuracy"): [row["accuracy"] for row in curve]}, index=pd.Index([row["per_class"] for row in curve], name=ui.tr("teach.per_class")))
        st.line_chart(frame, height=200, y_label=ui.tr("teach.accuracy"), x_label=ui.tr("teach.per_class"))
        st.caption(ui.tr("teach.curve_caption"))
    else:
        st.caption(ui.tr("teach.curve_needs"))

    st.subheader(ui.tr("teach.test"))
    query = None
    test_upload = st.file_uploader(ui.tr("teach.test_upload"), type=UPLOAD_TYPES, key="teach_test_upload")
    if test_upload is not None:
        with ui.guard():
            query = load_image(ui.uploaded_bytes(test_upload, MAX_UPLOAD_BYTES))[0]
    if st.session_state.get("teach_camera_on"):
        test_snapshot = st.camera_input(ui.tr("teach.test_camera"), key="teach_test_camera")
        if test_snapshot is not None:
            with ui.guard():
                query = load_image(ui.uploaded_bytes(test_snapshot, MAX_UPLOAD_BYTES))[0]
    chosen = ui.sample_buttons([(SAMPLE_NAMES[name], name) for name in teach.SAMPLE_PHOTOS], key="teach_test_sample")
    if chosen is not None:
        query = teach.sample_photo(chosen)
    if query is not None:
        with ui.guard():
            result = teach.extract([query], cache=ui.model_cache(), on_queue=ui.queue_notice())
            scores = teach.classify(head, result.features[0])
            label = max(scores, key=scores.get)
            left, right = st.columns([1, 2])
            left.image(thumbnail(query), width=160)
            with right:
                st.markdown(ui.tr("teach.verdict", label=plain(label), score=scores[label]))
                st.caption(ui.tr("teach.probabilities"))
                scores_chart(scores)
                ui.show_latency(result.latency_ms)


lang = ui.setup_page("teach")
ui.model_card(load_registry().default_for("teach"))
SAMPLE_NAMES = {name: ui.tr(f"teach.sample.{name}") for name in teach.SAMPLE_PHOTOS}
workshop()
ui.how_it_works("teach")

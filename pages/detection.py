"""Object detection page: boxes and labels on a sample photo, an uploaded photo or a camera snapshot."""

import hashlib

import pandas as pd
import streamlit as st

from dl_apps.tasks import detection
from dl_apps.registry import load_registry
from dl_apps.ui import page as ui

INPUT_KEY = "detection_input"  # the image being shown (ui.remember_input)
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff"]



def annotated_jpeg(data: bytes, pixels, detections: list) -> bytes:
    """JPEG of the annotated image, kept for this session so that reruns (toggles) do not redraw it.

    JPEG, not PNG: st.image would re-encode a PNG photo as JPEG on every rerun anyway; the
    lossless PNG is made only when someone clicks the download button (the download button's lambda).
    """
    key = (hashlib.sha1(data).hexdigest(), tuple((d.label, d.score, tuple(d.box)) for d in detections))
    cached = st.session_state.get("detection_picture")
    if cached is None or cached[0] != key:
        cached = (key, detection.encode_jpeg(detection.draw_detections(pixels, detections)))
        st.session_state["detection_picture"] = cached
    return cached[1]


def live_webcam(settings: detection.LiveSettings) -> None:
    """Live detection on the webcam stream (streamlit-webrtc), if that optional package is installed."""
    annotator = ui.live_webcam("detection", lambda: detection.LiveAnnotator(ui.model_cache()), settings)
    if annotator is None:
        return
    if annotator.frames:
        st.caption(ui.tr("detection.live_stats", frames=annotator.frames, ms=f"{annotator.last_latency_ms:.0f}"))


@st.fragment
def detection_panel(model_id: str, spec) -> None:
    """Inputs, controls and result: a sample click, a slider or a toggle reruns only this part."""
    # ------------------------------------------------------------------ inputs
    st.caption(ui.tr("common.samples"))
    samples = detection.samples()
    chosen = ui.sample_buttons([(ui.tr(f"detection.sample.{s.path.stem}"), s) for s in samples], key="detection_sample")
    if chosen is not None:
        ui.remember_input(INPUT_KEY, "sample", chosen.name, chosen.path.read_bytes())

    st.caption(ui.tr("common.your_input"))
    upload_tab, camera_tab, live_tab = st.tabs(
        [ui.tr("detection.tab_upload"), ui.tr("detection.tab_camera"), ui.tr("detection.tab_live")]
    )
    with upload_tab:
        uploaded = st.file_uploader(ui.tr("detection.upload"), type=UPLOAD_TYPES, key="detection_upload")
        if ui.is_new_upload(uploaded, "detection_upload_seen"):
            with ui.guard():
                ui.remember_input(INPUT_KEY, "upload", uploaded.name, ui.uploaded_bytes(uploaded, detection.MAX_UPLOAD_BYTES))
    with camera_tab:
        # The browser asks for camera permission only once the user opts in.
        if st.toggle(ui.tr("detection.camera_enable"), key="detection_camera_on"):
            snapshot = st.camera_input(ui.tr("detection.camera"), key="detection_camera", help=ui.tr("detection.camera_help"))
            if ui.is_new_upload(snapshot, "detection_camera_seen"):
                with ui.guard():
                    ui.remember_input(INPUT_KEY, "camera", "snapshot", ui.uploaded_bytes(snapshot, detection.MAX_UPLOAD_BYTES))

    # ---------------------------------------------------------------- controls
    st.subheader(ui.tr("detection.controls"))
    left, middle, right = st.columns(3)
    threshold = left.slider(
        ui.tr("detection.threshold"),
        0.05,
        0.95,
        detection.DEFAULT_THRESHOLD,
        0.05,
        help=ui.tr("detection.threshold_help"),
        key="detection_threshold",
    )
    iou = middle.slider(
        ui.tr("detection.iou"), 0.05, 1.0, detection.DEFAULT_IOU, 0.05, help=ui.tr("detection.iou_help"), key="detection_iou"
    )
    fixed_size = spec is not None and spec.has_role("fixed-input-size")  # a capability declared in the manifest
    if fixed_size:
        input_size = None
        right.caption(ui.tr("detection.input_size_fixed", size=spec.options.get("input_size", 300)))
    else:
        default_size = int(spec.options.get("input_size", detection.DEFAULT_INPUT_SIZE)) if spec else detection.DEFAULT_INPUT_SIZE
        input_size = right.select_slider(
            ui.tr("detection.input_size"),
            options=list(detection.INPUT_SIZES),
            value=default_size,
            help=ui.tr("detection.input_size_help"),
            key="detection_input_size",
        )
    classes = st.multiselect(
        ui.tr("detection.classes"),
        options=detection.class_names(model_id) if spec else [],
        placeholder=ui.tr("detection.classes_placeholder"),
        key=f"detection_classes_{model_id}",
    )

    with live_tab:
        # Opt-in: the WebRTC component (and the camera prompt) only load for users who want them.
        if st.toggle(ui.tr("detection.live_enable"), key="detection_live_on"):
            live_webcam(detection.LiveSettings(model_id, threshold, iou, input_size, tuple(classes)))

    # ------------------------------------------------------------------ result
    current = ui.current_input(INPUT_KEY)
    if current is None:
        st.info(ui.tr("detection.pick_input"), icon=":material/photo_camera:")
    else:
        kind, name, data, digest = current
        with ui.guard():
            # decoded image and detections kept per input in the session: a toggle costs no model call
            pixels, notices = ui.session_result("detection_image", digest, lambda: detection.load_input_image(data), kept=2)

            def detect() -> detection.DetectionResult:
                with st.spinner(ui.tr("common.loading_model")):
                    return detection.run(
                        pixels,
                        threshold=threshold,
                        iou=iou,
                        input_size=input_size,
                        classes=classes,
                        model_id=model_id,
                        cache=ui.model_cache(),
                        on_queue=ui.queue_notice(),
                    )

            result = ui.session_result("detection", (digest, model_id, threshold, iou, input_size, tuple(classes)), detect)
            ui.show_notices(notices + result.notices)
            picture = annotated_jpeg(data, pixels, result.detections)
            st.caption(ui.tr("detection.input_name", name=name))
            if st.toggle(ui.tr("detection.side_by_side"), key="detection_side_by_side"):
                original_col, annotated_col = st.columns(2)
                original_col.image(pixels, caption=ui.tr("detection.original"), width="stretch")
                annotated_col.image(picture, caption=ui.tr("detection.annotated"), width="stretch")
            else:
                st.image(picture, caption=ui.tr("detection.annotated"), width="stretch")
            ui.show_result_latency(result)
            st.caption(ui.tr("detection.image_size", width=result.image_width, height=result.image_height, size=result.input_size))
            if not result.detections:
                st.info(ui.tr("detection.none_found"), icon=":material/search_off:")
            else:
                st.markdown(ui.tr("detection.found", n=len(result.detections)))
                counts_col, table_col = st.columns([1, 2])
                with counts_col:
                    st.caption(ui.tr("detection.counts"))
                    counts = result.counts()
                    st.dataframe(
                        pd.DataFrame(
                            {ui.tr("detection.col.label"): list(counts), ui.tr("detection.col.count"): list(counts.values())}
                        ),
                        hide_index=True,
                        width="stretch",
                    )
                with table_col:
                    st.caption(ui.tr("detection.table"))
                    st.dataframe(
                        pd.DataFrame(
                            {
                                ui.tr("detection.col.label"): [d.label for d in result.detections],
                                ui.tr("detection.col.score"): [d.score for d in result.detections],
                                ui.tr("detection.col.box"): [", ".join(f"{v:.0f}" for v in d.box) for d in result.detections],
                            }
                        ),
                        hide_index=True,
                        width="stretch",
                        column_config={
                            ui.tr("detection.col.score"): st.column_config.ProgressColumn(
                                min_value=0.0, max_value=1.0, format="percent"
                            )
                        },
                    )
            st.download_button(
                ui.tr("detection.download"),
                lambda: detection.encode_png(detection.draw_detections(pixels, result.detections)),  # drawn as PNG on the click only
                file_name="detections.png", mime="image/png", icon=":material/download:"
            )
            if kind == "sample":
                source = next((s.source for s in samples if s.name == name), "")
                st.caption(ui.tr("detection.sample_source", source=source))


lang = ui.setup_page("detection")
model_id = ui.model_selector("detection")
spec = load_registry().model(model_id) if not model_id.startswith("hub:") else None
detection_panel(model_id, spec)
ui.how_it_works("detection")

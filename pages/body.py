"""Body, hands and face page: skeleton, hands, face mesh, person segmentation and face blur, on a photo or live.

One page for three CLI tasks (pose, face, segment).  Everything below the header runs in
one fragment, so a click reruns only the demo; results are kept per input and settings
in the session, so toggling back and forth never runs a model twice.
"""

import hashlib

import pandas as pd
import streamlit as st

from dl_apps.tasks import body
from dl_apps.tasks.body import draw, modes
from dl_apps.ui import page as ui
from dl_apps.ui.query import Setting

INPUT_KEY = "body_input"  # (kind, name, bytes) of the picture being shown
RESULTS_KEY = "body_results"  # {(input digest, settings): (view, jpeg)} for this session
MAX_KEPT_RESULTS = 6
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff"]
HOW_OF_MODE = {"pose": "pose", "hands": "pose", "mesh": "face", "blur": "face", "segment": "segment"}
URL_SCHEMA = {  # settings a link may give (?mode=mesh&effect=replace...), parsed so that no link breaks the page
    "mode": Setting("choice", "pose", choices=modes.MODES),
    "effect": Setting("choice", "blur", choices=modes.EFFECTS),
    "blur": Setting("int", 41, low=modes.BLUR_SIZES[0], high=modes.BLUR_SIZES[1], step=2),
    "threshold": Setting("float", 0.3, low=0.05, high=0.95, step=0.05),
}
WIDGET_OF_SETTING = {"mode": "body_mode", "effect": "body_effect", "blur": "body_blur", "threshold": "body_threshold"}
FOUND_NOTICES = {"body_no_person", "body_no_hands", "body_no_face", "body_no_person_pixels"}  # the page says it itself


def remember_input(kind: str, name: str, data: bytes) -> None:
    st.session_state[INPUT_KEY] = (kind, name, data)


def cached_view(data: bytes, settings: modes.ModeSettings) -> tuple[modes.ModeView, bytes]:
    """The result for this picture and these settings, with the JPEG shown: computed once per session, then reused.

    JPEG, not PNG: st.image would re-encode a PNG photo as JPEG on every rerun anyway; the
    downloads are encoded as PNG only when their button is clicked.
    """
    key = (hashlib.sha1(data).hexdigest(), settings)
    kept = st.session_state.setdefault(RESULTS_KEY, {})
    if key not in kept:
        with st.spinner(ui.tr("common.loading_model")):
            view = modes.run_mode(settings, data, cache=ui.model_cache(), on_queue=ui.queue_notice())
        kept[key] = (view, draw.encode_jpeg(view.picture))
        while len(kept) > MAX_KEPT_RESULTS:
            kept.pop(next(iter(kept)))
    return kept[key]


def mode_settings(mode: str) -> modes.ModeSettings:
    """The settings widgets of ``mode`` (only those it uses), as one frozen settings object."""
    effect, blur, colour, threshold, pixelate, tesselation = "blur", 41, (0, 177, 64), 0.3, False, True
    if mode == "segment":
        left, right = st.columns(2)
        labels = {name: ui.tr(f"body.effect.{name}") for name in modes.EFFECTS}  # fixed now: format_func may run outside the script
        effect = left.radio(
            ui.tr("body.effect"),
            modes.EFFECTS,
            format_func=labels.__getitem__,
            key="body_effect",
            horizontal=True,
        )
        if effect == "blur":
            blur = right.slider(ui.tr("body.background_blur"), modes.BLUR_SIZES[0], modes.BLUR_SIZES[1], step=2, key="body_blur")
        elif effect == "replace":
            colour = modes.parse_colour(right.color_picker(ui.tr("body.colour"), "#00B140", key="body_colour"))
    elif mode == "blur":
        left, right = st.columns(2)
        threshold = left.slider(
            ui.tr("body.threshold"), 0.05, 0.95, step=0.05, help=ui.tr("body.threshold_help"), key="body_threshold"
        )
        pixelate = right.toggle(ui.tr("body.pixelate"), key="body_pixelate")
    elif mode == "mesh":
        tesselation = st.toggle(ui.tr("body.tesselation"), value=True, key="body_tesselation")
    return modes.ModeSettings(mode, effect, int(blur), colour, float(threshold), bool(pixelate), bool(tesselation))


def live_webcam(settings: modes.ModeSettings) -> None:
    """The chosen mode on the webcam stream (streamlit-webrtc), with frames, frame rate and latency shown."""
    annotator = ui.live_webcam("body", lambda: modes.LiveAnnotator(ui.model_cache()), settings)
    if annotator is None:
        return
    st.button(ui.tr("body.live_refresh"), key="body_live_refresh", icon=":material/refresh:")
    if annotator.frames:
        st.caption(
            ui.tr(
                "body.live_stats",
                frames=annotator.frames,
                fps=f"{annotator.fps:.1f}",
                ms=f"{annotator.last_latency_ms:.0f}",
            )
        )
    else:
        st.caption(ui.tr("body.live_waiting"))


def show_table(view: modes.ModeView) -> None:
    """The numbers behind the drawing: the landmarks or the face boxes."""
    result = view.result
    if view.mode == "pose" and result.people:
        points = result.people[0].keypoints
        frame = pd.DataFrame(
            {
                ui.tr("body.col.point"): [p.name for p in points],
                ui.tr("body.col.x"): [p.x for p in points],
                ui.tr("body.col.y"): [p.y for p in points],
                ui.tr("body.col.score"): [p.score for p in points],
            }
        )
        score_column = ui.tr("body.col.score")
    elif view.mode == "hands" and result.hands:
        frame = pd.DataFrame(
            {
                ui.tr("body.col.hand"): [i + 1 for i, _ in enumerate(result.hands)],
                ui.tr("body.col.side"): [h.side for h in result.hands],
                ui.tr("body.col.confidence"): [h.score for h in result.hands],
            }
        )
        score_column = ui.tr("body.col.confidence")
    elif view.mode in ("mesh", "blur") and result.faces:
        frame = pd.DataFrame(
            {
                ui.tr("body.col.face"): [i + 1 for i, _ in enumerate(result.faces)],
                ui.tr("body.col.box"): [", ".join(f"{v:.0f}" for v in f.box) for f in result.faces],
                ui.tr("body.col.confidence"): [f.score for f in result.faces],
            }
        )
        score_column = ui.tr("body.col.confidence")
    else:
        return
    st.caption(ui.tr("body.points_table"))
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={score_column: st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")},
    )


def found_message(view: modes.ModeView) -> str:
    result = view.result
    if view.mode == "pose":
        visible = sum(p.score >= 0.5 for p in result.people[0].keypoints)
        return ui.tr("body.found.pose", n=view.found, visible=visible)
    if view.mode == "mesh":
        return ui.tr("body.found.mesh", n=view.found, points=result.faces[0].landmarks)
    if view.mode == "segment":
        return ui.tr("body.found.segment", coverage=view.coverage or 0.0)
    return ui.tr(f"body.found.{view.mode}", n=view.found)


def show_result(settings: modes.ModeSettings) -> None:
    current = st.session_state.get(INPUT_KEY)
    if current is None:
        st.info(ui.tr("body.pick_input"), icon=":material/photo_camera:")
        return
    kind, name, data = current
    with ui.guard():
        view, picture = cached_view(data, settings)
        ui.show_notices([n for n in view.notices if n.get("code") not in FOUND_NOTICES])
        st.caption(ui.tr("body.input_name", name=name))
        if st.toggle(ui.tr("body.side_by_side"), key="body_side_by_side"):
            original_col, result_col = st.columns(2)
            original_col.image(data, caption=ui.tr("body.original"), width="stretch")
            result_col.image(picture, caption=ui.tr("body.result"), width="stretch")
        else:
            st.image(picture, caption=ui.tr("body.result"), width="stretch")
        ui.show_latency(view.latency_ms)
        if view.found:
            st.success(found_message(view), icon=":material/check_circle:")
        else:
            st.info(ui.tr(f"body.none.{view.mode}"), icon=":material/search_off:")
        show_table(view)
        left, right = st.columns(2)
        left.download_button(
            ui.tr("body.download"), lambda: draw.encode_png(view.picture), file_name=f"{view.mode}.png", mime="image/png", icon=":material/download:", key="body_download"
        )
        if view.mode == "segment":
            right.download_button(
                ui.tr("body.download_mask"),
                view.result.mask_png,  # encoded when clicked, not on every rerun
                file_name="mask.png",
                mime="image/png",
                icon=":material/download:",
                key="body_download_mask",
            )
        if kind == "sample":
            source = next((s.source for s in body.samples() if s.path.name == name), "")
            st.caption(ui.tr("body.sample_source", source=source))


@st.fragment
def body_demo() -> None:
    """Mode, inputs, settings and result: reruns alone when one of its widgets changes."""
    labels = {name: ui.tr(f"body.mode.{name}") for name in modes.MODES}  # fixed now: format_func may run outside the script
    mode = st.segmented_control(
        ui.tr("body.mode"),
        modes.MODES,
        format_func=labels.__getitem__,
        key="body_mode",
    ) or "pose"
    st.caption(ui.tr(f"body.mode_help.{mode}"))
    spec = modes.model_for(mode)
    st.markdown(ui.tr("body.model_of_mode", title=spec.title_in(ui.view_language())))
    ui.model_card(spec)

    st.caption(ui.tr("common.samples"))
    samples = body.samples()
    chosen = ui.sample_buttons([(ui.tr(f"body.sample.{s.name}"), s) for s in samples], key="body_sample")
    if chosen is not None:
        remember_input("sample", chosen.path.name, chosen.path.read_bytes())

    st.caption(ui.tr("common.your_input"))
    upload_tab, camera_tab, live_tab = st.tabs([ui.tr("body.tab_upload"), ui.tr("body.tab_camera"), ui.tr("body.tab_live")])
    with upload_tab:
        uploaded = st.file_uploader(ui.tr("body.upload"), type=UPLOAD_TYPES, key="body_upload")
        if ui.is_new_upload(uploaded, "body_upload_seen"):
            with ui.guard():
                remember_input("upload", uploaded.name, ui.uploaded_bytes(uploaded, body.UPLOAD_LIMIT_BYTES))
    with camera_tab:
        # The browser asks for camera permission only once the user opts in.
        if st.toggle(ui.tr("body.camera_enable"), key="body_camera_on"):
            snapshot = st.camera_input(ui.tr("body.camera"), key="body_camera", help=ui.tr("body.camera_help"))
            if ui.is_new_upload(snapshot, "body_camera_seen"):
                with ui.guard():
                    remember_input("camera", "snapshot", ui.uploaded_bytes(snapshot, body.UPLOAD_LIMIT_BYTES))

    st.subheader(ui.tr("body.settings"), anchor=False)
    settings = mode_settings(mode)
    with live_tab:
        # Opt-in: the WebRTC component (and the camera prompt) only load for users who want them.
        if st.toggle(ui.tr("body.live_enable"), key="body_live_on"):
            live_webcam(settings)

    show_result(settings)
    ui.how_it_works(HOW_OF_MODE[mode])


lang = ui.setup_page("pose")
for setting, spec in URL_SCHEMA.items():  # widget defaults live in the session, so a link can set them
    st.session_state.setdefault(WIDGET_OF_SETTING[setting], spec.default)
for setting, value in ui.query_settings(URL_SCHEMA, key="body").items():
    st.session_state[WIDGET_OF_SETTING[setting]] = value
body_demo()

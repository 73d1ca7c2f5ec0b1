"""Medical imaging page: tissue maps on a real atlas (with the held-out split shown), a packaged
tumour classifier with its honest calibration check, saliency maps, out-of-distribution scores."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dl_apps.tasks import medical
from dl_apps.registry import load_registry
from dl_apps.ui import charts
from dl_apps.ui import page as ui

TUMOUR_ID = load_registry().model_with_role("medical", "demonstration-only").id  # a role in the manifest
SOURCES = ("atlas", "sample", "upload")
DEFAULT_SLICE = {"axial": 95, "coronal": 120, "sagittal": 70}


def translated(prefix: str, options: tuple[str, ...]):
    """A format_func for widgets, translated now (widget tests call it outside the script run)."""
    return {option: ui.tr(f"{prefix}.{option}") for option in options}.get


def label_name(label: str) -> str:
    return ui.tr(f"medical.label.{label}")


def scores_chart(scores: dict[str, float]) -> dict:
    """Horizontal probability bars in each tissue's colour (a Vega-Lite spec: cheap to rebuild on a rerun)."""
    colours = {k: "rgb({}, {}, {})".format(*medical.TISSUE_COLOURS.get(k, (0, 114, 178))) for k in scores}
    return charts.probability_bars(scores, labels={k: label_name(k) for k in scores}, colours=colours, height=28 * len(scores))


def to_uint8(grey: np.ndarray) -> np.ndarray:
    return (np.clip(grey, 0, 1) * 255).astype(np.uint8)


def read_input(source: str) -> tuple[object | None, str, np.ndarray | None]:
    """The chosen input (array/bytes/None), a key identifying it, and the atlas truth if any."""
    if source == "atlas":
        plane = st.segmented_control(
            ui.tr("medical.plane"), medical.PLANES, format_func=translated("medical.plane", medical.PLANES), default="axial", key="medical_plane"
        ) or "axial"
        index = st.slider(ui.tr("medical.slice"), 0, medical.atlas_slice_count(plane) - 1, DEFAULT_SLICE[plane], key=f"medical_slice_{plane}")
        split = medical.slice_split(plane, index)
        start, stop = medical.TEST_SLAB
        st.caption(ui.tr(f"medical.split.{split}", start=start, stop=stop))
        grey, truth = medical.atlas_slice(plane, index)
        return grey, f"atlas:{plane}:{index}", truth
    if source == "sample":
        files = medical.sample_files()
        chosen = ui.sample_buttons([(ui.tr(f"medical.sample.{path.name}"), path.name) for path in files], key="medical_sample")
        if chosen is not None:
            st.session_state["medical_sample_name"] = chosen
        st.caption(ui.tr("medical.samples_credit"))
        name = st.session_state.get("medical_sample_name")
        if not name:
            return None, "", None
        paths = {path.name: path for path in files}
        return paths[name].read_bytes(), f"sample:{name}", None
    upload = st.file_uploader(ui.tr("medical.upload"), type=["png", "jpg", "jpeg", "dcm", "dicom"], key="medical_upload")
    with st.expander(ui.tr("medical.window"), icon=":material/contrast:"):
        st.caption(ui.tr("medical.window_help"))
        auto = st.checkbox(ui.tr("medical.window_auto"), value=True, key="medical_window_auto")
        centre = st.number_input(ui.tr("medical.window_centre"), value=40.0, step=10.0, disabled=auto, key="medical_window_centre")
        width = st.number_input(ui.tr("medical.window_width"), value=400.0, min_value=1.0, step=10.0, disabled=auto, key="medical_window_width")
    data = ui.uploaded_bytes(upload, medical.MAX_UPLOAD_BYTES)
    if data is None:
        return None, "", None
    window = None if auto else (float(centre), float(width))
    image = medical.decode_image(data, window=window)
    return image, f"upload:{upload.file_id}:{window}", None


RESULTS_KEPT = 4  # per session: each result holds the image and its tissue map


def show_tissue(result: medical.MedicalResult, truth: np.ndarray | None) -> None:
    columns = st.columns(3 if truth is not None else 2)
    columns[0].image(to_uint8(result.image.pixels), caption=ui.tr("medical.col.input"), width="stretch")
    # label maps as PNG: st.image's default JPEG would smear the class colours at every border
    columns[1].image(medical.label_map_rgb(result.tissue_map), caption=ui.tr("medical.col.prediction"), width="stretch", output_format="PNG")
    if truth is not None:
        columns[2].image(medical.label_map_rgb(truth), caption=ui.tr("medical.col.truth"), width="stretch", output_format="PNG")
    st.caption(ui.tr("medical.legend"))
    if truth is not None and truth.shape == result.tissue_map.shape:
        brain = truth != 0
        st.markdown(ui.tr("medical.agreement", accuracy=float((result.tissue_map[brain] == truth[brain]).mean())))
    st.markdown(ui.tr("medical.verdict_tissue", label=label_name(result.label), score=result.scores[result.label]))
    st.caption(ui.tr("medical.scores_tissue"))
    st.vega_lite_chart(scores_chart(result.scores), width="stretch")


def show_tumour(result: medical.MedicalResult) -> None:
    left, right = st.columns([1, 2])
    left.image(to_uint8(result.image.pixels) if result.image.rgb is None else result.image.rgb, caption=ui.tr("medical.col.input"), width="stretch")
    with right:
        st.markdown(ui.tr("medical.verdict_tumour", label=label_name(result.label), score=result.scores[result.label]))
        st.caption(ui.tr("medical.scores_tumour"))
        st.vega_lite_chart(scores_chart(result.scores), width="stretch")


def show_ood(result: medical.MedicalResult) -> None:
    first, second = st.columns(2)
    first.metric(ui.tr("medical.ood_metric"), f"{result.ood_score:.2f}", help=ui.tr("medical.ood_help"))
    second.metric(ui.tr("medical.entropy_metric"), f"{result.entropy:.2f}")
    if not result.out_of_distribution:
        st.caption(ui.tr("medical.in_distribution"))


def saliency_section(result: medical.MedicalResult, image_input: object, input_key: str, model_id: str) -> None:
    st.subheader(ui.tr("medical.saliency"))
    is_tumour = result.kind == "tumour"
    methods = ("occlusion",) if is_tumour else ("gradcam", "gradient", "occlusion")
    if is_tumour:
        st.caption(ui.tr("medical.no_gradients"))
    labels = medical.TUMOUR_LABELS if is_tumour else medical.TISSUE_LABELS[1:]
    left, middle, right = st.columns(3)
    method = left.selectbox(ui.tr("medical.saliency_method"), methods, format_func=translated("medical.method", methods), key="medical_method")
    target = middle.selectbox(
        ui.tr("medical.saliency_target"), (None, *labels), format_func={None: ui.tr("medical.target_auto"), **{k: label_name(k) for k in labels}}.get, key="medical_target"
    )
    opacity = right.slider(ui.tr("medical.opacity"), 0.0, 1.0, 0.5, 0.05, key="medical_opacity")
    grid = 4
    if method == "occlusion":
        grid = st.slider(ui.tr("medical.grid"), 2, 8, 4, key="medical_grid")
        st.caption(ui.tr("medical.grid_help", calls=grid * grid + 1))
    request = (input_key, model_id, method, target, grid)
    if st.button(ui.tr("medical.compute_saliency"), icon=":material/visibility:", key="medical_compute_saliency"):
        with st.spinner(ui.tr("common.loading_model")):
            saliency = medical.run_saliency(
                result.image, method=method, target=target, grid=grid, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice()
            )
        st.session_state["medical_saliency"] = (request, saliency)
    stored = st.session_state.get("medical_saliency")
    if stored and stored[0] == request:
        saliency = stored[1]
        overlay = medical.overlay_heatmap(result.image.pixels, saliency.saliency, opacity)
        st.image(overlay, width=min(520, max(260, overlay.shape[1] * 2)))
        st.caption(ui.tr("medical.saliency_caption", method=ui.tr(f"medical.method.{saliency.method}"), target=label_name(saliency.target)))
        ui.show_latency(saliency.latency_ms)


def metrics_section(model_id: str) -> None:
    spec = load_registry().model(model_id)
    metrics = medical.model_metrics(spec)
    if not metrics:
        return
    st.subheader(ui.tr("medical.metrics"))
    if spec.id == TUMOUR_ID:
        st.markdown(ui.tr("medical.calibration", n=metrics["n"]))
        st.markdown(ui.tr("medical.calibration_numbers", accuracy=metrics["accuracy"], confidence=metrics["mean_confidence"], gap=metrics["calibration_gap"]))
        counts = {label_name(k): v for k, v in metrics["predicted_counts"].items()}
        st.bar_chart(pd.DataFrame({ui.tr("medical.count"): counts}), height=220)
        return
    test = metrics["test"]
    st.markdown(ui.tr("medical.metrics_split", slices=test["slices"], voxels=test["voxels"], accuracy=test["accuracy_brain_voxels"]))
    table = pd.DataFrame(
        [
            {
                ui.tr("medical.col.class"): label_name(name),
                ui.tr("medical.col.precision"): values["precision"],
                ui.tr("medical.col.recall"): values["recall"],
                ui.tr("medical.col.dice"): values["dice"],
            }
            for name, values in test["per_class"].items()
        ]
    )
    left, right = st.columns(2)
    left.dataframe(table, hide_index=True, width="stretch")
    names = [label_name(k) for k in metrics["labels"]]
    confusion = np.array(test["confusion"], dtype=float)
    shares = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    figure = go.Figure(go.Heatmap(z=shares, x=names, y=names, colorscale="Blues", text=confusion.astype(int), texttemplate="%{text:,}", showscale=False))
    figure.update_layout(height=300, margin=dict(l=0, r=0, t=10, b=0), xaxis_title=ui.tr("medical.predicted"), yaxis_title=ui.tr("medical.truth"), yaxis_autorange="reversed")
    with right:
        st.caption(ui.tr("medical.confusion"))
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})


@st.fragment
def medical_panel(model_id: str) -> None:
    """Input, result and saliency: a slice slider, a sample or a saliency setting reruns only this part."""
    source = st.segmented_control(
        ui.tr("medical.input_source"), SOURCES, format_func=translated("medical.source", SOURCES), default="atlas", key="medical_source"
    ) or "atlas"

    with ui.guard():
        image_input, input_key, truth = read_input(source)
        if image_input is None:
            st.info(ui.tr("medical.choose_input"), icon=":material/image:")
        else:
            def classify() -> medical.MedicalResult:
                with st.spinner(ui.tr("common.loading_model")):
                    return medical.run(image_input, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice())

            # saliency/opacity changes (and going back to an earlier input) need no new inference
            result = ui.session_result("medical", (input_key, model_id), classify, kept=RESULTS_KEPT)
            ui.show_notices([item for item in result.notices if item["code"] != "medical_out_of_distribution"])
            if result.out_of_distribution:
                st.warning(ui.tr("notice.medical_out_of_distribution", score=result.ood_score), icon=":material/report:")
            if result.kind == "tissue":
                show_tissue(result, truth)
            else:
                show_tumour(result)
            show_ood(result)
            ui.show_latency(result.latency_ms)
            saliency_section(result, image_input, input_key, model_id)


lang = ui.setup_page("medical")
st.warning(ui.tr("medical.disclaimer"), icon=":material/medical_information:")
model_id = ui.model_selector("medical")
if model_id == TUMOUR_ID:
    check = medical.model_metrics(load_registry().model(TUMOUR_ID))
    if check:
        st.error(ui.tr("medical.tumour_warning", n=check["n"], accuracy=check["accuracy"], confidence=check["mean_confidence"]), icon=":material/warning:")

medical_panel(model_id)
metrics_section(model_id)
ui.how_it_works("medical")

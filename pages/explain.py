"""Explanations page: SHAP and LIME side by side on a table, a text and a digit, with agreement and stability."""

import time

import numpy as np
import streamlit as st

from dl_apps.tasks import explain
from dl_apps.registry import load_registry
from dl_apps.ui import charts
from dl_apps.ui import page as ui

RESULTS_KEY = "explain_results"  # per-session cache: (target, model, input, settings) → result
TOP_BARS = 10
DIGIT_SAMPLES = 8


def remembered(key: tuple, compute):
    """The result for ``key`` from this session if it was computed before, else compute and keep it."""
    store = st.session_state.setdefault(RESULTS_KEY, {})
    if key in store:
        st.caption(ui.tr("explain.cached"))
        return store[key]
    result = compute()
    if len(store) > 30:
        store.pop(next(iter(store)))
    store[key] = result
    return result


def progress_bar():
    bar = st.progress(0.0, text=ui.tr("explain.progress", done=0.0))
    return bar, (lambda done: bar.progress(float(done), text=ui.tr("explain.progress", done=float(done))))


def sample_controls(target: str, key: str) -> tuple[int, int]:
    """The two cost sliders (LIME samples, SHAP evaluations) and the time estimate."""
    left, right = st.columns(2)
    lime_samples = left.slider(
        ui.tr("explain.lime_samples"), explain.MIN_SAMPLES, min(explain.MAX_SAMPLES[target], 5000), explain.DEFAULT_LIME_SAMPLES[target],
        step=10, help=ui.tr("explain.lime_samples_help"), key=f"{key}_lime",
    )
    if target == "tabular":
        right.caption(ui.tr("explain.shap_exact"))
        shap_evals = 0
    else:
        shap_evals = right.slider(
            ui.tr("explain.shap_evals"), explain.MIN_SAMPLES, 600, explain.DEFAULT_SHAP_EVALS[target],
            step=10, help=ui.tr("explain.shap_evals_help"), key=f"{key}_shap",
        )
    st.caption(ui.tr("explain.estimate", seconds=explain.estimated_seconds(target, lime_samples, shap_evals)))
    return lime_samples, shap_evals


def bars(result: explain.ExplainResult, scale: float, names=None) -> dict:
    """Horizontal bars of the top features, orange towards / purple against, on a shared x scale."""
    top = result.features[:TOP_BARS]
    return charts.signed_bars(
        [(names or {}).get(item.name, item.name) for item in top],
        [item.weight for item in top],
        scale=scale,
        colours=(explain.TOWARDS_HEX, explain.AGAINST_HEX),
        x_title=ui.tr("explain.weight"),
        name_title=ui.tr("explain.feature"),
    )


def show_agreement(comparison: explain.Comparison) -> None:
    st.subheader(ui.tr("explain.agreement"))
    agreement = comparison.agreement
    left, right = st.columns(2)
    left.metric(ui.tr("explain.spearman"), f"{agreement.spearman:+.2f}", help=ui.tr("explain.spearman_help"))
    right.metric(ui.tr("explain.topk", k=agreement.k), f"{agreement.top_k_overlap:.0%}", help=ui.tr("explain.topk_help", k=agreement.k))


def show_stability(target: str, key: str, samples: dict, model_id: str, **inputs) -> None:
    """On a click: each method in ``samples`` ({method: budget}) repeated with 3 seeds."""
    st.subheader(ui.tr("explain.stability"))
    st.caption(ui.tr("explain.stability_note"))
    if st.button(ui.tr("explain.stability_run"), key=f"{key}_stability", icon=":material/replay:"):
        with ui.guard():
            for method, budget in samples.items():
                bar, report = progress_bar()
                stability = remembered(
                    ("stability", target, method, model_id, repr(inputs), budget),
                    lambda: explain.run_stability(target, method, samples=budget, repeats=3, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice(), progress=report, **inputs),
                )
                bar.empty()
                st.info(
                    ui.tr(
                        "explain.stability_result", method=ui.tr(f"explain.{method}_title"), n=len(stability.seeds),
                        rho=stability.mean_spearman, low=stability.min_spearman, k=stability.k, overlap=stability.top_k_overlap,
                    ),
                    icon=":material/replay:",
                )


def run_comparison(target: str, key: tuple, **kwargs) -> explain.Comparison:
    bar, report = progress_bar()
    started = time.perf_counter()
    comparison = remembered(key, lambda: explain.run_comparison(target, cache=ui.model_cache(), on_queue=ui.queue_notice(), progress=report, **kwargs))
    bar.empty()
    ui.show_notices(comparison.notices)
    ui.show_latency(comparison.latency_ms, extra=f" · {time.perf_counter() - started:.1f} s")
    return comparison


def side_by_side(comparison: explain.Comparison, label: str, names=None) -> None:
    """SHAP and LIME bars in two columns; one x scale when both are in the same units."""
    results = (comparison.shap, comparison.lime)
    same_units = results[0].units == results[1].units
    shared = explain.shared_scale(*[[f.weight for f in r.features[:TOP_BARS]] for r in results])
    st.caption(ui.tr("explain.legend", label=label))
    for column, result, title in zip(st.columns(2), results, ("explain.shap_title", "explain.lime_title")):
        with column:
            st.markdown(f"**{ui.tr(title)}**")
            if result.units == "log-odds":
                st.caption(ui.tr("explain.shap_units_logodds", base=result.base_value))
            else:
                st.caption(ui.tr("explain.units_probability", label=label))
            scale = shared if same_units else explain.shared_scale([f.weight for f in result.features[:TOP_BARS]])
            st.vega_lite_chart(bars(result, scale, names), width="stretch")


# ------------------------------------------------------------------ tabular
@st.fragment
def tabular_tab() -> None:
    model_id = ui.model_selector("explain", key="explain_tabular_model")
    st.caption(ui.tr("explain.not_medical"))
    data = explain.tabular_data()
    picks = [int(i) for i in np.flatnonzero(data["y"] == 0)[:2]] + [int(i) for i in np.flatnonzero(data["y"] == 1)[:2]]
    st.caption(ui.tr("common.samples"))
    labels = [ui.tr("explain.patient", i=i, label=ui.tr(f"explain.class.{data['classes'][int(data['y'][i])]}")) for i in picks]
    chosen = ui.sample_buttons(list(zip(labels, picks)), key="explain_tab_sample")
    if chosen is not None:
        st.session_state["explain_patient"] = chosen
    patient = st.session_state.get("explain_patient")
    lime_samples, _ = sample_controls("tabular", "explain_tab")
    clicked = st.button(ui.tr("explain.run"), type="primary", icon=":material/insights:", key="explain_tab_run")
    if patient is None:
        patient = picks[0]
    if not (clicked or chosen is not None or st.session_state.get("explain_tab_shown")):
        return
    st.session_state["explain_tab_shown"] = True
    with ui.guard():
        comparison = run_comparison("tabular", ("tabular", model_id, patient, lime_samples), sample=patient, lime_samples=lime_samples, model_id=model_id)
        truth = data["classes"][int(data["y"][patient])]
        p = comparison.probabilities["malignant"]
        label = ui.tr("explain.class.malignant")
        st.markdown(ui.tr("explain.prediction", label=ui.tr(f"explain.class.{comparison.label}"), p=comparison.probabilities[comparison.label]))
        st.caption(ui.tr("explain.truth", label=ui.tr(f"explain.class.{truth}")))
        side_by_side(comparison, label)
        show_agreement(comparison)
        show_stability("tabular", "explain_tab", {"lime": lime_samples}, model_id, sample=patient)
        what_if_section(model_id, patient, comparison, p)
        with st.expander(ui.tr("explain.global"), icon=":material/scatter_plot:"):
            global_view(model_id)


def what_if_section(model_id: str, patient: int, comparison: explain.Comparison, before: float) -> None:
    st.subheader(ui.tr("explain.whatif"))
    row, _ = explain.tabular_sample(patient)
    data = explain.tabular_data()
    names = data["features"]
    top_names = [f.name for f in comparison.shap.features]
    feature = st.selectbox(ui.tr("explain.whatif_feature"), top_names, key="explain_whatif_feature")
    index = names.index(feature)
    low, high = explain.training_range(feature, model_id=model_id, cache=ui.model_cache())
    span = high - low
    lowest, highest = float(low - 0.5 * span), float(high + 0.5 * span)  # beyond the data on purpose: extrapolation is flagged
    value = st.slider(
        ui.tr("explain.whatif_value", low=low, high=high), lowest, highest, float(min(max(row[index], lowest), highest)),
        step=float(span / 200) or 0.001, key=f"explain_whatif_value_{patient}_{index}",
    )
    result = explain.run("tabular", "shap", sample=patient, overrides={feature: value}, model_id=model_id, cache=ui.model_cache())
    ui.show_notices(result.notices)
    st.markdown(ui.tr("explain.whatif_result", before=before, after=result.probability))
    own = explain.shared_scale([f.weight for f in result.features[:TOP_BARS]])
    st.vega_lite_chart(bars(result, own), width="stretch")


def global_view(model_id: str) -> None:
    """SHAP of every held-out patient and feature as a beeswarm (drawn only when asked: thousands of points)."""
    st.caption(ui.tr("explain.global_help"))
    if not st.toggle(ui.tr("explain.global_show"), key="explain_global_on"):
        return
    summary = explain.run_global_summary(model_id=model_id, cache=ui.model_cache())
    rows = []
    for j, name in enumerate(summary["features"]):
        values = summary["values"][:, j]
        spread = values.max() - values.min() or 1.0
        for shap_value, value in zip(summary["shap"][:, j], values):
            rows.append({"feature": name, "shap": float(shap_value), "value": float(value), "level": float((value - values.min()) / spread)})
    chart = charts.beeswarm(rows, order=list(summary["features"]), x_title="SHAP (log-odds, malignant)", colour_title=ui.tr("explain.feature_rank"), value_title=ui.tr("explain.value"))
    st.vega_lite_chart(chart, width="stretch")


# --------------------------------------------------------------------- text
@st.fragment
def text_tab() -> None:
    model_id = ui.model_selector("sentiment", key="explain_text_model")
    st.caption(ui.tr("common.samples"))
    chosen = ui.sample_buttons([(ui.tr(f"explain.sample.{name}"), text) for name, text in explain.TEXT_SAMPLES], key="explain_text_sample")
    if chosen is not None:
        st.session_state["explain_text"] = chosen
    text = st.text_area(ui.tr("explain.text_label"), key="explain_text", height=80, max_chars=explain.MAX_TEXT_CHARS)
    lime_samples, shap_evals = sample_controls("text", "explain_txt")
    clicked = st.button(ui.tr("explain.run"), type="primary", icon=":material/insights:", key="explain_text_run")
    key = ("text", model_id, text, lime_samples, shap_evals)
    if not (clicked or chosen is not None or st.session_state.get("explain_text_last") == key):
        return  # reruns (e.g. the stability button) keep showing the last explanation of this input
    st.session_state["explain_text_last"] = key
    with ui.guard():
        comparison = run_comparison("text", key, text=text, lime_samples=lime_samples, shap_evals=shap_evals, model_id=model_id)
        label = ui.tr(f"sentiment.label.{comparison.label}")
        st.markdown(ui.tr("explain.prediction", label=label, p=comparison.probabilities[comparison.label]))
        st.markdown(f"**{ui.tr('explain.highlight')}**")
        scale = explain.shared_scale([w for _, w in comparison.shap.tokens], [w for _, w in comparison.lime.tokens])
        for title, result in (("explain.shap_title", comparison.shap), ("explain.lime_title", comparison.lime)):
            st.caption(ui.tr(title))
            st.html(explain.highlight_html(result.tokens, scale))
        side_by_side(comparison, label)
        show_agreement(comparison)
        show_stability("text", "explain_txt", {"lime": lime_samples}, model_id, text=text)


# -------------------------------------------------------------------- image
@st.fragment
def image_tab() -> None:
    specs = load_registry().models_with_role("attack", "digit-classifier")  # a role in the manifest
    titles = {spec.id: spec.title_in(ui.current_language()) for spec in specs}
    model_id = st.selectbox(ui.tr("explain.digit_model"), list(titles), format_func=titles.__getitem__, key="explain_image_model")
    ui.model_card(next(spec for spec in specs if spec.id == model_id))
    st.caption(ui.tr("common.samples"))
    chosen = ui.sample_buttons([(ui.tr("explain.digit", i=i), i) for i in range(DIGIT_SAMPLES)], key="explain_img_sample")
    if chosen is not None:
        st.session_state["explain_digit"] = ("sample", chosen)
    uploaded = st.file_uploader(ui.tr("explain.upload_digit"), type=["png", "bmp", "gif", "webp", "jpg", "jpeg"], key="explain_img_upload")
    lime_samples, shap_evals = sample_controls("image", "explain_img")
    clicked = st.button(ui.tr("explain.run"), type="primary", icon=":material/insights:", key="explain_img_run")
    last = st.session_state.get("explain_img_last")
    if not (clicked or chosen is not None or (last and last[0][1:] == (model_id, lime_samples, shap_evals))):
        return
    with ui.guard():
        inputs: dict = {}
        data = ui.uploaded_bytes(uploaded, 2 * 1024 * 1024) if clicked else None
        if data is not None:
            inputs["image"] = data
            key = (model_id, lime_samples, shap_evals, "upload", hash(data))
        elif clicked or chosen is not None:
            inputs["sample"] = st.session_state.get("explain_digit", ("sample", 0))[1]
            key = (model_id, lime_samples, shap_evals, "sample", inputs["sample"])
        else:
            (key, inputs) = last[1], last[2]
        st.session_state["explain_img_last"] = ((None, model_id, lime_samples, shap_evals), key, inputs)
        comparison = run_comparison("image", ("image", *key), lime_samples=lime_samples, shap_evals=shap_evals, model_id=model_id, **inputs)
        label = comparison.label
        st.markdown(ui.tr("explain.prediction", label=label, p=comparison.probabilities[label]))
        st.caption(ui.tr("explain.legend", label=label))
        image = np.asarray(comparison.image, dtype=np.uint8)
        scale = explain.shared_scale(comparison.shap.heatmap, comparison.lime.heatmap)
        columns = st.columns(3)
        columns[0].image(explain.grey_rgb(image), caption=ui.tr("explain.input"), output_format="PNG")
        columns[1].image(explain.heatmap_rgb(comparison.shap.heatmap, scale, image), caption=ui.tr("explain.shap_title"), output_format="PNG")
        columns[2].image(explain.heatmap_rgb(comparison.lime.heatmap, scale, image), caption=ui.tr("explain.lime_title"), output_format="PNG")
        st.caption(ui.tr("explain.superpixels", n=comparison.agreement.shared_features))
        columns = st.columns(3)
        columns[0].image(explain.magnitude_rgb(comparison.saliency["gradient"]), caption=ui.tr("explain.gradient"), output_format="PNG")
        if "gradcam" in comparison.saliency:
            columns[1].image(explain.magnitude_rgb(comparison.saliency["gradcam"]), caption=ui.tr("explain.gradcam"), output_format="PNG")
        st.caption(ui.tr("explain.saliency_note"))
        show_agreement(comparison)
        show_stability("image", "explain_img", {"lime": lime_samples, "shap": shap_evals}, model_id, **inputs)


lang = ui.setup_page("explain")
tab_table, tab_text, tab_image = st.tabs([ui.tr("explain.tab_tabular"), ui.tr("explain.tab_text"), ui.tr("explain.tab_image")])
with tab_table:
    tabular_tab()
with tab_text:
    text_tab()
with tab_image:
    image_tab()
ui.how_it_works("explain")

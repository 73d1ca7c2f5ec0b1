"""Compression page: pick a model of the hub and a method; measure size, speed and accuracy before and after."""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from dl_apps.tasks import compress
from dl_apps.tasks.compress import jobs
from dl_apps.ui import charts
from dl_apps.ui import page as ui
from dl_apps.ui.query import Setting

POLL_SECONDS = 0.5
AMOUNT_RANGE = (10, 90, 10)
KEYS = {"model": "compress_model", "method": "compress_method", "amount": "compress_amount"}

lang = ui.setup_page("compress")
SPECS = {spec.id: spec for spec in compress.compressible_models()}


def url_schema() -> dict[str, Setting]:
    """What a link may set (?model=&method=&amount=); anything else falls back to the defaults, with a notice."""
    low, high, step = AMOUNT_RANGE
    return {
        "model": Setting("choice", next(iter(SPECS)), choices=tuple(SPECS)),
        "method": Setting("choice", "int8", choices=compress.METHOD_FAMILIES),
        "amount": Setting("int", 50, low, high, step=step),
    }


def method_label(method: str) -> str:
    """``prune:50`` → "pruning 50 %" in the page's language."""
    family, _, amount = method.partition(":")
    label = ui.tr(f"compress.method.{family}")
    return f"{label} {amount} %" if amount else label


def mb(value: float | None) -> str:
    if value is None:
        return "—"
    return ui.tr("compress.mb", value=value) if value >= 0.1 else ui.tr("compress.kb", value=value * 1024)


def ms(value: float) -> str:
    return ui.tr("compress.ms_big" if value >= 100 else "compress.ms", value=value)


def remember(result: compress.CompressResult) -> None:
    """Keep this result's measured variants for the session's chart (light: figures only)."""
    tried = st.session_state.setdefault("compress_tried", {})
    tried[(result.model, result.method)] = [asdict(variant) for variant in result.variants]


def show_result(result: compress.CompressResult) -> None:
    spec = SPECS.get(result.model) or compress.target_spec(result.model)
    st.subheader(ui.tr("compress.result_title", model=spec.title_in(lang), method=method_label(result.method)))
    size, zipped, latency, accuracy = st.columns(4)
    ratio = result.size_ratio
    size_label = ui.tr("compress.metric.memory" if result.kind == "whisper" else "compress.metric.size")
    size.metric(size_label, mb(result.size_mb_after),
                ui.tr("compress.ratio", ratio=ratio) if ratio else None, delta_color="off")
    size.caption(ui.tr("compress.before", value=mb(result.size_mb_before)))
    if result.zip_mb_after:
        zip_ratio = (result.zip_mb_before or 0.0) / result.zip_mb_after
        zipped.metric(ui.tr("compress.metric.zip"), mb(result.zip_mb_after), ui.tr("compress.ratio", ratio=zip_ratio), delta_color="off")
        zipped.caption(ui.tr("compress.before", value=mb(result.zip_mb_before)))
    elif "ctranslate2_file_mb" in result.extra:
        zipped.metric(ui.tr("compress.metric.ct2_file"), mb(result.extra["ctranslate2_file_mb"]))
    speed = ui.tr("compress.speedup", ratio=result.speedup or 0)
    latency.metric(ui.tr("compress.metric.latency"), ms(result.latency_ms_after), speed, delta_color="off")
    latency.caption(ui.tr("compress.before", value=ms(result.latency_ms_before)))
    points = 100 * (result.accuracy_after - result.accuracy_before)
    accuracy.metric(ui.tr("compress.metric.accuracy"), ui.tr("compress.percent", value=result.accuracy_after),
                    ui.tr("compress.points", value=points), delta_color="normal" if abs(points) >= 0.05 else "off")
    accuracy.caption(ui.tr("compress.before", value=ui.tr("compress.percent", value=result.accuracy_before)))
    n = int(result.eval.get("n", 0))
    st.caption(ui.tr("compress.measured_on", what=ui.tr(f"compress.eval.{result.eval.get('what')}", n=n, step=1 / max(1, n))))
    extra = result.extra
    same = extra.get("eval_after", {}).get("same_top1_as_original")
    if same is not None:
        st.caption(ui.tr("compress.same_answers", share=same))
    if "sparsity" in extra:
        st.info(ui.tr("compress.sparsity", share=extra["sparsity"]) + " " + ui.tr("compress.prune_size_note"), icon=":material/content_cut:")
    if "fine_tune_seconds" in extra:
        st.caption(ui.tr("compress.fine_tuned", epochs=extra["fine_tune_epochs"], seconds=extra["fine_tune_seconds"]))
    if "calibration_inputs" in extra:
        st.caption(ui.tr("compress.calibrated", n=extra["calibration_inputs"]))
    if result.method == "distill":
        st.info(
            ui.tr(
                "compress.distill_summary",
                student=extra["student_parameters"], times=extra["times_smaller"], teacher=extra["teacher_parameters"],
                acc_kd=result.accuracy_after, agree_kd=extra["agreement_distilled"], kd_s=extra["distill_seconds"],
                acc_alone=extra["accuracy_alone"], agree_alone=extra["agreement_alone"], alone_s=extra["alone_seconds"],
            ),
            icon=":material/school:",
        )
        better = extra["agreement_distilled"] > extra["agreement_alone"]
        st.caption(ui.tr("compress.distill_better" if better else "compress.distill_not_better"))
    if result.kind == "whisper":
        st.info(
            ui.tr("compress.whisper_note", file=extra["ctranslate2_file_mb"], before=result.size_mb_before, after=result.size_mb_after,
                  wer_before=extra["wer_before"], wer_after=extra["wer_after"]),
            icon=":material/graphic_eq:",
        )
        st.caption(ui.tr("compress.no_download_whisper"))
    elif result.artifact is not None:
        st.download_button(
            ui.tr("compress.download"), result.artifact, file_name=result.artifact_name, mime="application/octet-stream",
            icon=":material/download:", help=ui.tr("compress.download_help"), key=f"compress_download_{result.model}_{result.method}",
        )
    else:
        st.caption(ui.tr("compress.download_dropped"))
    with st.container(border=True):
        st.markdown(f"**{ui.tr('compress.phone_title')}** " + ui.tr(f"compress.phone.{compress.phone_verdict(result)}", size=result.size_mb_after or 0.0))
        st.caption(ui.tr("compress.phone_caveat"))
    st.caption(ui.tr("compress.work_time", seconds=result.work_seconds))


def variants_frame() -> pd.DataFrame:
    """Every variant measured in this session; each model's original once (its latest measurement)."""
    rows, originals = [], {}
    for (model_id, _), variants in st.session_state.get("compress_tried", {}).items():
        spec = SPECS.get(model_id)
        title = spec.title_in(lang) if spec else model_id
        for variant in variants:
            row = {
                ui.tr("compress.col.model"): title,
                ui.tr("compress.col.method"): method_label(variant["method"]),
                "size": variant["size_mb"], "zip": variant["zip_mb"], "latency": variant["latency_ms"], "accuracy": variant["accuracy"],
            }
            if variant["method"] == "original":
                originals[model_id] = row
            else:
                rows.append(row)
    return pd.DataFrame(list(originals.values()) + rows)


def show_chart() -> None:
    st.subheader(ui.tr("compress.chart_title"))
    frame = variants_frame()
    if frame.empty:
        st.caption(ui.tr("compress.no_variants"))
        return
    axes = {key: ui.tr(f"compress.axis.{key}") for key in ("size", "zip", "latency")}
    axis = st.segmented_control(
        ui.tr("compress.chart_axis"), options=list(axes), format_func=axes.__getitem__,
        default="size", key="compress_axis",
    ) or "size"
    model_col, method_col = ui.tr("compress.col.model"), ui.tr("compress.col.method")
    shown = frame.dropna(subset=[axis])
    shown = shown[shown[axis] > 0]
    chart = charts.labelled_scatter(
        shown, axis, "accuracy", model_col, method_col,
        x_title=ui.tr(f"compress.axis.{axis}"), y_title=ui.tr("compress.chart_accuracy"),
        tooltip=[(model_col, ""), (method_col, ""), ("size", ".3f"), ("zip", ".3f"), ("latency", ".2f"), ("accuracy", ".1%")],
    )
    st.vega_lite_chart(chart, width="stretch")
    st.caption(ui.tr("compress.chart_help"))
    with st.expander(ui.tr("compress.table_title"), icon=":material/table:"):
        st.dataframe(frame, hide_index=True, width="stretch")


@st.fragment
def workbench() -> None:
    """Inputs, the running job's progress, the result and the session's chart: reruns stay inside."""
    for name, value in ui.query_settings(url_schema(), key="compress").items():
        st.session_state[KEYS[name]] = value
    if st.session_state.get(KEYS["model"]) not in SPECS:
        st.session_state[KEYS["model"]] = next(iter(SPECS))
    titles = {spec_id: spec.title_in(lang) for spec_id, spec in SPECS.items()}  # fixed now: format_func may run outside the script
    model_id = st.selectbox(ui.tr("compress.model"), options=list(SPECS), format_func=titles.__getitem__, key=KEYS["model"])
    spec = SPECS[model_id]
    ui.model_card(spec)
    allowed = compress.KIND_METHODS[compress.kind_of(spec)]
    if st.session_state.get(KEYS["method"]) not in allowed:
        st.session_state[KEYS["method"]] = allowed[0]
    labels = {m: ui.tr(f"compress.method.{m}") for m in allowed}
    family = st.radio(ui.tr("compress.method"), options=list(allowed), format_func=labels.__getitem__, key=KEYS["method"], horizontal=True)
    method = family
    if family in compress.AMOUNT_METHODS:
        low, high, step = AMOUNT_RANGE
        amount = st.slider(ui.tr("compress.amount"), low, high, value=st.session_state.get(KEYS["amount"], 50), step=step, key=KEYS["amount"])
        method = f"{family}:{int(amount)}"
    st.caption(ui.tr("compress.method_help.whisper" if compress.kind_of(spec) == "whisper" else f"compress.method_help.{family}"))
    if st.button(ui.tr("compress.run"), type="primary", icon=":material/compress:", key="compress_run"):
        with ui.guard():
            job = jobs.start(model_id, method, ui.model_cache())
            st.session_state["compress_active"] = job.key
    key = st.session_state.get("compress_active")
    if key:
        job = jobs.get(*key)
        result = compress.RESULTS.get(*key) or (job.result if job is not None else None)
        if job is not None and not job.done:
            st.caption(ui.tr("compress.background"))
            bar = st.progress(job.progress, text=ui.tr(f"compress.stage.{job.stage}"))
            while not job.wait(POLL_SECONDS):
                bar.progress(job.progress, text=ui.tr(f"compress.stage.{job.stage}"))
            bar.empty()
            result = job.result
        if job is not None and job.done and job.error is not None:
            st.warning(ui.error_message(job.error), icon=":material/error:")
        elif job is not None and job.done and job.failure:
            st.error(ui.tr("error.compress_failed", kind=job.failure), icon=":material/bug_report:")
        elif result is not None:
            remember(result)
            show_result(result)
    show_chart()


workbench()
ui.how_it_works("compress")

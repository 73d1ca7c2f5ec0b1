"""Adversarial attacks page: pick an image, an attack and a budget ε; see the answer flip."""

import random

import pandas as pd
import streamlit as st

from dl_apps.registry import load_registry
from dl_apps.tasks import attack
from dl_apps.ui import charts
from dl_apps.ui import page as ui

DIGIT_SAMPLES = 10  # test digits 0..9 show the digits 0..9 (the split is interleaved)
EPS_SLIDER = {"digits": (128, 51), "imagenet": (32, 2)}  # (max, default) in grey levels
STEPS_SLIDER = {"digits": (100, 10), "imagenet": (attack.MAX_STEPS["imagenet"], 5)}
BEFORE, AFTER = "#0072b2", "#d55e00"  # colour-blind safe


def top5_chart(predictions: list, colour: str) -> dict:
    """Horizontal probability bars, best first (a Vega-Lite spec: cheap to rebuild on a rerun)."""
    scores = {p.label: p.score for p in predictions}
    return charts.probability_bars(scores, colours={label: colour for label in scores}, order=list(scores), height=200)


def choose_image(kind: str) -> tuple[bytes | None, int | None]:
    """The image source widgets; returns (uploaded bytes, sample number) — one of them set."""
    sources = ["sample", "random", "upload"] if kind == "digits" else ["sample", "upload"]
    source = st.segmented_control(
        ui.tr("attack.source"), sources, format_func=lambda s: ui.tr(f"attack.source.{s}"), default="sample", key=f"attack_source_{kind}"
    ) or "sample"
    if source == "upload":
        help_key = "attack.upload_help_digits" if kind == "digits" else "attack.upload_help_photo"
        uploaded = st.file_uploader(ui.tr("attack.upload_label"), type=["png", "jpg", "jpeg", "webp", "bmp", "gif"], help=ui.tr(help_key), key=f"attack_upload_{kind}")
        if uploaded is None:
            st.info(ui.tr("attack.upload_first"), icon=":material/upload:")
            return None, None
        with ui.guard():
            return ui.uploaded_bytes(uploaded, attack.MAX_UPLOAD_BYTES), None
        return None, None
    if source == "random":
        if st.button(ui.tr("attack.new_random"), icon=":material/casino:") or "attack_random" not in st.session_state:
            st.session_state["attack_random"] = random.randrange(attack.sample_count("digits"))
        index = st.session_state["attack_random"]
        st.caption(ui.tr("attack.sample_digit", index=index, label=index % 10))
        return None, index
    state_key = f"attack_sample_{kind}"
    if kind == "digits":
        samples = [(str(i), i) for i in range(DIGIT_SAMPLES)]
    else:
        samples = [(ui.tr(f"attack.sample.{name}"), i) for i, name in enumerate(attack.sample_names(kind))]
    clicked = ui.sample_buttons(samples, key=state_key)
    if clicked is not None:
        st.session_state[state_key] = clicked
        st.session_state["attack_autorun"] = True
    return None, st.session_state.get(state_key, 0)


def show_result(result: attack.AttackResult, kind: str) -> None:
    """Three pictures, the verdict, top-5 bars, norms, the download and the latency."""
    ui.show_notices(result.notices)
    big = (lambda image: attack.enlarge(image, 224)) if kind == "digits" else (lambda image: image)
    left, middle, right = st.columns(3)
    with left:
        st.markdown(f"**{ui.tr('attack.original')}**")
        st.image(big(result.original_image), width="stretch", output_format="PNG")
        st.markdown(ui.tr("attack.prediction", label=result.original.label, score=result.original.score))
        if result.true_label is not None:
            st.caption(ui.tr("attack.true_label", label=result.true_label))
    with middle:
        st.markdown(f"**{ui.tr('attack.perturbation', amp=result.amplification)}**")
        st.image(big(result.perturbation_image), width="stretch", output_format="PNG")
        st.caption(ui.tr("attack.perturbation_caption", amp=result.amplification))
    with right:
        st.markdown(f"**{ui.tr('attack.adversarial')}**")
        st.image(big(result.adversarial_image), width="stretch", output_format="PNG")  # lossless: JPEG would blur the perturbation
        st.markdown(ui.tr("attack.prediction", label=result.adversarial.label, score=result.adversarial.score))
    linf_255 = result.linf * 255
    if result.target is not None:
        if result.success:
            st.success(ui.tr("attack.target_reached", after=result.adversarial.label), icon=":material/my_location:")
        else:
            st.warning(ui.tr("attack.target_missed", target=result.target, after=result.adversarial.label), icon=":material/shield:")
    elif result.success:
        st.error(ui.tr("attack.flipped", before=result.original.label, after=result.adversarial.label, linf=linf_255), icon=":material/warning:")
    else:
        st.success(ui.tr("attack.resisted", after=result.adversarial.label), icon=":material/shield:")
    st.caption(ui.tr("attack.norms", linf=linf_255, l2=result.l2, changed=result.changed_pixels))
    before, after = st.columns(2)
    with before:
        st.markdown(f"**{ui.tr('attack.top5_before')}**")
        st.vega_lite_chart(top5_chart(result.top5_original, BEFORE), width="stretch")
    with after:
        st.markdown(f"**{ui.tr('attack.top5_after')}**")
        st.vega_lite_chart(top5_chart(result.top5_adversarial, AFTER), width="stretch")
    st.download_button(
        ui.tr("attack.download"),
        lambda: attack.encode_png(result.adversarial_image),  # encoded on the click, not on every rerun
        file_name=f"adversarial-{result.method}-eps{round(linf_255)}.png",
        mime="image/png",
        icon=":material/download:",
    )
    if result.survives_png:
        st.caption(ui.tr("attack.png_survives", label=result.png.label))
    else:
        st.warning(ui.tr("attack.png_breaks", label=result.png.label), icon=":material/info:")
    ui.show_latency(result.latency_ms)


def show_curve() -> None:
    """Accuracy vs ε for the standard and the adversarially trained CNN (precomputed by the training script)."""
    rows = attack.robustness_curves()
    if not rows:
        st.info(ui.tr("attack.curve_missing"), icon=":material/info:")
        return
    frame = pd.DataFrame(rows)
    frame["series"] = [f"{ui.tr('attack.model.' + m)} · {method}" for m, method in zip(frame["model"], frame["method"])]
    st.caption(ui.tr("attack.curve_intro", n=int(frame["n"].max())))
    chart = charts.curves(
        frame[["eps_255", "accuracy", "series", "method"]], "eps_255", "accuracy", "series", dash="method",
        x_title=ui.tr("attack.curve_eps"), y_title=ui.tr("attack.curve_accuracy"), series_title=ui.tr("attack.curve_series"),
    )
    st.vega_lite_chart(chart, width="stretch")
    registry = load_registry()  # the two digit models compared, by their roles in the manifest
    summary = attack.defence_summary(registry.model_with_role("attack", "standard").id, registry.model_with_role("attack", "defended").id)
    if summary:
        st.markdown(ui.tr("attack.curve_summary", **summary))


@st.fragment
def attack_panel(model_id: str, kind: str) -> None:
    """Image, attack settings and result: a slider or a sample click reruns only this part."""
    image, sample = choose_image(kind)
    method = st.segmented_control(
        ui.tr("attack.method"), list(attack.METHODS), format_func=lambda m: ui.tr(f"attack.method.{m}"), default="pgd", key="attack_method"
    ) or "pgd"
    eps_max, eps_default = EPS_SLIDER[kind]
    eps_255 = st.slider(ui.tr("attack.eps"), 0, eps_max, eps_default, help=ui.tr("attack.eps_help"), key=f"attack_eps_{kind}")
    steps, step_size = 1, None
    if method == "pgd":
        columns = st.columns(2)
        steps_max, steps_default = STEPS_SLIDER[kind]
        steps = columns[0].slider(ui.tr("attack.steps"), 1, steps_max, steps_default, key=f"attack_steps_{kind}")
        chosen_step = columns[1].number_input(ui.tr("attack.step_size"), 0.0, 64.0, 0.0, 0.5, help=ui.tr("attack.step_size_help"), key=f"attack_step_{kind}")
        step_size = chosen_step / 255 if chosen_step > 0 else None
    target = None
    if st.toggle(ui.tr("attack.targeted"), key=f"attack_targeted_{kind}"):
        labels = attack.class_names(kind)
        target = st.selectbox(ui.tr("attack.target_class"), labels, index=7 if kind == "digits" else labels.index("tabby"), key=f"attack_target_{kind}")
    go = st.button(ui.tr("attack.run"), type="primary", icon=":material/bolt:", key="attack_run")
    if go or st.session_state.pop("attack_autorun", False):
        with ui.guard():
            with st.spinner(ui.tr("common.loading_model")):
                result = attack.run(
                    image=image,
                    sample=sample if image is None else None,
                    method=method,
                    eps=eps_255 / 255,
                    steps=steps,
                    step_size=step_size,
                    target=target,
                    model_id=model_id,
                    cache=ui.model_cache(),
                    on_queue=ui.queue_notice(),
                )
            st.session_state["attack_last"] = (model_id, result)
    last = st.session_state.get("attack_last")
    if last is not None and last[0] == model_id:
        show_result(last[1], kind)


lang = ui.setup_page("attack")
model_id = ui.model_selector("attack")
kind = attack.model_kind(model_id)
tab_attack, tab_curve = st.tabs([ui.tr("attack.tab_attack"), ui.tr("attack.tab_curve")])

with tab_attack:
    attack_panel(model_id, kind)

with tab_curve:
    show_curve()

ui.how_it_works("attack")

"""Image generation page: pick a class, watch a diffusion model denoise, download the pictures."""

import random

import numpy as np
import streamlit as st

from dl_apps.tasks import generate
from dl_apps.core import InputError
from dl_apps.registry import load_registry
from dl_apps.ui import page as ui
from dl_apps.ui.i18n import has
from dl_apps.ui.query import Setting

PAGE_STEPS = (10, 200)
PAGE_MAX_IMAGES = 16
PAGE_MAX_GUIDANCE = 5.0
DISPLAY_PIXELS = 96  # each generated image is shown about this big (nearest-neighbour upscaling)
STRIP_FRAMES = 8
KEYS = {"label": "generate_label", "n": "generate_n", "steps": "generate_steps", "scheduler": "generate_scheduler", "guidance": "generate_guidance", "seed": "generate_seed"}
DEFAULTS = {"n": 8, "steps": 50, "scheduler": "ddim", "guidance": generate.DEFAULT_GUIDANCE, "seed": 0}
SAMPLES = [
    ("generate.sample.eight_of", {"label": 7, "n": 8, "steps": 50, "scheduler": "ddim", "guidance": generate.DEFAULT_GUIDANCE, "seed": 7}),
    ("generate.sample.all_classes", {"all_classes": True, "n": 10, "steps": 50, "scheduler": "ddim", "guidance": generate.DEFAULT_GUIDANCE, "seed": 0}),
    ("generate.sample.unconditional", {"label": 0, "n": 16, "steps": 50, "scheduler": "ddim", "guidance": 0.0, "seed": 3}),
    ("generate.sample.ddpm", {"label": 3, "n": 8, "steps": 200, "scheduler": "ddpm", "guidance": generate.DEFAULT_GUIDANCE, "seed": 11}),
]


def class_name(labels: tuple[str, ...], index: int) -> str:
    """A class name in the page's language (digits need no translation)."""
    key = f"generate.class.{model_id}.{index}"
    return ui.tr(key) if has(key) else labels[index]


def url_schema() -> dict[str, Setting]:
    """The settings a link may give (?label=&n=&steps=&scheduler=&guidance=&seed=), with the page's ranges."""
    return {
        "label": Setting("text", "0", max_chars=40),
        "n": Setting("int", DEFAULTS["n"], 1, PAGE_MAX_IMAGES),
        "steps": Setting("int", DEFAULTS["steps"], PAGE_STEPS[0], PAGE_STEPS[1]),
        "scheduler": Setting("choice", DEFAULTS["scheduler"], choices=tuple(generate.SCHEDULERS)),
        "guidance": Setting("float", DEFAULTS["guidance"], 0.0, PAGE_MAX_GUIDANCE, step=0.5),
        "seed": Setting("int", DEFAULTS["seed"], 0, generate.MAX_SEED),
    }


def apply_url_settings(labels: tuple[str, ...]) -> None:
    """Settings from the link into the widgets, once per link; unusable values are fixed and the user told."""
    for name, value in ui.query_settings(url_schema(), key="generate").items():
        if name == "label":
            try:
                value = generate.resolve_label(labels, value) if labels else 0
            except (InputError, ValueError, TypeError):
                st.info(ui.tr("notice.url_value_fixed", name="label", value=ui.escape_markdown(str(value)), used=class_name(labels, 0) if labels else "0"), icon=":material/info:")
                value = 0
        st.session_state[KEYS[name]] = value


def set_sample(settings: dict, n_labels: int) -> None:
    """Put a sample's settings into the widgets (before they are drawn)."""
    for name, value in settings.items():
        if name in KEYS:
            st.session_state[KEYS[name]] = value
    if settings.get("all_classes"):
        st.session_state[KEYS["n"]] = max(1, n_labels)
    if KEYS["label"] in st.session_state and n_labels:
        st.session_state[KEYS["label"]] = min(int(st.session_state[KEYS["label"]]), n_labels - 1)


def surprise(n_labels: int) -> None:
    st.session_state[KEYS["seed"]] = random.randint(0, 99_999)
    if n_labels:
        st.session_state[KEYS["label"]] = random.randrange(n_labels)


def scale_for(size: int) -> int:
    return max(1, DISPLAY_PIXELS // max(1, size))


def generate_now(model_id: str, label, n: int, steps: int, scheduler: str, guidance: float, seed: int, all_classes: bool, n_labels: int):
    """Run the model with a live preview; for "one of each class", one call per class."""
    bar = st.progress(0.0, text=ui.tr("generate.progress", done=0, total=steps))
    live = st.empty()
    hint = st.empty()
    hint.caption(ui.tr("generate.cancel_hint"))
    columns = min(n, 8)

    def on_step(done: int, total: int, preview) -> None:
        bar.progress(done / total, text=ui.tr("generate.progress", done=done, total=total))
        if preview.size:
            size = preview.shape[1]
            live.image(generate.grid(preview, columns=columns, scale=scale_for(size)), caption=ui.tr("generate.live"))

    common = dict(steps=steps, seed=seed, guidance=guidance, scheduler=scheduler, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice(), preview_every=max(1, steps // 20))
    if not all_classes:
        result = generate.run(label, n=n, on_step=on_step, **common)
    else:
        parts = [generate.run(index, n=1, on_step=on_step if index == 0 else None, **{**common, "seed": seed + index}) for index in range(n_labels)]
        result = parts[0]
        result.images = np.concatenate([p.images for p in parts])
        result.frames = [np.concatenate([p.frames[k] for p in parts]) for k in range(len(result.frames))]
        result.latency_ms = sum(p.latency_ms for p in parts)
        result.n = n_labels
    for placeholder in (bar, live, hint):
        placeholder.empty()
    return result


def animation(result, columns: int, scale: int) -> bytes:
    """The "noise → image" GIF of ``result``, encoded once and kept in the session beside it.

    One GIF holds every kept frame of the whole grid, so encoding it costs more than the rest
    of the panel; without this, every slider moved in the panel would encode it again.
    """
    kept = st.session_state.get("generate_gif")
    if kept is None or kept[0] is not result:
        kept = (result, generate.animation_gif(result.frames, columns=columns, scale=scale))
        st.session_state["generate_gif"] = kept
    return kept[1]


def show_result(result, labels: tuple[str, ...], all_classes: bool) -> None:
    size = result.images.shape[1]
    scale = scale_for(size)
    if all_classes:
        label = ", ".join(class_name(labels, i) for i in range(len(labels)))
    elif result.guidance == 0 and labels:
        label = ui.tr("generate.unconditional_label")
    else:
        label = class_name(labels, result.label_index) if labels else result.label
    st.subheader(ui.tr("generate.results", n=result.n, label=label))
    columns = min(result.n, 10 if all_classes else 8)
    grid = generate.grid(result.images, columns=columns, scale=scale)
    st.image(grid, width=min(grid.shape[1], 900))
    st.caption(ui.tr("generate.summary", seed=result.seed, steps=result.steps, scheduler=result.scheduler.upper(), guidance=result.guidance, step_ms=result.step_ms))
    ui.show_latency(result.latency_ms)
    stem = generate.file_stem(result)
    gif = animation(result, columns, scale)
    left, middle, right = st.columns(3)
    # The PNG grid and the ZIP are encoded only when their button is clicked, not on every rerun.
    left.download_button(ui.tr("generate.download_png"), lambda: generate.png_bytes(generate.grid(result.images, columns=columns), scale=scale), file_name=f"{stem}_grid.png", mime="image/png", icon=":material/download:", width="stretch")
    middle.download_button(ui.tr("generate.download_zip"), lambda: generate.zip_bytes(result.images, prefix=stem, scale=scale), file_name=f"{stem}.zip", mime="application/zip", icon=":material/folder_zip:", width="stretch")
    right.download_button(ui.tr("generate.download_gif"), gif, file_name=f"{stem}.gif", mime="image/gif", icon=":material/animated_images:", width="stretch")
    if len(result.frames) > 1:
        st.markdown(f"**{ui.tr('generate.strip')}**")
        picks = sorted({int(round(i)) for i in np.linspace(0, len(result.frames) - 1, STRIP_FRAMES)})
        st.image(
            [generate.upscale(result.frames[k][0], scale) for k in picks],
            caption=[ui.tr("generate.strip_step", step=result.frame_steps[k]) for k in picks],
            width=DISPLAY_PIXELS,
        )
        with st.expander(ui.tr("generate.animation"), icon=":material/animated_images:"):
            st.image(gif)


def forward_process_demo(model, labels: tuple[str, ...], label_index: int) -> None:
    """The forward (noising) process on a real training image, at a time t chosen with a slider."""
    examples = getattr(model, "examples", None)
    if examples is None or not len(examples):
        return
    index = min(label_index, len(examples) - 1)
    image = examples[index]
    scale = scale_for(image.shape[0]) * 2
    with st.expander(ui.tr("generate.forward_title"), icon=":material/blur_on:"):
        st.markdown(ui.tr("generate.forward_intro", label=class_name(labels, index)))
        t = st.slider(ui.tr("generate.forward_t"), 0, 999, 250, 1, key="generate_forward_t")
        noisy, signal = generate.forward_noise(model, image, t)
        left, right = st.columns([1, 2])
        left.image(generate.upscale(noisy, scale), caption=ui.tr("generate.forward_caption", t=t, signal=signal))
        steps = [0, 100, 250, 500, 750, 999]
        strip = [generate.forward_noise(model, image, s) for s in steps]
        right.caption(ui.tr("generate.forward_strip"))
        right.image([generate.upscale(img, scale // 2) for img, _ in strip], caption=[f"t = {s}" for s in steps])


@st.fragment
def generate_panel(model_id: str, model, labels: tuple[str, ...], is_hub: bool) -> None:
    """Samples, settings, pictures and the forward process: a click or a slider reruns only this part."""
    st.caption(ui.tr("common.samples"))
    sample_list = [(ui.tr(key, label=class_name(labels, settings.get("label", 0)) if labels else ""), settings) for key, settings in SAMPLES]
    sample_list.append((ui.tr("generate.surprise"), "surprise"))
    chosen = ui.sample_buttons(sample_list, key="generate_sample")
    if chosen == "surprise":
        surprise(len(labels))
    elif chosen is not None:
        set_sample(chosen, len(labels))
    for name, value in DEFAULTS.items():
        st.session_state.setdefault(KEYS[name], value)
    st.session_state.setdefault(KEYS["label"], 0)

    if is_hub:
        label = st.text_input(ui.tr("generate.prompt"), value=ui.tr("generate.prompt_default"), max_chars=generate.MAX_PROMPT_CHARS, key="generate_prompt")
    else:
        names = [class_name(labels, i) for i in range(len(labels))]  # translated now: format_func may run later
        label = st.selectbox(ui.tr("generate.what"), options=list(range(len(labels))), format_func=names.__getitem__, key=KEYS["label"])
    st.markdown(f"**{ui.tr('generate.settings')}**")
    left, middle, right = st.columns(3)
    n = left.slider(ui.tr("generate.n"), 1, PAGE_MAX_IMAGES, key=KEYS["n"])
    steps = middle.slider(ui.tr("generate.steps"), PAGE_STEPS[0], PAGE_STEPS[1], step=1, help=ui.tr("generate.steps_help"), key=KEYS["steps"])
    scheduler = right.radio(ui.tr("generate.scheduler"), options=list(generate.SCHEDULERS), format_func=str.upper, horizontal=True, help=ui.tr("generate.scheduler_help"), key=KEYS["scheduler"])
    left, right = st.columns(2)
    guidance = left.slider(ui.tr("generate.guidance"), 0.0, PAGE_MAX_GUIDANCE, step=0.5, help=ui.tr("generate.guidance_help"), key=KEYS["guidance"])
    seed = right.number_input(ui.tr("generate.seed"), min_value=0, max_value=generate.MAX_SEED, step=1, help=ui.tr("generate.seed_help"), key=KEYS["seed"])

    all_classes = isinstance(chosen, dict) and bool(chosen.get("all_classes")) and bool(labels)
    if st.button(ui.tr("generate.run"), type="primary", icon=":material/auto_awesome:") or chosen is not None:
        with ui.guard():
            result = generate_now(model_id, label, n, steps, scheduler, guidance, int(seed), all_classes, len(labels))
            st.session_state["generate_last"] = (model_id, result, all_classes)
            ui.write_query_settings({"label": str(label), "n": n, "steps": steps, "scheduler": scheduler, "guidance": float(guidance), "seed": int(seed)}, url_schema(), key="generate")
    last = st.session_state.get("generate_last")
    if last is not None and last[0] == model_id:
        with ui.guard():
            ui.show_notices(last[1].notices)
            show_result(last[1], labels, last[2])
    else:
        st.info(ui.tr("generate.pick"), icon=":material/touch_app:")
    if model is not None:
        with ui.guard():
            forward_process_demo(model, labels, int(st.session_state.get(KEYS["label"], 0)))


# ---------------------------------------------------------------------- page
lang = ui.setup_page("generate")
model_id = ui.model_selector("generate")
spec = load_registry().model(model_id) if not model_id.startswith("hub:") else None
is_hub = spec is None or spec.source == "hub"

model = None
labels: tuple[str, ...] = ()
if not is_hub:
    with ui.guard():
        with st.spinner(ui.tr("common.loading_model")):
            model = ui.model_cache().get(model_id, task=generate.TASK)
        labels = tuple(model.labels)
if model_id != st.session_state.get("generate_model_seen"):  # labels differ between models
    st.session_state["generate_model_seen"] = model_id
    if labels and int(st.session_state.get(KEYS["label"], 0)) >= len(labels):
        st.session_state[KEYS["label"]] = 0
apply_url_settings(labels)

generate_panel(model_id, model, labels, is_hub)
ui.how_it_works("generate")

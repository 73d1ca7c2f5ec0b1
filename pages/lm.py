"""Language model page: Gemma 3 270M writes token by token; probabilities, steering, tokenizer, attention."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dl_apps.tasks import lm
from dl_apps.ui import charts
from dl_apps.ui import page as ui

SAMPLES = [
    ("lm.sample.en_story", "Once upon a time, in a small village at the foot of the mountains, there lived a girl who"),
    ("lm.sample.en_fact", "The Eiffel Tower is in the city of"),
    ("lm.sample.fr_recipe", "Pour réussir une bonne pâte à crêpes, il faut d'abord"),
    ("lm.sample.fr_poem", "Sous le pont Mirabeau coule la Seine, et"),
]
SETTING_KEYS = ("max_new_tokens", "temperature", "top_k", "top_p", "seed")


def settings_from_url() -> list[dict]:
    """Read ?prompt=&temperature=... once per session (clamped, with notices; never raises)."""
    if "lm_url_read" in st.session_state:
        return []
    st.session_state["lm_url_read"] = True
    params = st.query_params
    raw = {key: params.get(key) for key in SETTING_KEYS}
    settings, notices = lm.validate_settings(**{k: v for k, v in raw.items() if v is not None})
    for key in SETTING_KEYS:
        if raw[key] is not None:
            st.session_state[f"lm_{key}"] = getattr(settings, key)
    prompt = params.get("prompt")
    if isinstance(prompt, str) and prompt.strip():
        st.session_state["lm_prompt"] = prompt[: lm.MAX_PROMPT_CHARS]
    return notices


def show_text(result: lm.LMResult, title: str) -> None:
    st.markdown(f"**{title}**")
    st.code(result.prompt[-600:] + "⟨" + result.text + "⟩" if result.text else result.prompt[-600:], language=None, wrap_lines=True)
    st.caption(ui.tr("lm.speed", n=len(result.tokens), tps=result.tokens_per_s, prefill=result.prefill_ms))
    if result.stopped == "end":
        st.caption(ui.tr("lm.stopped_end"))


def visible(token: str) -> str:
    return token.replace(" ", "▁").replace("\n", "↵") or "∅"


def steps_view(result: lm.LMResult) -> None:
    """Pick a step; the top-10 chart and one button per alternative to continue from it."""
    if not result.tokens:
        return
    st.caption(ui.tr("lm.steps_help"))
    labels = [ui.tr("lm.step_label", index=i + 1, token=visible(s.token), prob=s.prob) + (f" · {ui.tr('lm.forced_mark')}" if s.forced else "") for i, s in enumerate(result.tokens)]
    index = st.selectbox(ui.tr("lm.step"), range(len(labels)), format_func=labels.__getitem__, key="lm_step")
    step = result.tokens[min(index, len(result.tokens) - 1)]
    st.markdown(ui.tr("lm.chosen", token=visible(step.token), prob=step.prob))
    keys = [str(number) for number in range(len(step.top))]  # two tokens may look alike: bars keyed by rank
    chart = charts.probability_bars(
        {key: a.prob for key, a in zip(keys, step.top)},
        labels={key: visible(a.token) for key, a in zip(keys, step.top)},
        colours={key: "#e4572e" if a.id == step.id else "#4c78a8" for key, a in zip(keys, step.top)},
        order=keys,
        height=260,
    )
    st.vega_lite_chart(chart, width="stretch")
    st.caption(ui.tr("lm.continue_with"))
    columns = st.columns(5)
    for number, alternative in enumerate(step.top):
        if alternative.id == step.id:
            continue
        forced = [t.id for t in result.tokens[:index]] + [alternative.id]
        columns[number % 5].button(
            visible(alternative.token), key=f"lm_alt_{index}_{number}", width="stretch",
            on_click=steer, args=(forced, (index + 1, visible(alternative.token))),
        )


def steer(forced: list[int], note: tuple[int, str]) -> None:
    """Button callback: the next run continues the text from the user's token."""
    st.session_state["lm_forced"] = forced
    st.session_state["lm_steer_note"] = note


def tokens_view(result: lm.LMResult) -> None:
    vocab = 262_144
    st.markdown(ui.tr("lm.tokens_intro", n=len(result.prompt_tokens), vocab=vocab))
    frame = pd.DataFrame(
        {
            ui.tr("lm.col.token"): [visible(t.token) for t in result.prompt_tokens],
            ui.tr("lm.col.id"): [t.id for t in result.prompt_tokens],
            ui.tr("lm.col.chars"): [f"{t.start}–{t.end}" for t in result.prompt_tokens],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", height=240)


def attention_view(result: lm.LMResult) -> None:
    if not result.attention:
        return
    labels = [f"{i}:{visible(t)}" for i, t in enumerate(result.attention["tokens"], start=result.attention["offset"])]
    st.caption(ui.tr("lm.attention_intro", n=len(labels)))
    columns = st.columns(2)
    for head_index, head in enumerate(result.attention["heads"]):
        cells = [(labels[k], labels[q], w) for q, row in enumerate(head) for k, w in enumerate(row) if k <= q]
        chart = charts.heatmap(
            cells, labels, x_title=ui.tr("lm.key"), y_title=ui.tr("lm.query"), colour_title=ui.tr("lm.weight"), title=ui.tr("lm.head", index=head_index + 1)
        )
        columns[head_index % 2].vega_lite_chart(chart, width="stretch")


@st.fragment
def writer(model_id: str) -> None:
    """Inputs and results in one fragment: a click reruns only this part of the page."""
    ui.show_notices(st.session_state.get("lm_url_notices", []))
    st.caption(ui.tr("common.samples"))
    sample = ui.sample_buttons([(ui.tr(key), text) for key, text in SAMPLES], key="lm_sample")
    if sample is not None:
        st.session_state["lm_prompt"] = sample
        st.session_state.pop("lm_forced", None)
    prompt = st.text_area(ui.tr("lm.prompt_label"), key="lm_prompt", placeholder=ui.tr("lm.prompt_placeholder"), height=100)
    with st.expander(ui.tr("lm.settings"), icon=":material/tune:", expanded=True):
        left, middle, right = st.columns(3)
        max_new = left.slider(ui.tr("lm.max_new_tokens"), lm.MIN_NEW_TOKENS, lm.MAX_NEW_TOKENS, key="lm_max_new_tokens")
        temperature = middle.slider(ui.tr("lm.temperature"), 0.0, lm.MAX_TEMPERATURE, step=0.05, key="lm_temperature", help=ui.tr("lm.temperature_help"))
        seed = right.number_input(ui.tr("lm.seed"), 0, lm.MAX_SEED, step=1, key="lm_seed")
        top_k = left.number_input(ui.tr("lm.top_k"), 0, lm.MAX_TOP_K, step=1, key="lm_top_k", help=ui.tr("lm.top_k_help"))
        top_p = middle.slider(ui.tr("lm.top_p"), 0.01, 1.0, step=0.01, key="lm_top_p", help=ui.tr("lm.top_p_help"))
        compare = right.toggle(ui.tr("lm.compare"), value=True, key="lm_compare")
    settings = {"max_new_tokens": max_new, "temperature": temperature, "top_k": top_k, "top_p": top_p, "seed": seed}
    forced = tuple(st.session_state.get("lm_forced", ()))
    clicked = st.button(ui.tr("lm.generate"), type="primary", icon=":material/edit:") or sample is not None
    request = (prompt, tuple(settings.values()), forced, compare)
    results: dict = st.session_state.setdefault("lm_results", {})
    if clicked or (forced and request not in results):
        if clicked and not sample and st.session_state.get("lm_last_request", (None,))[0] != prompt:
            forced = ()
            st.session_state.pop("lm_forced", None)
            request = (prompt, tuple(settings.values()), forced, compare)
        if request not in results:
            with ui.guard():
                stream = st.empty()
                with st.spinner(ui.tr("common.loading_model")):
                    primary = lm.run(
                        prompt, **settings, forced_ids=forced, want_attention=True,
                        on_token=lambda step, text: stream.code(text, language=None, wrap_lines=True),
                        model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice(),
                    )
                    greedy = None
                    if compare and primary.settings["temperature"] > 0:
                        greedy = lm.run(prompt, **{**settings, "temperature": 0}, forced_ids=forced, model_id=model_id, cache=ui.model_cache(),
                                        on_token=lambda step, text: stream.code(text, language=None, wrap_lines=True))
                stream.empty()
                if len(results) > 8:
                    results.clear()
                results[request] = (primary, greedy)
        st.session_state["lm_last_request"] = request
    shown = results.get(st.session_state.get("lm_last_request"))
    if shown is None:
        return
    primary, greedy = shown
    ui.show_notices(primary.notices)
    note = st.session_state.get("lm_steer_note")
    if forced and note:
        st.info(ui.tr("lm.steered", index=note[0], token=note[1]), icon=":material/alt_route:")
    sampled_title = ui.tr("lm.sampled_title", **primary.settings) if primary.settings["temperature"] > 0 else ui.tr("lm.greedy_title")
    if greedy is not None:
        left, right = st.columns(2)
        with left:
            show_text(greedy, ui.tr("lm.greedy_title"))
        with right:
            show_text(primary, sampled_title)
    else:
        show_text(primary, sampled_title)
        if compare:
            st.caption(ui.tr("lm.greedy_when_zero"))
    ui.show_latency(primary.latency_ms)
    steps, tokens, attention = st.tabs([ui.tr("lm.tab_steps"), ui.tr("lm.tab_tokens"), ui.tr("lm.tab_attention")])
    with steps:
        steps_view(primary)
    with tokens:
        tokens_view(primary)
    with attention:
        attention_view(primary)


lang = ui.setup_page("lm")
st.session_state.setdefault("lm_url_notices", settings_from_url())
for key, default in zip(SETTING_KEYS, (lm.DEFAULT_NEW_TOKENS, 0.8, 40, 0.95, 0)):
    st.session_state.setdefault(f"lm_{key}", default)
st.session_state.setdefault("lm_prompt", SAMPLES[1][1])
model_id = ui.model_selector("lm")
st.warning(ui.tr("lm.limits"), icon=":material/warning:")
st.caption(ui.tr("lm.licence_note"))
writer(model_id)
ui.how_it_works("lm")

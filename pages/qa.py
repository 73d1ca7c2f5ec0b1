"""Question-answering page: a passage, a question, the answer highlighted in the passage."""

import html

import pandas as pd
import streamlit as st

from dl_apps.tasks import qa
from dl_apps.tasks.qa import evaluate as qa_evaluate
from dl_apps.ui import page as ui

# Our own markup only: every piece of user text inside it goes through html.escape.
STYLE = """
<style>
mark.qa-answer { background: #ffd54f; color: #000; padding: 0 .15em; border-radius: .2em; font-weight: 600; }
span.qa-sentence { text-decoration: underline; text-decoration-color: #0072b2; text-decoration-thickness: 2px; text-underline-offset: 3px; }
div.qa-passage { line-height: 1.7; max-height: 28rem; overflow-y: auto; }
div.qa-answer-box { font-size: 1.35rem; font-weight: 600; padding: .4rem .8rem; border-left: .35rem solid #ffd54f; margin: .3rem 0 .6rem 0; }
</style>
"""
DEFAULT_MAX_ANSWER_TOKENS = 30


def choose_sample() -> str | None:
    """Passage buttons, then that passage's question buttons; returns the question to run now.

    A sample run is also reachable by link (``?lang=fr&sample=mont_blanc&q=1``): the URL
    keeps the chosen sample and question, so a copied link reproduces the view.
    """
    samples = {passage["id"]: passage for passage in qa.samples()}
    linked = link_request(samples)
    st.caption(ui.tr("qa.samples"))
    chosen = ui.sample_buttons([(ui.tr(f"qa.sample.{pid}"), pid) for pid in samples], key="qa_passage")
    if chosen is not None:
        st.session_state["qa_context"] = samples[chosen]["context"]
        st.session_state["qa_sample"] = chosen
        st.session_state.pop("qa_last", None)
        st.session_state.pop("qa_request", None)
        st.query_params["sample"] = chosen
        st.query_params.pop("q", None)
    current = samples.get(st.session_state.get("qa_sample", ""))
    if current is None or st.session_state.get("qa_context") != current["context"]:
        return linked
    st.caption(ui.tr("qa.sample_questions"))
    clicked = None
    columns = st.columns(2)  # questions are long: two per row keeps them readable
    for index, item in enumerate(current["questions"]):
        if columns[index % 2].button(item["question"], key=f"qa_question_{current['id']}_{index}", width="stretch"):
            clicked = index
    st.caption(ui.tr("qa.cross_lingual_tip"))
    if clicked is None:
        return linked
    question = current["questions"][clicked]["question"]
    st.session_state["qa_question"] = question
    st.query_params["sample"] = current["id"]
    st.query_params["q"] = str(clicked)
    st.session_state["qa_link_done"] = (current["id"], str(clicked))
    return question


def link_request(samples: dict) -> str | None:
    """The sample question named by the URL (``sample`` and ``q``), once per link."""
    sample_id, index = st.query_params.get("sample"), st.query_params.get("q")
    if sample_id not in samples or index is None or st.session_state.get("qa_link_done") == (sample_id, index):
        return None
    st.session_state["qa_link_done"] = (sample_id, index)
    try:
        question = samples[sample_id]["questions"][int(index)]["question"]
    except (ValueError, IndexError):
        return None
    st.session_state["qa_context"] = samples[sample_id]["context"]
    st.session_state["qa_sample"] = sample_id
    st.session_state["qa_question"] = question
    return question


def expected_answer(context: str, question: str) -> str | None:
    for passage in qa.samples():
        if passage["context"] == context:
            for item in passage["questions"]:
                if item["question"] == question:
                    return item["answer"]
    return None


def show_result(result: qa.QAResult, context: str, question: str) -> None:
    ui.show_notices(result.notices)
    if result.end <= result.start:
        st.warning(ui.tr("qa.no_answer"), icon=":material/help:")
        return
    st.markdown(f'<div class="qa-answer-box">{html.escape(result.answer)}</div>', unsafe_allow_html=True)
    st.progress(min(1.0, max(0.0, result.score)), text=f"{ui.tr('qa.score')}: {result.score:.0%}")
    if result.unsure:
        st.warning(ui.tr("qa.unsure", score=result.score), icon=":material/help:")
    expected = expected_answer(context, question)
    if expected:
        st.caption(ui.tr("qa.expected", answer=expected))
    if result.question_type:
        st.caption(ui.tr("qa.question_type", kind=ui.tr(f"qa.type.{result.question_type}")))
    ui.show_result_latency(result)

    st.subheader(ui.tr("qa.in_passage"))
    sentences = [(s.start, s.end) for s in result.retrieved[: st.session_state.get("qa_top_sentences", qa.default_top_sentences(result.model))]]
    window = qa.answer_window(context, result.start, result.end)
    with st.container(border=True):
        body = qa.highlight_html(context, result.start, result.end, window=window, sentences=sentences)
        st.markdown(f'<div class="qa-passage">{body}</div>', unsafe_allow_html=True)
    if sentences:
        st.caption(ui.tr("qa.legend"))
    if window != (0, len(context)):
        with st.expander(ui.tr("qa.full_passage")):
            full = qa.highlight_html(context, result.start, result.end, sentences=sentences)
            st.markdown(f'<div class="qa-passage">{full}</div>', unsafe_allow_html=True)

    if result.alternatives:
        st.subheader(ui.tr("qa.alternatives"))
        frame = pd.DataFrame(
            {
                ui.tr("qa.col.answer"): [a.text for a in result.alternatives[:3]],
                ui.tr("qa.col.score"): [a.score for a in result.alternatives[:3]],
                ui.tr("qa.col.kind"): [ui.tr(f"qa.kind.{a.kind}") if a.kind else "" for a in result.alternatives[:3]],
            }
        )
        st.dataframe(
            frame, hide_index=True, width="stretch",
            column_config={ui.tr("qa.col.score"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")},
        )
    if result.retrieved:
        st.subheader(ui.tr("qa.retrieval"))
        frame = pd.DataFrame(
            {
                ui.tr("qa.col.rank"): list(range(1, len(result.retrieved) + 1)),
                ui.tr("qa.col.similarity"): [s.score for s in result.retrieved],
                ui.tr("qa.col.sentence"): [context[s.start : s.end][:300] for s in result.retrieved],
            }
        )
        st.dataframe(
            frame, hide_index=True, width="stretch",
            column_config={ui.tr("qa.col.similarity"): st.column_config.ProgressColumn(min_value=0.5, max_value=1.0, format="%.3f")},
        )


def measured_caption() -> None:
    """The held-out figures that chose the default reader (written by the evaluation's ``compare --write``)."""
    readers = qa_evaluate.measured_readers()
    rows = "; ".join(ui.tr("qa.measured_row", model=r["model"], matched=r["matched"], p50=r["p50_ms"]) for r in readers)
    why = "qa.measured_default" if qa_evaluate.default_follows_measurements() else "qa.server_default"
    st.caption(ui.tr("qa.measured", questions=readers[0]["questions"], rows=rows) + " " + ui.tr(why))


@st.fragment
def qa_panel(model_id: str) -> None:
    """Samples, passage, question and answer: a click reruns only this part (the settings below rerun the page)."""
    sample_question = choose_sample()
    context_text = st.text_area(ui.tr("qa.context_label"), key="qa_context", placeholder=ui.tr("qa.context_placeholder"), height=180)
    # The browser stops files over 10 MB; between 1 and 10 MB our check gives a translated message.
    upload = st.file_uploader(ui.tr("qa.upload"), type=["txt"], key="qa_upload", max_upload_size=10)
    question = st.text_input(ui.tr("qa.question_label"), key="qa_question", placeholder=ui.tr("qa.question_placeholder"))

    if st.button(ui.tr("qa.ask"), type="primary", icon=":material/search:") or sample_question is not None:
        st.session_state.pop("qa_request", None)
        st.session_state.pop("qa_last", None)
        with ui.guard():
            data = ui.uploaded_bytes(upload, qa.MAX_UPLOAD_BYTES)
            context = qa.context_from_upload(data) if data is not None else context_text
            qa.validate(question, context)  # bad input: a clear message now, nothing kept
            st.session_state["qa_request"] = (question, context)

    # The answer is recomputed when the model or a "How it works" setting changes, so
    # students see the effect of a setting at once on the same question.
    settings = {
        "unsure_below": st.session_state.get("qa_unsure", qa.UNSURE_BELOW),
        "top_sentences": st.session_state.get("qa_top_sentences", qa.default_top_sentences(model_id)),
        "max_answer_tokens": st.session_state.get("qa_max_answer_tokens", DEFAULT_MAX_ANSWER_TOKENS),
    }
    request = st.session_state.get("qa_request")
    if request is not None:
        asked, passage = request
        run_key = (asked, passage, model_id, tuple(sorted(settings.items())))
        last = st.session_state.get("qa_last")
        if last is None or last[0] != run_key:
            st.session_state.pop("qa_last", None)
            with ui.guard(), st.spinner(ui.tr("common.loading_model")):
                result = qa.run(asked, passage, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice(), **settings)
                st.session_state["qa_last"] = (run_key, result)
        if "qa_last" in st.session_state:
            with ui.guard():
                show_result(st.session_state["qa_last"][1], passage[: qa.MAX_CONTEXT_CHARS], asked)


lang = ui.setup_page("qa")
model_id = ui.model_selector("qa")
measured_caption()
st.markdown(STYLE, unsafe_allow_html=True)

qa_panel(model_id)

with st.expander(ui.tr("common.how_it_works"), icon=":material/school:"):
    st.markdown(ui.tr("qa.how"))
    st.markdown(f"**{ui.tr('qa.settings')}**")
    st.slider(ui.tr("qa.top_sentences"), 1, 6, qa.default_top_sentences(model_id), key="qa_top_sentences", help=ui.tr("qa.top_sentences_help"))
    st.slider(ui.tr("qa.unsure_threshold"), 0.0, 1.0, qa.UNSURE_BELOW, 0.05, key="qa_unsure")
    st.slider(ui.tr("qa.max_answer_tokens"), 5, 60, DEFAULT_MAX_ANSWER_TOKENS, key="qa_max_answer_tokens")

"""Sentiment analysis page: one text (with the VADER baseline beside it) or a batch of texts."""

import pandas as pd
import streamlit as st

from dl_apps.registry import load_registry
from dl_apps.tasks import sentiment
from dl_apps.ui import charts
from dl_apps.ui import page as ui

BASELINE_ID = load_registry().model_with_role("sentiment", "baseline").id  # a role in the manifest, not an id here
LABEL_COLOURS = {"negative": "#d55e00", "neutral": "#999999", "positive": "#0072b2"}  # colour-blind safe
SAMPLES = [
    ("sentiment.sample.en_pos", "The workshop was fantastic, I learned so much and the team was lovely!"),
    ("sentiment.sample.en_neg", "Worst customer service ever. Three hours on hold and nobody helped me."),
    ("sentiment.sample.en_neg_tricky", "The food was not good at all, and I won't be coming back."),
    ("sentiment.sample.fr_pos", "Quelle formation géniale, les explications étaient claires et passionnantes !"),
    ("sentiment.sample.fr_neg", "Je suis très déçu, le colis est arrivé cassé et personne ne répond."),
    ("sentiment.sample.fr_neu", "La réunion est prévue jeudi à 14 heures dans la salle B."),
]


def label_name(label: str) -> str:
    return ui.tr(f"sentiment.label.{label}")


def scores_chart(scores: dict[str, float]) -> dict:
    """Horizontal bars, one per label, in the label's colour (a Vega-Lite spec: cheap to rebuild on a rerun)."""
    return charts.probability_bars(scores, labels={k: label_name(k) for k in sentiment.LABELS}, colours=LABEL_COLOURS, order=sentiment.LABELS)


def show_result(result: sentiment.SentimentResult) -> None:
    st.markdown(ui.tr("sentiment.verdict", label=label_name(result.label), score=result.scores[result.label]))
    st.caption(ui.tr("sentiment.probabilities"))
    st.vega_lite_chart(scores_chart(result.scores), width="stretch")
    ui.show_latency(result.latency_ms)


@st.fragment
def single_text(model_id: str) -> None:
    """One text: samples, text box, the result beside the baseline. A click reruns only this part."""
    st.caption(ui.tr("common.samples"))
    sample = ui.sample_buttons([(ui.tr(key), text) for key, text in SAMPLES], key="sentiment_sample")
    if sample is not None:
        st.session_state["sentiment_text"] = sample
    text = st.text_area(ui.tr("sentiment.text_label"), key="sentiment_text", placeholder=ui.tr("sentiment.text_placeholder"), height=110)
    compare = st.toggle(ui.tr("sentiment.compare_baseline"), value=True, disabled=model_id == BASELINE_ID)
    if st.button(ui.tr("sentiment.analyse"), type="primary", icon=":material/play_arrow:") or sample is not None:
        with ui.guard():
            with st.spinner(ui.tr("common.loading_model")):
                st.session_state["sentiment_last"] = ui.session_result(
                    "sentiment", (model_id, text, compare), lambda: analyse(text, model_id, compare)
                )
    if "sentiment_last" in st.session_state:
        result, baseline = st.session_state["sentiment_last"]
        ui.show_notices(result.notices)
        if baseline is None:
            show_result(result)
        else:
            left, right = st.columns(2)
            with left:
                st.markdown(f"**{ui.model_title(result.model)}**")
                show_result(result)
            with right:
                st.markdown(f"**{ui.tr('sentiment.baseline_title')}**")
                show_result(baseline)
            st.info(ui.tr("sentiment.agree" if baseline.label == result.label else "sentiment.disagree"), icon=":material/compare_arrows:")
            st.caption(ui.tr("sentiment.baseline_english_only"))


def analyse(text: str, model_id: str, compare: bool) -> tuple[sentiment.SentimentResult, sentiment.SentimentResult | None]:
    """The chosen model's result and, if asked, the baseline's, for one text."""
    result = sentiment.run(text, model_id=model_id, cache=ui.model_cache(), on_queue=ui.queue_notice())
    baseline = sentiment.run(text, model_id=BASELINE_ID, cache=ui.model_cache()) if compare and model_id != BASELINE_ID else None
    return result, baseline


@st.fragment
def batch_of_texts(model_id: str) -> None:
    """Many lines or a TXT/CSV file → a label per line, a chart of the counts and a CSV download."""
    st.caption(ui.tr("sentiment.batch_help", limit=sentiment.MAX_BATCH_LINES))
    pasted = st.text_area(ui.tr("sentiment.batch_text"), key="sentiment_batch_text", height=150)
    upload = st.file_uploader(ui.tr("sentiment.batch_upload"), type=["txt", "csv"], key="sentiment_batch_file")
    if st.button(ui.tr("sentiment.batch_run"), type="primary", icon=":material/playlist_play:"):
        st.session_state.pop("sentiment_batch_last", None)
        with ui.guard():
            data = ui.uploaded_bytes(upload, sentiment.MAX_UPLOAD_BYTES)
            texts = sentiment.texts_from_upload(upload.name, data) if data is not None else pasted.splitlines()
            bar = st.progress(0.0)
            result = sentiment.run_batch(
                texts,
                model_id=model_id,
                cache=ui.model_cache(),
                on_queue=ui.queue_notice(),
                progress=lambda done: bar.progress(done, text=ui.tr("sentiment.progress", done=done)),
            )
            bar.empty()
            st.session_state["sentiment_batch_last"] = (model_id, result)
    last = st.session_state.get("sentiment_batch_last")
    if last is not None and last[0] == model_id:  # kept, so that the table outlives the download's rerun
        show_batch(last[1])


def show_batch(result) -> None:
    """A batch result: notices, the counts chart, the table and its CSV download (written on the click)."""
    ui.show_notices(result.notices)
    st.success(ui.tr("sentiment.batch_summary", n=len(result.rows), seconds=result.latency_ms / 1000))
    frame = pd.DataFrame(
        {
            ui.tr("sentiment.col.text"): [row.text for row in result.rows],
            ui.tr("sentiment.col.label"): [label_name(row.label) for row in result.rows],
            ui.tr("sentiment.col.confidence"): [row.scores[row.label] for row in result.rows],
        }
    )
    counts = result.label_counts()
    st.caption(ui.tr("sentiment.batch_counts"))
    st.vega_lite_chart(scores_chart({k: v / max(1, len(result.rows)) for k, v in counts.items()}), width="stretch")
    st.dataframe(frame, hide_index=True, width="stretch", column_config={ui.tr("sentiment.col.confidence"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent")})
    st.download_button(ui.tr("sentiment.batch_download"), lambda: frame.to_csv(index=False).encode("utf-8"), file_name="sentiment.csv", mime="text/csv", icon=":material/download:")
    ui.show_latency(result.latency_ms)


lang = ui.setup_page("sentiment")
model_id = ui.model_selector("sentiment")
single, batch = st.tabs([ui.tr("sentiment.tab_single"), ui.tr("sentiment.tab_batch")])
with single:
    single_text(model_id)
with batch:
    batch_of_texts(model_id)

ui.how_it_works("sentiment")

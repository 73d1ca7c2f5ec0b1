"""CNN on digits page: train a small CNN and a plain MLP live, then look at filters, feature maps and errors."""

import numpy as np
import pandas as pd
import streamlit as st

from dl_apps.media.image import MAX_UPLOAD_BYTES, load_image
from dl_apps.registry import load_registry
from dl_apps.tasks import cnn
from dl_apps.tasks.playground import render
from dl_apps.ui import page as ui

TRAINER = "cnn_trainer"
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "gif"]


def enlarge(values: np.ndarray, size: int) -> np.ndarray:
    return render.unit_image(values, size)


def grey(image: np.ndarray, size: int = 84) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((size, size), Image.NEAREST))


def accuracy_frame(trainer) -> pd.DataFrame:
    return pd.DataFrame(
        {ui.tr("cnn.series_cnn"): trainer.accuracy, ui.tr("cnn.series_mlp"): trainer.mlp_accuracy},
        index=pd.Index(range(1, trainer.epoch + 1), name=ui.tr("cnn.epoch")),
    )


@st.fragment
def trainer_view() -> None:
    epochs = st.slider(ui.tr("cnn.epochs"), 1, cnn.MAX_EPOCHS, cnn.DEFAULT_EPOCHS, key="cnn_epochs")
    chart = st.empty()
    if st.button(ui.tr("cnn.train"), type="primary", icon=":material/model_training:", key="cnn_train"):
        with ui.guard():
            trainer = cnn.DigitTrainer(seed=0)
            status = st.progress(0.0, text=ui.tr("cnn.training", epoch=1, total=epochs))

            def after_epoch(current) -> None:
                status.progress(current.epoch / epochs, text=ui.tr("cnn.training", epoch=min(current.epoch + 1, epochs), total=epochs))
                chart.line_chart(accuracy_frame(current), height=240)

            cnn.train_epochs(trainer, epochs, cache=ui.model_cache(), on_queue=ui.queue_notice(), on_epoch=after_epoch)
            status.empty()
            st.session_state[TRAINER] = trainer
    trainer = st.session_state.get(TRAINER)
    if trainer is None:
        st.info(ui.tr("cnn.not_trained"), icon=":material/play_circle:")
        return
    st.caption(ui.tr("cnn.accuracy_chart"))
    chart.line_chart(accuracy_frame(trainer), height=240)
    result = trainer.result()
    st.subheader(ui.tr("cnn.compare"))
    rows = [
        (ui.tr("cnn.row.cnn"), result.parameters, result.test_accuracy, result.seconds),
        (ui.tr("cnn.row.mlp"), result.mlp_parameters, result.mlp_accuracy[-1], result.mlp_seconds),
    ]
    if result.reference:
        ref = result.reference
        rows.append((ui.tr("cnn.row.reference", epochs=ref["epochs"]), ref["parameters"], ref["test_accuracy"], ref["train_seconds"]))
    table = pd.DataFrame(rows, columns=[ui.tr(f"cnn.col.{c}") for c in ("network", "parameters", "accuracy", "seconds")])
    st.dataframe(table, hide_index=True, width="stretch", column_config={ui.tr("cnn.col.accuracy"): st.column_config.NumberColumn(format="percent")})
    st.caption(ui.tr("cnn.compare_caption"))

    st.subheader(ui.tr("cnn.filters"))
    filters = trainer.filters()
    st.image([enlarge(f, 64) for f in filters], width=64)
    st.caption(ui.tr("cnn.filters_caption"))

    st.subheader(ui.tr("cnn.maps"))
    index = st.number_input(ui.tr("cnn.digit_index"), 0, len(trainer.test_images) - 1, 0, key="cnn_digit")
    digit = trainer.test_images[int(index)]
    upload = st.file_uploader(ui.tr("cnn.upload"), type=UPLOAD_TYPES, key="cnn_upload")
    if upload is not None:
        with ui.guard():
            digit = cnn.digit_from_image(load_image(ui.uploaded_bytes(upload, MAX_UPLOAD_BYTES))[0])
    scores = trainer.predict(digit)
    best = max(scores, key=scores.get)
    left, right = st.columns([1, 4])
    left.image(grey(digit), width=84)
    right.markdown(ui.tr("cnn.answer", digit=best, score=scores[best]))
    for number, (name, maps) in enumerate(trainer.feature_maps(digit), start=1):
        st.caption(ui.tr("cnn.layer", n=number, name=name, channels=maps.shape[0], size=maps.shape[1]))
        st.image([enlarge(m, 48) for m in maps], width=48)
    st.caption(ui.tr("cnn.maps_caption"))

    st.subheader(ui.tr("cnn.confusion"))
    matrix = pd.DataFrame(trainer.confusion(), index=[str(d) for d in range(10)], columns=[str(d) for d in range(10)])
    st.dataframe(matrix.style.background_gradient(cmap="Blues", axis=None), width="content")
    st.subheader(ui.tr("cnn.mistakes"))
    mistakes = trainer.worst_mistakes()
    st.image(
        [grey(trainer.test_images[m["index"]]) for m in mistakes],
        caption=[ui.tr("cnn.mistake", true=m["true"], guess=m["guess"], confidence=m["confidence"]) for m in mistakes],
        width=84,
    )


lang = ui.setup_page("cnn")
ui.model_card(load_registry().default_for("cnn"))
trainer_view()
ui.how_it_works("cnn")

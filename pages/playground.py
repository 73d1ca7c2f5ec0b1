"""Neural network playground page: build a small network, train it live, watch the boundary move.

The configuration lives in the URL (parsed by the library, which clamps absurd values
with a notice); the training state lives in this session (a ``Trainer``).  While it
trains, a fragment re-runs every REFRESH_S seconds: it trains one short chunk (holding
one of the cache's slots) and redraws — the rest of the page is not re-run.
"""

import pandas as pd
import streamlit as st

from dl_apps.registry import load_registry
from dl_apps.tasks import playground
from dl_apps.tasks.playground import config as pg
from dl_apps.tasks.playground import data, render
from dl_apps.ui import page as ui

REFRESH_S = 0.6
EPOCHS_PER_TICK = 40
CONFIG = "playground_config"
TRAINER = "playground_trainer"
RUNNING = "playground_running"
LESSON = "playground_lesson"


# ------------------------------------------------------------------- state
def set_widgets(config: pg.PlaygroundConfig) -> None:
    """Put ``config`` into the widgets' session keys (before the widgets are drawn)."""
    state = st.session_state
    state["pg_dataset"] = config.dataset
    state["pg_noise"] = config.noise
    state["pg_train"] = config.train
    state["pg_features"] = list(config.features)
    state["pg_layers"] = len(config.hidden)
    for index in range(pg.MAX_LAYERS):
        state[f"pg_units_{index}"] = config.hidden[index] if index < len(config.hidden) else 4
    state["pg_activation"] = config.activation
    state["pg_lr"] = config.lr
    state["pg_batch"] = config.batch
    state["pg_optimizer"] = config.optimizer
    state["pg_l2"] = config.l2
    state["pg_dropout"] = config.dropout
    state["pg_bn"] = config.bn
    state["pg_seed"] = config.seed
    state["pg_epochs"] = config.epochs


def config_from_widgets() -> pg.PlaygroundConfig:
    state = st.session_state
    layers = int(state["pg_layers"])
    raw = {
        "dataset": state["pg_dataset"],
        "noise": state["pg_noise"],
        "train": state["pg_train"],
        "features": ",".join(state["pg_features"] or []),
        "hidden": ",".join(str(state[f"pg_units_{i}"]) for i in range(layers)),
        "activation": state["pg_activation"],
        "lr": state["pg_lr"],
        "batch": state["pg_batch"],
        "optimizer": state["pg_optimizer"],
        "l2": state["pg_l2"],
        "dropout": state["pg_dropout"],
        "bn": state["pg_bn"],
        "seed": state["pg_seed"],
        "epochs": state["pg_epochs"],
    }
    return pg.parse_config(raw)[0]


def use_config(config: pg.PlaygroundConfig, start: bool = False) -> None:
    """Make ``config`` the session's set-up: widgets, URL, a fresh network."""
    set_widgets(config)
    st.session_state[CONFIG] = config
    st.session_state.pop(TRAINER, None)
    st.session_state[RUNNING] = start


def load_lesson(name: str, fixed: bool) -> None:
    use_config(playground.lesson_config(name, fixed=fixed, seed=int(st.session_state.get("pg_seed", 0))), start=True)
    st.session_state[LESSON] = (name, fixed)


def trainer() -> playground.Trainer:
    """This session's trainer, built on first use (the network is tiny; torch is imported here)."""
    current = st.session_state.get(TRAINER)
    if current is None or current.config.architecture_key() != st.session_state[CONFIG].architecture_key():
        current = playground.Trainer(st.session_state[CONFIG])
        st.session_state[TRAINER] = current
    current.config = st.session_state[CONFIG]  # the run length may change without a reset
    return current


def press_train() -> None:
    st.session_state[RUNNING] = True


def press_pause() -> None:
    st.session_state[RUNNING] = False


def press_reset() -> None:
    st.session_state.pop(TRAINER, None)
    st.session_state[RUNNING] = False


# ------------------------------------------------------------------ layout
lang = ui.setup_page("playground")
spec = load_registry().default_for("playground")
ui.model_card(spec)

if CONFIG not in st.session_state:  # first view of this session: the URL's set-up
    raw = {key: st.query_params.get_all(key) for key in pg.KEYS if key in st.query_params}
    first, url_notices = pg.parse_config(raw)
    use_config(first)
    st.session_state["playground_url_notices"] = url_notices
ui.show_notices(st.session_state.get("playground_url_notices", []))

st.caption(ui.tr("playground.lessons"))
lesson_columns = st.columns(len(playground.LESSONS))
for column, name in zip(lesson_columns, playground.LESSONS):
    column.button(ui.tr(f"playground.lesson.{name}"), key=f"pg_lesson_{name}", width="stretch", on_click=load_lesson, args=(name, False))
if LESSON in st.session_state:
    name, fixed = st.session_state[LESSON]
    st.info(ui.tr(f"playground.lesson_text.{name}"), icon=":material/school:")
    if not fixed:
        st.button(ui.tr("playground.try_fix"), key="pg_fix", icon=":material/build:", on_click=load_lesson, args=(name, True))

data_col, net_col, train_col = st.columns(3)
with data_col:
    st.subheader(ui.tr("playground.data"))
    st.selectbox(ui.tr("playground.dataset"), data.DATASETS, format_func={d: ui.tr(f"playground.dataset.{d}") for d in data.DATASETS}.__getitem__, key="pg_dataset")
    st.slider(ui.tr("playground.noise"), 0.0, 1.0, step=0.05, key="pg_noise")
    st.slider(ui.tr("playground.train_share"), 0.1, 0.9, step=0.05, key="pg_train")
    st.pills(
        ui.tr("playground.features"),
        data.FEATURES,
        selection_mode="multi",
        format_func=data.FEATURE_LABELS.__getitem__,
        key="pg_features",
        help=ui.tr("playground.features_help"),
    )
with net_col:
    st.subheader(ui.tr("playground.network"))
    layers = st.slider(ui.tr("playground.layers"), 0, pg.MAX_LAYERS, key="pg_layers")
    unit_columns = st.columns(2)
    for index in range(layers):
        unit_columns[index % 2].slider(ui.tr("playground.units", n=index + 1), 1, pg.MAX_UNITS, key=f"pg_units_{index}")
    st.segmented_control(ui.tr("playground.activation"), pg.ACTIVATIONS, key="pg_activation")
    st.toggle(ui.tr("playground.bn"), key="pg_bn")
    st.slider(ui.tr("playground.dropout"), 0.0, 0.8, step=0.05, key="pg_dropout")
with train_col:
    st.subheader(ui.tr("playground.training"))
    st.number_input(ui.tr("playground.lr"), min_value=0.0001, max_value=10.0, step=0.01, format="%.4f", key="pg_lr")
    st.number_input(ui.tr("playground.batch"), min_value=1, max_value=400, step=1, key="pg_batch")
    st.selectbox(ui.tr("playground.optimizer"), pg.OPTIMIZERS, format_func={o: ui.tr(f"playground.optimizer.{o}") for o in pg.OPTIMIZERS}.__getitem__, key="pg_optimizer")
    st.number_input(ui.tr("playground.l2"), min_value=0.0, max_value=0.1, step=0.001, format="%.4f", key="pg_l2")
    seed_col, epochs_col = st.columns(2)
    seed_col.number_input(ui.tr("playground.seed"), min_value=0, max_value=pg.MAX_SEED, step=1, key="pg_seed")
    epochs_col.number_input(ui.tr("playground.epochs"), min_value=1, max_value=pg.MAX_EPOCHS, step=50, key="pg_epochs")

# A widget change is a new set-up: new network, URL updated.
wanted = config_from_widgets()
if wanted != st.session_state[CONFIG]:
    if wanted.architecture_key() != st.session_state[CONFIG].architecture_key():
        st.session_state[RUNNING] = False
        st.session_state.pop(LESSON, None)
    st.session_state[CONFIG] = wanted
for key, value in st.session_state[CONFIG].to_query().items():
    if st.query_params.get(key) != value:
        st.query_params[key] = value
st.caption(ui.tr("playground.link"))

running = bool(st.session_state.get(RUNNING))
buttons = st.columns(4)
buttons[0].button(ui.tr("playground.train"), key="pg_train_button", type="primary", icon=":material/play_arrow:", on_click=press_train, disabled=running, width="stretch")
buttons[1].button(ui.tr("playground.pause"), key="pg_pause", icon=":material/pause:", on_click=press_pause, disabled=not running, width="stretch")
step = buttons[2].button(ui.tr("playground.step"), key="pg_step", icon=":material/skip_next:", disabled=running, width="stretch")
buttons[3].button(ui.tr("playground.reset"), key="pg_reset", icon=":material/restart_alt:", on_click=press_reset, width="stretch")


# ------------------------------------------------------------------- live view
def loss_frame(history) -> pd.DataFrame:
    epochs = range(1, len(history.train_loss) + 1)
    frame = pd.DataFrame(
        {ui.tr("playground.loss_train"): history.train_loss, ui.tr("playground.loss_test"): history.test_loss},
        index=pd.Index(epochs, name=ui.tr("playground.epoch")),
    )
    if len(frame) > 400:  # keep the chart light: every k-th epoch, and the last one
        frame = pd.concat([frame.iloc[:: len(frame) // 400], frame.iloc[[-1]]])
    return frame


def number(value: float, spec: str) -> str:
    """A number in the page's language (0,681 and 56 % in French)."""
    text = format(value, spec)
    if lang == "fr":
        text = text.replace(".", ",").replace("%", "\u202f%")
    return text


def draw(current: playground.Trainer) -> None:
    history = current.history
    if current.diverged:
        st.warning(ui.tr("playground.diverged"), icon=":material/trending_up:")
    elif current.finished:
        st.info(ui.tr("playground.finished", epochs=min(current.config.epochs, pg.MAX_EPOCHS), seconds=pg.MAX_SECONDS), icon=":material/flag:")
    elif not history.train_loss:
        st.info(ui.tr("playground.not_started"), icon=":material/play_circle:")
    st.caption(ui.tr("playground.status", epoch=current.epoch, params=current.parameter_count(), seconds=current.seconds))
    metrics = st.columns(4)
    if history.train_loss:
        metrics[0].metric(ui.tr("playground.train_accuracy"), number(history.train_accuracy[-1], ".0%"))
        metrics[1].metric(ui.tr("playground.test_accuracy"), number(history.test_accuracy[-1], ".0%"))
        metrics[2].metric(ui.tr("playground.train_loss_metric"), number(history.train_loss[-1], ".3f"))
        metrics[3].metric(ui.tr("playground.test_loss_metric"), number(history.test_loss[-1], ".3f"))
    left, right = st.columns([1, 1])
    with left:
        st.markdown(f"**{ui.tr('playground.boundary')}**")
        picture = render.boundary_image(current.probabilities(), current.train_points, current.test_points, show_test=st.session_state.get("pg_show_test", True))
        st.image(picture, width=360)
        st.caption(ui.tr("playground.boundary_caption"))
    with right:
        st.markdown(f"**{ui.tr('playground.loss')}**")
        if history.train_loss:
            st.line_chart(loss_frame(history), height=300, color=["#f59322", "#0877bd"])
    st.markdown(f"**{ui.tr('playground.units_title')}**")
    st.caption(ui.tr("playground.units_caption"))
    labels = [data.FEATURE_LABELS[name] for name in current.config.features]
    st.caption(ui.tr("playground.inputs_row"))
    st.image([render.unit_image(m, 64) for m in current.input_maps()], caption=labels, width=64)
    maps = current.unit_maps()
    if not maps:
        st.caption(ui.tr("playground.no_hidden"))
    for index, layer in enumerate(maps):
        st.caption(ui.tr("playground.layer_row", n=index + 1))
        st.image([render.unit_image(m, 64) for m in layer], width=64)


@st.fragment(run_every=REFRESH_S if running else None)
def live_view() -> None:
    with ui.guard():
        current = trainer()
        if st.session_state.get(RUNNING):
            st.caption(ui.tr("playground.running"))
            report = playground.train_more(current, EPOCHS_PER_TICK, cache=ui.model_cache(), on_queue=ui.queue_notice())
            if report.finished:
                st.session_state[RUNNING] = False
                st.rerun()  # the whole page: stops the timer and re-enables the buttons
        draw(current)


if step:
    with ui.guard():
        playground.train_more(trainer(), 1, max_seconds=None, cache=ui.model_cache(), on_queue=ui.queue_notice())
st.toggle(ui.tr("playground.show_test"), value=True, key="pg_show_test")
live_view()

with st.expander(ui.tr("common.how_it_works"), icon=":material/school:"):
    st.markdown(ui.tr("playground.how", epochs=pg.MAX_EPOCHS, seconds=pg.MAX_SECONDS))

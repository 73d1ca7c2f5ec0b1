"""Helpers every demo page uses, so that pages stay thin and look alike.

A page typically reads::

    from dl_apps.ui import page as ui
    lang = ui.setup_page("sentiment")            # title, one-liner, model, licence
    model_id = ui.model_selector("sentiment")
    text = ...                                    # inputs (samples, upload, text box)
    with ui.guard():                              # bad input -> clear message, no traceback
        result = sentiment.run(text, model_id=model_id, cache=ui.model_cache(),
                               on_queue=ui.queue_notice())
        ui.show_notices(result.notices)
        ...                                       # render the result
        ui.show_latency(result.latency_ms)
    ui.how_it_works("sentiment")
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import streamlit as st

from dl_apps import shared_results
from dl_apps.cache import ModelCache, shared_cache
from dl_apps.core import InputError, check_upload
from dl_apps.registry import ModelSpec, UnknownModelError, load_registry
from dl_apps.ui.i18n import LANGUAGES, TranslationError, has, normalise_language, t

log = logging.getLogger(__name__)

LANG_KEY = "lang"


# ---------------------------------------------------------------- navigation
def _leave_legacy_pages_mode() -> None:
    """Make sure app.py's ``st.navigation`` drives the app, even on a direct link to a page.

    Streamlit 1.67 starts a process in its legacy multipage mode when a ``pages/`` folder
    sits beside the main script: a page opened by a direct link before anyone opened the
    root URL runs alone, without the app's navigation and language switch.  The mode
    flips for good once ``st.navigation`` has run, so flip it and rerun: app.py then
    builds the real navigation and runs the page the link asked for.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# ------------------------------------------------------------------ language
def current_language() -> str:
    """The language of this view: the URL's ``?lang=``, else this session's choice, else English.

    Keeps the URL and the session in step, so that a copied link reproduces the view
    even after navigating between pages (navigation drops query parameters).
    """
    _leave_legacy_pages_mode()
    from_url = st.query_params.get(LANG_KEY)
    lang = normalise_language(from_url or st.session_state.get(LANG_KEY))
    st.session_state[LANG_KEY] = lang
    if from_url != lang:
        st.query_params[LANG_KEY] = lang
    return lang


def tr(key: str, **params: Any) -> str:
    """Translate ``key`` into the current view's language.

    Pages call :func:`current_language` (directly or via setup_page) once per run, which
    settles the language in the session; every later string just reads it from there.
    """
    return t(key, view_language(), **params)


def view_language() -> str:
    """The language already settled for this run (see :func:`current_language`)."""
    return normalise_language(st.session_state.get(LANG_KEY) or current_language())


def language_switch() -> str:
    """The EN/FR switch in the sidebar; returns the language chosen."""
    lang = current_language()
    labels = {"en": "English", "fr": "Français"}
    choice = st.sidebar.segmented_control(
        t("common.language", lang),
        options=list(LANGUAGES),
        format_func=lambda code: labels[code],
        default=lang,
        key="language_switch",
    )
    choice = normalise_language(choice or lang)
    if choice != lang:
        st.session_state[LANG_KEY] = choice
        st.query_params[LANG_KEY] = choice
        st.rerun()
    return choice


# Visitors whose system asks for reduced motion (an accessibility setting) get no CSS animations or
# transitions and no animated "running" icon (the Stop button stays): on a machine without a GPU
# every animation frame is drawn in software, for as long as the page waits for its script
# (`bench load --reduced-motion` measures the difference).
REDUCED_MOTION_CSS = """<style>
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; }
  [data-testid="stStatusWidgetRunningIcon"] { display: none !important; }
}
</style>"""


def respect_reduced_motion() -> None:
    """Add the hub's reduced-motion style to the page (a constant stylesheet, no user text; no visible element)."""
    st.html(REDUCED_MOTION_CSS)


# --------------------------------------------------------------------- cache
@st.cache_resource(show_spinner=False)
def _cache_resource() -> ModelCache:
    return shared_cache()


def model_cache() -> ModelCache:
    """The one model cache of this Streamlit process (shared by every session)."""
    return _cache_resource()


def queue_notice() -> Callable[[int], None]:
    """A callback for ``on_queue``: tells the user they are waiting, and where in the line."""
    placeholder = st.empty()

    def notify(position: int) -> None:
        placeholder.info(tr("common.queued", position=position), icon=":material/hourglass_top:")

    return notify


# ------------------------------------------------------------------- header
def setup_page(task: str) -> str:
    """Title, one-line description and the default model's name/licence; returns the language."""
    lang = current_language()
    st.title(tr(f"{task}.title"))
    st.markdown(tr(f"{task}.tagline"))
    return lang


def model_label(spec: ModelSpec) -> str:
    """How a model is named in selectors: its title (in the view's language) and source."""
    return f"{spec.title_in(view_language())} · {tr('source.' + spec.source)}"


def model_title(model_id: str) -> str:
    """A model's human title from the registry, in the view's language (the id itself for ad-hoc hub models)."""
    try:
        return load_registry().model(model_id).title_in(view_language())
    except UnknownModelError:
        return model_id


def model_selector(task: str, key: str | None = None, include_hub: bool = True) -> str:
    """A selector over the registry's models for ``task`` (default first); returns the model id.

    Hub models are listed for users with internet; the page then says they need it.
    Below the selector: the chosen model's licence and card.
    """
    specs = load_registry().models_for(task)
    if not include_hub:
        specs = [spec for spec in specs if spec.source != "hub"]
    by_id = {spec.id: spec for spec in specs}
    labels = {spec.id: model_label(spec) for spec in specs}  # fixed now: format_func may run outside the script
    model_id = st.selectbox(tr("common.model"), options=list(by_id), format_func=labels.__getitem__, key=key or f"{task}_model")
    spec = by_id[model_id]
    if spec.source == "hub":
        st.warning(tr("common.hub_needs_internet", hub_id=spec.hub_id or spec.id), icon=":material/wifi:")
    model_card(spec)
    return model_id


def model_card(spec: ModelSpec) -> None:
    """Licence line (in the view's language) and an expander with the model card."""
    link = f" · [{tr('common.link')}]({spec.link})" if spec.link else ""
    st.caption(tr("common.licence_line", licence=spec.licence_in(view_language())) + link)
    card = spec.card_text()
    if card:
        with st.expander(tr("common.model_card"), icon=":material/description:"):
            st.markdown(card)


def how_it_works(task: str) -> None:
    """The "How it works" expander for students (text from ``<task>.how``)."""
    with st.expander(tr("common.how_it_works"), icon=":material/school:"):
        st.markdown(tr(f"{task}.how"))


# ----------------------------------------------------------------- results
def show_latency(latency_ms: float, extra: str = "") -> None:
    """A small badge with the measured inference latency."""
    text = tr("common.latency", ms=f"{latency_ms:,.0f}" if latency_ms >= 10 else f"{latency_ms:.1f}")
    st.badge(f"{text}{extra}", icon=":material/timer:", color="blue")


def show_result_latency(result: Any, extra: str = "") -> None:
    """The latency badge of a task result; a result shared by another session says so instead of "0 ms"."""
    if shared_results.is_shared(result):
        st.badge(f"{tr('common.latency_shared')}{extra}", icon=":material/group:", color="violet")
    else:
        show_latency(result.latency_ms, extra)


def show_notices(notices: Sequence[dict[str, Any]]) -> None:
    """Tell the user how their input was handled (cut, resized, ...), translated when possible."""
    for item in notices:
        key = f"notice.{item.get('code')}"
        params = {k: v for k, v in item.items() if k not in ("code", "message")}
        text = tr(key, **params) if has(key) else str(item.get("message", ""))
        st.info(text, icon=":material/info:")


def error_message(error: InputError) -> str:
    """The translated message of a user-input error."""
    key = f"error.{error.code}"
    return tr(key, **error.params) if has(key) else str(error)


@contextmanager
def guard() -> Iterator[None]:
    """Run page work; bad input becomes a clear message, any other failure a short apology.

    No traceback ever reaches the page; unexpected errors are logged on the server.
    """
    try:
        yield
    except InputError as error:
        st.warning(error_message(error), icon=":material/error:")
    except TranslationError:  # only raised in strict mode (the tests): a missing string must fail them
        raise
    except MemoryError:
        log.exception("out of memory on a page")
        st.error(tr("error.out_of_memory"), icon=":material/memory:")
    except Exception as error:  # the page must survive anything a workshop throws at it
        log.exception("unexpected error on a page")
        st.error(tr("error.unexpected", kind=type(error).__name__), icon=":material/bug_report:")


# ------------------------------------------------------------------ inputs
def sample_buttons(samples: Sequence[tuple[str, Any]], key: str) -> Any | None:
    """One button per sample, in a row; returns the value of the one clicked this run, else None."""
    columns = st.columns(min(len(samples), 4) or 1)
    chosen = None
    for index, (label, value) in enumerate(samples):
        if columns[index % len(columns)].button(label, key=f"{key}_{index}", width="stretch"):
            chosen = value
    return chosen


def uploaded_bytes(uploaded: Any, max_bytes: int) -> bytes | None:
    """Bytes of a ``st.file_uploader`` value, refusing empty or oversized files with InputError."""
    if uploaded is None:
        return None
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise InputError(
            "file_too_large",
            "The file is too large.",
            size_kb=size // 1024,
            limit_kb=max_bytes // 1024,
        )
    return check_upload(uploaded.getvalue(), max_bytes)


def is_new_upload(widget_value: Any, seen_key: str) -> bool:
    """Whether an uploader/recorder/camera value is new since the last run (so it replaces the current input)."""
    if widget_value is None:
        st.session_state.pop(seen_key, None)
        return False
    identity = getattr(widget_value, "file_id", None) or (widget_value.name, widget_value.size)
    if st.session_state.get(seen_key) == identity:
        return False
    st.session_state[seen_key] = identity
    return True


# ------------------------------------------------------------- link settings
def query_settings(schema: dict[str, Any], key: str) -> dict[str, Any]:
    """The settings of ``schema`` (name → :class:`dl_apps.ui.query.Setting`) that this page's link gives.

    Parsed once per link (a new link is parsed again), never raising: out-of-range numbers are
    clamped, unusable values replaced by the default, and the user is told so (the notices are
    shown on every run until the link changes).  Returns only the settings the link names; a
    page typically writes them into its widgets' ``st.session_state`` keys before drawing them.
    """
    from dl_apps.ui.query import parse_query

    raw = {name: st.query_params.get_all(name) for name in schema if name in st.query_params}
    signature = _query_signature(raw)
    seen_key, notices_key = f"{key}_query_seen", f"{key}_query_notices"
    if st.session_state.get(seen_key) == signature:
        show_notices(st.session_state.get(notices_key, []))
        return {}
    values, notices = parse_query(raw, schema)
    notices = [{**item, "value": escape_markdown(str(item.get("value", "")))} if "value" in item else item for item in notices]
    st.session_state[seen_key] = signature
    st.session_state[notices_key] = notices
    show_notices(notices)
    return values


def _query_signature(raw: dict[str, list[str]]) -> str:
    return repr(sorted((name, tuple(values)) for name, values in raw.items()))[:4000]


def write_query_settings(values: dict[str, Any], schema: dict[str, Any], key: str) -> None:
    """Put the page's current settings into its URL (so a copied link reproduces the view).

    The link written here is marked as already applied, so the next rerun does not read it
    back over what the user changes in the widgets meanwhile.
    """
    from dl_apps.ui.query import to_query

    st.query_params.update(to_query(values, schema))
    raw = {name: st.query_params.get_all(name) for name in schema if name in st.query_params}
    st.session_state[f"{key}_query_seen"] = _query_signature(raw)
    st.session_state[f"{key}_query_notices"] = []


MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$:")


def escape_markdown(text: str) -> str:
    """User text made inert for ``st.markdown``/``st.info`` (no links, images, HTML or formatting)."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in text)


# ------------------------------------------------------- per-session results
SESSION_RESULTS_KEPT = 16


def session_result(namespace: str, inputs: Any, compute: Callable[[], Any], kept: int = SESSION_RESULTS_KEPT) -> Any:
    """``compute()``'s result for ``inputs`` (hashable), remembered in this session (the last ``kept`` inputs).

    A rerun, a second click on the same sample or going back to an earlier input costs nothing:
    the result (and anything drawn from it) comes from the session, not from the model again.
    Exceptions are not remembered, so a bad input is re-checked next time.
    """
    store = st.session_state.setdefault(f"_results_{namespace}", {})
    if inputs in store:
        store[inputs] = store.pop(inputs)  # most recently used last
        return store[inputs]
    value = compute()
    store[inputs] = value
    while len(store) > kept:
        store.pop(next(iter(store)))
    return value


# ------------------------------------------------------- remembered inputs
class PageInput(NamedTuple):
    """The input a page is showing: where it came from, its name, its bytes and their SHA-1."""

    kind: str  # "sample", "upload", "camera", "mic", ...
    name: str
    data: bytes
    digest: str


def remember_input(key: str, kind: str, name: str, data: bytes) -> PageInput:
    """Keep the input a page shows (a sample clicked, an upload, a snapshot) across reruns, under ``key``.

    The newest choice wins: call it when a sample button is clicked or :func:`is_new_upload` says so.
    """
    value = PageInput(kind, name, data, hashlib.sha1(data).hexdigest())
    st.session_state[key] = value
    return value


def current_input(key: str) -> PageInput | None:
    """The input remembered under ``key`` by :func:`remember_input`, or None before the first choice."""
    value = st.session_state.get(key)
    return value if isinstance(value, PageInput) else None


# ------------------------------------------------------------------ webcam
LIVE_TRANSLATIONS = ("start", "stop", "select_device", "device_ask_permission", "device_not_available", "device_access_denied", "media_api_not_available")


def live_webcam(prefix: str, make_annotator: Callable[[], Any], settings: Any) -> Any | None:
    """A live webcam stream (streamlit-webrtc) whose frames go through this session's annotator.

    ``make_annotator()`` builds the callable (RGB frame → RGB frame) once per session; its
    ``settings`` are replaced on every run so the video thread reads the latest controls.
    Strings: ``<prefix>.live_unavailable``, ``<prefix>.live_help`` and ``<prefix>.live.<button>``.
    Returns the annotator (for its frame counters), or None when streamlit-webrtc is missing.
    """
    try:
        from streamlit_webrtc import WebRtcMode, webrtc_streamer
    except ImportError:
        st.info(tr(f"{prefix}.live_unavailable"), icon=":material/videocam_off:")
        return None
    state_key = f"{prefix}_live_annotator"
    if state_key not in st.session_state:
        st.session_state[state_key] = make_annotator()
    annotator = st.session_state[state_key]
    annotator.settings = settings

    def on_frame(frame: Any) -> Any:
        import av

        return av.VideoFrame.from_ndarray(annotator(frame.to_ndarray(format="rgb24")), format="rgb24")

    st.caption(tr(f"{prefix}.live_help"))
    webrtc_streamer(
        key=f"{prefix}_live",
        mode=WebRtcMode.SENDRECV,
        rtc_configuration={"iceServers": []},  # offline: direct connection on the local network, no STUN server
        media_stream_constraints={"video": True, "audio": False},
        video_frame_callback=on_frame,
        async_processing=True,  # frames arriving while the model is busy are dropped, not queued
        translations={key: tr(f"{prefix}.live.{key}") for key in LIVE_TRANSLATIONS},
    )
    return annotator

"""The hub's own fuzz suite: every uploader and text box of every page, fed bad inputs through AppTest.

Each case must end in a clear message or a result, never an exception or a traceback; after
each page's batch another session (a fresh AppTest of the sentiment page, sharing the process's
model cache as sessions of one server do) must still answer.  The inputs are generated at test
time (tests/fuzz/bad_inputs.py).  Buttons that start long work (training, compression,
generation) are not pressed here: their pages have their own bad-input tests.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dl_apps.registry import REPO_ROOT
from dl_apps.ui.i18n import t
from tests.app.conftest import assert_no_exception
from tests.fuzz import bad_inputs
from tests.fuzz.test_link_fuzz import page_files

TIMEOUT = 300
# Primary buttons whose work takes tens of seconds by design (bounded and tested on their own pages).
LONG_BUTTONS = ("train", "entraîn", "compress", "distill", "generate", "générer", "warm", "précharg", "soak")
UPLOAD_MODES = ("upload", "file")
TEXTS_PER_FIELD = 4  # empty, 1 MB, right-to-left + zero-width, script injection (see HOSTILE_TEXTS)


def fresh(page: str, lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / page), default_timeout=TIMEOUT)
    app.query_params["lang"] = lang
    return app.run()


def assert_clean(app: AppTest, what: str) -> None:
    assert not app.exception, (what, [e.value for e in app.exception])
    for error in app.error:
        assert "Traceback" not in str(error.value), what
    for element in app.markdown:
        assert "<script>" not in str(getattr(element, "value", "")), what


def press_run_buttons(app: AppTest, what: str) -> None:
    """Click every primary button of the page that does not start long work, one at a time."""
    labels = [b.label for b in app.button if b.proto.type == "primary" and not any(w in b.label.lower() for w in LONG_BUTTONS)]
    for label in dict.fromkeys(labels):
        matches = [b for b in app.button if b.label == label]
        if matches:
            matches[0].click().run()
            assert_clean(app, f"{what}, after pressing {label!r}")


def other_session_still_answers() -> None:
    app = fresh("pages/sentiment.py")
    app.button(key="sentiment_sample_0").click().run()
    assert_no_exception(app)
    result, _ = app.session_state["sentiment_last"]
    assert result.label == "positive"


def uploaders(page: str) -> list[tuple[str, list[str], tuple[str, object] | None]]:
    """Every uploader of the page: (key, accepted extensions, the radio choice that shows it, if any)."""
    app = fresh(page)
    assert_clean(app, page)
    found = {u.key: (u.key, list(u.proto.type), None) for u in app.file_uploader if u.key}
    # Radios can be driven by their options; segmented controls show formatted labels only, so the
    # usual raw value of an upload mode is tried through the session state.
    choosers = [(r.key, option) for r in app.radio if r.key for option in r.options]
    choosers += [(g.key, raw) for g in app.button_group if g.key and g.key != "language_switch" for raw in UPLOAD_MODES]
    for chooser_key, option in choosers:
        probe = AppTest.from_file(str(REPO_ROOT / page), default_timeout=TIMEOUT)
        probe.query_params["lang"] = "en"
        probe.session_state[chooser_key] = option
        probe.run()
        if probe.exception:
            continue
        if True:
            for u in probe.file_uploader:
                if u.key and u.key not in found:
                    found[u.key] = (u.key, list(u.proto.type), (chooser_key, option))
    return list(found.values())


def text_fields(page: str) -> list[tuple[str, str]]:
    app = fresh(page)
    return [("text_area", f.key) for f in app.text_area if f.key] + [("text_input", f.key) for f in app.text_input if f.key and "token" not in f.key]


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in page_files() if p.startswith("pages/")])
def test_bad_uploads_get_a_message_never_an_exception(page):
    found = uploaders(page)
    if not found:
        pytest.skip(f"{page} has no uploader")
    for key, accepted, choice in found:
        app = AppTest.from_file(str(REPO_ROOT / page), default_timeout=TIMEOUT)
        app.query_params["lang"] = "fr"
        if choice is not None:
            app.session_state[choice[0]] = choice[1]
        app.run()
        for name, data in bad_inputs.files_for(accepted).items():
            widget = [u for u in app.file_uploader if u.key == key]
            if not widget:  # the uploader sits behind a mode the first run did not show
                break
            widget[0].upload(name, data, "application/octet-stream").run()
            assert_clean(app, f"{page} {key} {name}")
            press_run_buttons(app, f"{page} {key} {name}")
    other_session_still_answers()


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in page_files() if p.startswith("pages/")])
def test_hostile_texts_get_a_message_never_an_exception(page):
    found = text_fields(page)
    if not found:
        pytest.skip(f"{page} has no text box")
    app = fresh(page, lang="fr")
    for kind, key in found:
        for text in bad_inputs.HOSTILE_TEXTS[:TEXTS_PER_FIELD] + bad_inputs.HOSTILE_TEXTS[5:6]:
            widgets = [w for w in getattr(app, kind) if w.key == key]
            if not widgets:
                break
            widgets[0].input(text).run()
            assert_clean(app, f"{page} {key} {text[:30]!r}")
            press_run_buttons(app, f"{page} {key} {text[:30]!r}")
    other_session_still_answers()


def test_generated_inputs_are_what_they_say():
    from PIL import Image
    import io

    files = bad_inputs.image_files()
    assert files["empty.png"] == b""
    with Image.open(io.BytesIO(files["animated.gif"])) as gif:
        assert gif.n_frames == 2
    import struct

    assert struct.unpack(">II", files["bomb.png"][16:24]) == (20_000, 20_000)  # read without decoding it
    assert len(bad_inputs.HOSTILE_TEXTS[2]) == 1_000_000
    assert t("error.image_too_large", "fr", width=1, height=1, limit_mp=40)

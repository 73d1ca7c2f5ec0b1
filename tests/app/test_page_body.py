"""AppTest of the body, hands and face page: modes, samples, results kept per input, links."""

from streamlit.testing.v1 import AppTest

from dl_apps.registry import load_registry
from dl_apps.tasks.body import modes
from dl_apps.ui.i18n import t
from tests.app.conftest import REPO_ROOT, all_text, assert_no_exception, open_page

PAGE = "pages/body.py"


def sample_button(app, name: str, lang: str):
    return next(b for b in app.button if b.label == t(f"body.sample.{name}", lang))


def test_page_opens_with_modes_licence_and_samples(lang):
    app = open_page(PAGE, lang)
    assert_no_exception(app)
    text = all_text(app)
    assert t("pose.title", lang) in text and t("body.pick_input", lang) in text
    assert load_registry().default_for("pose").licence_in(lang) in text  # the licence is on the page
    labels = [b.label for b in app.button]
    for name in ("astronaut", "cameraman", "person", "horses"):
        assert t(f"body.sample.{name}", lang) in labels


def test_sample_then_every_mode_shows_a_result(lang):
    app = open_page(PAGE, lang)
    sample_button(app, "astronaut", lang).click().run()
    assert_no_exception(app)
    assert any(t("body.found.pose", lang, n=1, visible=0).split(":")[0] in s.value for s in app.success)
    for mode in ("mesh", "segment", "blur"):
        app.segmented_control(key="body_mode").set_value(mode).run()
        assert_no_exception(app)
        assert app.success, mode
        assert modes.model_for(mode).licence_in(lang) in all_text(app)
    assert [b for b in app.get("download_button")], "a download button"
    app.segmented_control(key="body_mode").set_value("hands").run()
    assert_no_exception(app)
    assert t("body.none.hands", lang) in all_text(app)  # none found: a friendly message, not an error


def test_photo_with_nobody_is_a_message_not_an_error():
    app = open_page(PAGE, "en")
    sample_button(app, "horses", "en").click().run()
    assert_no_exception(app)
    assert t("body.none.pose", "en") in all_text(app)
    assert not app.warning and not app.error


def test_results_are_kept_per_input_and_settings(monkeypatch):
    """Toggling a display option or coming back to a mode never runs a model again."""
    calls = []
    real = modes.run_mode

    def counting(*args, **kwargs):
        calls.append(args[0].mode)
        return real(*args, **kwargs)

    monkeypatch.setattr(modes, "run_mode", counting)
    app = open_page(PAGE, "en")
    sample_button(app, "astronaut", "en").click().run()
    app.toggle(key="body_side_by_side").set_value(True).run()
    app.segmented_control(key="body_mode").set_value("mesh").run()
    app.segmented_control(key="body_mode").set_value("pose").run()
    assert_no_exception(app)
    assert calls == ["pose", "mesh"]


def test_segment_settings_change_the_result():
    app = open_page(PAGE, "en")
    app.segmented_control(key="body_mode").set_value("segment").run()
    sample_button(app, "cameraman", "en").click().run()
    app.radio(key="body_effect").set_value("replace").run()
    assert_no_exception(app)
    app.radio(key="body_effect").set_value("mask").run()
    assert_no_exception(app)
    assert len([b for b in app.get("download_button")]) == 2  # the picture and the mask


def test_link_settings_are_parsed_robustly(lang):
    app = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=180)
    app.query_params.update({"lang": lang, "mode": "mesh", "blur": "1e400", "threshold": "nan"})
    app.run()
    assert_no_exception(app)
    assert app.segmented_control(key="body_mode").value == "mesh"
    bad = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=180)
    bad.query_params.update({"lang": lang, "mode": "<script>x</script>", "effect": "x" * 5000})
    bad.run()
    assert_no_exception(bad)
    assert bad.segmented_control(key="body_mode").value == "pose"
    assert t("notice.url_value_fixed", lang, name="mode", value="", used="pose").split("mode")[0] in all_text(bad)

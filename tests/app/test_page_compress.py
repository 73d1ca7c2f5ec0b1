"""AppTest of the compression page: a real compression of the digit CNN, pruning with its slider,
links with absurd query strings — in English and French, never an exception."""

from dl_apps.tasks import compress
from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

PAGE = "pages/compress.py"


def open_with(query: dict[str, str], lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import REPO_ROOT

    app = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=240)
    app.query_params["lang"] = lang
    for name, value in query.items():
        app.query_params[name] = value
    return app.run()


def test_int8_on_the_digit_cnn_shows_before_and_after(lang):
    app = open_page(PAGE, lang, timeout=240)
    assert_no_exception(app)
    assert t("compress.title", lang) in all_text(app)
    assert t("compress.no_variants", lang) in all_text(app)
    app.button(key="compress_run").click().run()
    assert_no_exception(app)
    labels = [metric.label for metric in app.metric]
    assert t("compress.metric.size", lang) in labels and t("compress.metric.accuracy", lang) in labels
    text = all_text(app)
    assert t("compress.phone_title", lang) in text
    assert t("compress.eval.digits", lang, n=1000).split("(")[0].strip() in text
    assert len(app.get("vega_lite_chart")) >= 1  # the session's size-vs-accuracy chart
    assert len(app.get("download_button")) == 1
    result = compress.RESULTS.get("mnist-cnn", "int8")
    assert result is not None and result.size_ratio >= 2


def test_pruning_with_fine_tune_uses_the_slider():
    app = open_page(PAGE, "fr", timeout=240)
    app.radio(key="compress_method").set_value("prune-ft").run()
    app.slider(key="compress_amount").set_value(70).run()
    app.button(key="compress_run").click().run()
    assert_no_exception(app)
    assert "70\u202f% des poids valent maintenant zéro." in all_text(app)
    assert compress.RESULTS.get("mnist-cnn", "prune-ft:70") is not None


def test_absurd_links_fall_back_to_defaults_with_a_notice():
    app = open_with({"model": "../../etc/passwd", "method": "<b>zip</b>", "amount": "1e400"})
    assert_no_exception(app)
    assert app.selectbox(key="compress_model").value == compress.DEFAULT_TARGET
    assert app.radio(key="compress_method").value == "int8"
    assert app.info, "the user is told the link's values were not used"


def test_link_choosing_a_method_the_model_lacks_gets_one_it_has():
    app = open_with({"model": "yolov3-tiny-coco", "method": "int8", "amount": "30"})
    assert_no_exception(app)
    assert app.selectbox(key="compress_model").value == "yolov3-tiny-coco"
    assert app.radio(key="compress_method").value in compress.KIND_METHODS["detection"]


def test_link_to_pruning_sets_the_slider():
    app = open_with({"model": "mnist-cnn", "method": "prune", "amount": "37"}, "fr")
    assert_no_exception(app)
    assert app.radio(key="compress_method").value == "prune"
    assert app.slider(key="compress_amount").value == 40  # snapped to the slider's step

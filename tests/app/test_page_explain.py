"""AppTest of the explanations page: a patient, a text and a digit explained by SHAP and LIME; bad input — no exception, ever."""

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

PAGE = "pages/explain.py"


def _untranslated(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("explain.")]


def test_patient_sample_shows_both_methods_agreement_and_what_if(lang):
    app = open_page(PAGE, lang)
    assert_no_exception(app)
    assert t("explain.title", lang) in all_text(app)
    app.button(key="explain_tab_sample_0").click().run()  # a malignant held-out patient
    assert_no_exception(app)
    text = all_text(app)
    assert t("explain.agreement", lang) in text and t("explain.whatif", lang) in text
    assert t("explain.class.malignant", lang) in text
    assert len(app.metric) >= 2
    assert len(app.get("vega_lite_chart")) >= 3  # SHAP, LIME, what-if
    assert not _untranslated(text)


def test_what_if_outside_the_data_is_flagged():
    app = open_page(PAGE)
    app.button(key="explain_tab_sample_1").click().run()
    slider = app.slider[[s.key for s in app.slider].index(next(k for k in (s.key for s in app.slider) if k.startswith("explain_whatif_value")))]
    slider.set_value(slider.max).run()
    assert_no_exception(app)
    assert "outside the training range" in all_text(app)


def test_lime_stability_button():
    app = open_page(PAGE)
    app.button(key="explain_tab_sample_2").click().run()
    app.button(key="explain_tab_stability").click().run()
    assert_no_exception(app)
    assert "LIME, over 3 seeds" in all_text(app)


def test_text_sample_highlights_words(lang):
    app = open_page(PAGE, lang)
    app.button(key="explain_text_sample_1").click().run()  # "The food was awful and the waiter was rude."
    assert_no_exception(app)
    text = all_text(app)
    assert t("explain.prediction", lang, label=t("sentiment.label.negative", lang), p=0.5).split("**")[1] in text
    html = "\n".join(str(element.proto.body) for element in app.get("html"))
    assert html.count("explain-word") >= 2 * 9 and "awful" in html


def test_empty_text_gives_a_clear_message():
    app = open_page(PAGE, "fr")
    app.button(key="explain_text_run").click().run()
    assert_no_exception(app)
    assert t("error.empty_text", "fr") in all_text(app)


def test_digit_sample_draws_five_pictures():
    app = open_page(PAGE)
    app.button(key="explain_img_sample_3").click().run()
    assert_no_exception(app)
    assert len(app.get("image")) == 5  # input, SHAP, LIME, gradient, Grad-CAM
    app.button(key="explain_img_stability").click().run()  # reruns keep the pictures; both methods repeated
    assert_no_exception(app)
    assert len(app.get("image")) == 5
    text = all_text(app)
    assert "LIME, over 3 seeds" in text and "SHAP, over 3 seeds" in text
    assert t("explain.superpixels", "en", n=40).split(" superpixels")[0].split()[0] in all_text(app)
    assert not _untranslated(all_text(app))

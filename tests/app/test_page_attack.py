"""AppTest of the adversarial attacks page: samples, models, targeted attack, curve — no exception, ever."""

import pytest

from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

PAGE = "pages/attack.py"


def test_page_renders_translated_with_the_curve(lang):
    app = open_page(PAGE, lang)
    assert_no_exception(app)
    text = all_text(app)
    assert t("attack.title", lang) in text
    assert app.selectbox(key="attack_model").value == "mnist-cnn"
    # The accuracy-vs-ε tab draws the precomputed curve and says what the defence costs.
    assert app.get("vega_lite_chart"), "no robustness curve"
    assert "ε = 51/255" in text
    assert not [line for line in text.splitlines() if line.startswith("attack.")], "untranslated key"


def test_sample_digit_attack_shows_pictures_bars_and_latency(lang):
    app = open_page(PAGE, lang)
    app.button(key="attack_sample_digits_3").click().run()  # one click runs the default PGD attack
    assert_no_exception(app)
    text = all_text(app)
    for key in ("attack.original", "attack.adversarial"):
        assert t(key, lang) in text
    assert t("attack.perturbation", lang, amp=0).split("×")[0].strip() in text
    assert "L∞ =" in text
    assert len(app.get("image")) == 3
    assert app.get("download_button")
    assert len(app.get("vega_lite_chart")) >= 3  # top-5 before/after + the curve


def test_standard_model_flips_and_robust_model_resists_at_small_eps():
    app = open_page(PAGE)
    app.slider(key="attack_eps_digits").set_value(26)  # ≈ 0.1
    app.button(key="attack_sample_digits_7").click().run()
    assert_no_exception(app)
    assert app.error and "The attack worked" in app.error[0].value
    app.selectbox(key="attack_model").set_value("mnist-cnn-robust").run()
    app.button(key="attack_sample_digits_7").click().run()
    assert_no_exception(app)
    assert app.success and "resisted" in app.success[0].value


def test_targeted_fgsm_in_french():
    app = open_page(PAGE, "fr")
    app.segmented_control(key="attack_method").set_value("fgsm").run()
    app.toggle(key="attack_targeted_digits").set_value(True).run()
    app.selectbox(key="attack_target_digits").set_value("3")
    app.button(key="attack_run").click().run()
    assert_no_exception(app)
    assert app.toggle(key="attack_targeted_digits").label == t("attack.targeted", "fr")
    assert "cibl" in all_text(app)  # "ciblée" (reached) or "cible" (missed), said in French


def test_random_digit_source():
    app = open_page(PAGE)
    app.segmented_control(key="attack_source_digits").set_value("random").run()
    assert_no_exception(app)
    app.button(key="attack_run").click().run()
    assert_no_exception(app)
    assert "Test digit no." in all_text(app)
    assert len(app.get("image")) == 3


@pytest.mark.slow
def test_imagenet_photo_sample_is_flipped():
    app = open_page(PAGE)
    app.selectbox(key="attack_model").set_value("efficientnet-lite0").run()
    app.slider(key="attack_steps_imagenet").set_value(3)
    app.button(key="attack_sample_imagenet_0").click().run()
    assert_no_exception(app)
    text = all_text(app)
    assert "espresso" in text
    assert app.error and "The attack worked" in app.error[0].value


def test_hub_model_offline_gives_a_clear_message(lang):
    app = open_page(PAGE, lang)
    app.selectbox(key="attack_model").set_value("resnet-50-hub").run()
    assert_no_exception(app)
    assert t("common.hub_needs_internet", lang, hub_id="microsoft/resnet-50") in all_text(app)
    app.button(key="attack_sample_imagenet_0").click().run()
    assert_no_exception(app)
    assert t("error.attack_hub_unavailable", lang, hub_id="microsoft/resnet-50") in all_text(app)

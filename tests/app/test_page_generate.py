"""AppTest of the image generation page: samples, settings, URL settings, languages — no exception, ever."""

from streamlit.testing.v1 import AppTest

from dl_apps.ui.i18n import t
from tests.app.conftest import REPO_ROOT, all_text, assert_no_exception, open_page

PAGE = "pages/generate.py"


def image_count(app: AppTest) -> int:
    return len(app.get("image"))


def test_sample_then_own_settings_are_reproducible():
    app = open_page(PAGE)
    assert_no_exception(app)
    assert t("generate.title", "en") in all_text(app)
    assert t("generate.pick", "en") in all_text(app)
    app.button(key="generate_sample_0").click().run()  # eight 7s, 50 DDIM steps
    assert_no_exception(app)
    text = all_text(app)
    assert t("generate.results", "en", n=8, label="7") in text
    assert t("generate.strip", "en") in text
    assert image_count(app) >= 3  # the grid, the noise → image strip, the forward process
    assert app.session_state["generate_seed"] == 7
    assert app.query_params["seed"] == "7" and app.query_params["label"] == "7"

    app.selectbox(key="generate_label").set_value(2)
    app.slider(key="generate_n").set_value(3)
    app.slider(key="generate_steps").set_value(10)
    app.number_input(key="generate_seed").set_value(123)
    app.radio(key="generate_scheduler").set_value("ddpm")
    app.run()
    [b for b in app.button if b.label == t("generate.run", "en")][0].click().run()
    assert_no_exception(app)
    first = app.session_state["generate_last"][1].images
    assert first.shape == (3, 16, 16)
    [b for b in app.button if b.label == t("generate.run", "en")][0].click().run()
    assert (app.session_state["generate_last"][1].images == first).all()
    assert "Seed 123 · 10 DDPM steps" in all_text(app)

    gif = app.session_state["generate_gif"][1]
    assert gif.startswith(b"GIF89a") and app.session_state["generate_gif"][0] is app.session_state["generate_last"][1]
    app.slider(key="generate_forward_t").set_value(999).run()
    assert_no_exception(app)
    captions = [caption for image in app.get("image") for caption in image.captions]
    assert any(caption.startswith("t = 999: ") for caption in captions), captions
    assert app.session_state["generate_gif"][1] is gif  # a slider elsewhere does not encode the animation again


def test_surprise_me_and_one_of_each_class():
    app = open_page(PAGE, "fr")
    assert t("generate.title", "fr") in all_text(app)
    app.button(key="generate_sample_4").click().run()  # surprise me
    assert_no_exception(app)
    assert app.session_state["generate_last"] is not None
    app.button(key="generate_sample_1").click().run()  # one of each class
    assert_no_exception(app)
    assert app.session_state["generate_last"][1].images.shape[0] == 10


def test_bad_url_settings_are_clamped_with_a_message():
    app = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=180)
    for key, value in {"lang": "en", "steps": "10000", "seed": "abc", "guidance": "-2", "n": "500", "label": "7"}.items():
        app.query_params[key] = value
    app.run()
    assert_no_exception(app)
    assert app.session_state["generate_steps"] == 200
    assert app.session_state["generate_n"] == 16
    assert app.session_state["generate_seed"] == 0
    assert app.session_state["generate_guidance"] == 0.0
    assert app.session_state["generate_label"] == 7
    text = all_text(app)
    assert "The link sets steps to “10000”, which this page cannot use: 200 is used instead" in text
    assert "The link sets seed to “abc”" in text


def test_link_with_infinite_count_and_huge_guidance_then_generate():
    """The outside fuzz suite's failure: ?guidance=25&n=inf, then Generate, showed Streamlit's error box."""
    app = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=180)
    for key, value in {"lang": "fr", "guidance": "25", "n": "inf", "steps": "nan", "seed": "1e400"}.items():
        app.query_params[key] = value
    app.run()
    assert_no_exception(app)
    assert app.session_state["generate_guidance"] == 5.0
    assert app.session_state["generate_n"] == 16
    assert app.session_state["generate_steps"] == 50
    assert app.session_state["generate_seed"] == 2**31 - 1
    app.slider(key="generate_steps").set_value(10)
    app.slider(key="generate_n").set_value(2)
    app.run()
    [b for b in app.button if b.label == t("generate.run", "fr")][0].click().run()
    assert_no_exception(app)
    assert app.session_state["generate_last"][1].images.shape[0] == 2


def test_fashion_model_with_french_class_names():
    app = open_page(PAGE, "fr")
    app.selectbox(key="generate_model").set_value("diffusion-fashion").run()
    assert_no_exception(app)
    options = app.selectbox(key="generate_label").options
    assert "Bottine" in options and "Pantalon" in options
    app.slider(key="generate_steps").set_value(10)
    app.slider(key="generate_n").set_value(2)
    app.run()
    [b for b in app.button if b.label == t("generate.run", "fr")][0].click().run()
    assert_no_exception(app)
    assert app.session_state["generate_last"][1].images.shape == (2, 28, 28)

"""AppTest of the language model page, on the tiny random Gemma 3 (the real model has its own test).

The page's model entry is served by a cache whose resolver swaps in the tiny model, so these
tests check the page's mechanics (streaming, steps, steering, tokenizer, attention, bad input)
in seconds; tests/unit/test_lm.py runs the real model once.
"""

import pytest
from streamlit.testing.v1 import AppTest

from dl_apps import cache as cache_module
from dl_apps.cache import ModelCache
from dl_apps.registry import get_model_spec
from dl_apps.tasks.lm.tiny import tiny_spec
from dl_apps.ui import page as ui
from dl_apps.ui.i18n import t
from tests.app.conftest import REPO_ROOT, all_text, assert_no_exception


@pytest.fixture(autouse=True)
def tiny_shared_cache():
    def resolve(model_id, task=None):
        return tiny_spec(model_id) if model_id == "gemma3-270m" else get_model_spec(model_id, task)

    saved = cache_module._shared_cache
    cache_module._shared_cache = ModelCache(budget_mb=10_000, spec_resolver=resolve)
    ui._cache_resource.clear()
    yield
    cache_module._shared_cache.clear()
    cache_module._shared_cache = saved
    ui._cache_resource.clear()


def open_lm(lang="en", **params) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "pages/lm.py"), default_timeout=120)
    app.query_params["lang"] = lang
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def write_button(app, lang):
    return [b for b in app.button if b.label == t("lm.generate", lang)][0]


def test_page_shows_limits_licence_and_writes_token_by_token(lang):
    app = open_lm(lang)
    assert_no_exception(app)
    text = all_text(app)
    assert t("lm.title", lang) in text and t("lm.limits", lang) in text and t("lm.licence_note", lang) in text
    app.slider(key="lm_max_new_tokens").set_value(6).run()
    write_button(app, lang).click().run()
    assert_no_exception(app)
    assert app.code and "⟨" in app.code[0].value  # the prompt and its continuation
    step = app.selectbox(key="lm_step")
    assert 1 <= len(step.options) <= 6
    assert t("lm.tab_tokens", lang) in [tab.label for tab in app.tabs]
    assert any(t("lm.tokens_intro", lang, n=0, vocab=0).split("**")[0] in m.value for m in app.markdown)


def test_clicking_an_alternative_continues_from_it():
    app = open_lm(temperature="0")
    app.slider(key="lm_max_new_tokens").set_value(4).run()
    write_button(app, "en").click().run()
    alternatives = [b for b in app.button if b.key and b.key.startswith("lm_alt_0_")]
    assert len(alternatives) == 9  # ten most likely, minus the chosen one
    label = alternatives[0].label
    alternatives[0].click().run()
    assert_no_exception(app)
    assert t("lm.steered", "en", index=1, token=label) in all_text(app)
    assert t("lm.forced_mark", "en") in app.selectbox(key="lm_step").options[0]


def test_greedy_and_sampled_side_by_side():
    app = open_lm()
    app.slider(key="lm_max_new_tokens").set_value(4).run()
    app.slider(key="lm_temperature").set_value(1.2).run()
    write_button(app, "en").click().run()
    assert_no_exception(app)
    assert len(app.code) == 2
    assert t("lm.greedy_title", "en") in all_text(app)


def test_empty_prompt_is_a_clear_message(lang):
    app = open_lm(lang)
    app.text_area(key="lm_prompt").input("   ").run()
    write_button(app, lang).click().run()
    assert_no_exception(app)
    assert t("error.empty_prompt", lang) in all_text(app)


def test_absurd_query_string_is_clamped_with_notices():
    app = open_lm("fr", max_new_tokens="99999", temperature="abc", top_p="-1", prompt="Bonjour")
    assert_no_exception(app)
    text = all_text(app)
    assert t("notice.setting_clamped", "fr", name="max_new_tokens", low="1", high="256", used="256") in text
    assert "temperature" in text and "abc" in text
    assert app.slider(key="lm_max_new_tokens").value == 256
    assert app.text_area(key="lm_prompt").value == "Bonjour"

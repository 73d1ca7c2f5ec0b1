"""AppTest of the hub's own pages: home (through app.py's navigation), cache, about."""

from dl_apps.registry import load_registry
from dl_apps.ui.i18n import t
from tests.app.conftest import REPO_ROOT, all_text, assert_no_exception, open_page

from streamlit.testing.v1 import AppTest


def test_app_opens_on_the_home_gallery(lang):
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    app.query_params["lang"] = lang
    app.run()
    assert_no_exception(app)
    text = all_text(app)
    assert t("home.title", lang) in text
    for task in load_registry().tasks_in_order():  # one card per demo, built or coming soon
        assert t(f"gallery.{task.name}.blurb", lang) in text


def test_app_adds_the_reduced_motion_stylesheet_only_inside_its_media_query():
    from dl_apps.ui.page import REDUCED_MOTION_CSS

    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert_no_exception(app)
    assert any(REDUCED_MOTION_CSS in str(element.proto) or "prefers-reduced-motion" in str(element.proto) for element in app.get("html"))
    body = REDUCED_MOTION_CSS.removeprefix("<style>").removesuffix("</style>").strip()
    assert body.startswith("@media (prefers-reduced-motion: reduce) {") and body.endswith("}")
    assert body.count("{") == body.count("}") == 3  # the media block and its two rules: nothing for other visitors


def test_home_page_does_not_import_torch():
    import subprocess
    import sys

    code = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"AppTest.from_file({str(REPO_ROOT / 'app.py')!r}, default_timeout=60).run(); "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "False False", done.stderr[-2000:]


def test_cache_page_is_read_only_without_token(lang, monkeypatch):
    monkeypatch.delenv("DL_HUB_ADMIN_TOKEN", raising=False)
    app = open_page("pages/cache.py", lang)
    assert_no_exception(app)
    assert t("cache.title", lang) in all_text(app)
    assert t("cache.read_only", lang) in all_text(app)
    assert not [b for b in app.button if b.label == t("cache.clear", lang)]


def test_cache_page_admin_can_warm_up_and_clear(monkeypatch):
    monkeypatch.setenv("DL_HUB_ADMIN_TOKEN", "s3cret")
    app = open_page("pages/cache.py")
    app.text_input(key="cache_admin_token").input("wrong").run()
    assert t("cache.wrong_token", "en") in all_text(app)
    app.text_input(key="cache_admin_token").input("s3cret").run()
    warm = [b for b in app.button if b.label == t("cache.warmup", "en")]
    assert warm
    warm[0].click().run()
    assert_no_exception(app)
    assert "Warm-up done" in all_text(app)
    app.run()  # the chart sits above the admin buttons: it shows the warmed models from the next run on
    assert app.get("vega_lite_chart"), "the memory-against-budget chart is drawn once models are loaded"
    clear = [b for b in app.button if b.label == t("cache.clear", "en")]
    clear[0].click().run()
    assert_no_exception(app)


def test_cache_page_shows_the_shared_answers_and_the_admin_clear_forgets_them(monkeypatch):
    from dl_apps import shared_results
    from dl_apps.core import TaskResult

    monkeypatch.setenv("DL_HUB_ADMIN_TOKEN", "s3cret")
    monkeypatch.setenv(shared_results.ENV, "1")
    shared_results.clear()
    shared_results.remembered(("qa", "a question"), lambda: TaskResult(latency_ms=900.0))
    shared_results.remembered(("qa", "a question"), lambda: TaskResult(latency_ms=900.0))
    app = open_page("pages/cache.py", "fr")
    assert t("cache.shared_results", "fr", entries=1, limit=shared_results.MAX_ENTRIES, hits=1, misses=1) in all_text(app)
    app.text_input(key="cache_admin_token").input("s3cret").run()
    next(b for b in app.button if b.label == t("cache.clear", "fr")).click().run()
    assert_no_exception(app)
    assert shared_results.stats() == {"entries": 0, "hits": 0, "misses": 0}
    monkeypatch.setenv(shared_results.ENV, "0")
    assert t("cache.shared_results_off", "fr") in all_text(open_page("pages/cache.py", "fr"))


def test_about_page_lists_every_model_licence(lang):
    app = open_page("pages/about.py", lang)
    assert_no_exception(app)
    table = app.dataframe[0].value
    assert len(table) == len(load_registry().models)
    specs = load_registry().models  # titles and licence notes in the page's language
    assert list(table[t("cache.col.id", lang)]) == [spec.title_in(lang) for spec in specs]
    assert list(table[t("cache.col.licence", lang)]) == [spec.licence_in(lang) for spec in specs]
    if lang == "fr":
        assert "Poids : entraînés par ce projet." in " ".join(table[t("cache.col.licence", lang)])


def test_cache_page_shows_titles_and_licences_in_the_page_language(lang, monkeypatch):
    monkeypatch.delenv("DL_HUB_ADMIN_TOKEN", raising=False)
    app = open_page("pages/cache.py", lang)
    table = app.dataframe[0].value
    specs = load_registry().models
    assert list(table[t("cache.col.title", lang)]) == [spec.title_in(lang) for spec in specs]
    assert list(table[t("cache.col.licence", lang)]) == [spec.licence_in(lang) for spec in specs]


def test_model_selector_and_licence_follow_the_language():
    app = open_page("pages/sentiment.py", "fr")
    assert_no_exception(app)
    spec = load_registry().default_for("sentiment")
    selector = app.selectbox(key="sentiment_model")
    assert selector.format_func(spec.id).startswith(spec.title_fr)
    assert any(spec.licence_fr in str(caption.value) for caption in app.caption)

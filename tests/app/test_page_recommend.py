"""AppTest of the recommendation page: sample profiles, own films, bad input, first-use training."""

import pytest

from dl_apps.datasets import movielens
from dl_apps.tasks import recommend
from dl_apps.train import recommender as trainer
from dl_apps.ui.i18n import t
from tests.app.conftest import all_text, assert_no_exception, open_page

pytestmark = pytest.mark.skipif(not movielens.movielens_available(), reason="MovieLens-100k (recbole wheel) not installed")

PAGE = "pages/recommend.py"
PROFILES = list(recommend.SAMPLE_PROFILES)


@pytest.fixture(scope="module")
def trained_cache_dir(tmp_path_factory):
    """A local cache with a neural model briefly trained on MovieLens (the page finds it there)."""
    folder = tmp_path_factory.mktemp("dl_hub_cache")
    data = movielens.load_movielens()
    recommend.save_neural_weights(trainer.fit_neural(data, trainer.NeuralConfig(epochs=12)), data, folder / "recommender")
    return folder


@pytest.fixture(autouse=True)
def local_cache(trained_cache_dir, monkeypatch):
    monkeypatch.setenv("DL_HUB_CACHE_DIR", str(trained_cache_dir))


def recommend_button(app, lang="en"):
    return [b for b in app.button if b.label == t("recommend.go", lang)][0]


def test_page_shows_model_credit_and_terms(lang):
    app = open_page(PAGE, lang)
    assert_no_exception(app)
    text = all_text(app)
    assert t("recommend.title", lang) in text
    assert "GroupLens" in text and "Harper" in text
    assert ("non-commercial" if lang == "en" else "non commercial") in text
    assert app.selectbox(key="recommend_model").value == "recommend-neural"
    assert not app.warning and not app.error


def test_sample_profile_gives_ranked_films_with_reasons_and_map(lang):
    app = open_page(PAGE, lang)
    app.button(key=f"recommend_profile_{PROFILES.index('scifi')}").click().run()
    assert_no_exception(app)
    assert app.multiselect(key="recommend_liked").value == list(recommend.SAMPLE_PROFILES["scifi"])
    text = all_text(app)
    assert t("recommend.results", lang) in text
    assert t("recommend.because", lang, titles="").strip() in text
    assert t("recommend.fold_in.history_encoder", lang) in text
    ranked = [line for line in text.splitlines() if line.startswith(("**1. ", "**10. "))]
    assert len(ranked) == 2  # ten films, numbered
    for liked in recommend.SAMPLE_PROFILES["scifi"]:  # never recommended back
        assert not any(liked.split(" (")[0] in line for line in ranked)
    assert app.get("image"), "the film map is drawn as a picture"
    charts_before = len(app.get("vega_lite_chart"))  # the star-weights chart below, not the map
    assert t("recommend.map_picture_help", lang) in text
    assert " ms]" in text  # the latency badge
    app.toggle(key="recommend_map_interactive").set_value(True).run()
    assert_no_exception(app)
    assert len(app.get("vega_lite_chart")) == charts_before + 1, "the interactive map on request"
    assert t("recommend.map_help", lang) in all_text(app)


def test_own_films_with_stars_and_genre_filter():
    app = open_page(PAGE)
    app.multiselect(key="recommend_liked").set_value(["Toy Story (1995)", "Babe (1995)"]).run()
    app.toggle(key="recommend_rate").set_value(True).run()
    assert_no_exception(app)
    assert len(app.get("arrow_data_frame")) >= 1 or app.dataframe  # the stars editor
    app.multiselect(key="recommend_genres").set_value(["Comedy"]).run()
    recommend_button(app).click().run()
    assert_no_exception(app)
    assert not app.warning
    assert ":yellow-badge[Comedy]" in all_text(app)


def test_no_film_chosen_is_a_clear_message(lang):
    app = open_page(PAGE, lang)
    recommend_button(app, lang).click().run()
    assert_no_exception(app)
    assert t("error.no_liked_films", lang) in all_text(app)


def test_pasted_unknown_and_html_titles_are_reported_not_rendered():
    app = open_page(PAGE)
    app.text_area(key="recommend_paste").input('Star Wars (1977); <b>bold</b> "quoted"; [x](javascript:alert(1))').run()
    recommend_button(app).click().run()
    assert_no_exception(app)
    notices = "\n".join(str(i.value) for i in app.info)
    assert "Not in the catalogue" in notices
    assert "<b>" not in notices and "](" not in notices
    assert t("recommend.results", "en") in all_text(app)


def test_only_unknown_titles_is_a_clear_message_with_suggestions():
    app = open_page(PAGE, "fr")
    app.text_area(key="recommend_paste").input("Zzzz Not A Film;Star Warz").run()
    recommend_button(app, "fr").click().run()
    assert_no_exception(app)
    warning = "\n".join(str(w.value) for w in app.warning)
    assert "Aucun film du catalogue" in warning and "Star Wars" in warning


def test_compare_all_algorithms():
    app = open_page(PAGE)
    app.toggle(key="recommend_compare").set_value(True).run()
    app.button(key=f"recommend_profile_{PROFILES.index('comedy90s')}").click().run()
    assert_no_exception(app)
    text = all_text(app)
    assert t("recommend.compare_title", "en") in text
    for algorithm in recommend.ALGORITHMS:
        assert f"**{t('recommend.algo.' + algorithm, 'en')}**" in text
    assert app.dataframe  # the metrics table of the card


@pytest.mark.slow
def test_first_use_trains_with_progress(tmp_path, monkeypatch):
    """An empty cache: the page trains the neural model once (a tiny config here) and goes on."""
    monkeypatch.setenv("DL_HUB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(trainer, "NeuralConfig", lambda: trainer.QUICK_CONFIG.__class__(dim=8, hidden=8, epochs=2))
    app = open_page(PAGE)
    assert_no_exception(app)
    assert t("recommend.trained", "en") in all_text(app)
    assert list((tmp_path / "recommender").glob("neural-*.safetensors"))

"""Film recommendations: training on synthetic ratings, real MovieLens models, bad input, CLI."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dl_apps.datasets import movielens
from dl_apps.tasks import recommend
from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT, ModelSpec, get_model_spec
from dl_apps.train import recommender as trainer

needs_movielens = pytest.mark.skipif(not movielens.movielens_available(), reason="MovieLens-100k (recbole wheel) not installed")
SCIFI = list(recommend.SAMPLE_PROFILES["scifi"])


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def quick_dir(tmp_path_factory) -> Path:
    """`train recommender --quick`: synthetic data, small model, everything into a temp folder."""
    out = tmp_path_factory.mktemp("recommender-quick")
    assert trainer.main(["--quick", "--out", str(out)]) == 0
    return out


def synthetic_cache(weights_dir: Path) -> ModelCache:
    """A cache whose ids ``syn-<algorithm>`` are the recommenders on the synthetic ratings."""

    def resolve(model_id: str, task: str | None = None) -> ModelSpec:
        return ModelSpec(
            id=model_id,
            task="recommend",
            title=model_id,
            source="trained",
            licence="test data",
            loader="dl_apps.tasks.recommend:load_recommender",
            thread_safe=True,
            options={"algorithm": model_id.removeprefix("syn-"), "dataset": "synthetic", "weights_dir": str(weights_dir)},
        )

    return ModelCache(budget_mb=10_000, spec_resolver=resolve)


@pytest.fixture(scope="module")
def syn_cache(quick_dir) -> ModelCache:
    cache = synthetic_cache(quick_dir)
    yield cache
    cache.clear()


@pytest.fixture(scope="module")
def synthetic() -> movielens.RatingsData:
    return movielens.synthetic_ratings()


@pytest.fixture(scope="module")
def movielens_cache_dir(tmp_path_factory) -> Path:
    """A local cache holding a neural model trained (briefly) on the real MovieLens-100k."""
    if not movielens.movielens_available():
        pytest.skip("MovieLens-100k not installed")
    folder = tmp_path_factory.mktemp("dl_hub_cache") / "recommender"
    data = movielens.load_movielens()
    recommend.save_neural_weights(trainer.fit_neural(data, trainer.NeuralConfig(epochs=12)), data, folder)
    return folder.parent


@pytest.fixture
def movielens_env(movielens_cache_dir, monkeypatch) -> Path:
    monkeypatch.setenv("DL_HUB_CACHE_DIR", str(movielens_cache_dir))
    return movielens_cache_dir


# ---------------------------------------------------------- data & training
def test_synthetic_generator_is_reproducible_and_sane(synthetic):
    again = movielens.synthetic_ratings()
    assert synthetic.fingerprint() == again.fingerprint()
    assert synthetic.ratings.min() >= 1 and synthetic.ratings.max() <= 5
    assert len(set(zip(synthetic.users.tolist(), synthetic.items.tolist()))) == synthetic.n_ratings
    train, users, held = movielens.leave_last_out(synthetic)
    assert train.n_ratings + len(users) == synthetic.n_ratings
    assert len(set(users.tolist())) == len(users)


def test_quick_training_writes_weights_metrics_and_card(quick_dir):
    metrics = json.loads((quick_dir / "metrics.json").read_text())
    assert set(metrics["algorithms"]) == set(recommend.ALGORITHMS)
    for values in metrics["algorithms"].values():
        assert 0 <= values["ndcg@10"] <= values["recall@10"] <= 1
        assert 0 < values["coverage"] <= 1
    card = (quick_dir / "card.md").read_text()
    assert "NDCG@10" in card and "GroupLens" in card
    assert (quick_dir / "neural-synthetic-300x150-seed0.safetensors").is_file()
    assert not list(quick_dir.glob("*.part"))


def test_neural_learns_beyond_popularity_on_synthetic(quick_dir):
    algorithms = json.loads((quick_dir / "metrics.json").read_text())["algorithms"]
    assert algorithms["neural"]["ndcg@10"] > algorithms["popularity"]["ndcg@10"]
    assert algorithms["neural"]["coverage"] > algorithms["popularity"]["coverage"]


def test_tuning_compares_configs_on_a_validation_split():
    data = movielens.synthetic_ratings(n_users=80, n_items=50, seed=2)
    rows = trainer.tune(data, grid=(trainer.NeuralConfig(dim=8, hidden=8, epochs=2),))
    assert [row["config"] for row in rows][0] == "popularity" and len(rows) == 2
    assert rows[1]["users"] == rows[0]["users"] > 0


def test_importing_the_library_stays_light():
    code = "import sys, dl_apps.tasks.recommend, dl_apps.datasets.movielens; print('torch' in sys.modules, 'streamlit' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert done.stdout.strip() == "False False", done.stderr


def test_first_use_trains_into_the_cache_with_progress(tmp_path):
    spec = ModelSpec(
        id="syn-neural", task="recommend", title="t", source="trained", licence="test",
        loader="dl_apps.tasks.recommend:load_recommender",
        options={"algorithm": "neural", "dataset": "synthetic", "seed": 3, "weights_dir": str(tmp_path)},
    )
    assert not recommend.is_trained(spec)
    seen: list[float] = []
    recommend.ensure_trained(spec, progress=seen.append)
    assert recommend.is_trained(spec)
    assert seen and seen[-1] == pytest.approx(1.0) and seen == sorted(seen)
    model = recommend.load_recommender(spec)
    assert isinstance(model, recommend.NeuralRecommender)


def test_weights_trained_on_other_data_are_refused(quick_dir, tmp_path):
    other = movielens.synthetic_ratings(seed=1)
    source = quick_dir / "neural-synthetic-300x150-seed0.safetensors"
    (tmp_path / f"neural-{other.name}.safetensors").write_bytes(source.read_bytes())
    assert recommend.load_neural_weights(other, tmp_path) is None


# ------------------------------------------------------------------ behaviour
@pytest.mark.parametrize("algorithm", recommend.ALGORITHMS)
def test_liked_films_are_never_recommended_back(syn_cache, synthetic, algorithm):
    liked = list(synthetic.titles[:8])
    result = recommend.run(liked, k=recommend.MAX_K, model_id=f"syn-{algorithm}", cache=syn_cache)
    assert len(result.items) == recommend.MAX_K
    assert not {rec.title for rec in result.items} & set(liked)
    scores = [rec.score for rec in result.items]
    assert scores == sorted(scores, reverse=True)
    assert result.model == f"syn-{algorithm}" and result.latency_ms > 0


def test_results_are_deterministic_for_a_fixed_profile(syn_cache, synthetic):
    liked = list(synthetic.titles[10:15])
    first = recommend.run(liked, ratings=[5, 4, 3, 5, 1], k=10, model_id="syn-neural", cache=syn_cache)
    again = recommend.run(list(liked), ratings=[5, 4, 3, 5, 1], k=10, model_id="syn-neural", cache=syn_cache)
    assert [(r.title, r.score) for r in first.items] == [(r.title, r.score) for r in again.items]


def test_training_is_reproducible():
    data = movielens.synthetic_ratings(n_users=60, n_items=40, seed=5)
    config = trainer.NeuralConfig(dim=8, hidden=8, epochs=3)
    first, second = trainer.fit_neural(data, config), trainer.fit_neural(data, config)
    assert all(np.array_equal(first[key], second[key]) for key in first)


def test_stars_change_the_neural_ranking(syn_cache, synthetic):
    liked = list(synthetic.titles[20:26])
    loved = recommend.run(liked, ratings=[5] * 6, k=10, model_id="syn-neural", cache=syn_cache)
    mixed = recommend.run(liked, ratings=[5, 5, 5, 1, 1, 1], k=10, model_id="syn-neural", cache=syn_cache)
    assert [r.title for r in loved.items] != [r.title for r in mixed.items]
    assert mixed.ratings == [5, 5, 5, 1, 1, 1]


def test_genre_filter_keeps_only_those_genres(syn_cache, synthetic):
    result = recommend.run(list(synthetic.titles[:5]), k=20, genres=["Comedy"], model_id="syn-itemknn", cache=syn_cache)
    assert result.items and all("Comedy" in rec.genres for rec in result.items)


def test_every_recommendation_has_a_reason(syn_cache, synthetic):
    result = recommend.run(list(synthetic.titles[:5]), k=10, model_id="syn-neural", cache=syn_cache)
    liked = set(result.liked)
    for rec in result.items:
        assert rec.reason
        assert set(rec.because) <= liked
        assert set(rec.shared_genres) <= set(rec.genres)


def test_map_has_every_film(syn_cache, synthetic):
    points = recommend.map_for("syn-neural", cache=syn_cache)
    assert len(points["x"]) == len(points["title"]) == synthetic.n_items
    assert np.isfinite(points["x"]).all() and np.isfinite(points["y"]).all()
    assert recommend.map_for("syn-popularity", cache=syn_cache) is None


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("liked", [None, "", "  ;  ; ", [], ["   "], 42])
def test_no_films_is_a_clear_error(syn_cache, liked):
    with pytest.raises(InputError) as error:
        recommend.run(liked, model_id="syn-neural", cache=syn_cache)
    assert error.value.code == "no_liked_films"


def test_unknown_titles_give_a_clear_message_with_suggestions(syn_cache, synthetic):
    with pytest.raises(InputError) as error:
        recommend.run(["Synthetic flim 001", "Not a film"], model_id="syn-neural", cache=syn_cache)
    assert error.value.code == "unknown_titles"
    assert "Not a film" in str(error.value) and "Did you mean" in str(error.value)
    assert synthetic.titles[0] in str(error.value)


def test_some_unknown_titles_are_reported_and_ignored(syn_cache, synthetic):
    result = recommend.run([synthetic.titles[0], "Nope (2099)"], model_id="syn-neural", cache=syn_cache)
    assert result.unknown == ["Nope (2099)"]
    assert result.liked == [synthetic.titles[0]]
    assert result.notices[0]["code"] == "unknown_titles"


def test_titles_with_quotes_or_html_are_escaped_for_the_page(syn_cache, synthetic):
    evil = ['<script>alert("x")</script>', "Robert'); DROP TABLE films;--", "**bold** [link](javascript:alert(1))"]
    result = recommend.run([synthetic.titles[0], *evil], model_id="syn-neural", cache=syn_cache)
    assert result.unknown == evil
    shown = result.notices[0]["titles"]
    assert "<script>" not in shown and "](" not in shown and "**" not in shown
    with pytest.raises(InputError) as error:
        recommend.run(evil, model_id="syn-neural", cache=syn_cache)
    assert "<script>" not in error.value.params["titles"]


def test_five_hundred_films_are_cut_with_a_notice(syn_cache, synthetic):
    liked = [synthetic.titles[i % synthetic.n_items] for i in range(500)]
    result = recommend.run(liked, model_id="syn-neural", cache=syn_cache)
    assert result.notices[0]["code"] == "too_many_liked"
    assert len(result.liked) == recommend.MAX_LIKED
    assert not {rec.title for rec in result.items} & set(result.liked)


@pytest.mark.parametrize("k", [0, -3, 2.5, "ten", None, float("nan")])
def test_bad_k_is_a_clear_error(syn_cache, synthetic, k):
    with pytest.raises(InputError) as error:
        recommend.run([synthetic.titles[0]], k=k, model_id="syn-neural", cache=syn_cache)
    assert error.value.code == "bad_list_length"


def test_huge_k_is_capped_with_a_notice(syn_cache, synthetic):
    result = recommend.run([synthetic.titles[0]], k=10_000, model_id="syn-neural", cache=syn_cache)
    assert len(result.items) == recommend.MAX_K
    assert result.notices[0]["code"] == "k_capped"


@pytest.mark.parametrize("ratings", [[7], [0], ["five"], [3.5], "x"])
def test_bad_stars_are_a_clear_error(syn_cache, synthetic, ratings):
    with pytest.raises(InputError) as error:
        recommend.run([synthetic.titles[0]], ratings=ratings, model_id="syn-neural", cache=syn_cache)
    assert error.value.code == "bad_stars"


def test_every_error_and_notice_code_is_translated():
    import re

    from dl_apps.ui.i18n import has

    files = [*(REPO_ROOT / "dl_apps" / "tasks" / "recommend").glob("*.py"), REPO_ROOT / "dl_apps" / "nets" / "recommenders.py", REPO_ROOT / "dl_apps" / "datasets" / "catalogue.py"]
    source = "\n".join(path.read_text(encoding="utf-8") for path in files)
    codes = set(re.findall(r'InputError\(\s*"(\w+)"', source))
    notices = set(re.findall(r'notice\(\s*"(\w+)"', source))
    assert codes and notices
    assert all(has(f"error.{code}") for code in codes), codes
    assert all(has(f"notice.{code}") for code in notices), notices


# --------------------------------------------------------------- MovieLens
@needs_movielens
def test_movielens_is_read_in_place_and_clean():
    data = movielens.load_movielens()
    assert movielens.movielens_dir().is_relative_to(Path(sys.prefix)) or "site-packages" in str(movielens.movielens_dir())
    assert data.n_users == 943 and 1600 < data.n_items <= 1682 and data.n_ratings > 99_000
    assert len(set(data.titles)) == data.n_items
    assert "Star Wars (1977)" in data.titles
    assert not list((REPO_ROOT / "models").rglob("*.inter"))  # never copied into the repo


@needs_movielens
@pytest.mark.parametrize(
    "typed,expected",
    [
        ("toy story (1995)", "Toy Story (1995)"),
        ("TOY STORY", "Toy Story (1995)"),
        ("The Usual Suspects (1995)", "Usual Suspects, The (1995)"),
        ("usual suspects, the", "Usual Suspects, The (1995)"),
        ("Les Misérables (1995)", "Misérables, Les (1995)"),
        ("  star   wars  ", "Star Wars (1977)"),
    ],
)
def test_titles_match_case_insensitively(typed, expected):
    catalogue = recommend.Catalogue(movielens.load_movielens())
    assert catalogue.titles[catalogue.find(typed)] == expected


@needs_movielens
def test_sample_profiles_exist_in_the_catalogue():
    catalogue = recommend.Catalogue(movielens.load_movielens())
    for titles in recommend.SAMPLE_PROFILES.values():
        for title in titles:
            assert catalogue.find(title) is not None and catalogue.titles[catalogue.find(title)] == title


@needs_movielens
def test_card_metrics_neural_beats_popularity():
    """models/recommender/metrics.json is written by `train recommender` on the held-out split."""
    metrics = recommend.card_metrics()
    algorithms = metrics["algorithms"]
    assert metrics["dataset"] == "movielens-100k" and algorithms["neural"]["users"] == 943
    assert algorithms["neural"]["ndcg@10"] > algorithms["popularity"]["ndcg@10"]
    assert algorithms["neural"]["recall@10"] > algorithms["popularity"]["recall@10"]
    card = get_model_spec("recommend-neural").card_text()
    assert f"{algorithms['neural']['ndcg@10']:.4f}" in card


@needs_movielens
@pytest.mark.slow
def test_neural_beats_popularity_on_held_out_movielens():
    """Retrain on the leave-last-out training part (shorter than the served model) and evaluate."""
    train, users, held = movielens.leave_last_out(movielens.load_movielens())
    neural = recommend.NeuralRecommender(train, trainer.fit_neural(train, trainer.NeuralConfig(epochs=30)))
    popularity = recommend.build_recommender("popularity", train)
    neural_metrics = trainer.evaluate(neural, train, users, held)
    popularity_metrics = trainer.evaluate(popularity, train, users, held)
    assert neural_metrics["ndcg@10"] > popularity_metrics["ndcg@10"]


@needs_movielens
def test_default_model_on_movielens(movielens_env, cache):
    result = recommend.run(SCIFI, k=10, cache=cache)
    assert result.model == "recommend-neural" and result.algorithm == "neural"
    assert len(result.items) == 10
    assert not {rec.title for rec in result.items} & set(SCIFI)
    assert result.fold_in == "history_encoder"


@needs_movielens
def test_item_item_on_movielens_finds_the_sequels(cache):
    result = recommend.run("Star Wars (1977)", k=5, model_id="recommend-itemknn", cache=cache)
    titles = [rec.title for rec in result.items]
    assert "Return of the Jedi (1983)" in titles or "Empire Strikes Back, The (1980)" in titles
    assert any("Star Wars (1977)" in rec.because for rec in result.items)


# ------------------------------------------------------------------------ CLI
def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "dl_apps", "run", "recommend", *args],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, env={**os.environ, **(env or {})},
    )


@needs_movielens
def test_cli_json_contract(movielens_cache_dir):
    done = run_cli("--liked", "Toy Story (1995);Star Wars (1977);Nope", "--k", "10", "--json", env={"DL_HUB_CACHE_DIR": str(movielens_cache_dir)})
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["model"] == "recommend-neural" and payload["latency_ms"] > 0
    assert len(payload["items"]) == 10 and all({"title", "score"} <= set(item) for item in payload["items"])
    assert payload["unknown"] == ["Nope"]


@needs_movielens
@pytest.mark.parametrize("args", [["--liked", "Nothing Like This (2042)"], ["--liked", ""], ["--liked", "Toy Story", "--k", "0"]])
def test_cli_bad_input_exits_2(args):
    done = run_cli("--model", "recommend-popularity", *args, "--json")
    assert done.returncode == 2, done.stderr
    assert "error" in json.loads(done.stdout)


def test_bench_args_use_the_cli_arguments():
    args = recommend.bench_args()
    assert len(recommend.parse_liked(args["liked"])) == 5 and args["k"] == 10

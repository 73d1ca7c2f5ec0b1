"""Explanations on real models: the committed breast-cancer trees, the sentiment model, the digit CNN."""

import json
import subprocess
import sys

import numpy as np
import pytest

from dl_apps.tasks import explain
from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT, get_model_spec
from dl_apps.ui.i18n import has


@pytest.fixture(scope="module")
def shared():
    """One cache for the module: each model loads once."""
    import torch

    torch.set_num_threads(1)
    cache = ModelCache(budget_mb=100_000)
    yield cache
    cache.clear()


@pytest.fixture(scope="module")
def trees():
    spec = get_model_spec("tabular-cancer-gb")
    return spec.resolve_loader()(spec)


# ------------------------------------------------------------------ tabular
def test_exported_trees_match_the_card(trees):
    metrics = json.loads((REPO_ROOT / "models/tabular-cancer/metrics.json").read_text())
    data = explain.tabular_data()
    accuracy = float(np.mean(trees.predict_proba(data["x"])[:, 1].round() == data["y"]))
    assert accuracy == pytest.approx(metrics["test_accuracy"], abs=1e-3)
    assert accuracy > 0.9


@pytest.mark.parametrize("index", [0, 1, 7, 42])
def test_tree_shap_is_additive(trees, index):
    row, _ = explain.tabular_sample(index)
    result = explain.explain_tabular(trees, row, "shap", 0, 0)
    assert explain.shap_additivity_gap(trees, row, result) < 1e-4
    p = 1 / (1 + np.exp(-(result.base_value + sum(f.weight for f in result.features))))
    assert p == pytest.approx(result.probability, abs=1e-4)


def test_features_are_sorted_most_important_first(shared):
    result = explain.run("tabular", "lime", sample=3, cache=shared)
    magnitudes = [abs(f.weight) for f in result.features]
    assert magnitudes == sorted(magnitudes, reverse=True)
    assert len(result.features) == 30 and result.model == "tabular-cancer-gb"


def test_synthetic_linear_problem_both_methods_find_the_true_feature():
    """y depends (linearly) on x0 only, a little on x1: both methods must rank x0 first."""
    from sklearn.ensemble import GradientBoostingClassifier

    from dl_apps.train.tabular_cancer import export_trees

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5))
    y = (3.0 * x[:, 0] + 0.3 * x[:, 1] + 0.2 * rng.normal(size=600) > 0).astype(int)
    fitted = GradientBoostingClassifier(n_estimators=60, max_depth=2, random_state=0).fit(x, y)
    arrays, base = export_trees(fitted)
    arrays.update(train_min=x.min(0), train_max=x.max(0), train_median=np.median(x, 0), train_sample=x)
    model = explain.TreeEnsemble(arrays, base, [f"x{i}" for i in range(5)], ["zero", "one"])
    assert np.allclose(model.predict_proba(x[:50]), fitted.predict_proba(x[:50]))
    row = np.array([1.5, 0.2, -0.1, 0.4, 0.0])
    for method in ("shap", "lime"):
        result = explain.explain_tabular(model, row, method, 2000, 0)
        assert result.features[0].name == "x0", (method, result.features[:3])
        assert result.features[0].weight < 0  # x0 high → class "one": pushes *against* class index 0


def test_what_if_moves_the_prediction_and_flags_extrapolation(shared, trees):
    base = explain.run("tabular", "shap", sample=0, cache=shared)
    top = base.features[0].name
    index = trees.feature_names.index(top)
    high = float(trees.arrays["train_max"][index])
    low = float(trees.arrays["train_min"][index])
    moved = explain.run("tabular", "shap", sample=0, overrides={top: low if base.features[0].weight > 0 else high}, cache=shared)
    assert moved.probability != pytest.approx(base.probability, abs=1e-6)
    assert not moved.notices
    outside = explain.run("tabular", "shap", sample=0, overrides={top: high * 10}, cache=shared)
    assert [n["code"] for n in outside.notices] == ["explain_extrapolation"]


def test_global_summary_ranks_by_mean_absolute_shap(trees):
    summary = explain.global_summary(trees, top=8)
    assert len(summary["features"]) == 8 and summary["shap"].shape == (143, 8)
    assert list(summary["mean_abs"]) == sorted(summary["mean_abs"], reverse=True)


def test_fixed_seed_gives_identical_lime(shared):
    first = explain.run("tabular", "lime", sample=5, seed=3, cache=shared)
    second = explain.run("tabular", "lime", sample=5, seed=3, cache=shared)
    assert first.weights() == second.weights()
    other = explain.run("tabular", "lime", sample=5, seed=4, cache=shared)
    assert other.weights() != first.weights()


def test_stability_of_exact_shap_is_perfect(shared):
    stability = explain.run_stability("tabular", "shap", sample=2, repeats=3, cache=shared)
    assert stability.mean_spearman == 1.0 and stability.top_k_overlap == 1.0
    lime = explain.run_stability("tabular", "lime", sample=2, repeats=3, samples=300, cache=shared)
    assert 0.0 < lime.mean_spearman <= 1.0


def test_comparison_on_the_table(shared):
    comparison = explain.run_comparison("tabular", sample=1, cache=shared)
    assert comparison.agreement.shared_features == 30
    assert -1.0 <= comparison.agreement.spearman <= 1.0
    assert set(comparison.probabilities) == {"malignant", "benign"}


# --------------------------------------------------------------------- text
@pytest.mark.parametrize(
    "text,label,strong",
    [
        ("The food was awful and the waiter was rude.", "negative", {"awful", "rude"}),
        ("Une formation géniale, les explications étaient claires et passionnantes.", "positive", {"géniale", "passionnantes", "claires"}),
    ],
)
def test_lime_text_puts_the_strong_words_on_top(shared, text, label, strong):
    result = explain.run("text", "lime", text=text, cache=shared)
    assert result.explained_label == label and result.model == "sentiment-e5-multilingual"
    assert result.features[0].name in strong and result.features[0].weight > 0
    assert [w for w, _ in result.tokens] == explain.words(text)


def test_shap_text_puts_the_strong_word_on_top(shared):
    result = explain.run("text", "shap", text="The workshop was fantastic and the speaker was brilliant.", cache=shared)
    assert result.explained_label == "positive"
    assert result.features[0].name in {"fantastic", "brilliant"} and result.features[0].weight > 0


# -------------------------------------------------------------------- image
def test_image_heat_maps_have_the_input_size_and_vary(shared):
    comparison = explain.run_comparison("image", sample=0, cache=shared)
    assert comparison.model == "mnist-cnn"
    maps = [comparison.shap.heatmap, comparison.lime.heatmap, *comparison.saliency.values()]
    assert set(comparison.saliency) == {"gradient", "gradcam"}
    for heatmap in maps:
        array = np.asarray(heatmap)
        assert array.shape == (28, 28)
        assert array.std() > 0
    assert comparison.label == "0"  # held-out digit 0 shows a 0
    assert comparison.agreement.shared_features >= 8


def test_image_lime_is_reproducible_with_a_seed(shared):
    first = explain.run("image", "lime", sample=3, seed=1, samples=100, cache=shared)
    second = explain.run("image", "lime", sample=3, seed=1, samples=100, cache=shared)
    assert first.heatmap == second.heatmap


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("asked,used", [(0, explain.MIN_SAMPLES), (1_000_000, explain.MAX_SAMPLES["tabular"])])
def test_lime_samples_are_capped_with_a_notice(shared, asked, used):
    result = explain.run("tabular", "lime", sample=0, samples=asked, cache=shared)
    assert result.samples == used
    assert result.notices[0]["code"] == "explain_samples_capped"


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"target": "text", "method": "lime", "text": "   "}, "empty_text"),
        ({"target": "text", "method": "lime", "text": "?!"}, "explain_no_words"),
        ({"target": "image", "method": "lime", "image": np.zeros((20, 30), np.uint8)}, "explain_image_size"),
        ({"target": "image", "method": "lime", "image": b"not an image"}, "image_not_an_image"),
        ({"target": "tabular", "method": "lime", "overrides": {"worst radius": "big"}}, "explain_bad_value"),
        ({"target": "tabular", "method": "lime", "overrides": {"nope": 1}}, "explain_unknown_feature"),
        ({"target": "tabular", "method": "magic"}, "explain_bad_method"),
        ({"target": "sound", "method": "lime"}, "explain_bad_target"),
        ({"target": "tabular", "method": "lime", "sample": 9999}, "explain_bad_sample"),
        ({"target": "tabular", "method": "lime", "samples": "many"}, "explain_bad_samples"),
        ({"target": "text", "method": "lime", "model_id": "mnist-cnn"}, "explain_wrong_model"),
    ],
)
def test_bad_input_is_a_clear_error(shared, kwargs, code):
    with pytest.raises(InputError) as error:
        explain.run(cache=shared, **kwargs)
    assert error.value.code == code
    assert has(f"error.{code}"), f"error.{code} has no translation"


def test_every_notice_and_error_code_is_translated():
    import re

    source = "\n".join(path.read_text(encoding="utf-8") for path in sorted((REPO_ROOT / "dl_apps/tasks/explain").glob("*.py")))
    for kind, code in re.findall(r'(InputError|notice)\(\s*"([a-z_]+)"', source):
        prefix = "error" if kind == "InputError" else "notice"
        assert has(f"{prefix}.{code}"), f"{prefix}.{code}"


# -------------------------------------------------------------- CLI, train
def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dl_apps", "run", "explain", *args, "--json"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )


def test_cli_prints_features_most_important_first():
    done = _cli("--method", "lime", "--target", "tabular", "--sample", "2", "--set", "worst radius=20")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["model"] == "tabular-cancer-gb" and payload["latency_ms"] > 0
    weights = [abs(item["weight"]) for item in payload["features"]]
    assert weights == sorted(weights, reverse=True) and {"name", "weight"} <= set(payload["features"][0])


def test_cli_bad_input_exits_2():
    done = _cli("--method", "lime", "--target", "text", "--text", "  ")
    assert done.returncode == 2
    assert "error" in json.loads(done.stdout)


def test_training_script_quick(tmp_path):
    from dl_apps.train import tabular_cancer

    assert tabular_cancer.main(["--quick", "--out", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["quick"] and metrics["test_accuracy"] > 0.85
    assert metrics["export_max_probability_gap"] < 1e-9
    assert "Accuracy" in (tmp_path / "card.md").read_text()

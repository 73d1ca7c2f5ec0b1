"""The pages' hand-written Vega-Lite charts (dl_apps/ui/charts.py) are valid Vega-Lite and carry their data.

They replace Altair on pages that rerun often (Altair validated the whole spec on every rerun);
here the validation runs once, in the tests, against the schema Altair ships.
"""

import jsonschema
import pytest

from dl_apps.ui import charts


@pytest.fixture(scope="module")
def validator():
    from altair.vegalite.v6.schema import load_schema

    return jsonschema.Draft7Validator(load_schema())


def assert_valid(validator, spec):
    errors = [error.message[:200] for error in validator.iter_errors(spec)]
    assert not errors, errors


def test_probability_bars_keep_order_colours_and_values(validator):
    spec = charts.probability_bars({"neg": 0.2, "pos": 0.8}, labels={"neg": "négatif", "pos": "positif"}, colours={"neg": "rgb(213, 94, 0)", "pos": "#0072b2"}, order=["pos", "neg"])
    assert_valid(validator, spec)
    assert [row["label"] for row in spec["data"]["values"]] == ["positif", "négatif"]
    assert spec["encoding"]["color"]["scale"] == {"domain": ["neg", "pos"], "range": ["rgb(213, 94, 0)", "#0072b2"]}


def test_signed_bars_colour_by_side_on_a_symmetric_range(validator):
    spec = charts.signed_bars(["radius", "texture"], [0.5, -0.25], scale=0.5, colours=("#ff7f0e", "#7b3294"), x_title="weight", name_title="feature")
    assert_valid(validator, spec)
    assert [row["side"] for row in spec["data"]["values"]] == ["towards", "against"]
    low, high = spec["encoding"]["x"]["scale"]["domain"]
    assert low == -high == pytest.approx(-0.525)
    assert spec["height"] == 28 * 2 + 20


def test_signed_bars_survive_a_zero_scale(validator):
    spec = charts.signed_bars(["a"], [0.0], scale=0.0, colours=("#000", "#fff"))
    assert_valid(validator, spec)
    assert spec["encoding"]["x"]["scale"]["domain"][1] > 0


def test_beeswarm_orders_features_and_jitters(validator):
    rows = [{"feature": name, "shap": shap, "value": 1.0, "level": 0.5} for name, shap in (("b", 0.1), ("a", -0.2))]
    spec = charts.beeswarm(rows, order=["a", "b"], x_title="SHAP", colour_title="rank", value_title="value")
    assert_valid(validator, spec)
    assert spec["encoding"]["y"]["sort"] == ["a", "b"]
    assert spec["transform"][0]["as"] == spec["encoding"]["yOffset"]["field"]
    assert len(spec["data"]["values"]) == 2


def test_line_chart_drops_missing_points(validator):
    spec = charts.line_chart({"train": [1.0, float("nan"), 0.5]}, x_title="epoch", y_title="loss", log_y=True)
    assert_valid(validator, spec)
    assert [row["x"] for row in spec["data"]["values"]] == [1.0, 3.0]


def test_heatmap_keeps_the_token_order_on_both_axes(validator):
    order = ["0:The", "1:▁cat"]
    spec = charts.heatmap([("0:The", "0:The", 1.0), ("0:The", "1:▁cat", 0.3), ("1:▁cat", "1:▁cat", 0.7)], order, "key", "query", "weight", title="head 1")
    assert_valid(validator, spec)
    assert spec["encoding"]["x"]["sort"] == spec["encoding"]["y"]["sort"] == order
    assert sum(row["w"] for row in spec["data"]["values"]) == pytest.approx(2.0)


def test_curves_dash_by_method_and_read_a_dataframe(validator):
    import pandas as pd

    frame = pd.DataFrame({"eps": [0, 8, 16], "accuracy": [0.99, 0.5, float("nan")], "series": ["std · fgsm"] * 3, "method": ["fgsm"] * 3})
    spec = charts.curves(frame, "eps", "accuracy", "series", dash="method", x_title="ε", y_title="accuracy", series_title="model")
    assert_valid(validator, spec)
    assert spec["encoding"]["strokeDash"]["field"] == "method"
    assert spec["data"]["values"][2]["accuracy"] is None  # NaN is not JSON: it becomes a gap
    assert isinstance(spec["data"]["values"][0]["eps"], int)


def test_labelled_scatter_layers_points_and_labels(validator):
    rows = [{"model": "digit CNN", "method": "int8", "size": 0.1, "accuracy": 0.97}, {"model": "digit CNN", "method": "original", "size": 0.4, "accuracy": 0.97}]
    spec = charts.labelled_scatter(rows, "size", "accuracy", "model", "method", tooltip=[("model", ""), ("size", ".3f")])
    assert_valid(validator, spec)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["point", "text"]
    assert spec["encoding"]["x"]["scale"] == {"type": "log"}
    assert spec["encoding"]["tooltip"][1] == {"field": "size", "type": "quantitative", "format": ".3f"}


def test_point_map_draws_groups_over_the_background(validator):
    spec = charts.point_map(
        ([0.0, 1.0, 2.0], [0.0, 1.0, 0.5], ["Alien (1979)", "Heat (1995)", "<script>x</script>"]),
        [("liked", [0.0], [0.0], ["Alien (1979)"], "#0072b2", "circle"), ("for you", [1.0], [1.0], ["Heat (1995)"], "#e69f00", "diamond")],
        background_name="other films",
    )
    assert_valid(validator, spec)
    assert spec["encoding"]["color"]["scale"]["domain"] == ["other films", "liked", "for you"]
    assert len(spec["datasets"][charts.POINT_MAP_BACKGROUND]) == 3
    assert [row["group"] for row in spec["datasets"][charts.POINT_MAP_GROUPS]] == ["liked", "for you"]
    assert spec["encoding"]["x"]["axis"] is None


def test_memory_against_budget_stacks_the_models_and_draws_the_budget(validator):
    spec = charts.memory_against_budget({"sentiment": 120.0, "qa": 1100.5}, budget_mb=4096)
    assert_valid(validator, spec)
    bars, budget = spec["layer"]
    assert bars["data"]["values"] == [{"model": "sentiment", "MB": 120.0}, {"model": "qa", "MB": 1100.5}]
    assert budget["data"]["values"] == [{"MB": 4096.0}] and budget["mark"]["type"] == "rule"

"""Small charts as plain Vega-Lite dictionaries, for ``st.vega_lite_chart``.

Building the same chart with Altair costs about 100 ms of server CPU per chart and per rerun
(Altair validates the whole specification against the Vega-Lite JSON schema every time), which
was most of a sentiment click's server time.  These helpers write the few chart shapes the
pages need directly, with the same look.  Pure: no Streamlit import.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence


def probability_bars(
    values: Mapping[str, float],
    labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    order: Sequence[str] | None = None,
    height: int = 120,
    percent: bool = True,
) -> dict[str, Any]:
    """Horizontal bars, one per key of ``values`` (0–1), named by ``labels`` and coloured by ``colours``.

    Returns a Vega-Lite specification with its data inlined.
    """
    labels = labels or {key: key for key in values}
    keys = list(order) if order else list(values)
    rows = [{"key": key, "label": labels.get(key, key), "p": float(values.get(key, 0.0))} for key in keys if key in values]
    colour_encoding: dict[str, Any] = {"field": "key", "type": "nominal", "legend": None}
    if colours:
        colour_encoding["scale"] = {"domain": list(colours), "range": list(colours.values())}
    axis = {"format": "%"} if percent else {}
    return {
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "height": height,
        "encoding": {
            "x": {"field": "p", "type": "quantitative", "title": None, "scale": {"domain": [0, 1]} if percent else {}, "axis": axis},
            "y": {"field": "label", "type": "nominal", "title": None, "sort": [row["label"] for row in rows]},
            "color": colour_encoding,
            "tooltip": [{"field": "label", "type": "nominal"}, {"field": "p", "type": "quantitative", "format": ".1%" if percent else ".3g"}],
        },
    }


def line_chart(
    series: Mapping[str, Sequence[float]],
    x_title: str = "",
    y_title: str = "",
    height: int = 220,
    x_values: Sequence[float] | None = None,
    log_y: bool = False,
) -> dict[str, Any]:
    """One line per named series (same length), x = ``x_values`` or 1, 2, 3 ...: a Vega-Lite specification."""
    rows = []
    for name, ys in series.items():
        xs = list(x_values) if x_values is not None else list(range(1, len(ys) + 1))
        rows += [{"x": float(x), "y": float(y), "series": name} for x, y in zip(xs, ys) if y == y]  # drop NaN
    y_encoding: dict[str, Any] = {"field": "y", "type": "quantitative", "title": y_title}
    if log_y:
        y_encoding["scale"] = {"type": "log"}
    return {
        "data": {"values": rows},
        "mark": {"type": "line", "point": False},
        "height": height,
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "title": x_title},
            "y": y_encoding,
            "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "tooltip": [{"field": "series", "type": "nominal"}, {"field": "x", "type": "quantitative"}, {"field": "y", "type": "quantitative", "format": ".3g"}],
        },
    }


def signed_bars(
    names: Sequence[str],
    weights: Sequence[float],
    scale: float,
    colours: tuple[str, str],
    x_title: str = "",
    name_title: str = "",
) -> dict[str, Any]:
    """Horizontal bars of signed weights (in the given order), ``colours`` = (positive, negative),
    on a fixed x range of ±1.05 × ``scale``: a Vega-Lite specification."""
    rows = [{"name": name, "weight": float(weight), "side": "towards" if weight >= 0 else "against"} for name, weight in zip(names, weights)]
    limit = 1.05 * float(scale or 1.0)
    return {
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "height": 28 * len(rows) + 20,
        "encoding": {
            "x": {"field": "weight", "type": "quantitative", "title": x_title, "scale": {"domain": [-limit, limit], "nice": False}},
            "y": {"field": "name", "type": "nominal", "title": None, "sort": None},
            "color": {"field": "side", "type": "nominal", "legend": None, "scale": {"domain": ["towards", "against"], "range": list(colours)}},
            "tooltip": [{"field": "name", "type": "nominal", "title": name_title}, {"field": "weight", "type": "quantitative", "format": "+.4f", "title": x_title}],
        },
    }


def beeswarm(
    rows: Sequence[Mapping[str, float | str]],
    order: Sequence[str],
    x_title: str = "",
    colour_title: str = "",
    value_title: str = "",
    height: int = 360,
) -> dict[str, Any]:
    """A SHAP beeswarm: one jittered dot per row (``feature``, ``shap``, ``value``, ``level`` 0–1),
    features in ``order`` top to bottom, coloured by ``level``: a Vega-Lite specification."""
    return {
        "data": {"values": list(rows)},
        "transform": [{"calculate": "sqrt(-2*log(random()))*cos(2*PI*random())", "as": "jitter"}],
        "mark": {"type": "circle", "size": 28, "opacity": 0.75},
        "height": height,
        "encoding": {
            "x": {"field": "shap", "type": "quantitative", "title": x_title},
            "y": {"field": "feature", "type": "nominal", "title": None, "sort": list(order)},
            "yOffset": {"field": "jitter", "type": "quantitative"},
            "color": {"field": "level", "type": "quantitative", "scale": {"scheme": "viridis"}, "title": colour_title},
            "tooltip": [
                {"field": "feature", "type": "nominal"},
                {"field": "value", "type": "quantitative", "format": ".4g", "title": value_title},
                {"field": "shap", "type": "quantitative", "format": "+.3f"},
            ],
        },
    }


def heatmap(
    cells: Sequence[tuple[str, str, float]],
    order: Sequence[str],
    x_title: str = "",
    y_title: str = "",
    colour_title: str = "",
    title: str = "",
    height: int = 320,
) -> dict[str, Any]:
    """A square heatmap of (x label, y label, weight) cells, both axes in ``order``, blues: a Vega-Lite specification."""
    return {
        "data": {"values": [{"x": x, "y": y, "w": float(w)} for x, y, w in cells]},
        "mark": {"type": "rect"},
        "height": height,
        "title": title,
        "encoding": {
            "x": {"field": "x", "type": "nominal", "sort": list(order), "title": x_title, "axis": {"labelAngle": -60, "labelFontSize": 8}},
            "y": {"field": "y", "type": "nominal", "sort": list(order), "title": y_title, "axis": {"labelFontSize": 8}},
            "color": {"field": "w", "type": "quantitative", "scale": {"scheme": "blues"}, "title": colour_title},
            "tooltip": [{"field": "y", "type": "nominal"}, {"field": "x", "type": "nominal"}, {"field": "w", "type": "quantitative", "format": ".3f"}],
        },
    }


def _plain(value: Any) -> Any:
    """A JSON-safe cell: numpy scalars to Python, NaN to None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def records(rows: Any) -> list[dict[str, Any]]:
    """Rows (a pandas DataFrame or a sequence of mappings) as JSON-safe dictionaries."""
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict(orient="records")
    return [{str(key): _plain(value) for key, value in row.items()} for row in rows]


def curves(
    rows: Any,
    x: str,
    y: str,
    series: str,
    dash: str | None = None,
    x_title: str = "",
    y_title: str = "",
    series_title: str = "",
    y_percent: bool = True,
    height: int = 380,
) -> dict[str, Any]:
    """Lines with points, one per value of ``series`` (dashed by ``dash``), y on 0–1 as percent
    when ``y_percent``: a Vega-Lite specification."""
    y_encoding: dict[str, Any] = {"field": y, "type": "quantitative", "title": y_title}
    if y_percent:
        y_encoding |= {"scale": {"domain": [0, 1]}, "axis": {"format": "%"}}
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "quantitative", "title": x_title},
        "y": y_encoding,
        "color": {"field": series, "type": "nominal", "title": series_title, "legend": {"orient": "bottom", "columns": 2, "labelLimit": 400}},
        "tooltip": [{"field": series, "type": "nominal"}, {"field": x, "type": "quantitative"}, {"field": y, "type": "quantitative", "format": ".1%" if y_percent else ".3g"}],
    }
    if dash:
        encoding["strokeDash"] = {"field": dash, "type": "nominal", "legend": None}
    return {"data": {"values": records(rows)}, "mark": {"type": "line", "point": True}, "height": height, "encoding": encoding}


def labelled_scatter(
    rows: Any,
    x: str,
    y: str,
    colour: str,
    label: str,
    x_title: str = "",
    y_title: str = "",
    tooltip: Sequence[tuple[str, str]] = (),
    log_x: bool = True,
    height: int = 330,
) -> dict[str, Any]:
    """Filled points coloured by ``colour``, shaped and labelled by ``label``, y as percent (not from 0),
    x on a log scale when ``log_x``; ``tooltip``: (field, d3 format or "" for text): a Vega-Lite specification."""
    tips = [{"field": field, "type": "quantitative" if fmt else "nominal", **({"format": fmt} if fmt else {})} for field, fmt in tooltip]
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "quantitative", "title": x_title, **({"scale": {"type": "log"}} if log_x else {})},
        "y": {"field": y, "type": "quantitative", "title": y_title, "axis": {"format": ".1%"}, "scale": {"zero": False, "padding": 12}},
        "color": {"field": colour, "type": "nominal", "legend": {"orient": "bottom", "columns": 1, "labelLimit": 600}},
        "shape": {"field": label, "type": "nominal", "legend": None},
        "tooltip": tips,
    }
    return {
        "data": {"values": records(rows)},
        "height": height,
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "point", "size": 90, "filled": True}},
            {"mark": {"type": "text", "align": "left", "dx": 7, "fontSize": 11}, "encoding": {"text": {"field": label, "type": "nominal"}}},
        ],
    }


POINT_MAP_BACKGROUND = "background"  # the names of point_map's two datasets
POINT_MAP_GROUPS = "groups"


def point_map(
    background: tuple[Sequence[float], Sequence[float], Sequence[str]],
    groups: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[str], str, str]],
    background_name: str = "",
    background_colour: str = "#bbbbbb",
    height: int = 460,
) -> dict[str, Any]:
    """A 2-D map without axes: small ``background`` dots (x, y, names), then each group
    (name, x, y, names, colour, shape) as big outlined marks on top, named in a legend at the
    bottom; hovering shows a dot's name.  A Vega-Lite specification.

    The background and the groups are two named datasets: when only the groups change between
    two answers, Streamlit sends the same background bytes and the browser keeps that dataset
    instead of rebuilding every dot (most of the page's drawing on the recommendation page)."""
    background_rows = [{"x": float(x), "y": float(y), "name": name, "group": background_name} for x, y, name in zip(*background)]
    group_rows = [{"x": float(x), "y": float(y), "name": name, "group": group} for group, xs, ys, names, _, _ in groups for x, y, name in zip(xs, ys, names)]
    domain = [background_name, *(group[0] for group in groups)]
    colours = [background_colour, *(group[4] for group in groups)]
    shapes = ["circle", *(group[5] for group in groups)]
    position = {
        "x": {"field": "x", "type": "quantitative", "axis": None, "scale": {"zero": False}},
        "y": {"field": "y", "type": "quantitative", "axis": None, "scale": {"zero": False}},
        "tooltip": [{"field": "name", "type": "nominal"}],
        "color": {"field": "group", "type": "nominal", "title": None, "scale": {"domain": domain, "range": colours}, "legend": {"orient": "bottom"}},
        "shape": {"field": "group", "type": "nominal", "scale": {"domain": domain, "range": shapes}, "legend": None},
    }
    return {
        "datasets": {POINT_MAP_BACKGROUND: background_rows, POINT_MAP_GROUPS: group_rows},
        "height": height,
        "encoding": position,
        "layer": [
            {"data": {"name": POINT_MAP_BACKGROUND}, "mark": {"type": "point", "filled": True, "size": 12, "opacity": 0.6}},
            {"data": {"name": POINT_MAP_GROUPS}, "mark": {"type": "point", "filled": True, "size": 160, "stroke": "white", "strokeWidth": 1}},
        ],
    }


def memory_against_budget(used_mb: Mapping[str, float], budget_mb: float, height: int = 90) -> dict[str, Any]:
    """One stacked bar of each loaded model's memory (MB), with a red rule at the budget: a Vega-Lite specification."""
    rows = [{"model": name, "MB": float(mb)} for name, mb in used_mb.items()]
    return {
        "height": height,
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {"aggregate": "sum", "field": "MB", "type": "quantitative", "title": "MB"},
                    "color": {"field": "model", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
                    "tooltip": [{"field": "model", "type": "nominal"}, {"field": "MB", "type": "quantitative", "format": ",.0f"}],
                },
            },
            {
                "data": {"values": [{"MB": float(budget_mb)}]},
                "mark": {"type": "rule", "color": "red", "strokeWidth": 3},
                "encoding": {"x": {"field": "MB", "type": "quantitative"}},
            },
        ],
    }

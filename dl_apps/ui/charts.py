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

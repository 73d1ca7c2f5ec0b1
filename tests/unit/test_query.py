"""The link-settings parser: whatever a query string says, a usable value and never an exception."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dl_apps.ui.query import Setting, parse_query, parse_setting, to_query

SCHEMA = {
    "n": Setting("int", 8, 1, 16),
    "guidance": Setting("float", 1.5, 0.0, 5.0, step=0.5),
    "lr": Setting("float", 0.03, 1e-5, 10.0),
    "scheduler": Setting("choice", "ddim", choices=("ddim", "ddpm")),
    "noise": Setting("bool", False),
    "hidden": Setting("list", [4, 4], 1, 16, max_items=4),
    "title": Setting("text", "", max_chars=50),
}
HOSTILE = ["inf", "-inf", "nan", "NaN", "1e400", "-1e400", "-3", "0", "9" * 400, "abc", "", " ", "1,5", "0x10",
           "<script>alert(1)</script>", "\u202e\u200b", "[x](javascript:alert(1))", "\x00", "1" * 100_000, "16,16,16,16,16,16"]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300), st.floats(allow_nan=True, allow_infinity=True).map(str),
                   st.integers(min_value=-10**30, max_value=10**30).map(str))


def within(name, value):
    setting = SCHEMA[name]
    if setting.kind == "int":
        return isinstance(value, int) and setting.low <= value <= setting.high
    if setting.kind == "float":
        return isinstance(value, float) and math.isfinite(value) and setting.low <= value <= setting.high
    if setting.kind == "choice":
        return value in setting.choices
    if setting.kind == "bool":
        return isinstance(value, bool)
    if setting.kind == "list":
        return len(value) <= setting.max_items and all(setting.low <= v <= setting.high for v in value)
    return isinstance(value, str) and len(value) <= setting.max_chars


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(SCHEMA) + ["unknown", "lang"]), st.one_of(values, st.lists(values, min_size=0, max_size=3))))
def test_any_query_string_gives_values_in_range_and_never_raises(params):
    parsed, notices = parse_query(params, SCHEMA)
    assert set(parsed) <= set(SCHEMA)
    for name, value in parsed.items():
        assert within(name, value), (name, params[name], value)
    for item in notices:
        assert item["code"] in ("url_value_fixed", "url_value_repeated")
        assert len(item.get("value", "")) <= 40


def test_clamps_and_reports():
    assert parse_setting("n", "500", SCHEMA["n"])[0] == 16
    assert parse_setting("n", "inf", SCHEMA["n"])[0] == 16
    assert parse_setting("n", "-inf", SCHEMA["n"])[0] == 1
    assert parse_setting("n", "nan", SCHEMA["n"])[0] == 8
    assert parse_setting("guidance", "25", SCHEMA["guidance"])[0] == 5.0
    assert parse_setting("guidance", "1.3", SCHEMA["guidance"])[0] == 1.5
    value, notices = parse_setting("n", "7", SCHEMA["n"])
    assert value == 7 and notices == []
    value, notices = parse_setting("n", ["3", "9"], SCHEMA["n"])
    assert value == 3 and [n["code"] for n in notices] == ["url_value_repeated"]
    assert parse_setting("scheduler", "DDPM", SCHEMA["scheduler"])[0] == "ddpm"
    assert parse_setting("noise", "oui", SCHEMA["noise"])[0] is True
    assert parse_setting("hidden", "", SCHEMA["hidden"]) == ([], [])
    assert parse_setting("hidden", "16,99", SCHEMA["hidden"])[0] == [16, 16]


def test_round_trip_through_a_link():
    values = {"n": 4, "guidance": 2.5, "scheduler": "ddpm", "noise": True, "hidden": [8, 2], "title": "spiral"}
    parsed, notices = parse_query(to_query(values, SCHEMA), SCHEMA)
    assert parsed == values and notices == []

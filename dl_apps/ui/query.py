"""Settings read from a link's query string, parsed so that no link can break a page.

Workshop material is shared as links (``?lang=fr&steps=50&guidance=1.5``), and a link can say
anything: ``inf``, ``nan``, ``1e400``, ``-3``, ``abc``, a key given twice, 100,000 characters.
Every page declares the settings it reads from its URL as a schema of :class:`Setting`, and
:func:`parse_query` turns whatever the link says into values the page's widgets accept:

* a number out of range is clamped to the nearest allowed value (and snapped to the slider step);
* a value of the wrong type, ``nan``, or a choice the page does not offer falls back to the default;
* a repeated key uses its first value; a very long value is cut before it is parsed;
* every change is reported as a notice (code ``url_value_fixed``) that the page shows, translated.

Pure Python, no Streamlit import: the page side is :func:`dl_apps.ui.page.query_settings`.
It never raises for any input (a property-based test feeds it random query strings).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Sequence

from dl_apps.core import notice

MAX_VALUE_CHARS = 200  # longer values are cut before parsing (and shown cut in the notice)
SHOWN_CHARS = 40
Kind = Literal["int", "float", "choice", "bool", "text", "list"]
TRUE_WORDS = {"1", "true", "yes", "on", "oui", "vrai"}
FALSE_WORDS = {"0", "false", "no", "off", "non", "faux"}


@dataclass(frozen=True)
class Setting:
    """One setting a page reads from its URL: its kind, default and allowed values.

    ``int``/``float``: ``low``..``high`` (inclusive), snapped to ``step`` when given;
    ``choice``: one of ``choices``; ``bool``: true/false words in English or French;
    ``text``: at most ``max_chars`` characters; ``list``: comma-separated ints in
    ``low``..``high``, at most ``max_items`` items (e.g. hidden layer sizes ``16,16``).
    """

    kind: Kind
    default: Any
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[Any, ...] = field(default_factory=tuple)
    max_chars: int = MAX_VALUE_CHARS
    max_items: int = 8


def first_value(raw: Any) -> tuple[str | None, bool]:
    """The first value of a query parameter (Streamlit gives a list for repeated keys) and whether it was repeated."""
    if isinstance(raw, (list, tuple)):
        return (str(raw[0]) if raw else None), len(raw) > 1
    return (None if raw is None else str(raw)), False


def _shown(text: str) -> str:
    """A value as it may be shown back to the user: short, printable (the page renders it as plain text)."""
    cleaned = "".join(ch if ch.isprintable() else "�" for ch in text)
    return cleaned if len(cleaned) <= SHOWN_CHARS else cleaned[: SHOWN_CHARS - 1] + "…"


def _fixed(name: str, raw: str, used: Any) -> dict[str, Any]:
    return notice(
        "url_value_fixed",
        f"The link's value {name}={_shown(raw)!r} cannot be used; {used!r} is used instead.",
        name=name,
        value=_shown(raw),
        used=str(used),
    )


def _clamp_number(number: float, setting: Setting) -> float:
    if setting.low is not None:
        number = max(number, setting.low)
    if setting.high is not None:
        number = min(number, setting.high)
    if setting.step:
        base = setting.low or 0.0
        number = base + round((number - base) / setting.step) * setting.step
        if setting.high is not None and number > setting.high:
            number -= setting.step
    return number


def _parse_number(text: str, setting: Setting) -> tuple[Any, bool]:
    """(value, exact): a number in range, or the clamped/default value and False."""
    try:
        number = float(text.strip().replace(",", ".")) if setting.kind == "float" else float(text.strip())
    except (ValueError, OverflowError):
        return setting.default, False
    if math.isnan(number):
        return setting.default, False
    clamped = _clamp_number(number, setting)  # ±inf clamps to the bounds (or stays inf with no bound)
    if math.isinf(clamped):
        return setting.default, False
    if setting.kind == "int":
        value: Any = int(round(clamped))
        return value, float(value) == number
    value = round(float(clamped), 10)
    return value, value == number


def _parse_list(text: str, setting: Setting) -> tuple[Any, bool]:
    if not text.strip():
        return [], True
    items: list[int] = []
    exact = True
    for part in text.split(",")[: setting.max_items]:
        value, ok = _parse_number(part, Setting("int", None, setting.low, setting.high))
        if value is None:
            exact = False
            continue
        items.append(value)
        exact = exact and ok
    if len(text.split(",")) > setting.max_items:
        exact = False
    return items, exact


def parse_setting(name: str, raw: Any, setting: Setting) -> tuple[Any, list[dict[str, Any]]]:
    """One URL value → (a value the page accepts, notices). Never raises."""
    text, repeated = first_value(raw)
    notices: list[dict[str, Any]] = []
    if text is None:
        return setting.default, notices
    if repeated:
        notices.append(notice("url_value_repeated", f"{name} is given several times in the link; the first value is used.", name=name))
    too_long = len(text) > setting.max_chars
    text = text[: setting.max_chars]
    if setting.kind in ("int", "float"):
        value, exact = _parse_number(text, setting)
    elif setting.kind == "list":
        value, exact = _parse_list(text, setting)
    elif setting.kind == "bool":
        word = text.strip().lower()
        exact = word in TRUE_WORDS or word in FALSE_WORDS
        value = (word in TRUE_WORDS) if exact else setting.default
    elif setting.kind == "choice":
        lookup = {str(choice).lower(): choice for choice in setting.choices}
        exact = text.strip().lower() in lookup
        value = lookup.get(text.strip().lower(), setting.default)
    else:  # text
        value, exact = text.replace("\x00", ""), not too_long
    if too_long and setting.kind != "text":
        exact = False
    if not exact:
        notices.append(_fixed(name, text, value))
    return value, notices


def parse_query(params: Mapping[str, Any], schema: Mapping[str, Setting]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The settings of ``schema`` found in ``params`` (a query-string mapping) → (values, notices).

    Only keys present in ``params`` appear in the values; unknown keys are ignored.  Never raises.
    """
    values: dict[str, Any] = {}
    notices: list[dict[str, Any]] = []
    for name, setting in schema.items():
        if name not in params:
            continue
        try:
            value, found = parse_setting(name, params[name], setting)
        except Exception:  # noqa: BLE001 - a link must never break a page
            value, found = setting.default, [_fixed(name, str(params.get(name))[:MAX_VALUE_CHARS], setting.default)]
        values[name] = value
        notices.extend(found)
    return values, notices


def to_query(values: Mapping[str, Any], schema: Mapping[str, Setting]) -> dict[str, str]:
    """Settings → query-string values (the inverse of :func:`parse_query`), so a link reproduces a view."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if name not in schema:
            continue
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, float):
            out[name] = f"{value:g}"
        elif isinstance(value, (list, tuple)):
            out[name] = ",".join(str(int(v)) for v in value)
        else:
            out[name] = str(value)
    return out


def sequence_of(params: Mapping[str, Any], name: str) -> Sequence[str]:
    """All values of ``name`` (repeated keys), as strings."""
    raw = params.get(name)
    if raw is None:
        return []
    return [str(v) for v in raw] if isinstance(raw, (list, tuple)) else [str(raw)]

"""The string catalogue: every UI string in English and French, looked up by key.

Strings live in ``dl_apps/ui/strings/<area>.py`` (shared) and ``dl_apps/tasks/<task>/strings.py``, each defining
``STRINGS = {"key": ("English", "Français"), ...}``; keys are namespaced by page
(``sentiment.title``) and shared ones have no prefix (``common.run``).  Placeholders
use ``str.format`` syntax.  Plain Python: no Streamlit import.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"
STRICT_ENV = "DL_HUB_STRICT_I18N"  # "1" (set by tests/conftest.py): a missing key or placeholder raises


class TranslationError(LookupError):
    """A string key is missing, or its text needs a placeholder the caller did not give (strict mode only)."""


def strict() -> bool:
    """Whether :func:`t` raises instead of falling back (env ``DL_HUB_STRICT_I18N=1``, as in the tests)."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names of ``text`` ("{n:,}" -> "n"; "{{" is not a field)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, tuple[str, str]]:
    """All strings from every module of ``dl_apps.ui.strings`` (a duplicate key is an error)."""
    merged: dict[str, tuple[str, str]] = {}
    for module_name in string_modules():
        module = importlib.import_module(module_name)
        for key, pair in getattr(module, "STRINGS", {}).items():
            if key in merged:
                raise ValueError(f"string key {key!r} defined twice (in {module_name})")
            merged[key] = pair
    return merged


def string_modules() -> list[str]:
    """Every module holding ``STRINGS``: the shared ones in ``dl_apps.ui.strings`` and each task's ``strings``."""
    from dl_apps import tasks
    from dl_apps.ui import strings

    names = [f"{strings.__name__}.{info.name}" for info in pkgutil.iter_modules(strings.__path__)]
    for info in pkgutil.iter_modules(tasks.__path__):
        if info.ispkg and (Path(tasks.__path__[0]) / info.name / "strings.py").is_file():
            names.append(f"{tasks.__name__}.{info.name}.strings")
    names.append("dl_apps.serving.strings")  # the model tier's messages (issue 20)
    return sorted(names)


class _FrenchNumbers(string.Formatter):
    """French number style for numeric fields: 12 345,6 (thin space, decimal comma)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = text.replace(",", "\u202f").replace(".", ",")
            if text.endswith("%"):
                text = text[:-1] + "\u202f%"
        return text


_FRENCH = _FrenchNumbers()


def normalise_language(lang: Any) -> str:
    """'fr', 'FR', ['fr'] → 'fr'; anything unknown → the default language."""
    if isinstance(lang, (list, tuple)):
        lang = lang[0] if lang else None
    lang = str(lang or "").strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, **params: Any) -> str:
    """The string ``key`` in ``lang``, formatted with ``params``.

    In production a missing key gives the key itself and a failed formatting the raw text;
    in strict mode (:func:`strict`, set in the tests) both raise :class:`TranslationError`.
    """
    pair = catalogue().get(key)
    if pair is None:
        if strict():
            raise TranslationError(f"no string {key!r} in the catalogue (add it to a strings.py, in English and French)")
        return key
    text = pair[LANGUAGES.index(normalise_language(lang))]
    if params:
        try:
            return _FRENCH.format(text, **params) if normalise_language(lang) == "fr" else text.format(**params)
        except (KeyError, IndexError, ValueError, AttributeError) as error:
            if strict():
                missing = sorted(placeholders(text) - set(params))
                raise TranslationError(
                    f"string {key!r} ({lang}) cannot be formatted with {sorted(params)}: missing {missing or error!r}"
                ) from error
            return text
    return text


def has(key: str) -> bool:
    """Whether the catalogue defines ``key``."""
    return key in catalogue()

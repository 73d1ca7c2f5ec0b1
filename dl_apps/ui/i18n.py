"""The string catalogue: every UI string in English and French, looked up by key.

Strings live in ``dl_apps/ui/strings/<area>.py`` (shared) and ``dl_apps/tasks/<task>/strings.py``, each defining
``STRINGS = {"key": ("English", "Français"), ...}``; keys are namespaced by page
(``sentiment.title``) and shared ones have no prefix (``common.run``).  Placeholders
use ``str.format`` syntax.  Plain Python: no Streamlit import.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"


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
    """The string ``key`` in ``lang``, formatted with ``params``; the key itself if missing."""
    pair = catalogue().get(key)
    if pair is None:
        return key
    text = pair[LANGUAGES.index(normalise_language(lang))]
    if params:
        try:
            return _FRENCH.format(text, **params) if normalise_language(lang) == "fr" else text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str) -> bool:
    """Whether the catalogue defines ``key``."""
    return key in catalogue()

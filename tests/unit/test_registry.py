"""The manifest parses, validates, and every offline model is declared properly."""

import pytest

from dl_apps.registry import UnknownModelError, get_model_spec, load_registry
from dl_apps.ui.i18n import LANGUAGES, catalogue


def test_every_task_has_translated_names_and_at_most_one_default():
    registry = load_registry()
    strings = catalogue()
    for task in registry.tasks:
        assert f"nav.{task}" in strings and f"gallery.{task}.blurb" in strings
        assert sum(spec.default for spec in registry.models_for(task)) <= 1


def test_offline_models_have_cards_and_licences():
    for spec in load_registry().models:
        assert spec.licence.strip()
        if spec.source != "hub":
            assert spec.card_path is not None and spec.card_path.is_file(), spec.id
            assert "licen" in spec.card_text().lower(), f"{spec.id}: the card must state the licence"


def test_available_tasks_have_a_default_and_page_strings():
    registry = load_registry()
    strings = catalogue()
    for task in registry.tasks_in_order():
        if task.available:
            assert registry.default_for(task.name).source != "hub"
            for key in (f"{task.name}.title", f"{task.name}.tagline", f"{task.name}.how"):
                assert key in strings, key


def test_every_string_has_both_languages():
    for key, pair in catalogue().items():
        assert len(pair) == len(LANGUAGES), key
        assert all(isinstance(text, str) and text.strip() for text in pair), key


def test_hub_ids_and_unknown_ids():
    spec = get_model_spec("hub:org/some-model", task="sentiment")
    assert spec.source == "hub" and spec.hub_id == "org/some-model"
    with pytest.raises(UnknownModelError):
        get_model_spec("no-such-model")
    with pytest.raises(UnknownModelError):
        get_model_spec("sentiment-vader", task="qa")

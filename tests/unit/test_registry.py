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


def test_every_model_has_a_french_title_and_a_french_licence_note():
    """Shown on French pages; the licence note in French prose, not a copy of the English one."""
    for spec in load_registry().models:
        assert spec.title_fr and spec.title_fr.strip(), f"{spec.id}: add title_fr to models/manifest.toml"
        assert spec.licence_fr and spec.licence_fr.strip(), f"{spec.id}: add licence_fr to models/manifest.toml"
        if spec.source != "hub":
            assert spec.licence_fr != spec.licence, f"{spec.id}: licence_fr must be written in French"
        assert spec.title_in("fr") == spec.title_fr and spec.title_in("en") == spec.title
        assert spec.licence_in("fr") == spec.licence_fr and spec.licence_in("en") == spec.licence


# The roles the pages ask for (pages never name a model id); each must resolve.
PAGE_ROLES = [
    ("sentiment", "baseline"),
    ("medical", "demonstration-only"),
    ("recommend", "film-map"),
    ("recommend", "star-weights"),
    ("asr", "reference-engine"),
    ("asr", "same-weights-as-reference"),
    ("attack", "standard"),
    ("attack", "defended"),
    ("attack", "digit-classifier"),
    ("detection", "fixed-input-size"),
]


@pytest.mark.parametrize("task,role", PAGE_ROLES)
def test_roles_the_pages_use_resolve(task, role):
    registry = load_registry()
    found = registry.models_with_role(task, role)
    assert found and all(spec.task == task and spec.has_role(role) for spec in found)
    assert registry.model_with_role(task, role) == found[0]


def test_role_semantics():
    registry = load_registry()
    assert registry.model_with_role("sentiment", "baseline").source == "packaged"
    reference = registry.model_with_role("asr", "reference-engine")
    # "same weights as the reference": the same packaged weights, another engine
    for spec in registry.models_with_role("asr", "same-weights-as-reference"):
        assert spec.options.get("package") == reference.options.get("package") and spec.loader != reference.loader
    assert {registry.model_with_role("attack", r).id for r in ("standard", "defended")} == {
        spec.id for spec in registry.models_with_role("attack", "digit-classifier")
    }
    assert all(spec.options.get("input") == "digits" for spec in registry.models_with_role("attack", "digit-classifier"))
    with pytest.raises(UnknownModelError):
        registry.model_with_role("sentiment", "no-such-role")
    assert registry.models_with_role("sentiment", "no-such-role") == []


def test_no_page_names_a_model_id():
    """Pages ask the registry (default, roles, options), never hard-code a model id."""
    import re

    from dl_apps.registry import REPO_ROOT

    ids = {spec.id for spec in load_registry().models}
    for page in sorted((REPO_ROOT / "pages").glob("*.py")):
        literals = set(re.findall(r"""["']([^"'\\\n]+)["']""", page.read_text(encoding="utf-8")))
        named = sorted(ids & literals)
        assert not named, f"{page.name} names model ids {named}: give the models a role in the manifest instead"


def test_a_server_can_choose_its_own_offline_defaults(monkeypatch):
    from dl_apps.registry import DEFAULTS_ENV, load_registry, with_defaults

    manifest = load_registry()
    assert manifest.default_for("qa").id == "qa-gemma3-span-reader"
    fast = with_defaults(manifest, " qa = qa-e5-retrieve-select , detect=" + manifest.default_for("detection").id)
    assert fast.default_for("qa").id == "qa-e5-retrieve-select"
    assert [s.id for s in fast.models_for("qa")][0] == "qa-e5-retrieve-select"  # first in the page's selector
    assert sum(s.default for s in fast.models_for("qa")) == 1
    assert fast.default_for("sentiment") == manifest.default_for("sentiment")  # other tasks untouched
    assert with_defaults(manifest, "") is manifest
    for bad in ("qa=no-such-model", "nope=qa-e5-retrieve-select", "qa=sentiment-vader", "qa=qa-distilbert-squad-hub", "qa"):
        with pytest.raises(ValueError, match=DEFAULTS_ENV):
            with_defaults(manifest, bad)
    monkeypatch.setenv(DEFAULTS_ENV, "qa=qa-e5-retrieve-select")
    load_registry.cache_clear()
    try:
        from dl_apps.registry import resolve_model_id

        assert resolve_model_id("qa", None) == "qa-e5-retrieve-select"  # what pages, CLI and benches use
    finally:
        monkeypatch.delenv(DEFAULTS_ENV)
        load_registry.cache_clear()
    assert load_registry().default_for("qa").id == "qa-gemma3-span-reader"

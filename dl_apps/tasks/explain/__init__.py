"""Explanations: SHAP and LIME side by side on a table, a text and an image, with the hub's own models.

Three targets, each explained by both methods on the same input:

* ``tabular``: the project's gradient-boosting model of the breast-cancer table
  (registry id ``tabular-cancer-gb``, this task's default).  SHAP uses TreeExplainer
  (exact Shapley values of the trees, in log-odds of "malignant"); LIME fits a
  weighted linear surrogate on perturbed patients (in probability of "malignant").
* ``text``: the sentiment model of the sentiment page (``sentiment-e5-multilingual``
  by default), taken from the shared cache.  Words are the features: LIME removes
  words at random; SHAP's partition explainer masks groups of neighbouring words.
* ``image``: the MNIST digit CNN of the adversarial page (``mnist-cnn``).  Superpixels
  (scikit-image SLIC) are the features of LIME; SHAP's GradientExplainer (expected
  gradients) gives per-pixel values, summed per superpixel to compare.  Gradient
  saliency and Grad-CAM are computed too, for comparison.

For every pair: an *agreement* figure (Spearman rank correlation of the shared
features' weights, and the overlap of the top-k features) and, on request, a
*stability* figure (the same explanation under several seeds).

Modules: ``inputs`` (limits, validation, samples), ``tabular`` / ``text`` / ``image`` (the
explainers of each target), ``results`` (dataclasses, agreement measures), ``render`` (pictures);
the tree model is ``dl_apps.nets.tree_ensemble``.  This module is the API: ``run``, ``run_comparison``,
``run_stability``, the loader, CLI and bench hooks.

Pure library: no Streamlit import; heavy libraries are imported inside functions.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, run_cached
from dl_apps.nets.tree_ensemble import TreeEnsemble
from dl_apps.registry import ModelSpec, get_model_spec, load_registry
from dl_apps.tasks.explain.inputs import (  # noqa: F401 - the task's public API
    METHODS,
    TARGETS,
    TARGET_TASKS,
    DEFAULT_IMAGE_MODEL,
    DEFAULT_LIME_SAMPLES,
    DEFAULT_SHAP_EVALS,
    MIN_SAMPLES,
    MAX_SAMPLES,
    SECONDS_PER_EVAL,
    MAX_TEXT_CHARS,
    MAX_TEXT_WORDS,
    IMAGE_SIDE,
    SEGMENTS,
    MAX_REPEATS,
    BENCH_MAX_CALLS,
    WORD_PATTERN,
    TEXT_SAMPLES,
    check_method,
    check_target,
    check_samples,
    check_seed,
    tabular_data,
    tabular_sample,
    what_if,
    words,
    check_text,
    image_sample,
    check_image,
    prepare_input,
)
from dl_apps.tasks.explain.results import (  # noqa: F401 - the task's public API
    TOP_K,
    Attribution,
    ExplainResult,
    Agreement,
    Comparison,
    Stability,
    spearman,
    top_k,
    agreement,
)
from dl_apps.tasks.explain.tabular import MALIGNANT, explain_tabular, shap_additivity_gap, global_summary
from dl_apps.tasks.explain.text import explain_text
from dl_apps.tasks.explain.image import (  # noqa: F401 - the task's public API
    superpixels,
    _probabilities,
    explain_image,
    class_probability,
    gradient_maps,
)
from dl_apps.tasks.explain.render import (  # noqa: F401 - the task's public API
    AGAINST_RGB,
    TOWARDS_RGB,
    AGAINST_HEX,
    TOWARDS_HEX,
    shared_scale,
    signed_colours,
    heatmap_rgb,
    magnitude_rgb,
    grey_rgb,
    highlight_html,
)

TASK = "explain"


def load_tree_ensemble(spec: ModelSpec) -> TreeEnsemble:
    """Loader: the exported trees ``options.weights`` (safetensors, no pickle)."""
    path = spec.option_path("weights")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m dl_apps train tabular-cancer`")
    return TreeEnsemble.load(path)


def model_for(target: str, model_id: str | None) -> ModelSpec:
    """The registry spec serving ``target`` (its default if ``model_id`` is None); refuses a model of another kind."""
    task = TARGET_TASKS[target]
    if model_id is None:
        model_id = DEFAULT_IMAGE_MODEL if target == "image" else load_registry().default_for(task).id
    spec = get_model_spec(model_id, task if model_id.startswith("hub:") else None)
    if spec.task != task or (target == "image" and spec.options.get("input") != "digits"):
        raise InputError(
            "explain_wrong_model",
            f"Model {model_id!r} cannot be explained on the {target} target.",
            model=model_id,
            target=target,
        )
    return spec


def _run(target: str, model_id: str | None, work: Callable[[Any], Any], cache: ModelCache | None, on_queue: Any) -> Any:
    spec = model_for(target, model_id)
    return run_cached(spec.task, spec.id, work, cache, on_queue)



def explain(model: Any, target: str, method: str, value: Any, samples: int, seed: int = 0, progress: Callable[[float], None] | None = None) -> ExplainResult:
    """One explanation of an already validated input on a loaded model (pure)."""
    if target == "tabular":
        return explain_tabular(model, value, method, samples, seed, progress)
    if target == "text":
        return explain_text(model, value, method, samples, seed, progress)
    return explain_image(model, value, method, samples, seed, progress)


def _validated(target: Any, method: Any, samples: Any, seed: Any) -> tuple[str, str, int, int, list[dict[str, Any]]]:
    target, method = check_target(target), check_method(method)
    count, notices = check_samples(samples, target, method)
    return target, method, count, check_seed(seed), notices


def run(
    target: Any,
    method: Any,
    sample: Any = None,
    text: Any = None,
    image: Any = None,
    overrides: dict[str, Any] | None = None,
    samples: Any = None,
    seed: Any = 0,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> ExplainResult:
    """Validate, then explain one input of ``target`` with ``method`` on the target's model from the cache.

    ``samples`` is LIME's number of perturbed samples or SHAP's evaluation budget (capped
    with a notice); ``overrides`` ({feature: value}) is the tabular what-if.
    """
    target, method, count, seed, notices = _validated(target, method, samples, seed)
    prepared: dict[str, Any] = {}
    if target != "tabular":
        prepared["value"], prepared["notices"] = prepare_input(target, sample, text, image)

    def work(model: Any) -> ExplainResult:
        if target == "tabular":  # the what-if needs the model's feature names and training ranges
            prepared["value"], prepared["notices"] = prepare_input(target, sample, overrides=overrides, model=model)
        return explain(model, target, method, prepared["value"], count, seed, progress)

    result = _run(target, model_id, work, cache, on_queue)
    result.notices.extend(notices + prepared.get("notices", []))
    return result


def run_comparison(
    target: Any,
    sample: Any = None,
    text: Any = None,
    image: Any = None,
    overrides: dict[str, Any] | None = None,
    lime_samples: Any = None,
    shap_evals: Any = None,
    seed: Any = 0,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Comparison:
    """SHAP and LIME on the same input with one loaded model, their agreement, and (image) gradient maps."""
    target = check_target(target)
    lime_count, lime_notices = check_samples(lime_samples, target, "lime")
    shap_count, shap_notices = check_samples(shap_evals, target, "shap")
    seed = check_seed(seed)
    prepared: dict[str, Any] = {}
    if target != "tabular":
        prepared["value"], prepared["notices"] = prepare_input(target, sample, text, image)
    # progress: SHAP first, then LIME, weighted by their expected cost
    shap_share = 0.05 if target == "tabular" else shap_count / max(1, shap_count + lime_count)

    def part(offset: float, share: float) -> Callable[[float], None] | None:
        return None if progress is None else (lambda done: progress(min(1.0, offset + share * done)))

    def work(model: Any) -> Comparison:
        if target == "tabular":
            prepared["value"], prepared["notices"] = prepare_input(target, sample, overrides=overrides, model=model)
        value = prepared["value"]
        shap_result = explain(model, target, "shap", value, shap_count, seed, part(0.0, shap_share))
        lime_result = explain(model, target, "lime", value, lime_count, seed, part(shap_share, 1.0 - shap_share))
        comparison = Comparison(target=target, shap=shap_result, lime=lime_result, agreement=agreement(shap_result.weights(), lime_result.weights()))
        if target == "tabular":
            p = model.predict_proba(np.asarray(value)[None])[0]
            comparison.probabilities = {name: round(float(q), 6) for name, q in zip(model.class_names, p)}
        elif target == "text":
            p = model.predict_proba([value])[0]
            comparison.probabilities = {name: round(float(q), 6) for name, q in zip(model.labels, p)}
        else:
            p = _probabilities(model, value[None])[0]
            comparison.probabilities = {name: round(float(q), 6) for name, q in zip(model.labels, p)}
            comparison.image = value.tolist()
            comparison.saliency = {k: np.round(v, 6).tolist() for k, v in gradient_maps(model, value, int(np.argmax(p))).items()}
        comparison.label = max(comparison.probabilities, key=comparison.probabilities.get)
        return comparison

    result = _run(target, model_id, work, cache, on_queue)
    result.notices.extend(lime_notices + shap_notices + prepared.get("notices", []))
    return result


def run_stability(
    target: Any,
    method: Any,
    sample: Any = None,
    text: Any = None,
    image: Any = None,
    overrides: dict[str, Any] | None = None,
    samples: Any = None,
    repeats: Any = 3,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Stability:
    """The same explanation with seeds 0..repeats-1: how much do the weights' ranks move?"""
    target, method, count, _, notices = _validated(target, method, samples, 0)
    try:
        repeats = int(repeats)
    except (TypeError, ValueError):
        raise InputError("explain_bad_repeats", f"Repeats must be a whole number from 2 to {MAX_REPEATS}.", limit=MAX_REPEATS) from None
    if not 2 <= repeats <= MAX_REPEATS:
        raise InputError("explain_bad_repeats", f"Repeats must be a whole number from 2 to {MAX_REPEATS}.", limit=MAX_REPEATS)
    prepared: dict[str, Any] = {}
    if target != "tabular":
        prepared["value"], prepared["notices"] = prepare_input(target, sample, text, image)

    def work(model: Any) -> Stability:
        if target == "tabular":
            prepared["value"], prepared["notices"] = prepare_input(target, sample, overrides=overrides, model=model)
        runs = []
        for seed in range(repeats):
            step = None if progress is None else (lambda done, s=seed: progress(min(1.0, (s + done) / repeats)))
            runs.append(explain(model, target, method, prepared["value"], count, seed, step).weights())
        pairs = [agreement(runs[i], runs[j]) for i in range(repeats) for j in range(i + 1, repeats)]
        rhos = [pair.spearman for pair in pairs]
        return Stability(
            target=target, method=method, seeds=list(range(repeats)),
            mean_spearman=round(float(np.mean(rhos)), 4), min_spearman=round(float(np.min(rhos)), 4),
            top_k_overlap=round(float(np.mean([pair.top_k_overlap for pair in pairs])), 4), k=pairs[0].k,
            runs=[{name: round(w, 6) for name, w in r.items()} for r in runs],
        )

    result = _run(target, model_id, work, cache, on_queue)
    result.notices.extend(notices + prepared.get("notices", []))
    return result


def _on_tabular_model(model_id: str | None, cache: ModelCache | None, read: Callable[[TreeEnsemble], Any]) -> Any:
    """``read(model)`` on the tabular model taken from the cache (for page helpers that are not explanations)."""
    holder: dict[str, Any] = {}

    def work(model: TreeEnsemble) -> TaskResult:
        holder["value"] = read(model)
        return TaskResult()

    _run("tabular", model_id, work, cache, None)
    return holder["value"]


def training_range(feature: str, model_id: str | None = None, cache: ModelCache | None = None) -> tuple[float, float]:
    """The (min, max) of a tabular feature in the model's training data (the what-if slider's safe range)."""

    def read(model: TreeEnsemble) -> tuple[float, float]:
        if feature not in model.feature_names:
            raise InputError("explain_unknown_feature", f"Unknown feature {feature!r}.", feature=str(feature))
        index = model.feature_names.index(feature)
        return float(model.arrays["train_min"][index]), float(model.arrays["train_max"][index])

    return _on_tabular_model(model_id, cache, read)


def run_global_summary(model_id: str | None = None, cache: ModelCache | None = None, top: int = 10) -> dict[str, Any]:
    """:func:`global_summary` on the tabular model from the cache."""
    return _on_tabular_model(model_id, cache, lambda model: global_summary(model, top))


def estimated_seconds(target: str, lime_samples: int, shap_evals: int) -> float:
    """A rough time estimate for one comparison on the workshop server (shown before running)."""
    per_shap, per_lime = SECONDS_PER_EVAL[target]
    return round(0.2 + per_shap * shap_evals + per_lime * lime_samples, 1)


# ----------------------------------------------------------------------- CLI
def _parse_overrides(items: Sequence[str] | None) -> dict[str, str]:
    overrides = {}
    for item in items or []:
        name, sep, value = str(item).partition("=")
        if not sep:
            raise InputError("explain_bad_value", f"--set wants FEATURE=VALUE, got {item!r}.", feature=str(item), value="")
        overrides[name.strip()] = value.strip()
    return overrides


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run explain`` arguments (docs/cli.md)."""
    parser.add_argument("--method", choices=METHODS, default="shap")
    parser.add_argument("--target", choices=TARGETS, default="tabular")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--sample", type=int, help="a bundled example of the target (held-out patient, sample text or test digit)")
    source.add_argument("--text", help="text to explain (target text)")
    source.add_argument("--image", type=Path, help="a 28×28 digit image (target image)")
    parser.add_argument("--samples", type=int, help="LIME samples or SHAP evaluations (default: the page's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", metavar="FEATURE=VALUE", help="tabular what-if: change a feature (repeatable)")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> ExplainResult:
    """One CLI/batch call (argument names without dashes)."""
    data = None
    if args.get("image"):
        path = Path(args["image"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError("explain_file_not_found", f"Cannot read {path}: {error.strerror or error}.", path=str(path)) from None
    overrides = args.get("set")
    overrides = overrides if isinstance(overrides, dict) else _parse_overrides(overrides)
    return run(
        args.get("target") or "tabular", args.get("method") or "shap", sample=args.get("sample"), text=args.get("text"),
        image=data, overrides=overrides, samples=args.get("samples"), seed=args.get("seed") or 0, model_id=model_id, cache=cache,
    )


def bench_args() -> dict[str, Any]:
    """``bench``'s representative input: tabular SHAP on held-out patient 0."""
    return {"target": "tabular", "method": "shap", "sample": 0}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Seconds per explanation for each method × target at the page's defaults, with the goals."""
    import statistics
    import time

    goals = {("tabular", "shap"): 0.5, ("text", "lime"): 5.0, ("image", "lime"): 10.0}
    rows = []
    cache = ModelCache(budget_mb=100_000)
    for target in TARGETS:
        for method in METHODS:
            args = {"target": target, "method": method, "sample": 0}
            repeats = max(1, min(calls, 20 if target == "tabular" else 3))
            try:
                cli_run(dict(args), None, cache)  # load + warm
                seconds = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    cli_run(dict(args), None, cache)
                    seconds.append(time.perf_counter() - started)
            except Exception as error:  # one target's failure must not hide the others
                rows.append({"task": TASK, "benchmark": f"{target}-{method}", "error": f"{type(error).__name__}: {error}"})
                continue
            samples = check_samples(None, target, method)[0]
            row = {
                "task": TASK,
                "model": model_for(target, None).id,
                "benchmark": f"{target}-{method}",
                "samples": samples,
                "p50_s": round(statistics.median(seconds), 4),
                "p50_ms": round(statistics.median(seconds) * 1000.0, 2),
                "runs": repeats,
            }
            if (target, method) in goals:
                row["goal_s"] = goals[(target, method)]
                row["meets_goal"] = row["p50_s"] <= goals[(target, method)]
            rows.append(row)
    cache.clear()
    return rows

"""Compression: make a real model smaller and faster, and measure what it costs.

The models compressed are the registry's existing entries that carry the role
``compressible`` (the digit CNN, the MiniLM sentiment encoder, EfficientNet-Lite0,
YOLOv3-tiny, and Whisper tiny.en's int8/float32 engines as a ready-made pair); they are
taken from the shared cache with their own task, and every method works on a copy.

Methods (``METHOD_FAMILIES``; which apply to which model: :func:`methods_for`):

* ``int8``: dynamic int8 quantization (``torch.ao.quantization.quantize_dynamic``, Linear layers);
* ``int8-static``: static int8 with calibration (FX graph mode: convolutions too);
* ``fp16`` / ``bf16``: 16-bit weights (float16 stored, computed in float32; bfloat16 computed in bfloat16);
* ``prune:AMOUNT`` / ``prune-ft:AMOUNT``: global magnitude pruning of AMOUNT % of the conv/linear
  weights (``torch.nn.utils.prune``), without or with a short fine-tune (digit CNN);
* ``distill``: a student ~12× smaller trained live from the digit CNN, against the same student
  trained on the labels alone.

Each variant is measured now: safetensors file size (and zipped), parameters, p50 latency
on one thread, accuracy on a held-out set.  Results are kept per (model, method) in this
process (:mod:`dl_apps.tasks.compress.jobs` runs them in the background for the page).

Pure library: no Streamlit import; torch is imported inside functions.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from dl_apps.cache import MB, ModelCache, shared_cache
from dl_apps.core import InputError, TaskResult
from dl_apps.registry import ModelSpec, UnknownModelError, load_registry

TASK = "compress"
ROLE = "compressible"
METHOD_FAMILIES: tuple[str, ...] = ("int8", "int8-static", "fp16", "bf16", "prune", "prune-ft", "distill")
AMOUNT_METHODS = ("prune", "prune-ft")
MIN_AMOUNT, MAX_AMOUNT = 1, 99
KIND_METHODS: dict[str, tuple[str, ...]] = {
    "digits": ("int8", "int8-static", "fp16", "bf16", "prune", "prune-ft", "distill"),
    "sentiment": ("int8", "fp16", "bf16", "prune"),
    "imagenet": ("int8", "fp16", "bf16", "prune"),  # FX cannot trace its block loop: no static int8
    "detection": ("fp16", "bf16", "prune"),
    "whisper": ("int8",),
}
DEFAULT_TARGET = "mnist-cnn"
BENCH_MAX_CALLS = 3
Progress = Callable[[float, str], None]


# ------------------------------------------------------------------- results
@dataclass
class Variant:
    """One measured version of a model (the original or a compressed one)."""

    model: str
    method: str  # "original", "int8", "prune:50", "distill", "distill-alone", ...
    size_mb: float | None
    zip_mb: float | None
    parameters: int | None
    nonzero_parameters: int | None
    latency_ms: float
    accuracy: float
    n_eval: int


@dataclass
class CompressResult(TaskResult):
    """Before/after figures of one (model, method), all measured in this run.

    ``latency_ms`` (the CLI contract's field) is the compressed model's p50 latency;
    ``work_seconds`` is how long compressing and measuring took.
    """

    method: str = ""
    kind: str = ""
    size_mb_before: float | None = None
    size_mb_after: float | None = None
    zip_mb_before: float | None = None
    zip_mb_after: float | None = None
    parameters_before: int | None = None
    parameters_after: int | None = None
    nonzero_parameters_after: int | None = None
    latency_ms_before: float = 0.0
    latency_ms_after: float = 0.0
    accuracy_before: float = 0.0
    accuracy_after: float = 0.0
    eval: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    variants: list[Variant] = field(default_factory=list)
    work_seconds: float = 0.0
    artifact_name: str | None = None
    artifact: bytes | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without the downloadable file's bytes."""
        data = super().to_dict()
        data.pop("artifact", None)
        return data

    @property
    def size_ratio(self) -> float | None:
        """How many times smaller the file is (before ÷ after)."""
        if not self.size_mb_before or not self.size_mb_after:
            return None
        return self.size_mb_before / self.size_mb_after

    @property
    def speedup(self) -> float | None:
        """How many times faster one inference is (before ÷ after)."""
        return self.latency_ms_before / self.latency_ms_after if self.latency_ms_after else None


class ResultStore:
    """Results per (model, method) for this process, newest last; downloadable bytes kept within a budget."""

    def __init__(self, max_results: int = 200, max_artifact_mb: float = 400.0) -> None:
        self._items: OrderedDict[tuple[str, str], CompressResult] = OrderedDict()
        self._lock = threading.Lock()
        self.max_results = max_results
        self.max_artifact_bytes = int(max_artifact_mb * MB)

    def get(self, model_id: str, method: str) -> CompressResult | None:
        with self._lock:
            return self._items.get((model_id, method))

    def put(self, result: CompressResult) -> None:
        with self._lock:
            self._items[(result.model, result.method)] = result
            self._items.move_to_end((result.model, result.method))
            while len(self._items) > self.max_results:
                self._items.popitem(last=False)
            total = sum(len(item.artifact or b"") for item in self._items.values())
            for item in self._items.values():  # oldest files dropped first; their figures stay
                if total <= self.max_artifact_bytes:
                    break
                if item.artifact is not None and item is not result:
                    total -= len(item.artifact)
                    item.artifact = None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


RESULTS = ResultStore()


# ------------------------------------------------------------ registry side
@dataclass
class CompressionEngine:
    """The compress task's own registry entry: the methods this hub offers (no weights)."""

    methods: tuple[str, ...] = METHOD_FAMILIES

    def approx_bytes(self) -> int:
        return 0


def load_engine(spec: ModelSpec) -> CompressionEngine:
    """Loader of the ``compress-engine`` entry: PyTorch's own quantization and pruning tools."""
    return CompressionEngine()


def compressible_models() -> list[ModelSpec]:
    """Registry entries with the ``compressible`` role, digit CNN first; Whisper shown once (its int8 engine)."""
    specs = [spec for spec in load_registry().models if spec.has_role(ROLE)]
    shown = [spec for spec in specs if not (kind_of(spec) == "whisper" and spec.options.get("compute_type") != "int8")]
    return sorted(shown, key=lambda spec: spec.id != DEFAULT_TARGET)


def kind_of(spec: ModelSpec) -> str:
    """Which target a registry entry is: digits, imagenet, sentiment, detection or whisper."""
    if spec.task == "attack":
        return str(spec.options.get("input", "imagenet"))
    if spec.task == "sentiment":
        return "sentiment"
    if spec.task == "detection":
        return "detection"
    if spec.task == "asr":
        return "whisper"
    return "unknown"


def target_spec(model_id: str | None) -> ModelSpec:
    """The compressible registry entry ``model_id`` (default: the digit CNN); InputError if not compressible."""
    if not model_id or model_id == TASK or _is_engine(model_id):
        model_id = DEFAULT_TARGET
    spec = load_registry().model(str(model_id))  # UnknownModelError for an unknown id
    if not spec.has_role(ROLE):
        names = ", ".join(s.id for s in load_registry().models if s.has_role(ROLE))
        raise InputError(
            "compress_not_compressible",
            f"{spec.id} is not one of the models this page compresses ({names}).",
            model=spec.id,
            models=names,
        )
    return spec


def _is_engine(model_id: str) -> bool:
    try:
        return load_registry().model(model_id).task == TASK
    except UnknownModelError:
        return False


def methods_for(model_id: str) -> tuple[str, ...]:
    """The method families that apply to a compressible model."""
    return KIND_METHODS.get(kind_of(target_spec(model_id)), ())


def parse_method(method: Any) -> tuple[str, int | None]:
    """``"int8"`` → ("int8", None); ``"prune:50"`` → ("prune", 50). InputError for anything else."""
    text = str(method if method is not None else "").strip().lower().replace(" ", "")
    if not text:
        raise InputError("compress_no_method", "Please choose a method: int8, int8-static, fp16, bf16, prune:AMOUNT, prune-ft:AMOUNT or distill.")
    family, sep, amount_text = text.partition(":")
    if family not in METHOD_FAMILIES:
        raise InputError(
            "compress_unknown_method",
            f"Unknown method {str(method)[:40]!r}: use int8, int8-static, fp16, bf16, prune:AMOUNT, prune-ft:AMOUNT or distill.",
            method=str(method)[:40],
        )
    if family not in AMOUNT_METHODS:
        if sep:
            raise InputError("compress_unknown_method", f"The method {family} takes no amount.", method=str(method)[:40])
        return family, None
    if not re.fullmatch(r"\d{1,3}(\.0+)?", amount_text or ""):
        raise InputError(
            "compress_bad_amount",
            f"{family} needs a whole percentage from {MIN_AMOUNT} to {MAX_AMOUNT}, e.g. {family}:50.",
            low=MIN_AMOUNT,
            high=MAX_AMOUNT,
        )
    amount = int(float(amount_text))
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise InputError(
            "compress_bad_amount",
            f"{family} needs a whole percentage from {MIN_AMOUNT} to {MAX_AMOUNT}, e.g. {family}:50.",
            low=MIN_AMOUNT,
            high=MAX_AMOUNT,
        )
    return family, amount


def normalise_method(method: Any) -> str:
    """The canonical spelling of a method (``"PRUNE:50.0"`` → ``"prune:50"``)."""
    family, amount = parse_method(method)
    return f"{family}:{amount}" if amount is not None else family


def check_request(model_id: str | None, method: Any) -> tuple[ModelSpec, str]:
    """Validate a (model, method) request; returns the model's spec and the canonical method."""
    spec = target_spec(model_id)
    canonical = normalise_method(method)
    family = canonical.partition(":")[0]
    allowed = KIND_METHODS.get(kind_of(spec), ())
    if family not in allowed:
        reason = "no_linear" if family == "int8" else ("needs_training_data" if family in ("prune-ft", "distill") else "other")
        why = " (dynamic int8 quantizes Linear layers, and this network has none)" if reason == "no_linear" else ""
        raise InputError(
            "compress_not_applicable",
            f"{family} does not apply to {spec.id}{why}; it takes: {', '.join(allowed)}.",
            method=family,
            model=spec.id,
            allowed=", ".join(allowed),
            reason=reason,
        )
    return spec, canonical


# ---------------------------------------------------------------- compressing
def _measure(prepared: Any, model_id: str, method: str, runner: Any, net: Any, storage_dtype: Any = None) -> tuple[Variant, bytes, Any]:
    """Size, parameters and accuracy of one variant (latency is measured separately, interleaved)."""
    from dl_apps.tasks.compress import measure

    data = measure.export_safetensors(net, storage_dtype, {"model": model_id, "method": method})
    total, nonzero = measure.count_parameters(net)
    evaluation = prepared.evaluate(runner)
    variant = Variant(
        model=model_id,
        method=method,
        size_mb=round(len(data) / MB, 4),
        zip_mb=round(measure.zipped_bytes(data) / MB, 4),
        parameters=total,
        nonzero_parameters=nonzero,
        latency_ms=0.0,
        accuracy=round(evaluation.accuracy, 4),
        n_eval=evaluation.n,
    )
    return variant, data, evaluation


def _latencies(prepared: Any, runners: list[Any]) -> list[float]:
    """p50 latency of each runner, measured in turns (a few calls each, repeatedly) so load on the machine hits all alike."""
    import statistics

    from dl_apps.tasks.compress.measure import p50_latency_ms

    rounds = 5
    per_round = max(1, prepared.latency_runs // rounds)
    samples: list[list[float]] = [[] for _ in runners]
    for index, runner in enumerate(runners):
        p50_latency_ms(prepared.latency_call(runner), runs=1, warmup=2)
    for _ in range(rounds):
        for index, runner in enumerate(runners):
            samples[index].append(p50_latency_ms(prepared.latency_call(runner), runs=per_round, warmup=0))
    return [round(statistics.median(values), 3) for values in samples]


def _apply(prepared: Any, family: str, amount: int | None, progress: Progress) -> tuple[Any, Any, Any, dict[str, Any]]:
    """Compress ``prepared.base``: returns (net, runner, storage dtype, extra figures)."""
    import torch

    from dl_apps.tasks.compress import digits, methods
    from dl_apps.tasks.compress.targets import Bf16Runner

    extra: dict[str, Any] = {}
    base = prepared.base
    if family == "int8":
        net = methods.dynamic_int8(base)
        return net, prepared.runner(net), None, extra
    if family == "int8-static":
        net = methods.static_int8(base, prepared.example, prepared.calibration)
        extra["calibration_inputs"] = int(sum(len(batch) for batch in prepared.calibration))
        return net, prepared.runner(net), None, extra
    if family == "fp16":
        net = methods.rounded_weights(base, torch.float16)
        return net, prepared.runner(net), torch.float16, extra
    if family == "bf16":
        net = methods.bfloat16(base)
        inner = net if prepared.kind == "sentiment" else Bf16Runner(net)
        return net, prepared.runner(inner), None, extra
    if family in ("prune", "prune-ft"):
        tune = None
        if family == "prune-ft":
            def tune(model: Any) -> None:
                progress(0.3, "fine_tuning")
                extra["fine_tune_seconds"] = round(digits.fine_tune(model, lambda f: progress(0.3 + 0.5 * f, "fine_tuning")), 1)
                extra["fine_tune_epochs"] = digits.FINE_TUNE_EPOCHS
        net = methods.magnitude_prune(base, amount / 100.0, tune)
        extra["sparsity"] = round(methods.sparsity(net), 4)
        return net, prepared.runner(net), None, extra
    raise InputError("compress_unknown_method", f"Unknown method {family!r}.", method=family)


def _distill(prepared: Any, model_id: str, progress: Progress) -> CompressResult:
    """The distillation run: a student from the teacher, and the same student without it."""
    from dl_apps.tasks.compress import digits

    teacher = prepared.base
    progress(0.1, "training_student")
    student, kd_seconds = digits.train_student(teacher, progress=lambda f: progress(0.1 + 0.4 * f, "training_student"))
    progress(0.5, "training_alone")
    alone, alone_seconds = digits.train_student(None, progress=lambda f: progress(0.5 + 0.35 * f, "training_alone"))
    progress(0.85, "measuring")
    before, _, evaluation = _measure(prepared, model_id, "original", teacher, teacher)
    after, data, _ = _measure(prepared, model_id, "distill", student, student)
    control, _, _ = _measure(prepared, model_id, "distill-alone", alone, alone)
    before.latency_ms, after.latency_ms, control.latency_ms = _latencies(prepared, [teacher, student, alone])
    result = _result(prepared, evaluation, model_id, "distill", before, after, data)
    result.variants.append(control)
    result.extra.update(
        student_parameters=after.parameters,
        teacher_parameters=before.parameters,
        times_smaller=round(before.parameters / after.parameters, 1),
        temperature=digits.TEMPERATURE,
        alpha=digits.ALPHA,
        epochs=digits.DISTILL_EPOCHS,
        distill_seconds=round(kd_seconds, 1),
        alone_seconds=round(alone_seconds, 1),
        accuracy_alone=control.accuracy,
        agreement_distilled=round(digits.agreement(student, teacher), 4),
        agreement_alone=round(digits.agreement(alone, teacher), 4),
    )
    return result


def _result(prepared: Any, evaluation: Any, model_id: str, method: str, before: Variant, after: Variant, data: bytes | None) -> CompressResult:
    """Assemble the before/after figures (``evaluation``: the targets.Evaluation of the original)."""
    return CompressResult(
        model=model_id,
        latency_ms=after.latency_ms,
        method=method,
        kind=prepared.kind,
        size_mb_before=before.size_mb,
        size_mb_after=after.size_mb,
        zip_mb_before=before.zip_mb,
        zip_mb_after=after.zip_mb,
        parameters_before=before.parameters,
        parameters_after=after.parameters,
        nonzero_parameters_after=after.nonzero_parameters,
        latency_ms_before=before.latency_ms,
        latency_ms_after=after.latency_ms,
        accuracy_before=before.accuracy,
        accuracy_after=after.accuracy,
        eval={"what": evaluation.what, "description": evaluation.description, "n": evaluation.n, "metric": "accuracy"},
        variants=[before, after],
        artifact_name=f"{model_id}-{method.replace(':', '-')}.safetensors" if data is not None else None,
        artifact=data,
    )


def _whisper_pair(spec: ModelSpec, cache: ModelCache, progress: Progress) -> CompressResult:
    """Whisper tiny.en's ready-made pair: the float32 and int8 CTranslate2 engines on the same file."""
    from dl_apps.tasks import asr

    pair = {s.options.get("compute_type"): s for s in load_registry().models if s.has_role(ROLE) and kind_of(s) == "whisper"}
    if "float32" not in pair or "int8" not in pair:
        raise InputError("compress_not_applicable", "The Whisper pair needs both engines in the registry.", method="int8", model=spec.id, allowed="", reason="other")
    clips = [clip for clip in asr.samples() if clip.kind == "recorded"]
    progress(0.1, "measuring")
    rows = {row["model"]: row for row in asr.measure_engines([pair["float32"].id, pair["int8"].id], clips, calls=2, cache=cache)}
    words = sum(len(asr.normalise_words(clip.transcript)) for clip in clips)
    file_mb = (asr.model_dir(pair["int8"]) / "model.bin").stat().st_size / MB
    variants = []
    for compute_type in ("float32", "int8"):
        model_id = pair[compute_type].id
        engine = cache.get(model_id, "asr")
        wer = rows[model_id]["wer_recorded"] or 0.0
        variants.append(
            Variant(model=spec.id, method="original" if compute_type == "float32" else "int8",
                    size_mb=round(engine.approx_bytes() / MB, 2), zip_mb=None, parameters=None, nonzero_parameters=None,
                    latency_ms=rows[model_id]["p50_ms"], accuracy=round(1.0 - wer, 4), n_eval=words)
        )
    before, after = variants
    description = f"1 − word error rate on the {len(clips)} recorded English clips ({words} words)"
    return CompressResult(
        model=spec.id, latency_ms=after.latency_ms, method="int8", kind="whisper",
        size_mb_before=before.size_mb, size_mb_after=after.size_mb, latency_ms_before=before.latency_ms, latency_ms_after=after.latency_ms,
        accuracy_before=before.accuracy, accuracy_after=after.accuracy,
        eval={"what": "whisper", "description": description, "n": words, "metric": "1 - WER"},
        extra={"engines": [pair["float32"].id, pair["int8"].id], "ctranslate2_file_mb": round(file_mb, 2),
               "wer_before": round(1 - before.accuracy, 4), "wer_after": round(1 - after.accuracy, 4),
               "size_note": "model.bin is stored in float16; CTranslate2 converts it when loading (float32: 2×, int8: ½ of the file)"},
        variants=variants,
    )


def compress(
    model_id: str | None,
    method: Any,
    cache: ModelCache | None = None,
    progress: Progress | None = None,
    on_queue: Callable[[int], None] | None = None,
    use_results: bool = True,
) -> CompressResult:
    """Compress ``model_id`` (a compressible registry id; default the digit CNN) with ``method`` and measure it.

    ``progress(fraction, stage)`` is told how far it got; results are reused per (model, method)
    unless ``use_results`` is False.  Raises InputError for a bad request.
    """
    spec, canonical = check_request(model_id, method)
    cached = RESULTS.get(spec.id, canonical) if use_results else None
    if cached is not None:
        return cached
    cache = cache or shared_cache()
    report = progress or (lambda fraction, stage: None)
    started = time.perf_counter()
    family, amount = parse_method(canonical)
    kind = kind_of(spec)
    if kind == "whisper":
        result = _whisper_pair(spec, cache, report)
    else:
        from dl_apps.tasks.compress.targets import PREPARERS

        report(0.02, "loading")
        with cache.use(spec.id, task=spec.task, on_queue=on_queue) as model:
            prepared = PREPARERS[kind](model)  # a deep copy: the cached model is never changed
        with cache.slot(on_queue), _quiet_context():
            from dl_apps.core import torch_threads

            with torch_threads(1):
                if family == "distill":
                    result = _distill(prepared, spec.id, report)
                else:
                    report(0.1, "compressing")
                    net, runner, storage, extra = _apply(prepared, family, amount, report)
                    report(0.8, "measuring")
                    original = prepared.runner(prepared.base)
                    before, _, evaluation = _measure(prepared, spec.id, "original", original, prepared.base)
                    after, data, evaluation_after = _measure(prepared, spec.id, canonical, runner, net, storage)
                    before.latency_ms, after.latency_ms = _latencies(prepared, [original, runner])
                    result = _result(prepared, evaluation, spec.id, canonical, before, after, data)
                    result.extra.update(extra)
                    for name, found in (("before", evaluation), ("after", evaluation_after)):
                        scalars = {k: v for k, v in found.details.items() if isinstance(v, (int, float)) or v is None}
                        if scalars:
                            result.extra[f"eval_{name}"] = scalars
    result.work_seconds = round(time.perf_counter() - started, 2)
    report(1.0, "done")
    RESULTS.put(result)
    return result


class _quiet_context:
    """Silence the deprecation warnings of torch.ao.quantization while compressing."""

    def __enter__(self) -> None:
        import warnings

        self._manager = warnings.catch_warnings()
        self._manager.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: Any) -> None:
        self._manager.__exit__(*exc)


def run(
    method: Any,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    progress: Progress | None = None,
) -> CompressResult:
    """The task's entry point (the contract's ``run``): :func:`compress` ``model_id`` with ``method``."""
    return compress(model_id, method, cache=cache, progress=progress, on_queue=on_queue)


def phone_verdict(result: CompressResult) -> str:
    """A rough verdict for a phone from the compressed size: "tiny", "app", "heavy" (a string key)."""
    size = result.size_mb_after or 0.0
    if size < 5:
        return "tiny"
    if size < 60:
        return "app"
    return "heavy"


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run compress --model ID --method int8|int8-static|fp16|bf16|prune:AMOUNT|prune-ft:AMOUNT|distill``."""
    parser.add_argument("--method", help="int8, int8-static, fp16, bf16, prune:AMOUNT, prune-ft:AMOUNT (1-99) or distill")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> CompressResult:
    """One CLI/batch call: ``args`` = {"method": ...}; ``model_id`` = the model to compress."""
    return compress(model_id, args.get("method"), cache=cache)


def bench_args() -> dict[str, Any]:
    """The benchmark's representative call: the digit CNN in dynamic int8."""
    return {"method": "int8"}


BENCH_TARGETS: tuple[tuple[str, str, str], ...] = (
    ("mnist-cnn", "int8", "≥2× smaller, ≤1 point lost"),
    ("mnist-cnn", "int8-static", ""),
    ("mnist-cnn", "prune-ft:50", "≤1 point lost"),
    ("mnist-cnn", "prune:50", ""),
    ("mnist-cnn", "distill", "student closer to the teacher than alone"),
    ("sentiment-minilm-en", "int8", "≥1.5× faster, ≤2 points lost"),
    ("efficientnet-lite0", "fp16", ""),
    ("efficientnet-lite0", "int8", ""),
    ("yolov3-tiny-coco", "fp16", ""),
    ("whisper-tiny-en", "int8", ""),
)


def target_met(result: CompressResult) -> bool | None:
    """Whether a benchmark row meets its target from issue 19 (None when it has none)."""
    lost = (result.accuracy_before - result.accuracy_after) * 100
    if result.model == "mnist-cnn" and result.method == "int8":
        return bool(result.size_ratio and result.size_ratio >= 2 and lost <= 1)
    if result.model == "mnist-cnn" and result.method == "prune-ft:50":
        return lost <= 1
    if result.method == "distill":
        return result.extra["agreement_distilled"] > result.extra["agreement_alone"]
    if result.model == "sentiment-minilm-en" and result.method == "int8":
        return bool(result.speedup and result.speedup >= 1.5 and lost <= 2)
    return None


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """One row per (model, method) of ``BENCH_TARGETS``, each compressed and measured now (no reuse)."""
    cache = ModelCache(budget_mb=100_000)
    rows: list[dict[str, Any]] = []
    try:
        for model_id, method, target in BENCH_TARGETS:
            try:
                result = compress(model_id, method, cache=cache, use_results=False)
            except Exception as error:  # one missing optional model must not hide the others
                rows.append({"task": TASK, "model": model_id, "benchmark": method, "error": f"{type(error).__name__}: {error}"})
                continue
            row = {key: value for key, value in result.to_dict().items() if key not in ("variants", "notices", "eval")}
            row.update(task=TASK, benchmark=f"compress {method}", eval=result.eval["description"], n_eval=result.eval["n"],
                       size_ratio=round(result.size_ratio, 2) if result.size_ratio else None,
                       speedup=round(result.speedup, 2) if result.speedup else None,
                       accuracy_lost_points=round(100 * (result.accuracy_before - result.accuracy_after), 2),
                       target=target or None, target_met=target_met(result))
            rows.append(row)
    finally:
        cache.clear()
    return rows

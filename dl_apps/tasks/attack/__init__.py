"""Adversarial attacks: FGSM and PGD against real classifiers, and a defence that helps.

An adversarial example is an input changed by a tiny, carefully chosen amount so that
a classifier changes its answer.  The attacks here are written by hand in PyTorch (the
few lines are the lesson) and work in pixel space: images are tensors in [0, 1] and
the budget ε bounds the change of every pixel (L∞ norm), e.g. ε = 8/255.

* FGSM (Goodfellow et al., 2015): one step of size ε in the direction of the sign
  of the loss gradient with respect to the input.
* PGD (Madry et al., 2018): many small signed-gradient steps from a random start in
  the ε-ball, each followed by projection back into the ball and into [0, 1].
* Targeted variants descend the loss of a chosen class instead of ascending the loss
  of the true one.

Models (see ``models/manifest.toml``, task ``attack``): a small CNN on MNIST digits
trained normally, the same CNN adversarially trained (the defence), and the ImageNet
classifier EfficientNet-Lite0.  Every model is wrapped as a :class:`Classifier` whose
network takes [0, 1] pixels (normalisation inside), so one attack code serves all.

Modules: ``dl_apps.nets.adversarial`` (FGSM, PGD), ``dl_apps.nets.digit_cnn`` (the digit network),
``models`` (loaders and the :class:`Classifier` wrapper), ``inputs`` (uploads, samples, checks),
``robustness`` (the accuracy-vs-ε curves); this module holds the results, ``predict``, ``run``
and the CLI / bench hooks.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, run_cached, torch_threads
from dl_apps.media.image import MAX_PIXELS, MAX_UPLOAD_BYTES  # noqa: F401 - limits of the uploads
from dl_apps.nets.adversarial import (  # noqa: F401 - the task's public API
    METHODS,
    DEFAULT_STEPS,
    fgsm,
    pgd,
    attack_batch,
    accuracy,
    robust_accuracy,
)
from dl_apps.registry import load_registry
from dl_apps.stats import percentile
from dl_apps.tasks.attack.models import (  # noqa: F401 - the task's public API
    INPUT_SIZES,
    Classifier,
    load_digit_cnn,
    load_efficientnet_lite0,
    load_hub_image_classifier,
    digit_labels,
    class_names,
)
from dl_apps.tasks.attack.inputs import (  # noqa: F401 - the task's public API
    MAX_STEPS,
    DIGIT_INK_THRESHOLD,
    IMAGENET_SAMPLES,
    to_pil,
    prepare_digit,
    prepare_photo,
    _imagenet_sample,
    sample_photo_dir,
    sample_count,
    sample_names,
    load_sample,
    model_kind,
    image_to_tensor,
    tensor_to_image,
    check_eps,
    check_steps,
    prepare_input,
    encode_png,
    enlarge,
)
from dl_apps.tasks.attack.robustness import defence_summary, robustness_curves

TASK = "attack"
DEFAULT_EPS = 0.1
TOP_K = 5


# --------------------------------------------------------------------- results
@dataclass
class Prediction:
    """One class and its probability."""

    label: str
    score: float
    index: int


IMAGE_FIELDS = ("original_image", "perturbation_image", "adversarial_image")


@dataclass
class AttackResult(TaskResult):
    """What an attack did: predictions before/after, the perturbation's size, and the pictures.

    ``png`` is the prediction on the adversarial image rounded to 8 bits (what a downloaded
    PNG holds); ``survives_png`` says whether that still gives the adversarial answer.
    The three images (uint8) are for display and are left out of :meth:`to_dict`.
    """

    method: str = "pgd"
    eps: float = DEFAULT_EPS
    steps: int = 1
    step_size: float = 0.0
    target: str | None = None
    true_label: str | None = None
    original: Prediction | None = None
    adversarial: Prediction | None = None
    png: Prediction | None = None
    top5_original: list[Prediction] = field(default_factory=list)
    top5_adversarial: list[Prediction] = field(default_factory=list)
    linf: float = 0.0
    l2: float = 0.0
    changed_pixels: float = 0.0
    success: bool = False
    survives_png: bool = False
    amplification: float = 1.0
    original_image: np.ndarray | None = None
    perturbation_image: np.ndarray | None = None
    adversarial_image: np.ndarray | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the CLI's output), without the pixel arrays."""
        from dl_apps.core import to_jsonable

        data = {f.name: to_jsonable(getattr(self, f.name)) for f in fields(self) if f.name not in IMAGE_FIELDS}
        data["linf_255"] = round(self.linf * 255, 2)
        return data


def top_k(probabilities: Any, labels: Sequence[str], k: int = TOP_K) -> list[Prediction]:
    """The ``k`` most probable classes, best first."""
    values, indices = probabilities.topk(min(k, len(labels)))
    return [Prediction(labels[int(i)], round(float(v), 4), int(i)) for v, i in zip(values, indices)]


def resolve_target(target: Any, labels: Sequence[str]) -> int | None:
    """A class given as index or name (case and ``_`` insensitive) → its index; None/"" → None."""
    if target is None or (isinstance(target, str) and not target.strip()):
        return None
    text = str(target).strip()
    if text.isdigit():
        index = int(text)
        if 0 <= index < len(labels):
            return index
    wanted = text.lower().replace("_", " ")
    for index, name in enumerate(labels):
        if name.lower() == wanted:
            return index
    raise InputError(
        "attack_bad_target",
        f"Unknown target class {text!r}: give a class name or a number from 0 to {len(labels) - 1}.",
        target=text,
        last=len(labels) - 1,
    )


def perturbation_picture(delta: Any, eps: float) -> tuple[np.ndarray, float]:
    """The perturbation made visible: grey 128 = unchanged, brighter/darker = pixels pushed up/down.

    Returns the uint8 picture and the amplification used (±ε is stretched to full range).
    """
    amplification = 0.5 / eps if eps > 0 else 1.0
    picture = (0.5 + delta.detach()[0] * amplification).clamp(0, 1).mul(255).round().byte().numpy()
    picture = picture[0] if picture.shape[0] == 1 else picture.transpose(1, 2, 0)
    return picture, round(amplification, 2)


def predict(
    model: Classifier,
    image: np.ndarray,
    method: str = "pgd",
    eps: float = DEFAULT_EPS,
    steps: int = DEFAULT_STEPS,
    step_size: float | None = None,
    target: Any = None,
    true_label: int | None = None,
    seed: int | None = 0,
) -> AttackResult:
    """Attack one prepared image (uint8, the model's input size) on a loaded model.

    Untargeted attacks push away from ``true_label`` when known, else from the model's own
    clean answer; a ``target`` class makes the attack targeted.
    """
    import torch

    x = image_to_tensor(image)
    with torch.no_grad():
        clean = model.net(x).softmax(1)[0]
    top_clean = top_k(clean, model.labels)
    reference = true_label if true_label is not None else top_clean[0].index
    target_index = resolve_target(target, model.labels)
    labels = torch.tensor([reference])
    target_tensor = torch.tensor([target_index]) if target_index is not None else None
    if method == "fgsm":
        steps, step_size = 1, eps
    elif step_size is None:
        step_size = 2.5 * eps / max(steps, 1)
    adversarial = attack_batch(model.net, x, labels, method, eps, steps=steps, step_size=step_size, target=target_tensor, seed=seed)
    quantised = image_to_tensor(tensor_to_image(adversarial))
    with torch.no_grad():
        attacked = model.net(adversarial).softmax(1)[0]
        stored = model.net(quantised).softmax(1)[0]
    top_attacked = top_k(attacked, model.labels)
    png = top_k(stored, model.labels, 1)[0]
    delta = adversarial - x
    perturbation, amplification = perturbation_picture(delta, eps)
    if target_index is not None:
        success = top_attacked[0].index == target_index
    else:  # the answer changed, and is not the true class either
        success = top_attacked[0].index not in (reference, top_clean[0].index)
    return AttackResult(
        method=method,
        eps=eps,
        steps=steps,
        step_size=round(float(step_size), 6),
        target=model.labels[target_index] if target_index is not None else None,
        true_label=model.labels[true_label] if true_label is not None else None,
        original=top_clean[0],
        adversarial=top_attacked[0],
        png=png,
        top5_original=top_clean,
        top5_adversarial=top_attacked,
        linf=round(float(delta.abs().max()), 6),
        l2=round(float(delta.norm()), 6),
        changed_pixels=round(float((delta.abs() > 0.5 / 255).float().mean()), 4),
        success=bool(success),
        survives_png=bool(png.index == top_attacked[0].index),
        amplification=amplification,
        original_image=image,
        perturbation_image=perturbation,
        adversarial_image=tensor_to_image(adversarial),
    )

def run(
    image: Any = None,
    sample: Any = None,
    method: str = "pgd",
    eps: Any = DEFAULT_EPS,
    steps: Any = DEFAULT_STEPS,
    step_size: Any = None,
    target: Any = None,
    seed: int | None = 0,
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> AttackResult:
    """Validate the input (InputError with a clear message), then attack through the shared cache.

    ``image``: bytes of an uploaded file, a PIL image or a numpy array; or ``sample``: the
    number of a held-out test digit (digit models) or of a bundled photo (ImageNet model).
    ``eps`` and ``step_size`` are in pixel units where 1 is the full range (8/255 ≈ 0.031).
    """
    method = str(method or "").strip().lower()
    if method not in METHODS:
        raise InputError("attack_bad_method", f"Unknown attack {method!r}; choose one of: {', '.join(METHODS)}.", method=method)
    eps = check_eps(eps)
    kind = model_kind(model_id)
    notices: list[dict[str, Any]] = []
    if method == "pgd":
        steps, notices = check_steps(steps, kind)
        if step_size is not None and str(step_size).strip() != "":
            step_size = check_eps(step_size)
            if step_size == 0:
                raise InputError("attack_bad_step_size", "The PGD step size must be above 0.")
        else:
            step_size = None
    else:
        steps, step_size = 1, None
    prepared, true_label, input_notices = prepare_input(kind, INPUT_SIZES.get(kind, 224), image=image, sample=sample)
    def attack_on(model: Classifier) -> AttackResult:
        with torch_threads():
            return predict(model, prepared, method, eps, steps, step_size, target, true_label, seed)

    result = run_cached(TASK, model_id, attack_on, cache, on_queue)
    result.notices = input_notices + notices + result.notices
    return result

# ------------------------------------------------------------------ CLI hooks
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run attack`` arguments (docs/cli.md)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--image", type=Path, help="image file to attack (a digit for the digit models)")
    source.add_argument("--sample", type=int, help="a bundled sample: held-out test digit number, or photo number for --model efficientnet-lite0")
    parser.add_argument("--method", choices=METHODS, default="pgd")
    parser.add_argument("--eps", type=float, default=DEFAULT_EPS, help="L∞ budget in [0, 1] (8/255 ≈ 0.031)")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, help="PGD steps")
    parser.add_argument("--step-size", type=float, help="PGD step (default 2.5·eps/steps)")
    parser.add_argument("--target", help="targeted attack: class name or number")
    parser.add_argument("--seed", type=int, default=0, help="seed of PGD's random start")


def cli_run(args: dict, model_id: str | None, cache: ModelCache) -> AttackResult:
    """Run from CLI/batch arguments (names without dashes)."""
    image = args.get("image")
    data = None
    if image:
        path = Path(image)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError("attack_file_not_found", f"Cannot read {path}: {error.strerror or error}.", path=str(path)) from None
    sample = args.get("sample")
    if data is None and sample is None:
        sample = 0
    return run(
        image=data,
        sample=sample,
        method=args.get("method") or "pgd",
        eps=args.get("eps") if args.get("eps") is not None else DEFAULT_EPS,
        steps=args.get("steps") if args.get("steps") is not None else DEFAULT_STEPS,
        step_size=args.get("step_size"),
        target=args.get("target"),
        seed=args.get("seed") if args.get("seed") is not None else 0,
        model_id=model_id,
        cache=cache,
    )


def bench_args() -> dict:
    """One representative input for ``bench``: FGSM at ε = 0.1 on sample 0."""
    return {"sample": 0, "method": "fgsm", "eps": 0.1}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """10-step PGD latency per offline model (the ``bench`` rows time FGSM)."""
    import statistics


    rows = []
    for spec in load_registry().models_for(TASK):
        if spec.source == "hub":
            continue
        cache = ModelCache(budget_mb=100_000)
        args = {"sample": 0, "method": "pgd", "eps": 0.1, "steps": 10}
        n = min(calls, 50 if spec.options.get("input") == "digits" else 5)
        try:
            cli_run(dict(args), spec.id, cache)
            latencies = [cli_run(dict(args), spec.id, cache).latency_ms for _ in range(n)]
        except Exception as error:  # one model's failure must not hide the others
            rows.append({"task": TASK, "model": spec.id, "benchmark": "pgd-10", "error": f"{type(error).__name__}: {error}"})
            continue
        rows.append(
            {
                "task": TASK,
                "model": spec.id,
                "benchmark": "pgd-10 (10-step PGD, one image)",
                "calls": n,
                "p50_ms": round(statistics.median(latencies), 2),
                "p95_ms": round(percentile(latencies, 95), 2),
            }
        )
        cache.clear()
    return rows

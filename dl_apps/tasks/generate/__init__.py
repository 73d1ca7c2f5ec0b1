"""Image generation: class-conditional diffusion models that turn noise into a picture.

Models (declared in ``models/manifest.toml``):

* ``diffusion-digits`` (default): a small ``diffusers.UNet2DModel`` (16×16, 1 channel)
  trained by ``python -m dl_apps train diffusion-digits`` on scikit-learn's bundled
  handwritten digits, with classifier-free guidance.
* ``diffusion-fashion``: the same recipe on Fashion-MNIST (28×28, 10 clothing classes),
  ``python -m dl_apps train diffusion-fashion``.
* hub pipelines (``DiffusionPipeline.from_pretrained``) for users with internet and
  ideally a GPU; the label is then a text prompt.

Sampling: start from Gaussian noise, and for each of ``steps`` timesteps let the UNet
predict the noise and a scheduler (DDPM or DDIM, from ``diffusers``) remove part of it.
Classifier-free guidance mixes the conditional and unconditional noise predictions:
``eps = eps_uncond + guidance * (eps_cond - eps_uncond)`` (0 = unconditional,
1 = plain conditional, > 1 = more typical of the class).  Image ``i`` of a batch uses
seed ``seed + i``, so the same seed gives the same picture.

The UNet loading, schedulers and sampling loop live in :mod:`dl_apps.nets.diffusion` (the training
scripts use them too); this module validates inputs, wraps results and writes the files.

Pure library: no Streamlit import; torch and diffusers are imported lazily.
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult, clean_text, notice, run_cached, to_jsonable
from dl_apps.nets.diffusion import (  # noqa: F401 - the task's public API
    DEFAULT_GUIDANCE,
    DIGIT_LABELS,
    FASHION_LABELS,
    MAX_FRAMES,
    DiffusionModel,
    StepCallback,
    load_diffusion_dir,
    load_png,
    make_scheduler,
    sample,
    split_strip,
    to_uint8,
)
from dl_apps.media.image import encode_png
from dl_apps.registry import ModelSpec

TASK = "generate"
SCHEDULERS: tuple[str, ...] = ("ddim", "ddpm")
MIN_STEPS, MAX_STEPS = 1, 1000  # the page offers 10-200; the CLI may walk the full chain
MAX_IMAGES = 64
MAX_GUIDANCE = 20.0
MAX_SEED = 2**31 - 1
MAX_PROMPT_CHARS = 300




# -------------------------------------------------------------------- models
@dataclass
class HubPipeline:
    """A hub ``DiffusionPipeline`` (text-to-image): needs internet, realistically a GPU."""

    pipeline: Any
    hub_id: str
    labels: tuple[str, ...] = ()
    dataset: str = "prompt"

    def approx_bytes(self) -> int:
        total = 0
        for component in getattr(self.pipeline, "components", {}).values():
            parameters = getattr(component, "parameters", None)
            if callable(parameters):
                total += sum(p.numel() * p.element_size() for p in parameters())
        return total


def load_trained_diffusion(spec: ModelSpec) -> DiffusionModel:
    """Loader: the folder ``options.dir`` under ``models/`` (weights committed to the repo)."""
    directory = spec.option_path("dir")
    if not (directory / "unet.safetensors").is_file():
        name = spec.train_name or spec.id
        raise FileNotFoundError(f"{directory} has no weights: run `python -m dl_apps train {name}`")
    return load_diffusion_dir(directory)


def load_hub_pipeline(spec: ModelSpec) -> HubPipeline:
    """Loader: ``DiffusionPipeline.from_pretrained(spec.hub_id)`` (internet; never remote code)."""
    from diffusers import DiffusionPipeline

    hub_id = spec.hub_id or spec.id
    pipeline = DiffusionPipeline.from_pretrained(hub_id, trust_remote_code=False)
    pipeline.set_progress_bar_config(disable=True)
    return HubPipeline(pipeline=pipeline, hub_id=hub_id)


# ----------------------------------------------------------------- results
@dataclass
class GenerateResult(TaskResult):
    """Generated images (uint8, values 0-255) and the denoising path that led to them.

    ``images`` has shape (n, H, W) (or (n, H, W, 3) for hub pipelines); ``frames`` holds
    the noisy states x_t at ``frame_steps`` (the first is pure noise, the last the result).
    Neither array is part of ``to_dict()`` (the CLI writes PNG ``files`` instead).
    """

    label: str = ""
    label_index: int = -1
    n: int = 0
    steps: int = 0
    seed: int = 0
    guidance: float = 0.0
    scheduler: str = ""
    image_size: int = 0
    step_ms: float = 0.0
    files: list[str] = field(default_factory=list)
    frame_steps: list[int] = field(default_factory=list)
    images: np.ndarray | None = field(default=None, repr=False)
    frames: list[np.ndarray] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = {key: value for key, value in vars(self).items() if key not in ("images", "frames", "frame_steps")}
        return to_jsonable(data)


# ------------------------------------------------------------- validation
def parse_int(value: Any, name: str, low: int, high: int, code: str) -> int:
    """An integer in [low, high] from an int or a string (CLI, URL); InputError otherwise."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.lstrip("+-").isdigit() else None
    if not isinstance(value, (int, np.integer)):
        raise InputError(code, f"{name} must be a whole number between {low:,} and {high:,}.", low=low, high=high)
    value = int(value)
    if not low <= value <= high:
        raise InputError(code, f"{name} must be between {low:,} and {high:,} (got {value:,}).", low=low, high=high, value=value)
    return value


def parse_guidance(value: Any) -> float:
    """The guidance scale: a number in [0, MAX_GUIDANCE]."""
    try:
        guidance = float(value)
    except (TypeError, ValueError):
        guidance = float("nan")
    if not (0.0 <= guidance <= MAX_GUIDANCE):  # also refuses NaN
        raise InputError(
            "generate_bad_guidance",
            f"The guidance scale must be a number between 0 and {MAX_GUIDANCE:g}.",
            low=0,
            high=MAX_GUIDANCE,
        )
    return guidance


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def resolve_label(labels: Sequence[str], label: Any) -> int:
    """The class index of ``label``: an index (int or digits), or a class name (any case/punctuation)."""
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        index = int(label)
    elif isinstance(label, str) and label.strip():
        text = label.strip()
        names = [_slug(name) for name in labels]
        if _slug(text) in names:
            return names.index(_slug(text))
        index = int(text) if text.isdigit() else -1
    else:
        index = -1
    if not 0 <= index < len(labels):
        choices = ", ".join(labels)
        raise InputError("generate_unknown_label", f"Unknown label {label!r}; choose one of: {choices}.", label=str(label), choices=choices)
    return index


# ---------------------------------------------------------------- sampling
def predict(
    model: DiffusionModel | HubPipeline,
    label: Any,
    n: int = 8,
    steps: int = 50,
    seed: int = 0,
    guidance: float = DEFAULT_GUIDANCE,
    scheduler: str = "ddim",
    on_step: StepCallback | None = None,
    preview_every: int = 5,
    keep_frames: int = MAX_FRAMES,
) -> GenerateResult:
    """Generate ``n`` images of class ``label`` on a loaded model (inputs already validated).

    ``on_step(done, total, preview)`` is called every ``preview_every`` steps and at the
    end, with ``preview`` the model's current estimate of the clean images (uint8); a
    caller may raise from it to cancel the generation.
    """
    if isinstance(model, HubPipeline):
        return _predict_hub(model, str(label), n, steps, seed, guidance, on_step)
    label_index = resolve_label(model.labels, label)
    frames, frame_steps, elapsed = sample(model, label_index, n, steps, seed, guidance, scheduler, on_step, preview_every, keep_frames)
    return GenerateResult(
        label=model.labels[label_index],
        label_index=label_index,
        n=n,
        steps=steps,
        seed=seed,
        guidance=guidance,
        scheduler=scheduler,
        image_size=model.image_size,
        step_ms=round(elapsed * 1000.0 / max(1, steps), 3),
        frame_steps=frame_steps,
        images=frames[-1],
        frames=frames,
    )


def _predict_hub(model: HubPipeline, prompt: str, n: int, steps: int, seed: int, guidance: float, on_step: StepCallback | None) -> GenerateResult:
    """A hub text-to-image pipeline: the label is the prompt."""
    import torch

    try:  # the hub's one way of cutting long text, with a notice (core.clean_text)
        prompt, prompt_notices = clean_text(prompt, MAX_PROMPT_CHARS, "a description of the picture")
    except InputError:
        raise InputError("generate_empty_prompt", "Please describe the picture to generate.") from None
    generators = [torch.Generator().manual_seed(seed + i) for i in range(n)]

    def callback(pipeline: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if on_step is not None:
            on_step(step + 1, steps, np.zeros((0,), dtype=np.uint8))
        return kwargs

    started = time.perf_counter()
    output = model.pipeline(
        [prompt] * n, num_inference_steps=steps, guidance_scale=guidance, generator=generators,
        callback_on_step_end=callback, output_type="np",
    )
    elapsed = time.perf_counter() - started
    images = (np.clip(output.images, 0, 1) * 255).round().astype(np.uint8)
    result = GenerateResult(
        label=prompt, n=n, steps=steps, seed=seed, guidance=guidance, scheduler="pipeline",
        image_size=int(images.shape[1]), step_ms=round(elapsed * 1000.0 / max(1, steps), 3),
        frame_steps=[steps], images=images, frames=[images],
    )
    result.notices.extend(prompt_notices)
    return result


def run(
    label: Any,
    n: Any = 8,
    steps: Any = 50,
    seed: Any = 0,
    guidance: Any = DEFAULT_GUIDANCE,
    scheduler: str = "ddim",
    model_id: str | None = None,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    on_step: StepCallback | None = None,
    preview_every: int = 5,
) -> GenerateResult:
    """Validate the settings and generate with ``model_id`` (default model if None) from the cache.

    Raises InputError for steps outside [1, 1000], more than 64 images, a guidance scale
    outside [0, 20], a seed that is not a whole number, an unknown scheduler or label.
    """
    n = parse_int(n, "The number of images", 1, MAX_IMAGES, "generate_bad_count")
    steps = parse_int(steps, "The number of steps", MIN_STEPS, MAX_STEPS, "generate_bad_steps")
    seed = parse_int(seed, "The seed", 0, MAX_SEED, "generate_bad_seed")
    guidance = parse_guidance(guidance)
    scheduler = str(scheduler or "").strip().lower()
    if scheduler not in SCHEDULERS:
        raise InputError("generate_bad_scheduler", f"Unknown scheduler {scheduler!r}; choose ddim or ddpm.", choices="ddim, ddpm")
    return run_cached(
        TASK,
        model_id,
        lambda model: predict(model, label, n, steps, seed, guidance, scheduler, on_step=on_step, preview_every=preview_every),
        cache,
        on_queue,
    )


# -------------------------------------------------------- forward process
def forward_noise(model: DiffusionModel, image: np.ndarray, timestep: int, seed: int = 0) -> tuple[np.ndarray, float]:
    """The forward (noising) process on a real image: x_t = sqrt(ᾱ_t)·x_0 + sqrt(1-ᾱ_t)·ε.

    Returns the noisy image (uint8) and sqrt(ᾱ_t), the share of the signal that remains.
    """
    import torch

    scheduler = make_scheduler(model, "ddpm")
    timestep = int(np.clip(timestep, 0, scheduler.config.num_train_timesteps - 1))
    clean = torch.from_numpy(np.asarray(image, dtype=np.float32) / 127.5 - 1.0)[None, None]
    noise = torch.randn(clean.shape, generator=torch.Generator().manual_seed(seed))
    noisy = scheduler.add_noise(clean, noise, torch.tensor([timestep]))
    signal = float(scheduler.alphas_cumprod[timestep].sqrt())
    return to_uint8(noisy)[0], signal


# ------------------------------------------------------------ image files
def upscale(image: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour upscaling, so that pixels stay crisp."""
    scale = max(1, int(scale))
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def grid(images: np.ndarray, columns: int | None = None, scale: int = 1, gap: int = 1, background: int = 255) -> np.ndarray:
    """Tile images (n, H, W[, 3]) into one picture, ``columns`` wide, separated by ``gap`` pixels."""
    images = np.asarray(images)
    count, height, width = images.shape[:3]
    columns = columns or int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    shape = (rows * (height + gap) - gap, columns * (width + gap) - gap) + images.shape[3:]
    canvas = np.full(shape, background, dtype=np.uint8)
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = row * (height + gap), column * (width + gap)
        canvas[top : top + height, left : left + width] = image
    return upscale(canvas, scale)


def png_bytes(image: np.ndarray, scale: int = 1) -> bytes:
    """A PNG of a uint8 image (grey or RGB), upscaled with nearest neighbour."""
    return encode_png(upscale(np.asarray(image, dtype=np.uint8), scale))


def zip_bytes(images: np.ndarray, prefix: str = "image", scale: int = 1) -> bytes:
    """A ZIP of one PNG per image (``prefix_00.png``, ...)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, image in enumerate(images):
            archive.writestr(f"{prefix}_{index:02d}.png", png_bytes(image, scale))
    return buffer.getvalue()


def animation_gif(frames: Sequence[np.ndarray], columns: int | None = None, scale: int = 4, frame_ms: int = 80, hold_ms: int = 1500) -> bytes:
    """A looping "noise → image" GIF: one grid per kept frame, the last held longer."""
    from PIL import Image

    pictures = [Image.fromarray(grid(frame, columns=columns, scale=scale)) for frame in frames]
    durations = [frame_ms] * (len(pictures) - 1) + [hold_ms]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=durations, loop=0)
    return buffer.getvalue()


def file_stem(result: GenerateResult) -> str:
    """A file name stem that says how the images were made (label, seed, steps...)."""
    label = "".join(ch if ch.isalnum() else "-" for ch in result.label.lower()).strip("-")[:40] or "image"
    return f"{label}_seed{result.seed}_{result.scheduler}{result.steps}_g{result.guidance:g}"


def write_pngs(result: GenerateResult, out_dir: str | Path, scale: int = 1) -> list[str]:
    """Write one PNG per image into ``out_dir`` (created); returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = file_stem(result)
    paths = []
    for index, image in enumerate(result.images if result.images is not None else []):
        path = out / f"{stem}_{index:02d}.png"
        path.write_bytes(png_bytes(image, scale))
        paths.append(str(path))
    return paths


# ----------------------------------------------------------------------- CLI
def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """``run generate`` takes ``--label`` and optional sampling settings, ``--out DIR``."""
    parser.add_argument("--label", help="class to generate: index or name (e.g. 3, 'Ankle boot'); a prompt for hub pipelines")
    parser.add_argument("--n", default=8, help=f"number of images (1-{MAX_IMAGES})")
    parser.add_argument("--steps", default=50, help=f"denoising steps ({MIN_STEPS}-{MAX_STEPS})")
    parser.add_argument("--seed", default=0, help="random seed (same seed, same pictures)")
    parser.add_argument("--guidance", default=DEFAULT_GUIDANCE, help=f"classifier-free guidance scale (0 = unconditional ... {MAX_GUIDANCE:g})")
    parser.add_argument("--scheduler", default="ddim", help="ddim or ddpm")
    parser.add_argument("--scale", default=1, help="nearest-neighbour upscaling of the PNGs written")
    parser.add_argument("--out", help="folder for the PNG files")


def cli_run(args: dict[str, Any], model_id: str | None, cache: ModelCache) -> GenerateResult:
    """One CLI/batch call; writes the PNGs into ``args['out']`` when given and lists them in ``files``."""
    if args.get("label") is None:
        raise InputError("generate_unknown_label", "Please give --label (a class index or name).", label="", choices="")
    scale = parse_int(args.get("scale", 1) or 1, "The scale", 1, 32, "generate_bad_scale")
    result = run(
        args["label"],
        n=args.get("n", 8),
        steps=args.get("steps", 50),
        seed=args.get("seed", 0),
        guidance=args.get("guidance", DEFAULT_GUIDANCE),
        scheduler=args.get("scheduler") or "ddim",
        model_id=model_id,
        cache=cache,
    )
    if args.get("out"):
        result.files = write_pngs(result, args["out"], scale=scale)
    else:
        result.notices.append(notice("generate_no_output_dir", "No --out folder given: no files were written."))
    return result


BENCH_MAX_CALLS = 5  # seconds per call (16 images x 50 steps): `bench` caps its warm calls here


def bench_args() -> dict[str, Any]:
    """The issue's benchmark: 16 samples at 50 DDIM steps (default guidance: two UNet passes per step)."""
    return {"label": "3", "n": 16, "steps": 50, "seed": 0, "guidance": DEFAULT_GUIDANCE, "scheduler": "ddim"}


def bench_extra(calls: int) -> list[dict[str, Any]]:
    """Per-step time of each offline model (16 images; guidance 0 = one UNet pass, 3 = two)."""
    import statistics

    import torch

    from dl_apps.cache import ModelCache
    from dl_apps.registry import load_registry

    rows = []
    cache = ModelCache(budget_mb=100_000)
    for spec in load_registry().models_for(TASK):
        if spec.source == "hub":
            continue
        try:
            model = cache.get(spec.id, task=TASK)
        except Exception as error:  # a model not trained yet must not hide the others
            rows.append({"task": TASK, "model": spec.id, "benchmark": "per denoising step", "error": f"{type(error).__name__}: {error}"})
            continue
        for guidance in (0.0, DEFAULT_GUIDANCE):
            per_step = [predict(model, 0, n=16, steps=10, seed=i, guidance=guidance, keep_frames=2).step_ms for i in range(max(1, min(calls, 5)))]
            rows.append({
                "task": TASK,
                "model": spec.id,
                "benchmark": f"per denoising step, 16 images, guidance {guidance:g} ({'one UNet pass' if guidance == 0 else 'two UNet passes'})",
                "step_ms_p50": round(statistics.median(per_step), 2),
                "threads": torch.get_num_threads(),
            })
    cache.clear()
    return rows

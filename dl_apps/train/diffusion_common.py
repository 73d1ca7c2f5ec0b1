"""Shared recipe of the project's class-conditional diffusion models (digits, Fashion-MNIST).

A ``diffusers.UNet2DModel`` with one class embedding per class plus a "null" class
learns to predict the noise added to an image at a random timestep (DDPM, Ho et al.
2020).  The class label is replaced by the null class 10% of the time, so the same
network also learns the unconditional prediction that classifier-free guidance needs
(Ho & Salimans 2022).  An exponential moving average (EMA) of the weights is what is
exported, in float16 safetensors.

Training is reproducible (fixed seeds, one thread by default) and resumable: a
checkpoint is written to the cache directory (``$DL_HUB_CACHE_DIR`` or
``~/.cache/dl_hub``) every few minutes and at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

SCHEDULER_CONFIG: dict[str, Any] = {
    "num_train_timesteps": 1000,
    "beta_schedule": "squaredcos_cap_v2",  # the cosine schedule: better than linear for small images
    "prediction_type": "epsilon",
    "clip_sample": True,
    "timestep_spacing": "trailing",  # few-step sampling still starts from pure noise
}


@dataclass
class DiffusionSettings:
    """Everything that defines one training run (written into metrics.json)."""

    name: str
    dataset: str
    labels: tuple[str, ...]
    image_size: int
    block_out_channels: tuple[int, ...]
    down_block_types: tuple[str, ...]
    up_block_types: tuple[str, ...]
    layers_per_block: int = 1
    norm_num_groups: int = 8
    batch_size: int = 128
    learning_rate: float = 1e-3
    warmup_steps: int = 200
    max_steps: int = 6000
    max_minutes: float | None = None
    label_dropout: float = 0.1
    ema_decay: float = 0.999
    seed: int = 0
    threads: int = 1
    checkpoint_minutes: float = 5.0
    extra: dict[str, Any] = field(default_factory=dict)

    def unet_config(self) -> dict[str, Any]:
        """The ``UNet2DModel`` configuration (one extra class embedding: the null class)."""
        return {
            "sample_size": self.image_size,
            "in_channels": 1,
            "out_channels": 1,
            "layers_per_block": self.layers_per_block,
            "block_out_channels": list(self.block_out_channels),
            "down_block_types": list(self.down_block_types),
            "up_block_types": list(self.up_block_types),
            "norm_num_groups": self.norm_num_groups,
            "num_class_embeds": len(self.labels) + 1,
        }


def cache_dir() -> Path:
    """Where checkpoints and other large artefacts go (never committed)."""
    return Path(os.environ.get("DL_HUB_CACHE_DIR") or Path.home() / ".cache" / "dl_hub")


def base_parser(description: str, default_out: Path) -> argparse.ArgumentParser:
    """The command-line options every diffusion training script shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, help=f"output folder (default {default_out}; with --quick, a folder in the cache dir, so the committed model is never overwritten)")
    parser.add_argument("--quick", action="store_true", help="a tiny run for tests/CI (seconds, not minutes)")
    parser.add_argument("--steps", type=int, help="optimisation steps (overrides the default)")
    parser.add_argument("--minutes", type=float, help="stop after this many minutes (then export)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    parser.add_argument("--eval-only", action="store_true", help="skip training; re-measure the exported model")
    parser.add_argument("--eval-per-class", type=int, default=50, help="generated samples per class for the metrics")
    parser.add_argument("--checkpoint", type=Path, help="checkpoint file (default: in the cache dir)")
    return parser


def output_dir(args: argparse.Namespace, name: str, default_out: Path) -> Path:
    """``--out``, else ``models/<name>``; a ``--quick`` run never writes into ``models/``."""
    if args.out is not None:
        return Path(args.out)
    return cache_dir() / "quick" / name if args.quick else default_out


def to_model_range(images: np.ndarray) -> Any:
    """uint8 (N, H, W) → float tensor (N, 1, H, W) in [-1, 1]."""
    import torch

    return torch.from_numpy(images.astype(np.float32) / 127.5 - 1.0)[:, None]


def _learning_rate(settings: DiffusionSettings, step: int) -> float:
    """Linear warm-up, then cosine decay to 5% over ``max_steps``."""
    if step < settings.warmup_steps:
        return settings.learning_rate * (step + 1) / settings.warmup_steps
    progress = min(1.0, (step - settings.warmup_steps) / max(1, settings.max_steps - settings.warmup_steps))
    return settings.learning_rate * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def train(
    images: np.ndarray,
    labels: np.ndarray,
    settings: DiffusionSettings,
    checkpoint: Path,
    resume: bool = False,
    log: Callable[[str], None] = print,
) -> tuple[Any, dict[str, Any]]:
    """Train the UNet on uint8 images; return the EMA model and training figures."""
    import torch
    import torch.nn.functional as F
    from diffusers import DDPMScheduler, UNet2DModel

    torch.set_num_threads(max(1, settings.threads))
    torch.manual_seed(settings.seed)
    data = to_model_range(images)
    targets = torch.from_numpy(labels.astype(np.int64))
    null_label = len(settings.labels)
    model = UNet2DModel.from_config(settings.unet_config())
    ema = UNet2DModel.from_config(settings.unet_config())
    ema.load_state_dict(model.state_dict())
    ema.requires_grad_(False)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=1e-4)
    noise_scheduler = DDPMScheduler(**SCHEDULER_CONFIG)
    generator = torch.Generator().manual_seed(settings.seed)
    start_step, seconds_before, losses = 0, 0.0, []
    if resume and checkpoint.is_file():
        state = torch.load(checkpoint, weights_only=True)
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        optimiser.load_state_dict(state["optimiser"])
        generator.set_state(state["generator"])
        start_step, seconds_before = int(state["step"]), float(state["seconds"])
        losses = list(state.get("losses", []))
        log(f"resumed from {checkpoint} at step {start_step}")

    def save_checkpoint(step: int, seconds: float) -> None:
        checkpoint.parent.mkdir(parents=True, exist_ok=True)
        temporary = checkpoint.with_suffix(".tmp")
        torch.save(
            {"model": model.state_dict(), "ema": ema.state_dict(), "optimiser": optimiser.state_dict(),
             "generator": generator.get_state(), "step": step, "seconds": seconds, "losses": losses},
            temporary,
        )
        temporary.replace(checkpoint)  # atomic: a killed run never leaves a broken checkpoint

    model.train()
    started = time.perf_counter()
    last_checkpoint = started
    running = []
    done = start_step  # optimisation steps completed so far (a resumed run continues the count)
    for step in range(start_step, settings.max_steps):
        elapsed = seconds_before + time.perf_counter() - started
        if settings.max_minutes is not None and elapsed > settings.max_minutes * 60:
            log(f"time budget reached at step {step}")
            break
        index = torch.randint(0, len(data), (settings.batch_size,), generator=generator)
        clean, classes = data[index], targets[index].clone()
        classes[torch.rand(len(classes), generator=generator) < settings.label_dropout] = null_label
        noise = torch.randn(clean.shape, generator=generator)
        timesteps = torch.randint(0, noise_scheduler.config.num_train_timesteps, (len(clean),), generator=generator)
        noisy = noise_scheduler.add_noise(clean, noise, timesteps)
        loss = F.mse_loss(model(noisy, timesteps, class_labels=classes).sample, noise)
        for group in optimiser.param_groups:
            group["lr"] = _learning_rate(settings, step)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        decay = min(settings.ema_decay, (1 + step) / (10 + step))
        with torch.no_grad():
            for ema_parameter, parameter in zip(ema.parameters(), model.parameters()):
                ema_parameter.lerp_(parameter, 1 - decay)
        running.append(loss.item())
        done = step + 1
        if (step + 1) % 100 == 0:
            losses.append(round(float(np.mean(running)), 5))
            running = []
            log(f"step {step + 1}/{settings.max_steps} loss {losses[-1]:.4f} ({time.perf_counter() - started:.0f}s)")
        if time.perf_counter() - last_checkpoint > settings.checkpoint_minutes * 60:
            save_checkpoint(done, seconds_before + time.perf_counter() - started)
            last_checkpoint = time.perf_counter()
    seconds = seconds_before + time.perf_counter() - started
    save_checkpoint(done, seconds)
    for buffer_ema, buffer in zip(ema.buffers(), model.buffers()):
        buffer_ema.copy_(buffer)
    figures = {"steps_done": done, "train_seconds": round(seconds, 1), "final_loss": losses[-1] if losses else None, "loss_every_100_steps": losses}
    return ema.eval(), figures


def previous_figures(out_dir: Path, checkpoint: Path) -> dict[str, Any]:
    """Training figures for ``--eval-only``: from ``metrics.json``, else from the checkpoint."""
    metrics_path = out_dir / "metrics.json"
    if metrics_path.is_file():
        return json.loads(metrics_path.read_text(encoding="utf-8"))["training"]
    import torch

    state = torch.load(checkpoint, weights_only=True)
    losses = list(state.get("losses", []))
    return {"steps_done": int(state["step"]), "train_seconds": round(float(state["seconds"]), 1), "final_loss": losses[-1] if losses else None, "loss_every_100_steps": losses}


def export(unet: Any, settings: DiffusionSettings, out_dir: Path, examples: np.ndarray) -> None:
    """Write ``unet.safetensors`` (float16), ``config.json`` and ``examples.png`` (one real image per class)."""
    import torch
    from PIL import Image
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    state = {key: value.detach().to(dtype=torch.float16).contiguous() for key, value in unet.state_dict().items()}
    save_file(state, str(out_dir / "unet.safetensors"), metadata={"format": "pt", "model": settings.name})
    config = {
        "name": settings.name,
        "dataset": settings.dataset,
        "labels": list(settings.labels),
        "image_size": settings.image_size,
        "channels": 1,
        "unet": settings.unet_config(),
        "scheduler": SCHEDULER_CONFIG,
    }
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    Image.fromarray(np.concatenate(list(examples), axis=1)).save(out_dir / "examples.png")


def first_of_each_class(images: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """One real image per class, in class order."""
    return np.stack([images[np.flatnonzero(labels == c)[0]] for c in range(classes)])


def write_metrics(out_dir: Path, settings: DiffusionSettings, figures: dict[str, Any], quality: dict[str, Any], bench: dict[str, Any], parameter_count: int) -> dict[str, Any]:
    """``metrics.json``: settings, training figures, quality and speed, all measured by the script."""
    import diffusers
    import torch

    metrics = {
        "model": settings.name,
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(settings).items()},
        "training": figures,
        "quality": quality,
        "speed": bench,
        "parameter_count": parameter_count,
        "versions": {"torch": torch.__version__, "diffusers": diffusers.__version__},
        "written": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def measure_speed(model: Any, n: int = 16, steps: int = 50, guidance: float | None = None) -> dict[str, Any]:
    """Seconds for ``n`` samples at ``steps`` DDIM steps with guidance (median of 3)."""
    from dl_apps.nets.diffusion import DEFAULT_GUIDANCE, generate_images

    guidance = DEFAULT_GUIDANCE if guidance is None else guidance
    generate_images(model, 0, n=2, steps=2, guidance=guidance)  # warm-up
    times = []
    for repeat in range(3):
        started = time.perf_counter()
        generate_images(model, repeat % len(model.labels), n=n, steps=steps, guidance=guidance)
        times.append(time.perf_counter() - started)
    import torch

    return {"samples": n, "ddim_steps": steps, "guidance": guidance, "seconds_median": round(float(np.median(times)), 3), "threads": torch.get_num_threads()}


def write_card(out_dir: Path, metrics: dict[str, Any], title: str, summary: str, data: str, licence: str, command: str, limits: str) -> None:
    """``card.md`` from the measured ``metrics`` (no figure in it is typed by hand)."""
    quality, training, speed, settings = metrics["quality"], metrics["training"], metrics["speed"], metrics["settings"]
    per_class = ", ".join(f"{name}: {rate:.0%}" for name, rate in quality["per_class"].items())
    sweep = ""
    if quality.get("guidance_sweep"):
        first = quality["guidance_sweep"][0]
        sweep = (
            f"\nGuidance trade-off ({first['samples']} samples per row, {first['steps']} DDIM steps): guidance 0 ignores the class (recognition near chance), "
            "higher guidance is more recognisable but less varied, until the pictures over-saturate.\n\n"
            "| guidance | recognised | diversity |\n|---|---|---|\n"
            + "".join(f"| {row['guidance']:g} | {row['recognition']:.1%} | {row['diversity']:.2f} |\n" for row in quality["guidance_sweep"])
        )
    weights = out_dir / "unet.safetensors"
    size_mb = weights.stat().st_size / 1e6 if weights.is_file() else 0.0
    card = f"""# {title}

{summary}

| | |
|---|---|
| Architecture | `diffusers.UNet2DModel`, blocks {settings["block_out_channels"]}, {metrics["parameter_count"]:,} parameters, class-conditional ({len(settings["labels"])} classes + a null class for classifier-free guidance) |
| Image | {settings["image_size"]}×{settings["image_size"]}, grey |
| Noise schedule | DDPM, 1,000 steps, cosine (`squaredcos_cap_v2`), ε-prediction; sampled with DDIM or DDPM |
| Weights | `unet.safetensors`, float16, {size_mb:.1f} MB (EMA of the trained weights) |
| Licence | {licence} |
| Reproduce | `{command}` |

## Data
{data}

## Training
{training["steps_done"]:,} steps of batch {settings["batch_size"]}, AdamW (lr {settings["learning_rate"]:g}, warm-up then cosine), label dropout {settings["label_dropout"]:.0%}, EMA {settings["ema_decay"]}; {training["train_seconds"] / 60:.1f} min on {settings["threads"]} CPU thread(s); final loss {training["final_loss"]}.

## Quality (measured by the training script)
{quality["samples"]} samples ({quality["samples"] // len(settings["labels"])} per class), {quality["steps"]} {quality["scheduler"].upper()} steps, guidance {quality["guidance"]:g}:

* **Recognised as the requested class: {quality["recognition"]:.1%}** by a separately trained classifier ({quality["classifier"]}; {quality["classifier_test_accuracy"]:.1%} accuracy on real held-out images).
* Per class: {per_class}.
* **Diversity: {quality["diversity"]:.2f}**: mean pairwise distance between generated images of a class ÷ the same for real images (1.0 = as varied as the real data).

{sweep}
## Speed
{speed["samples"]} samples at {speed["ddim_steps"]} DDIM steps with guidance {speed["guidance"]:g}: {speed["seconds_median"]:.2f} s (median of 3, {speed["threads"]} thread(s), measured {metrics["written"]} on the training machine).

## Limits
{limits}
"""
    (out_dir / "card.md").write_text(card, encoding="utf-8")


def measure_and_publish(
    args: argparse.Namespace,
    out_dir: Path,
    name: str,
    model: Any,
    classify: Callable[[np.ndarray], np.ndarray],
    images: np.ndarray,
    labels: np.ndarray,
    classifier_accuracy: float,
    classifier_name: str,
    settings: DiffusionSettings,
    figures: dict[str, Any],
    card: dict[str, str],
    sweep_values: tuple[float, ...] | None = None,
) -> int:
    """Measure a trained model (recognition, diversity, guidance trade-off, speed), then write
    its metrics.json and card.md; ``card`` holds write_card's texts (title, summary, ...)."""
    from dl_apps.tools.sample_quality import guidance_sweep, measure

    per_class = 2 if args.quick else args.eval_per_class
    report = measure(model, classify, images, labels, classifier_accuracy, per_class=per_class, steps=4 if args.quick else 50)
    sweep_options = {"values": sweep_values} if sweep_values else {}
    sweep = guidance_sweep(model, classify, images, labels, per_class=1 if args.quick else 10, steps=2 if args.quick else 20, **sweep_options)
    quality = {**report.to_dict(), "classifier": classifier_name, "guidance_sweep": sweep}
    speed = measure_speed(model, n=4 if args.quick else 16, steps=2 if args.quick else 50)
    parameters = sum(p.numel() for p in model.unet.parameters())
    metrics = write_metrics(out_dir, settings, figures, quality, speed, parameters)
    write_card(out_dir, metrics, **card)
    print(f"{name}: recognised {report.recognition:.1%}, diversity {report.diversity:.2f}, 16×{speed['ddim_steps']} DDIM {speed['seconds_median']:.2f}s → {out_dir}")
    return 0

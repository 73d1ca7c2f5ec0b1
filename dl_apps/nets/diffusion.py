"""Class-conditional diffusion UNets trained here: loading, schedulers and the sampling loop.

The training scripts (``dl_apps/train/diffusion_*.py``) write ``config.json`` +
``unet.safetensors`` (+ ``examples.png``); :func:`load_diffusion_dir` reads them back and
:func:`sample` runs the reverse process with classifier-free guidance:
``eps = eps_uncond + guidance * (eps_cond - eps_uncond)``.  Image ``i`` of a batch uses seed
``seed + i``.  Used by the generation task and by the training scripts' measurements;
torch and diffusers are imported inside the functions.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.core import torch_threads

MAX_FRAMES = 60  # intermediate states kept for the strip and the animation
DEFAULT_GUIDANCE = 1.5  # measured best for the digits model (card: guidance sweep); 3+ over-saturates
DIGIT_LABELS: tuple[str, ...] = tuple(str(d) for d in range(10))
FASHION_LABELS: tuple[str, ...] = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

StepCallback = Callable[[int, int, np.ndarray], None]


@dataclass
class DiffusionModel:
    """A trained class-conditional UNet and what sampling needs to know about it.

    ``null_label`` (= number of classes) is the extra class embedding used for the
    unconditional prediction of classifier-free guidance.
    """

    unet: Any
    labels: tuple[str, ...]
    dataset: str
    image_size: int
    channels: int
    scheduler_config: dict[str, Any]
    examples: np.ndarray | None = None  # one real image per class (uint8, K×H×W), for the forward-process demo

    @property
    def null_label(self) -> int:
        return len(self.labels)

    def approx_bytes(self) -> int:
        return sum(p.numel() * p.element_size() for p in self.unet.parameters())


def load_diffusion_dir(directory: str | Path) -> DiffusionModel:
    """Load a model written by the training scripts: ``config.json`` + ``unet.safetensors``.

    The weights are stored in float16 (small files) and computed in float32 on the CPU.
    """
    from diffusers import UNet2DModel
    from safetensors.torch import load_file

    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    unet = UNet2DModel.from_config(config["unet"])
    state = load_file(str(directory / "unet.safetensors"))
    unet.load_state_dict({key: value.float() for key, value in state.items()}, strict=True)
    unet.eval().requires_grad_(False)
    examples = None
    examples_path = directory / "examples.png"
    if examples_path.is_file():
        examples = split_strip(load_png(examples_path), config["image_size"])
    return DiffusionModel(
        unet=unet,
        labels=tuple(config["labels"]),
        dataset=config["dataset"],
        image_size=int(config["image_size"]),
        channels=int(config.get("channels", 1)),
        scheduler_config=dict(config["scheduler"]),
        examples=examples,
    )


def make_scheduler(model: DiffusionModel, name: str) -> Any:
    """A fresh DDPM or DDIM scheduler built from the noise schedule the model was trained with."""
    from diffusers import DDIMScheduler, DDPMScheduler

    if name == "ddpm":
        return DDPMScheduler(**model.scheduler_config)
    config = {k: v for k, v in model.scheduler_config.items() if k != "variance_type"}
    return DDIMScheduler(**config)


def to_uint8(batch: Any) -> np.ndarray:
    """A (n, 1, H, W) tensor in [-1, 1] → uint8 array (n, H, W)."""
    import torch

    array = batch.detach().float().clamp(-1, 1).add(1).mul(127.5).round().to(torch.uint8).cpu().numpy()
    return array[:, 0] if array.shape[1] == 1 else array.transpose(0, 2, 3, 1)


def _frame_indices(steps: int, keep: int) -> set[int]:
    """Which step indices to keep so that at most ``keep`` frames span the whole path."""
    if steps + 1 <= keep:
        return set(range(steps + 1))
    return {int(round(i)) for i in np.linspace(0, steps, keep)}


def sample(
    model: DiffusionModel,
    label_index: int,
    n: int = 8,
    steps: int = 50,
    seed: int = 0,
    guidance: float = DEFAULT_GUIDANCE,
    scheduler: str = "ddim",
    on_step: StepCallback | None = None,
    preview_every: int = 5,
    keep_frames: int = MAX_FRAMES,
) -> tuple[list[np.ndarray], list[int], float]:
    """Generate ``n`` images of class ``label_index``: (kept frames (uint8, the last is the result), their step numbers, seconds).

    ``on_step(done, total, preview)`` is called every ``preview_every`` steps and at the
    end, with ``preview`` the model's current estimate of the clean images (uint8); a
    caller may raise from it to cancel the generation.
    """
    import torch

    noise_scheduler = make_scheduler(model, scheduler)
    noise_scheduler.set_timesteps(steps)
    shape = (1, model.channels, model.image_size, model.image_size)
    generators = [torch.Generator().manual_seed(seed + i) for i in range(n)]
    sample = torch.cat([torch.randn(shape, generator=g) for g in generators]) * noise_scheduler.init_noise_sigma
    conditional = torch.full((n,), label_index, dtype=torch.long)
    unconditional = torch.full((n,), model.null_label, dtype=torch.long)
    keep = _frame_indices(steps, keep_frames)
    frames, frame_steps = [to_uint8(sample)], [0]
    started = time.perf_counter()
    with torch.inference_mode(), torch_threads():
        for index, timestep in enumerate(noise_scheduler.timesteps):
            noise = _guided_noise(model, sample, timestep, conditional, unconditional, guidance)
            output = noise_scheduler.step(noise, timestep, sample, generator=generators)
            sample = output.prev_sample
            done = index + 1
            if done in keep:
                frames.append(to_uint8(sample))
                frame_steps.append(done)
            if on_step is not None and (done % max(1, preview_every) == 0 or done == steps):
                on_step(done, steps, to_uint8(output.pred_original_sample))
    return frames, frame_steps, time.perf_counter() - started


def generate_images(model: DiffusionModel, label_index: int, n: int, steps: int = 50, seed: int = 0, guidance: float = DEFAULT_GUIDANCE, scheduler: str = "ddim") -> np.ndarray:
    """Just the ``n`` final images (uint8, (n, H, W)) of :func:`sample`: what the quality measures need."""
    frames, _, _ = sample(model, label_index, n=n, steps=steps, seed=seed, guidance=guidance, scheduler=scheduler, keep_frames=2)
    return frames[-1]


def _guided_noise(model: DiffusionModel, sample: Any, timestep: Any, conditional: Any, unconditional: Any, guidance: float) -> Any:
    """Classifier-free guidance; one UNet pass when guidance is exactly 0 or 1."""
    import torch

    if guidance == 0.0:
        return model.unet(sample, timestep, class_labels=unconditional).sample
    if guidance == 1.0:
        return model.unet(sample, timestep, class_labels=conditional).sample
    both = model.unet(torch.cat([sample, sample]), timestep, class_labels=torch.cat([conditional, unconditional])).sample
    noise_conditional, noise_unconditional = both.chunk(2)
    return noise_unconditional + guidance * (noise_conditional - noise_unconditional)


def split_strip(strip: np.ndarray, size: int) -> np.ndarray:
    """The inverse of a one-row, gap-free strip of square images: (K, size, size)."""
    count = strip.shape[1] // size
    return np.stack([strip[:size, i * size : (i + 1) * size] for i in range(count)])


def load_png(path: str | Path) -> np.ndarray:
    """A PNG as a grey uint8 array."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("L"), dtype=np.uint8)



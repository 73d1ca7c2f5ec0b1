"""Train the Fashion-MNIST diffusion model: ``python -m dl_apps train diffusion-fashion [--quick]``.

Data: Fashion-MNIST (Zalando Research, MIT licence; 60,000 training and 10,000 test
images, 28×28, 10 clothing classes) from the Debian package ``dataset-fashion-mnist``
(needed for training only: the committed weights suffice at run time).  Recipe in
:mod:`dl_apps.train.diffusion_common`.  Meant to run in the background, for as long as
quality needs (``--minutes``), resumable from its checkpoint (``--resume``).

Written to ``models/diffusion-fashion/``: ``unet.safetensors`` (float16), ``config.json``,
``examples.png``, ``classifier.safetensors`` (the small CNN that measures quality, trained
on the 60k training images and tested on the 10k test images), ``metrics.json``, ``card.md``.
"""

from __future__ import annotations

import sys

from dl_apps.nets.diffusion import FASHION_LABELS
from dl_apps.registry import MODELS_DIR
from dl_apps.train import diffusion_common as common

NAME = "diffusion-fashion"


def settings_for(quick: bool, steps: int | None, minutes: float | None, threads: int) -> common.DiffusionSettings:
    """The full recipe, or a tiny one for ``--quick`` (tests)."""
    settings = common.DiffusionSettings(
        name=NAME,
        dataset="fashion-mnist",
        labels=FASHION_LABELS,
        image_size=28,
        block_out_channels=(32, 64, 64),
        down_block_types=("DownBlock2D", "DownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "UpBlock2D", "UpBlock2D"),
        batch_size=32,
        learning_rate=1e-3,
        warmup_steps=100,
        max_steps=3000,
        threads=threads,
        checkpoint_minutes=5.0,
    )
    if quick:
        settings.block_out_channels = (16, 32, 32)
        settings.max_steps, settings.warmup_steps, settings.batch_size = 10, 5, 16
    if steps is not None:
        settings.max_steps = steps
    settings.max_minutes = minutes
    return settings


def main(argv: list[str] | None = None) -> int:
    """Train (or ``--eval-only``), export, train/load the checker, measure, write the card."""
    import torch
    from safetensors.torch import save_file

    from dl_apps.nets.diffusion import load_diffusion_dir
    from dl_apps.tools.sample_quality import (
        load_cnn_classifier,
        load_fashion_mnist,
        recognition_rate,
        train_cnn_classifier,
    )

    parser = common.base_parser(__doc__.splitlines()[0], MODELS_DIR / NAME)
    parser.add_argument("--classifier-epochs", type=int, default=2, help="epochs of the quality-check CNN")
    args = parser.parse_args(argv)
    settings = settings_for(args.quick, args.steps, args.minutes, args.threads)
    torch.set_num_threads(max(1, args.threads))
    out_dir = common.output_dir(args, NAME, MODELS_DIR / NAME)
    checkpoint = args.checkpoint or (out_dir / "checkpoint.pt" if args.quick else common.cache_dir() / NAME / "checkpoint.pt")
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    images, labels = load_fashion_mnist("train")
    test_images, test_labels = load_fashion_mnist("test")
    if args.quick:
        images, labels = images[:2000], labels[:2000]
        test_images, test_labels = test_images[:500], test_labels[:500]
    classifier_path = out_dir / "classifier.safetensors"
    if classifier_path.is_file() and not args.quick:
        classify = load_cnn_classifier(classifier_path)
    else:
        network = train_cnn_classifier(images, labels, epochs=1 if args.quick else args.classifier_epochs, log=log)
        state = network.state_dict()
        classifier_path.parent.mkdir(parents=True, exist_ok=True)  # a fresh --out folder
        save_file({k: (v.detach().half() if v.is_floating_point() else v).contiguous() for k, v in state.items()}, str(classifier_path))
        classify = load_cnn_classifier(classifier_path)  # measure the float16 file that is committed
    if args.eval_only:
        figures = common.previous_figures(out_dir, checkpoint)
    else:
        unet, figures = common.train(images, labels, settings, checkpoint, resume=args.resume, log=log)
        common.export(unet, settings, out_dir, common.first_of_each_class(test_images, test_labels, len(FASHION_LABELS)))
    classifier_accuracy = recognition_rate(classify, test_images, test_labels)
    log(f"checker accuracy on the test images: {classifier_accuracy:.3f}")
    model = load_diffusion_dir(out_dir)
    card = dict(
        title="diffusion-fashion: a class-conditional diffusion model of Fashion-MNIST clothes",
        summary="Generates 28×28 grey pictures of 10 kinds of clothing (T-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot) from noise; trained by this project on the CPU.",
        data="Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando Research): 60,000 training images used for both the diffusion model and the quality checker; the checker's accuracy is measured on the 10,000 test images, and the diversity reference is the test images. Read from the Debian package `dataset-fashion-mnist`.",
        licence="Weights: MIT (this project). Data: Fashion-MNIST, MIT licence (Zalando SE).",
        command="python -m dl_apps train diffusion-fashion  (resumable: --resume; cap: --minutes)",
        limits="Trained for a limited CPU budget (see Training): silhouettes and classes are clear, fine textures, prints and logos are not. Shirt / T-shirt / pullover / coat are often confused, by people too, so the checker's per-class figures for them are lower. 28×28 pixels only.",
    )
    return common.measure_and_publish(
        args, out_dir, NAME, model, classify, test_images, test_labels, classifier_accuracy,
        "a small CNN (3 conv layers, ~24k parameters) trained on the 60k training images", settings, figures, card, sweep_values=(0.0, 1.0, 1.5, 3.0),
    )


if __name__ == "__main__":
    raise SystemExit(main())

"""The home gallery's card pictures, drawn from real runs of each demo's default model.

``python -m dl_apps gallery [--out assets/gallery] [TASK ...]`` writes one 480×270 PNG
per demo (``<task>.png``).  Each demo draws its own picture in the hook
``dl_apps/tasks/<task>/gallery.py``::

    def picture() -> PIL.Image.Image: ...   # 480×270 RGB, from a real run of the default model

(a package holding several tasks, like ``dl_apps/tasks/body/``, defines ``picture_<task>()``
instead), so the gallery never promises more than the models do.  This module discovers the hooks
(:func:`picture_hooks`) and offers the shared drawing helpers they use: :func:`canvas`,
:func:`fit`, :func:`paste_row`, :func:`figure` and :func:`figure_to_image`.
"""

from __future__ import annotations

import argparse
import importlib
import io
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.registry import REPO_ROOT, load_registry

SIZE = (480, 270)
BACKGROUND = (246, 246, 248)
HOOK_MODULE = "gallery"  # dl_apps/tasks/<task>/gallery.py


# ------------------------------------------------------------ drawing helpers
def canvas() -> Any:
    """A blank 480×270 RGB card in the gallery's background colour."""
    from PIL import Image

    return Image.new("RGB", SIZE, BACKGROUND)


def fit(image: Any, box: tuple[int, int], smooth: bool = True) -> Any:
    """``image`` scaled to fit in ``box`` (width, height) keeping its aspect ratio; nearest-neighbour if not ``smooth``."""
    from PIL import Image

    scale = min(box[0] / image.width, box[1] / image.height)
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size, Image.LANCZOS if smooth else Image.NEAREST)


def paste_row(card: Any, images: list[Any], smooth: bool = True, margin: int = 14) -> Any:
    """``images`` side by side on ``card``, centred, each fitted to an equal share; returns ``card``."""
    width = (SIZE[0] - margin * (len(images) + 1)) // len(images)
    x = margin
    for image in images:
        fitted = fit(image, (width, SIZE[1] - 2 * margin), smooth)
        card.paste(fitted, (x + (width - fitted.width) // 2, (SIZE[1] - fitted.height) // 2))
        x += width + margin
    return card


def figure() -> tuple[Any, Any]:
    """A matplotlib (figure, axes) of the card's size and background (Agg backend, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(figsize=(SIZE[0] / 100, SIZE[1] / 100))
    fig.patch.set_facecolor(np.array(BACKGROUND) / 255)
    axes.set_facecolor(np.array(BACKGROUND) / 255)
    return fig, axes


def figure_to_image(fig: Any) -> Any:
    """A matplotlib figure rendered to a 480×270 RGB PIL image (the figure is closed)."""
    import matplotlib.pyplot as plt
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, facecolor=fig.get_facecolor())
    plt.close(fig)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB").resize(SIZE)


def hide_spines(axes: Any) -> None:
    """No frame around a matplotlib chart (the card is the frame)."""
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)


# ------------------------------------------------------------------ discovery
def hook_module_name(task: str) -> str | None:
    """The ``gallery`` module of a task's package if that file exists, else None.

    The package is the task's module when it is a package (``dl_apps.tasks.sentiment`` ->
    ``dl_apps.tasks.sentiment.gallery``), else the module's parent, for tasks that share
    one package (``dl_apps.tasks.body.pose`` -> ``dl_apps.tasks.body.gallery``).
    """
    spec = load_registry().task(task)
    if not spec.module:
        return None
    path = REPO_ROOT / Path(*spec.module.split("."))
    package = spec.module if path.is_dir() else spec.module.rpartition(".")[0]
    hook = REPO_ROOT / Path(*package.split(".")) / f"{HOOK_MODULE}.py"
    return f"{package}.{HOOK_MODULE}" if hook.is_file() else None


def hook_for(task: str) -> Callable[[], Any] | None:
    """The picture function of ``task``: ``picture_<task>()`` in its gallery module when the package holds
    several tasks, else ``picture()``; None when the task has no gallery module."""
    name = hook_module_name(task)
    if name is None:
        return None
    module = importlib.import_module(name)
    return getattr(module, f"picture_{task}", None) or getattr(module, "picture")


def picture_hooks() -> dict[str, Callable[[], Any]]:
    """Task name -> its picture hook, for every registered task that has one (registry order)."""
    hooks = {}
    for task in load_registry().tasks_in_order():
        hook = hook_for(task.name)
        if hook is not None:
            hooks[task.name] = hook
    return hooks


def make_gallery(out_dir: Path, tasks: list[str] | None = None) -> list[Path]:
    """Write ``<task>.png`` for each task (default: all with a hook); errors are reported, not raised."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for task in tasks or [spec.name for spec in load_registry().tasks_in_order()]:
        try:
            hook = hook_for(task)
            if hook is None:
                if tasks:
                    print(f"{task}: no picture (no {HOOK_MODULE}.py in its package)")
                continue
            picture = hook()
        except Exception as error:  # one broken demo must not stop the others' pictures
            print(f"{task}: no picture ({type(error).__name__}: {error})")
            continue
        path = out_dir / f"{task}.png"
        picture.save(path, optimize=True)
        written.append(path)
        print(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m dl_apps gallery [TASK ...] [--out DIR]``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m dl_apps gallery", description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "assets" / "gallery")
    args = parser.parse_args(argv)
    make_gallery(args.out, args.tasks or None)
    return 0

"""The home gallery's card pictures, drawn from real runs of each demo's default model.

``python -m dl_apps gallery [--out assets/gallery] [TASK ...]`` writes one 480×270 PNG
per demo (``<task>.png``).  Each picture is what the page itself shows for one of its
samples: boxes on a photo, generated digits, an attack's three images, a tissue map...
so the gallery never promises more than the models do.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.registry import REPO_ROOT

SIZE = (480, 270)
BACKGROUND = (246, 246, 248)
COLOURS = {"negative": "#d55e00", "neutral": "#999999", "positive": "#0072b2"}


def _canvas() -> Any:
    from PIL import Image

    return Image.new("RGB", SIZE, BACKGROUND)


def _fit(image: Any, box: tuple[int, int], smooth: bool = True) -> Any:
    """``image`` scaled to fit in ``box`` keeping its aspect ratio."""
    from PIL import Image

    scale = min(box[0] / image.width, box[1] / image.height)
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size, Image.LANCZOS if smooth else Image.NEAREST)


def _paste_row(canvas: Any, images: list[Any], smooth: bool = True, margin: int = 14) -> Any:
    """Images side by side, centred, each fitted to an equal share of the canvas."""
    width = (SIZE[0] - margin * (len(images) + 1)) // len(images)
    x = margin
    for image in images:
        fitted = _fit(image, (width, SIZE[1] - 2 * margin), smooth)
        canvas.paste(fitted, (x + (width - fitted.width) // 2, (SIZE[1] - fitted.height) // 2))
        x += width + margin
    return canvas


def _figure_to_image(figure: Any) -> Any:
    from PIL import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, facecolor=figure.get_facecolor())
    import matplotlib.pyplot as plt

    plt.close(figure)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB").resize(SIZE)


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(SIZE[0] / 100, SIZE[1] / 100))
    figure.patch.set_facecolor(np.array(BACKGROUND) / 255)
    axes.set_facecolor(np.array(BACKGROUND) / 255)
    return figure, axes


# ------------------------------------------------------------------ pictures
def picture_detection() -> Any:
    from PIL import Image

    from dl_apps.tasks import detection

    photo = (detection.SAMPLES_DIR / "dog.jpg").read_bytes()
    result = detection.run(photo)
    annotated = detection.draw_detections(detection.decode_image(photo)[0], result.detections)
    return _paste_row(_canvas(), [Image.fromarray(np.asarray(annotated))])


def picture_sentiment() -> Any:
    from dl_apps.tasks import sentiment

    texts = ["I love this workshop!", "C'est horrible, je déteste ça.", "The bus leaves at nine."]
    figure, axes = _figure()
    for row, text in enumerate(texts):
        scores = sentiment.run(text).scores
        left = 0.0
        for label in sentiment.LABELS:
            axes.barh(row, scores[label], left=left, color=COLOURS[label], height=0.6)
            left += scores[label]
    axes.set_yticks(range(len(texts)), texts, fontsize=11)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return _figure_to_image(figure)


def picture_generate() -> Any:
    from PIL import Image

    from dl_apps.tasks import generate

    rows = []
    for label in ("3", "7"):
        result = generate.run(label=label, n=6, steps=50, seed=4, guidance=1.5)
        rows.append(generate.grid(result.images, columns=6, scale=1, gap=1))
    both = np.concatenate([rows[0], np.full((2, rows[0].shape[1]), 255, np.uint8), rows[1]])
    return _paste_row(_canvas(), [Image.fromarray(both)], smooth=False)


def picture_attack() -> Any:
    from PIL import Image

    from dl_apps.tasks import attack

    result = attack.run(sample=3, method="pgd", eps=0.2)
    images = [result.original_image, result.perturbation_image, result.adversarial_image]
    return _paste_row(_canvas(), [Image.fromarray(np.asarray(image)) for image in images], smooth=False)


def picture_medical() -> Any:
    from PIL import Image

    from dl_apps.tasks import medical

    sample = next(path for path in medical.sample_files() if path.suffix == ".png" and "axial" in path.name)
    result = medical.run(sample.read_bytes())
    grey = (np.clip(result.image.pixels, 0, 1) * 255).astype(np.uint8)
    tissue = medical.label_map_rgb(result.tissue_map)
    return _paste_row(_canvas(), [Image.fromarray(grey), Image.fromarray(tissue)])


def picture_asr() -> Any:
    from dl_apps.tasks import asr
    from dl_apps.media import audio

    clip = asr.samples()[0]
    samples = audio.decode_audio(Path(clip.file).read_bytes()).samples
    figure, axes = _figure()
    axes.specgram(samples, Fs=16_000, NFFT=400, noverlap=240, cmap="magma")
    axes.set_axis_off()
    figure.tight_layout(pad=0)
    return _figure_to_image(figure)


def picture_qa() -> Any:
    from PIL import ImageDraw

    from dl_apps.tasks import qa

    passage = qa.samples()[0]
    context, question = passage["context"], passage["questions"][0]["question"]
    result = qa.run(context=context, question=question)
    canvas = _canvas()
    draw = ImageDraw.Draw(canvas)
    draw.text((16, 14), f"Q: {question}", fill=(30, 30, 30), font_size=17)
    start = max(0, result.start - 140)
    window = context[start : result.end + 160]
    x, y = 16, 52
    for index, word in enumerate(window.split(" ")):
        absolute = start + len(" ".join(window.split(" ")[:index])) + (1 if index else 0)
        inside = result.start <= absolute < result.end
        width = draw.textlength(word + " ", font_size=15)
        if x + width > SIZE[0] - 16:
            x, y = 16, y + 24
        if y > SIZE[1] - 28:
            break
        if inside:
            draw.rectangle((x - 2, y - 2, x + width - 3, y + 19), fill=(255, 221, 87))
        draw.text((x, y), word, fill=(30, 30, 30), font_size=15)
        x += width
    return canvas


def picture_recommend() -> Any:
    """Genre chips and score bars only: MovieLens-derived pictures stay off the home page
    (its licence asks GroupLens' permission for marketing use)."""
    from PIL import ImageDraw

    canvas = _canvas()
    draw = ImageDraw.Draw(canvas)
    rows = [("Sci-Fi", "Adventure", 0.92), ("Comedy", "Romance", 0.81), ("Drama", "War", 0.74), ("Animation", "Children's", 0.66), ("Thriller", "Crime", 0.58)]
    palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999", "#882255", "#44aa99"]
    y = 22
    for index, (first, second, score) in enumerate(rows):
        x = 20
        for chip, colour in ((first, palette[(2 * index) % 10]), (second, palette[(2 * index + 1) % 10])):
            width = draw.textlength(chip, font_size=15) + 20
            draw.rounded_rectangle((x, y, x + width, y + 28), radius=14, fill=colour)
            draw.text((x + 10, y + 5), chip, fill="white", font_size=15)
            x += width + 8
        draw.rounded_rectangle((260, y + 8, 260 + int(200 * score), y + 20), radius=6, fill="#0072b2")
        y += 48
    return canvas


def picture_explain() -> Any:
    from dl_apps.tasks import explain

    features = explain.run(target="tabular", method="shap", sample=0).features[:7]
    names = [feature.name if hasattr(feature, "name") else feature["name"] for feature in features]
    weights = [feature.weight if hasattr(feature, "weight") else feature["weight"] for feature in features]
    figure, axes = _figure()
    axes.barh(range(len(names)), weights, color=["#d55e00" if w > 0 else "#0072b2" for w in weights])
    axes.set_yticks(range(len(names)), names, fontsize=10)
    axes.invert_yaxis()
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return _figure_to_image(figure)


PICTURES: dict[str, Callable[[], Any]] = {
    "detection": picture_detection,
    "medical": picture_medical,
    "sentiment": picture_sentiment,
    "qa": picture_qa,
    "asr": picture_asr,
    "generate": picture_generate,
    "recommend": picture_recommend,
    "attack": picture_attack,
    "explain": picture_explain,
}


def make_gallery(out_dir: Path, tasks: list[str] | None = None) -> list[Path]:
    """Write ``<task>.png`` for each task (default: all with a picture function); errors are reported, not raised."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for task in tasks or list(PICTURES):
        try:
            picture = PICTURES[task]()
        except Exception as error:  # one broken demo must not stop the others' pictures
            print(f"{task}: no picture ({type(error).__name__}: {error})")
            continue
        path = out_dir / f"{task}.png"
        picture.save(path, optimize=True)
        written.append(path)
        print(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dl_apps gallery", description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "assets" / "gallery")
    args = parser.parse_args(argv)
    make_gallery(args.out, args.tasks or None)
    return 0

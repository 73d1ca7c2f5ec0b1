"""Object detection on the real packaged weights: expected objects, box geometry, bad input."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from dl_apps.tasks import detection
from dl_apps.cache import ModelCache
from dl_apps.core import InputError

YOLO = "yolov3-tiny-coco"
SSD = "ssdlite-person"

# Reference boxes measured once with YOLOv3-tiny at 416 px on the bundled samples
# (x1, y1, x2, y2 in the sample's pixels); a detection must overlap them (IoU >= 0.7).
REFERENCE = {
    "dog.jpg": [
        ("dog", [110.5, 156.8, 309.2, 426.3]),
        ("bicycle", [169.8, 128.4, 478.9, 370.7]),
        ("car", [387.4, 58.3, 565.6, 141.2]),
    ],
    "person.jpg": [
        ("person", [188.5, 104.3, 277.1, 380.8]),
        ("horse", [396.8, 136.7, 606.5, 330.6]),
        ("dog", [68.8, 264.9, 200.8, 353.5]),
    ],
    "eagle.jpg": [("bird", [147.1, 68.9, 493.4, 381.6])],
    "coffee.jpg": [("cup", [149.9, 22.6, 427.4, 309.9])],
}
SSD_PERSON = [184.3, 101.2, 275.3, 382.9]  # SSDLite on person.jpg, measured once


def iou(a, b):
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def sample_bytes(name):
    return (detection.SAMPLES_DIR / name).read_bytes()


def sample_array(name):
    return np.asarray(Image.open(detection.SAMPLES_DIR / name).convert("RGB"))


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def shared():
    """One cache for the module: YOLO loads once (a few seconds on a busy machine)."""
    cache = ModelCache(budget_mb=100_000)
    yield cache
    cache.clear()


# ------------------------------------------------------------------ the model
def test_darknet_loader_reads_every_weight_byte():
    from dl_apps.registry import get_model_spec
    from dl_apps.nets.yolo import build_darknet, count_darknet_parameters, load_darknet_weights, parse_cfg

    spec = get_model_spec(YOLO)
    cfg = detection.package_file(spec.options["package"], spec.options["cfg"])
    weights = detection.package_file(spec.options["package"], spec.options["weights"])
    network = build_darknet(parse_cfg(cfg.read_text()))
    read = load_darknet_weights(network, weights)
    assert read == count_darknet_parameters(network) == 8_858_734
    assert 20 + 4 * read == weights.stat().st_size  # header + every float32, nothing left over


def test_darknet_loader_refuses_a_truncated_file(tmp_path):
    from dl_apps.registry import get_model_spec
    from dl_apps.nets.yolo import build_darknet, load_darknet_weights, parse_cfg

    spec = get_model_spec(YOLO)
    cfg = detection.package_file(spec.options["package"], spec.options["cfg"])
    weights = detection.package_file(spec.options["package"], spec.options["weights"])
    short = tmp_path / "short.weights"
    short.write_bytes(weights.read_bytes()[:-400])
    with pytest.raises(ValueError):
        load_darknet_weights(build_darknet(parse_cfg(cfg.read_text())), short)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_yolo_finds_the_expected_objects_on_samples(shared, name):
    result = detection.run(sample_bytes(name), cache=shared)
    assert result.model == YOLO and result.latency_ms > 0
    assert (result.image_width, result.image_height) == Image.open(detection.SAMPLES_DIR / name).size
    for label, box in REFERENCE[name]:
        overlaps = [iou(d.box, box) for d in result.detections if d.label == label]
        assert overlaps and max(overlaps) >= 0.7, f"{label} not found in {name}: {result.detections}"
    scores = [d.score for d in result.detections]
    assert scores == sorted(scores, reverse=True)


def test_every_sample_listed_exists_and_has_a_source():
    names = [sample.name for sample in detection.samples()]
    assert names == [name for name, _ in detection.SAMPLES]
    assert all(sample.source for sample in detection.samples())


@pytest.mark.parametrize("shape", [(480, 640), (1, 1), (7, 300), (1000, 90), (33, 2000)])
@pytest.mark.parametrize("size", [min(detection.INPUT_SIZES), detection.DEFAULT_INPUT_SIZE, max(detection.INPUT_SIZES)])
def test_boxes_stay_inside_the_image_for_every_size(shared, shape, size):
    height, width = shape
    image = np.asarray(Image.fromarray(sample_array("dog.jpg")).resize((width, height)))
    result = detection.run(image, threshold=0.02, input_size=size, cache=shared)
    assert result.input_size == size
    for found in result.detections:
        x1, y1, x2, y2 = found.box
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height


def test_letterbox_keeps_the_aspect_ratio_and_maps_back():
    image = np.zeros((100, 300, 3), dtype=np.uint8)
    canvas, box = detection.letterbox(image, 416)
    assert canvas.shape == (416, 416, 3)
    assert box.scale == pytest.approx(416 / 300) and box.pad_x == 0 and box.pad_y > 0
    corners = np.array([[box.pad_x, box.pad_y, box.pad_x + 300 * box.scale, box.pad_y + 100 * box.scale]])
    assert detection.boxes_to_original(corners, box, 300, 100)[0] == pytest.approx([0, 0, 300, 100], abs=0.5)


def test_threshold_and_class_filter(shared):
    data = sample_bytes("dog.jpg")
    loose = detection.run(data, threshold=0.1, cache=shared)
    strict = detection.run(data, threshold=0.55, cache=shared)
    assert len(strict.detections) < len(loose.detections)
    assert all(d.score >= 0.55 for d in strict.detections)
    only_dogs = detection.run(data, classes=["dog"], cache=shared)
    assert only_dogs.detections and {d.label for d in only_dogs.detections} == {"dog"}
    assert only_dogs.counts() == {"dog": len(only_dogs.detections)}


def test_exif_orientation_is_honoured(shared):
    original = Image.open(detection.SAMPLES_DIR / "dog.jpg")
    rotated = original.rotate(90, expand=True)  # stored sideways, EXIF says "rotate 90° clockwise"
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    rotated.save(buffer, format="JPEG", quality=95, exif=exif.tobytes())
    result = detection.run(buffer.getvalue(), cache=shared)
    assert (result.image_width, result.image_height) == original.size
    dogs = [iou(d.box, REFERENCE["dog.jpg"][0][1]) for d in result.detections if d.label == "dog"]
    assert dogs and max(dogs) > 0.6


def test_ssdlite_finds_the_person_and_only_people(shared):
    result = detection.run(sample_bytes("person.jpg"), model_id=SSD, cache=shared)
    assert result.model == SSD
    assert {d.label for d in result.detections} == {"person"}
    assert max(iou(d.box, SSD_PERSON) for d in result.detections) >= 0.8
    assert detection.run(sample_bytes("eagle.jpg"), threshold=0.5, model_id=SSD, cache=shared).detections == []


def test_ssd_anchor_parameters_come_from_the_graph():
    from dl_apps.nets import ssdlite
    from dl_apps.registry import get_model_spec

    spec = get_model_spec(SSD)
    graph = ssdlite.read_ssd_graph(detection.package_file(spec.options["package"], spec.options["graph"]).read_bytes())
    assert graph.num_classes == 2 and graph.box_coder_scales == (10.0, 10.0, 5.0, 5.0)
    assert [len(s) for s in graph.scales] == [3, 6, 6, 6, 6, 6]
    assert graph.scales[0][0] == pytest.approx(0.1) and graph.scales[-1][0] == pytest.approx(0.95)
    sizes = [(19, 19), (10, 10), (5, 5), (3, 3), (2, 2), (1, 1)]
    assert len(ssdlite.grid_anchors(sizes, graph.scales, graph.aspect_ratios)) == 1917


# ----------------------------------------------------------------- drawing
def test_drawing_marks_the_boxes_with_class_colours():
    image = np.full((200, 300, 3), 255, dtype=np.uint8)
    found = [detection.Detection("dog", 0.9, [20, 40, 120, 180], class_id=16)]
    drawn = detection.draw_detections(image, found)
    assert drawn.shape == image.shape
    assert tuple(drawn[110, 20]) == detection.class_colour(16)  # left edge of the box
    assert tuple(drawn[110, 200]) == (255, 255, 255)  # outside untouched
    colours = {detection.class_colour(i) for i in range(80)}
    assert len(colours) == 80
    assert Image.open(io.BytesIO(detection.encode_png(drawn))).size == (300, 200)


# --------------------------------------------------------------- bad input
def huge_png_header(width, height):
    """A tiny file claiming a huge image: must be refused before any pixel is decoded."""

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "empty_file"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF", "image_not_an_image"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n", "image_not_an_image"),
        (huge_png_header(20_000, 20_000), "image_too_large"),
        (huge_png_header(9_000, 5_000), "image_too_large"),
        (b"\x00" * (detection.MAX_UPLOAD_BYTES + 1), "file_too_large"),
    ],
    ids=["empty", "pdf-renamed-png", "eps-never-reaches-ghostscript", "20000x20000-png", "45-megapixels", "too-many-bytes"],
)
def test_bad_files_are_clear_errors(data, code):
    with pytest.raises(InputError) as error:
        detection.run(data)  # refused before any model is loaded
    assert error.value.code == code


def test_corrupt_jpeg_is_a_clear_error():
    data = sample_bytes("dog.jpg")
    with pytest.raises(InputError) as error:
        detection.decode_image(data[: len(data) // 3])
    assert error.value.code == "image_corrupt"
    with pytest.raises(InputError) as error:
        detection.decode_image(data[:200] + b"\xff" * 50 + b"garbage" * 10)
    assert error.value.code in ("image_corrupt", "image_not_an_image")


def test_missing_file_and_no_image():
    with pytest.raises(InputError) as error:
        detection.run("/nonexistent/photo.jpg")
    assert error.value.code == "file_not_found"
    with pytest.raises(InputError) as error:
        detection.run(None)
    assert error.value.code == "image_missing"


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"threshold": 1.5}, "detection_bad_threshold"),
        ({"threshold": "abc"}, "detection_bad_threshold"),
        ({"iou": 0}, "detection_bad_iou"),
        ({"input_size": 100}, "detection_bad_input_size"),
    ],
)
def test_out_of_range_parameters(kwargs, code):
    with pytest.raises(InputError) as error:
        detection.run(sample_bytes("dog.jpg"), **kwargs)
    assert error.value.code == code


def _modes():
    rgb = Image.open(detection.SAMPLES_DIR / "person.jpg").convert("RGB")
    grey16 = Image.fromarray((np.asarray(rgb.convert("L"), dtype=np.uint16) * 257)).convert("I;16")
    rgba = rgb.convert("RGBA")
    rgba.putalpha(200)
    cmyk = io.BytesIO()
    rgb.convert("CMYK").save(cmyk, format="JPEG", quality=92)
    return {
        "16-bit": (png_bytes(grey16), "image_converted_16bit"),
        "cmyk": (cmyk.getvalue(), "image_converted_cmyk"),
        "rgba": (png_bytes(rgba), "image_transparency_removed"),
        "greyscale": (png_bytes(rgb.convert("L")), None),
        "palette": (png_bytes(rgb.convert("P")), None),
    }


@pytest.mark.parametrize("mode", ["16-bit", "cmyk", "rgba", "greyscale", "palette"])
def test_unusual_image_modes_still_find_the_person(shared, mode):
    data, expected_notice = _modes()[mode]
    result = detection.run(data, cache=shared)
    assert (result.image_width, result.image_height) == (640, 424)
    assert "person" in {d.label for d in result.detections}
    codes = [n["code"] for n in result.notices]
    if expected_notice:
        assert expected_notice in codes


def test_one_pixel_image_is_handled(shared):
    result = detection.run(png_bytes(Image.new("RGB", (1, 1), (200, 10, 10))), cache=shared)
    assert (result.image_width, result.image_height) == (1, 1)
    assert any(n["code"] == "detection_tiny_image" for n in result.notices)
    for found in result.detections:
        assert 0 <= found.box[0] <= found.box[2] <= 1


# ---------------------------------------------------------------------- CLI
def test_cli_run_gives_the_contract_keys(shared):
    args = detection.bench_args()
    payload = detection.cli_run(dict(args, classes="dog,bicycle"), None, shared).to_dict()
    assert payload["model"] == YOLO and payload["latency_ms"] > 0
    assert {d["label"] for d in payload["detections"]} == {"dog", "bicycle"}
    for found in payload["detections"]:
        assert set(found) >= {"label", "score", "box"} and len(found["box"]) == 4
    with pytest.raises(InputError):
        detection.cli_run({}, None, shared)


@pytest.mark.slow
def test_hub_detector_wrapper_on_a_tiny_local_model(tmp_path):
    """The hub path (transformers AutoModelForObjectDetection) on a tiny random YOLOS saved locally: no network."""
    from transformers import YolosConfig, YolosForObjectDetection, YolosImageProcessor

    labels = {0: "alpha", 1: "beta", 2: "gamma"}
    config = YolosConfig(
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
        image_size=[64, 64],
        patch_size=16,
        num_detection_tokens=5,
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )
    YolosForObjectDetection(config).save_pretrained(tmp_path)
    YolosImageProcessor(size={"shortest_edge": 64, "longest_edge": 96}).save_pretrained(tmp_path)
    hub = detection.HubDetector(str(tmp_path))
    image = np.random.default_rng(0).integers(0, 255, (50, 80, 3), dtype=np.uint8)
    found = hub.detect(image, threshold=0.0, iou=0.5, input_size=800)
    assert found and all(d.label in labels.values() for d in found)
    for d in found:
        assert 0 <= d.box[0] < d.box[2] <= 80 and 0 <= d.box[1] < d.box[3] <= 50

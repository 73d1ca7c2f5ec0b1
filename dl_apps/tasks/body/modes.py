"""What the page calls: one picture through one mode, and the live-webcam annotator.

Modes: ``pose`` (skeleton), ``hands``, ``mesh`` (face mesh), ``segment`` (person
segmentation: background blurred, replaced or shown as a mask) and ``blur`` (every face
anonymised).  Each mode asks the registry for its model by role (``pose``, ``hands``,
``mesh``, ``segmentation``, ``blur``), never by id, and runs through the shared cache.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from dl_apps.cache import ModelCache
from dl_apps.core import InputError, TaskResult
from dl_apps.registry import ModelSpec, load_registry

MODES: tuple[str, ...] = ("pose", "hands", "mesh", "segment", "blur")
# mode -> (task, role of its model in the manifest)
MODE_MODELS: dict[str, tuple[str, str]] = {
    "pose": ("pose", "pose"),
    "hands": ("pose", "hands"),
    "mesh": ("face", "mesh"),
    "segment": ("segment", "segmentation"),
    "blur": ("face", "blur"),
}
EFFECTS: tuple[str, ...] = ("blur", "replace", "mask")
BLUR_SIZES = (5, 151)  # background blur kernel, px (the slider's range)
FPS_WINDOW_S = 3.0


@dataclass(frozen=True)
class ModeSettings:
    """The page's controls for one run (replaced whole, never mutated: the video thread reads them)."""

    mode: str = "pose"
    effect: str = "blur"
    background_blur: int = 41
    colour: tuple[int, int, int] = (0, 177, 64)
    threshold: float = 0.3
    pixelate: bool = False
    tesselation: bool = True

    def checked(self) -> "ModeSettings":
        """The same settings validated: an unknown mode or effect and out-of-range numbers → InputError."""
        if self.mode not in MODES:
            raise InputError("body_bad_mode", f"Unknown mode {self.mode!r} (use one of {', '.join(MODES)}).", mode=str(self.mode)[:40])
        if self.effect not in EFFECTS:
            raise InputError("body_bad_effect", f"Unknown background effect {self.effect!r}.", effect=str(self.effect)[:40])
        try:
            blur = int(self.background_blur)
            threshold = float(self.threshold)
            colour = tuple(int(np.clip(int(c), 0, 255)) for c in self.colour)
        except (TypeError, ValueError, OverflowError):
            raise InputError("body_bad_setting", "A setting of the page is not a number.") from None
        if len(colour) != 3:
            raise InputError("body_bad_setting", "A setting of the page is not a number.")
        if not BLUR_SIZES[0] <= blur <= BLUR_SIZES[1]:
            raise InputError("body_bad_setting", "A setting of the page is not a number.")
        if not np.isfinite(threshold) or not 0.0 <= threshold <= 1.0:
            raise InputError("body_bad_threshold", "The confidence threshold must be a number between 0 and 1.")
        return ModeSettings(self.mode, self.effect, blur, colour, threshold, bool(self.pixelate), bool(self.tesselation))


@dataclass
class ModeView:
    """One picture through one mode: the task's result, the picture drawn, and what was found."""

    mode: str
    result: TaskResult
    picture: np.ndarray
    found: int
    model: str = ""
    latency_ms: float = 0.0
    notices: list[dict[str, Any]] = field(default_factory=list)
    coverage: float | None = None


def model_for(mode: str) -> ModelSpec:
    """The registry model a mode uses (asked by role)."""
    if mode not in MODE_MODELS:
        raise InputError("body_bad_mode", f"Unknown mode {mode!r} (use one of {', '.join(MODES)}).", mode=str(mode)[:40])
    task, role = MODE_MODELS[mode]
    return load_registry().model_with_role(task, role)


def parse_colour(text: Any, default: tuple[int, int, int] = (0, 177, 64)) -> tuple[int, int, int]:
    """'#00b140' → (0, 177, 64); anything unreadable → ``default``."""
    value = str(text or "").strip().lstrip("#")
    if len(value) != 6:
        return default
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return default


def run_mode(
    settings: ModeSettings,
    image: Any,
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    stream: str | None = None,
) -> ModeView:
    """Run ``image`` (bytes, path, PIL image or RGB array) through ``settings.mode``; return the drawn picture too.

    Raises InputError for unreadable pictures and bad settings; nobody in the picture is
    not an error (``found`` = 0, with a notice).
    """
    from dl_apps.tasks.body import draw, face, pose, prepare_image, segment

    settings = settings.checked()
    spec = model_for(settings.mode)
    pixels, notices = prepare_image(image)
    mode = settings.mode
    coverage = None
    if mode in ("pose", "hands"):
        result = pose.run(pixels, model_id=spec.id, cache=cache, on_queue=on_queue, stream=stream)
        if mode == "pose":
            found, picture = len(result.people), draw.draw_pose(pixels, result.people)
        else:
            found, picture = len(result.hands), draw.draw_hands(pixels, result.hands)
    elif mode == "mesh":
        result = face.run(pixels, model_id=spec.id, cache=cache, on_queue=on_queue, stream=stream)
        found, picture = len(result.faces), draw.draw_mesh(pixels, result.faces, tesselation=settings.tesselation)
    elif mode == "blur":
        result = face.run(pixels, threshold=settings.threshold, model_id=spec.id, cache=cache, on_queue=on_queue)
        found = len(result.faces)
        picture = draw.blur_regions(pixels, [f.box for f in result.faces], pixelate=settings.pixelate)
    else:
        result = segment.run(pixels, model_id=spec.id, cache=cache, on_queue=on_queue)
        coverage = result.coverage
        found = int(result.coverage >= segment.EMPTY_COVERAGE)
        picture = draw.composite(pixels, result.mask, settings.effect, settings.background_blur, settings.colour)
    return ModeView(
        mode=mode,
        result=result,
        picture=picture,
        found=found,
        model=result.model,
        latency_ms=result.latency_ms,
        notices=notices + result.notices,
        coverage=coverage,
    )


class LiveAnnotator:
    """Draws the current mode on webcam frames (RGB arrays) for the live view; runs in a media thread.

    Each annotator is one video stream with its own tracking graphs (two-stage pipelines
    detect once, then track), and every frame goes through the shared cache, so live
    users queue fairly with everyone else.  A frame that fails is returned as it came
    (the video must not stop on one bad frame).  ``frames``, ``fps``,
    ``last_latency_ms``, ``last_found`` and ``last_error`` are for display.
    """

    def __init__(self, cache: ModelCache | None = None, settings: ModeSettings | None = None) -> None:
        self.cache = cache
        self.settings = settings or ModeSettings()
        self.stream = uuid.uuid4().hex
        self.frames = 0
        self.last_latency_ms = 0.0
        self.last_found = 0
        self.last_error: str | None = None
        self._times: deque[float] = deque(maxlen=120)
        self._lock = threading.Lock()

    @property
    def fps(self) -> float:
        """Frames annotated per second over the last few seconds (0 before two frames)."""
        with self._lock:
            now = time.perf_counter()
            recent = [t for t in self._times if now - t <= FPS_WINDOW_S]
        if len(recent) < 2:
            return 0.0
        span = recent[-1] - recent[0]
        return (len(recent) - 1) / span if span > 0 else 0.0

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        try:
            view = run_mode(self.settings, frame, cache=self.cache, stream=self.stream)
        except Exception as error:  # logged by the caller's thread; the video keeps playing
            self.last_error = f"{type(error).__name__}: {error}"
            return frame
        with self._lock:
            self._times.append(time.perf_counter())
        self.frames += 1
        self.last_latency_ms = view.latency_ms
        self.last_found = view.found
        self.last_error = None
        return view.picture

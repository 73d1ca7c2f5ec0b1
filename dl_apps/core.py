"""Shared building blocks of the task modules: user-facing errors, timing, cached inference.

Every task module (``sentiment``, ``qa``, ...) follows one pattern::

    def predict(model, **inputs) -> SomeResult          # pure, on a loaded model
    def run(..., model_id=None, cache=None) -> SomeResult  # validates, goes through the cache

``run`` calls :func:`run_cached`, which resolves the default model, takes the model
from the cache for the time of the inference, and fills ``model`` and ``latency_ms``.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, Callable, Iterator, TypeVar

from dl_apps import shared_results
from dl_apps.cache import ModelCache, shared_cache
from dl_apps.registry import resolve_model_id


class InputError(ValueError):
    """Bad user input: carries a message fit to show as is, and a code the UI can translate.

    ``code`` is a key of the UI string catalogue (``error.<code>``) and ``params`` fill
    its placeholders; ``str(error)`` is the English message used by the CLI.
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass
class TaskResult:
    """Fields every result has: the registry id of the model and the inference latency."""

    model: str = ""
    latency_ms: float = 0.0
    notices: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's output)."""
        return to_jsonable(self)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, numpy scalars/arrays, tuples → plain JSON types."""
    if is_dataclass(value) and not isinstance(value, type):
        return {key: to_jsonable(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    if hasattr(value, "tolist"):  # numpy scalar or array
        return value.tolist()
    return value


ResultT = TypeVar("ResultT", bound=TaskResult)
BACKEND_ENV = "DL_HUB_BACKEND"  # embedded (default) | ray
# Where each non-embedded backend runs a task, as "module:function" (resolved when first used,
# like the manifest's loaders): the serving package builds on core, core never imports it.
REMOTE_BACKENDS: dict[str, str] = {"ray": "dl_apps.serving.client:run_on_tier"}


def remote_runner(backend: str) -> Callable[..., Any]:
    """The function that runs a task on ``backend`` (a key of :data:`REMOTE_BACKENDS`)."""
    import importlib

    module_name, _, function_name = REMOTE_BACKENDS[backend].partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def run_cached(
    task: str,
    model_id: str | None,
    predict: Callable[[Any], ResultT],
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
    share_key: tuple[Any, ...] | None = None,
) -> ResultT:
    """Run ``predict(model)`` on the task's model from the cache; set ``model`` and ``latency_ms``.

    The latency covers inference only (not the load), as the CLI contract says.
    With ``DL_HUB_BACKEND=ray`` the same ``predict`` runs on the Ray Serve model tier
    (dl_apps.serving.client) for the tasks it serves; ``embedded`` (default) runs it here.

    ``share_key`` (every input that changes the answer, as plain values) lets sessions of this
    server share the result of the same request (:mod:`dl_apps.shared_results`): only on the
    shared model cache, and only when that is enabled.
    """
    model_id = resolve_model_id(task, model_id)
    backend = os.environ.get(BACKEND_ENV, "embedded")
    runner = remote_runner(backend) if backend in REMOTE_BACKENDS else run_embedded

    def on_backend() -> ResultT:
        return runner(task, model_id, predict, cache, on_queue)

    if share_key is not None and (cache is None or cache is shared_cache()) and shared_results.enabled():
        return shared_results.remembered((task, model_id, *share_key), on_backend)
    return on_backend()


def run_embedded(
    task: str,
    model_id: str | None,
    predict: Callable[[Any], ResultT],
    cache: ModelCache | None = None,
    on_queue: Callable[[int], None] | None = None,
) -> ResultT:
    """:func:`run_cached` in this process, on this process's cache (also what a tier replica runs)."""
    cache = cache or shared_cache()
    model_id = resolve_model_id(task, model_id)
    with cache.use(model_id, task=task, on_queue=on_queue) as model:
        started = time.perf_counter()
        result = predict(model)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
    result.model = model_id
    result.latency_ms = round(elapsed_ms, 2)
    return result


def notice(code: str, message: str, **params: Any) -> dict[str, Any]:
    """A note for the user about how the input was handled (e.g. truncated).

    ``code`` is translated by the UI (``notice.<code>`` in the string catalogue) with
    ``params``; ``message`` is the English text the CLI prints.
    """
    return {"code": code, "message": message, **params}


def clean_text(text: Any, max_chars: int, what: str = "text") -> tuple[str, list[dict[str, Any]]]:
    """Validate user text: must be a non-blank string; cut to ``max_chars`` with a notice.

    Returns the (possibly shortened) text and a list of notices for the user.
    """
    if text is None or not isinstance(text, str):
        raise InputError("empty_text", f"Please enter some {what}.")
    text = text.replace("\x00", "").strip()
    if not text:
        raise InputError("empty_text", f"Please enter some {what}.")
    notices = []
    if len(text) > max_chars:
        notices.append(
            notice(
                "truncated",
                f"The text was cut to its first {max_chars:,} characters (it had {len(text):,}).",
                chars=len(text),
                limit=max_chars,
            )
        )
        text = text[:max_chars]
    return text, notices


def check_upload(data: bytes | None, max_bytes: int) -> bytes:
    """Refuse an empty or oversized upload with a clear InputError; return the bytes."""
    if not data:
        raise InputError("empty_file", "The file is empty.")
    if len(data) > max_bytes:
        raise InputError(
            "file_too_large",
            f"The file is too large ({len(data) // 1024:,} KB; the limit is {max_bytes // 1024:,} KB).",
            size_kb=len(data) // 1024,
            limit_kb=max_bytes // 1024,
        )
    return data


def decode_text_bytes(data: bytes, max_bytes: int) -> str:
    """Decode an uploaded text file: UTF-8 (with BOM), else Latin-1; refuse binary files."""
    check_upload(data, max_bytes)
    if b"\x00" in data[:4096]:
        raise InputError("binary_file", "This looks like a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    if control > 0.05 * min(len(text), 4096):
        raise InputError("binary_file", "This looks like a binary file, not text.")
    return text


TORCH_THREADS_ENV = "DL_HUB_TORCH_THREADS"
_torch_threads_lock = threading.Lock()


@contextmanager
def torch_threads(threads: int | None = None) -> Iterator[None]:
    """Run torch inference with the hub's thread policy: ``threads``, else ``DL_HUB_TORCH_THREADS``, else 1.

    One intra-op thread per inference: on a shared CPU server several users' requests
    already run side by side (the cache's inference slots), and two threads fighting
    for the same cores were measured 4-25x slower than one on the busy 2-core machine
    (YOLOv3-tiny 350 vs 1,500 ms; PGD-10 on a digit 40 vs 200-2,300 ms; diffusion
    16x50 steps 6.7 vs 178 s).  The setting is process-wide in torch, so it is set,
    not restored: restoring it would race with other sessions' inferences.
    """
    import torch

    wanted = max(1, int(threads or os.environ.get(TORCH_THREADS_ENV, "1")))
    if torch.get_num_threads() != wanted:
        with _torch_threads_lock:
            torch.set_num_threads(wanted)
    yield

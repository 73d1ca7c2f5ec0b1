"""What crosses between a front end and the model tier, as bytes over HTTP.

A request is ``cloudpickle((task, model_id, predict))``: ``predict`` is the very closure a
task's ``run`` gives :func:`dl_apps.core.run_cached` (e.g. ``lambda model: predict(model,
text)``), so the tier runs the same code on the same inputs (numpy arrays, bytes,
strings) and returns the same result dataclass.  Functions of importable modules travel
by reference, so both sides need the same ``dl_apps`` checkout (docs/scaling.md).

Pickles run code when loaded: the tier must listen only on loopback or a private
cluster network, and with ``DL_HUB_TIER_TOKEN`` set on both sides every request carries
an HMAC-SHA256 of its body that the tier checks *before* unpickling.

The answer is a stream of frames ``kind (1 byte) + length (4 bytes, big-endian) + body``:
``Q`` a queue notice (JSON ``{"position": n}``, zero or more), then exactly one of ``R``
(the pickled result) or ``E`` (JSON ``{"kind", "code", "message", "params"}``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from typing import Any, BinaryIO, Iterator

TOKEN_ENV = "DL_HUB_TIER_TOKEN"
SIGNATURE_HEADER = "X-DL-Hub-Signature"
QUEUE, RESULT, ERROR = b"Q", b"R", b"E"
_HEADER = struct.Struct(">cI")


def token() -> bytes:
    """The shared secret of this machine's tier and front ends (empty: no signature)."""
    return os.environ.get(TOKEN_ENV, "").encode("utf-8")


def sign(body: bytes, secret: bytes | None = None) -> str:
    """Hex HMAC-SHA256 of ``body`` with the shared secret ('' when there is none)."""
    secret = token() if secret is None else secret
    return hmac.new(secret, body, hashlib.sha256).hexdigest() if secret else ""


def verify(body: bytes, signature: str | None, secret: bytes | None = None) -> bool:
    """Whether ``signature`` is right for ``body`` (always True when no secret is set)."""
    secret = token() if secret is None else secret
    if not secret:
        return True
    return hmac.compare_digest(sign(body, secret), signature or "")


def encode_request(task: str, model_id: str, predict: Any) -> bytes:
    """The request body for one inference (raises if ``predict`` cannot be pickled)."""
    import cloudpickle

    return cloudpickle.dumps((task, model_id, predict))


def decode_request(body: bytes) -> tuple[str, str, Any]:
    """Inverse of :func:`encode_request` (call only after :func:`verify`)."""
    import cloudpickle

    task, model_id, predict = cloudpickle.loads(body)
    return str(task), str(model_id), predict


def frame(kind: bytes, body: bytes) -> bytes:
    """One frame of the answer stream."""
    return _HEADER.pack(kind, len(body)) + body


def queue_frame(position: int) -> bytes:
    return frame(QUEUE, json.dumps({"position": int(position)}).encode())


def result_frame(result: Any) -> bytes:
    import cloudpickle

    return frame(RESULT, cloudpickle.dumps(result))


def error_frame(kind: str, code: str, message: str, params: dict[str, Any] | None = None) -> bytes:
    """An error frame: ``kind`` is ``input`` (an InputError), ``model`` (UnknownModelError) or ``internal``."""
    payload = {"kind": kind, "code": code, "message": message, "params": params or {}}
    return frame(ERROR, json.dumps(payload, default=str).encode())


def read_frames(stream: BinaryIO) -> Iterator[tuple[bytes, bytes]]:
    """Frames from a file-like answer; stops at a clean end, raises EOFError on a cut one."""
    while True:
        header = stream.read(_HEADER.size)
        if not header:
            return
        if len(header) < _HEADER.size:
            raise EOFError("the answer stopped in the middle of a frame header")
        kind, length = _HEADER.unpack(header)
        body = stream.read(length)
        if len(body) < length:
            raise EOFError("the answer stopped in the middle of a frame")
        yield kind, body

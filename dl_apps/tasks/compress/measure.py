"""What every compressed variant is measured by: file size, parameters, latency on one thread.

* :func:`export_safetensors` writes a network's weights (float, float16/bfloat16, or int8 with
  their scales) as one safetensors file: its length *is* the size on disk that the page shows,
  and the bytes are what the page offers for download.
* :func:`zipped_bytes`: the same file after zlib compression — pruning only shrinks a file
  once its zeros are compressed (or stored sparse), which this number shows.
* :func:`p50_latency_ms`: median wall time of one call on one torch thread.

Plain functions on ``torch.nn.Module`` objects; torch is imported inside them.
"""

from __future__ import annotations

import statistics
import time
import zlib
from typing import Any, Callable

MB = 1024 * 1024


def _plain_tensors(name: str, value: Any, out: dict[str, Any], meta: dict[str, str]) -> None:
    """One state-dict entry → plain tensors safetensors can hold (quantized → int8 + scales)."""
    import torch

    if isinstance(value, (tuple, list)):  # packed params of quantized linears: (weight, bias)
        for index, item in enumerate(value):
            _plain_tensors(f"{name}.{index}", item, out, meta)
        return
    if isinstance(value, torch.dtype):
        meta[name] = str(value)
        return
    if not isinstance(value, torch.Tensor):
        if isinstance(value, (int, float, str, bool)):
            meta[name] = str(value)
        return
    if value.is_quantized:
        out[f"{name}.int8"] = value.int_repr().contiguous()
        if value.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
            out[f"{name}.scales"] = value.q_per_channel_scales().to(torch.float32).contiguous()
            out[f"{name}.zero_points"] = value.q_per_channel_zero_points().to(torch.int32).contiguous()
            meta[f"{name}.axis"] = str(value.q_per_channel_axis())
        else:
            out[f"{name}.scale"] = torch.tensor([value.q_scale()], dtype=torch.float32)
            out[f"{name}.zero_point"] = torch.tensor([value.q_zero_point()], dtype=torch.int32)
        return
    out[name] = value.detach().contiguous()


def plain_state_dict(net: Any, storage_dtype: Any = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The weights of ``net`` as plain tensors (+ string metadata), floats cast to ``storage_dtype`` if given."""
    tensors: dict[str, Any] = {}
    meta: dict[str, str] = {}
    for name, value in net.state_dict().items():
        _plain_tensors(name, value, tensors, meta)
    if storage_dtype is not None:
        tensors = {k: (v.to(storage_dtype) if v.is_floating_point() else v) for k, v in tensors.items()}
    # safetensors refuses tensors that share memory; copies are cheap at these sizes
    seen: set[int] = set()
    for key, value in list(tensors.items()):
        pointer = value.data_ptr()
        if pointer in seen and value.numel():
            tensors[key] = value.clone()
        seen.add(pointer)
    return tensors, meta


def export_safetensors(net: Any, storage_dtype: Any = None, metadata: dict[str, str] | None = None) -> bytes:
    """The weights of ``net`` as the bytes of a safetensors file (what the page offers for download)."""
    from safetensors.torch import save

    tensors, meta = plain_state_dict(net, storage_dtype)
    return save(tensors, metadata={**meta, **(metadata or {})})


def zipped_bytes(data: bytes) -> int:
    """Length of ``data`` after zlib (deflate, level 6): zeros left by pruning compress away."""
    return len(zlib.compress(data, 6))


def count_parameters(net: Any) -> tuple[int, int]:
    """(all weights, non-zero weights) of ``net``, counted in its state dict (quantized ones included)."""
    tensors, _ = plain_state_dict(net)
    total = nonzero = 0
    for name, value in tensors.items():
        if name.endswith((".scale", ".zero_point", ".scales", ".zero_points")) or "running_" in name or "num_batches" in name:
            continue
        if not (value.is_floating_point() or name.endswith(".int8")):
            continue
        total += int(value.numel())
        nonzero += int((value != 0).sum())
    return total, nonzero


def p50_latency_ms(call: Callable[[], Any], runs: int, warmup: int = 2) -> float:
    """Median milliseconds of ``call()`` over ``runs`` calls after ``warmup`` calls, on one torch thread."""
    import torch

    from dl_apps.core import torch_threads

    times = []
    with torch_threads(1), torch.inference_mode():
        for _ in range(max(0, warmup)):
            call()
        for _ in range(max(1, runs)):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000.0)
    return round(statistics.median(times), 3)

"""The compression methods themselves, on a copy of a float ``torch.nn.Module``.

Every function takes a network (never the cached one: callers pass a deep copy) and
returns the compressed network.  They are thin wrappers over PyTorch's own tools:

* dynamic int8: ``torch.ao.quantization.quantize_dynamic`` (weights of Linear layers stored
  in int8, activations quantized on the fly);
* static int8: FX graph mode (``prepare_fx`` → run calibration batches → ``convert_fx``),
  which quantizes convolutions too, with activation ranges measured on calibration data;
* float16 / bfloat16 weights;
* magnitude pruning: ``torch.nn.utils.prune.global_unstructured`` with L1 magnitude.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Iterable


def prunable(net: Any) -> list[tuple[Any, str]]:
    """(module, "weight") for every Conv2d and Linear of ``net`` (what magnitude pruning acts on)."""
    from torch import nn

    return [(module, "weight") for module in net.modules() if isinstance(module, (nn.Conv2d, nn.Linear))]


def dynamic_int8(net: Any) -> Any:
    """Linear layers with int8 weights (PyTorch dynamic quantization); other layers unchanged."""
    import torch
    from torch import nn

    return torch.ao.quantization.quantize_dynamic(copy.deepcopy(net).eval(), {nn.Linear}, dtype=torch.qint8)


def static_int8(net: Any, example: Any, calibration: Iterable[Any]) -> Any:
    """Convolutions and linears in int8, activations too (FX graph mode, x86 backend), after
    measuring activation ranges on the ``calibration`` batches."""
    import torch
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    torch.backends.quantized.engine = "x86"
    prepared = prepare_fx(copy.deepcopy(net).eval(), get_default_qconfig_mapping("x86"), (example,))
    with torch.inference_mode():
        for batch in calibration:
            prepared(batch)
    return convert_fx(prepared)


def rounded_weights(net: Any, dtype: Any) -> Any:
    """``net`` with every floating weight rounded through ``dtype`` (e.g. float16) and back to float32:
    it computes exactly what the smaller stored file would give, on a CPU without fast float16."""
    import torch

    rounded = copy.deepcopy(net)
    with torch.no_grad():
        for tensor in list(rounded.parameters()) + list(rounded.buffers()):
            if tensor.is_floating_point():
                tensor.copy_(tensor.to(dtype).to(tensor.dtype))
    return rounded


def bfloat16(net: Any) -> Any:
    """``net`` converted to bfloat16 (weights and arithmetic)."""
    import torch

    return copy.deepcopy(net).to(torch.bfloat16).eval()


def magnitude_prune(net: Any, amount: float, fine_tune: Callable[[Any], None] | None = None) -> Any:
    """Zero the ``amount`` (0-1) smallest-magnitude weights over all conv/linear layers together.

    With ``fine_tune``, it is called on the pruned network while the pruning masks are still
    attached (pruned weights stay zero during training), then the masks are made permanent.
    """
    from torch.nn.utils import prune

    pruned = copy.deepcopy(net)
    parameters = prunable(pruned)
    prune.global_unstructured(parameters, pruning_method=prune.L1Unstructured, amount=float(amount))
    if fine_tune is not None:
        fine_tune(pruned)
    for module, name in parameters:
        prune.remove(module, name)
    return pruned.eval()


def sparsity(net: Any) -> float:
    """Fraction of zero weights over the conv/linear layers of ``net``."""
    total = zeros = 0
    for module, name in prunable(net):
        weight = getattr(module, name)
        total += weight.numel()
        zeros += int((weight == 0).sum())
    return zeros / total if total else 0.0

"""Turn a CTranslate2 Whisper model (``model.bin``) back into an openai-whisper PyTorch model.

The packaged Whisper weights are in CTranslate2's format (what faster-whisper runs).
To compare faster-whisper with the reference engine, openai-whisper, *on identical
weights*, we read CTranslate2's binary file ourselves and map each tensor to the
parameter names of ``whisper.model.Whisper``:

* CTranslate2 fuses the self-attention projections into one ``linear_0`` ([q; k; v])
  and the cross-attention key/value into ``linear_1`` ([k; v]); we split them.
* openai-whisper's key projection has no bias; CTranslate2 stores zeros there.
* The output projection is tied to the token embedding (an alias in the file).

The file format (``ctranslate2/specs/model_spec.py: ModelSpec._serialize``): a version,
the spec name and revision, then for each variable its name, shape, dtype id and raw
bytes, then a list of aliases.  Plain numpy here; torch is imported only to build the model.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Order of CTranslate2's DataType enum (include/ctranslate2/types.h).
_CT2_DTYPES: tuple[str, ...] = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


@dataclass
class Ct2Model:
    """The variables of a CTranslate2 ``model.bin``: name → numpy array (aliases resolved)."""

    spec_name: str
    revision: int
    variables: dict[str, np.ndarray]


def read_ct2_model(path: str | Path) -> Ct2Model:
    """Parse a CTranslate2 ``model.bin`` into numpy arrays (float16/bfloat16 → float32).

    Raises ValueError if the file is not a CTranslate2 model this reader understands.
    """
    data = memoryview(Path(path).read_bytes())
    offset = 0

    def unpack(fmt: str) -> Any:
        nonlocal offset
        value = struct.unpack_from(fmt, data, offset)[0]
        offset += struct.calcsize(fmt)
        return value

    def read_string() -> str:
        nonlocal offset
        length = unpack("H")  # includes the trailing NUL
        text = bytes(data[offset : offset + length - 1]).decode("utf-8")
        offset += length
        return text

    version = unpack("I")
    if version < 5 or version > 6:
        raise ValueError(f"unsupported CTranslate2 model version {version}")
    spec_name = read_string()
    revision = unpack("I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(unpack("I")):
        name = read_string()
        shape = tuple(unpack("I") for _ in range(unpack("B")))
        dtype = _CT2_DTYPES[unpack("B")]
        num_bytes = unpack("I")
        raw = data[offset : offset + num_bytes]
        offset += num_bytes
        if dtype == "bfloat16":  # numpy has no bfloat16: widen the 16 bits into float32's top half
            array = (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=dtype)
        variables[name] = array.reshape(shape)
    for _ in range(unpack("I")):
        alias, target = read_string(), read_string()
        variables[alias] = variables[target]
    return Ct2Model(spec_name=spec_name, revision=revision, variables=variables)


def _count_layers(variables: dict[str, np.ndarray], prefix: str) -> int:
    pattern = re.compile(rf"^{prefix}/layer_(\d+)/")
    return 1 + max(int(m.group(1)) for name in variables if (m := pattern.match(name)))


def whisper_dimensions(ct2: Ct2Model) -> dict[str, int]:
    """The ``whisper.model.ModelDimensions`` fields implied by the tensors' shapes."""
    v = ct2.variables
    return {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": _count_layers(v, "encoder"),
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": _count_layers(v, "decoder"),
    }


def _linear(state: dict[str, np.ndarray], target: str, weight: np.ndarray, bias: np.ndarray | None) -> None:
    state[f"{target}.weight"] = weight
    if bias is not None:
        state[f"{target}.bias"] = bias


def _layer_norm(state: dict[str, np.ndarray], target: str, v: dict[str, np.ndarray], source: str) -> None:
    state[f"{target}.weight"] = v[f"{source}/gamma"]
    state[f"{target}.bias"] = v[f"{source}/beta"]


def _attention(state: dict[str, np.ndarray], target: str, v: dict[str, np.ndarray], source: str, fused_qkv: bool) -> None:
    """Split CTranslate2's fused projections into openai-whisper's query/key/value/out."""
    if fused_qkv:  # self-attention: linear_0 = [query; key; value], linear_1 = out
        q_w, k_w, val_w = np.split(v[f"{source}/linear_0/weight"], 3, axis=0)
        q_b, _k_b, val_b = np.split(v[f"{source}/linear_0/bias"], 3, axis=0)
        out = f"{source}/linear_1"
    else:  # cross-attention: linear_0 = query, linear_1 = [key; value], linear_2 = out
        q_w, q_b = v[f"{source}/linear_0/weight"], v[f"{source}/linear_0/bias"]
        k_w, val_w = np.split(v[f"{source}/linear_1/weight"], 2, axis=0)
        _k_b, val_b = np.split(v[f"{source}/linear_1/bias"], 2, axis=0)
        out = f"{source}/linear_2"
    _linear(state, f"{target}.query", q_w, q_b)
    _linear(state, f"{target}.key", k_w, None)  # openai-whisper's key has no bias (zeros in CT2)
    _linear(state, f"{target}.value", val_w, val_b)
    _linear(state, f"{target}.out", v[f"{out}/weight"], v[f"{out}/bias"])
    _layer_norm(state, f"{target}_ln", v, f"{source}/layer_norm")


def _mlp(state: dict[str, np.ndarray], target: str, v: dict[str, np.ndarray], source: str) -> None:
    _linear(state, f"{target}.mlp.0", v[f"{source}/linear_0/weight"], v[f"{source}/linear_0/bias"])
    _linear(state, f"{target}.mlp.2", v[f"{source}/linear_1/weight"], v[f"{source}/linear_1/bias"])
    _layer_norm(state, f"{target}.mlp_ln", v, f"{source}/layer_norm")


def openai_state_dict(ct2: Ct2Model) -> dict[str, np.ndarray]:
    """Map CTranslate2 Whisper variables to ``whisper.model.Whisper`` state-dict names."""
    if ct2.spec_name != "WhisperSpec":
        raise ValueError(f"not a Whisper model: {ct2.spec_name}")
    v = ct2.variables
    dims = whisper_dimensions(ct2)
    state: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        _linear(state, f"encoder.{conv}", v[f"encoder/{conv}/weight"], v[f"encoder/{conv}/bias"])
    state["encoder.positional_embedding"] = v["encoder/position_encodings/encodings"]
    for i in range(dims["n_audio_layer"]):
        source, target = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _attention(state, f"{target}.attn", v, f"{source}/self_attention", fused_qkv=True)
        _mlp(state, target, v, f"{source}/ffn")
    _layer_norm(state, "encoder.ln_post", v, "encoder/layer_norm")

    state["decoder.token_embedding.weight"] = v["decoder/embeddings/weight"]
    state["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
    for i in range(dims["n_text_layer"]):
        source, target = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _attention(state, f"{target}.attn", v, f"{source}/self_attention", fused_qkv=True)
        _attention(state, f"{target}.cross_attn", v, f"{source}/attention", fused_qkv=False)
        _mlp(state, target, v, f"{source}/ffn")
    _layer_norm(state, "decoder.ln", v, "decoder/layer_norm")
    return state


def alignment_heads(model_dir: str | Path) -> list[tuple[int, int]]:
    """The (layer, head) pairs used for word timestamps, from the model's ``config.json``."""
    config_path = Path(model_dir) / "config.json"
    if not config_path.is_file():
        return []
    heads = json.loads(config_path.read_text(encoding="utf-8")).get("alignment_heads") or []
    return [(int(layer), int(head)) for layer, head in heads]


def load_openai_whisper_from_ct2(model_dir: str | Path, model_bin: str | Path | None = None) -> Any:
    """Build an openai-whisper ``Whisper`` model (float32, CPU, eval mode) from a CTranslate2 folder.

    ``model_bin`` overrides ``model_dir/model.bin`` (e.g. a joined multi-part file).
    Every parameter and buffer of the PyTorch model must be filled (``strict=True``).
    """
    import torch
    from whisper.model import ModelDimensions, Whisper

    ct2 = read_ct2_model(model_bin or Path(model_dir) / "model.bin")
    dims = ModelDimensions(**whisper_dimensions(ct2))
    model = Whisper(dims)
    state = {name: torch.from_numpy(np.array(array, dtype=np.float32)) for name, array in openai_state_dict(ct2).items()}
    model.load_state_dict(state, strict=True)
    heads = alignment_heads(model_dir)
    if heads:  # a non-persistent buffer, used for word timestamps
        mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
        for layer, head in heads:
            mask[layer, head] = True
        model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
    return model.float().eval()

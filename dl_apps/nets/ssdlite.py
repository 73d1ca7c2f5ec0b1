"""SSDLite (TensorFlow Object Detection API) frozen graphs run by ``cv2.dnn``, decoded in numpy.

OpenCV cannot import the graph's anchor generator and post-processor (TF while-loops,
asserts), and OpenCV's own text-graph generator is not part of the pip wheel.  So:

1. the binary ``GraphDef`` is read with a tiny protobuf wire-format reader (no TensorFlow);
2. the anchor scales and aspect ratios are read from the graph's own constants;
3. the graph is pruned to the network proper (pre-processed image in, the box-predictor
   convolutions out), which ``cv2.dnn`` runs with its classic engine;
4. anchors, box decoding (Faster R-CNN coder) and sigmoid scores are done here in numpy.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

INPUT_NODE = "Preprocessor/sub"  # the normalised image; everything before it is TF-only pre-processing
LOWEST_LAYER_SCALE = 0.1  # reduce_boxes_in_lowest_layer: fixed in the TF OD API


# ------------------------------------------------------------ protobuf wire
def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value) of a serialised message; value is int or bytes."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
        elif wire == 1:
            value, position = data[position : position + 8], position + 8
        elif wire == 2:
            length, position = _varint(data, position)
            value, position = data[position : position + length], position + length
        elif wire == 5:
            value, position = data[position : position + 4], position + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _length_delimited(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


@dataclass
class Node:
    """The parts of a TensorFlow NodeDef this module needs, plus its raw bytes."""

    name: str
    op: str
    inputs: list[str]
    raw: bytes
    attrs: dict[str, bytes]


def parse_graph(data: bytes) -> tuple[list[Node], list[tuple[int, bytes]]]:
    """Nodes of a binary GraphDef, and its other top-level fields (versions, library) raw."""
    nodes, others = [], []
    for number, wire, value in _fields(data):
        if number == 1 and wire == 2:
            name = op = ""
            inputs: list[str] = []
            attrs: dict[str, bytes] = {}
            for field, _, item in _fields(value):
                if field == 1:
                    name = item.decode()
                elif field == 2:
                    op = item.decode()
                elif field == 3:
                    inputs.append(item.decode())
                elif field == 5:
                    entry = dict((f, v) for f, _, v in _fields(item))
                    attrs[entry.get(1, b"").decode()] = entry.get(2, b"")
            nodes.append(Node(name, op, inputs, value, attrs))
        elif wire == 2:
            others.append((number, value))
    return nodes, others


def const_floats(node: Node) -> np.ndarray:
    """The float32 values of a Const node (``tensor_content`` or ``float_val``)."""
    tensor = next((v for f, _, v in _fields(node.attrs["value"]) if f == 8), b"")
    values: list[float] = []
    for field, wire, value in _fields(tensor):
        if field == 4:  # tensor_content: raw little-endian float32
            return np.frombuffer(value, dtype="<f4").astype(np.float32)
        if field == 5:
            if wire == 2:  # packed
                values.extend(struct.unpack(f"<{len(value) // 4}f", value))
            else:
                values.append(struct.unpack("<f", value)[0])
    return np.asarray(values, dtype=np.float32)


def _placeholder(name: str) -> bytes:
    dtype_float = _encode_varint(6 << 3 | 0) + _encode_varint(1)  # AttrValue.type = DT_FLOAT
    attr = _length_delimited(1, b"dtype") + _length_delimited(2, dtype_float)
    return _length_delimited(1, name.encode()) + _length_delimited(2, b"Placeholder") + _length_delimited(5, attr)


def prune_graph(nodes: list[Node], others: list[tuple[int, bytes]], outputs: list[str], input_node: str) -> bytes:
    """A GraphDef with only the ancestors of ``outputs``, ``input_node`` becoming a Placeholder."""
    by_name = {node.name: node for node in nodes}
    needed: set[str] = set()
    stack = list(outputs)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        if name == input_node:
            continue
        for source in by_name[name].inputs:
            if not source.startswith("^"):  # control dependencies (asserts) are dropped
                stack.append(source.split(":")[0])
    parts = [_length_delimited(1, _placeholder(input_node))]
    for node in nodes:
        if node.name in needed and node.name != input_node:
            raw = node.raw
            if any(source.startswith("^") for source in node.inputs):
                raw = b"".join(
                    _length_delimited(f, v) if w == 2 else _encode_varint(f << 3 | w) + (_encode_varint(v) if w == 0 else v)
                    for f, w, v in _fields(raw)
                    if not (f == 3 and v.startswith(b"^"))
                )
            parts.append(_length_delimited(1, raw))
    parts.extend(_length_delimited(number, value) for number, value in others)
    return b"".join(parts)


# -------------------------------------------------------------- the model
@dataclass
class SsdGraph:
    """The pruned network bytes plus everything needed to decode its outputs."""

    pruned: bytes
    box_outputs: list[str]
    class_outputs: list[str]
    scales: list[np.ndarray]  # per feature map, per anchor
    aspect_ratios: list[np.ndarray]
    box_coder_scales: tuple[float, float, float, float]
    logit_scale: float
    num_classes: int  # including background


def read_ssd_graph(data: bytes) -> SsdGraph:
    """Analyse a TF OD API SSD frozen graph: outputs, anchor parameters, box-coder scales."""
    nodes, others = parse_graph(data)
    by_name = {node.name: node for node in nodes}
    layers = sorted(
        int(match.group(1))
        for node in nodes
        if (match := re.fullmatch(r"BoxPredictor_(\d+)/BoxEncodingPredictor/BiasAdd", node.name))
    )
    box_outputs = [f"BoxPredictor_{i}/BoxEncodingPredictor/BiasAdd" for i in layers]
    class_outputs = [f"BoxPredictor_{i}/ClassPredictor/BiasAdd" for i in layers]
    # Anchor heights are scales / sqrt(aspect ratios) ("truediv_k") and the Sqrt's input is
    # the aspect ratios ("Sqrt_k"): read both from the graph instead of assuming a config.
    prefix = "MultipleGridAnchorGenerator/"
    ratio_nodes = sorted(
        (n for n in nodes if re.fullmatch(prefix + r"Sqrt(_\d+)?/x", n.name)),
        key=lambda n: int(re.search(r"Sqrt_?(\d*)/", n.name).group(1) or 0),
    )
    scale_nodes = sorted(
        (n for n in nodes if re.fullmatch(prefix + r"truediv_\d+/x", n.name) and n.op == "Const" and const_floats(n).size > 1),
        key=lambda n: int(re.search(r"truediv_(\d+)/", n.name).group(1)),
    )
    aspect_ratios = [const_floats(n) for n in ratio_nodes]
    scales = [const_floats(n) for n in scale_nodes]
    if not (len(aspect_ratios) == len(scales) == len(layers)):
        raise ValueError("unexpected SSD graph: anchor parameters do not match the box predictors")
    coder = [float(const_floats(by_name[f"Postprocessor/Decode/truediv{suffix}/y"])[0]) for suffix in ("", "_1", "_2", "_3")]
    logit_scale = float(const_floats(by_name["Postprocessor/scale_logits/y"])[0])
    class_biases = const_floats(by_name[f"BoxPredictor_{layers[0]}/ClassPredictor/biases"])
    num_classes = class_biases.size // len(scales[0])
    pruned = prune_graph(nodes, others, box_outputs + class_outputs, INPUT_NODE)
    return SsdGraph(pruned, box_outputs, class_outputs, scales, aspect_ratios, tuple(coder), logit_scale, num_classes)


def grid_anchors(feature_sizes: list[tuple[int, int]], scales: list[np.ndarray], ratios: list[np.ndarray]) -> np.ndarray:
    """Anchors (N, 4) as y-centre, x-centre, height, width in [0, 1], in the network's output order."""
    anchors = []
    for (height, width), layer_scales, layer_ratios in zip(feature_sizes, scales, ratios):
        roots = np.sqrt(layer_ratios)
        heights, widths = layer_scales / roots, layer_scales * roots
        ys = (np.arange(height) + 0.5) / height
        xs = (np.arange(width) + 0.5) / width
        grid_y, grid_x = np.meshgrid(ys, xs, indexing="ij")
        count = len(layer_scales)
        layer = np.stack(
            [
                np.repeat(grid_y[..., None], count, axis=2),
                np.repeat(grid_x[..., None], count, axis=2),
                np.broadcast_to(heights, (height, width, count)),
                np.broadcast_to(widths, (height, width, count)),
            ],
            axis=-1,
        )
        anchors.append(layer.reshape(-1, 4))
    return np.concatenate(anchors)


def decode_boxes(encodings: np.ndarray, anchors: np.ndarray, coder: tuple[float, float, float, float]) -> np.ndarray:
    """Faster R-CNN box coder: (ty, tx, th, tw) relative to anchors → x1, y1, x2, y2 in [0, 1]."""
    y_centre = encodings[:, 0] / coder[0] * anchors[:, 2] + anchors[:, 0]
    x_centre = encodings[:, 1] / coder[1] * anchors[:, 3] + anchors[:, 1]
    height = np.exp(np.minimum(encodings[:, 2] / coder[2], 10)) * anchors[:, 2]
    width = np.exp(np.minimum(encodings[:, 3] / coder[3], 10)) * anchors[:, 3]
    return np.stack([x_centre - width / 2, y_centre - height / 2, x_centre + width / 2, y_centre + height / 2], axis=1)


class SsdNetwork:
    """An SSD graph in ``cv2.dnn``: ``boxes_and_scores(rgb)`` → normalised boxes and class scores."""

    def __init__(self, graph: SsdGraph, input_size: int = 300) -> None:
        import cv2

        self.graph = graph
        self.input_size = input_size
        buffer = np.frombuffer(graph.pruned, dtype=np.uint8)
        self.net = cv2.dnn.readNetFromTensorflow(buffer, engine=cv2.dnn.ENGINE_CLASSIC)
        self.net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        self._anchors: np.ndarray | None = None
        layers = set(self.net.getLayerNames())
        # cv2 fuses each BiasAdd into its convolution: ask for the layer that survived.
        self.output_names = [
            name if name in layers else name.rsplit("/", 1)[0] + "/Conv2D" for name in graph.box_outputs + graph.class_outputs
        ]

    def boxes_and_scores(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Boxes (N, 4) x1, y1, x2, y2 in [0, 1] of the image and scores (N, classes) without background."""
        import cv2

        size = self.input_size
        # The TF OD API stretches the image to 300×300 and maps pixels to [-1, 1].
        resized = cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR).astype(np.float32)
        blob = (resized * (2.0 / 255.0) - 1.0).transpose(2, 0, 1)[None]
        self.net.setInput(np.ascontiguousarray(blob))
        outputs = self.net.forward(self.output_names)
        count = len(self.graph.box_outputs)
        boxes_raw, logits_raw = outputs[:count], outputs[count:]
        if self._anchors is None:
            sizes = [(int(o.shape[2]), int(o.shape[3])) for o in boxes_raw]
            self._anchors = grid_anchors(sizes, self.graph.scales, self.graph.aspect_ratios)
        encodings = np.concatenate([o.transpose(0, 2, 3, 1).reshape(-1, 4) for o in boxes_raw])
        logits = np.concatenate([o.transpose(0, 2, 3, 1).reshape(-1, self.graph.num_classes) for o in logits_raw])
        scores = 1.0 / (1.0 + np.exp(-logits / self.graph.logit_scale))
        return decode_boxes(encodings, self._anchors, self.graph.box_coder_scales), scores[:, 1:]

"""TensorBoard protocol buffers: summaries and graphs, built as TF1 builds them (notebook 07).

TensorBoard reads *protocol buffers*: a ``Summary`` holds tagged values (a scalar, a histogram,
a PNG image, a tensor), a ``GraphDef`` holds the nodes of a graph.  We do not compile our own
``.proto`` files: TensorBoard ships the very messages TF1 used, in ``tensorboard.compat.proto``,
so we use those.  They are imported on first use only, so ``import minitf`` stays fast and
works without TensorBoard installed; only writing summaries or graphs needs it.

Every ``*_summary`` function returns the serialized ``Summary`` (``bytes``): that is the value
of a summary tensor in TF1 (``sess.run(merged)`` gives ``bytes``), and what
``FileWriter.add_summary`` takes.
"""
from __future__ import annotations

import importlib
import struct
import sys
import zlib
from types import ModuleType
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from . import dtypes

GRAPH_DEF_PRODUCER = 27  # the GraphDef version TF1 stamps on its graphs

_DBL_MAX = sys.float_info.max


def proto_module(name: str) -> ModuleType:
    """Return ``tensorboard.compat.proto.<name>`` (e.g. ``"summary_pb2"``), imported on first use.
    """
    try:
        return importlib.import_module(f"tensorboard.compat.proto.{name}")
    except ImportError as error:
        raise ImportError(
            "writing summaries and graphs needs TensorBoard's protocol buffers: "
            f"pip install tensorboard  ({error})"
        ) from error


def dtype_enum(dtype: Any) -> int:
    """TensorFlow's DataType number for a numpy dtype (``np.float32`` -> ``DT_FLOAT`` = 1).

    Byte strings, unicode strings and object arrays (of strings) are all ``DT_STRING``.
    """
    try:
        return dtypes.as_dtype(np.dtype(dtype)).as_datatype_enum
    except TypeError:
        raise TypeError(f"no TensorFlow dtype for numpy dtype {np.dtype(dtype)}") from None


def as_bytes(text: bytes | str) -> bytes:
    """TF strings are bytes: encode ``str`` as UTF-8, pass bytes through."""
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


# ---------------------------------------------------------------------------------------------
# Tensors and shapes
# ---------------------------------------------------------------------------------------------

def shape_proto(dims: Sequence[int | None] | None) -> Any:
    """A ``TensorShapeProto``: ``None`` is an unknown rank, a ``None`` dim is unknown (-1)."""
    shape_pb2 = proto_module("tensor_shape_pb2")
    if dims is None:
        return shape_pb2.TensorShapeProto(unknown_rank=True)
    return shape_pb2.TensorShapeProto(
        dim=[shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else int(d)) for d in dims])


def tensor_proto(value: Any) -> Any:
    """A ``TensorProto`` holding ``value``, laid out as TF1's ``make_tensor_proto`` lays it out.

    Strings go into ``string_val``; other tensors with more than one element go into
    ``tensor_content`` as raw little-endian bytes; a scalar (or one element) goes into the typed
    field (``float_val``, ``int_val``...; float16 as its 16 bits in ``half_val``).
    """
    array = np.asarray(value)
    dtype = dtypes.as_dtype(dtype_enum(array.dtype))
    proto = proto_module("tensor_pb2").TensorProto(dtype=dtype.as_datatype_enum,
                                                   tensor_shape=shape_proto(array.shape))
    if dtype == dtypes.string:
        proto.string_val.extend(as_bytes(item) for item in array.ravel())
    elif array.size > 1:
        proto.tensor_content = array.astype(array.dtype.newbyteorder("<")).tobytes()
    else:
        getattr(proto, dtype.value_field).extend(_field_items(array.ravel()).tolist())
    return proto


def _field_items(flat: np.ndarray) -> np.ndarray:
    """The numbers a typed ``TensorProto`` field stores for these values (float16 as its 16 bits,
    complex numbers as real, imaginary pairs)."""
    if flat.dtype == np.float16:
        return flat.view(np.uint16)
    if flat.dtype.kind == "c":
        return flat.view(flat.real.dtype)  # real, imaginary, real, imaginary...
    return flat


def tensor_value(proto: Any) -> np.ndarray:
    """The array a ``TensorProto`` holds: the inverse of :func:`tensor_proto` (strings as an
    object array of ``bytes``).

    As in TF, a typed field shorter than the tensor means "repeat the last value".
    """
    shape = [d.size for d in proto.tensor_shape.dim]
    size = int(np.prod(shape))
    tf_dtype = dtypes.as_dtype(proto.dtype)
    if tf_dtype == dtypes.string:
        flat = np.empty(len(proto.string_val), dtype=object)
        flat[:] = list(proto.string_val)
        return flat.reshape(shape)
    dtype = np.dtype(tf_dtype.as_numpy_dtype)
    if proto.tensor_content:
        return np.frombuffer(proto.tensor_content, dtype.newbyteorder("<")).astype(dtype).reshape(shape)
    field_dtype = _field_items(np.zeros(0, dtype)).dtype
    flat = np.array(getattr(proto, tf_dtype.value_field), dtype=field_dtype).view(dtype)
    if flat.size < size:
        flat = np.concatenate([flat, np.full(size - flat.size, flat[-1] if flat.size else 0, dtype)])
    return flat.reshape(shape)


# ---------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------

def _serialize(values: list[Any]) -> bytes:
    """Serialize a ``Summary`` made of these ``Summary.Value`` messages."""
    return proto_module("summary_pb2").Summary(value=values).SerializeToString()


def scalar_summary(tags: Any, values: Any) -> bytes:
    """What ``tf.summary.scalar`` yields: a value with ``simple_value`` (a 32-bit float) per tag.

    ``tags`` and ``values`` have the same shape: usually one tag and one number.
    """
    summary_pb2 = proto_module("summary_pb2")
    pairs = zip(np.ravel(np.asarray(tags, dtype=object)), np.ravel(values))
    return _serialize([summary_pb2.Summary.Value(tag=as_bytes(tag).decode("utf-8"),
                                                 simple_value=float(value))
                       for tag, value in pairs])


def _default_bucket_limits() -> np.ndarray:
    """TF's histogram bucket edges (tensorflow/core/lib/histogram/histogram.cc).

    Edges grow by 10% from 1e-12 up to 1e20, mirrored for negatives, with 0 in the middle and
    +-DBL_MAX at the ends: fine buckets near zero, coarse ones far away.  The edges are built by
    repeated multiplication, exactly as the C++ does, so they are bit-for-bit the same.
    """
    positive = []
    edge = 1.0e-12
    while edge < 1.0e20:
        positive.append(edge)
        edge *= 1.1
    positive.append(_DBL_MAX)
    return np.array([-e for e in reversed(positive)] + [0.0] + positive)


_BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(values: Any) -> Any:
    """A ``HistogramProto`` of ``values`` as TF's ``Histogram::EncodeToProto`` writes it.

    Bucket ``i`` counts the values in ``[limit[i-1], limit[i])``.  Empty buckets are not all
    written: each run of consecutive empty buckets collapses into one zero-count bucket whose
    limit is the run's last edge (an empty input gives the single bucket ``(DBL_MAX, 0)``).
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    n_buckets = len(_BUCKET_LIMITS)
    bucket_of_each = np.searchsorted(_BUCKET_LIMITS, x, side="right").clip(max=n_buckets - 1)
    counts = np.bincount(bucket_of_each, minlength=n_buckets)
    nonempty = counts > 0
    keep = nonempty | np.append(nonempty[1:], True)  # a run of empty buckets ends at its last one
    return proto_module("summary_pb2").HistogramProto(
        min=float(x.min()) if x.size else _DBL_MAX,
        max=float(x.max()) if x.size else -_DBL_MAX,
        num=float(x.size),
        sum=float(x.sum()),
        sum_squares=float(np.dot(x, x)),
        bucket_limit=_BUCKET_LIMITS[keep].tolist(),
        bucket=counts[keep].astype(np.float64).tolist(),
    )


def histogram_summary(tag: str, values: Any) -> bytes:
    """What ``tf.summary.histogram`` yields; like TF, NaN or infinite values are an error."""
    x = np.asarray(values, dtype=np.float64)
    if np.isnan(x).any():
        raise ValueError(f"Nan in summary histogram for: {tag}")
    if np.isinf(x).any():
        raise ValueError(f"Infinity in summary histogram for: {tag}")
    summary_pb2 = proto_module("summary_pb2")
    return _serialize([summary_pb2.Summary.Value(tag=tag, histo=histogram_proto(x))])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, and the CRC-32 of type + data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(image: np.ndarray) -> bytes:
    """Encode a ``[height, width, channels]`` uint8 image (1: grey, 3: RGB, 4: RGBA) as PNG.

    A PNG is a signature, a header chunk (size, 8 bits per channel, colour type), the pixel rows
    compressed with zlib (each row prefixed with filter type 0, "none") and an end chunk.
    """
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = np.ascontiguousarray(image, dtype=np.uint8).reshape(height, width * channels)
    raw = np.hstack([np.zeros((height, 1), np.uint8), rows]).tobytes()
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(raw)) + _png_chunk(b"IEND", b""))


def image_summary(tag: str, images: Any, max_outputs: int = 3) -> bytes:
    """What ``tf.summary.image`` yields for a uint8 ``[batch, height, width, channels]`` tensor.

    The first ``max_outputs`` images become PNGs.  As in TF, the tags depend on ``max_outputs``,
    not on the batch: ``tag/image`` when ``max_outputs == 1``, else ``tag/image/0``,
    ``tag/image/1``...
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"image_summary takes uint8 images, not {images.dtype}")
    if images.ndim != 4 or images.shape[3] not in (1, 3, 4):
        raise ValueError(f"Tensor must be 4-D with last dim 1, 3, or 4, not {list(images.shape)}")
    summary_pb2 = proto_module("summary_pb2")
    values = []
    for i, image in enumerate(images[:max_outputs]):
        height, width, channels = image.shape
        png = summary_pb2.Summary.Image(height=height, width=width, colorspace=channels,
                                        encoded_image_string=encode_png(image))
        values.append(summary_pb2.Summary.Value(
            tag=f"{tag}/image/{i}" if max_outputs > 1 else f"{tag}/image", image=png))
    return _serialize(values)


def plugin_metadata(plugin_name: str) -> bytes:
    """A serialized ``SummaryMetadata`` naming the TensorBoard plugin that shows a tensor."""
    summary_pb2 = proto_module("summary_pb2")
    plugin = summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin_name)
    return summary_pb2.SummaryMetadata(plugin_data=plugin).SerializeToString()


def tensor_summary(tag: str, value: Any, metadata: bytes = b"") -> bytes:
    """What ``tf.summary.tensor_summary`` yields: a whole tensor, with serialized metadata."""
    summary_pb2 = proto_module("summary_pb2")
    value = summary_pb2.Summary.Value(
        tag=tag, metadata=summary_pb2.SummaryMetadata.FromString(bytes(metadata)),
        tensor=tensor_proto(value))
    return _serialize([value])


def text_summary(tag: str, text: Any) -> bytes:
    """What ``tf.summary.text`` yields: a string tensor summary for TensorBoard's ``text`` plugin.

    ``text`` is a string or a (nested) list of strings; each may contain Markdown.
    """
    return tensor_summary(tag, np.asarray(text, dtype=object), plugin_metadata("text"))


def merge_summaries(summaries: Iterable[bytes]) -> bytes:
    """What ``tf.summary.merge`` yields: all values of the given serialized summaries, in order.

    Raises ``ValueError`` if an input does not parse or two values share a (non-empty) tag,
    with TF's messages; TF raises ``InvalidArgumentError`` there.
    """
    summary_pb2 = proto_module("summary_pb2")
    from google.protobuf.message import DecodeError  # protobuf is there: summary_pb2 needs it

    merged = summary_pb2.Summary()
    tags: set[str] = set()
    for serialized in summaries:
        try:
            summary = summary_pb2.Summary.FromString(bytes(serialized))
        except DecodeError:
            raise ValueError("Could not parse one of the summary inputs") from None
        for value in summary.value:
            if value.tag and value.tag in tags:
                raise ValueError(f"Duplicate tag {value.tag} found in summary inputs")
            tags.add(value.tag)
        merged.value.extend(summary.value)
    return merged.SerializeToString()


# ---------------------------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------------------------

_ATTR_KINDS = ("s", "i", "f", "b", "type", "shape", "tensor")


def _attr_field(kind: str, value: Any) -> Any:
    """Convert a Python value to what the ``AttrValue`` field ``kind`` holds."""
    if kind == "s":
        return as_bytes(value)
    if kind == "shape":
        return shape_proto(value)
    if kind == "tensor":
        return tensor_proto(value)
    return {"i": int, "f": float, "b": bool, "type": int}[kind](value)


def attr_value(kind: str, value: Any) -> Any:
    """An ``AttrValue`` from a tagged value: ``attr_value("type", DT_FLOAT)``, ``attr_value("shape",
    [None, 3])``, ``attr_value("list_i", [1, 2])``...

    ``kind`` is one of ``s i f b type shape tensor`` or ``list_`` + one of them.
    """
    attr_pb2 = proto_module("attr_value_pb2")
    item_kind = kind[len("list_"):] if kind.startswith("list_") else kind
    if item_kind not in _ATTR_KINDS:
        raise ValueError(f"unknown attr kind {kind!r}; "
                         f"expected one of {_ATTR_KINDS} or list_<kind>")
    if item_kind != kind:
        items = [_attr_field(item_kind, v) for v in value]
        return attr_pb2.AttrValue(list=attr_pb2.AttrValue.ListValue(**{item_kind: items}))
    return attr_pb2.AttrValue(**{kind: _attr_field(kind, value)})


def graph_def_proto(nodes: Iterable[Mapping[str, Any]]) -> Any:
    """A ``GraphDef`` made of plain-dict nodes (serialized, what ``FileWriter.add_graph`` writes).

    Each node is ``{"name": "add", "op": "AddV2", "inputs": ["a", "b:1", "^init"],
    "attrs": {"T": ("type", DT_FLOAT)}}``: inputs are TF input strings (``"op"``, ``"op:1"``, or
    ``"^op"`` for a control input), attrs are tagged values as :func:`attr_value` takes them.
    """
    graph_pb2 = proto_module("graph_pb2")
    node_def_pb2 = proto_module("node_def_pb2")
    versions_pb2 = proto_module("versions_pb2")
    node_defs = [
        node_def_pb2.NodeDef(
            name=node["name"], op=node["op"], input=list(node.get("inputs", ())),
            attr={key: attr_value(*tagged) for key, tagged in node.get("attrs", {}).items()})
        for node in nodes
    ]
    versions = versions_pb2.VersionDef(producer=GRAPH_DEF_PRODUCER)
    return graph_pb2.GraphDef(node=node_defs, versions=versions)

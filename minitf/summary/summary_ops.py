"""Summary ops: graph nodes whose value is a serialized ``Summary`` for TensorBoard (notebook 07).

``tf.summary.scalar('cost', cost)`` adds an op that, when run, turns the value of ``cost`` into
the bytes of a ``Summary`` protocol buffer tagged ``cost``::

    with tf.name_scope('optimizer'):
        tf.summary.scalar('cost', cost)        # Tensor("optimizer/cost:0", shape=(), dtype=string)
    merged = tf.summary.merge_all()            # Tensor("Merge/MergeSummary:0", ...)
    summary = sess.run(merged, feed_dict)      # b'\\n\\x13\\n\\x0eoptimizer/cost\\x15...'
    writer.add_summary(summary, global_step=step)

Each summary op is named after its tag inside the current name scope (so the tag is unique),
and is added to the ``summaries`` collection that ``merge_all`` merges.  The bytes themselves
are built by :mod:`minitf.protos`.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np

from .. import dtypes, errors
from ..backend import to_numpy
from ..graph import GraphKeys, Tensor, add_to_collection, get_collection, name_scope
from ..ops.base import Op, apply_op, convert_to_tensor
from ..tensor_shape import TensorShape
from .. import protos

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w.]")
_RED = np.array([255, 0, 0, 255], dtype=np.uint8)  # TF's colour for NaN and infinite pixels
_REAL_NUMBER_TYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                      "uint16", "uint32", "uint64")


# ---------------------------------------------------------------------------------------------
# The ops
# ---------------------------------------------------------------------------------------------

def _invalid_argument(message: str) -> errors.InvalidArgumentError:
    """A run-time error as TF1 words it; the Session fills in which op failed."""
    return errors.InvalidArgumentError(None, None, message)


def _tag_text(tag: np.ndarray) -> str:
    return protos.as_bytes(tag.item() if isinstance(tag, np.ndarray) else tag).decode("utf-8")


def _shape_text(shape: tuple) -> str:
    return "[" + ",".join(str(n) for n in shape) + "]"


def _as_string_array(summary: bytes) -> np.ndarray:
    """A string scalar as minitf stores it: a 0-d object array holding ``bytes``."""
    array = np.empty((), dtype=object)
    array[()] = summary
    return array


class _SummaryOp(Op):
    """An op whose output is one serialized ``Summary`` (a string scalar) made from input 1,
    whose dtype must be one of ``value_types`` (TF's type constraint; None: any)."""

    gradient = None
    value_arg = "values"   # TF's name for input 1, used in the error message
    value_types: tuple[str, ...] | None = _REAL_NUMBER_TYPES

    def infer(self, tag, value, *rest):
        dtype = value.dtype.base_dtype.name
        if self.value_types is not None and dtype not in self.value_types:
            raise TypeError(f"Value passed to parameter '{self.value_arg}' has DataType {dtype} not in "
                            f"list of allowed values: {', '.join(self.value_types)}")
        return dtypes.string, TensorShape([])

    def node_attrs(self, inputs):
        """``T`` is the dtype of the summarised values (input 1), not of the tag."""
        attrs = super().node_attrs(inputs)
        attrs["T"] = inputs[1].dtype.base_dtype
        return attrs


class ScalarSummary(_SummaryOp):
    """``Summary`` with one ``simple_value`` per tag; ``tags`` and ``values`` have one shape."""

    type = "ScalarSummary"

    def forward(self, tags, values):
        values = to_numpy(values)
        if np.shape(tags) != np.shape(values):
            single = f" (tag '{_tag_text(tags)}')" if np.size(tags) == 1 else ""
            raise _invalid_argument("tags and values are not the same shape: "
                                    f"{_shape_text(np.shape(tags))} != "
                                    f"{_shape_text(np.shape(values))}{single}")
        return _as_string_array(protos.scalar_summary(tags, values))


class HistogramSummary(_SummaryOp):
    """``Summary`` with the histogram of all values; NaN or infinity is an error, as in TF."""

    type = "HistogramSummary"

    def forward(self, tag, values):
        try:
            return _as_string_array(protos.histogram_summary(_tag_text(tag), to_numpy(values)))
        except ValueError as error:
            raise _invalid_argument(str(error)) from None


class ImageSummary(_SummaryOp):
    """``Summary`` with up to ``max_images`` PNG images of a ``[batch, h, w, channels]`` tensor.

    Float images are rescaled one image at a time as TF does: all values >= 0 -> the largest
    becomes 255; otherwise 0 goes to 128 and the largest magnitude to 1 or 255.  A pixel with
    a NaN or infinite channel is painted ``bad_color`` (red).
    """

    type = "ImageSummary"
    value_arg = "tensor"
    value_types = ("uint8", "float32", "float16", "float64")

    def __init__(self, max_images: int = 3, bad_color: np.ndarray = _RED):
        self.max_images = max_images
        self.bad_color = bad_color

    def forward(self, tag, images):
        images = to_numpy(images)
        if images.ndim != 4 or images.shape[3] not in (1, 3, 4):
            raise _invalid_argument("Tensor must be 4-D with last dim 1, 3, or 4, not "
                                    f"{_shape_text(images.shape)}")
        if images.dtype != np.uint8:
            images = np.stack([self._to_uint8(image) for image in images[:self.max_images]])
        return _as_string_array(protos.image_summary(_tag_text(tag), images, self.max_images))

    def _to_uint8(self, image: np.ndarray) -> np.ndarray:
        finite = np.isfinite(image).all(axis=-1)
        values = image[finite].astype(np.float32)
        low, high = (values.min(), values.max()) if values.size else (0.0, 0.0)
        if low < 0:
            top = max(abs(low), abs(high))
            scale, offset = (0.0 if top < 1e-6 else 127.0 / top), 128.0
        else:
            scale, offset = (0.0 if high < 1e-6 else 255.0 / high), 0.0
        pixels = np.where(finite[..., None], image.astype(np.float32) * scale + offset, 0.0)
        pixels = pixels.astype(np.uint8)  # truncates, as C++ does
        pixels[~finite] = self.bad_color[:image.shape[-1]]
        return pixels


class TensorSummaryV2(_SummaryOp):
    """``Summary`` holding the whole tensor, with the plugin metadata given as bytes."""

    type = "TensorSummaryV2"
    value_arg = "tensor"
    value_types = None

    def forward(self, tag, tensor, serialized_summary_metadata):
        return _as_string_array(protos.tensor_summary(
            _tag_text(tag), to_numpy(tensor), protos.as_bytes(serialized_summary_metadata.item())))


class MergeSummary(Op):
    """One ``Summary`` with the values of all inputs, in order; duplicate tags are an error."""

    type = "MergeSummary"
    gradient = None

    def infer(self, *inputs):
        return dtypes.string, TensorShape([])

    def node_attrs(self, inputs):
        return {"N": len(inputs)}

    def forward(self, *summaries):
        flat = [item for summary in summaries for item in np.ravel(summary)]
        try:
            return _as_string_array(protos.merge_summaries(flat))
        except ValueError as error:
            raise _invalid_argument(str(error)) from None


# ---------------------------------------------------------------------------------------------
# tf.summary.*
# ---------------------------------------------------------------------------------------------

def clean_tag(name: str | None) -> str | None:
    """A summary name with characters that op names cannot hold replaced by ``_``
    (``'loss (train)'`` -> ``'loss__train_'``), and no leading ``/``."""
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


def _add_summary_op(kind: Op, name: str, values: list, family: str | None,
                    arg_names: tuple[str, ...], collections: Iterable[str] | None) -> Tensor:
    """Open the summary's name scope, make the op there with its tag, and collect it.

    The op is named after the scope, and the tag is the scope's full name (``optimizer/cost``),
    so two summaries called ``cost`` get two tags (``cost``, ``cost_1``).  With ``family`` the
    scope is ``<family>/<name>`` and the tag starts with ``<family>/`` (a TensorBoard tab).
    """
    name, family = clean_tag(name), clean_tag(family)
    with name_scope(name if family is None else f"{family}/{name}", values=values) as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        summary = apply_op(kind, (tag, *values), scope, arg_names=arg_names, same_dtype=False)
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        add_to_collection(key, summary)
    return summary


def scalar(name: str, tensor: Any, collections: Iterable[str] | None = None,
           family: str | None = None) -> Tensor:
    """``tf.summary.scalar``: a string tensor with a ``Summary`` of one number, e.g. the loss.

    >>> tf.summary.scalar('cost', cost)
    <tf.Tensor 'cost:0' shape=() dtype=string>
    """
    return _add_summary_op(ScalarSummary(), name, [tensor], family, ("tags", "values"), collections)


def histogram(name: str, values: Any, collections: Iterable[str] | None = None,
              family: str | None = None) -> Tensor:
    """``tf.summary.histogram``: a ``Summary`` with the distribution of ``values`` (e.g. weights)."""
    return _add_summary_op(HistogramSummary(), name, [values], family, ("tag", "values"), collections)


def image(name: str, tensor: Any, max_outputs: int = 3, collections: Iterable[str] | None = None,
          family: str | None = None) -> Tensor:
    """``tf.summary.image``: up to ``max_outputs`` images of a ``[batch, height, width, channels]``
    tensor (uint8, or float rescaled to 0..255) as PNGs, tagged ``name/image/0``..."""
    return _add_summary_op(ImageSummary(max_images=max_outputs), name, [tensor], family,
                           ("tag", "tensor"), collections)


def tensor_summary(name: str, tensor: Any, summary_description: str | None = None,
                   collections: Iterable[str] | None = None, summary_metadata: Any = None,
                   family: str | None = None, display_name: str | None = None) -> Tensor:
    """``tf.summary.tensor_summary``: a ``Summary`` holding a whole tensor, for a TensorBoard plugin."""
    metadata = protos.proto_module("summary_pb2").SummaryMetadata()
    if summary_metadata is not None:
        metadata.CopyFrom(summary_metadata)
    if summary_description is not None:
        metadata.summary_description = summary_description
    if display_name is not None:
        metadata.display_name = display_name
    serialized = np.array(metadata.SerializeToString(), dtype=object)
    return _add_summary_op(TensorSummaryV2(), name, [tensor, serialized], family,
                           ("tag", "tensor", "serialized_summary_metadata"), collections)


def text(name: str, tensor: Any, collections: Iterable[str] | None = None) -> Tensor:
    """``tf.summary.text``: a string tensor (may be Markdown) for TensorBoard's Text tab."""
    tensor = convert_to_tensor(tensor)
    if tensor.dtype.base_dtype != dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got {tensor.dtype}")
    metadata = protos.proto_module("summary_pb2").SummaryMetadata.FromString(
        protos.plugin_metadata("text"))
    return tensor_summary(name, tensor, summary_metadata=metadata, collections=collections)


def merge(inputs: list, collections: Iterable[str] | None = None, name: str | None = None) -> Tensor:
    """``tf.summary.merge``: one ``Summary`` with the values of all ``inputs`` (``Merge/MergeSummary``)."""
    name = clean_tag(name)
    with name_scope(name, "Merge", inputs):
        merged = apply_op(MergeSummary(), list(inputs), name, arg_names=("inputs",) * len(inputs))
    for key in collections or []:
        add_to_collection(key, merged)
    return merged


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """``tf.summary.merge_all``: merge every summary of the graph, or None if there is none."""
    summaries = get_collection(key, scope)
    return merge(summaries, name=name) if summaries else None

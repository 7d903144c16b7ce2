"""tf.summary: summaries and event files for TensorBoard (notebook 07).

Summary ops (:mod:`~minitf.summary.summary_ops`) turn tensors into serialized ``Summary``
protocol buffers; a ``FileWriter`` (:mod:`~minitf.summary.writer`) appends them, with the
graph, to an events file that ``tensorboard --logdir`` reads.  The protocol buffer classes
(``tf.summary.Summary``, ``Event``, ``SessionLog``...) are TensorBoard's own, loaded on first use.
"""
from typing import Any

from .. import tf1_api
from ..protos import proto_module
from .summary_ops import (  # noqa: F401
    histogram, image, merge, merge_all, scalar, tensor_summary, text,
)
from .writer import FileWriter  # noqa: F401

_PROTO_CLASSES = {"Summary": "summary_pb2", "SummaryMetadata": "summary_pb2",
                  "Event": "event_pb2", "SessionLog": "event_pb2"}


def __getattr__(name: str) -> Any:
    """``tf.summary.Summary`` and friends: TensorBoard's protobuf classes, imported when used;
    TF 1.15's other names as every module finds them (see :mod:`minitf.tf1_api`)."""
    if name in _PROTO_CLASSES:
        return getattr(proto_module(_PROTO_CLASSES[name]), name)
    return tf1_api.missing("tf.summary", name)

"""The checkpoint ops of a TF1 graph: ``SaveV2`` and ``RestoreV2`` (notebook 07).

TF1's ``Saver`` adds ops to the graph that write and read checkpoints (``save/SaveV2``,
``save/RestoreV2``), and a ``.meta`` file that TensorFlow wrote contains them.  These classes let
such a graph run in minitf: ``sess.run('save/restore_all', {'save/Const:0': prefix})`` restores
the variables as it would in TF1.  minitf's own ``Saver`` does the same work in Python (see
:mod:`minitf.train.saver`), with the same files (:mod:`minitf.train.checkpoint_format`).
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..ops.base import NotDifferentiable, Op
from ..tensor_shape import TensorShape
from .checkpoint_format import open_checkpoint, write_checkpoint


def _text(value: np.ndarray) -> str:
    item = np.asarray(value).reshape(-1)[0] if np.size(value) else b""
    return item.decode("utf-8") if isinstance(item, bytes) else str(item)


def _names(names: np.ndarray, slices: np.ndarray) -> list[str]:
    if any(_text(s) for s in np.reshape(slices, (-1, 1))):
        raise UnimplementedError(None, None, "minitf saves and restores whole tensors only: "
                                             "shape_and_slices must be empty strings")
    return [_text(name) for name in np.reshape(names, (-1, 1))]


class SaveV2(Op):
    """Write ``tensors`` under ``tensor_names`` as the checkpoint ``prefix``."""

    type = "SaveV2"
    num_outputs = 0

    def __init__(self, dtypes=()):  # noqa: A002 (TF's attr name)
        self.dtypes = list(dtypes)

    def infer(self, prefix, tensor_names, shape_and_slices, *tensors):
        return []

    def node_attrs(self, inputs):
        return {"dtypes": [t.dtype.base_dtype for t in inputs[3:]]}

    def forward(self, prefix, tensor_names, shape_and_slices, *tensors):
        write_checkpoint(_text(prefix), dict(zip(_names(tensor_names, shape_and_slices), tensors)))
        return ()


class RestoreV2(Op):
    """Read the tensors ``tensor_names`` of the checkpoint ``prefix``, of the dtypes ``dtypes``."""

    type = "RestoreV2"

    def __init__(self, dtypes=()):  # noqa: A002 (TF's attr name)
        self.dtypes = list(dtypes)
        self.num_outputs = len(self.dtypes)

    def node_attrs(self, inputs):
        return {"dtypes": self.dtypes}

    def infer(self, prefix, tensor_names, shape_and_slices):
        outputs = [(dtype, TensorShape(None)) for dtype in self.dtypes]
        return outputs[0] if self.num_outputs == 1 else outputs

    def forward(self, prefix, tensor_names, shape_and_slices):
        reader = open_checkpoint(_text(prefix))
        values = []
        for name, dtype in zip(_names(tensor_names, shape_and_slices), self.dtypes):
            if reader.dtype(name) != dtype:
                raise InvalidArgumentError(None, None, f"tensor_name = {name}; expected dtype "
                                                       f"{dtype.name} does not equal original "
                                                       f"dtype {reader.dtype(name).name}")
            values.append(reader.read(name))
        return values[0] if self.num_outputs == 1 else tuple(values)


NotDifferentiable("SaveV2")
NotDifferentiable("RestoreV2")

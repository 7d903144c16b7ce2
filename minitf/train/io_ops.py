"""The checkpoint ops of a TF1 graph: ``SaveV2`` and ``RestoreV2`` (notebook 07).

TF1's ``Saver`` adds ops to the graph that write and read checkpoints (``save/SaveV2``,
``save/RestoreV2``; a sharded one also ``StringJoin``, ``ShardedFilename`` and
``MergeV2Checkpoints``), and a ``.meta`` file that TensorFlow wrote contains them.  These classes let
such a graph run in minitf: ``sess.run('save/restore_all', {'save/Const:0': prefix})`` restores
the variables as it would in TF1.  minitf's own ``Saver`` does the same work in Python (see
:mod:`minitf.train.saver`), with the same files (:mod:`minitf.train.checkpoint_format`).
"""
from __future__ import annotations

import os

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..ops.base import Op
from ..tensor_shape import TensorShape
from .checkpoint_format import open_checkpoint, read_checkpoint, remove_checkpoint, write_checkpoint


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
    gradient = None
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
    gradient = None

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


class StringJoin(Op):
    """Join string tensors element by element (scalars broadcast), with ``separator``."""

    type = "StringJoin"
    gradient = None

    def __init__(self, separator=""):
        self.separator = separator

    def node_attrs(self, inputs):
        return {"separator": self.separator}

    def infer(self, *inputs):
        shapes = [t.shape for t in inputs if t.shape.ndims != 0]
        return dtypes.string, shapes[0] if shapes else TensorShape([])

    def forward(self, *inputs):
        parts = np.broadcast_arrays(*[np.asarray(x, dtype=object) for x in inputs])
        joined = np.empty(parts[0].shape, dtype=object)
        separator = self.separator.encode("utf-8")
        for index in np.ndindex(joined.shape):
            joined[index] = separator.join(bytes(part[index]) for part in parts)
        return joined


class ShardedFilename(Op):
    """``<basename>-<shard>-of-<num_shards>``, five digits each: the prefix of one shard."""

    type = "ShardedFilename"
    gradient = None

    def node_attrs(self, inputs):
        return {}

    def infer(self, basename, shard, num_shards):
        return dtypes.string, TensorShape([])

    def forward(self, basename, shard, num_shards):
        name = f"{_text(basename)}-{int(shard):05d}-of-{int(num_shards):05d}"
        return np.array(name.encode("utf-8"), dtype=object)


class MergeV2Checkpoints(Op):
    """Merge the checkpoints ``checkpoint_prefixes`` (the shards a sharded save wrote) into one
    checkpoint ``destination_prefix``, then delete them (and their directory, if left empty)."""

    type = "MergeV2Checkpoints"
    gradient = None
    num_outputs = 0

    def __init__(self, delete_old_dirs=True):
        self.delete_old_dirs = delete_old_dirs

    def node_attrs(self, inputs):
        return {"delete_old_dirs": self.delete_old_dirs}

    def infer(self, checkpoint_prefixes, destination_prefix):
        return []

    def forward(self, checkpoint_prefixes, destination_prefix):
        sources = [_text(prefix) for prefix in np.reshape(checkpoint_prefixes, (-1, 1))]
        merged = {}
        for source in sources:
            merged.update(read_checkpoint(source))
        write_checkpoint(_text(destination_prefix), merged)
        for source in sources:
            remove_checkpoint(source)
            if self.delete_old_dirs:
                try:
                    os.rmdir(os.path.dirname(source) or ".")
                except OSError:
                    pass   # not empty, or not ours to remove
        return ()

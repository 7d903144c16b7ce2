"""Looking into a checkpoint without a graph: ``tf.train.list_variables`` and friends (notebook 07).

::

    tf.train.list_variables('./model')            # [('layer1/W1', [2, 10]), ...]
    tf.train.load_variable('./model', 'layer1/W1')  # the saved array
    reader = tf.train.load_checkpoint('./model')  # or tf.train.NewCheckpointReader(prefix)
    reader.get_variable_to_shape_map()            # {'layer1/W1': [2, 10], ...}
    reader.get_tensor('layer1/W1')

A directory means its latest checkpoint (as named in its ``checkpoint`` file); anything else is
taken as a checkpoint prefix.  Only the index is read up front; each ``get_tensor`` reads that
one tensor.
"""
from __future__ import annotations

import os

import numpy as np

from .. import dtypes
from .checkpoint_format import CheckpointReader as _Reader
from .checkpoint_format import latest_checkpoint, open_checkpoint


class CheckpointReader:
    """TF1's ``CheckpointReader`` (what ``tf.train.NewCheckpointReader`` returns)."""

    def __init__(self, prefix: str | os.PathLike) -> None:
        self._reader: _Reader = open_checkpoint(os.fspath(prefix))

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """Every saved tensor's name and shape."""
        return {name: self._reader.shape(name) for name in self._reader.tensor_names()}

    def get_variable_to_dtype_map(self) -> dict[str, dtypes.DType]:
        """Every saved tensor's name and dtype."""
        return {name: self._reader.dtype(name) for name in self._reader.tensor_names()}

    def has_tensor(self, name: str) -> bool:
        return name in self._reader.tensor_names()

    def get_tensor(self, name: str) -> np.ndarray:
        """The saved value of ``name`` (``NotFoundError`` if there is none)."""
        return self._reader.read(name)

    def debug_string(self) -> bytes:
        """One line per tensor, ``name (DT_FLOAT) [2,10]``, as TF1 prints it."""
        lines = [f"{name} ({dtype.datatype_name}) "
                 f"[{','.join(str(d) for d in self._reader.shape(name))}]\n"
                 for name, dtype in self.get_variable_to_dtype_map().items()]
        return "".join(lines).encode("utf-8")


def NewCheckpointReader(filepattern: str | os.PathLike) -> CheckpointReader:  # noqa: N802 (TF's name)
    """``tf.train.NewCheckpointReader(prefix)``: a reader of the checkpoint ``prefix``."""
    return CheckpointReader(filepattern)


def _checkpoint_prefix(ckpt_dir_or_file: str | os.PathLike) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if not os.path.isdir(path):
        return path
    prefix = latest_checkpoint(path)
    if prefix is None:
        raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
    return prefix


def load_checkpoint(ckpt_dir_or_file: str | os.PathLike) -> CheckpointReader:
    """``tf.train.load_checkpoint``: a reader of a checkpoint prefix, or of a directory's latest."""
    return CheckpointReader(_checkpoint_prefix(ckpt_dir_or_file))


def load_variable(ckpt_dir_or_file: str | os.PathLike, name: str) -> np.ndarray:
    """``tf.train.load_variable``: one saved tensor (``'v:0'`` means ``'v'``)."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def list_variables(ckpt_dir_or_file: str | os.PathLike) -> list[tuple[str, list[int]]]:
    """``tf.train.list_variables``: ``(name, shape)`` of every saved tensor, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return sorted(shapes.items())

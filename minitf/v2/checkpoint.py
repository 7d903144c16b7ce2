"""``tf.train.Checkpoint``: save and restore objects -- variables, models, optimizers -- by their place.

TF1's ``Saver`` stores each variable under its name in the graph (``dense/kernel``); restoring
needs a graph with the same names.  TF2 stores the *objects* you name and what they hold, each
value under its path from the checkpoint (TensorFlow's own key spelling)::

    ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=tf.Variable(0))
    path = ckpt.save("checkpoints/ckpt")          # checkpoints/ckpt-1, -2, ...
    ckpt.restore(tf.train.latest_checkpoint("checkpoints"))

    model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE
    model/layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE
    optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE
    epoch/.ATTRIBUTES/VARIABLE_VALUE

The files are those ``tf.train.Saver`` writes (``minitf/train/checkpoint_format.py``), with the
``checkpoint`` file naming the latest.
"""
from __future__ import annotations

import os

from .. import dtypes
from ..train import checkpoint_format
from ..train.checkpoint_format import latest_checkpoint  # noqa: F401  (tf.train.latest_checkpoint)
from .keras.layers import Layer
from .keras.optimizers import Optimizer
from .variables import Variable

VALUE = ".ATTRIBUTES/VARIABLE_VALUE"


class Checkpoint:
    """``tf.train.Checkpoint(**objects)``: ``save`` / ``write`` their values, ``restore`` / ``read`` them."""

    def __init__(self, **objects):
        for name, obj in objects.items():
            if not isinstance(obj, (Variable, Layer, Optimizer)):
                raise ValueError(f"`Checkpoint` was expecting a trackable object (a tf.Variable, a Keras layer or "
                                 f"model, an optimizer) for {name!r}, got {obj!r}.")
        self._objects = objects
        self.save_counter = Variable(0, dtype=dtypes.int64, name="save_counter", trainable=False)
        self._saved: list = []

    def _keys(self, create_slots_for=()) -> dict:
        """Checkpoint key -> variable, for every value the objects hold."""
        keys, paths = {}, {}
        for name, obj in self._objects.items():
            if isinstance(obj, Variable):
                keys[f"{name}/{VALUE}"] = obj
            elif isinstance(obj, Layer):
                for key, variable in _layer_keys(obj).items():
                    keys[f"{name}/{key}"] = variable
        for key, variable in keys.items():
            paths[id(variable)] = key[:-len(VALUE)]
        for name, obj in self._objects.items():
            if isinstance(obj, Optimizer):
                keys[f"{name}/iter/{VALUE}"] = obj.iterations
                keys[f"{name}/learning_rate/{VALUE}"] = obj.learning_rate
                for variable, slot_name, slot in obj.slot_variables():
                    if id(variable) in paths:
                        keys[f"{paths[id(variable)]}.OPTIMIZER_SLOT/{name}/{slot_name}/{VALUE}"] = slot
        return keys

    def write(self, file_prefix) -> str:
        """Save the values at ``file_prefix`` (no number added, no ``checkpoint`` file)."""
        file_prefix = os.fspath(file_prefix)
        checkpoint_format.write_checkpoint(file_prefix, {k: v.numpy() for k, v in self._keys().items()})
        return file_prefix

    def save(self, file_prefix) -> str:
        """Save as ``<file_prefix>-<n>`` (n = 1, 2, ...) and record it as the latest; returns that path."""
        self.save_counter.assign_add(1)
        path = self.write(f"{os.fspath(file_prefix)}-{int(self.save_counter.numpy())}")
        self._saved.append(path)
        checkpoint_format.update_checkpoint_state(os.path.dirname(path), path, self._saved)
        return path

    def read(self, save_path) -> "CheckpointLoadStatus":
        return self.restore(save_path)

    def restore(self, save_path) -> "CheckpointLoadStatus":
        """Give the objects the values saved at ``save_path`` (e.g. ``tf.train.latest_checkpoint(dir)``).

        Optimizer slots saved for a variable are made if the optimizer has not made them yet.
        """
        if save_path is None:
            return CheckpointLoadStatus(set(), set())
        saved = checkpoint_format.read_checkpoint(os.fspath(save_path))
        for name, obj in self._objects.items():
            if isinstance(obj, Optimizer):
                for key, variable in self._keys().items():
                    if any(k.startswith(key[:-len(VALUE)] + ".OPTIMIZER_SLOT/" + name + "/") for k in saved):
                        obj.add_slots(variable)
        keys = self._keys()
        for key, variable in keys.items():
            if key in saved:
                if tuple(saved[key].shape) != tuple(variable.shape.as_list()):
                    raise ValueError(f"Shape mismatch for {key}: the checkpoint has {saved[key].shape}, the object "
                                     f"{tuple(variable.shape.as_list())}")
                variable.assign(saved[key])
        return CheckpointLoadStatus(set(keys) - set(saved), set(saved) - set(keys))


def _layer_keys(layer: Layer) -> dict:
    """A layer's values by TF2's paths: ``layer_with_weights-0/kernel`` in a model, ``kernel`` in a layer."""
    if hasattr(layer, "checkpoint_keys"):
        return layer.checkpoint_keys()
    return {f"{w.name.split(':')[0].split('/')[-1]}/{VALUE}": w for w in layer.weights}


class CheckpointLoadStatus:
    """What ``restore`` matched: ``assert_consumed()`` fails if anything was left unmatched."""

    def __init__(self, missing: set, unused: set):
        self.missing, self.unused = missing, unused

    def assert_consumed(self) -> "CheckpointLoadStatus":
        if self.missing or self.unused:
            raise AssertionError(f"Unmatched values: not in the checkpoint {sorted(self.missing)}; "
                                 f"in the checkpoint but not in the objects {sorted(self.unused)}")
        return self

    def expect_partial(self) -> "CheckpointLoadStatus":
        return self

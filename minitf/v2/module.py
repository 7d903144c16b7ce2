"""``tf.Module``: a Python object whose attributes hold variables (and other modules).

TF1 found a model's variables in the graph's collections (``tf.trainable_variables()``); TF2
finds them on the objects that own them.  Subclass ``tf.Module``, assign variables and
sub-modules to attributes, and ``trainable_variables`` walks them::

    class Dense(tf.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.w = tf.Variable(tf.random.normal([n_in, n_out]), name="w")
            self.b = tf.Variable(tf.zeros([n_out]), name="b")

        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b
"""
from __future__ import annotations

import re

from ..graph import name_scope
from .variables import Variable


class Module:
    """Base class of objects that own variables; ``variables`` and ``trainable_variables`` find them."""

    def __init__(self, name: str | None = None):
        self._name = name or re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", type(self).__name__).lower()

    name = property(lambda self: self._name)

    @property
    def name_scope(self):
        """``with module.name_scope:`` names the ops inside after the module (in a traced graph)."""
        return name_scope(self._name)

    @property
    def variables(self) -> tuple:
        """Every variable held by this module's attributes, their lists and dicts, and sub-modules."""
        return tuple(_walk(self, lambda value: isinstance(value, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(v for v in self.variables if v.trainable)

    @property
    def submodules(self) -> tuple:
        return tuple(_walk(self, lambda value: isinstance(value, Module)))


def _walk(root, wanted) -> list:
    """The values ``wanted`` picks among the attributes of ``root``, depth first by attribute name."""
    found, seen = [], {id(root)}

    def visit(value):
        if id(value) in seen:
            return
        seen.add(id(value))
        if wanted(value):
            found.append(value)
        if isinstance(value, Module):
            for key in sorted(vars(value)):
                visit(vars(value)[key])
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                visit(value[key])
        elif hasattr(value, "weights") and hasattr(value, "trainable_weights"):   # a Keras layer
            for weight in value.weights:
                visit(weight)

    for key in sorted(vars(root)):
        visit(vars(root)[key])
    return found

"""``tf.Variable`` in TensorFlow 2: state that lives in a Python object, not in a Session.

A TF1 variable is a node of the graph and its value lives in each Session.  A TF2 variable
holds its array itself, from the moment it is created (no initializer to run)::

    >>> v = tf.Variable([1., 2.], name="w")
    >>> v.assign_add([1., 1.]); v.numpy()
    array([2., 3.], dtype=float32)

Eagerly, reading it gives an EagerTensor of its value and ``assign``/``assign_add`` (and
optimizers) run TF1's own ``Assign``/``Apply*`` kernels on its array in place.  Inside a
``tf.function`` it is *captured*: the traced graph gets a ``VariableV2`` node named after it
(``dense/kernel``), read by ``Identity`` ops and updated in place by the same kernels --
the graph a TF1 program would have built.  Running that graph reads and writes this
object's array.

An update writes the array in place unless a tensor read earlier still uses it: then the
update goes to a fresh copy, so that tensor keeps the value it was read with
(copy-on-write; Python's reference count tells whether anything else holds the array).
"""
from __future__ import annotations

import sys

import numpy as np

from ..backend import to_numpy, xp
from ..graph import get_default_graph, name_scope
from ..ops import state_ops
from ..ops.array_ops import identity
from ..ops.base import convert_to_tensor
from ..tensor_shape import TensorShape
from .eager import EagerContext, EagerTensor, eager_mode


def _holders(array) -> int:
    return sys.getrefcount(array)


class _Probe:
    def __init__(self):
        self.array = np.zeros(1)


_probe = _Probe()
_UNSHARED = _holders(_probe.array)   # the count of an array held by one attribute only
del _probe


class Variable:
    """``tf.Variable(initial_value, trainable=True, name=None, dtype=None, shape=None)``.

    >>> tf.Variable(5, name="x")
    <tf.Variable 'x:0' shape=() dtype=int32, numpy=5>
    """

    def __init__(self, initial_value=None, trainable=None, validate_shape=True, caching_device=None, name=None,
                 variable_def=None, dtype=None, import_scope=None, constraint=None, synchronization=None,
                 aggregation=None, shape=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        with eager_mode():   # computed once, now: even inside a tf.function being traced
            if callable(initial_value):
                initial_value = initial_value()
            value = convert_to_tensor(initial_value, dtype=dtype)
        self._array = xp.array(value._array, copy=True)   # owns its memory (see the module docstring)
        self._dtype = value.dtype.base_dtype
        self._shape = value.shape if shape is None else TensorShape(shape)
        if validate_shape and not self._shape.is_compatible_with(value.shape):
            raise ValueError(f"Shape of the initial value {value.shape} is not compatible with shape {self._shape}")
        self._name = name or "Variable"
        self._trainable = True if trainable is None else bool(trainable)
        self._constraint = constraint

    # ---- what it looks like -------------------------------------------------------------------
    name = property(lambda self: self._name + ":0")
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)
    device = property(lambda self: "/job:localhost/replica:0/task:0/device:CPU:0")

    def get_shape(self) -> TensorShape:
        return self._shape

    def __repr__(self):
        value = self.numpy()
        text = repr(value.item()) if np.ndim(value) == 0 else repr(value)
        return f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}, numpy={text}>"

    # ---- reading --------------------------------------------------------------------------------
    def value(self):
        """The value: an EagerTensor eagerly, a read of the captured variable inside a tf.function."""
        graph = get_default_graph()
        if graph.executes_eagerly:
            tensor = EagerTensor(self._array, self._dtype)
            for tape in graph.tapes:
                tape.variable_read(self, tensor)
            return tensor
        ref = self._ref()
        with name_scope(ref.op.name + "/"):
            return identity(ref, name="read")

    read_value = value

    def numpy(self):
        """A copy of the value as a numpy array (a numpy scalar for a 0-d variable)."""
        value = to_numpy(self._array).copy()
        return value[()] if value.ndim == 0 else value

    def __array__(self, dtype=None, copy=None):
        value = to_numpy(self._array)
        return value.astype(dtype or value.dtype, copy=True)

    def _ref(self):
        """The reference an Assign or Apply op writes through (``float32_ref``)."""
        graph = get_default_graph()
        if graph.executes_eagerly:
            return _VariableRef(self)
        capture = getattr(graph, "capture_variable", None)
        if capture is None:
            raise TypeError(f"{self!r} is a TensorFlow 2 variable: use it eagerly or inside a tf.function, "
                            "not in a TF1 graph (make a tf.compat.v1.Variable there).")
        return capture(self)

    def _as_graph_element(self):
        return self._ref()

    # ---- writing --------------------------------------------------------------------------------
    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Store ``value`` (same shape and dtype); eagerly returns the variable, in a graph the Assign's output."""
        value = convert_to_tensor(value, dtype=self._dtype)
        if not self._shape.is_compatible_with(value.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch.The variable shape "
                             f"{self._shape}, and the assigned value shape {value.shape} are incompatible.")
        return self._written(state_ops.assign(self, value, use_locking=use_locking, name=name))

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """``self += delta``."""
        return self._written(state_ops.assign_add(self, delta, use_locking=use_locking, name=name))

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """``self -= delta``."""
        return self._written(state_ops.assign_sub(self, delta, use_locking=use_locking, name=name))

    def _written(self, result):
        return self if isinstance(result, EagerTensor) else result

    # ---- the array, for kernels -------------------------------------------------------------
    @property
    def array(self):
        """The variable's own buffer (kernels update it in place)."""
        return self._array

    def writable_array(self):
        """The buffer, first copied if a tensor read earlier still holds it (copy-on-write)."""
        if _holders(self._array) > _UNSHARED:
            self._array = self._array.copy()
        return self._array

    def assign_array(self, array) -> None:
        """Replace the buffer (an Assign of a new shape, a restored checkpoint)."""
        self._array = xp.array(array, copy=True)

    # ---- saving and pickling refuse: state goes through checkpoints ------------------------------
    def __reduce__(self):
        raise TypeError("A tf.Variable cannot be pickled: save it with a checkpoint (model.save_weights).")


def _variable_operator(name):
    def method(self, *args):
        return getattr(self.value(), name)(*args)

    method.__name__ = name
    return method


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or"):
    setattr(Variable, f"__{_op}__", _variable_operator(f"__{_op}__"))
    setattr(Variable, f"__r{_op}__", _variable_operator(f"__r{_op}__"))
for _op in ("neg", "abs", "invert", "lt", "le", "gt", "ge", "getitem", "float", "int", "bool", "format", "iter",
            "len"):
    setattr(Variable, f"__{_op}__", _variable_operator(f"__{_op}__"))
Variable.__array_priority__ = 100
Variable.__array_ufunc__ = EagerTensor.__array_ufunc__


class _VariableRef(EagerTensor):
    """A variable's reference as an eager input: no value of its own; its ``op`` is the variable,
    which the eager context's ``variable_value`` turns into the array to update."""

    __slots__ = ("_variable",)

    def __init__(self, variable: Variable):
        super().__init__(None, variable.dtype._as_ref)
        self._variable = variable
        self._shape = variable.shape

    @property
    def op(self):
        return self._variable

    def numpy(self):
        return self._variable.numpy()


EagerContext.variable_class = Variable   # what TF1's tf.Variable makes with eager execution on

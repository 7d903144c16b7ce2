"""State ops: the variable buffer and the ops that write it (notebook 04).

A ``VariableV2`` op names a buffer kept by the Session; ``Assign``/``AssignAdd``/``AssignSub``
write into it and return the new value.  Their first input is a *reference* (``float32_ref``):
the kernel gets the variable's op, not its value, so an uninitialised variable can be assigned.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import xp
from ..errors import InvalidArgumentError, OutOfRangeError
from ..graph import Tensor, name_scope
from ..tensor_shape import TensorShape
from .base import NUMBER_TYPES, Op, convert_to_tensor, create_op, shape_list
from .shape_ops import merge_shapes


class VariableV2(Op):
    """A variable's buffer; reading it before initialisation is a FailedPreconditionError."""

    type = "VariableV2"
    gradient = None
    returns_stored = True

    def __init__(self, shape, dtype, container="", shared_name=""):
        self.shape, self.dtype = shape, dtype
        self.container, self.shared_name = container, shared_name

    def infer(self):
        return self.dtype._as_ref, self.shape

    def node_attrs(self, inputs):
        return {"shape": self.shape, "dtype": self.dtype, "container": self.container,
                "shared_name": self.shared_name}

    def kernel(self, op, session):
        read = session.variable_value
        return lambda: read(op)


class VariableRead(Op):
    """A read of a variable (TF1's Identity of its buffer) that takes the value when this op runs.

    The buffer is a ref input, not a value the ``VariableV2`` op computed before, so a read in a
    ``tf.cond`` branch that does not run reads nothing: ``initialized_value()`` relies on it.  (A
    variable's own ``x/read`` is a plain Identity of the ``VariableV2`` op, which a run then lists
    as TF1's does.)  In a GraphDef it is TF1's ``Identity``.
    """

    view_of_input = True
    ref_inputs = (0,)

    def __init__(self):
        self.type = "Identity"

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype}

    def infer(self, ref):
        return ref.dtype.base_dtype, ref.shape

    def kernel(self, op, session):
        var_op, read = op.inputs[0].op, session.variable_value
        return lambda: read(var_op)

    def gradient(self, op, grad):
        return [grad]


def read_variable(ref: Tensor, name: str = "read") -> Tensor:
    """A :class:`VariableRead` of the variable whose buffer is ``ref`` (``x/read_1``...)."""
    return create_op(VariableRead(), [ref], name).outputs[0]


class Assign(Op):
    """``ref = value``: store a copy of ``value`` in the variable (in place when shapes agree)."""

    type = "Assign"
    gradient = None
    returns_stored = True
    ref_inputs = (0,)

    def __init__(self, validate_shape=True, use_locking=True):
        self.validate_shape, self.use_locking = validate_shape, use_locking

    def infer(self, ref, value):
        return ref.dtype, value.shape if self.validate_shape is False else merge_shapes(ref.shape, value.shape)

    def kernel(self, op, session):
        var_op = op.inputs[0].op
        store = session.variables
        validate = self.validate_shape

        def assign(value):
            current = store.get(var_op)
            if validate and current is not None and current.shape != value.shape:
                raise InvalidArgumentError(None, None, f"Assign requires shapes of both tensors to match. "
                                                       f"lhs shape= {shape_list(current.shape)} "
                                                       f"rhs shape= {shape_list(value.shape)}")
            if current is not None and current.shape == value.shape and isinstance(current, type(value)) \
                    and getattr(current, "flags", None) is not None and current.flags.writeable:
                current[...] = value
                return current
            store[var_op] = xp.array(value, copy=True)
            return store[var_op]

        return assign


class AssignAdd(Op):
    """``ref += value`` in place; returns the new value."""

    type = "AssignAdd"
    gradient = None
    returns_stored = True
    ref_inputs = (0,)

    def __init__(self, use_locking=False):
        self.use_locking = use_locking

    allowed_dtypes = {0: ("ref", NUMBER_TYPES)}

    def infer(self, ref, value):
        return ref.dtype, merge_shapes(ref.shape, value.shape)

    def kernel(self, op, session):
        var_op = op.inputs[0].op
        read = session.variable_value
        update = self.update

        def assign_add(value):
            current = read(var_op)
            if current.shape != value.shape:
                raise InvalidArgumentError(None, None, "Parameters and update must be the same size")
            update(current, value)
            return current

        return assign_add

    @staticmethod
    def update(current, value):
        current += value


class AssignSub(AssignAdd):
    """``ref -= value`` in place; returns the new value."""

    type = "AssignSub"

    @staticmethod
    def update(current, value):
        current -= value


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """``tf.assign``: an op that stores ``value`` in variable ``ref`` and returns the new value."""
    ref_tensor = ref._ref() if hasattr(ref, "_ref") else ref
    if not ref_tensor.dtype.is_ref_dtype:   # TF1 then calls ref.assign, which a Tensor lacks
        raise AttributeError(f"'{type(ref).__name__}' object has no attribute 'assign'")
    kind = Assign(validate_shape=validate_shape is not False, use_locking=use_locking is not False)
    return _apply_ref(kind, ref_tensor, value, name or "Assign")


def assign_add(ref, value, use_locking=None, name=None):
    """``tf.assign_add``: ``ref += value``."""
    ref_tensor = ref._ref() if hasattr(ref, "_ref") else ref
    return _apply_ref(AssignAdd(use_locking=bool(use_locking)), ref_tensor, value, name or "AssignAdd")


def assign_sub(ref, value, use_locking=None, name=None):
    """``tf.assign_sub``: ``ref -= value``."""
    ref_tensor = ref._ref() if hasattr(ref, "_ref") else ref
    return _apply_ref(AssignSub(use_locking=bool(use_locking)), ref_tensor, value, name or "AssignSub")


def _apply_ref(kind, ref_tensor, value, name):
    """Apply a ref op: ``value`` is converted to the variable's base dtype (TF1's errors if it cannot be)."""
    dtype = ref_tensor.dtype.base_dtype
    with name_scope(name, None, [ref_tensor]) as scope:
        if isinstance(value, Tensor) and value.dtype.base_dtype != dtype:
            raise TypeError(f"Input 'value' of '{kind.type}' Op has type {value.dtype.base_dtype.name} that does not "
                            f"match type {dtype.name} of argument 'ref'.")
        try:
            value = convert_to_tensor(value, dtype=dtype, name="value")
        except TypeError as e:
            raise TypeError(f"Expected {dtype.name} passed to parameter 'value' of op '{kind.type}', got {value!r} "
                            f"of type '{type(value).__name__}' instead. Error: {e}") from None
        return create_op(kind, [ref_tensor, value], scope).outputs[0]


def is_variable_initialized(ref, name=None):
    """A bool tensor: has this variable been given a value in the session?"""
    ref_tensor = ref._ref() if hasattr(ref, "_ref") else ref
    with name_scope(name, "IsVariableInitialized", [ref_tensor]) as scope:
        return create_op(IsVariableInitialized(), [ref_tensor], scope).outputs[0]


class IsVariableInitialized(Op):
    type = "IsVariableInitialized"
    gradient = None
    ref_inputs = (0,)

    def infer(self, ref):
        return dtypes.bool, TensorShape([])

    def kernel(self, op, session):
        var_op = op.inputs[0].op
        return lambda: np.bool_(var_op in session.variables)


class CountUpTo(Op):
    """``ref += 1``, returning the value before; once ``ref`` reaches ``limit`` the run fails with
    OutOfRangeError instead (how ``tf.train.limit_epochs`` ends an input after ``num_epochs``)."""

    type = "CountUpTo"
    gradient = None
    ref_inputs = (0,)
    stateful = True
    allowed_dtypes = {0: ("ref", ("int32", "int64"))}

    def __init__(self, limit: int):
        self.limit = limit

    def infer(self, ref):
        return ref.dtype.base_dtype, ref.shape

    def kernel(self, op, session):
        var_op = op.inputs[0].op
        read = session.variable_value

        def count_up():
            current = read(var_op)
            if current >= self.limit:
                raise OutOfRangeError(None, None, f"Reached limit of {self.limit}")
            before = current.copy()
            current += 1
            return before

        return count_up


def count_up_to(ref, limit: int, name=None):
    """``tf.count_up_to``: increments the int variable ``ref`` until ``limit`` (see CountUpTo)."""
    with name_scope(name, "CountUpTo") as scope:
        ref_tensor = ref._ref() if hasattr(ref, "_ref") else ref
        return create_op(CountUpTo(int(limit)), [ref_tensor], scope).outputs[0]

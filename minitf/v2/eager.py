"""Eager execution: an op runs the moment it is called (TensorFlow 2's default; notebook 08).

In TensorFlow 1 every ``tf.*`` call adds an op to the default graph and a Session runs it
later.  With eager execution on, the default "graph" is this thread's ``EagerContext``, and
adding an op to it *runs* it at once: the very ``Op`` class a graph would hold checks its
inputs with ``infer`` (dtype, shape) and computes with ``forward`` on their arrays.  The
result is an ``EagerTensor``, a Tensor that holds its value:

>>> import minitf.v2 as tf
>>> tf.matmul([[2.]], [[2.]])
<tf.Tensor: shape=(1, 1), dtype=float32, numpy=array([[4.]], dtype=float32)>

The context keeps no ops: a loop of eager ops uses as much memory on its thousandth turn
as on its first.  Only an active ``GradientTape`` (tape.py) keeps the ops it needs, as
light ``EagerOperation`` records.

Inside a ``tf.function`` or ``with tf.Graph().as_default():`` the default graph is an
ordinary graph again and ops are added, not run: ``executing_eagerly()`` is then False.
"""
from __future__ import annotations

import contextlib
import threading

import numpy as np

from .. import graph as graph_module
from ..backend import from_numpy, to_numpy
from ..errors import InvalidArgumentError, OpError, ResourceExhaustedError
from ..graph import Graph, Tensor
from ..ops.base import Const, Op, ShapeError, check_dtypes
from ..ops import math_ops
from ..tensor_shape import TensorShape


# ---- the eager tensor --------------------------------------------------------------------------
class EagerTensor(Tensor):
    """A Tensor with a value: ``.numpy()``, printing, ``np.asarray(t)``, ``float(t)``, iteration.

    It has no name and belongs to no graph.  Used while a ``tf.function`` is traced, it
    enters that graph as a constant.
    """

    __slots__ = ("_array",)
    __array_priority__ = 100   # ndarray + t gives a Tensor (t.__radd__), as in TensorFlow 2

    def __init__(self, array, dtype):
        self._array = array
        self._dtype = dtype
        self._shape = None
        self._op = None
        self._value_index = 0

    @property
    def shape(self) -> TensorShape:
        if self._shape is None:
            self._shape = TensorShape(self._array.shape)
        return self._shape

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        if not self.shape.is_compatible_with(TensorShape(shape)):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {TensorShape(shape)}.")

    ndim = property(lambda self: self._array.ndim)
    device = property(lambda self: "/job:localhost/replica:0/task:0/device:CPU:0")

    @property
    def op(self):
        """What gradient functions and shape rules see: a constant holding this value."""
        return _ValueOp(self)

    @property
    def graph(self) -> Graph:
        return context()

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as a numpy array (a numpy scalar for 0-d tensors, like TensorFlow 2)."""
        value = to_numpy(self._array)
        return value[()] if value.ndim == 0 else value

    def __array__(self, dtype=None, copy=None):
        value = to_numpy(self._array)
        return value if dtype is None else value.astype(dtype, copy=False)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """``np.exp(t)`` computes on the values (a numpy result); ``array + t`` stays a Tensor."""
        if method == "__call__" and not kwargs and len(inputs) == 2 and ufunc in _OPERATOR_UFUNCS:
            return _OPERATOR_UFUNCS[ufunc](*inputs)
        arrays = [x if isinstance(x, (np.ndarray, np.generic)) or not hasattr(x, "__array__") else np.asarray(x)
                  for x in inputs]
        return getattr(ufunc, method)(*arrays, **kwargs)

    def eval(self, feed_dict=None, session=None):
        return self.numpy()

    # ---- printing: tf.Tensor([[4.]], shape=(1, 1), dtype=float32) --------------------------
    def __str__(self):
        text = str(self.numpy())
        return f"tf.Tensor({_newline_if_multiline(text)}, shape={self.shape}, dtype={self._dtype.name})"

    def __repr__(self):
        value = self.numpy()
        text = repr(value.item()) if value.ndim == 0 else repr(value)
        return f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, numpy={_newline_if_multiline(text)}>"

    def __format__(self, spec):
        return format(self.numpy(), spec)   # ("{}".format(t) gives "[[4.]]", as TensorFlow)

    # ---- Python protocols that need a value ---------------------------------------------------
    def __bool__(self):
        return bool(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __index__(self):
        if not self._dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index, not {self._dtype.name}")
        return int(self.numpy())

    def __len__(self):
        if self._array.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return len(self._array)

    def __iter__(self):
        if self._array.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(len(self._array)))

    def __eq__(self, other):
        return math_ops.equal(self, other)

    def __ne__(self, other):
        return math_ops.not_equal(self, other)

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return EagerTensor(self._array.copy(), self._dtype)


def _newline_if_multiline(text: str) -> str:
    return "\n" + text if "\n" in text else text


_OPERATOR_UFUNCS = {
    np.add: math_ops.add, np.subtract: math_ops.subtract, np.multiply: math_ops.multiply,
    np.true_divide: math_ops.truediv, np.matmul: math_ops.matmul, np.power: math_ops.pow_,
}


class _ValueOp:
    """``t.op`` of an eager tensor: a constant with its value (what ``infer`` and gradients look at)."""

    __slots__ = ("_tensor",)
    type = "Const"
    inputs = ()
    control_inputs = ()
    _guards = ()

    def __init__(self, tensor: EagerTensor):
        self._tensor = tensor

    kind = property(lambda self: Const(value=self._tensor.numpy()))
    outputs = property(lambda self: [self._tensor])
    graph = property(lambda self: context())
    name = property(lambda self: "Const")


# ---- the record of one executed op -------------------------------------------------------------
class EagerOperation:
    """One op that ran eagerly: its kind, input and output tensors.

    ``create_op`` returns it, and a ``GradientTape`` keeps it: it has what gradient
    functions read from a graph's ``Operation`` (``inputs``, ``outputs``, ``get_attr``).
    """

    __slots__ = ("kind", "inputs", "outputs")
    _guards = ()
    control_inputs = ()

    def __init__(self, kind: Op, inputs):
        self.kind = kind
        self.inputs = tuple(inputs)
        self.outputs = []

    type = property(lambda self: self.kind.type)
    name = property(lambda self: self.kind.type)
    graph = property(lambda self: context())

    def node_attrs(self) -> dict:
        return self.kind.node_attrs(self.inputs)

    def get_attr(self, name: str):
        attrs = self.node_attrs()
        if name not in attrs:
            raise ValueError(f"Operation '{self.type}' has no attr named '{name}'.")
        return attrs[name]

    def __repr__(self):
        return f"<EagerOperation type={self.type}>"


# ---- the context ---------------------------------------------------------------------------------
class EagerContext(Graph):
    """The default "graph" of a thread with eager execution on: adding an op runs it.

    It is also the Session that stateful kernels see: ``variable_value`` and ``variables``
    give them a ``tf.Variable``'s array (an Assign's or optimizer update's first input is
    the variable's reference tensor, whose ``op`` is the variable), ``random_generator`` a
    random generator.
    """

    executes_eagerly = True
    variable_class = None   # minitf.v2.variables.Variable, which sets it (that module is built on this one)

    def __init__(self):
        super().__init__()
        self.tapes: list = []              # the GradientTapes recording on this thread
        self.variables = _EagerVariables()
        self._ops_run = 0

    # ---- running ops ----------------------------------------------------------------------
    def run_op(self, kind: Op, inputs) -> EagerOperation:
        """Check the inputs with ``kind.infer``, compute with its kernel, return the record."""
        try:
            check_dtypes(kind, inputs)
        except TypeError as e:   # TF2 refuses a dtype the op does not take when the op runs
            raise InvalidArgumentError(None, None, f"{e} [Op:{kind.type}]") from None
        try:
            out_types = kind.infer(*inputs)
        except ShapeError as e:   # (what follows a NUL is detail for a graph's message: tf.reshape's)
            raise InvalidArgumentError(None, None, f"{str(e).partition(chr(0))[0]} [Op:{kind.type}]") from None
        self._ops_run += 1      # random ops without a seed of their own draw from (graph seed, count)
        op = EagerOperation(kind, inputs)
        refs = kind.ref_inputs
        if type(kind).kernel is _PLAIN_KERNEL:
            kernel = kind.forward
        else:
            kernel = kind.kernel(op, self)
            for i in refs:
                inputs[i].op.writable_array()   # copy-on-write before the update (variables.py)
        try:
            arrays = [t._array for i, t in enumerate(inputs) if i not in refs] if refs else [t._array for t in inputs]
        except AttributeError:
            raise TypeError(f"{kind.type} ran eagerly got a graph tensor: "
                            f"{next(t for t in inputs if not hasattr(t, '_array'))}") from None
        try:
            with np.errstate(all="ignore"):   # like TF: log(0.) is -inf without numpy's warnings
                result = kernel(*arrays)
        except OpError:
            raise
        except Exception as e:   # a kernel's Python error is a failed op, as a Session reports it
            cls = ResourceExhaustedError if isinstance(e, MemoryError) else InvalidArgumentError
            raise cls(None, None, f"{type(e).__name__}: {e} [Op:{kind.type}]") from e
        copy = kind.returns_stored and not refs    # a Const's value may be the caller's own array
        if kind.num_outputs == 1:
            op.outputs = [EagerTensor(_backend_array(result, copy), out_types[0])]
        else:
            op.outputs = [EagerTensor(_backend_array(r, copy), dtype) for r, (dtype, _) in zip(result, out_types)]
        for tape in self.tapes:
            tape.record(op)
        return op

    def make_variable(self, initial_value=None, trainable=None, collections=None, name=None, dtype=None, **kwargs):
        """TF1's ``tf.Variable(...)`` called with eager execution on: a TF2 variable (its arguments
        that only a graph uses -- collections, caching_device, expected_shape... -- change nothing)."""
        return self.variable_class(initial_value, trainable=trainable, name=name, dtype=dtype,
                                   validate_shape=kwargs.get("validate_shape", True), shape=kwargs.get("shape"),
                                   constraint=kwargs.get("constraint"))

    # ---- what a Session gives stateful kernels ---------------------------------------------
    def variable_value(self, variable):
        return variable.writable_array()

    def random_generator(self, op, seed):
        return np.random.default_rng(seed)

    @property
    def version(self) -> int:
        """How many ops ran (random ops' seeds count them, as a graph counts its ops)."""
        return self._ops_run

    def set_seed(self, seed) -> None:
        """``tf.random.set_seed``: the graph-level seed, and op seeds counted again from the start."""
        self.seed = seed
        self._ops_run = 0

    # ---- a graph that keeps nothing ----------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        return name

    def name_scope(self, name):
        return contextlib.nullcontext("")

    def control_dependencies(self, control_inputs):
        return contextlib.nullcontext()

    def add_to_collection(self, name: str, value) -> None:
        """Kept nowhere: an eager update (a batch norm's moving average) has run already."""

    def add_to_collections(self, names, value) -> None:
        """Kept nowhere, as ``add_to_collection``."""


_PLAIN_KERNEL = Op.kernel     # an op whose kernel is just its forward (no session state)


def _backend_array(value, copy: bool):
    """A kernel's result as an array of the backend (numpy scalars from reductions become 0-d arrays)."""
    if isinstance(value, np.generic):
        return from_numpy(np.asarray(value))
    if copy:
        return value.copy()
    return value


class _EagerVariables:
    """``session.variables`` for eager kernels: the key is the Variable itself (a ref tensor's ``op``)."""

    def __getitem__(self, variable):
        return variable.writable_array()

    def get(self, variable, default=None):
        return variable.writable_array()

    def __setitem__(self, variable, array) -> None:
        variable.assign_array(array)

    def __contains__(self, variable) -> bool:
        return True


# ---- switching eager execution on and off ---------------------------------------------------------
_threads = threading.local()


def context() -> EagerContext:
    """This thread's EagerContext (made on first use)."""
    ctx = getattr(_threads, "context", None)
    if ctx is None:
        ctx = _threads.context = EagerContext()
    return ctx


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """Make eager execution the default in every thread (what ``import minitf.v2`` does)."""
    graph_module.set_eager_execution(context)


def disable_eager_execution() -> None:
    """Back to TensorFlow 1: ops go to the default graph and run in a Session."""
    graph_module.set_eager_execution(None)


def executing_eagerly() -> bool:
    """``tf.executing_eagerly()``: do ops run now (True) or go into a graph (False, e.g. in a tf.function)?"""
    return graph_module.get_default_graph().executes_eagerly


@contextlib.contextmanager
def eager_mode():
    """Run ops eagerly inside the block, even while a tf.function is traced (TensorFlow's ``init_scope``).

    Variables are created this way: their initial value is computed once, not added to the graph.
    """
    with context().as_default():
        yield

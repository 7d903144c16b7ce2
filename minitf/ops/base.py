"""Op: one kind of operation, everything about it in one place.

An ``Op`` subclass says, for one TensorFlow op type (``type = "MatMul"``):

* ``infer(*inputs)``   -- the output dtype and static shape, while the graph is built
  (TF1 prints ``(?, 3)`` before anything runs);
* ``forward(*arrays)`` -- the computation on arrays, with ``xp`` (numpy or cupy);
* ``gradient(op, *grads)`` -- the gradients of its inputs, built from ordinary minitf ops
  (TF1's ``@RegisterGradient("MatMul")``, written beside the op); ``gradient = None`` says the
  op has none (TF1's ``NotDifferentiable``): ``tf.gradients`` stops there.  An op that says
  neither has no gradient *defined*, and differentiating through it is a LookupError, as in TF1.

Attributes (``transpose_a``, ``axis``…) are keyword arguments of the constructor and
stored on the instance.  ``apply_op`` adds one to the graph with TF1's naming rules:
Python values given to an op become ``Const`` ops inside the op's scope (``add/y``).

A ``Session`` calls ``kernel(op, session)`` once per plan and then the returned function once
per run; ops with state (variables, random generators) bind the session there.  Eager
execution can call ``forward`` directly.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import from_numpy, to_numpy
from ..graph import Operation, Tensor, get_default_graph, graph_of
from ..tensor_shape import Dimension, TensorShape

_OPS: dict = {}              # op type -> Op subclass (import_graph_def rebuilds ops from it)
_USER_GRADIENTS: dict = {}   # op type -> gradient function or None, from tf.RegisterGradient / tf.NotDifferentiable


class _Skipped:
    """The value of an op that did not run in this run (TF1's "dead" tensor): see ``Op.may_skip``."""

    def __repr__(self):
        return "SKIPPED"


SKIPPED = _Skipped()


class Op:
    """Base class of all op kinds (see the module docstring)."""

    type: str = ""
    num_outputs = 1
    returns_stored = False   # the output may be an array the session keeps (a constant, a variable)
    view_of_input = False    # the output may be a view of input 0 (identity, reshape)
    ref_inputs: tuple = ()   # inputs that are variables written in place (Assign, Apply*)
    may_skip = False         # the kernel may return SKIPPED: then this op, and every op that depends on
    #                          it (through inputs or control inputs), does not run (tf.cond's branches)
    takes_skipped = False    # runs even when inputs are SKIPPED, and chooses among them (tf.cond's Merge)
    allowed_dtypes: dict = {}  # input index -> (TF1's parameter name, the dtype names TF1 allows there,
    #                            or one name for an input of a fixed type): checked before ``infer``
    folds = False            # small shape arithmetic (Pack, Cast, StridedSlice...): when every input's
    #                          value is known while the graph is built, so is the output's (``static_value``)
    reads_shape_only = False  # the output depends on the inputs' shapes, not their values (Shape, Size, Rank)
    stateful = False         # the output is not a function of the inputs alone, or running has effects
    #                          beyond it (a Python callback): a Session never reuses an earlier result

    def __init__(self, **attrs):
        self.__dict__.update(attrs)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.type:
            _OPS[cls.type] = cls

    def infer(self, *inputs):
        """(dtype, TensorShape) of the output -- by default those of the first input."""
        return inputs[0].dtype.base_dtype, inputs[0].shape

    def forward(self, *arrays):
        raise NotImplementedError(f"{self.type} has no forward computation")

    def kernel(self, op: Operation, session):
        """The function a Session calls with the input arrays; stateful ops bind the session here."""
        return self.forward

    def shared_work(self, op: Operation):
        """A key naming an intermediate result of this op's kernel that another op of the same run
        also needs (Conv2D's im2col matrix, which its filter gradient multiplies again), or None.

        When two ops of one plan name the same key, the Session passes both kernels one more
        argument: a dict that lives for one run, where the first leaves the result for the second.
        """
        return None

    def node_attrs(self, inputs) -> dict:
        """The attrs TF1 shows in the NodeDef: ``T`` (the input dtype) and this op's own attrs."""
        attrs = {"T": inputs[0].dtype.base_dtype} if inputs else {}
        attrs.update((k, v) for k, v in vars(self).items() if not k.startswith("_"))
        return attrs

    def static_value(self, op: Operation):
        """The value of ``op``'s output when the graph alone fixes it, else None -- as TF1's shape
        inference folds constants: ``tf.fill(tf.stack([n, 2]), 7.0)`` with a constant ``n`` has a
        static shape.  Ops that ``fold`` compute it from their inputs' values, if small."""
        if not self.folds or self.num_outputs != 1 or not _small(op.outputs[0].shape):
            return None
        values = [constant_value(t) for t in op.inputs]
        if any(v is None for v in values):
            return None
        try:
            return np.asarray(to_numpy(self.forward(*[from_numpy(np.asarray(v)) for v in values])))
        except Exception:  # noqa: BLE001  (bad values fail when the graph runs, as in TF1)
            return None

    def kernel_error(self, error: Exception, *arrays):
        """The ``tf.errors`` exception TF1's kernel raises where ``forward`` failed with ``error`` on
        these input arrays (``None``: the Session reports ``error`` itself).  Asked only after a
        failure, so checking costs nothing on runs that succeed."""
        return None

    def error_inputs(self, inputs) -> list:
        """The inputs as TF1's messages list them: ``(static shape, constant value or None)`` each."""
        return [(t.shape, constant_value(t)) for t in inputs]


def RegisterGradient(op_type: str):  # noqa: N802  (TF1's name)
    """``tf.RegisterGradient``: decorate ``fn(op, *grads) -> [input grads]`` as ``op_type``'s gradient
    (it takes precedence over the gradient the op's class defines)."""
    def register(fn):
        _USER_GRADIENTS[op_type] = fn
        return fn

    return register


def NotDifferentiable(op_type: str) -> None:  # noqa: N802  (TF1's name)
    """``tf.NotDifferentiable``: declare that ``op_type`` has no gradient (tf.gradients gives None through it)."""
    _USER_GRADIENTS[op_type] = None


NoGradient = NotDifferentiable


def _class_gradient(op: Operation, *grads):
    return op.kind.gradient(op, *grads)


def gradient_function(op_type: str):
    """The gradient of ``op_type``: a function ``fn(op, *grads)``, None (not differentiable), or LookupError."""
    if op_type in _USER_GRADIENTS:
        return _USER_GRADIENTS[op_type]
    gradient = getattr(_OPS.get(op_type), "gradient", NotImplemented)
    if gradient is NotImplemented:
        raise LookupError(f"No gradient defined for operation '{op_type}' (op type: {op_type})")
    return None if gradient is None else _class_gradient


def registered_ops() -> dict:
    return dict(_OPS)


# ---- the dtypes TF1's ops accept (OpDef type constraints), for ``Op.allowed_dtypes`` -------------
NUMBER_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "complex64", "int64", "qint8", "quint8",
                "qint32", "bfloat16", "uint16", "complex128", "float16", "uint32", "uint64")
REAL_NUMBER_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16",
                     "float16", "uint32", "uint64")
FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
FLOAT_AND_COMPLEX = ("bfloat16", "float16", "float32", "float64", "complex64", "complex128")
SIGNED_AND_COMPLEX = ("bfloat16", "float16", "float32", "float64", "int32", "int64", "complex64", "complex128")
INDEX_TYPES = ("int32", "int64")


def check_dtypes(kind: Op, inputs) -> None:
    """TF1's TypeError for an input whose dtype the op does not take (``tf.sqrt`` of an int32); graphs
    and eager execution both ask it before ``infer``."""
    for index, (param, allowed) in kind.allowed_dtypes.items():
        if not -len(inputs) <= index < len(inputs):
            continue
        dtype = inputs[index].dtype.base_dtype.name
        if isinstance(allowed, str):
            if dtype != allowed:
                raise TypeError(f"Input '{param}' of '{kind.type}' Op has type {dtype} that does not match "
                                f"expected type of {allowed}.")
        elif dtype not in allowed:
            raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype} not in list of allowed "
                            f"values: {', '.join(allowed)}")


# ---- shape errors: TF1's message names the node, its inputs and their shapes -----------------
class ShapeError(ValueError):
    """Raised by ``infer``; ``create_op`` adds the node description TF1 prints.

    ``computed``: the inputs whose constant values the shape rule read before it failed, and
    ``partial``: the shape tensors it read as (partial) shapes -- TF1's message lists both.
    """

    def __init__(self, message: str, computed=(), partial=()):
        super().__init__(message)
        self.computed, self.partial = computed, partial


def shape_list(shape) -> str:
    """A shape as TF1's error messages write it: ``[?,3]``, or ``?`` for an unknown rank (a static
    TensorShape, or an array's shape)."""
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if shape.dims is None:
        return "?"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in shape.dims) + "]"


def _attr_value(value) -> str:
    if isinstance(value, dtypes.DType):
        return value.datatype_name
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _describe_node(kind: Op, name: str, inputs, error: ShapeError) -> str:
    """``'{{node mm}} = MatMul[...](a, b)' with input shapes: [2,3], [4,5]``, and the values of the
    inputs the shape rule read, as TF1 appends them to a shape error."""
    attrs = ", ".join(f"{k}={_attr_value(v)}" for k, v in sorted(kind.node_attrs(inputs).items())
                      if not isinstance(v, np.ndarray))
    names = ", ".join(t.op.name if t.value_index == 0 else t.name for t in inputs)
    described = kind.error_inputs(inputs)
    text = (f"'{{{{node {name}}}}} = {kind.type}[{attrs}]({names})' with input shapes: "
            + ", ".join(shape_list(shape) for shape, _ in described))
    computed = [f"input[{i}] = <{_summarize(described[i][1])}>" for i in error.computed
                if described[i][1] is not None]
    if computed:
        text += " and with computed input tensors: " + ", ".join(computed)
    partial = [f"input[{i}] = {_partial_shape(described[i][1])}" for i in error.partial
               if described[i][1] is not None]
    if partial:
        text += " and with input tensors computed as partial shapes: " + ", ".join(partial)
    return text


def _summarize(value) -> str:
    """A constant as TF1 prints it in messages: ``2``, ``2 4``, ``[1 2][3 4]`` (at most 10 values, then
    ``...``, flat)."""
    if np.ndim(value) > 1 and np.size(value) <= 10:
        return "".join(f"[{_summarize(row)}]" for row in np.asarray(value))
    flat = np.reshape(value, -1)
    text = " ".join(str(v.item() if hasattr(v, "item") else v) for v in flat[:10])
    return text + ("..." if flat.size > 10 else "")


def _partial_shape(value) -> str:
    """A shape tensor's value as a partial shape: ``[7,-1]`` is ``[7,?]``."""
    return "[" + ",".join("?" if int(d) < 0 else str(int(d)) for d in np.reshape(value, -1)) + "]"


def create_op(kind: Op, inputs, name: str, graph=None) -> Operation:
    """Add an Operation of ``kind`` with these input Tensors; ``name`` ending in '/' is used as is."""
    graph = graph or get_default_graph()
    if graph.executes_eagerly:   # eager execution (minitf.v2): the op runs now
        return graph.run_op(kind, inputs)
    name = name[:-1] if name.endswith("/") else graph.unique_name(name)
    check_dtypes(kind, inputs)
    try:
        out_types = kind.infer(*inputs)
    except ShapeError as e:
        raise ValueError(f"{e} for {_describe_node(kind, name, inputs, e)}.") from None
    if kind.num_outputs == 1:
        out_types = [out_types]
    return graph.add_operation(kind, name, inputs, out_types)


def apply_op(kind: Op, args=(), name=None, arg_names=("x", "y"), same_dtype=True):
    """Add ``kind`` to the graph with inputs ``args`` (Tensors or Python values).

    Python values become Consts named after the argument inside the op's scope
    (``add/y``); with ``same_dtype`` they take the dtype of the tensor inputs, and
    tensors of different dtypes are refused with TF1's TypeError.  Returns the output
    Tensor (a list for multi-output ops, the Operation for ops without outputs).
    """
    if get_default_graph().executes_eagerly:   # eager execution (minitf.v2): no names, the op runs now
        op = create_op(kind, _convert_args(kind, args, arg_names, same_dtype), "")
    else:
        graph = graph_of(args)
        with graph.as_default(), graph.name_scope(name or kind.type) as scope:
            inputs = _convert_args(kind, args, arg_names, same_dtype)
            op = create_op(kind, inputs, scope, graph)
    outputs = op.outputs
    if kind.num_outputs == 1:
        return outputs[0]
    return outputs if outputs else op


def _convert_args(kind, args, arg_names, same_dtype):
    if not same_dtype:
        return [convert_to_tensor(a, name=n) for a, n in zip(args, arg_names)]
    tensors = [_as_tensor_or_none(a) for a in args]
    target = next((t.dtype.base_dtype for t in tensors if t is not None), None)
    inputs = []
    for value, tensor, arg_name in zip(args, tensors, arg_names):
        if tensor is None:
            tensor = convert_to_tensor(value, dtype=target, name=arg_name, op_type=kind.type)
        if target is None:
            target = tensor.dtype.base_dtype
        elif tensor.dtype.base_dtype != target:
            raise TypeError(f"Input '{arg_name}' of '{kind.type}' Op has type {tensor.dtype.base_dtype.name} "
                            f"that does not match type {target.name} of argument '{arg_names[0]}'.")
        inputs.append(tensor)
    return inputs


def _as_tensor_or_none(value):
    if isinstance(value, Tensor):
        return _in_graph(value)
    if hasattr(value, "_as_graph_element"):
        return value.value()
    return None


def _in_graph(tensor: Tensor) -> Tensor:
    """``tensor`` as an input of an op of the default graph: an eager tensor (minitf.v2) used while a
    graph is built -- a tf.function traced -- becomes a Const of that graph, holding its value."""
    if tensor.graph.executes_eagerly and not get_default_graph().executes_eagerly:
        return create_op(Const(value=np.asarray(tensor)), [], "Const").outputs[0]
    return tensor


# ---- Const and convert_to_tensor ------------------------------------------------------------
class Const(Op):
    """A constant: the value is stored in the graph and returned by every run."""

    type = "Const"
    returns_stored = True

    def infer(self):
        return dtypes.as_dtype(self.value.dtype), TensorShape(self.value.shape)

    def static_value(self, op):
        return self.value

    def kernel(self, op, session):
        value = from_numpy(self.value)
        return lambda: value

    def node_attrs(self, inputs):
        return {"dtype": dtypes.as_dtype(self.value.dtype), "value": self.value}


def constant_value(tensor: Tensor):
    """The value the graph already fixes for ``tensor`` (a Const's, or one folded from them: see
    ``Op.static_value``), else None.  Static shape inference reads it."""
    if tensor.op.kind.num_outputs != 1:
        return None
    return tensor.op.kind.static_value(tensor.op)


def _small(shape: TensorShape) -> bool:
    """Small enough to compute while the graph is built (a shape, an axis, a few indices)."""
    n = shape.num_elements()
    return n is not None and n <= 1000


def _plain(value):
    """Lists of Dimensions/ints -> plain ints (``[x.get_shape()[1], 200]`` is a valid shape)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Dimension):
        return value.value
    return value


def constant_value_array(value, dtype=None, op_type=None) -> np.ndarray:
    """A Python/numpy value as the numpy array a Const would hold (TF1's dtype rules)."""
    try:
        return dtypes.infer_numpy(_plain(value), dtype)
    except TypeError as e:
        if op_type and dtype is not None and "Expected" in str(e):
            got = dtypes.infer_numpy(_plain(value)).dtype
            raise TypeError(f"Input 'y' of '{op_type}' Op has type {dtypes.as_dtype(got).name} that does "
                            f"not match type {dtypes.as_dtype(dtype).name} of argument 'x'.") from None
        raise


_CONVERSIONS: list = []   # (base type, function), from tf.register_tensor_conversion_function


def register_tensor_conversion_function(base_type, conversion_func, priority=100) -> None:
    """``tf.register_tensor_conversion_function``: ``conversion_func(value, dtype=None, name=None,
    as_ref=False)`` turns instances of ``base_type`` into a Tensor, or returns NotImplemented to
    decline (array_ops registers one that packs lists holding tensors)."""
    _CONVERSIONS.append((base_type, conversion_func))


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, op_type=None, dtype_hint=None) -> Tensor:
    """``tf.convert_to_tensor``: a Tensor as is, a Variable's value, or a new Const for a Python value.

    Other types convert with the function registered for them (a list holding tensors becomes a
    ``Pack`` op named ``packed``, as in TF1).
    """
    if isinstance(value, Tensor):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor "
                             f"with dtype {value.dtype.name}: {value!r}")
        return _in_graph(value)
    if hasattr(value, "_as_graph_element"):
        return convert_to_tensor(value.value(), dtype, name)
    for base_type, conversion_func in _CONVERSIONS:
        if isinstance(value, base_type):
            tensor = conversion_func(value, dtype=dtype, name=name, as_ref=False)
            if tensor is not NotImplemented:
                return tensor
    preferred = preferred_dtype or dtype_hint
    if dtype is None and preferred is not None:
        try:
            array = constant_value_array(value, preferred)
        except (TypeError, ValueError):
            array = constant_value_array(value)
    else:
        array = constant_value_array(value, dtype, op_type)
    graph = get_default_graph()
    return create_op(Const(value=array), [], name or "Const", graph).outputs[0]

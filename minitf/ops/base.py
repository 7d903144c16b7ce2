"""Op: one kind of operation, everything about it in one place.

An ``Op`` subclass says, for one TensorFlow op type (``type = "MatMul"``):

* ``infer(*inputs)``   -- the output dtype and static shape, while the graph is built
  (TF1 prints ``(?, 3)`` before anything runs);
* ``forward(*arrays)`` -- the computation on arrays, with ``xp`` (numpy or cupy);
* ``gradient(op, grad)`` -- the gradients of its inputs, built from ordinary minitf ops,
  registered under the op type like TF1's ``@RegisterGradient("MatMul")``.

Attributes (``transpose_a``, ``axis``…) are keyword arguments of the constructor and
stored on the instance.  ``apply_op`` adds one to the graph with TF1's naming rules:
Python values given to an op become ``Const`` ops inside the op's scope (``add/y``).
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import from_numpy
from ..graph import Operation, Tensor, get_default_graph, graph_of
from ..tensor_shape import TensorShape

_GRADIENTS: dict = {}   # op type -> gradient function(op, *grads) -> list of input grads
_OPS: dict = {}         # op type -> Op subclass


class Op:
    """Base class of all op kinds (see the module docstring)."""

    type: str = ""
    num_outputs = 1
    returns_stored = False   # the output may be an array the session keeps (a constant, a variable)
    view_of_input = False    # the output may be a view of input 0 (identity, reshape)
    ref_inputs: tuple = ()   # inputs that are variables written in place (Assign, Apply*)

    def __init__(self, **attrs):
        self.__dict__.update(attrs)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.type:
            _OPS[cls.type] = cls
            if "gradient" in cls.__dict__:
                _GRADIENTS[cls.type] = lambda op, *grads: op.kind.gradient(op, *grads)

    def infer(self, *inputs):
        """(dtype, TensorShape) of the output -- by default those of the first input."""
        return inputs[0].dtype.base_dtype, inputs[0].shape

    def forward(self, *arrays):
        raise NotImplementedError(f"{self.type} has no forward computation")

    def kernel(self, op: Operation, session):
        """The function a Session calls with the input arrays; stateful ops bind the session here."""
        return self.forward

    def node_attrs(self, inputs) -> dict:
        """The attrs TF1 shows in the NodeDef: ``T`` (the input dtype) and this op's own attrs."""
        attrs = {"T": inputs[0].dtype.base_dtype} if inputs else {}
        attrs.update((k, v) for k, v in vars(self).items() if not k.startswith("_"))
        return attrs


def RegisterGradient(op_type: str):
    """``tf.RegisterGradient``: decorate ``fn(op, grad) -> [input grads]`` as ``op_type``'s gradient."""
    def register(fn):
        _GRADIENTS[op_type] = fn
        return fn

    return register


def NotDifferentiable(op_type: str) -> None:
    """``tf.NoGradient``: declare that ``op_type`` has no gradient (tf.gradients gives None through it)."""
    _GRADIENTS[op_type] = None


NoGradient = NotDifferentiable


def gradient_function(op_type: str):
    """The registered gradient of ``op_type``: a function, None (not differentiable), or LookupError."""
    if op_type not in _GRADIENTS:
        raise LookupError(f"No gradient defined for operation '{op_type}' (op type: {op_type})")
    return _GRADIENTS[op_type]


def registered_ops() -> dict:
    return dict(_OPS)


# ---- shape errors: TF1's message names the node, its inputs and their shapes -----------------
class ShapeError(ValueError):
    """Raised by ``infer``; ``create_op`` adds the node description TF1 prints."""


def _shape_list(shape: TensorShape) -> str:
    if shape.dims is None:
        return "?"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in shape.dims) + "]"


def _attr_value(value) -> str:
    if isinstance(value, dtypes.DType):
        return value.datatype_name
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _describe_node(kind: Op, name: str, inputs) -> str:
    attrs = ", ".join(f"{k}={_attr_value(v)}" for k, v in sorted(kind.node_attrs(inputs).items())
                      if not isinstance(v, np.ndarray))
    names = ", ".join(t.op.name if t.value_index == 0 else t.name for t in inputs)
    shapes = ", ".join(_shape_list(t.shape) for t in inputs)
    return f"'{{{{node {name}}}}} = {kind.type}[{attrs}]({names})' with input shapes: {shapes}"


def create_op(kind: Op, inputs, name: str, graph=None) -> Operation:
    """Add an Operation of ``kind`` with these input Tensors; ``name`` ending in '/' is used as is."""
    graph = graph or get_default_graph()
    name = name[:-1] if name.endswith("/") else graph.unique_name(name)
    try:
        out_types = kind.infer(*inputs)
    except ShapeError as e:
        raise ValueError(f"{e} for {_describe_node(kind, name, inputs)}.") from None
    if kind.num_outputs == 1:
        out_types = [out_types]
    op = Operation(graph, kind, name, inputs, graph._current_control_inputs(inputs), out_types)
    if graph._guards:
        op._guards = tuple(graph._guards)
    graph._add_op(op)
    return op


def apply_op(kind: Op, args=(), name=None, arg_names=("x", "y"), same_dtype=True):
    """Add ``kind`` to the graph with inputs ``args`` (Tensors or Python values).

    Python values become Consts named after the argument inside the op's scope
    (``add/y``); with ``same_dtype`` they take the dtype of the tensor inputs, and
    tensors of different dtypes are refused with TF1's TypeError.  Returns the output
    Tensor (a list for multi-output ops, the Operation for ops without outputs).
    """
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
    target = next((a.dtype.base_dtype for a in map(_as_tensor_or_none, args) if a is not None), None)
    inputs = []
    for value, arg_name in zip(args, arg_names):
        tensor = _as_tensor_or_none(value)
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
        return value
    if hasattr(value, "_as_graph_element"):
        return value.value()
    return None


# ---- Const and convert_to_tensor ------------------------------------------------------------
class Const(Op):
    """A constant: the value is stored in the graph and returned by every run."""

    type = "Const"
    returns_stored = True

    def infer(self):
        return dtypes.as_dtype(self.value.dtype), TensorShape(self.value.shape)

    def kernel(self, op, session):
        value = from_numpy(self.value)
        return lambda: value

    def node_attrs(self, inputs):
        return {"dtype": dtypes.as_dtype(self.value.dtype), "value": self.value}


_list_converter = None  # set by array_ops: a list holding Tensors becomes a `Pack` op


def _plain(value):
    """Lists of Dimensions/ints -> plain ints (``[x.get_shape()[1], 200]`` is a valid shape)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and type(value).__name__ == "Dimension":
        return value.value
    return value


def _contains_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


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


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, op_type=None, dtype_hint=None) -> Tensor:
    """``tf.convert_to_tensor``: a Tensor as is, a Variable's value, or a new Const for a Python value."""
    if isinstance(value, Tensor):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor "
                             f"with dtype {value.dtype.name}: {value!r}")
        return value
    if hasattr(value, "_as_graph_element"):
        return convert_to_tensor(value.value(), dtype, name)
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        return _list_converter(value, dtype, name or "packed")
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

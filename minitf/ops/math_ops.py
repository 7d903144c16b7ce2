"""Math ops: element-wise arithmetic, matmul, reductions, casts (notebooks 01-03).

Each op type has its shape rule, its computation and its gradient in one place; the element-wise
ops are one line each (kernel, gradient), like JAX's primitives.  The lowercase functions are the
``tf.*`` API; the Python operators on tensors (``a + b``) call them with TF1's base names
(``add``, not ``Add``).
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import xp
from ..graph import Tensor, name_scope
from ..tensor_shape import TensorShape
from .array_ops import identity, range_, where, zeros_like, ones_like
from .base import Op, ShapeError, apply_op, constant_value, convert_to_tensor, create_op
from .shape_ops import Reduction, Sum, broadcast_shape, rank, reduce_to_shape, size


# ---- element-wise ops: one line each -------------------------------------------------------------
# ``gradient`` gets the op's input(s), its output and the incoming gradient; with two inputs it
# returns both inputs' gradients before the broadcasting is undone (``reduce_to_shape``).
def _unary_op(type_name: str, forward, gradient=None) -> type:
    """An element-wise op of one input; ``gradient(x, y, grad)`` is x's gradient (None: not differentiable)."""
    def op_gradient(self, op, grad):
        return [gradient(op.inputs[0], op.outputs[0], grad)]

    return type(type_name, (Op,), {"type": type_name, "forward": staticmethod(forward),
                                   "gradient": op_gradient if gradient else None})


class _Binary(Op):
    def infer(self, x, y):
        return x.dtype.base_dtype, broadcast_shape(x.shape, y.shape)


class _Compare(_Binary):
    def infer(self, x, y):
        return dtypes.bool, broadcast_shape(x.shape, y.shape)


def _binary_op(type_name: str, forward, gradient=None, base=_Binary) -> type:
    """An element-wise op of two inputs that broadcast; ``gradient(x, y, z, grad) -> (gx, gy)``."""
    def op_gradient(self, op, grad):
        x, y = op.inputs
        gx, gy = gradient(x, y, op.outputs[0], grad)
        return [reduce_to_shape(gx, x, y), reduce_to_shape(gy, y, x)]

    return type(type_name, (base,), {"type": type_name, "forward": staticmethod(forward),
                                     "gradient": op_gradient if gradient else None})


def _div_no_nan(x, y):
    """``x / y``, but 0 where ``y`` is 0 (``tf.div_no_nan``; the losses average with it)."""
    zero = y == 0
    return xp.where(zero, xp.zeros((), x.dtype), x / xp.where(zero, xp.ones((), y.dtype), y))


def _pow_gradient(x, y, z, grad):
    safe_log = where(greater(x, 0), log(where(greater(x, 0), x, ones_like(x))), zeros_like(x))
    return multiply(grad, multiply(y, pow_(x, subtract(y, 1)))), multiply(grad, multiply(z, safe_log))


def _pick(mask, grad):
    """``grad`` where ``mask`` holds for the first input, elsewhere for the second (max, min)."""
    zeros = zeros_like(grad)
    return where(mask, grad, zeros), where(mask, zeros, grad)


def _squared_difference_gradient(x, y, z, grad):
    g = multiply(multiply(grad, 2.0), subtract(x, y))
    return g, negative(g)


AddV2 = _binary_op("AddV2", xp.add, lambda x, y, z, g: (g, g))
Sub = _binary_op("Sub", xp.subtract, lambda x, y, z, g: (g, negative(g)))
Mul = _binary_op("Mul", xp.multiply, lambda x, y, z, g: (multiply(g, y), multiply(x, g)))
RealDiv = _binary_op("RealDiv", xp.true_divide,
                     lambda x, y, z, g: (divide(g, y), multiply(g, divide(divide(negative(x), y), y))))
DivNoNan = _binary_op("DivNoNan", _div_no_nan,
                      lambda x, y, z, g: (div_no_nan(g, y), multiply(g, div_no_nan(div_no_nan(negative(x), y), y))))
FloorDiv = _binary_op("FloorDiv", xp.floor_divide)
FloorMod = _binary_op("FloorMod", xp.mod, lambda x, y, z, g: (g, multiply(g, negative(floor(divide(x, y))))))
Pow = _binary_op("Pow", xp.power, _pow_gradient)
Maximum = _binary_op("Maximum", xp.maximum, lambda x, y, z, g: _pick(greater_equal(x, y), g))
Minimum = _binary_op("Minimum", xp.minimum, lambda x, y, z, g: _pick(less_equal(x, y), g))
SquaredDifference = _binary_op("SquaredDifference", lambda x, y: (x - y) * (x - y), _squared_difference_gradient)
Equal = _binary_op("Equal", xp.equal, base=_Compare)
NotEqual = _binary_op("NotEqual", xp.not_equal, base=_Compare)
Less = _binary_op("Less", xp.less, base=_Compare)
LessEqual = _binary_op("LessEqual", xp.less_equal, base=_Compare)
Greater = _binary_op("Greater", xp.greater, base=_Compare)
GreaterEqual = _binary_op("GreaterEqual", xp.greater_equal, base=_Compare)
LogicalAnd = _binary_op("LogicalAnd", xp.logical_and, base=_Compare)
LogicalOr = _binary_op("LogicalOr", xp.logical_or, base=_Compare)

Neg = _unary_op("Neg", xp.negative, lambda x, y, g: negative(g))
Log = _unary_op("Log", xp.log, lambda x, y, g: multiply(g, reciprocal(x)))
Log1p = _unary_op("Log1p", xp.log1p, lambda x, y, g: divide(g, add(x, 1)))
Exp = _unary_op("Exp", xp.exp, lambda x, y, g: multiply(g, y))
Sqrt = _unary_op("Sqrt", xp.sqrt, lambda x, y, g: divide(multiply(g, 0.5), y))
Rsqrt = _unary_op("Rsqrt", lambda x: 1 / xp.sqrt(x),
                  lambda x, y, g: multiply(g, multiply(-0.5, multiply(y, multiply(y, y)))))
Square = _unary_op("Square", xp.square, lambda x, y, g: multiply(g, multiply(2.0, x)))
Reciprocal = _unary_op("Reciprocal", xp.reciprocal, lambda x, y, g: negative(multiply(g, multiply(y, y))))
Abs = _unary_op("Abs", xp.abs, lambda x, y, g: multiply(g, sign(x)))
Sign = _unary_op("Sign", xp.sign, lambda x, y, g: zeros_like(x))
Sigmoid = _unary_op("Sigmoid", lambda x: 0.5 * (xp.tanh(0.5 * x) + 1),   # 1 / (1 + e^-x) without overflow
                    lambda x, y, g: multiply(g, multiply(y, subtract(1.0, y))))
Tanh = _unary_op("Tanh", xp.tanh, lambda x, y, g: multiply(g, subtract(1.0, square(y))))
Sin = _unary_op("Sin", xp.sin, lambda x, y, g: multiply(g, cos(x)))
Cos = _unary_op("Cos", xp.cos, lambda x, y, g: negative(multiply(g, sin(x))))
Floor = _unary_op("Floor", xp.floor)
Ceil = _unary_op("Ceil", xp.ceil)
Round = _unary_op("Round", xp.round)
LogicalNot = _unary_op("LogicalNot", xp.logical_not)


# ---- matmul --------------------------------------------------------------------------------
class MatMul(Op):
    """``a @ b`` of 2-D tensors, optionally transposing either (``BatchMatMulV2`` for higher ranks)."""

    type = "MatMul"

    def __init__(self, transpose_a=False, transpose_b=False):
        self.transpose_a, self.transpose_b = bool(transpose_a), bool(transpose_b)

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "grad_a": False, "grad_b": False,
                "transpose_a": self.transpose_a, "transpose_b": self.transpose_b}

    def infer(self, a, b):
        if a.shape.dims is None or b.shape.dims is None:
            return a.dtype.base_dtype, TensorShape(None)
        sa, sb = a.shape.as_list(), b.shape.as_list()
        if self.transpose_a:
            sa[-2], sa[-1] = sa[-1], sa[-2]
        if self.transpose_b:
            sb[-2], sb[-1] = sb[-1], sb[-2]
        if len(sa) < 2 or len(sb) < 2:
            raise ShapeError(f"Shape must be rank 2 but is rank {min(len(sa), len(sb))}")
        k1, k2 = sa[-1], sb[-2]
        if k1 is not None and k2 is not None and k1 != k2:
            raise ShapeError(f"Dimensions must be equal, but are {k1} and {k2}")
        batch = broadcast_shape(TensorShape(sa[:-2]), TensorShape(sb[:-2])).as_list()
        return a.dtype.base_dtype, TensorShape(batch + [sa[-2], sb[-1]])

    def forward(self, a, b):
        if self.transpose_a:
            a = a.swapaxes(-1, -2)
        if self.transpose_b:
            b = b.swapaxes(-1, -2)
        return a @ b

    def gradient(self, op, grad):
        a, b = op.inputs
        ta, tb = self.transpose_a, self.transpose_b
        if not ta and not tb:
            return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
        if not ta and tb:
            return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
        if ta and not tb:
            return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
        return [matmul(b, grad, transpose_a=True, transpose_b=True),
                matmul(grad, a, transpose_a=True, transpose_b=True)]


class BatchMatMulV2(MatMul):
    """A batch of matrix products: the dimensions before the last two broadcast, like numpy's ``@``.

    ``x`` of shape ``(?, 2, 3)`` times ``W`` of shape ``(3, 4)`` multiplies every ``2 x 3`` matrix
    of the batch by the same ``W``, so ``W``'s gradient is the sum over the batch: ``(3, 4)``.
    """

    type = "BatchMatMulV2"

    def __init__(self, adj_x=False, adj_y=False):
        super().__init__(adj_x, adj_y)

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "adj_x": self.transpose_a, "adj_y": self.transpose_b}

    def gradient(self, op, grad):
        a, b = op.inputs
        grad_a, grad_b = super().gradient(op, grad)
        return [reduce_to_shape(grad_a, a, b), reduce_to_shape(grad_b, b, a)]   # sum over broadcast batch dims


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None) -> Tensor:
    """``tf.matmul``: matrix product; ``[None,784] x [784,200]`` has shape ``(?, 200)``.

    Above rank 2 (or at an unknown rank) it is TF1's ``BatchMatMulV2``: a product per matrix of
    the batch, with the batch dimensions broadcast.
    """
    ranks = [t.shape.ndims if isinstance(t, Tensor) or hasattr(t, "_as_graph_element") else np.ndim(t)
             for t in (a, b)]
    transpose_a, transpose_b = transpose_a or adjoint_a, transpose_b or adjoint_b
    kind = MatMul(transpose_a, transpose_b) if ranks == [2, 2] else BatchMatMulV2(transpose_a, transpose_b)
    return apply_op(kind, (a, b), name or "MatMul", arg_names=("a", "b"))


# ---- reductions (Reduction and Sum are in shape_ops.py) ----------------------------------------
class Mean(Reduction):
    type = "Mean"

    def reduce(self, x, axis):
        if x.dtype.kind in "iu":  # TF1's integer mean truncates: mean([1, 2]) == 1
            total = xp.sum(x, axis=axis, keepdims=self.keep_dims)
            count = x.size // max(total.size, 1) if x.size else 1
            return (total / count).astype(x.dtype)
        return xp.mean(x, axis=axis, keepdims=self.keep_dims)

    def gradient(self, op, grad):
        x, y = op.inputs[0], op.outputs[0]
        if x.shape.is_fully_defined() and y.shape.is_fully_defined():
            count = max(x.shape.num_elements(), 1) // max(y.shape.num_elements(), 1)
            factor = convert_to_tensor(count, dtype=x.dtype.base_dtype)
        elif y.shape.num_elements() == 1:   # a mean over everything (the usual loss): divide by x's size
            factor = cast(size(x), x.dtype.base_dtype)
        else:
            factor = cast(divide(size(x), maximum(size(y), 1)), x.dtype.base_dtype)
        return [self.broadcast_back(op, divide(grad, factor)), None]   # divide the small tensor


class _Extreme(Reduction):
    """Max and Min: the gradient flows to the extreme elements, shared equally between ties (as TF1)."""

    def gradient(self, op, grad):
        x, axes = op.inputs
        hits = cast(equal(x, self.broadcast_back(op, op.outputs[0])), x.dtype.base_dtype)
        count = self.broadcast_back(op, apply_op(Sum(), (hits, axes), "Sum", same_dtype=False,
                                                 arg_names=("input", "reduction_indices")))
        return [divide(multiply(hits, self.broadcast_back(op, grad)), count), None]


class Max(_Extreme):
    type = "Max"

    def reduce(self, x, axis):
        return xp.max(x, axis=axis, keepdims=self.keep_dims)


class Min(_Extreme):
    type = "Min"

    def reduce(self, x, axis):
        return xp.min(x, axis=axis, keepdims=self.keep_dims)


class Prod(Reduction):
    type = "Prod"

    def reduce(self, x, axis):
        return xp.prod(x, axis=axis, keepdims=self.keep_dims)

    def gradient(self, op, grad):
        x, y = op.inputs[0], op.outputs[0]
        return [divide(multiply(self.broadcast_back(op, grad), self.broadcast_back(op, y)), x), None]  # where x != 0


class All(Reduction):
    type = "All"
    gradient = None

    def reduce(self, x, axis):
        return xp.all(x, axis=axis, keepdims=self.keep_dims)


class Any(Reduction):
    type = "Any"
    gradient = None

    def reduce(self, x, axis):
        return xp.any(x, axis=axis, keepdims=self.keep_dims)


def _reduction(kind_cls, input_tensor, axis, keepdims, name, default_name, reduction_indices=None,
               keep_dims=None):
    if axis is None:
        axis = reduction_indices
    if keepdims is None:
        keepdims = keep_dims or False
    x = convert_to_tensor(input_tensor)
    if axis is None:
        rank = x.shape.ndims
        # TF1 makes the axes a Const named "Const" in the current scope (not inside the op's)
        axes = _all_axes(x) if rank is None else convert_to_tensor(np.arange(rank, dtype=np.int32))
        kind = kind_cls(keep_dims=keepdims, reduce_all=True)
        return apply_op(kind, (x, axes), name or default_name, same_dtype=False,
                        arg_names=("input", "reduction_indices"))
    if isinstance(axis, (list, tuple)) and not axis:
        axis = np.zeros(0, np.int32)
    return apply_op(kind_cls(keep_dims=keepdims), (x, axis), name or default_name, same_dtype=False,
                    arg_names=("input", "reduction_indices"))


def _all_axes(x: Tensor) -> Tensor:
    return range_(0, rank(x))


def _reducer(kind_cls, default_name: str, doc: str):
    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        return _reduction(kind_cls, input_tensor, axis, keepdims, name, default_name, reduction_indices, keep_dims)

    reduce.__name__ = "reduce_" + default_name.lower()
    reduce.__doc__ = doc
    return reduce


reduce_sum = _reducer(Sum, "Sum", "``tf.reduce_sum``: sum over ``axis`` (all axes by default).")
reduce_mean = _reducer(Mean, "Mean", "``tf.reduce_mean``: mean over ``axis``; integer tensors get an integer "
                                     "(truncated) mean.")
reduce_max = _reducer(Max, "Max", "``tf.reduce_max``: the largest value over ``axis``.")
reduce_min = _reducer(Min, "Min", "``tf.reduce_min``: the smallest value over ``axis``.")
reduce_prod = _reducer(Prod, "Prod", "``tf.reduce_prod``: the product over ``axis``.")
reduce_all = _reducer(All, "All", "``tf.reduce_all``: logical and over ``axis``.")
reduce_any = _reducer(Any, "Any", "``tf.reduce_any``: logical or over ``axis``.")


class ArgMax(Op):
    type = "ArgMax"
    gradient = None

    def __init__(self, output_type=dtypes.int64):
        self.output_type = dtypes.as_dtype(output_type)

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tidx": inputs[1].dtype, "output_type": self.output_type}

    def infer(self, x, dimension):
        axis = constant_value(dimension)
        if x.shape.dims is None or axis is None:
            return self.output_type, TensorShape(None)
        dims = x.shape.as_list()
        del dims[int(axis) % len(dims)]
        return self.output_type, TensorShape(dims)

    def forward(self, x, dimension):
        return self.find(x, axis=int(dimension)).astype(self.output_type.as_numpy_dtype)

    find = staticmethod(xp.argmax)


class ArgMin(ArgMax):
    type = "ArgMin"
    find = staticmethod(xp.argmin)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """``tf.argmax``: index of the largest value along ``axis`` (int64; ties -> first index)."""
    axis = 0 if axis is None and dimension is None else (axis if axis is not None else dimension)
    return apply_op(ArgMax(output_type), (input, axis), name or "ArgMax", same_dtype=False,
                    arg_names=("input", "dimension"))


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    axis = 0 if axis is None and dimension is None else (axis if axis is not None else dimension)
    return apply_op(ArgMin(output_type), (input, axis), name or "ArgMin", same_dtype=False,
                    arg_names=("input", "dimension"))


# ---- casts and n-ary ops -------------------------------------------------------------------
class Cast(Op):
    """Change the element type; float -> int truncates toward zero, bool -> float gives 0./1."""

    type = "Cast"

    def __init__(self, DstT):
        self.DstT = DstT
        self._np_type = DstT.as_numpy_dtype

    def node_attrs(self, inputs):
        return {"SrcT": inputs[0].dtype.base_dtype, "DstT": self.DstT, "Truncate": False}

    def infer(self, x):
        return self.DstT, x.shape

    def forward(self, x):
        return x.astype(self._np_type)

    def gradient(self, op, grad):
        source = op.inputs[0].dtype.base_dtype
        if (source.is_floating or source.is_complex) and (self.DstT.is_floating or self.DstT.is_complex):
            return [cast(grad, source)]
        return [None]


def cast(x, dtype, name=None) -> Tensor:
    """``tf.cast``: ``x`` with element type ``dtype`` (``x`` itself when it already has it)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return create_op(Cast(DstT=dtype), [x], scope).outputs[0]


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


class AddN(Op):
    """The sum of several tensors of the same shape (tf.gradients uses it to add up gradients)."""

    type = "AddN"

    def infer(self, *inputs):
        shape = inputs[0].shape
        for t in inputs[1:]:
            shape = shape.merge_with(t.shape)
        return inputs[0].dtype.base_dtype, shape

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "N": len(inputs)}

    def forward(self, *arrays):
        total = arrays[0] + arrays[1]
        for a in arrays[2:]:
            total += a
        return total

    def gradient(self, op, grad):
        return [grad] * len(op.inputs)


def add_n(inputs, name=None) -> Tensor:
    """``tf.add_n``: element-wise sum of a list of tensors."""
    inputs = list(inputs)
    if len(inputs) == 1:
        return convert_to_tensor(inputs[0]) if name is None else identity(inputs[0], name=name)
    return apply_op(AddN(), inputs, name or "AddN", arg_names=[f"inputs_{i}" for i in range(len(inputs))])


# ---- the tf.* functions --------------------------------------------------------------------
def _binary(kind_cls, default_name):
    def fn(x, y, name=None):
        return apply_op(kind_cls(), (x, y), name or default_name)

    fn.__name__ = default_name.lower()
    fn.__doc__ = f"``tf.{fn.__name__}``: element-wise, with numpy broadcasting (op type {kind_cls.type})."
    return fn


add = _binary(AddV2, "Add")
subtract = _binary(Sub, "Sub")
multiply = _binary(Mul, "Mul")
maximum = _binary(Maximum, "Maximum")
minimum = _binary(Minimum, "Minimum")
squared_difference = _binary(SquaredDifference, "SquaredDifference")
equal = _binary(Equal, "Equal")
not_equal = _binary(NotEqual, "NotEqual")
less = _binary(Less, "Less")
less_equal = _binary(LessEqual, "LessEqual")
greater = _binary(Greater, "Greater")
greater_equal = _binary(GreaterEqual, "GreaterEqual")
logical_and = _binary(LogicalAnd, "LogicalAnd")
logical_or = _binary(LogicalOr, "LogicalOr")
mod = floormod = _binary(FloorMod, "FloorMod")
sub, mul = subtract, multiply


def pow_(x, y, name=None) -> Tensor:
    """``tf.pow``: ``x ** y`` element-wise."""
    return apply_op(Pow(), (x, y), name or "Pow")


def divide(x, y, name=None) -> Tensor:
    """``tf.divide`` and ``/``: true division; two int32 tensors give float64 (``11 / 5 = 2.2``)."""
    return truediv(x, y, name)


def truediv(x, y, name=None) -> Tensor:
    with name_scope(name, "truediv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(f"x and y must have the same dtype, got {x.dtype.base_dtype!r} != {y.dtype.base_dtype!r}")
        if x.dtype.is_integer:
            target = dtypes.float64 if x.dtype.size >= 4 else dtypes.float32
            x, y = cast(x, target), cast(y, target)
        return create_op(RealDiv(), [x, y], scope).outputs[0]


def div_no_nan(x, y, name=None) -> Tensor:
    """``tf.div_no_nan``: ``x / y`` element-wise, 0 where ``y == 0``."""
    return apply_op(DivNoNan(), (x, y), name or "div_no_nan")


def floordiv(x, y, name=None) -> Tensor:
    """``tf.floordiv`` and ``//``: floor division (``-7 // 2 == -4``); ints stay ints."""
    with name_scope(name, "floordiv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.is_floating:
            return create_op(Floor(), [create_op(RealDiv(), [x, y], "truediv").outputs[0]], scope).outputs[0]
        return create_op(FloorDiv(), [x, y], scope).outputs[0]


def div(x, y, name=None) -> Tensor:
    """``tf.div`` (deprecated in TF1): Python 2 division -- floor for ints, true for floats."""
    x = convert_to_tensor(x, name="x")
    if x.dtype.is_integer:
        return apply_op(FloorDiv(), (x, y), name or "div")
    return apply_op(RealDiv(), (x, y), name or "div")


def _unary(kind_cls, default_name):
    def fn(x, name=None):
        return apply_op(kind_cls(), (x,), name or default_name)

    fn.__name__ = default_name.lower()
    fn.__doc__ = f"``tf.{fn.__name__}`` element-wise (op type {kind_cls.type})."
    return fn


negative = _unary(Neg, "Neg")
log = _unary(Log, "Log")
log1p = _unary(Log1p, "Log1p")
exp = _unary(Exp, "Exp")
sqrt = _unary(Sqrt, "Sqrt")
rsqrt = _unary(Rsqrt, "Rsqrt")
square = _unary(Square, "Square")
reciprocal = _unary(Reciprocal, "Reciprocal")
abs_ = _unary(Abs, "Abs")
sign = _unary(Sign, "Sign")
sigmoid = _unary(Sigmoid, "Sigmoid")
tanh = _unary(Tanh, "Tanh")
sin = _unary(Sin, "Sin")
cos = _unary(Cos, "Cos")
floor = _unary(Floor, "Floor")
ceil = _unary(Ceil, "Ceil")
round_ = _unary(Round, "Round")
logical_not = _unary(LogicalNot, "LogicalNot")


# ---- Python operators on tensors (TF1's base names: a+b is `add`, tf.add is `Add`) ----------
def _operator(kind_cls, base_name):
    def forward(x, y):
        return apply_op(kind_cls(), (x, y), base_name)

    def reflected(y, x):
        return apply_op(kind_cls(), (x, y), base_name)

    return forward, reflected


def _install_operators() -> None:
    pairs = {
        "add": (AddV2, "add"), "sub": (Sub, "sub"), "mul": (Mul, "mul"), "pow": (Pow, "pow"),
        "mod": (FloorMod, "mod"), "and": (LogicalAnd, "and"), "or": (LogicalOr, "or"),
    }
    for dunder, (kind_cls, base) in pairs.items():
        forward, reflected = _operator(kind_cls, base)
        setattr(Tensor, f"__{dunder}__", forward)
        setattr(Tensor, f"__r{dunder}__", reflected)
    Tensor.__truediv__ = lambda x, y: truediv(x, y, "truediv")
    Tensor.__rtruediv__ = lambda y, x: truediv(x, y, "truediv")
    Tensor.__floordiv__ = lambda x, y: floordiv(x, y, "floordiv")
    Tensor.__rfloordiv__ = lambda y, x: floordiv(x, y, "floordiv")
    Tensor.__matmul__ = lambda x, y: matmul(x, y, name="matmul")
    Tensor.__rmatmul__ = lambda y, x: matmul(x, y, name="matmul")
    Tensor.__neg__ = lambda x: negative(x)
    Tensor.__abs__ = lambda x: abs_(x)
    Tensor.__invert__ = lambda x: logical_not(x)
    # inside a tf.function (TF2 code) == compares values, as in TF2; in a TF1 graph it is identity, as in TF1
    Tensor.__eq__ = lambda x, y: equal(x, y) if x.graph.building_function else x is y
    Tensor.__ne__ = lambda x, y: not_equal(x, y) if x.graph.building_function else x is not y
    Tensor.__lt__ = lambda x, y: less(x, y)
    Tensor.__le__ = lambda x, y: less_equal(x, y)
    Tensor.__gt__ = lambda x, y: greater(x, y)
    Tensor.__ge__ = lambda x, y: greater_equal(x, y)


_install_operators()

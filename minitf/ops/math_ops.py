"""Math ops: element-wise arithmetic, matmul, reductions, casts (notebooks 01-03).

Each op type has its shape rule, its computation and its gradient in one place; the element-wise
ops are one line each (kernel, gradient), like JAX's primitives.  The lowercase functions are the
``tf.*`` API; the Python operators on tensors (``a + b``) call them with TF1's base names
(``add``, not ``Add``).
"""
from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..backend import from_numpy, to_numpy, xp
from ..graph import Tensor, name_scope
from ..tensor_shape import TensorShape
from .array_ops import (Cast, cast, concat, expand_dims, eye, gather, identity, ones_like, range_, squeeze, stack,  # noqa: F401
                        stop_gradient, transpose, where, zeros, zeros_like)
from ..errors import InternalError, InvalidArgumentError
from .base import (FLOAT_AND_COMPLEX, INDEX_TYPES, NUMBER_TYPES, REAL_NUMBER_TYPES, SIGNED_AND_COMPLEX, Op, ShapeError,
                   apply_op, constant_value, convert_to_tensor, create_op, shape_list)
from .shape_ops import (Reduction, Sum, broadcast_shape, check_axis, merge_shapes, rank, reduce_to_shape, reshape,
                        shape, size)


REAL_FLOAT_TYPES = FLOAT_AND_COMPLEX[:4]   # in the order TF1's messages list them


# ---- element-wise ops: one line each -------------------------------------------------------------
# The dtypes TF1's element-wise arithmetic takes (Sub, Mul, RealDiv, FloorDiv; AddV2 lacks uint16).
ARITHMETIC_TYPES = ("bfloat16", "float16", "float32", "float64", "uint8", "int8", "uint16", "int16", "int32", "int64",
                    "complex64", "complex128")
COMPARABLE_TYPES = ("bfloat16", "float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64",
                    "complex64", "quint8", "qint8", "qint32", "string", "bool", "complex128")

# ``gradient`` gets the op's input(s), its output and the incoming gradient; with two inputs it
# returns both inputs' gradients before the broadcasting is undone (``reduce_to_shape``).
def _unary_op(type_name: str, forward, gradient=None, allowed=FLOAT_AND_COMPLEX, base=Op) -> type:
    """An element-wise op of one input; ``gradient(x, y, grad)`` is x's gradient (None: not differentiable);
    ``allowed``: the dtypes TF1 takes (one name for a fixed type)."""
    def op_gradient(self, op, grad):
        return [gradient(op.inputs[0], op.outputs[0], grad)]

    return type(type_name, (base,), {"type": type_name, "forward": staticmethod(forward),
                                   "gradient": op_gradient if gradient else None,
                                   "allowed_dtypes": {0: ("x", allowed)}})


class _Binary(Op):
    folds = True

    def infer(self, x, y):
        return x.dtype.base_dtype, broadcast_shape(x.shape, y.shape)

    def kernel_error(self, error, x, y):
        if not _broadcastable(x.shape, y.shape):
            return InvalidArgumentError(None, None, f"Incompatible shapes: {shape_list(x.shape)} vs. "
                                                    f"{shape_list(y.shape)}")
        return None


def _broadcastable(a: tuple, b: tuple) -> bool:
    return all(m == n or 1 in (m, n) for m, n in zip(a[::-1], b[::-1]))



class _Test(Op):
    """An element-wise test of one input: a bool tensor of its shape (IsNan, IsInf, IsFinite)."""

    def infer(self, x):
        return dtypes.bool, x.shape


class _Compare(_Binary):
    def infer(self, x, y):
        return dtypes.bool, broadcast_shape(x.shape, y.shape)


def _binary_op(type_name: str, forward, gradient=None, base=_Binary, allowed=ARITHMETIC_TYPES, first="x") -> type:
    """An element-wise op of two inputs that broadcast; ``gradient(x, y, z, grad) -> (gx, gy)``."""
    def op_gradient(self, op, grad):
        x, y = op.inputs
        gx, gy = gradient(x, y, op.outputs[0], grad)
        return [reduce_to_shape(gx, x, y), reduce_to_shape(gy, y, x)]

    return type(type_name, (base,), {"type": type_name, "forward": staticmethod(forward),
                                     "gradient": op_gradient if gradient else None,
                                     "allowed_dtypes": {0: (first, allowed)}})


def _integer_division(divide, error=InvalidArgumentError, message="Integer division by zero"):
    """``divide``, refusing an integer division by zero as TF1 does (numpy would give 0)."""
    def checked(x, y):
        if y.dtype.kind in "iu" and not xp.all(y):
            raise error(None, None, message)
        return divide(x, y)

    return checked


def _div_no_nan(x, y):
    """``x / y``, but 0 where ``y`` is 0 (``tf.div_no_nan``; the losses average with it)."""
    zero = y == 0
    return xp.where(zero, xp.zeros((), x.dtype), x / xp.where(zero, xp.ones((), y.dtype), y))


def _truncate_divide(x, y):
    """``x / y`` rounded toward zero (C's integer division: ``-7 / 2 == -3``)."""
    if x.dtype.kind in "iu":
        return (x - xp.fmod(x, y)) // y
    return xp.trunc(x / y)


def _erf(x):
    return from_numpy(np.vectorize(math.erf, otypes=[x.dtype])(to_numpy(x)))


def _atan2_gradient(y, x, z, grad):
    scale = divide(grad, add(square(x), square(y)))
    return multiply(x, scale), multiply(negative(y), scale)


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


AddV2 = _binary_op("AddV2", xp.add, lambda x, y, z, g: (g, g),
                   allowed=tuple(t for t in ARITHMETIC_TYPES if t != "uint16"))
Add = _binary_op("Add", xp.add, lambda x, y, z, g: (g, g), allowed=AddV2.allowed_dtypes[0][1] + ("string",))
Sub = _binary_op("Sub", xp.subtract, lambda x, y, z, g: (g, negative(g)))
Mul = _binary_op("Mul", xp.multiply, lambda x, y, z, g: (multiply(g, y), multiply(x, g)))
RealDiv = _binary_op("RealDiv", xp.true_divide,
                     lambda x, y, z, g: (divide(g, y), multiply(g, divide(divide(negative(x), y), y))))
DivNoNan = _binary_op("DivNoNan", _div_no_nan,
                      lambda x, y, z, g: (div_no_nan(g, y), multiply(g, div_no_nan(div_no_nan(negative(x), y), y))),
                      allowed=("float16", "float32", "float64", "complex64", "complex128"))
FloorDiv = _binary_op("FloorDiv", _integer_division(xp.floor_divide))
FloorMod = _binary_op("FloorMod", _integer_division(xp.mod),
                      lambda x, y, z, g: (g, multiply(g, negative(floor(divide(x, y))))),
                      allowed=("int32", "int64", "bfloat16", "float16", "float32", "float64"))
# TF1's kernels for these two fail on an integer 0 with an internal error (the message is TF1's)
_TRUNCATE_BY_ZERO = dict(error=InternalError,
                         message="Unexpected error in binary operator (only integer div and mod should have errors)")
TruncateDiv = _binary_op("TruncateDiv", _integer_division(_truncate_divide, **_TRUNCATE_BY_ZERO))
TruncateMod = _binary_op("TruncateMod", _integer_division(xp.fmod, **_TRUNCATE_BY_ZERO),
                         allowed=FloorMod.allowed_dtypes[0][1])
Atan2 = _binary_op("Atan2", xp.arctan2, _atan2_gradient, allowed=REAL_FLOAT_TYPES, first="y")


class _Power(_Binary):
    def kernel_error(self, error, x, y):
        if x.dtype.kind in "iu" and (y < 0).any():
            return InvalidArgumentError(None, None, "Integers to negative integer powers are not allowed")
        return super().kernel_error(error, x, y)


Pow = _binary_op("Pow", xp.power, _pow_gradient, base=_Power,
                 allowed=("bfloat16", "float32", "float16", "float64", "int32", "int64", "complex64", "complex128"))
Maximum = _binary_op("Maximum", xp.maximum, lambda x, y, z, g: _pick(greater_equal(x, y), g),
                     allowed=("bfloat16", "float16", "float32", "float64", "int32", "int64"))
Minimum = _binary_op("Minimum", xp.minimum, lambda x, y, z, g: _pick(less_equal(x, y), g),
                     allowed=("bfloat16", "float16", "float32", "float64", "int32", "int64"))
SquaredDifference = _binary_op("SquaredDifference", lambda x, y: (x - y) * (x - y), _squared_difference_gradient,
                               allowed=SIGNED_AND_COMPLEX)
Equal = _binary_op("Equal", xp.equal, base=_Compare, allowed=COMPARABLE_TYPES)
NotEqual = _binary_op("NotEqual", xp.not_equal, base=_Compare, allowed=COMPARABLE_TYPES)
Less = _binary_op("Less", xp.less, base=_Compare, allowed=REAL_NUMBER_TYPES)
LessEqual = _binary_op("LessEqual", xp.less_equal, base=_Compare, allowed=REAL_NUMBER_TYPES)
Greater = _binary_op("Greater", xp.greater, base=_Compare, allowed=REAL_NUMBER_TYPES)
GreaterEqual = _binary_op("GreaterEqual", xp.greater_equal, base=_Compare, allowed=REAL_NUMBER_TYPES)
LogicalAnd = _binary_op("LogicalAnd", xp.logical_and, base=_Compare, allowed="bool")
LogicalOr = _binary_op("LogicalOr", xp.logical_or, base=_Compare, allowed="bool")

Neg = _unary_op("Neg", xp.negative, lambda x, y, g: negative(g), allowed=SIGNED_AND_COMPLEX)
Log = _unary_op("Log", xp.log, lambda x, y, g: multiply(g, reciprocal(x)))
Log1p = _unary_op("Log1p", xp.log1p, lambda x, y, g: divide(g, add(x, 1)))
Exp = _unary_op("Exp", xp.exp, lambda x, y, g: multiply(g, y))
Sqrt = _unary_op("Sqrt", xp.sqrt, lambda x, y, g: divide(multiply(g, 0.5), y))
Rsqrt = _unary_op("Rsqrt", lambda x: 1 / xp.sqrt(x),
                  lambda x, y, g: multiply(g, multiply(-0.5, multiply(y, multiply(y, y)))))
Square = _unary_op("Square", xp.square, lambda x, y, g: multiply(g, multiply(2.0, x)), allowed=SIGNED_AND_COMPLEX)
Reciprocal = _unary_op("Reciprocal", xp.reciprocal, lambda x, y, g: negative(multiply(g, multiply(y, y))),
                       allowed=SIGNED_AND_COMPLEX)
Abs = _unary_op("Abs", xp.abs, lambda x, y, g: multiply(g, sign(x)),
                allowed=("bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64"))
Sign = _unary_op("Sign", xp.sign, lambda x, y, g: zeros_like(x), allowed=SIGNED_AND_COMPLEX)
Sigmoid = _unary_op("Sigmoid", lambda x: 0.5 * (xp.tanh(0.5 * x) + 1),   # 1 / (1 + e^-x) without overflow
                    lambda x, y, g: multiply(g, multiply(y, subtract(1.0, y))))
Tanh = _unary_op("Tanh", xp.tanh, lambda x, y, g: multiply(g, subtract(1.0, square(y))))
Sin = _unary_op("Sin", xp.sin, lambda x, y, g: multiply(g, cos(x)))
Cos = _unary_op("Cos", xp.cos, lambda x, y, g: negative(multiply(g, sin(x))))
Floor = _unary_op("Floor", xp.floor, allowed=REAL_FLOAT_TYPES)
Ceil = _unary_op("Ceil", xp.ceil, allowed=REAL_FLOAT_TYPES)
Round = _unary_op("Round", xp.round, allowed=SIGNED_AND_COMPLEX)
LogicalNot = _unary_op("LogicalNot", xp.logical_not, allowed="bool")
Tan = _unary_op("Tan", xp.tan, lambda x, y, g: multiply(g, add(1.0, square(y))))
Asin = _unary_op("Asin", xp.arcsin, lambda x, y, g: multiply(g, rsqrt(subtract(1.0, square(x)))))
Acos = _unary_op("Acos", xp.arccos, lambda x, y, g: negative(multiply(g, rsqrt(subtract(1.0, square(x))))))
Atan = _unary_op("Atan", xp.arctan, lambda x, y, g: divide(g, add(1.0, square(x))))
Sinh = _unary_op("Sinh", xp.sinh, lambda x, y, g: multiply(g, cosh(x)))
Cosh = _unary_op("Cosh", xp.cosh, lambda x, y, g: multiply(g, sinh(x)))
Erf = _unary_op("Erf", _erf, lambda x, y, g: multiply(g, multiply(2 / math.sqrt(math.pi), exp(negative(square(x))))),
                allowed=REAL_FLOAT_TYPES)
Expm1 = _unary_op("Expm1", xp.expm1, lambda x, y, g: multiply(g, exp(x)))
Rint = _unary_op("Rint", xp.rint, allowed=REAL_FLOAT_TYPES)
IsNan = _unary_op("IsNan", xp.isnan, allowed=REAL_FLOAT_TYPES, base=_Test)
IsInf = _unary_op("IsInf", xp.isinf, allowed=REAL_FLOAT_TYPES, base=_Test)
IsFinite = _unary_op("IsFinite", xp.isfinite, allowed=REAL_FLOAT_TYPES, base=_Test)


# ---- matmul --------------------------------------------------------------------------------
class MatMul(Op):
    """``a @ b`` of 2-D tensors, optionally transposing either (``BatchMatMulV2`` for higher ranks)."""

    type = "MatMul"
    allowed_dtypes = {0: ("a", SIGNED_AND_COMPLEX)}

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

    def kernel_error(self, error, a, b):
        if a.ndim == b.ndim == 2:
            return InvalidArgumentError(None, None, f"Matrix size-incompatible: In[0]: {shape_list(a.shape)}, "
                                                    f"In[1]: {shape_list(b.shape)}")
        return None

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
    allowed_dtypes = {0: ("input", "bool"), 1: ("reduction_indices", INDEX_TYPES)}

    def reduce(self, x, axis):
        return xp.all(x, axis=axis, keepdims=self.keep_dims)


class Any(Reduction):
    type = "Any"
    gradient = None
    allowed_dtypes = All.allowed_dtypes

    def reduce(self, x, axis):
        return xp.any(x, axis=axis, keepdims=self.keep_dims)


def _keepdims(keepdims, keep_dims) -> bool:
    """TF1's ``keepdims``, or its older spelling ``keep_dims``."""
    return bool(keep_dims if keepdims is None else keepdims)


def _reduction(kind_cls, input_tensor, axis, keepdims, name, default_name, reduction_indices=None,
               keep_dims=None):
    if axis is None:
        axis = reduction_indices
    keepdims = _keepdims(keepdims, keep_dims)
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


def count_nonzero(input_tensor=None, axis=None, keepdims=None, dtype=dtypes.int64, name=None, reduction_indices=None,
                  keep_dims=None, input=None) -> Tensor:
    """``tf.count_nonzero``: how many entries over ``axis`` are not zero (not False)."""
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input if input_tensor is None else input_tensor, name="input_tensor")
        nonzero = cast(not_equal(x, zeros((), x.dtype)), dtypes.int64)
        total = reduce_sum(nonzero, axis, _keepdims(keepdims, keep_dims), reduction_indices=reduction_indices)
        return cast(total, dtype)


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """``tf.reduce_logsumexp``: ``log(sum(exp(x)))`` over ``axis``, computed as TF1 does, after taking out
    the largest value (so that ``exp`` cannot overflow; an infinite largest value is left in)."""
    with name_scope(name, "ReduceLogSumExp", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        raw_max = reduce_max(x, axis, keepdims=True, reduction_indices=reduction_indices)
        my_max = stop_gradient(where(is_finite(raw_max), raw_max, zeros_like(raw_max)))
        keep = _keepdims(keepdims, keep_dims)
        result = log(reduce_sum(exp(subtract(x, my_max)), axis, keep, reduction_indices=reduction_indices))
        if not keep:
            my_max = reshape(my_max, shape(result))
        return add(result, my_max)   # (ReduceLogSumExp/Add, as TF1 names it)


class Cumsum(Op):
    """``tf.cumsum``: running sums along ``axis``; ``exclusive``: each leaves its own entry out (the first
    is 0), ``reverse``: they run from the end.  ``Cumprod`` is the same with products."""

    type = "Cumsum"
    allowed_dtypes = {0: ("x", NUMBER_TYPES), 1: ("axis", INDEX_TYPES)}
    accumulate, start = staticmethod(xp.cumsum), 0

    def __init__(self, exclusive=False, reverse=False):
        self.exclusive, self.reverse = bool(exclusive), bool(reverse)

    def infer(self, x, axis):
        if axis.shape.ndims not in (None, 0):
            raise ShapeError(f"Shape must be rank 0 but is rank {axis.shape.ndims}")
        return x.dtype.base_dtype, x.shape

    def forward(self, x, axis):
        if not -x.ndim <= int(axis) < x.ndim:
            raise InvalidArgumentError(None, None, f"ScanOp: Expected scan axis in the range [{-x.ndim}, {x.ndim}), "
                                                   f"but got {int(axis)}")
        axis = int(axis) % x.ndim
        if self.reverse:
            x = xp.flip(x, axis)
        out = self.accumulate(x, axis=axis)
        if self.exclusive:
            before = (slice(None),) * axis
            out = xp.concatenate([xp.full_like(x[before + (slice(0, 1),)], self.start), out[before + (slice(0, -1),)]],
                                 axis)
        return xp.flip(out, axis) if self.reverse else out

    def gradient(self, op, grad):
        return [cumsum(grad, op.inputs[1], self.exclusive, not self.reverse), None]


class Cumprod(Cumsum):
    type = "Cumprod"
    accumulate, start = staticmethod(xp.cumprod), 1

    def gradient(self, op, grad):   # TF1's formula: fine while no entry of x is 0
        x, axis = op.inputs
        return [divide(cumsum(multiply(op.outputs[0], grad), axis, self.exclusive, not self.reverse), x), None]


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """``tf.cumsum``: running sums along ``axis`` (see :class:`Cumsum`)."""
    return apply_op(Cumsum(exclusive, reverse), (x, axis), name or "Cumsum", ("x", "axis"), same_dtype=False)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """``tf.cumprod``: running products along ``axis`` (see :class:`Cumsum`)."""
    return apply_op(Cumprod(exclusive, reverse), (x, axis), name or "Cumprod", ("x", "axis"), same_dtype=False)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None) -> Tensor:
    """``tf.norm`` of a real tensor: a vector norm over ``axis`` (all entries by default; ``ord`` 1, 2,
    ``np.inf`` or any p > 0), or with two axes a matrix norm (``'fro'``, 1 or ``np.inf``)."""
    matrix = isinstance(axis, (list, tuple)) and len(axis) == 2
    if not (ord == "euclidean" or (matrix and ord == "fro") or (
            isinstance(ord, (int, float)) and ord > 0 and (not matrix or ord in (1, np.inf)))):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}" if not matrix else
                         f"'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, inf], got {ord}")
    with name_scope(name, "norm", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        if x.dtype.is_complex:
            raise TypeError("minitf's tf.norm takes real tensors")
        size = abs_(x)
        if ord in ("euclidean", "fro", 2):
            result = sqrt(reduce_sum(square(x), axis, keepdims=True))
        elif matrix:   # 1: the largest column sum; inf: the largest row sum
            rows, columns = axis if ord == 1 else axis[::-1]
            result = reduce_max(reduce_sum(size, rows, keepdims=True), columns, keepdims=True)
        elif ord == np.inf:
            result = reduce_max(size, axis, keepdims=True)
        elif ord == 1:
            result = reduce_sum(size, axis, keepdims=True)
        else:
            result = pow_(reduce_sum(pow_(size, float(ord)), axis, keepdims=True), 1.0 / ord)
        if _keepdims(keepdims, keep_dims):
            return identity(result, name=scope)
        return squeeze(result, None if axis is None else list(axis) if matrix else [axis], name=scope)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """``tf.math.reduce_variance``: the mean squared deviation from the mean over ``axis``."""
    with name_scope(name, "reduce_variance", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        deviations = square(subtract(x, reduce_mean(x, axis, keepdims=True)))
        return reduce_mean(deviations, axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """``tf.math.reduce_std``: the square root of ``reduce_variance``."""
    with name_scope(name, "reduce_std", [input_tensor]):
        return sqrt(reduce_variance(input_tensor, axis, keepdims))


def _as_matrix(x: Tensor, axes: list, contracted_first: bool):
    """``x`` as the matrix tensordot multiplies: its free axes (in order) by the ``axes`` it contracts
    (those first with ``contracted_first``); and the free axes' sizes, as ints when all are known
    while the graph is built, else as a tensor, with their static sizes."""
    rank = x.shape.ndims
    axes = [a % rank for a in axes]
    free = [i for i in range(rank) if i not in axes]
    dims = x.shape.as_list()
    if x.shape.is_fully_defined():
        def size_of(idx):
            return int(np.prod([dims[i] for i in idx]))
        free_dims = [dims[i] for i in free]
    else:
        sizes = shape(x)

        def size_of(idx):
            return reduce_prod(gather(sizes, np.array(idx, np.int32)))
        free_dims = gather(sizes, np.array(free, np.int32))
    perm = axes + free if contracted_first else free + axes
    matrix_shape = [size_of(axes), size_of(free)] if contracted_first else [size_of(free), size_of(axes)]
    if perm != list(range(rank)):
        x = transpose(x, perm)
    return reshape(x, matrix_shape if x.shape.is_fully_defined() else stack(matrix_shape)), free_dims, \
        [dims[i] for i in free]


def tensordot(a, b, axes, name=None) -> Tensor:
    """``tf.tensordot``: sums of products over ``axes`` -- an int n (the last n axes of ``a`` with the
    first n of ``b``) or two lists of axes -- computed as TF1 does, as one matmul of reshaped tensors."""
    with name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a, b = convert_to_tensor(a, name="a"), convert_to_tensor(b, name="b")
        if a.shape.ndims is None or b.shape.ndims is None:
            raise ValueError("minitf's tf.tensordot needs tensors of known rank")
        if isinstance(axes, int):
            if axes < 0:
                raise ValueError("'axes' must be at least 0.")
            a_axes, b_axes = list(range(a.shape.ndims - axes, a.shape.ndims)), list(range(axes))
        else:
            a_axes, b_axes = ([x] if isinstance(x, int) else list(x) for x in axes)
            if len(a_axes) != len(b_axes):
                raise ValueError(f"Different number of contraction axes 'a' and 'b', {len(a_axes)} != {len(b_axes)}.")
        a_matrix, a_free, a_static = _as_matrix(a, a_axes, contracted_first=False)
        b_matrix, b_free, b_static = _as_matrix(b, b_axes, contracted_first=True)
        product = matmul(a_matrix, b_matrix)
        if isinstance(a_free, list) and isinstance(b_free, list):
            return reshape(product, a_free + b_free, name=scope)
        result = reshape(product, concat([a_free, b_free], 0), name=scope)
        result.set_shape(a_static + b_static)
        return result


def trace(x, name=None) -> Tensor:
    """``tf.trace``: the sum of the diagonal of each matrix (the last two axes); minitf needs their sizes
    while the graph is built."""
    with name_scope(name, "Trace", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        dims = x.shape.as_list()[-2:] if x.shape.ndims is not None and x.shape.ndims >= 2 else [None]
        if None in dims:
            raise ValueError(f"minitf's tf.trace needs matrices of known size, got shape {x.shape}")
        return reduce_sum(multiply(x, eye(*dims, dtype=x.dtype.base_dtype)), [-2, -1], name=scope)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None) -> Tensor:
    """``tf.sequence_mask``: ``mask[..., j] = j < lengths[...]`` for ``j < maxlen`` (the longest length by default)."""
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths, name="lengths")
        maxlen = reduce_max(lengths) if maxlen is None else convert_to_tensor(maxlen, name="maxlen")
        row = range_(0, maxlen, 1)
        mask = less(row, cast(expand_dims(lengths, -1), maxlen.dtype))
        return mask if dtypes.as_dtype(dtype) == dtypes.bool else cast(mask, dtype)


class ArgMax(Op):
    type = "ArgMax"
    gradient = None
    allowed_dtypes = {0: ("input", NUMBER_TYPES), 1: ("dimension", INDEX_TYPES)}

    def __init__(self, output_type=dtypes.int64):
        self.output_type = dtypes.as_dtype(output_type)

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tidx": inputs[1].dtype, "output_type": self.output_type}

    def infer(self, x, dimension):
        axis = constant_value(dimension)
        if x.shape.dims is None or axis is None:
            return self.output_type, TensorShape(None)
        dims = x.shape.as_list()
        del dims[check_axis(int(axis), len(dims), "Dimension ({axis}) must be in the range [-{rank}, {rank}), where "
                                                  "{rank} is the number of dimensions in the input.", computed=(1,))]
        return self.output_type, TensorShape(dims)

    def forward(self, x, dimension):
        return self.find(x, axis=int(dimension)).astype(self.output_type.as_numpy_dtype)

    def kernel_error(self, error, x, dimension):
        axis = int(dimension)
        if not -x.ndim <= axis < x.ndim:
            return InvalidArgumentError(None, None, f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got "
                                                    f"{axis}")
        if x.shape[axis] == 0:
            return InvalidArgumentError(None, None, f"Reduction axis {axis} is empty in shape {shape_list(x.shape)}")
        return None

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


def arg_max(input, dimension, output_type=dtypes.int64, name=None):
    """``tf.arg_max`` (deprecated in TF1): ``tf.argmax``, the axis called ``dimension``."""
    return argmax(input, dimension, name, output_type=output_type)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):
    """``tf.arg_min`` (deprecated in TF1): ``tf.argmin``, the axis called ``dimension``."""
    return argmin(input, dimension, name, output_type=output_type)


# ---- casts and n-ary ops -------------------------------------------------------------------
def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name)


def to_complex64(x, name="ToComplex64"):
    return cast(x, dtypes.complex64, name)


def to_complex128(x, name="ToComplex128"):
    return cast(x, dtypes.complex128, name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


class AddN(Op):
    """The sum of several tensors of the same shape (tf.gradients uses it to add up gradients)."""

    type = "AddN"
    allowed_dtypes = {0: ("inputs", NUMBER_TYPES + ("variant",))}

    def infer(self, *inputs):
        dtype = inputs[0].dtype.base_dtype
        if any(t.dtype.base_dtype != dtype for t in inputs):
            raise TypeError(f"Tensors in list passed to 'inputs' of 'AddN' Op have types "
                            f"[{', '.join(t.dtype.base_dtype.name for t in inputs)}] that don't all match.")
        shape = inputs[0].shape
        for t in inputs[1:]:
            try:
                shape = merge_shapes(shape, t.shape)
            except ShapeError as e:   # TF1 says it without the node
                raise ValueError(str(e)) from None
        return dtype, shape

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
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else []
    if not inputs:
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    if len(inputs) == 1:
        return convert_to_tensor(inputs[0]) if name is None else identity(inputs[0], name=name)
    return apply_op(AddN(), inputs, name or "AddN", same_dtype=False,
                    arg_names=[f"inputs_{i}" for i in range(len(inputs))])


# ---- the tf.* functions --------------------------------------------------------------------
def _binary(kind_cls, default_name):
    def fn(x, y, name=None):
        return apply_op(kind_cls(), (x, y), name or default_name)

    fn.__name__ = default_name.lower()
    fn.__doc__ = f"``tf.{fn.__name__}``: element-wise, with numpy broadcasting (op type {kind_cls.type})."
    return fn


def _add_kind(x, y) -> Op:
    """TF1 adds strings with the ``Add`` op (``AddV2`` takes numbers only)."""
    strings = any(isinstance(t, Tensor) and t.dtype.base_dtype == dtypes.string for t in (x, y))
    return Add() if strings else AddV2()


def add(x, y, name=None) -> Tensor:
    """``tf.add``: element-wise, with numpy broadcasting (op type AddV2; Add for strings)."""
    return apply_op(_add_kind(x, y), (x, y), name or "Add")


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
floor_div = _binary(FloorDiv, "FloorDiv")
realdiv = _binary(RealDiv, "RealDiv")
truncatediv = _binary(TruncateDiv, "TruncateDiv")
truncatemod = _binary(TruncateMod, "TruncateMod")


def atan2(y, x, name=None) -> Tensor:
    """``tf.atan2``: the angle of the point ``(x, y)``, element-wise (op type Atan2)."""
    return apply_op(Atan2(), (y, x), name or "Atan2", arg_names=("y", "x"))

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
tan, asin, acos, atan = _unary(Tan, "Tan"), _unary(Asin, "Asin"), _unary(Acos, "Acos"), _unary(Atan, "Atan")
sinh, cosh = _unary(Sinh, "Sinh"), _unary(Cosh, "Cosh")
erf, expm1, rint = _unary(Erf, "Erf"), _unary(Expm1, "Expm1"), _unary(Rint, "Rint")
is_nan, is_inf, is_finite = _unary(IsNan, "IsNan"), _unary(IsInf, "IsInf"), _unary(IsFinite, "IsFinite")


def logical_xor(x, y, name="LogicalXor") -> Tensor:
    """``tf.logical_xor``: ``(x or y) and not (x and y)``, built from those three ops as TF1 builds it."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def scalar_mul(scalar, x, name=None) -> Tensor:
    """``tf.scalar_mul``: ``scalar * x``, refusing a ``scalar`` that is not one."""
    scalar = convert_to_tensor(scalar, dtype=x.dtype.base_dtype if isinstance(x, Tensor) else None, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError(f"Only scalar multiply works, got shape {scalar.shape}")
    with name_scope(name, "scalar_mul", [scalar, x]) as scope:
        return multiply(scalar, x, name=scope)


# ---- Python operators on tensors (TF1's base names: a+b is `add`, tf.add is `Add`) ----------
def _operator(make_kind, base_name):
    """``x op y`` and ``y op x`` for a Tensor ``x``; ``make_kind(x, y)`` gives the op's kind."""
    def forward(x, y):
        return apply_op(make_kind(x, y), (x, y), base_name)

    def reflected(y, x):
        return apply_op(make_kind(x, y), (x, y), base_name)

    return forward, reflected


def _reflected(fn, base_name: str):
    """``x / y`` (``//``) for a Python value ``x`` and a Tensor ``y``: ``x`` takes ``y``'s dtype first, as
    TF1's reflected operators convert it (``1 / t`` is a float32 division when ``t`` is float32)."""
    def run(y, x):
        with name_scope(None, base_name, [x, y]) as scope:
            return fn(convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x"), y, scope)

    return run


def _install_operators() -> None:
    def kind(cls):
        return lambda x, y: cls()

    pairs = {
        "add": (_add_kind, "add"), "sub": (kind(Sub), "sub"), "mul": (kind(Mul), "mul"), "pow": (kind(Pow), "pow"),
        "mod": (kind(FloorMod), "mod"), "and": (kind(LogicalAnd), "and"), "or": (kind(LogicalOr), "or"),
    }
    for dunder, (make_kind, base) in pairs.items():
        forward, reflected = _operator(make_kind, base)
        setattr(Tensor, f"__{dunder}__", forward)
        setattr(Tensor, f"__r{dunder}__", reflected)
    Tensor.__truediv__ = lambda x, y: truediv(x, y, "truediv")
    Tensor.__rtruediv__ = _reflected(truediv, "truediv")
    Tensor.__floordiv__ = lambda x, y: floordiv(x, y, "floordiv")
    Tensor.__rfloordiv__ = _reflected(floordiv, "floordiv")
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

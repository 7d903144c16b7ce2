"""Shapes: the static shape rules, the ops that read or change a shape, and broadcasting undone.

Notebook 01 shows static shapes (``(?, 3)``); notebook 05 the gradient of a broadcast: when
``b`` of shape ``(512,)`` is added to ``x`` of shape ``(?, 512)``, ``b`` was used once per row,
so its gradient is the sum of the rows (``reduce_to_shape``).  That is why ``Sum`` lives here,
beside ``Reshape`` and ``BroadcastTo``: the three undo each other in gradients, and every other
op module uses them.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import to_numpy, xp
from ..errors import InvalidArgumentError
from ..graph import Tensor
from ..tensor_shape import TensorShape
from .base import Op, ShapeError, apply_op, constant_value


# ---- static shape rules ------------------------------------------------------------------------
def broadcast_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """numpy broadcasting on static shapes: ``(?, 3)`` with ``(3,)`` is ``(?, 3)``."""
    if a.dims is None or b.dims is None:
        return TensorShape(None)
    da, db = a.as_list()[::-1], b.as_list()[::-1]
    out = []
    for i in range(max(len(da), len(db))):
        x = da[i] if i < len(da) else 1
        y = db[i] if i < len(db) else 1
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise ShapeError(f"Dimensions must be equal, but are {x} and {y}")
    return TensorShape(out[::-1])


def shape_from_tensor(shape_tensor: Tensor) -> TensorShape:
    """The static shape a 1-D shape tensor describes: its value if constant, the static shape of
    ``x`` if it is ``tf.shape(x)`` (gradients use that), else only its length."""
    value = constant_value(shape_tensor)
    if value is not None:
        return TensorShape([int(d) for d in np.reshape(value, -1)])
    if shape_tensor.op.type == "Shape":
        return shape_tensor.op.inputs[0].shape
    n = shape_tensor.shape.as_list()[0] if shape_tensor.shape.dims else None
    return TensorShape(None if n is None else [None] * n)


# ---- reading a shape ---------------------------------------------------------------------------
class Shape(Op):
    type = "Shape"
    gradient = None
    reads_shape_only = True

    def __init__(self, out_type=dtypes.int32):
        self.out_type = out_type

    def infer(self, x):
        return self.out_type, TensorShape([x.shape.ndims])

    def forward(self, x):
        return xp.asarray(x.shape, dtype=self.out_type.as_numpy_dtype)


class Size(Shape):
    type = "Size"

    def infer(self, x):
        return self.out_type, TensorShape([])

    def forward(self, x):
        return xp.asarray(x.size, dtype=self.out_type.as_numpy_dtype)


class Rank(Shape):
    type = "Rank"

    def infer(self, x):
        return dtypes.int32, TensorShape([])

    def forward(self, x):
        return xp.asarray(x.ndim, dtype=np.int32)


def shape(input, name=None, out_type=dtypes.int32) -> Tensor:  # noqa: A002  (TF1's argument name)
    """``tf.shape``: the dynamic shape (a 1-D int32 tensor), known only when the graph runs."""
    return apply_op(Shape(out_type=dtypes.as_dtype(out_type)), (input,), name or "Shape", arg_names=("input",))


def shape_of_static(x: Tensor):
    """``x``'s shape as a Python list when fully known (no op needed), else a Shape op."""
    return x.shape.as_list() if x.shape.is_fully_defined() else shape(x)


def size(input, name=None, out_type=dtypes.int32) -> Tensor:  # noqa: A002
    return apply_op(Size(out_type=dtypes.as_dtype(out_type)), (input,), name or "Size", arg_names=("input",))


def rank(input, name=None) -> Tensor:  # noqa: A002
    return apply_op(Rank(), (input,), name or "Rank", arg_names=("input",))


# ---- changing a shape --------------------------------------------------------------------------
class Reshape(Op):
    type = "Reshape"
    view_of_input = True

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tshape": inputs[1].dtype}

    def infer(self, x, new_shape):
        value = constant_value(new_shape)
        if value is None:
            return x.dtype.base_dtype, shape_from_tensor(new_shape)
        dims = [int(d) for d in np.reshape(value, -1)]
        if dims.count(-1) > 1:
            raise ShapeError("Cannot infer multiple unknown dimensions in shape")
        known = int(np.prod([d for d in dims if d != -1]))
        total = x.shape.num_elements()
        if total is not None:
            if -1 in dims:
                if known == 0 or total % known:
                    raise ShapeError(_divisible_message(known, total, dims))
                dims = [total // known if d == -1 else d for d in dims]
            elif known != total:
                raise ShapeError(f"Cannot reshape a tensor with {total} elements to shape {dims} "
                                 f"({known} elements)")
            return x.dtype.base_dtype, TensorShape(dims)
        return x.dtype.base_dtype, TensorShape([None if d == -1 else d for d in dims])

    def forward(self, x, new_shape):
        new_shape = to_numpy(new_shape).tolist()
        try:
            return x.reshape(new_shape)
        except ValueError:
            raise InvalidArgumentError(None, None, f"Input to reshape is a tensor with {x.size} values, "
                                                   f"but the requested shape has {int(np.prod(new_shape))}"
                                       if -1 not in list(new_shape) else
                                       f"Input to reshape is a tensor with {x.size} values, but the "
                                       f"requested shape requires a multiple of "
                                       f"{int(np.prod([d for d in new_shape if d != -1]))}") from None

    def gradient(self, op, grad):
        return [reshape(grad, shape_of_static(op.inputs[0])), None]


def _divisible_message(known, total, dims) -> str:
    partial = ",".join("?" if d == -1 else str(d) for d in dims)
    return (f"Dimension size must be evenly divisible by {known} but is {total}"
            f"\x00{partial}")


def reshape(tensor, shape, name=None) -> Tensor:
    """``tf.reshape``: same values, new shape; one ``-1`` is inferred (``[3, -1]`` of 60 -> ``(3, 20)``)."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    try:
        return apply_op(Reshape(), (tensor, shape), name or "Reshape", same_dtype=False,
                        arg_names=("tensor", "shape"))
    except ValueError as e:
        text = str(e)
        if "\x00" not in text:
            raise
        head, _, rest = text.partition("\x00")
        partial, _, tail = rest.partition(" for ")
        raise ValueError(f"{head} for {tail[:-1]} and with input tensors computed as partial shapes: "
                         f"input[1] = [{partial}].") from None


class BroadcastTo(Op):
    type = "BroadcastTo"
    view_of_input = True

    def infer(self, x, target):
        return x.dtype.base_dtype, shape_from_tensor(target)

    def forward(self, x, target):
        target = tuple(to_numpy(target).tolist())
        return x if x.shape == target else xp.broadcast_to(x, target)

    def gradient(self, op, grad):
        return [reduce_to_shape(grad, op.inputs[0]), None]


def broadcast_to(input, shape, name=None) -> Tensor:  # noqa: A002
    """``tf.broadcast_to``: repeat ``input`` along broadcast dimensions to ``shape``."""
    return apply_op(BroadcastTo(), (input, shape), name or "BroadcastTo", same_dtype=False,
                    arg_names=("input", "shape"))


# ---- reductions, and Sum ----------------------------------------------------------------------
class Reduction(Op):
    """Reduce input 0 over the axes given by input 1 (all axes when ``reduce_all``).

    Subclasses say how (``reduce``); ``Sum`` is here, the others are in ``math_ops.py``.
    """

    def __init__(self, keep_dims=False, reduce_all=False):
        self.keep_dims = bool(keep_dims)
        self._reduce_all = reduce_all

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tidx": inputs[1].dtype, "keep_dims": self.keep_dims}

    def infer(self, x, axes):
        dtype = x.dtype.base_dtype
        if self._reduce_all and not self.keep_dims:
            return dtype, TensorShape([])
        rank_ = x.shape.ndims
        axes_value = constant_value(axes)
        if rank_ is None or axes_value is None:
            return dtype, TensorShape(None if rank_ is None or not self.keep_dims and axes_value is None
                                      else [None] * rank_)
        for a in np.reshape(axes_value, -1):
            if not -rank_ <= int(a) < max(rank_, 1):
                raise ShapeError(f"Invalid reduction dimension {int(a)} for input with {rank_} dimensions.")
        axes_set = {int(a) % rank_ if rank_ else 0 for a in np.reshape(axes_value, -1)}
        dims = x.shape.as_list()
        if self.keep_dims:
            return dtype, TensorShape([1 if i in axes_set else d for i, d in enumerate(dims)])
        return dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes_set])

    def forward(self, x, axes):
        axes = to_numpy(axes).reshape(-1).tolist()
        return self.reduce(x, axes[0] if len(axes) == 1 else tuple(axes))

    def kept_shape(self, op):
        """The output shape with the reduced axes kept as 1 (to broadcast a gradient back): a list
        when static shapes tell, else a ``ReducedShape`` op."""
        x, axes = op.inputs
        axes_value = constant_value(axes)
        if x.shape.ndims is not None and axes_value is not None:
            rank_ = x.shape.ndims
            axes_set = {int(a) % rank_ for a in np.reshape(axes_value, -1)} if rank_ else set()
            kept = [1 if i in axes_set else d for i, d in enumerate(x.shape.as_list())]
            if None not in kept:   # e.g. reduce_mean over all axes of a (?, 10) batch: [1, 1]
                return kept
        return apply_op(ReducedShape(), (shape(x), axes), "ReducedShape",
                        same_dtype=False, arg_names=("input_shape", "axes"))

    def broadcast_back(self, op, value: Tensor) -> Tensor:
        """``value`` (shaped like the output) repeated along the reduced axes to the input's shape."""
        return broadcast_to(reshape(value, self.kept_shape(op)), shape_of_static(op.inputs[0]))


class ReducedShape(Op):
    """The shape of a reduction's output with the reduced axes kept as 1."""

    type = "ReducedShape"
    gradient = None

    def infer(self, input_shape, axes):
        return dtypes.int32, TensorShape(input_shape.shape)

    def forward(self, input_shape, axes):
        out = to_numpy(input_shape).astype(np.int32)   # a copy, on the host
        out[to_numpy(axes).reshape(-1) % max(len(out), 1)] = 1
        return xp.asarray(out)


class Sum(Reduction):
    type = "Sum"

    def reduce(self, x, axis):
        return xp.sum(x, axis=axis, keepdims=self.keep_dims)

    def gradient(self, op, grad):
        return [self.broadcast_back(op, grad), None]


def sum_over(x: Tensor, axes, keepdims: bool = False) -> Tensor:
    """A ``Sum`` over the given axes (a list, or an int32 tensor): gradients' ``reduce_sum``."""
    return apply_op(Sum(keep_dims=keepdims), (x, np.asarray(axes, np.int32) if isinstance(axes, list) else axes),
                    "Sum", same_dtype=False, arg_names=("input", "reduction_indices"))


# ---- broadcasting undone ----------------------------------------------------------------------
def reduce_to_shape(grad: Tensor, like: Tensor, other: Tensor | None = None) -> Tensor:
    """Undo broadcasting in a gradient: sum ``grad`` over the axes along which ``like`` was broadcast.

    The static shapes usually decide those axes: ``b`` of shape ``(512,)`` added to ``(?, 512)``
    was broadcast along axis 0.  ``other`` (the binary op's other input) settles unknown dims:
    ``(?, 512)`` plus ``(512,)`` kept its ``?``.  Otherwise ``BroadcastGradientArgs`` finds
    the axes when the graph runs.
    """
    axes = _broadcast_axes(like.shape, None if other is None else other.shape, grad.shape)
    if axes is None:
        shape_g, shape_x = shape(grad), shape(like)
        axes, _ = apply_op(BroadcastGradientArgs(), (shape_x, shape_g), "BroadcastGradientArgs",
                           same_dtype=False, arg_names=("s0", "s1"))
        return reshape(sum_over(grad, axes), shape_x)
    if not axes:
        return grad
    lead = grad.shape.ndims - like.shape.ndims
    kept = [a - lead for a in axes if a >= lead]
    summed = sum_over(grad, list(range(lead))) if lead else grad
    return sum_over(summed, kept, keepdims=True) if kept else summed


def _broadcast_axes(like: TensorShape, other, out: TensorShape):
    """The axes of ``out`` that ``like`` was broadcast along, or None when static shapes cannot tell."""
    if like.dims is None or out.dims is None:
        return None
    x, o = like.as_list(), out.as_list()
    lead = len(o) - len(x)
    known_other = other is not None and other.dims is not None
    missing = len(o) - other.ndims if known_other else 0
    axes = list(range(lead))
    for i, d in enumerate(x):
        axis = lead + i
        if d == 1 and o[axis] != 1:
            axes.append(axis)
        elif d is None and not (known_other and (axis < missing or other.as_list()[axis - missing] == 1)):
            return None   # `?` against `?` (or against n): only the run can tell if it was 1
    return axes


class BroadcastGradientArgs(Op):
    """The axes along which each of two shapes was broadcast (used by gradients)."""

    type = "BroadcastGradientArgs"
    num_outputs = 2
    gradient = None

    def infer(self, s0, s1):
        return [(dtypes.int32, TensorShape([None])), (dtypes.int32, TensorShape([None]))]

    def forward(self, s0, s1):
        s0, s1 = [int(n) for n in s0], [int(n) for n in s1]
        rank_ = max(len(s0), len(s1))
        p0, p1 = [1] * (rank_ - len(s0)) + s0, [1] * (rank_ - len(s1)) + s1
        r0 = [i for i in range(rank_) if p0[i] == 1 and p1[i] != 1 or i < rank_ - len(s0)]
        r1 = [i for i in range(rank_) if p1[i] == 1 and p0[i] != 1 or i < rank_ - len(s1)]
        return xp.asarray(r0, dtype=xp.int32), xp.asarray(r1, dtype=xp.int32)

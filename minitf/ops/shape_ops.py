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
from .base import INDEX_TYPES, NUMBER_TYPES, Op, ShapeError, apply_op, constant_value, shape_list


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


def merge_shapes(a: TensorShape, b: TensorShape, **indices) -> TensorShape:
    """Two static shapes of the same thing made one (``(?, 3)`` and ``(2, ?)`` are ``(2, 3)``), or
    TF1's error saying where they differ (``indices``: what the ShapeError names as read)."""
    if a.dims is None:
        return b
    if b.dims is None:
        return a
    if a.ndims != b.ndims:
        raise ShapeError(f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}", **indices)
    dims = []
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            raise ShapeError(f"Dimension {i} in both shapes must be equal, but are {x} and {y}. "
                             f"Shapes are {shape_list(a)} and {shape_list(b)}.", **indices)
        dims.append(x if y is None else y)
    return TensorShape(dims)


def check_axis(axis: int, rank: int, message: str, **indices) -> int:
    """``axis`` in ``[0, rank)`` (a negative one counts from the end), or a ShapeError with ``message``
    (``{axis}``, ``{rank}`` filled in) naming the inputs the shape rule read."""
    if not -rank <= axis < rank:
        raise ShapeError(message.format(axis=axis, rank=rank), **indices)
    return axis % rank


def shape_from_tensor(shape_tensor: Tensor) -> TensorShape:
    """The static shape a 1-D shape tensor describes, as far as the graph tells (TF1's partial
    shapes): its value if known (``-1`` an unknown dim), the static shape of ``x`` for
    ``tf.shape(x)``, dim by dim for a ``tf.stack`` of scalars (``[tf.shape(x)[0], 3]`` is
    ``(?, 3)``) or a ``tf.concat`` of shapes, else only its length."""
    value = constant_value(shape_tensor)
    if value is not None:
        return TensorShape([None if int(d) < 0 else int(d) for d in np.reshape(value, -1)])
    op = shape_tensor.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Pack" and shape_tensor.shape.ndims == 1:
        return TensorShape([_dimension_from(t) for t in op.inputs])
    if op.type == "Cast":
        return shape_from_tensor(op.inputs[0])
    if op.type == "ConcatV2" and all(t.shape.ndims == 1 for t in op.inputs[:-1]):
        parts = [shape_from_tensor(t) for t in op.inputs[:-1]]
        if all(p.dims is not None for p in parts):
            return TensorShape([d for p in parts for d in p.as_list()])
    n = shape_tensor.shape.as_list()[0] if shape_tensor.shape.dims else None
    return TensorShape(None if n is None else [None] * n)


def _dimension_from(scalar: Tensor):
    """One dim of a partial shape: a known value, or ``tf.shape(x)[i]`` as x's static dim i, else None."""
    value = constant_value(scalar)
    if value is not None:
        return None if int(value) < 0 else int(value)
    op = scalar.op
    if op.type == "StridedSlice" and op.inputs[0].op.type == "Shape" and op.kind.shrink_axis_mask == 1:
        dims = op.inputs[0].op.inputs[0].shape.dims
        begin = op.kind.begin if len(op.inputs) == 1 else constant_value(op.inputs[1])   # attrs, or TF1's inputs
        if dims is not None and begin is not None and -len(dims) <= int(begin[0]) < len(dims):
            return dims[int(begin[0])].value
    return None


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

    def static_value(self, op):
        """Known when the input's static shape is fully known (TF1 folds it)."""
        shape_ = op.inputs[0].shape
        return np.asarray(shape_.as_list(), self.out_type.as_numpy_dtype) if shape_.is_fully_defined() else None


class Size(Shape):
    type = "Size"

    def infer(self, x):
        return self.out_type, TensorShape([])

    def forward(self, x):
        return xp.asarray(x.size, dtype=self.out_type.as_numpy_dtype)

    def static_value(self, op):
        size_ = op.inputs[0].shape.num_elements()
        return None if size_ is None else np.asarray(size_, self.out_type.as_numpy_dtype)


class Rank(Shape):
    type = "Rank"

    def infer(self, x):
        return dtypes.int32, TensorShape([])

    def forward(self, x):
        return xp.asarray(x.ndim, dtype=np.int32)

    def static_value(self, op):
        rank_ = op.inputs[0].shape.ndims
        return None if rank_ is None else np.asarray(rank_, np.int32)


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
    folds = True
    allowed_dtypes = {1: ("shape", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tshape": inputs[1].dtype}

    def infer(self, x, new_shape):
        value = constant_value(new_shape)
        if value is None:
            return x.dtype.base_dtype, shape_from_tensor(new_shape)
        dims = [int(d) for d in np.reshape(value, -1)]
        if any(d < -1 for d in dims):   # TF1 says it without the node
            raise ValueError(f"Invalid value in tensor used for shape: {next(d for d in dims if d < -1)}")
        if dims.count(-1) > 1:   # TF1 finds out when it runs
            return x.dtype.base_dtype, TensorShape([None if d == -1 else d for d in dims])
        known = int(np.prod([d for d in dims if d != -1]))
        total = x.shape.num_elements()
        if total is not None:
            if -1 in dims:
                if known == 0 or total % known:
                    raise ShapeError(f"Dimension size must be evenly divisible by {known} but is {total}",
                                     partial=(1,))
                dims = [total // known if d == -1 else d for d in dims]
            elif known != total:
                raise ShapeError(f"Cannot reshape a tensor with {total} elements to shape {dims} "
                                 f"({known} elements)", partial=(1,))
            return x.dtype.base_dtype, TensorShape(dims)
        return x.dtype.base_dtype, TensorShape([None if d == -1 else d for d in dims])

    def forward(self, x, new_shape):
        return x.reshape(to_numpy(new_shape).tolist())

    def kernel_error(self, error, x, new_shape):
        dims = to_numpy(new_shape).reshape(-1).tolist()
        unknown = [i for i, d in enumerate(dims) if d == -1]
        if len(unknown) > 1:
            return InvalidArgumentError(None, None, f"Only one input size may be -1, not both {unknown[0]} "
                                                    f"and {unknown[1]}")
        known = int(np.prod([d for d in dims if d != -1]))
        return InvalidArgumentError(None, None, f"Input to reshape is a tensor with {x.size} values, but the "
                                                f"requested shape " + (f"requires a multiple of {known}" if unknown
                                                                       else f"has {known}"))

    def gradient(self, op, grad):
        return [reshape(grad, shape_of_static(op.inputs[0])), None]


def reshape(tensor, shape, name=None) -> Tensor:
    """``tf.reshape``: same values, new shape; one ``-1`` is inferred (``[3, -1]`` of 60 -> ``(3, 20)``)."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    return apply_op(Reshape(), (tensor, shape), name or "Reshape", same_dtype=False, arg_names=("tensor", "shape"))


class BroadcastTo(Op):
    type = "BroadcastTo"
    view_of_input = True

    def infer(self, x, target):
        shape_ = shape_from_tensor(target)
        if x.shape.dims is not None and shape_.dims is not None:
            if x.shape.ndims > shape_.ndims:
                raise ShapeError(f"Rank of input ({x.shape.ndims}) must be no greater than rank of output shape "
                                 f"({shape_.ndims}).", partial=(1,))
            for d, n in zip(x.shape.as_list()[::-1], shape_.as_list()[::-1]):
                if d is not None and n is not None and d not in (1, n):
                    raise ShapeError(f"Dimensions must be equal, but are {d} and {n}", partial=(1,))
        return x.dtype.base_dtype, shape_

    def forward(self, x, target):
        target = tuple(to_numpy(target).tolist())
        return x if x.shape == target else xp.broadcast_to(x, target)

    def kernel_error(self, error, x, target):
        return InvalidArgumentError(None, None, f"Incompatible shapes: {shape_list(x.shape)} vs. "
                                                f"{shape_list(to_numpy(target).tolist())}")

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

    allowed_dtypes = {0: ("input", NUMBER_TYPES), 1: ("reduction_indices", INDEX_TYPES)}
    folds = True

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
                raise ShapeError(f"Invalid reduction dimension {int(a)} for input with {rank_} dimensions.",
                                 computed=(1,))
        axes_set = {int(a) % rank_ if rank_ else 0 for a in np.reshape(axes_value, -1)}
        dims = x.shape.as_list()
        if self.keep_dims:
            return dtype, TensorShape([1 if i in axes_set else d for i, d in enumerate(dims)])
        return dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes_set])

    def forward(self, x, axes):
        axes = to_numpy(axes).reshape(-1).tolist()
        return self.reduce(x, axes[0] if len(axes) == 1 else tuple(axes))

    def kernel_error(self, error, x, axes):
        bad = [int(a) for a in to_numpy(axes).reshape(-1) if not -max(x.ndim, 1) <= int(a) < max(x.ndim, 1)]
        if bad:
            return InvalidArgumentError(None, None, f"Invalid reduction dimension ({bad[0]} for input with "
                                                    f"{x.ndim} dimension(s)")
        return None

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
                return np.array(kept, np.int32)   # int32 even when empty (a scalar's reduction)
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

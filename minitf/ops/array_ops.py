"""Array ops: creating, reshaping, joining, slicing and feeding tensors (notebooks 01 and 03)."""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import to_numpy, xp
from ..errors import InvalidArgumentError, UnimplementedError
from ..graph import Tensor, name_scope
from ..tensor_shape import TensorShape, dimension_value
from .base import (INDEX_TYPES, Const, Op, ShapeError, apply_op, constant_value, constant_value_array,
                   convert_to_tensor, create_op, register_tensor_conversion_function, shape_list)
from .shape_ops import (check_axis, merge_shapes, rank, reduce_to_shape, reshape, shape, shape_from_tensor,
                        shape_of_static, size, sum_over)


# ---- constants and placeholders --------------------------------------------------------------
def constant(value, dtype=None, shape=None, name="Const", verify_shape=False) -> Tensor:
    """``tf.constant``: a Const op holding ``value`` (TF1's dtype rules; ``shape`` fills or reshapes).

    >>> tf.constant([1, 2])                     # Python ints are int32
    <tf.Tensor 'Const:0' shape=(2,) dtype=int32>
    """
    array = constant_value_array(value, dtype)
    if shape is not None:
        shape = [int(dimension_value(d)) for d in (shape if isinstance(shape, (list, tuple, TensorShape))
                                                   else [shape])]
        size = int(np.prod(shape))
        if array.size == 1:
            array = np.full(shape, array.reshape(-1)[0], dtype=array.dtype)
        elif array.size == size:
            array = array.reshape(shape)
        elif array.size > size:
            raise ValueError(f"Too many elements provided. Needed at most {size}, but received {array.size}")
        else:  # TF1 pads with the last element
            flat = np.concatenate([array.reshape(-1), np.repeat(array.reshape(-1)[-1:], size - array.size)])
            array = flat.reshape(shape)
    return create_op(Const(value=array), [], name or "Const").outputs[0]


class Placeholder(Op):
    """A value that must be fed at run time (``feed_dict``); running it unfed is an error."""

    type = "Placeholder"
    returns_stored = True

    def __init__(self, dtype, shape):
        self.dtype, self.shape = dtype, shape

    def infer(self):
        return self.dtype, self.shape

    def node_attrs(self, inputs):
        return {"dtype": self.dtype, "shape": self.shape}

    def kernel(self, op, session):
        def unfed():
            shape = "" if self.shape.dims is None else " and shape " + shape_list(self.shape)
            raise InvalidArgumentError(None, op, f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                                                 f"{self.dtype.kernel_name}{shape}\n\t [[{{{{node {op.name}}}}}]]")
        return unfed


def placeholder(dtype, shape=None, name=None) -> Tensor:
    """``tf.placeholder``: an input fed with ``feed_dict``; ``None`` dims (``[None, 3]``) take any size."""
    try:
        dtype = dtypes.as_dtype(dtype).base_dtype
    except TypeError:
        raise TypeError(f"Expected DataType for argument 'dtype' not {dtype!r}.") from None
    try:
        shape = TensorShape(shape)
    except (TypeError, ValueError) as e:
        raise ValueError(f"Error converting shape to a TensorShape: {e}.") from None
    kind = Placeholder(dtype=dtype, shape=shape)
    return create_op(kind, [], name or "Placeholder").outputs[0]


# ---- identity and friends ------------------------------------------------------------------
class Identity(Op):
    type = "Identity"
    view_of_input = True
    folds = True

    def forward(self, x):
        return x

    def gradient(self, op, grad):
        return [grad]


def identity(input, name=None) -> Tensor:
    """``tf.identity``: the same value under a new name."""
    return apply_op(Identity(), (input,), name or "Identity", arg_names=("input",))


class PlaceholderWithDefault(Identity):
    """Its input, unless a value is fed; the static shape is the one given (may be less known)."""

    type = "PlaceholderWithDefault"

    def __init__(self, shape):
        self.shape = shape

    def infer(self, default):
        return default.dtype.base_dtype, self.shape


def placeholder_with_default(input, shape, name=None) -> Tensor:
    """A placeholder that returns ``input`` when it is not fed."""
    return apply_op(PlaceholderWithDefault(shape=TensorShape(shape)), (input,),
                    name or "PlaceholderWithDefault", arg_names=("input",))


class StopGradient(Identity):
    """The identity for the forward pass; gradients do not flow through it."""

    type = "StopGradient"
    gradient = None


def stop_gradient(input, name=None) -> Tensor:
    return apply_op(StopGradient(), (input,), name or "StopGradient", arg_names=("input",))


class Transpose(Op):
    type = "Transpose"
    view_of_input = True
    allowed_dtypes = {1: ("perm", INDEX_TYPES)}

    def infer(self, x, perm):
        p = constant_value(perm)
        if x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = x.shape.dims
        if perm.shape.dims is not None and perm.shape.as_list() != [len(dims)]:
            raise ShapeError(f"Dimension must be {len(dims)} but is {perm.shape.as_list()[0]}")
        if p is None:
            return x.dtype.base_dtype, TensorShape([None] * len(dims))
        for i in p:
            if int(i) >= len(dims):   # a negative one TF1 finds when it runs
                raise ShapeError(f"perm dim {int(i)} is out of range of input rank {len(dims)}", computed=(1,))
        return x.dtype.base_dtype, TensorShape([dims[int(i)] if int(i) >= 0 else None for i in p])

    def forward(self, x, perm):
        return x.transpose(to_numpy(perm).tolist())

    def kernel_error(self, error, x, perm):
        p = [int(i) for i in to_numpy(perm).reshape(-1)]
        bad = [i for i in p if not 0 <= i < x.ndim]
        if bad:
            return InvalidArgumentError(None, None, f"{bad[0]} is out of range [0 .. {x.ndim})")
        missing = next((i for i in range(x.ndim) if i not in p), None)
        if missing is not None:
            return InvalidArgumentError(None, None, f"{missing} is missing from {{{','.join(map(str, p))}}}.")
        return None

    def gradient(self, op, grad):
        perm = op.inputs[1]
        return [transpose(grad, apply_op(InvertPermutation(), (perm,), "InvertPermutation",
                                         arg_names=("x",))), None]


class InvertPermutation(Op):
    type = "InvertPermutation"
    gradient = None

    def forward(self, perm):
        return xp.argsort(perm).astype(perm.dtype)


def transpose(a, perm=None, name="transpose", conjugate=False) -> Tensor:
    """``tf.transpose``: permute the axes (reverse them by default)."""
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is None:
                raise ValueError("transpose of a tensor of unknown rank needs perm")
            perm = list(range(a.shape.ndims))[::-1]
        perm = convert_to_tensor(perm, dtype=dtypes.int32, name="perm")
        return create_op(Transpose(), [a, perm], scope).outputs[0]


class ExpandDims(Op):
    type = "ExpandDims"
    view_of_input = True
    folds = True
    allowed_dtypes = {1: ("dim", INDEX_TYPES)}

    def infer(self, x, axis):
        a = constant_value(axis)
        if x.shape.dims is None or a is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = list(x.shape.dims)
        a = int(a)
        if not -len(dims) - 1 <= a <= len(dims):
            raise ShapeError(f"dim {a} not in the interval [{-len(dims) - 1}, {len(dims)}].", computed=(1,))
        dims.insert(a if a >= 0 else len(dims) + a + 1, 1)
        return x.dtype.base_dtype, TensorShape(dims)

    def forward(self, x, axis):
        return xp.expand_dims(x, int(axis))

    def gradient(self, op, grad):
        return [reshape(grad, shape_of_static(op.inputs[0])), None]


def expand_dims(input, axis=None, name=None, dim=None) -> Tensor:
    """``tf.expand_dims``: insert a dimension of size 1 at ``axis``."""
    axis = dim if axis is None else axis
    return apply_op(ExpandDims(), (input, axis), name or "ExpandDims", same_dtype=False,
                    arg_names=("input", "dim"))


class Squeeze(Op):
    type = "Squeeze"
    view_of_input = True
    folds = True

    def __init__(self, squeeze_dims=()):
        self.squeeze_dims = list(squeeze_dims)

    def infer(self, x):
        if x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = x.shape.as_list()
        rank = len(dims)
        for i, a in enumerate(self.squeeze_dims):
            if not -rank <= a < rank:
                raise ShapeError(f"squeeze_dims[{i}] not in [{-rank},{rank}).")
        axes = {a % rank for a in self.squeeze_dims}
        if axes:
            for a in axes:
                if dims[a] not in (1, None):
                    raise ShapeError(f"Can not squeeze dim[{a}], expected a dimension of 1, got {dims[a]}")
            return x.dtype.base_dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes])
        if None in dims:
            return x.dtype.base_dtype, TensorShape(None)
        return x.dtype.base_dtype, TensorShape([d for d in dims if d != 1])

    def forward(self, x):
        return xp.squeeze(x, axis=tuple(self.squeeze_dims) or None)

    def kernel_error(self, error, x):
        for a in self.squeeze_dims:
            if -x.ndim <= a < x.ndim and x.shape[a] != 1:
                return InvalidArgumentError(None, None, f"Can not squeeze dim[{a % x.ndim}], expected a dimension "
                                                        f"of 1, got {x.shape[a]}")
        return None

    def gradient(self, op, grad):
        return [reshape(grad, shape_of_static(op.inputs[0]))]


def squeeze(input, axis=None, name=None, squeeze_dims=None) -> Tensor:
    """``tf.squeeze``: drop dimensions of size 1 (all of them, or those in ``axis``)."""
    axis = squeeze_dims if axis is None else axis
    axis = [] if axis is None else ([axis] if isinstance(axis, int) else list(axis))
    return apply_op(Squeeze(squeeze_dims=axis), (input,), name or "Squeeze", arg_names=("input",))


# ---- filling -------------------------------------------------------------------------------
class Fill(Op):
    type = "Fill"
    folds = True
    allowed_dtypes = {0: ("dims", INDEX_TYPES)}

    def infer(self, dims, value):
        known = constant_value(dims)
        if known is not None and (np.asarray(known) < 0).any():
            raise ShapeError("Fill dimensions must be >= 0", partial=(0,))
        return value.dtype.base_dtype, shape_from_tensor(dims)

    def forward(self, dims, value):
        return xp.full(tuple(int(d) for d in dims), value, dtype=value.dtype)

    def gradient(self, op, grad):
        return [None, reduce_to_shape(grad, op.inputs[1])]   # the value was broadcast to every element


def fill(dims, value, name=None) -> Tensor:
    """``tf.fill``: a tensor of shape ``dims`` filled with ``value`` (``fill([2, 3], 9)`` is int32)."""
    return apply_op(Fill(), (dims, value), name or "Fill", same_dtype=False, arg_names=("dims", "value"))


def _filled(shape, dtype, value, name, default_name) -> Tensor:
    """tf.zeros/tf.ones: a Const when small (TF1's _constant_if_small), else a Fill -- of a shape
    tensor when ``shape`` holds tensors (``[tf.shape(x)[0], 3]``) or negative dims (refused by Fill)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, default_name, []) as scope:
        if not isinstance(shape, Tensor):
            dims = _static_dims(shape)
            if dims is not None and min(dims, default=0) >= 0:
                if int(np.prod(dims)) < 1000:
                    array = np.full(dims, value, dtype=dtype.as_numpy_dtype)
                    return create_op(Const(value=array), [], scope).outputs[0]
                shape = convert_to_tensor(np.array(dims, np.int32), name="shape_as_tensor")
            else:
                shape = convert_to_tensor(shape, dtype=dtypes.int32)
        value_t = convert_to_tensor(np.array(value, dtype.as_numpy_dtype), name="Const")
        return create_op(Fill(), [shape, value_t], scope).outputs[0]


def _static_dims(shape):
    """``shape`` as a list of ints, or None when it holds tensors."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    items = shape if isinstance(shape, (list, tuple, np.ndarray)) else [shape]
    if any(isinstance(d, Tensor) or hasattr(d, "_as_graph_element") for d in items):
        return None
    return [int(dimension_value(d)) for d in items]


def zeros(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """``tf.zeros``: float32 zeros by default; a bare int is a 1-D shape (``zeros(6)``)."""
    return _filled(shape, dtype, 0, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """``tf.ones``: float32 ones by default."""
    return _filled(shape, dtype, 1, name, "ones")


class ZerosLike(Op):
    type = "ZerosLike"
    gradient = None

    def forward(self, x):
        return xp.zeros_like(x)


class OnesLike(Op):
    type = "OnesLike"
    gradient = None

    def forward(self, x):
        return xp.ones_like(x)


def zeros_like(tensor, dtype=None, name=None, optimize=True) -> Tensor:
    """``tf.zeros_like``: a ZerosLike op (a Fill of ``tensor``'s shape when ``dtype`` differs)."""
    with name_scope(name, "zeros_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if dtype is not None and dtypes.as_dtype(dtype).base_dtype != tensor.dtype.base_dtype:
            if tensor.shape.is_fully_defined():
                return _filled(tensor.shape.as_list(), dtype, 0, scope, None)
            return _filled(shape(tensor), dtype, 0, scope, None)
        return create_op(ZerosLike(), [tensor], scope).outputs[0]


def ones_like(tensor, dtype=None, name=None, optimize=True) -> Tensor:
    """``tf.ones_like`` as TF1 builds it: a Fill of ``tensor``'s shape -- a Const ``Shape`` when the
    shape is static, so the ones are known while the graph is built (``tf.strided_slice``'s strides)."""
    with name_scope(name, "ones_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if optimize and tensor.shape.is_fully_defined():
            dims = convert_to_tensor(np.array(tensor.shape.as_list(), np.int32), name="Shape")
        else:
            dims = shape(tensor, name="Shape")
        ones = _filled(dims, dtype or tensor.dtype, 1, scope, None)
        ones.set_shape(tensor.shape)
        return ones


class Range(Op):
    type = "Range"
    gradient = None
    folds = True
    allowed_dtypes = {0: ("start", ("bfloat16", "float32", "float64", "int32", "int64"))}

    def infer(self, start, limit, delta):
        values = [constant_value(t) for t in (start, limit, delta)]
        if any(v is None for v in values):
            return start.dtype.base_dtype, TensorShape([None])
        problem = _range_problem(*(np.asarray(v).item() for v in values))
        if problem:   # TF1 says which values at build time, but not a zero delta's
            raise ShapeError("Requires delta != 0" if problem.startswith("Requires delta") else problem,
                             computed=(0, 1, 2))
        n = max(0, int(np.ceil((float(values[1]) - float(values[0])) / float(values[2]))))
        return start.dtype.base_dtype, TensorShape([n])

    def forward(self, start, limit, delta):
        problem = _range_problem(start.item(), limit.item(), delta.item())
        if problem:
            raise InvalidArgumentError(None, None, problem)
        return xp.arange(start.item(), limit.item(), delta.item(), dtype=start.dtype)


def _range_problem(start, limit, delta) -> str:
    """TF1's complaint about a range that goes nowhere, or ''."""
    if delta == 0:
        return f"Requires delta != 0: {delta}"
    if delta > 0 and start > limit:
        return f"Requires start <= limit when delta > 0: {start}/{limit}"
    if delta < 0 and start < limit:
        return f"Requires start >= limit when delta < 0: {start}/{limit}"
    return ""


def range_(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:
    """``tf.range``: ``[start, limit)`` in steps of ``delta`` (int32 for Python ints)."""
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        values = [start, limit, delta]
        if dtype is None:   # TF1: the widest of the arguments' dtypes (int32 < int64 < float32 < float64)
            widths = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
            found = [v.dtype.base_dtype if isinstance(v, Tensor) else dtypes.as_dtype(constant_value_array(v).dtype)
                     for v in values]
            dtype = max(found, key=lambda d: widths.index(d) if d in widths else -1)
        start = convert_to_tensor(start, dtype=dtype, name="start")
        limit = convert_to_tensor(limit, dtype=dtype, name="limit")
        delta = convert_to_tensor(delta, dtype=dtype, name="delta")
        return create_op(Range(), [start, limit, delta], scope).outputs[0]


class LinSpace(Op):
    type = "LinSpace"
    gradient = None

    def infer(self, start, stop, num):
        n = constant_value(num)
        return start.dtype.base_dtype, TensorShape([None if n is None else int(n)])

    def forward(self, start, stop, num):
        return xp.linspace(start.item(), stop.item(), int(num), dtype=start.dtype)


def linspace(start, stop, num, name=None, axis=0) -> Tensor:
    """``tf.linspace``: ``num`` evenly spaced values from ``start`` to ``stop`` inclusive."""
    with name_scope(name, "LinSpace", [start, stop, num]) as scope:
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, dtype=start.dtype.base_dtype, name="stop")
        num = convert_to_tensor(num, dtype=dtypes.int32, name="num")
        return create_op(LinSpace(), [start, stop, num], scope).outputs[0]


lin_space = linspace


# ---- joining and splitting -----------------------------------------------------------------
class ConcatV2(Op):
    type = "ConcatV2"
    folds = True
    allowed_dtypes = {-1: ("axis", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "N": len(inputs) - 1, "Tidx": inputs[-1].dtype}

    def infer(self, *inputs):
        values, axis = inputs[:-1], constant_value(inputs[-1])
        dtype = values[0].dtype.base_dtype
        for v in values:
            if v.dtype.base_dtype != dtype:
                raise TypeError(f"Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                                f"[{', '.join(t.dtype.base_dtype.name for t in values)}] that don't all match.")
        ranks = [v.shape.ndims for v in values if v.shape.ndims is not None]
        for r in ranks[1:]:
            if r != ranks[0]:
                raise ShapeError(f"Shape must be rank {ranks[0]} but is rank {r}")
        if axis is None or not ranks:
            return dtype, TensorShape(None if not ranks else [None] * ranks[0])
        rank = ranks[0]
        axis = int(axis)
        if not -rank <= axis < rank:
            raise ShapeError(f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is rank {rank}",
                             computed=(len(inputs) - 1,))
        axis %= rank
        known = [v.shape for v in values if v.shape.dims is not None]
        before, after = TensorShape(known[0].as_list()[:axis]), TensorShape(known[0].as_list()[axis + 1:])
        total = 0
        for other in known[1:]:   # TF1 merges the dims before and after the axis separately
            before = merge_shapes(before, TensorShape(other.as_list()[:axis]), computed=(len(inputs) - 1,))
            after = merge_shapes(after, TensorShape(other.as_list()[axis + 1:]), computed=(len(inputs) - 1,))
        for v in values:
            d = None if v.shape.dims is None else v.shape.as_list()[axis]
            total = None if total is None or d is None else total + d
        return dtype, TensorShape(before.as_list() + [total] + after.as_list())

    def forward(self, *arrays):
        return xp.concatenate(arrays[:-1], axis=int(arrays[-1]))

    def kernel_error(self, error, *arrays):
        values, axis = arrays[:-1], int(arrays[-1])
        rank = values[0].ndim
        if not -rank <= axis < rank:
            return InvalidArgumentError(None, None, f"ConcatOp : Expected concatenating dimensions in the range "
                                                    f"[{-rank}, {rank}), but got {axis}")
        for i, v in enumerate(values[1:], 1):
            if v.ndim != rank or any(a != b for j, (a, b) in enumerate(zip(values[0].shape, v.shape))
                                     if j != axis % rank):
                return InvalidArgumentError(None, None, f"ConcatOp : Dimensions of inputs should match: shape[0] = "
                                                        f"{shape_list(values[0].shape)} vs. shape[{i}] = "
                                                        f"{shape_list(v.shape)}")
        return None

    def gradient(self, op, grad):
        values, axis = op.inputs[:-1], op.inputs[-1]
        sizes = [v.shape.as_list()[int(constant_value(axis))] if v.shape.dims is not None and
                 constant_value(axis) is not None else None for v in values]
        if None in sizes:
            if constant_value(axis) is None:
                raise NotImplementedError("the gradient of tf.concat needs a constant axis in minitf")
            sizes = stack([shape(v)[int(constant_value(axis))] for v in values])
        return split(grad, sizes, axis=axis) + [None]


def concat(values, axis, name="concat") -> Tensor:
    """``tf.concat``: join tensors along an existing ``axis``."""
    values = list(values)
    if len(values) == 1:
        return identity(values[0], name=name)
    names = [f"values_{i}" for i in range(len(values))] + ["axis"]
    with name_scope(name, "concat", values) as scope:
        tensors = [convert_to_tensor(v, name=n) for v, n in zip(values, names)]
        axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="axis")
        return create_op(ConcatV2(), tensors + [axis_t], scope).outputs[0]


class Pack(Op):
    type = "Pack"
    folds = True

    def __init__(self, axis=0):
        self.axis = axis

    def infer(self, *values):
        dtype = values[0].dtype.base_dtype
        shape = values[0].shape
        for v in values[1:]:
            if v.dtype.base_dtype != dtype:
                raise TypeError(f"Tensors in list passed to 'values' of 'Pack' Op have types "
                                f"[{', '.join(t.dtype.base_dtype.name for t in values)}] that don't all match.")
            try:
                shape = merge_shapes(shape, v.shape)
            except ShapeError as e:   # TF1 says it without the node
                raise ValueError(str(e)) from None
        if shape.dims is None:
            return dtype, TensorShape(None)
        dims = shape.as_list()
        axis = self.axis if self.axis >= 0 else len(dims) + 1 + self.axis
        dims.insert(axis, len(values))
        return dtype, TensorShape(dims)

    def forward(self, *arrays):
        return xp.stack(arrays, axis=self.axis)

    def kernel_error(self, error, *arrays):
        for i, a in enumerate(arrays[1:], 1):
            if a.shape != arrays[0].shape:
                return InvalidArgumentError(None, None, f"Shapes of all inputs must match: values[0].shape = "
                                                        f"{shape_list(arrays[0].shape)} != values[{i}].shape = "
                                                        f"{shape_list(a.shape)}")
        return None

    def gradient(self, op, grad):
        return unstack(grad, num=len(op.inputs), axis=self.axis)


def stack(values, axis=0, name="stack") -> Tensor:
    """``tf.stack``: join tensors along a new ``axis`` (``tf.pack`` in early TF1)."""
    values = list(values)
    with name_scope(name, "stack", values) as scope:
        dtype = next((v.dtype.base_dtype for v in values if isinstance(v, Tensor)), None)
        tensors = [convert_to_tensor(v, dtype=dtype, name=f"values_{i}") for i, v in enumerate(values)]
        rank = tensors[0].shape.ndims
        if rank is not None and not -rank - 1 <= axis < rank + 1:
            raise ValueError(f"axis = {axis} not in [{-rank - 1}, {rank + 1})")
        return create_op(Pack(axis=axis), tensors, scope).outputs[0]


def _autopacking(value, dtype=None, name=None, as_ref=False):
    """convert_to_tensor of a list holding tensors: TF1 packs it (op ``packed``; a Python item becomes
    a Const named by its place, ``packed/1``, of the tensors' dtype)."""
    if not _contains_tensor(value):
        return NotImplemented
    with name_scope(name, "packed", []) as scope:
        items = []
        for i, v in enumerate(value):
            if isinstance(v, (list, tuple)) and _contains_tensor(v):
                v = _autopacking(v, dtype, str(i))
            elif _contains_tensor(v):
                v = convert_to_tensor(v)   # a variable: its value
            items.append(v)
        dtype = dtype or next(v.dtype.base_dtype for v in items if isinstance(v, Tensor))
        tensors = [convert_to_tensor(v, dtype=dtype, name=str(i)) for i, v in enumerate(items)]
        return create_op(Pack(), tensors, scope).outputs[0]


def _contains_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


register_tensor_conversion_function((list, tuple), _autopacking)


class Unpack(Op):
    type = "Unpack"
    view_of_input = True

    def __init__(self, num, axis=0):
        self.num, self.axis = num, axis
        self.num_outputs = num

    def infer(self, value):
        dims = value.shape.as_list() if value.shape.dims is not None else None
        if dims is not None:
            del dims[self.axis]
        return [(value.dtype.base_dtype, TensorShape(dims))] * self.num

    def forward(self, value):
        return tuple(xp.moveaxis(value, self.axis, 0))

    def gradient(self, op, *grads):
        grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
        return [stack(grads, axis=self.axis)]


def unstack(value, num=None, axis=0, name="unstack") -> list:
    """``tf.unstack``: the slices of ``value`` along ``axis`` (their number must be known, or ``num``)."""
    value = convert_to_tensor(value)
    rank = value.shape.ndims
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(f"axis = {axis} not in [{-rank}, {rank})")
    if num is None:
        num = None if rank is None else value.shape.as_list()[axis]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {value.shape}")
    return apply_op(Unpack(num=num, axis=axis), (value,), name or "unstack", arg_names=("value",))


class Split(Op):
    """``tf.split(value, 3)``: ``num_split`` equal parts along the axis given by input 0."""

    type = "Split"
    view_of_input = True

    def __init__(self, num_split):
        self.num_split = num_split
        self.num_outputs = num_split

    def node_attrs(self, inputs):
        return {"T": inputs[1].dtype.base_dtype, "num_split": self.num_split}

    def infer(self, split_dim, value):
        dtype, rank, n = value.dtype.base_dtype, value.shape.ndims, self.num_split
        a = constant_value(split_dim)
        if rank is None or a is None:
            return [(dtype, TensorShape(None if rank is None else [None] * rank))] * n
        axis = check_axis(int(a), rank, "Dimension size, given by scalar input {axis} must be in range "
                                        "[-{rank}, {rank})", computed=(0,))
        dims = value.shape.as_list()
        if dims[axis] is not None:
            if dims[axis] % n:   # TF1 says it without the node
                raise ValueError(f"Dimension size must be evenly divisible by {n} but is {dims[axis]}")
            dims[axis] //= n
        return [(dtype, TensorShape(dims))] * n

    def forward(self, split_dim, value):
        axis = int(split_dim)
        size = value.shape[axis]
        if size % self.num_split:
            raise InvalidArgumentError(None, None, f"Number of ways to split should evenly divide the split dimension, "
                                                   f"but got split_dim {axis} (size = {size}) and num_split "
                                                   f"{self.num_split}")
        return tuple(xp.split(value, self.num_split, axis=axis))

    def gradient(self, op, *grads):
        grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
        return [None, concat(grads, op.inputs[0])]


class SplitV(Op):
    """``tf.split(value, [2, 3, -1])``: parts of the given sizes (one ``-1``: the rest) along ``axis``."""

    type = "SplitV"
    view_of_input = True
    allowed_dtypes = {1: ("size_splits", INDEX_TYPES)}

    def __init__(self, num_split):
        self.num_split = num_split
        self.num_outputs = num_split

    def infer(self, value, sizes, axis):
        dtype, rank = value.dtype.base_dtype, value.shape.ndims
        size_values, a = constant_value(sizes), constant_value(axis)
        if rank is None or a is None:
            return [(dtype, TensorShape(None if rank is None else [None] * rank))] * self.num_split
        axis = check_axis(int(a), rank, "Dimension size, given by scalar input {axis} must be in range "
                                        "[-{rank}, {rank})", computed=(1, 2))
        dims = value.shape.as_list()
        if size_values is None:
            return [(dtype, TensorShape(dims[:axis] + [None] + dims[axis + 1:]))] * self.num_split
        pieces = [int(n) for n in np.reshape(size_values, -1)]
        if pieces.count(-1) > 1:
            raise ShapeError("size_splits can only have one -1", computed=(1, 2))
        known = sum(n for n in pieces if n != -1)
        if dims[axis] is not None and (known > dims[axis] if -1 in pieces else known != dims[axis]):
            raise ShapeError(f"can't split axis of size {dims[axis]} into pieces of size "
                             f"[{','.join(map(str, pieces))}]", computed=(1, 2))
        rest = None if dims[axis] is None else dims[axis] - known
        return [(dtype, TensorShape(dims[:axis] + [rest if n == -1 else n] + dims[axis + 1:])) for n in pieces]

    def forward(self, value, sizes, axis):
        pieces = to_numpy(sizes).reshape(-1).tolist()
        known = sum(n for n in pieces if n != -1)
        size = value.shape[int(axis)]
        if (known > size) if -1 in pieces else (known != size):
            raise InvalidArgumentError(None, None, "Determined shape must either match input shape along split_dim "
                                                   "exactly if fully specified, or be less than the size of the input "
                                                   f"along split_dim if not fully specified.  Got: {known}")
        cuts = np.cumsum([size - known if n == -1 else n for n in pieces])[:-1].tolist()
        return tuple(xp.split(value, cuts, axis=int(axis)))

    def gradient(self, op, *grads):
        grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
        return [concat(grads, op.inputs[2]), None, None]


def split(value, num_or_size_splits, axis=0, num=None, name="split") -> list:
    """``tf.split``: cut ``value`` along ``axis`` into equal parts or parts of the given sizes."""
    sizes = convert_to_tensor(num_or_size_splits)   # TF1 makes this Const (named Const) for a number too
    if isinstance(num_or_size_splits, (int, np.integer)):
        return apply_op(Split(num_split=int(num_or_size_splits)), (axis, value), name or "split", same_dtype=False,
                        arg_names=("split_dim", "value"))
    if sizes.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
                         f"Argument provided: {num_or_size_splits}")
    if num is None:
        num = sizes.shape.as_list()[0]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {sizes.shape}")
    return apply_op(SplitV(num_split=num), (value, sizes, axis), name or "split", same_dtype=False,
                    arg_names=("value", "size_splits", "split_dim"))


# ---- slicing -------------------------------------------------------------------------------
def _encode_key(items: tuple) -> dict:
    """A Python index (``[1:, ::2, 0]``, as items) in TF1's encoding: per item a begin, end and stride,
    and bit masks for "from the start" / "to the end" / ``...`` / ``tf.newaxis`` / "drop this axis".
    The numbers may be ints or scalar int tensors: ``x[t]`` ends at ``t + 1``, an ``add`` op, as in TF1."""
    spec = dict(begin=[], end=[], strides=[], begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                shrink_axis_mask=0)
    for i, k in enumerate(items):
        bit = 1 << i
        start, stop, step = 0, 0, 1
        if k is Ellipsis:
            spec["ellipsis_mask"] |= bit
        elif k is None:
            spec["new_axis_mask"] |= bit
        elif isinstance(k, slice):
            step = 1 if k.step is None else k.step
            if k.start is None:
                spec["begin_mask"] |= bit
            else:
                start = k.start
            if k.stop is None:
                spec["end_mask"] |= bit
            else:
                stop = k.stop
        else:
            spec["shrink_axis_mask"] |= bit
            start, stop = k, k + 1
        spec["begin"].append(start)
        spec["end"].append(stop)
        spec["strides"].append(step)
    return spec


class _SliceSpec:
    """An index like ``[1:, ::2, 0]`` in TF1's encoding (see _encode_key), with its numbers known.
    The encoding is what the graph (and a saved meta graph) stores; ``_key`` is the numpy index
    the kernel uses, decoded once."""

    def __init__(self, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                 shrink_axis_mask=0):
        self.begin, self.end, self.strides = list(begin), list(end), list(strides)
        self.begin_mask, self.end_mask, self.ellipsis_mask = begin_mask, end_mask, ellipsis_mask
        self.new_axis_mask, self.shrink_axis_mask = new_axis_mask, shrink_axis_mask
        self._key = tuple(self._item(i) for i in range(len(self.begin)))

    def _item(self, i: int):
        bit = 1 << i
        if self.ellipsis_mask & bit:
            return Ellipsis
        if self.new_axis_mask & bit:
            return None
        if self.shrink_axis_mask & bit:
            return self.begin[i]
        return slice(None if self.begin_mask & bit else self.begin[i],
                              None if self.end_mask & bit else self.end[i],
                              None if self.strides[i] == 1 else self.strides[i])

    @classmethod
    def from_key(cls, key, **kwargs):
        """The op for a Python index of ints (``t[...]``)."""
        return cls(**_encode_key(key if isinstance(key, tuple) else (key,)), **kwargs)

    def _spec_attrs(self) -> dict:
        return {name: getattr(self, name) for name in (
            "begin", "end", "strides", "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
            "shrink_axis_mask")}

    def _problem(self) -> str | None:
        """TF1's complaint about the encoding itself (a zero stride, two ellipses), or None."""
        for i, stride in enumerate(self.strides):
            if stride == 0:
                return f"strides[{i}] must be non-zero"
        if bin(self.ellipsis_mask).count("1") > 1:
            return "Multiple ellipses in slice spec not allowed"
        return None

    def _normalized(self, rank):
        """The key with ``...`` expanded and missing trailing dims as ``:``."""
        key = self._key
        used = sum(k is not None and k is not Ellipsis for k in key)
        if Ellipsis in key:
            at = key.index(Ellipsis)
            key = key[:at] + (slice(None),) * (rank - used) + key[at + 1:]
        used = sum(k is not None for k in key)
        return tuple(key) + (slice(None),) * (rank - used)

    def _sliced_shape(self, shape: TensorShape, bounds_known: bool = True) -> TensorShape:
        """The static shape of ``x[key]`` for an ``x`` of ``shape``.  Without ``bounds_known`` (begin and
        end are tensors the graph does not fix) only what the masks decide is known, as in TF1's shape
        function: a dropped axis, a ``tf.newaxis``, and a ``:`` or ``::2`` over a known dim."""
        if shape.dims is None:
            return TensorShape(None)
        dims = shape.as_list()
        used = sum(k is not None and k is not Ellipsis for k in self._key)
        if used > len(dims):
            raise ShapeError(f"Index out of range using input dim {len(dims)}; input has only {len(dims)} dims",
                             computed=(3,))
        out, i = [], 0
        for k in self._normalized(len(dims)):
            if k is None:
                out.append(1)
                continue
            d, i = dims[i], i + 1
            if isinstance(k, slice):
                whole = k.start is None and k.stop is None
                out.append(None if d is None or not (bounds_known or whole) else len(range(*k.indices(d))))
            elif bounds_known and d is not None and not -d <= k < d:
                raise ShapeError(f"slice index {k + d if k < 0 else k} of dimension {i - 1} out of bounds.",
                                 computed=(1, 2, 3))
        return TensorShape(out)


class StridedSlice(_SliceSpec, Op):
    """``t[1:, ::2, 0]`` with Python ints: numpy basic indexing (a view of the input).  The indices
    are attrs, fixed when the graph is built; DynamicStridedSlice is TF1's form with them as inputs."""

    type = "StridedSlice"
    view_of_input = True
    folds = True

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Index": dtypes.int32, **self._spec_attrs()}

    def error_inputs(self, inputs):
        """As TF1 lists them: the input, then ``begin``, ``end`` and ``strides`` (minitf keeps those as attrs)."""
        index = TensorShape([len(self.begin)])
        return [(inputs[0].shape, None)] + [(index, np.asarray(v, np.int32)) for v in (self.begin, self.end,
                                                                                       self.strides)]

    def infer(self, x):
        problem = self._problem()
        if problem:
            raise ShapeError(problem, computed=(3,))
        return x.dtype.base_dtype, self._sliced_shape(x.shape)

    def kernel_error(self, error, x):
        i = 0
        for k in self._normalized(x.ndim):
            if k is None:
                continue
            if not isinstance(k, slice) and not -x.shape[i] <= k < x.shape[i]:
                return InvalidArgumentError(None, None, f"slice index {k + x.shape[i] if k < 0 else k} of "
                                                        f"dimension {i} out of bounds.")
            i += 1
        return None

    def forward(self, x):
        return x[self._key]

    def gradient(self, op, grad):
        return [apply_op(StridedSliceGrad(**self._spec_attrs()), (shape(op.inputs[0]), grad), "StridedSliceGrad",
                         same_dtype=False, arg_names=("shape", "dy"))]


class StridedSliceGrad(_SliceSpec, Op):
    """Scatter a slice's gradient back into zeros of the input's shape."""

    type = "StridedSliceGrad"

    def node_attrs(self, inputs):
        return {"T": inputs[1].dtype.base_dtype, "Index": dtypes.int32, **self._spec_attrs()}

    def infer(self, input_shape, dy):
        return dy.dtype.base_dtype, shape_from_tensor(input_shape)

    def forward(self, input_shape, dy):
        out = xp.zeros(tuple(int(n) for n in input_shape), dtype=dy.dtype)
        out[self._key] = dy
        return out

    def gradient(self, op, grad):
        return [None, apply_op(StridedSlice(**self._spec_attrs()), (grad,), "StridedSlice", arg_names=("input",))]


class _BoundsAsInputs:
    """A slice whose ``begin``, ``end`` and ``strides`` are int32/int64 tensor inputs, as TF1 builds
    every slice: the masks are attrs, the numbers are read when the graph runs, and then
    ``attr_form`` (the op with them as attrs) computes the slice."""

    attr_form: type
    MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")

    def __init__(self, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0):
        self.begin_mask, self.end_mask, self.ellipsis_mask = begin_mask, end_mask, ellipsis_mask
        self.new_axis_mask, self.shrink_axis_mask = new_axis_mask, shrink_axis_mask

    @classmethod
    def for_attrs(cls, attrs: dict) -> type:
        """The class that rebuilds a GraphDef node of this type: graphs minitf wrote keep constant
        bounds as attrs (``attr_form``), TensorFlow's graphs have them as inputs."""
        return cls.attr_form if "begin" in attrs else cls

    def _masks(self) -> dict:
        return {name: getattr(self, name) for name in self.MASKS}

    def _known(self, begin, end, strides):
        """The ``attr_form`` op for these bound values (host arrays or lists: the constant values)."""
        return self.attr_form(*(np.asarray(v).tolist() for v in (begin, end, strides)), **self._masks())

    def _at_run(self, begin, end, strides):
        """``_known`` for the bound arrays a kernel gets (copied from the device first)."""
        return self._known(*(to_numpy(v) for v in (begin, end, strides)))

    def _bounds_length(self, begin, end, strides):
        """TF1's checks of the bound tensors when the graph is built; their length, or None if unknown."""
        index = begin.dtype.base_dtype
        for name, t in (("end", end), ("strides", strides)):
            if t.dtype.base_dtype != index:
                raise TypeError(f"Input '{name}' of '{self.type}' Op has type {t.dtype.base_dtype.name} that "
                                f"does not match type {index.name} of argument 'begin'.")
        for t in (begin, end, strides):
            if t.shape.ndims not in (None, 1):
                raise ShapeError(f"Shape must be rank 1 but is rank {t.shape.ndims}")
        length = merge_shapes(merge_shapes(begin.shape, end.shape), strides.shape)
        return None if length.dims is None else length.as_list()[0]

    def _run_problem(self, begin, end, strides) -> str | None:
        """TF1's kernel complaint about the bound values, or None."""
        if not (begin.ndim == 1 and begin.shape == end.shape == strides.shape):
            return (f"Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
                    f"{shape_list(begin.shape)}, {shape_list(end.shape)}, and {shape_list(strides.shape)} instead.")
        return self._at_run(begin, end, strides)._problem()


class DynamicStridedSlice(_BoundsAsInputs, Op):
    """``x[t]``, ``x[:n]``, ``x[i, :, j]`` with tensors in the key: TF1's StridedSlice with ``begin``,
    ``end`` and ``strides`` as inputs, read when the graph runs (a loop counter, a placeholder)."""

    type = "StridedSlice"
    attr_form = StridedSlice
    view_of_input = True
    folds = True
    allowed_dtypes = {1: ("begin", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Index": inputs[1].dtype.base_dtype, **self._masks()}

    def infer(self, x, begin, end, strides):
        length = self._bounds_length(begin, end, strides)
        stride_values = constant_value(strides)
        if x.shape.dims is None or length is None or stride_values is None:
            return x.dtype.base_dtype, TensorShape(None)
        bounds = [constant_value(begin), constant_value(end)]
        known = all(v is not None for v in bounds)
        spec = self._known(*(bounds if known else [[0] * length] * 2), stride_values)
        problem = spec._problem()
        if problem:
            raise ShapeError(problem, computed=(3,))
        return x.dtype.base_dtype, spec._sliced_shape(x.shape, bounds_known=known)

    def forward(self, x, begin, end, strides):
        return self._at_run(begin, end, strides).forward(x)

    def kernel_error(self, error, x, begin, end, strides):
        problem = self._run_problem(begin, end, strides)
        if problem:
            return InvalidArgumentError(None, None, problem)
        return self._at_run(begin, end, strides).kernel_error(error, x)

    def gradient(self, op, grad):
        x, begin, end, strides = op.inputs
        dx = apply_op(DynamicStridedSliceGrad(**self._masks()),
                      (shape(x, out_type=begin.dtype), begin, end, strides, grad), "StridedSliceGrad",
                      same_dtype=False, arg_names=("shape", "begin", "end", "strides", "dy"))
        return [dx, None, None, None]


class DynamicStridedSliceGrad(_BoundsAsInputs, Op):
    """DynamicStridedSlice's gradient (TF1's StridedSliceGrad): ``dy`` scattered into zeros of the
    input's ``shape``, at the place the bound tensors name."""

    type = "StridedSliceGrad"
    attr_form = StridedSliceGrad
    allowed_dtypes = {0: ("shape", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[4].dtype.base_dtype, "Index": inputs[0].dtype.base_dtype, **self._masks()}

    def infer(self, input_shape, begin, end, strides, dy):
        self._bounds_length(begin, end, strides)
        return dy.dtype.base_dtype, shape_from_tensor(input_shape)

    def forward(self, input_shape, begin, end, strides, dy):
        return self._at_run(begin, end, strides).forward(input_shape, dy)

    def kernel_error(self, error, input_shape, begin, end, strides, dy):
        problem = self._run_problem(begin, end, strides)
        return InvalidArgumentError(None, None, problem) if problem else None

    def gradient(self, op, grad):
        _, begin, end, strides, _ = op.inputs
        return [None, None, None, None,
                apply_op(DynamicStridedSlice(**self._masks()), (grad, begin, end, strides), "StridedSlice",
                         same_dtype=False, arg_names=("input", "begin", "end", "strides"))]


def _index_number(value):
    """One number of an index as TF1's ``_check_index`` takes it: an int (or a Dimension's), or a
    scalar int32/int64 tensor (a vector is refused: TF1 has no numpy-style fancy indexing)."""
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        if value.dtype.base_dtype.name in INDEX_TYPES and value.shape.ndims != 1:
            return value
    elif isinstance(dimension_value(value), (int, np.integer)):
        return int(dimension_value(value))
    raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                    f"scalar tf.int32/tf.int64 tensors are valid indices, got {value!r}")


def _slice_key(key) -> tuple:
    """The items of ``t[key]``, their numbers checked (see _index_number)."""
    out = []
    for k in key if isinstance(key, tuple) else (key,):
        if isinstance(k, slice):
            out.append(slice(*(None if v is None else _index_number(v) for v in (k.start, k.stop, k.step))))
        elif k is None or k is Ellipsis:
            out.append(k)
        else:
            out.append(_index_number(k))
    return tuple(out)


class Cast(Op):
    """Change the element type; float -> int truncates toward zero, bool -> float gives 0./1.

    (``tf.cast`` is TF1's math_ops; it lives here because slicing with int64 tensors needs it.)"""

    type = "Cast"
    folds = True

    def __init__(self, DstT):
        self.DstT = DstT
        self._np_type = DstT.as_numpy_dtype

    def node_attrs(self, inputs):
        return {"SrcT": inputs[0].dtype.base_dtype, "DstT": self.DstT, "Truncate": False}

    def infer(self, x):
        return self.DstT, x.shape

    def forward(self, x):
        if x.dtype == object and self.DstT != dtypes.string:   # numpy would parse the strings
            raise UnimplementedError(None, None, f"Cast string to {self.DstT.kernel_name} is not supported")
        return x.astype(self._np_type)

    def gradient(self, op, grad):
        source = op.inputs[0].dtype.base_dtype
        if (source.is_floating or source.is_complex) and (self.DstT.is_floating or self.DstT.is_complex):
            return [cast(grad, source)]
        return [None]


def cast(x, dtype, name=None) -> Tensor:
    """``tf.cast``: ``x`` with element type ``dtype`` (``x`` itself when it already has it)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype == dtype:
        return x   # before the name scope, as in TF1: no "Cast" name is used up
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return create_op(Cast(DstT=dtype), [x], scope).outputs[0]


def _getitem(tensor, key) -> Tensor:
    """``tensor[key]``: minitf's StridedSlice with the indices as attrs when they are all ints; when
    the key holds tensors, TF1's StridedSlice of the packed indices (``strided_slice/stack``,
    ``stack_1``, ``stack_2``, cast to int64 if any index is int64)."""
    items = _slice_key(key)
    numbers = [v for k in items for v in ((k.start, k.stop, k.step) if isinstance(k, slice) else (k,))]
    if all(v is None or v is Ellipsis or isinstance(v, int) for v in numbers):
        return apply_op(StridedSlice.from_key(items), (tensor,), "strided_slice", arg_names=("input",))
    spec = _encode_key(items)
    with name_scope(None, "strided_slice", [tensor]) as scope:
        bounds = [convert_to_tensor(spec.pop(part), name="stack") for part in ("begin", "end", "strides")]
        if any(b.dtype.base_dtype == dtypes.int64 for b in bounds):
            bounds = [cast(b, dtypes.int64) for b in bounds]
        return create_op(DynamicStridedSlice(**spec), [convert_to_tensor(tensor), *bounds], scope).outputs[0]


Tensor.__getitem__ = _getitem


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None) -> Tensor:
    """``tf.strided_slice``: the slice ``t[begin:end:strides]`` in TF1's encoding (see _encode_key).
    Bounds given as tensors make TF1's StridedSlice with them as inputs (strides default to ones)."""
    masks = dict(begin_mask=begin_mask, end_mask=end_mask, ellipsis_mask=ellipsis_mask,
                 new_axis_mask=new_axis_mask, shrink_axis_mask=shrink_axis_mask)
    if _contains_tensor([begin, end, strides]):
        strides = ones_like(begin) if strides is None else strides
        return apply_op(DynamicStridedSlice(**masks), (input_, begin, end, strides), name or "StridedSlice",
                        same_dtype=False, arg_names=("input", "begin", "end", "strides"))
    strides = [1] * len(begin) if strides is None else strides
    kind = StridedSlice([int(b) for b in begin], [int(e) for e in end], [int(s) for s in strides], **masks)
    return apply_op(kind, (input_,), name or "StridedSlice", arg_names=("input",))


class Slice(Op):
    """TF1's ``Slice`` with ``begin`` and ``size`` as tensors (``-1``: to the end), as graphs that
    TensorFlow wrote hold it (its gradient of ``softmax_cross_entropy_with_logits``)."""

    type = "Slice"
    folds = True
    allowed_dtypes = {1: ("begin", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Index": inputs[1].dtype.base_dtype}

    def infer(self, x, begin, size):
        length = begin.shape.as_list()[0] if begin.shape.ndims == 1 else None
        if x.shape.ndims is not None and length is not None and x.shape.ndims != length:
            raise ShapeError(f"Shape must be rank {length} but is rank {x.shape.ndims}")
        sizes = constant_value(size)
        if sizes is None or x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None if x.shape.dims is None
                                                   else [None] * x.shape.ndims)
        begins = constant_value(begin)
        dims = x.shape.as_list()
        return x.dtype.base_dtype, TensorShape([
            (None if d is None or begins is None or b < 0 else d - int(b)) if s == -1 else int(s)
            for d, b, s in zip(dims, begins if begins is not None else dims, sizes)])

    def forward(self, x, begin, size):
        begin, size = to_numpy(begin).tolist(), to_numpy(size).tolist()
        for i, (b, s, d) in enumerate(zip(begin, size, x.shape)):   # TF1's kernel checks
            if not 0 <= b <= d:
                raise InvalidArgumentError(None, None, f"Expected begin[{i}] in [0, {d}], but got {b}")
            if not 0 <= (d - b if s == -1 else s) <= d - b:
                raise InvalidArgumentError(None, None, f"Expected size[{i}] in [0, {d - b}], but got {s}")
        return x[tuple(slice(b, x.shape[i] if s == -1 else b + s)
                       for i, (b, s) in enumerate(zip(begin, size)))]

    def gradient(self, op, grad):
        x, begin, _ = op.inputs
        return [apply_op(SliceGrad(), (shape(x), begin, grad), "SliceGrad", same_dtype=False,
                         arg_names=("shape", "begin", "grad")), None, None]


class SliceGrad(Op):
    """Slice's gradient: ``grad`` put back at ``begin`` into zeros of the input's shape (TF1 pads)."""

    type = "SliceGrad"

    def infer(self, input_shape, begin, grad):
        return grad.dtype.base_dtype, shape_from_tensor(input_shape)

    def forward(self, input_shape, begin, grad):
        out = xp.zeros(tuple(int(n) for n in to_numpy(input_shape)), dtype=grad.dtype)
        out[tuple(slice(int(b), int(b) + n) for b, n in zip(to_numpy(begin), grad.shape))] = grad
        return out

    def gradient(self, op, grad):
        _, begin, dy = op.inputs
        return [None, None, apply_op(Slice(), (grad, begin, shape(dy)), "Slice", same_dtype=False,
                                     arg_names=("input", "begin", "size"))]


def slice_(input_, begin, size, name=None) -> Tensor:
    """``tf.slice``: ``size`` elements from ``begin`` in each dimension (``-1`` = to the end)."""
    return apply_op(Slice(), (input_, begin, size), name or "Slice", same_dtype=False,
                    arg_names=("input", "begin", "size"))



# ---- selection and gathering ---------------------------------------------------------------
class Select(Op):
    """TF1's ``tf.where(c, x, y)``: ``x`` and ``y`` of one shape, ``c`` of that shape too, a vector
    choosing whole rows, or a scalar choosing all of ``x`` or all of ``y`` (no other broadcasting)."""

    type = "Select"
    allowed_dtypes = {0: ("condition", "bool")}

    def infer(self, condition, x, y):
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(f"Input 'e' of 'Select' Op has type {y.dtype.base_dtype.name} that does not "
                            f"match type {x.dtype.base_dtype.name} of argument 't'.")
        shape_ = merge_shapes(x.shape, y.shape)
        if condition.shape.ndims == 1 and shape_.ndims not in (None, 1):
            merge_shapes(TensorShape(condition.shape.as_list()), TensorShape(shape_.as_list()[:1]))
        elif condition.shape.ndims != 0:
            shape_ = merge_shapes(condition.shape, shape_)
        return x.dtype.base_dtype, shape_

    def kernel(self, op, session):
        forward = self.forward

        def select(condition, x, y):
            problem = _select_problem(op.name, condition, x, y)
            if problem:
                raise InvalidArgumentError(None, None, problem)
            return forward(condition, x, y)

        return select

    def forward(self, condition, x, y):
        if condition.ndim == 1 and x.ndim > 1:   # a row per element of the condition
            condition = condition.reshape((-1,) + (1,) * (x.ndim - 1))
        return xp.where(condition, x, y)

    def gradient(self, op, grad):
        c, x, y = op.inputs
        zeros = zeros_like(grad)
        return [None, reduce_to_shape(where(c, grad, zeros), x), reduce_to_shape(where(c, zeros, grad), y)]


class Where(Op):
    type = "Where"
    gradient = None

    def infer(self, condition):
        return dtypes.int64, TensorShape([None, condition.shape.ndims])

    def forward(self, condition):
        return xp.argwhere(condition).astype(np.int64)


def _select_problem(name: str, condition, x, y) -> str:
    """What TF1's Select kernel says about these shapes, or ''."""
    if (condition.ndim == 1 and x.ndim > 1) or condition.ndim == 0:
        if x.shape != y.shape:
            return (f"'then' and 'else' must have the same size.  but received: {shape_list(x.shape)} vs. "
                    f"{shape_list(y.shape)}")
        if condition.ndim and condition.shape[0] != x.shape[0]:
            return (f"Number of batches of 'then' must match size of 'cond', but saw: {x.shape[0]} vs. "
                    f"{condition.shape[0]}")
        return ""
    for i, other in ((1, x), (2, y)):
        if other.shape != condition.shape:
            return (f"Inputs to operation {name} of type Select must have the same size and shape.  Input 0: "
                    f"{shape_list(condition.shape)} != input {i}: {shape_list(other.shape)}")
    return ""


def where(condition, x=None, y=None, name=None) -> Tensor:
    """``tf.where``: elements of ``x`` where ``condition`` else of ``y`` (or the true indices)."""
    if x is None and y is None:
        return apply_op(Where(), (condition,), name or "Where", arg_names=("input",))
    with name_scope(name, "Select", [condition, x, y]) as scope:
        condition = convert_to_tensor(condition, name="condition")
        dtype = next((v.dtype.base_dtype for v in (x, y) if isinstance(v, Tensor)), None)
        x = convert_to_tensor(x, dtype=dtype, name="t")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="e")
        return create_op(Select(), [condition, x, y], scope).outputs[0]


class GatherV2(Op):
    type = "GatherV2"
    folds = True
    allowed_dtypes = {1: ("indices", INDEX_TYPES), 2: ("axis", INDEX_TYPES)}

    def infer(self, params, indices, axis):
        rank = params.shape.ndims
        if rank == 0:
            raise ShapeError("Shape must be at least rank 1 but is rank 0")
        a = constant_value(axis)
        if rank is not None and a is not None and not -rank <= int(a) < rank:
            raise ShapeError(f"Shape must be at least rank {int(a) + 1 if int(a) >= 0 else -int(a)} but is rank "
                             f"{rank}", computed=(2,))
        if params.shape.dims is None or indices.shape.dims is None or a is None:
            return params.dtype.base_dtype, TensorShape(None)
        dims = params.shape.as_list()
        a = int(a) % len(dims)
        return params.dtype.base_dtype, TensorShape(dims[:a] + indices.shape.as_list() + dims[a + 1:])

    def forward(self, params, indices, axis):
        size = params.shape[int(axis)]
        bad = (indices < 0) | (indices >= size)
        if bad.any():   # numpy would count a negative index from the end
            where_ = tuple(int(i) for i in to_numpy(xp.argwhere(bad)[0]))
            raise InvalidArgumentError(None, None, f"indices[{','.join(map(str, where_))}] = "
                                                   f"{indices[where_].item()} is not in [0, {size})")
        return xp.take(params, indices, axis=int(axis))

    def gradient(self, op, grad):
        params, indices, axis = op.inputs
        return [apply_op(GatherGrad(), (shape(params), indices, axis, grad), "GatherGrad", same_dtype=False,
                         arg_names=("shape", "indices", "axis", "grad")), None, None]


class GatherGrad(Op):
    """Add a gather's gradient back into zeros of the params' shape (dense, not IndexedSlices)."""

    type = "GatherGrad"
    gradient = None

    def infer(self, params_shape, indices, axis, grad):
        value = constant_value(params_shape)
        return grad.dtype.base_dtype, TensorShape(None if value is None else [int(v) for v in value])

    def forward(self, params_shape, indices, axis, grad):
        out = xp.zeros(tuple(int(n) for n in params_shape), dtype=grad.dtype)
        moved = xp.moveaxis(out, int(axis), 0)
        g = xp.moveaxis(grad, list(range(int(axis), int(axis) + indices.ndim)),
                        list(range(indices.ndim)))
        xp.add.at(moved, indices, g)
        return out


def gather(params, indices, validate_indices=None, name=None, axis=0) -> Tensor:
    """``tf.gather``: the slices of ``params`` at ``indices`` along ``axis``."""
    return apply_op(GatherV2(), (params, indices, axis), name or "GatherV2", same_dtype=False,
                    arg_names=("params", "indices", "axis"))


class OneHot(Op):
    type = "OneHot"
    gradient = None
    allowed_dtypes = {0: ("indices", ("uint8", "int32", "int64"))}

    def __init__(self, axis=-1):
        self.axis = axis

    def infer(self, indices, depth, on_value, off_value):
        d = constant_value(depth)
        if depth.shape.ndims not in (None, 0):
            raise ShapeError(f"Input must be scalar but has rank {depth.shape.ndims}", computed=(1,))
        if d is not None and int(d) < 0:
            raise ShapeError(f"Dimension size, given by scalar input 1, must be non-negative but is {int(d)}",
                             computed=(1,))
        if indices.shape.dims is None:
            return on_value.dtype.base_dtype, TensorShape(None)
        dims = indices.shape.as_list()
        dims.insert(len(dims) if self.axis == -1 else self.axis, None if d is None else int(d))
        return on_value.dtype.base_dtype, TensorShape(dims)

    def forward(self, indices, depth, on_value, off_value):
        hot = xp.arange(int(depth)) == xp.expand_dims(indices, -1)
        out = xp.where(hot, on_value, off_value).astype(on_value.dtype)
        return out if self.axis == -1 else xp.moveaxis(out, -1, self.axis)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None) -> Tensor:
    """``tf.one_hot``: ``[0, 2]`` with depth 3 -> ``[[1,0,0],[0,0,1]]`` (float32 by default)."""
    dtype = dtypes.as_dtype(dtype or (on_value.dtype if isinstance(on_value, Tensor) else dtypes.float32))
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        args = [convert_to_tensor(indices, name="indices"), convert_to_tensor(depth, dtype=dtypes.int32, name="depth"),
                convert_to_tensor(1 if on_value is None else on_value, dtype=dtype, name="on_value"),
                convert_to_tensor(0 if off_value is None else off_value, dtype=dtype, name="off_value")]
        return create_op(OneHot(axis=-1 if axis is None else axis), args, scope).outputs[0]


class Tile(Op):
    type = "Tile"
    folds = True
    allowed_dtypes = {1: ("multiples", INDEX_TYPES)}

    def infer(self, x, multiples):
        rank = x.shape.ndims
        if rank is not None and multiples.shape.dims is not None and multiples.shape.as_list() not in ([rank], [None]):
            raise ShapeError(f"Shape must be rank {rank} but is rank {multiples.shape.as_list()[0]}")
        m = constant_value(multiples)
        if x.shape.dims is None or m is None:
            return x.dtype.base_dtype, TensorShape(None if x.shape.dims is None else [None] * x.shape.ndims)
        return x.dtype.base_dtype, TensorShape([None if d is None or k < 0 else d * int(k)
                                                for d, k in zip(x.shape.as_list(), m)])

    def forward(self, x, multiples):
        multiples = [int(k) for k in to_numpy(multiples).reshape(-1)]
        if len(multiples) != x.ndim:
            raise InvalidArgumentError(None, None, f"Expected multiples argument to be a vector of length {x.ndim} "
                                                   f"but got length {len(multiples)}")
        for i, k in enumerate(multiples):
            if k < 0:
                raise InvalidArgumentError(None, None, f"Expected multiples[{i}] >= 0, but got {k}")
        return xp.tile(x, tuple(multiples))

    def gradient(self, op, grad):
        x, multiples = op.inputs
        if not x.shape.is_fully_defined() or constant_value(multiples) is None:
            raise NotImplementedError("the gradient of tf.tile needs static shapes in minitf")
        dims, m = x.shape.as_list(), [int(k) for k in constant_value(multiples)]
        split_shape = [v for pair in zip(m, dims) for v in pair]
        return [sum_over(reshape(grad, split_shape), list(range(0, 2 * len(dims), 2))), None]


def tile(input, multiples, name=None) -> Tensor:
    """``tf.tile``: repeat ``input`` ``multiples[i]`` times along axis i."""
    return apply_op(Tile(), (input, multiples), name or "Tile", same_dtype=False, arg_names=("input", "multiples"))


newaxis = None


class ReverseV2(Op):
    """``tf.reverse``: ``tensor`` with the order of its entries reversed along each of the axes ``axis``."""

    type = "ReverseV2"
    allowed_dtypes = {1: ("axis", INDEX_TYPES)}

    def infer(self, x, axis):
        axes, rank = constant_value(axis), x.shape.ndims
        seen = set()
        for i, a in enumerate(np.reshape(axes, -1) if axes is not None and rank is not None else ()):
            if not -rank <= a < rank:
                raise ShapeError(f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}", computed=(1,))
            if a % rank in seen:
                raise ShapeError(f"axis {a % rank} specified more than once.", computed=(1,))
            seen.add(a % rank)
        return x.dtype.base_dtype, x.shape

    def forward(self, x, axis):
        return xp.flip(x, tuple(int(a) for a in to_numpy(axis).reshape(-1)))

    def gradient(self, op, grad):
        return [reverse(grad, op.inputs[1]), None]


def reverse(tensor, axis, name=None) -> Tensor:
    """``tf.reverse`` (TF 1.15's, which is ``tf.reverse_v2``): reverse ``tensor`` along the axes ``axis``."""
    return apply_op(ReverseV2(), (tensor, axis), name or "ReverseV2", ("tensor", "axis"), same_dtype=False)


class Pad(Op):
    """``tf.pad``: ``paddings[i] = [before, after]`` entries added around axis i, all 0 (``PadV2``: the
    third input), or the tensor mirrored at its edges (``MirrorPad``, ``mode`` REFLECT or SYMMETRIC)."""

    type = "Pad"
    folds = True
    allowed_dtypes = {1: ("paddings", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tpaddings": inputs[1].dtype.base_dtype, **vars(self)}

    def infer(self, x, paddings, *constant_values):
        if paddings.shape.ndims not in (None, 2):
            raise ShapeError(f"Shape must be rank 2 but is rank {paddings.shape.ndims}")
        rank, pairs = (paddings.shape.as_list() if paddings.shape.ndims == 2 else [None, None])
        if pairs not in (None, 2):
            raise ShapeError(f"Dimension must be 2 but is {pairs}")
        if x.shape.ndims is not None and rank not in (None, x.shape.ndims):
            raise ShapeError(f"Shape must be rank {rank} but is rank {x.shape.ndims}")
        rank = x.shape.ndims if rank is None else rank
        if rank is None:
            return x.dtype.base_dtype, TensorShape(None)
        pads = constant_value(paddings)
        if pads is not None and (np.asarray(pads) < 0).any():
            raise ShapeError("Paddings must be non-negative", computed=(1,))
        dims = x.shape.as_list() if x.shape.dims is not None else [None] * rank
        return x.dtype.base_dtype, TensorShape([None if d is None or pads is None else d + int(a) + int(b)
                                                for d, (a, b) in zip(dims, pads if pads is not None else dims)])

    def forward(self, x, paddings, constant_value=0):
        pads = to_numpy(paddings).tolist()
        for (before, after), dim in zip(pads, x.shape):   # TF1's kernel checks
            if min(before, after) < 0:
                raise InvalidArgumentError(None, None, f"Paddings must be non-negative: {before} {after}")
            if getattr(self, "mode", None) == "REFLECT" and max(before, after) >= dim:
                raise InvalidArgumentError(None, None, f"paddings must be less than the dimension size: {before}, "
                                                       f"{after} not less than {dim}")
            if getattr(self, "mode", None) == "SYMMETRIC" and max(before, after) > dim:
                raise InvalidArgumentError(None, None, f"paddings must be no greater than the dimension size: "
                                                       f"{before}, {after} greater than {dim}")
        if hasattr(self, "mode"):
            return xp.pad(x, pads, mode=self.mode.lower())
        return xp.pad(x, pads, constant_values=constant_value)

    def gradient(self, op, grad):
        x, paddings = op.inputs[:2]
        if hasattr(self, "mode"):
            return [apply_op(MirrorPadGrad(mode=self.mode), (grad, paddings), "MirrorPadGrad", same_dtype=False,
                             arg_names=("input", "paddings")), None]
        begin = reshape(slice_(paddings, [0, 0], stack([rank(x), 1])), [-1])
        return [slice_(grad, begin, shape(x))] + [None] * (len(op.inputs) - 1)


class PadV2(Pad):
    type = "PadV2"


class MirrorPad(Pad):
    type = "MirrorPad"


class MirrorPadGrad(Pad):
    """MirrorPad's gradient: the padded gradient folded back onto the entries the padding copied."""

    type = "MirrorPadGrad"

    def infer(self, grad, paddings):
        pads = constant_value(paddings)
        if grad.shape.dims is None or pads is None:
            return grad.dtype.base_dtype, TensorShape(None if grad.shape.dims is None else [None] * grad.shape.ndims)
        return grad.dtype.base_dtype, TensorShape([None if d is None else d - int(a) - int(b)
                                                   for d, (a, b) in zip(grad.shape.as_list(), pads)])

    def forward(self, grad, paddings):
        skip = 1 if self.mode == "REFLECT" else 0   # REFLECT copies from the entry next to the edge
        for axis, (before, after) in enumerate(to_numpy(paddings).tolist()):
            grad = xp.moveaxis(grad, axis, 0)
            n = grad.shape[0] - before - after
            inner = grad[before:before + n].copy()
            inner[skip:skip + before] += grad[:before][::-1]
            inner[n - skip - after:n - skip] += grad[before + n:][::-1]
            grad = xp.moveaxis(inner, 0, axis)
        return grad

    def gradient(self, op, grad):
        return [pad(grad, op.inputs[1], self.mode), None]


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0) -> Tensor:
    """``tf.pad``: ``tensor`` with ``paddings[i] = [before, after]`` entries added around axis i (see :class:`Pad`)."""
    mode = mode.upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
            return apply_op(Pad(), (tensor, paddings), name or "Pad", ("input", "paddings"), same_dtype=False)
        tensor = convert_to_tensor(tensor, name="tensor")
        return apply_op(PadV2(), (tensor, paddings, convert_to_tensor(constant_values, tensor.dtype.base_dtype)),
                        name or "PadV2", ("input", "paddings", "constant_values"), same_dtype=False)
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"Unknown padding mode: {mode}")
    return apply_op(MirrorPad(mode=mode), (tensor, paddings), name or "MirrorPad", ("input", "paddings"),
                    same_dtype=False)


class Diag(Op):
    """``tf.diag``: a tensor of shape ``d + d`` with ``diagonal`` (of shape ``d``) on its diagonal, 0 elsewhere."""

    type = "Diag"

    def infer(self, diagonal):
        if diagonal.shape.ndims == 0:
            raise ShapeError("Shape must be at least rank 1 but is rank 0")
        return diagonal.dtype.base_dtype, diagonal.shape.concatenate(diagonal.shape)

    def forward(self, diagonal):
        return xp.diagflat(diagonal.reshape(-1)).reshape(diagonal.shape * 2)

    def gradient(self, op, grad):
        return [diag_part(grad)]


class DiagPart(Op):
    """``tf.diag_part``: of a tensor of shape ``d + d``, the entries ``x[i..., i...]`` (shape ``d``)."""

    type = "DiagPart"

    def infer(self, x):
        if x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = x.shape.as_list()
        half = len(dims) // 2
        if len(dims) % 2 or not dims:
            raise ShapeError(f"Input must have even and non-zero rank, input rank is {len(dims)}")
        return x.dtype.base_dtype, merge_shapes(TensorShape(dims[:half]), TensorShape(dims[half:]))

    def forward(self, x):
        half = x.ndim // 2
        for i in range(half):
            if x.shape[i] != x.shape[i + half]:
                raise InvalidArgumentError(None, None, f"Invalid shape {shape_list(x.shape)}: dimensions {i} and "
                                                       f"{i + half} do not match.")
        n = int(np.prod(x.shape[:half]))
        return xp.diagonal(x.reshape(n, n)).reshape(x.shape[:half]).copy()

    def gradient(self, op, grad):
        return [diag(grad)]


def diag(diagonal, name=None) -> Tensor:
    """``tf.diag``: see :class:`Diag`."""
    return apply_op(Diag(), (diagonal,), name or "Diag", ("diagonal",))


def diag_part(input, name=None) -> Tensor:
    """``tf.diag_part``: see :class:`DiagPart`."""
    return apply_op(DiagPart(), (input,), name or "DiagPart", ("input",))


def matrix_transpose(a, name="matrix_transpose", conjugate=False) -> Tensor:
    """``tf.matrix_transpose``: swap the last two axes of a (batch of) matrices."""
    with name_scope(name, values=[a]):
        a = convert_to_tensor(a, name="a")
        ndims = a.shape.ndims
        if ndims is None or ndims < 2:
            raise ValueError(f"Argument 'a' should be a (batch) matrix, with rank >= 2.  Found: {a.shape}")
        return transpose(a, list(range(ndims - 2)) + [ndims - 1, ndims - 2])


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None) -> Tensor:
    """``tf.eye``: the identity matrix (ones on the diagonal), ``num_rows x num_columns``, repeated over
    ``batch_shape``; minitf takes the sizes as Python ints and makes a constant."""
    matrix = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
                    dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    return constant(np.broadcast_to(matrix, tuple(batch_shape or ()) + matrix.shape), name=name or "eye")


def boolean_mask(tensor, mask, name="boolean_mask", axis=None) -> Tensor:
    """``tf.boolean_mask``: the entries of ``tensor`` where ``mask`` is True; the ``k`` axes ``mask``
    covers (from ``axis``) become one axis of unknown size, as in TF1 (Where, then Gather)."""
    with name_scope(name, values=[tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        k, axis = mask.shape.ndims, axis or 0
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions are None.  "
                             "E.g. shape=[None] is ok, but shape=None is not.")
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        tensor.shape[axis:axis + k].assert_is_compatible_with(mask.shape)
        dims = shape(tensor)
        flat = reshape(tensor, concat([dims[:axis], [-1], dims[axis + k:]], 0))
        return gather(flat, squeeze(where(reshape(mask, [-1])), axis=[1]), axis=axis)


def is_tensor(x) -> bool:
    """``tf.is_tensor``: whether ``x`` is a Tensor (a Python or numpy value is not)."""
    return isinstance(x, Tensor)


class Unique(Op):
    """``tf.unique``: a vector's distinct entries in the order they first appear, and for each entry
    the index of its value among them (``x == y[idx]``)."""

    type = "Unique"
    num_outputs = 2
    gradient = None

    def __init__(self, out_idx=dtypes.int32):
        self.out_idx = out_idx

    def infer(self, x):
        if x.shape.ndims not in (None, 1):
            raise ShapeError(f"Shape must be rank 1 but is rank {x.shape.ndims}")
        return [(x.dtype.base_dtype, TensorShape([None])), (self.out_idx, x.shape)]

    def forward(self, x):
        _, first, inverse = xp.unique(x, return_index=True, return_inverse=True)
        order = xp.argsort(first)                    # the distinct values by first appearance
        position = xp.empty_like(order)
        position[order] = xp.arange(order.size)
        return x[first[order]], position[inverse.reshape(-1)].astype(self.out_idx.as_numpy_dtype)


def unique(x, out_idx=dtypes.int32, name=None) -> list:
    """``tf.unique``: ``(y, idx)``, see :class:`Unique`."""
    return apply_op(Unique(dtypes.as_dtype(out_idx)), (x,), name or "Unique")


def _index_tuple(indices):
    """``indices[..., k]`` index vectors as the tuple numpy indexes with (one array per axis)."""
    return tuple(xp.moveaxis(indices, -1, 0))


def _check_index_vectors(indices, shape: tuple, what: str) -> None:
    """TF1's kernel check: every index vector must lie inside ``shape``'s first axes."""
    inside = ((indices >= 0) & (indices < xp.asarray(shape[:indices.shape[-1]]))).all(axis=-1)
    if not inside.all():
        where_bad = tuple(int(i) for i in np.argwhere(to_numpy(~inside))[0])
        raise InvalidArgumentError(None, None, f"indices{list(where_bad)} = {to_numpy(indices[where_bad]).tolist()} "
                                               f"does not index into {what} {shape_list(shape)}")


class GatherNd(Op):
    """``tf.gather_nd``: for each index vector (the last axis of ``indices``, of length k), the entry
    or slice ``params[i0, ..., ik-1]``; the result is ``indices.shape[:-1] + params.shape[k:]``."""

    type = "GatherNd"
    allowed_dtypes = {1: ("indices", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"Tparams": inputs[0].dtype.base_dtype, "Tindices": inputs[1].dtype.base_dtype}

    def infer(self, params, indices):
        if indices.shape.ndims == 0:
            raise ShapeError("Shape must be at least rank 1 but is rank 0")
        k = dimension_value(indices.shape[-1]) if indices.shape.ndims is not None else None
        if k is None or params.shape.ndims is None:
            return params.dtype.base_dtype, TensorShape(None)
        if k > params.shape.ndims:
            raise ShapeError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
                             f"{shape_list(indices.shape)} and params shape: {shape_list(params.shape)}")
        return params.dtype.base_dtype, TensorShape(indices.shape.as_list()[:-1] + params.shape.as_list()[k:])

    def forward(self, params, indices):
        _check_index_vectors(indices, params.shape, "param shape")
        return params[_index_tuple(indices)]

    def gradient(self, op, grad):
        params, indices = op.inputs
        return [scatter_nd(indices, grad, shape(params, out_type=indices.dtype)), None]


def gather_nd(params, indices, name=None, batch_dims=0) -> Tensor:
    """``tf.gather_nd``: see :class:`GatherNd` (minitf: ``batch_dims=0`` only)."""
    if batch_dims:
        raise ValueError("minitf's tf.gather_nd takes batch_dims=0 only")
    return apply_op(GatherNd(), (params, indices), name or "GatherNd", ("params", "indices"), same_dtype=False)


class ScatterNd(Op):
    """``tf.scatter_nd``: a tensor of zeros of ``shape`` with each of ``updates`` added at its index
    vector (the last axis of ``indices``); updates to the same place add up."""

    type = "ScatterNd"
    allowed_dtypes = {0: ("indices", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[1].dtype.base_dtype, "Tindices": inputs[0].dtype.base_dtype}

    def infer(self, indices, updates, shape):
        return updates.dtype.base_dtype, shape_from_tensor(shape)

    def forward(self, indices, updates, shape):
        out = xp.zeros(tuple(int(n) for n in to_numpy(shape)), updates.dtype)
        _check_index_vectors(indices, out.shape, "shape")
        xp.add.at(out, _index_tuple(indices), updates)
        return out

    def gradient(self, op, grad):
        return [None, gather_nd(grad, op.inputs[0]), None]


def scatter_nd(indices, updates, shape, name=None) -> Tensor:
    """``tf.scatter_nd``: see :class:`ScatterNd`."""
    return apply_op(ScatterNd(), (indices, updates, shape), name or "ScatterNd", ("indices", "updates", "shape"),
                    same_dtype=False)


def meshgrid(*args, **kwargs) -> list:
    """``tf.meshgrid(x, y, ...)``: N coordinate grids of the N vectors' lengths; ``indexing='xy'``
    (the default, as numpy's) swaps the first two axes, ``'ij'`` keeps them in order."""
    indexing, name = kwargs.pop("indexing", "xy"), kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError("indexing parameter must be either 'xy' or 'ij'")
    with name_scope(name, "meshgrid", args):
        vectors = [convert_to_tensor(x) for x in args]
        ones_shape = [1] * len(vectors)
        outputs = [reshape(x, ones_shape[:i] + [-1] + ones_shape[i + 1:]) for i, x in enumerate(vectors)]
        sizes = [size(x) for x in vectors]
        if indexing == "xy" and len(vectors) > 1:
            outputs[0] = reshape(outputs[0], [1, -1] + ones_shape[2:])
            outputs[1] = reshape(outputs[1], [-1, 1] + ones_shape[2:])
            sizes[0], sizes[1] = sizes[1], sizes[0]
        grid = ones(stack(sizes), vectors[0].dtype.base_dtype)
        return [x * grid for x in outputs]

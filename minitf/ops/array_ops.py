"""Array ops: creating, reshaping, joining, slicing and feeding tensors (notebooks 01 and 03)."""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import to_numpy, xp
from ..errors import InvalidArgumentError
from ..graph import Tensor, name_scope
from ..tensor_shape import TensorShape, dimension_value
from .base import (Const, Op, ShapeError, apply_op, constant_value, constant_value_array, convert_to_tensor,
                   create_op, register_tensor_conversion_function, shape_list)
from .shape_ops import broadcast_shape, reduce_to_shape, reshape, shape, shape_from_tensor, shape_of_static, sum_over


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
            raise TypeError(f"Too many elements provided. Needed at most {size}, but received {array.size}")
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
            dtype = {"float32": "float", "float64": "double"}.get(self.dtype.name, self.dtype.name)
            shape = "" if self.shape.dims is None else " and shape " + shape_list(self.shape)
            raise InvalidArgumentError(None, op, f"You must feed a value for placeholder tensor '{op.name}' "
                                                 f"with dtype {dtype}{shape}\n\t [[{{{{node {op.name}}}}}]]")
        return unfed


def placeholder(dtype, shape=None, name=None) -> Tensor:
    """``tf.placeholder``: an input fed with ``feed_dict``; ``None`` dims (``[None, 3]``) take any size."""
    kind = Placeholder(dtype=dtypes.as_dtype(dtype).base_dtype, shape=TensorShape(shape))
    return create_op(kind, [], name or "Placeholder").outputs[0]


# ---- identity and friends ------------------------------------------------------------------
class Identity(Op):
    type = "Identity"
    view_of_input = True

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

    def infer(self, x, perm):
        p = constant_value(perm)
        if x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = x.shape.dims
        if p is None:
            return x.dtype.base_dtype, TensorShape([None] * len(dims))
        return x.dtype.base_dtype, TensorShape([dims[int(i)] for i in p])

    def forward(self, x, perm):
        return x.transpose(to_numpy(perm).tolist())

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

    def infer(self, x, axis):
        a = constant_value(axis)
        if x.shape.dims is None or a is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = list(x.shape.dims)
        a = int(a)
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

    def __init__(self, squeeze_dims=()):
        self.squeeze_dims = list(squeeze_dims)

    def infer(self, x):
        if x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = x.shape.as_list()
        rank = len(dims)
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

    def infer(self, dims, value):
        return value.dtype.base_dtype, shape_from_tensor(dims)

    def forward(self, dims, value):
        return xp.full(tuple(int(d) for d in dims), value, dtype=value.dtype)

    def gradient(self, op, grad):
        return [None, reduce_to_shape(grad, op.inputs[1])]   # the value was broadcast to every element


def fill(dims, value, name=None) -> Tensor:
    """``tf.fill``: a tensor of shape ``dims`` filled with ``value`` (``fill([2, 3], 9)`` is int32)."""
    return apply_op(Fill(), (dims, value), name or "Fill", same_dtype=False, arg_names=("dims", "value"))


def _filled(shape, dtype, value, name, default_name) -> Tensor:
    """tf.zeros/tf.ones: a Const when small (TF1's _constant_if_small), else a Fill."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, default_name, []) as scope:
        if isinstance(shape, Tensor):
            return create_op(Fill(), [shape, convert_to_tensor(value, dtype=dtype)], scope).outputs[0]
        if isinstance(shape, TensorShape):
            shape = shape.as_list()
        dims = [int(dimension_value(d)) for d in (shape if isinstance(shape, (list, tuple)) else [shape])]
        if int(np.prod(dims)) < 1000:
            array = np.full(dims, value, dtype=dtype.as_numpy_dtype)
            return create_op(Const(value=array), [], scope).outputs[0]
        dims_t = convert_to_tensor(np.array(dims, np.int32), name="shape_as_tensor")
        value_t = convert_to_tensor(np.array(value, dtype.as_numpy_dtype), name="Const")
        return create_op(Fill(), [dims_t, value_t], scope).outputs[0]


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


def _like(kind_cls, default_name, tensor, dtype, name):
    with name_scope(name, default_name, [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        if dtype is not None and dtypes.as_dtype(dtype).base_dtype != tensor.dtype.base_dtype:
            if tensor.shape.is_fully_defined():
                return _filled(tensor.shape.as_list(), dtype, 0 if kind_cls is ZerosLike else 1, scope, None)
            return _filled(shape(tensor), dtype, 0 if kind_cls is ZerosLike else 1, scope, None)
        return create_op(kind_cls(), [tensor], scope).outputs[0]


def zeros_like(tensor, dtype=None, name=None, optimize=True) -> Tensor:
    return _like(ZerosLike, "zeros_like", tensor, dtype, name)


def ones_like(tensor, dtype=None, name=None, optimize=True) -> Tensor:
    return _like(OnesLike, "ones_like", tensor, dtype, name)


class Range(Op):
    type = "Range"
    gradient = None

    def infer(self, start, limit, delta):
        values = [constant_value(t) for t in (start, limit, delta)]
        if any(v is None for v in values):
            return start.dtype.base_dtype, TensorShape([None])
        n = max(0, int(np.ceil((float(values[1]) - float(values[0])) / float(values[2]))))
        return start.dtype.base_dtype, TensorShape([n])

    def forward(self, start, limit, delta):
        return xp.arange(start.item(), limit.item(), delta.item(), dtype=start.dtype)


def range_(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:
    """``tf.range``: ``[start, limit)`` in steps of ``delta`` (int32 for Python ints)."""
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        values = [start, limit, delta]
        tensors = [t for t in values if isinstance(t, Tensor)]
        if dtype is None:
            if tensors:
                dtype = tensors[0].dtype.base_dtype
            else:
                kinds = [constant_value_array(v).dtype for v in values]
                dtype = dtypes.float32 if any(k.kind == "f" for k in kinds) else dtypes.int32
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

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "N": len(inputs) - 1, "Tidx": inputs[-1].dtype}

    def infer(self, *inputs):
        values, axis = inputs[:-1], constant_value(inputs[-1])
        dtype = values[0].dtype.base_dtype
        for v in values:
            if v.dtype.base_dtype != dtype:
                raise TypeError(f"Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                                f"[{', '.join(t.dtype.base_dtype.name for t in values)}] that don't all match.")
        if axis is None or any(v.shape.dims is None for v in values):
            return dtype, TensorShape(None)
        rank = len(values[0].shape.dims)
        axis = int(axis) % rank
        dims = values[0].shape.as_list()
        total = 0
        for v in values:
            other = v.shape.as_list()
            if len(other) != rank:
                raise ShapeError(f"Shape must be rank {rank} but is rank {len(other)}")
            for i, (a, b) in enumerate(zip(dims, other)):
                if i != axis and a is not None and b is not None and a != b:
                    raise ShapeError(f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                                     f"Shapes are {values[0].shape} and {v.shape}.")
            total = None if total is None or other[axis] is None else total + other[axis]
        dims[axis] = total
        return dtype, TensorShape(dims)

    def forward(self, *arrays):
        return xp.concatenate(arrays[:-1], axis=int(arrays[-1]))

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
                shape = shape.merge_with(v.shape)
            except ValueError:
                raise ShapeError(f"Shapes must be equal rank, but are {shape.ndims} and {v.shape.ndims}"
                                 if shape.ndims != v.shape.ndims else
                                 f"Shapes {shape} and {v.shape} are not compatible") from None
        if shape.dims is None:
            return dtype, TensorShape(None)
        dims = shape.as_list()
        axis = self.axis if self.axis >= 0 else len(dims) + 1 + self.axis
        dims.insert(axis, len(values))
        return dtype, TensorShape(dims)

    def forward(self, *arrays):
        return xp.stack(arrays, axis=self.axis)

    def gradient(self, op, grad):
        return unstack(grad, num=len(op.inputs), axis=self.axis)


def stack(values, axis=0, name="stack") -> Tensor:
    """``tf.stack``: join tensors along a new ``axis`` (``tf.pack`` in early TF1)."""
    values = list(values)
    with name_scope(name, "stack", values) as scope:
        dtype = next((v.dtype.base_dtype for v in values if isinstance(v, Tensor)), None)
        tensors = [convert_to_tensor(v, dtype=dtype, name=f"values_{i}") for i, v in enumerate(values)]
        return create_op(Pack(axis=axis), tensors, scope).outputs[0]


def _autopacking(value, dtype=None, name=None, as_ref=False):
    """convert_to_tensor of a list holding tensors: TF1 packs it (op ``packed``)."""
    if not _contains_tensor(value):
        return NotImplemented
    items = [_autopacking(v, dtype, name) if isinstance(v, (list, tuple)) else v for v in value]
    return stack(items, name=name or "packed")


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
    value = convert_to_tensor(value)
    if num is None:
        num = value.shape.as_list()[axis]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {value.shape}")
    return apply_op(Unpack(num=num, axis=axis), (value,), name or "unstack", arg_names=("value",))


class SplitV(Op):
    type = "SplitV"
    view_of_input = True

    def __init__(self, num_split):
        self.num_split = num_split
        self.num_outputs = num_split

    def infer(self, value, sizes, axis):
        size_values, a = constant_value(sizes), constant_value(axis)
        if value.shape.dims is None or a is None:
            return [(value.dtype.base_dtype, TensorShape(None))] * self.num_split
        out = []
        for i in range(self.num_split):
            dims = value.shape.as_list()
            dims[int(a)] = None if size_values is None else int(np.reshape(size_values, -1)[i])
            out.append((value.dtype.base_dtype, TensorShape(dims)))
        return out

    def forward(self, value, sizes, axis):
        cuts = np.cumsum(to_numpy(sizes).reshape(-1))[:-1].tolist()
        return tuple(xp.split(value, cuts, axis=int(axis)))

    def gradient(self, op, *grads):
        grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
        return [concat(grads, op.inputs[2]), None, None]


def split(value, num_or_size_splits, axis=0, num=None, name="split") -> list:
    """``tf.split``: cut ``value`` along ``axis`` into equal parts or parts of the given sizes."""
    value = convert_to_tensor(value)
    if isinstance(num_or_size_splits, int):
        length = value.shape.as_list()[int(axis)]
        sizes = [length // num_or_size_splits] * num_or_size_splits
    else:
        sizes = num_or_size_splits
    count = len(sizes) if isinstance(sizes, (list, tuple)) else (num or sizes.shape.as_list()[0])
    return apply_op(SplitV(num_split=count), (value, sizes, axis), name or "split", same_dtype=False,
                    arg_names=("value", "size_splits", "axis"))


# ---- slicing -------------------------------------------------------------------------------
class _SliceSpec:
    """An index like ``[1:, ::2, 0]`` in TF1's encoding: per item a begin, end and stride, and bit
    masks for "from the start" / "to the end" / ``...`` / ``tf.newaxis`` / "drop this axis".
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
        """The op for a Python index (``t[...]``)."""
        items = key if isinstance(key, tuple) else (key,)
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
        return cls(**spec, **kwargs)

    def _spec_attrs(self) -> dict:
        return {name: getattr(self, name) for name in (
            "begin", "end", "strides", "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
            "shrink_axis_mask")}


class StridedSlice(_SliceSpec, Op):
    """``t[1:, ::2, 0]``: numpy basic indexing (a view of the input)."""

    type = "StridedSlice"
    view_of_input = True

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Index": dtypes.int32, **self._spec_attrs()}

    def infer(self, x):
        if x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None)
        dims = x.shape.as_list()
        out, i = [], 0
        for k in self._normalized(len(dims)):
            if k is None:
                out.append(1)
                continue
            d, i = dims[i], i + 1
            if isinstance(k, slice):
                out.append(None if d is None else len(range(*k.indices(d))))
            elif d is not None and not -d <= k < d:
                raise ShapeError(f"slice index {k} of dimension {i - 1} out of bounds")
        return x.dtype.base_dtype, TensorShape(out)

    def _normalized(self, rank):
        """The key with ``...`` expanded and missing trailing dims as ``:``."""
        key = self._key if isinstance(self._key, tuple) else (self._key,)
        used = sum(k is not None and k is not Ellipsis for k in key)
        if Ellipsis in key:
            at = key.index(Ellipsis)
            key = key[:at] + (slice(None),) * (rank - used) + key[at + 1:]
        used = sum(k is not None for k in key)
        return tuple(key) + (slice(None),) * (rank - used)

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
        value = constant_value(input_shape)
        return dy.dtype.base_dtype, TensorShape(None if value is None else [int(v) for v in value])

    def forward(self, input_shape, dy):
        out = xp.zeros(tuple(int(n) for n in input_shape), dtype=dy.dtype)
        out[self._key] = dy
        return out

    def gradient(self, op, grad):
        return [None, apply_op(StridedSlice(**self._spec_attrs()), (grad,), "StridedSlice", arg_names=("input",))]


def _slice_key(key):
    items = key if isinstance(key, tuple) else (key,)
    out = []
    for k in items:
        if isinstance(k, slice):
            out.append(slice(*(None if v is None else int(dimension_value(v)) for v in (k.start, k.stop, k.step))))
        elif k is None or k is Ellipsis:
            out.append(k)
        elif isinstance(k, (int, np.integer)):
            out.append(int(k))
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                            f"scalar tf.int32/tf.int64 tensors are valid indices, got {k!r}")
    return tuple(out) if isinstance(key, tuple) else out[0]


def _getitem(tensor, key) -> Tensor:
    return apply_op(StridedSlice.from_key(_slice_key(key)), (tensor,), "strided_slice", arg_names=("input",))


Tensor.__getitem__ = _getitem


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None) -> Tensor:
    """``tf.strided_slice``: the slice ``t[begin:end:strides]`` in TF1's encoding (see _SliceSpec)."""
    strides = [1] * len(begin) if strides is None else strides
    kind = StridedSlice([int(b) for b in begin], [int(e) for e in end], [int(s) for s in strides], begin_mask,
                        end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    return apply_op(kind, (input_,), name or "StridedSlice", arg_names=("input",))


class Slice(Op):
    """TF1's ``Slice`` with ``begin`` and ``size`` as tensors (``-1``: to the end), as graphs that
    TensorFlow wrote hold it (its gradient of ``softmax_cross_entropy_with_logits``)."""

    type = "Slice"

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Index": inputs[1].dtype.base_dtype}

    def infer(self, x, begin, size):
        sizes = constant_value(size)
        if sizes is None or x.shape.dims is None:
            return x.dtype.base_dtype, TensorShape(None if x.shape.dims is None
                                                   else [None] * x.shape.ndims)
        begins = constant_value(begin)
        dims = x.shape.as_list()
        return x.dtype.base_dtype, TensorShape([
            (None if d is None or begins is None else d - int(b)) if s == -1 else int(s)
            for d, b, s in zip(dims, begins if begins is not None else dims, sizes)])

    def forward(self, x, begin, size):
        begin, size = to_numpy(begin).tolist(), to_numpy(size).tolist()
        for i, (b, s, d) in enumerate(zip(begin, size, x.shape)):
            end = d if s == -1 else b + s
            if not 0 <= b <= end <= d:
                raise ValueError(f"Expected size[{i}] in [0, {d - b}], but got {s}")
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
    begin = [int(b) for b in begin]
    size = [int(s) for s in size]
    key = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
    return apply_op(StridedSlice.from_key(key), (input_,), name or "Slice", arg_names=("input",))


# ---- selection and gathering ---------------------------------------------------------------
class Select(Op):
    type = "Select"

    def infer(self, condition, x, y):
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(f"Input 'e' of 'Select' Op has type {y.dtype.base_dtype.name} that does not "
                            f"match type {x.dtype.base_dtype.name} of argument 't'.")
        return x.dtype.base_dtype, broadcast_shape(condition.shape, broadcast_shape(x.shape, y.shape))

    forward = staticmethod(xp.where)

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

    def infer(self, params, indices, axis):
        a = constant_value(axis)
        if params.shape.dims is None or indices.shape.dims is None or a is None:
            return params.dtype.base_dtype, TensorShape(None)
        dims = params.shape.as_list()
        a = int(a) % len(dims)
        return params.dtype.base_dtype, TensorShape(dims[:a] + indices.shape.as_list() + dims[a + 1:])

    def forward(self, params, indices, axis):
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

    def __init__(self, axis=-1):
        self.axis = axis

    def infer(self, indices, depth, on_value, off_value):
        d = constant_value(depth)
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

    def infer(self, x, multiples):
        m = constant_value(multiples)
        if x.shape.dims is None or m is None:
            return x.dtype.base_dtype, TensorShape(None if x.shape.dims is None else [None] * x.shape.ndims)
        return x.dtype.base_dtype, TensorShape([None if d is None else d * int(k)
                                                for d, k in zip(x.shape.as_list(), m)])

    def forward(self, x, multiples):
        return xp.tile(x, tuple(int(k) for k in multiples))

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

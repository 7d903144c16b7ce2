"""Convolution and pooling on NHWC images: ``tf.nn.conv2d``, ``max_pool``, ``avg_pool`` (notebook 07).

No Python loop visits pixels.  A convolution is *im2col* plus one matrix product: a strided
view lists, for every output position, the ``kh x kw x in_channels`` input values under the
filter (``_Geometry.windows``); copied into a matrix of shape ``(positions, kh*kw*in)``, it is
multiplied by the filter reshaped to ``(kh*kw*in, out)``.  The filter's gradient is the same
matrix, transposed, times the output gradients.  The input's gradient goes the other way: one
product with the transposed filter gives every filter offset's share of the output gradients,
and each of the ``kh x kw`` offsets adds its shares back to the pixels it read (col2im), so the
loops run over the filter, never over the image.  Pooling reduces the same offsets with
``maximum`` or ``+``.

``padding="VALID"`` keeps only windows that fit; ``"SAME"`` pads so that the output has
``ceil(size / stride)`` positions, putting the odd extra pixel after (bottom/right), as TF1.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import xp
from ..errors import InvalidArgumentError
from ..graph import name_scope
from ..tensor_shape import TensorShape
from .array_ops import zeros_like
from .base import FLOAT_TYPES, Op, ShapeError, apply_op, convert_to_tensor, create_op
from .shape_ops import shape

_IM2COL_BYTES = 1 << 25   # the largest window matrix a forward convolution builds at once (32 MiB)
_COL2IM_BYTES = 1 << 23   # the block of gradient shares the input gradient adds back at once (8 MiB)
_NOT_NHWC = "minitf's convolution and pooling ops support data_format='NHWC' only (like TF1's CPU kernels)"


# ---- geometry ---------------------------------------------------------------------------------
def _out_and_pads(size, k, stride, dilation, padding):
    """(output size, padding before, padding after) along one spatial axis; None when size is unknown."""
    k_eff = (k - 1) * dilation + 1
    if size is None:
        return None, None, None
    if padding == "VALID":
        return max(0, (size - k_eff) // stride + 1), 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + k_eff - size, 0)
    return out, total // 2, total - total // 2


class _Geometry:
    """Output size and padding of a window op on an ``(n, h, w, c)`` input."""

    def __init__(self, h, w, kh, kw, strides, dilations, padding):
        self.h, self.w, self.kh, self.kw = h, w, kh, kw
        self.sh, self.sw = strides[1], strides[2]
        self.dh, self.dw = dilations[1], dilations[2]
        self.oh, self.top, self.bottom = _out_and_pads(h, kh, self.sh, self.dh, padding)
        self.ow, self.left, self.right = _out_and_pads(w, kw, self.sw, self.dw, padding)

    def pad(self, x, value=0):
        """``x`` with the padding rows and columns added (``x`` itself when there are none)."""
        if not (self.top or self.bottom or self.left or self.right):
            return x
        n, h, w, c = x.shape
        padded = xp.full((n, h + self.top + self.bottom, w + self.left + self.right, c), value, dtype=x.dtype)
        padded[:, self.top:self.top + h, self.left:self.left + w, :] = x   # (xp.pad does the same, slower)
        return padded

    def windows(self, padded):
        """A read-only strided view ``(n, oh, ow, kh, kw, c)``: the input values under every window."""
        n, _, _, c = padded.shape
        s0, s1, s2, s3 = padded.strides
        return xp.lib.stride_tricks.as_strided(
            padded, (n, self.oh, self.ow, self.kh, self.kw, c),
            (s0, s1 * self.sh, s2 * self.sw, s1 * self.dh, s2 * self.dw, s3), writeable=False)

    def im2col(self, x):
        """The ``(n*oh*ow, kh*kw*c)`` matrix of every window's values, one row per output position.

        Its columns are ordered (kh, kw, c), the filter's own layout, so the products with the filter
        reshaped to ``(kh*kw*c, out)`` need no transposed copy.  It is one copy of a strided view:
        window by window, each run of ``kw*c`` adjacent values at a time.  With one input channel (a
        grayscale image) those runs are short, so the matrix is built transposed instead, one image
        row per run; BLAS reads the transposed matrix as it is.
        """
        padded = self.pad(x)
        n, _, _, c = padded.shape
        if c > 1:
            return self.windows(padded).reshape(-1, self.kh * self.kw * c)
        s0, s1, s2, _ = padded.strides
        by_offset = xp.lib.stride_tricks.as_strided(
            padded, (self.kh, self.kw, n, self.oh, self.ow),
            (s1 * self.dh, s2 * self.dw, s0, s1 * self.sh, s2 * self.sw), writeable=False)
        return by_offset.reshape(self.kh * self.kw, -1).T

    def offsets(self):
        """For each filter offset (i, j): the rows and columns of the padded input it sees in every window."""
        for i in range(self.kh):
            for j in range(self.kw):
                rows = slice(i * self.dh, i * self.dh + self.sh * (self.oh - 1) + 1, self.sh)
                cols = slice(j * self.dw, j * self.dw + self.sw * (self.ow - 1) + 1, self.sw)
                yield i, j, rows, cols

    def inside_offsets(self):
        """For each filter offset (i, j): ``(out_rows, out_cols, rows, cols)``, the output positions whose
        window puts that offset on a real pixel, and those pixels' rows and columns in the unpadded input."""
        for i in range(self.kh):
            out_rows, rows = _inside(self.h, self.oh, self.sh, i * self.dh - self.top)
            for j in range(self.kw):
                out_cols, cols = _inside(self.w, self.ow, self.sw, j * self.dw - self.left)
                if out_rows.stop > out_rows.start and out_cols.stop > out_cols.start:
                    yield i, j, out_rows, out_cols, rows, cols

    def tiles(self, x):
        """The view ``(n, oh, kh, ow, kw, c)`` of ``x`` when the windows tile it exactly (``ksize ==
        strides``, no padding: 2x2 pooling of stride 2 on even sizes), else None."""
        if (self.kh, self.kw) != (self.sh, self.sw) or (self.oh * self.kh, self.ow * self.kw) != x.shape[1:3]:
            return None
        n, _, _, c = x.shape
        return x.reshape(n, self.oh, self.kh, self.ow, self.kw, c)

    def crop(self, padded, h, w):
        return padded[:, self.top:self.top + h, self.left:self.left + w, :]


def _inside(size, out, stride, shift):
    """Along one axis, output position ``y`` reads input pixel ``y * stride + shift``: the slice of
    outputs for which that pixel is inside ``[0, size)``, and the slice of those pixels."""
    first = max(0, -(shift // stride))
    stop = max(first, min(out, (size - 1 - shift) // stride + 1))
    start = first * stride + shift
    return slice(first, stop), slice(start, start + (stop - first - 1) * stride + 1, stride)


def _geometry(input_shape, kh, kw, op_kind) -> _Geometry:
    return _Geometry(input_shape[1], input_shape[2], kh, kw, op_kind.strides, op_kind.dilations, op_kind.padding)


def _check_args(strides, padding, data_format, what="strides", op_type="Conv2D"):
    if data_format not in (None, "NHWC"):
        raise ValueError(_NOT_NHWC)
    if padding not in ("SAME", "VALID"):   # TF1's Conv2D also names EXPLICIT, which minitf lacks
        allowed = '"SAME", "VALID", "EXPLICIT"' if op_type == "Conv2D" else '"SAME", "VALID"'
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: {allowed}.")
    strides = _four(strides, what)
    if strides[0] != 1 or strides[3] != 1:
        raise ValueError(f"Current implementation does not yet support {what} in the batch and depth dimensions.")
    return strides


def _four(values, what) -> list:
    """TF1 accepts an int, 2 values (height, width) or 4 (NHWC) for strides/ksize/dilations."""
    if isinstance(values, int):
        return [1, values, values, 1]
    values = [int(v) for v in values]
    if len(values) == 2:
        return [1, values[0], values[1], 1]
    if len(values) != 4:
        raise ValueError(f"{what} should be of length 1, 2 or 4 but was {len(values)}")
    return values


def _rank4(t):
    if t.shape.ndims not in (None, 4):
        raise ShapeError(f"Shape must be rank 4 but is rank {t.shape.ndims}")
    return t.shape.as_list() if t.shape.dims is not None else [None] * 4


def _shape_value(t) -> list:
    """The static value of a shape tensor: a Const, or ``tf.shape(x)`` of a partly known x."""
    if t.op.type == "Const":
        return [int(v) for v in t.op.kind.value]
    if t.op.type == "Shape":
        return _rank4(t.op.inputs[0])
    return [None] * 4


class _Windowed(Op):
    """Attributes shared by the convolution and pooling ops."""

    def __init__(self, strides, padding, data_format="NHWC", dilations=(1, 1, 1, 1)):
        self.strides, self.padding = list(strides), padding
        self.data_format, self.dilations = data_format, list(dilations)

    def im2col_key(self, x, kh, kw):
        """Names the im2col matrix of ``x`` for this op's window geometry: ``x`` is the input tensor
        while a plan is made (``shared_work``), the id of its array in a run (None if unknown)."""
        if kh is None or kw is None:
            return None
        return ("im2col", x, kh, kw, *self.strides, *self.dilations, self.padding)

    def _out_shape(self, input_dims, kh, kw, channels):
        n, h, w, _ = input_dims
        if self.padding == "VALID":
            for size, k, dilation in ((h, kh, self.dilations[1]), (w, kw, self.dilations[2])):
                if size is not None and size < (k - 1) * dilation + 1:
                    raise ShapeError(f"Negative dimension size caused by subtracting {(k - 1) * dilation + 1} "
                                     f"from {size}")
        geometry = _Geometry(h, w, kh, kw, self.strides, self.dilations, self.padding)
        return TensorShape([n, geometry.oh, geometry.ow, channels])


# ---- convolution ------------------------------------------------------------------------------
class Conv2D(_Windowed):
    """``out[n, y, x, o] = sum over (i, j, c) of input[n, y*s + i, x*s + j, c] * filter[i, j, c, o]``."""

    type = "Conv2D"
    allowed_dtypes = {0: ("input", FLOAT_TYPES)}

    def infer(self, x, w):
        xd, wd = _rank4(x), _rank4(w)
        if xd[3] is not None and wd[2] is not None and xd[3] % wd[2]:
            raise ShapeError(f"Depth of input ({xd[3]}) is not a multiple of input depth of filter ({wd[2]})")
        if xd[3] is not None and wd[2] is not None and xd[3] != wd[2]:
            raise ShapeError(f"minitf's Conv2D needs input depth ({xd[3]}) == filter input depth ({wd[2]})")
        if None in wd[:2]:
            return x.dtype.base_dtype, TensorShape([xd[0], None, None, wd[3]])
        return x.dtype.base_dtype, self._out_shape(xd, wd[0], wd[1], wd[3])

    def shared_work(self, op):
        x, w = op.inputs
        return self.im2col_key(x, *_rank4(w)[:2])

    def forward(self, x, w, shared=None):
        kh, kw, c, o = w.shape
        n = x.shape[0]
        g = _geometry(x.shape, kh, kw, self)
        w = w.reshape(-1, o)
        if shared is not None:   # the filter's gradient is computed in this run too: it reuses the matrix
            cols = g.im2col(x)
            shared[self.im2col_key(id(x), kh, kw)] = x, cols
            return (cols @ w).reshape(n, g.oh, g.ow, o)
        # else a few images at a time: the matrix of 10 000 test images would take gigabytes
        out = xp.empty((n, g.oh, g.ow, o), dtype=x.dtype)
        images = max(1, _IM2COL_BYTES // max(1, g.oh * g.ow * kh * kw * c * x.dtype.itemsize))
        for start in range(0, n, images):
            xp.matmul(g.im2col(x[start:start + images]), w, out=out[start:start + images].reshape(-1, o))
        return out

    def kernel_error(self, error, x, w):
        if x.ndim == 4 and w.ndim == 4 and x.shape[3] != w.shape[2]:
            return InvalidArgumentError(None, None, f"input depth must be evenly divisible by filter depth: "
                                                    f"{x.shape[3]} vs {w.shape[2]}")
        return None

    def gradient(self, op, grad):
        x, w = op.inputs
        return [apply_op(Conv2DBackpropInput(**vars(self)), (shape(x), w, grad), "Conv2DBackpropInput",
                         same_dtype=False, arg_names=("input_sizes", "filter", "out_backprop")),
                apply_op(Conv2DBackpropFilter(**vars(self)), (x, shape(w), grad), "Conv2DBackpropFilter",
                         same_dtype=False, arg_names=("input", "filter_sizes", "out_backprop"))]


class Conv2DBackpropInput(_Windowed):
    """The gradient of Conv2D for its input: every output gradient spread back over its window.

    One product ``dy @ filter.T`` gives, for every window and filter offset (i, j), the share of
    the gradient that offset passed to one pixel (the im2col matrix's shape); col2im adds each
    offset's shares back to the pixels it read.  The product runs over a few images at a time
    (``_COL2IM_BYTES``): each block of shares is added back while it is still in the CPU cache,
    and the products stay large enough for BLAS threads (kh*kw small products, one per offset,
    stall on the threads' hand-offs: 3x slower with 2 threads on a busy machine).
    """

    type = "Conv2DBackpropInput"

    def infer(self, input_sizes, w, dy):
        return dy.dtype.base_dtype, TensorShape(_shape_value(input_sizes))

    def forward(self, input_sizes, w, dy):
        n, h, wd, c = (int(s) for s in input_sizes)
        kh, kw, _, o = w.shape
        if (w.shape[2], o) != (c, dy.shape[3]):   # tf.nn.conv2d_transpose's arguments, as TF1's kernel checks them
            raise InvalidArgumentError(None, None, "Conv2DCustomBackpropInput: " + (
                "input and filter must have the same depth" if w.shape[2] != c else
                "filter and out_backprop must have the same out_depth"))
        g = _geometry((n, h, wd, c), kh, kw, self)
        for dim, actual, computed, size, k in zip((1, 2), dy.shape[1:3], (g.oh, g.ow), (h, wd), (kh, kw)):
            if actual != computed:   # an output_shape that conv2d_transpose's value cannot come from
                raise InvalidArgumentError(None, None, (
                    f"Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed: actual = {actual}, "
                    f"computed = {computed} spatial_dim: {dim} input: {size} filter: {k} output: {actual} stride: "
                    f"{self.strides[dim]} dilation: {self.dilations[dim]}"))
        w_t = w.reshape(-1, o).T                      # (o, kh*kw*c): BLAS reads the transpose in place
        offsets = list(g.inside_offsets())
        images = max(1, min(n, _COL2IM_BYTES // max(1, g.oh * g.ow * kh * kw * c * dy.dtype.itemsize)))
        shares = xp.empty((images * g.oh * g.ow, kh * kw * c), dtype=dy.dtype)   # reused by every block
        dx = xp.zeros((n, h, wd, c), dtype=dy.dtype)
        for start in range(0, n, images):
            block_dy = dy[start:start + images]
            m = block_dy.shape[0]
            block = xp.matmul(block_dy.reshape(-1, o), w_t, out=shares[:m * g.oh * g.ow])
            block = block.reshape(m, g.oh, g.ow, kh, kw, c)
            block_dx = dx[start:start + m]
            for i, j, out_rows, out_cols, rows, cols in offsets:
                pixels = block_dx[:, rows, cols, :]
                pixels += block[:, out_rows, out_cols, i, j, :]
        return dx

    def gradient(self, op, grad):
        _, w, dy = op.inputs
        return [None,
                apply_op(Conv2DBackpropFilter(**vars(self)), (grad, shape(w), dy), "Conv2DBackpropFilter",
                         same_dtype=False, arg_names=("input", "filter_sizes", "out_backprop")),
                apply_op(Conv2D(**vars(self)), (grad, w), "Conv2D", arg_names=("input", "filter"))]


class Conv2DBackpropFilter(_Windowed):
    """The gradient of Conv2D for its filter: input windows (im2col) times output gradients.

    In a run that also computes the Conv2D, the window matrix is the one Conv2D made (``shared``).
    """

    type = "Conv2DBackpropFilter"

    def infer(self, x, filter_sizes, dy):
        return dy.dtype.base_dtype, TensorShape(_shape_value(filter_sizes))

    def shared_work(self, op):
        x, filter_sizes, _ = op.inputs
        return self.im2col_key(x, *_shape_value(filter_sizes)[:2])

    def forward(self, x, filter_sizes, dy, shared=None):
        kh, kw, c, o = (int(s) for s in filter_sizes)
        kept = shared.pop(self.im2col_key(id(x), kh, kw), None) if shared is not None else None
        cols = kept[1] if kept is not None and kept[0] is x else _geometry(x.shape, kh, kw, self).im2col(x)
        return (cols.T @ dy.reshape(-1, o)).reshape(kh, kw, c, o)

    def gradient(self, op, grad):
        x, _, dy = op.inputs
        return [apply_op(Conv2DBackpropInput(**vars(self)), (shape(x), grad, dy), "Conv2DBackpropInput",
                         same_dtype=False, arg_names=("input_sizes", "filter", "out_backprop")),
                None,
                apply_op(Conv2D(**vars(self)), (x, grad), "Conv2D", arg_names=("input", "filter"))]


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
           dilations=(1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv2d``: 2-D convolution of NHWC ``input`` with an ``[h, w, in, out]`` filter.

    >>> x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    >>> tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), strides=[1, 1, 1, 1], padding='SAME')
    <tf.Tensor 'Conv2D:0' shape=(?, 28, 28, 32) dtype=float32>
    """
    filter = filters if filter is None else filter
    strides = _check_args(strides, padding, data_format)
    dilations = _four(dilations, "dilations")
    if (dilations[1] > 1 or dilations[2] > 1) and (strides[1] > 1 or strides[2] > 1):
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    kind = Conv2D(strides=strides, padding=padding, dilations=dilations)
    return apply_op(kind, (input, filter), name or "Conv2D", arg_names=("input", "filter"))


def _backprop(kind_cls, inputs, strides, padding, data_format, dilations, name):
    strides = _check_args(strides, padding, data_format)
    kind = kind_cls(strides, padding, data_format, _four(dilations, "dilations"))
    return apply_op(kind, inputs, name or kind_cls.type, same_dtype=False,
                    arg_names=("input_sizes", "filter", "out_backprop") if kind_cls is Conv2DBackpropInput
                    else ("input", "filter_sizes", "out_backprop"))


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None, padding=None,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv2d_backprop_input``: the gradient of ``conv2d`` for its input (op Conv2DBackpropInput)."""
    return _backprop(Conv2DBackpropInput, (input_sizes, filters if filter is None else filter, out_backprop),
                     strides, padding, data_format, dilations, name)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding, use_cudnn_on_gpu=True,  # noqa: A002
                           data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.conv2d_backprop_filter``: the gradient of ``conv2d`` for its filter (op Conv2DBackpropFilter)."""
    return _backprop(Conv2DBackpropFilter, (input, filter_sizes, out_backprop), strides, padding, data_format,
                     dilations, name)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):  # noqa: A002
    """``tf.nn.conv2d_transpose`` (a "deconvolution"): ``conv2d``'s gradient for its input used as a
    layer -- ``value`` ``[n, h, w, out]`` spread back through an ``[kh, kw, in, out]`` filter into a
    tensor of ``output_shape`` ``[n, H, W, in]``; one Conv2DBackpropInput op, as in TF1."""
    value, filter = (input if value is None else value), (filters if filter is None else filter)
    with name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as scope:
        value = convert_to_tensor(value, name="value")
        filter = convert_to_tensor(filter, dtype=value.dtype.base_dtype, name="filter")
        strides = _check_args(strides, padding, data_format)
        kind = Conv2DBackpropInput(strides, padding, data_format, _four(dilations or 1, "dilations"))
        sizes = convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
        return create_op(kind, [sizes, filter, value], scope).outputs[0]


# ---- pooling ----------------------------------------------------------------------------------
class _Pool(_Windowed):
    def __init__(self, ksize, strides, padding, data_format="NHWC"):
        super().__init__(strides, padding, data_format)
        self.ksize = list(ksize)

    def node_attrs(self, inputs):
        return {"T": inputs[-1].dtype.base_dtype, "ksize": self.ksize, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format}

    def geometry(self, input_shape) -> _Geometry:
        return _geometry(input_shape, self.ksize[1], self.ksize[2], self)

    def _same_kind(self, kind_cls):
        return kind_cls(ksize=self.ksize, strides=self.strides, padding=self.padding, data_format=self.data_format)

    def infer(self, x, *rest):
        dims = _rank4(x)
        return x.dtype.base_dtype, self._out_shape(dims, self.ksize[1], self.ksize[2], dims[3])


class MaxPool(_Pool):
    """The largest value in each window (padding never wins: it counts as -inf)."""

    type = "MaxPool"

    def forward(self, x):
        g = self.geometry(x.shape)
        return _reduce_offsets(xp.maximum, g, g.pad(x, _lowest(x.dtype)))

    def gradient(self, op, grad):
        return [apply_op(self._same_kind(MaxPoolGrad), (op.inputs[0], op.outputs[0], grad), "MaxPoolGrad",
                         arg_names=("orig_input", "orig_output", "grad"))]


def _reduce_offsets(ufunc, g: _Geometry, padded):
    """``ufunc`` (maximum, add) over the kh*kw filter offsets: each window reduced, one offset at a time.

    Every pass reads one offset's pixels of all windows (a strided view, no copy) into one output
    array: faster than reducing the 6-D windows view over its window axes.
    """
    views = [padded[:, rows, cols, :] for _, _, rows, cols in g.offsets()]
    if len(views) == 1:
        return views[0].copy()
    out = ufunc(views[0], views[1])
    for view in views[2:]:
        ufunc(out, view, out=out)
    return out


def _lowest(dtype):
    """The padding of a max pool: -inf, or the smallest integer."""
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


def _first_max_hits(g: _Geometry, x, y):
    """For each filter offset, in row-major order: ``(rows, cols, hit)``, ``hit`` marking the windows
    whose maximum ``y`` sits at that offset -- the first one when several pixels tie (as TF1 picks).
    ``hit`` is one buffer, rewritten for every offset."""
    padded = g.pad(x, _lowest(x.dtype))
    free = xp.ones(y.shape, dtype=bool)
    hit = xp.empty(y.shape, dtype=bool)
    for _, _, rows, cols in g.offsets():
        xp.equal(padded[:, rows, cols, :], y, out=hit)
        hit &= free
        free ^= hit
        yield rows, cols, hit


def _tiled_max_grad(tiles, y, grad):
    """MaxPoolGrad when the windows tile the input (``_Geometry.tiles``): every pixel is compared with
    its window's maximum in one pass, and every pixel's gradient written in one more."""
    n, oh, kh, ow, kw, c = tiles.shape
    hit = tiles == y[:, :, None, :, None, :]
    seen = hit[:, :, 0, :, 0, :].copy()
    for i in range(kh):
        for j in range(kw):
            if i or j:   # a tie after an earlier maximum of its window loses: later & ~seen
                later = hit[:, :, i, :, j, :]
                xp.greater(later, seen, out=later)
                seen |= later
    dx = xp.empty(tiles.shape, dtype=grad.dtype)
    xp.multiply(hit, grad[:, :, None, :, None, :], out=dx)
    return dx.reshape(n, oh * kh, ow * kw, c)


class MaxPoolGrad(_Pool):
    """MaxPool's gradient: each window's gradient goes to the position of its maximum."""

    type = "MaxPoolGrad"

    def forward(self, orig_input, orig_output, grad):
        g = self.geometry(orig_input.shape)
        tiles = g.tiles(orig_input)
        if tiles is not None:   # the common case: 2x2 windows of stride 2
            return _tiled_max_grad(tiles, orig_output, grad)
        n, h, w, c = orig_input.shape
        dx = xp.zeros((n, h + g.top + g.bottom, w + g.left + g.right, c), dtype=grad.dtype)
        share = xp.empty(grad.shape, dtype=grad.dtype)
        for rows, cols, hit in _first_max_hits(g, orig_input, orig_output):
            xp.multiply(grad, hit, out=share)
            pixels = dx[:, rows, cols, :]
            pixels += share   # windows may overlap: add
        return g.crop(dx, h, w)

    def infer(self, orig_input, orig_output, grad):
        return grad.dtype.base_dtype, orig_input.shape

    def gradient(self, op, grad):
        orig_input, orig_output, _ = op.inputs
        return [zeros_like(orig_input), zeros_like(orig_output),
                apply_op(self._same_kind(MaxPoolGradGrad), (orig_input, orig_output, grad), "MaxPoolGradGrad",
                         arg_names=("orig_input", "orig_output", "grad"))]


class MaxPoolGradGrad(_Pool):
    """The gradient of MaxPoolGrad: for each window, the input-shaped ``grad`` at the window's maximum."""

    type = "MaxPoolGradGrad"

    def forward(self, orig_input, orig_output, grad):
        g = self.geometry(orig_input.shape)
        padded = g.pad(grad)
        out = xp.zeros(orig_output.shape, dtype=grad.dtype)
        share = xp.empty(orig_output.shape, dtype=grad.dtype)
        for rows, cols, hit in _first_max_hits(g, orig_input, orig_output):
            xp.multiply(padded[:, rows, cols, :], hit, out=share)
            out += share
        return out

    def infer(self, orig_input, orig_output, grad):
        return grad.dtype.base_dtype, orig_output.shape

    def gradient(self, op, grad):
        orig_input, orig_output, _ = op.inputs
        return [zeros_like(orig_input), zeros_like(orig_output),
                apply_op(self._same_kind(MaxPoolGrad), (orig_input, orig_output, grad), "MaxPoolGrad",
                         arg_names=("orig_input", "orig_output", "grad"))]


def _window_counts(g: _Geometry, h, w, dtype):
    """How many real (not padding) pixels each window covers, shaped (1, oh, ow, 1)."""
    ones = g.pad(xp.ones((1, h, w, 1), dtype=dtype))
    return g.windows(ones).sum(axis=(3, 4))


class AvgPool(_Pool):
    """The mean of each window, over the real pixels only (TF1 does not count the padding)."""

    type = "AvgPool"

    def forward(self, x):
        g = self.geometry(x.shape)
        sums = _reduce_offsets(xp.add, g, g.pad(x))
        sums /= _window_counts(g, x.shape[1], x.shape[2], x.dtype)
        return sums

    def gradient(self, op, grad):
        return [apply_op(self._same_kind(AvgPoolGrad), (shape(op.inputs[0]), grad), "AvgPoolGrad",
                         same_dtype=False, arg_names=("orig_input_shape", "grad"))]


class AvgPoolGrad(_Pool):
    """AvgPool's gradient: each window's gradient shared equally by the pixels it averaged."""

    type = "AvgPoolGrad"

    def infer(self, orig_input_shape, grad):
        return grad.dtype.base_dtype, TensorShape(_shape_value(orig_input_shape))

    def forward(self, orig_input_shape, grad):
        n, h, w, c = (int(s) for s in orig_input_shape)
        g = self.geometry((n, h, w, c))
        share = grad / _window_counts(g, h, w, grad.dtype)
        dx = xp.zeros((n, h + g.top + g.bottom, w + g.left + g.right, c), dtype=grad.dtype)
        for _, _, rows, cols in g.offsets():
            pixels = dx[:, rows, cols, :]
            pixels += share
        return g.crop(dx, h, w)

    def gradient(self, op, grad):
        return [None, apply_op(self._same_kind(AvgPool), (grad,), "AvgPool", arg_names=("value",))]


def _pool(kind_cls, value, ksize, strides, padding, data_format, name, default_name):
    ksize = _check_args(ksize, padding, data_format, "ksize", kind_cls.type)
    strides = _check_args(strides, padding, data_format, "strides", kind_cls.type)
    kind = kind_cls(ksize=ksize, strides=strides, padding=padding)
    return apply_op(kind, (value,), name or default_name, arg_names=("input",))


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """``tf.nn.max_pool``: the maximum of each ``ksize`` window (``ksize=[1, 2, 2, 1]`` halves 28x28 to 14x14)."""
    return _pool(MaxPool, value if input is None else input, ksize, strides, padding, data_format, name, "MaxPool")


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """``tf.nn.avg_pool``: the mean of each ``ksize`` window."""
    return _pool(AvgPool, value if input is None else input, ksize, strides, padding, data_format, name, "AvgPool")


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """``tf.nn.max_pool2d`` (and ``max_pool_v2``): ``tf.nn.max_pool`` with TF 2's argument name ``input``."""
    return max_pool(input, ksize, strides, padding, data_format or "NHWC", name)


def avg_pool_v2(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """``tf.nn.avg_pool_v2``: ``tf.nn.avg_pool`` with TF 2's argument name ``input``."""
    return avg_pool(input, ksize, strides, padding, data_format or "NHWC", name)

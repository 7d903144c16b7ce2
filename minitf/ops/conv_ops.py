"""Convolution and pooling on NHWC images: ``tf.nn.conv2d``, ``max_pool``, ``avg_pool`` (notebook 07).

No Python loop visits pixels.  A convolution is *im2col* plus one matrix product: a strided
view lists, for every output position, the ``kh x kw x in_channels`` input values under the
filter (``_Geometry.windows``); copied into a matrix of shape ``(positions, kh*kw*in)``, it is
multiplied by the filter reshaped to ``(kh*kw*in, out)``.  Pooling reduces the same view.
Gradients go the other way ("col2im"): each of the ``kh x kw`` filter offsets adds its share
back into the input, so those loops run over the filter, never over the image.

``padding="VALID"`` keeps only windows that fit; ``"SAME"`` pads so that the output has
``ceil(size / stride)`` positions, putting the odd extra pixel after (bottom/right), as TF1.
"""
from __future__ import annotations

import numpy as np

from ..backend import xp
from ..errors import InvalidArgumentError
from ..tensor_shape import TensorShape
from .array_ops import zeros_like
from .base import FLOAT_TYPES, Op, ShapeError, apply_op
from .shape_ops import shape

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
        self.kh, self.kw = kh, kw
        self.sh, self.sw = strides[1], strides[2]
        self.dh, self.dw = dilations[1], dilations[2]
        self.oh, self.top, self.bottom = _out_and_pads(h, kh, self.sh, self.dh, padding)
        self.ow, self.left, self.right = _out_and_pads(w, kw, self.sw, self.dw, padding)

    def pad(self, x, value=0):
        """``x`` with the padding rows and columns added (``x`` itself when there are none)."""
        if not (self.top or self.bottom or self.left or self.right):
            return x
        widths = ((0, 0), (self.top, self.bottom), (self.left, self.right), (0, 0))
        return xp.pad(x, widths, constant_values=value)

    def windows(self, padded):
        """A read-only strided view ``(n, oh, ow, kh, kw, c)``: the input values under every window."""
        n, _, _, c = padded.shape
        s0, s1, s2, s3 = padded.strides
        return xp.lib.stride_tricks.as_strided(
            padded, (n, self.oh, self.ow, self.kh, self.kw, c),
            (s0, s1 * self.sh, s2 * self.sw, s1 * self.dh, s2 * self.dw, s3), writeable=False)

    def offsets(self):
        """For each filter offset (i, j): the rows and columns of the padded input it sees in every window."""
        for i in range(self.kh):
            for j in range(self.kw):
                rows = slice(i * self.dh, i * self.dh + self.sh * (self.oh - 1) + 1, self.sh)
                cols = slice(j * self.dw, j * self.dw + self.sw * (self.ow - 1) + 1, self.sw)
                yield i, j, rows, cols

    def add_windows(self, padded_out, per_offset):
        """col2im: for each filter offset (i, j), add ``per_offset(i, j)`` (n, oh, ow, c) where it came from."""
        for i, j, rows, cols in self.offsets():
            padded_out[:, rows, cols, :] += per_offset(i, j)

    def crop(self, padded, h, w):
        return padded[:, self.top:self.top + h, self.left:self.left + w, :]


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

    def forward(self, x, w):
        kh, kw, c, o = w.shape
        g = _geometry(x.shape, kh, kw, self)
        cols = g.windows(g.pad(x)).reshape(-1, kh * kw * c)      # im2col: one row per output position
        return (cols @ w.reshape(-1, o)).reshape(x.shape[0], g.oh, g.ow, o)

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

    One matrix product gives, for every output position, the gradient of each of the
    ``kh x kw x in`` values in its window (the transpose of im2col's product); col2im then adds
    them into place.  (One big product rather than kh*kw small ones: BLAS threads share it well.)
    """

    type = "Conv2DBackpropInput"

    def infer(self, input_sizes, w, dy):
        return dy.dtype.base_dtype, TensorShape(_shape_value(input_sizes))

    def forward(self, input_sizes, w, dy):
        n, h, wd, c = (int(s) for s in input_sizes)
        kh, kw, _, o = w.shape
        g = _geometry((n, h, wd, c), kh, kw, self)
        dcols = (dy.reshape(-1, o) @ w.reshape(-1, o).T).reshape(n, g.oh, g.ow, kh, kw, c)
        dx = xp.zeros((n, h + g.top + g.bottom, wd + g.left + g.right, c), dtype=dy.dtype)
        g.add_windows(dx, lambda i, j: dcols[:, :, :, i, j, :])
        return g.crop(dx, h, wd)

    def gradient(self, op, grad):
        _, w, dy = op.inputs
        return [None,
                apply_op(Conv2DBackpropFilter(**vars(self)), (grad, shape(w), dy), "Conv2DBackpropFilter",
                         same_dtype=False, arg_names=("input", "filter_sizes", "out_backprop")),
                apply_op(Conv2D(**vars(self)), (grad, w), "Conv2D", arg_names=("input", "filter"))]


class Conv2DBackpropFilter(_Windowed):
    """The gradient of Conv2D for its filter: input windows (im2col) times output gradients."""

    type = "Conv2DBackpropFilter"

    def infer(self, x, filter_sizes, dy):
        return dy.dtype.base_dtype, TensorShape(_shape_value(filter_sizes))

    def forward(self, x, filter_sizes, dy):
        kh, kw, c, o = (int(s) for s in filter_sizes)
        g = _geometry(x.shape, kh, kw, self)
        cols = g.windows(g.pad(x)).reshape(-1, kh * kw * c)
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
        return g.windows(g.pad(x, -np.inf)).max(axis=(3, 4))

    def gradient(self, op, grad):
        return [apply_op(self._same_kind(MaxPoolGrad), (op.inputs[0], op.outputs[0], grad), "MaxPoolGrad",
                         arg_names=("orig_input", "orig_output", "grad"))]


def _max_positions(g: _Geometry, x, y):
    """For each filter offset: (rows, cols, hit), ``hit`` marking the windows whose maximum ``y`` sits at
    that offset -- the first one in row-major order when several pixels tie (as TF1 picks)."""
    padded = g.pad(x, -np.inf)
    free = xp.ones(y.shape, dtype=bool)
    for _, _, rows, cols in g.offsets():
        hit = padded[:, rows, cols, :] == y
        hit &= free
        free &= ~hit
        yield rows, cols, hit


class MaxPoolGrad(_Pool):
    """MaxPool's gradient: each window's gradient goes to the position of its maximum."""

    type = "MaxPoolGrad"

    def forward(self, orig_input, orig_output, grad):
        g = self.geometry(orig_input.shape)
        n, h, w, c = orig_input.shape
        dx = xp.zeros((n, h + g.top + g.bottom, w + g.left + g.right, c), dtype=grad.dtype)
        for rows, cols, hit in _max_positions(g, orig_input, orig_output):
            dx[:, rows, cols, :] += grad * hit
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
        for rows, cols, hit in _max_positions(g, orig_input, orig_output):
            out += padded[:, rows, cols, :] * hit
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
        sums = g.windows(g.pad(x)).sum(axis=(3, 4))
        return (sums / _window_counts(g, x.shape[1], x.shape[2], x.dtype)).astype(x.dtype, copy=False)

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
        g.add_windows(dx, lambda i, j: share)
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

"""Neural-network ops: activations, softmax and cross entropy, bias_add, dropout (notebooks 05-07).

The activations with a ``...Grad`` op (``Relu`` / ``ReluGrad``) compute their gradient in one
kernel, as TF1 does; that gradient op has its own gradient, so second derivatives work.
Softmax and the cross entropies subtract the row maximum first: ``[1000., 0.]`` gives
``[1., 0.]``, never ``nan``.  The convolution and pooling ops are in ``conv_ops.py``.
"""
from __future__ import annotations

import numbers
import sys

from .. import dtypes
from ..backend import xp
from ..errors import InvalidArgumentError
from ..graph import Tensor, name_scope
from ..logging import warning
from ..tensor_shape import TensorShape
from . import random_ops
from .array_ops import (expand_dims, gather, one_hot, squeeze, stop_gradient, transpose,
                        where, zeros_like)
from .base import Op, ShapeError, apply_op, constant_value, convert_to_tensor, create_op
from .math_ops import (add, cast, exp, greater_equal, log1p, matmul, maximum, multiply, negative, reduce_mean,
                       reduce_sum, rsqrt, squared_difference, subtract)
from .shape_ops import broadcast_to, reshape, shape

_WARNED: set = set()


def _deprecated(what: str, instructions: str, args: str = "") -> None:
    """TF1's once-per-function deprecation warning on stderr, naming the caller's file and line."""
    if what in _WARNED:
        return
    _WARNED.add(what)
    frame = sys._getframe(2)
    warning(f"From {frame.f_code.co_filename}:{frame.f_lineno}: {what} (from tensorflow.python.ops.nn_ops)"
            f"{args} is deprecated and will be removed in a future version.\nInstructions for updating:\n"
            f"{instructions}")


# ---- activations ------------------------------------------------------------------------------
class _ActivationGrad(Op):
    """``(gradients, v) -> gradients * f'(...)``, TF1's one-kernel gradient of an activation (``v`` is
    the activation's input or output).  Linear in ``gradients``, so its own gradient is itself for
    ``gradients``; ``v`` gets ``v_gradient(grad, gradients, v)``, zero when None."""

    v_gradient = None

    def gradient(self, op, grad):
        dy, v = op.inputs
        return [apply_op(type(self)(), (grad, v), self.type, arg_names=("gradients", "features")),
                zeros_like(v) if self.v_gradient is None else self.v_gradient(grad, dy, v)]


def _activation(type_name: str, forward, grad_forward, of_output: bool, v_gradient=None, v_name="features") -> tuple:
    """An activation op and its ``...Grad`` op; ``grad_forward(gradients, v)`` with ``v`` the
    activation's output (``of_output``) or its input (TF1 names that input ``v_name``)."""
    grad_cls = type(type_name + "Grad", (_ActivationGrad,), {
        "type": type_name + "Grad", "forward": staticmethod(grad_forward),
        "v_gradient": None if v_gradient is None else staticmethod(v_gradient)})

    def gradient(self, op, grad):
        v = op.outputs[0] if of_output else op.inputs[0]
        return [apply_op(grad_cls(), (grad, v), grad_cls.type, arg_names=("gradients", v_name))]

    return type(type_name, (Op,), {"type": type_name, "forward": staticmethod(forward), "gradient": gradient}), grad_cls


# Relu: max(x, 0); its gradient passes where the output is positive
Relu, ReluGrad = _activation("Relu", lambda x: xp.maximum(x, 0), lambda g, y: g * (y > 0), of_output=True)
# Relu6: min(max(x, 0), 6)
Relu6, Relu6Grad = _activation("Relu6", lambda x: xp.clip(x, 0, 6), lambda g, x: g * ((x > 0) & (x < 6)),
                               of_output=False)
# Elu: x for x > 0, else exp(x) - 1; from its output y the gradient is g where y > 0, else g * (y + 1)
Elu, EluGrad = _activation("Elu", lambda x: xp.where(x < 0, xp.exp(xp.minimum(x, 0)) - 1, x),
                           lambda g, y: xp.where(y < 0, (y + 1) * g, g), of_output=True, v_name="outputs",
                           v_gradient=lambda grad, dy, y: where(y < 0, multiply(grad, dy), zeros_like(y)))
# Softplus: log(1 + exp(x)) without overflow; its gradient g * sigmoid(x), and d/dx sigmoid(x) =
# 1 / (exp(-x) + 2 + exp(x))
Softplus, SoftplusGrad = _activation(
    "Softplus", lambda x: xp.logaddexp(x, x.dtype.type(0)), lambda g, x: g * (0.5 * (xp.tanh(0.5 * x) + 1)),
    of_output=False, v_gradient=lambda grad, dy, x: multiply(grad, dy) / add(add(exp(negative(x)), 2.0), exp(x)))


def relu(features, name=None):
    """``tf.nn.relu``: ``max(features, 0)``."""
    return apply_op(Relu(), (features,), name or "Relu", arg_names=("features",))


def relu6(features, name=None):
    """``tf.nn.relu6``: ``min(max(features, 0), 6)``."""
    return apply_op(Relu6(), (features,), name or "Relu6", arg_names=("features",))


def elu(features, name=None):
    """``tf.nn.elu``: ``features`` if positive, else ``exp(features) - 1``."""
    return apply_op(Elu(), (features,), name or "Elu", arg_names=("features",))


def softplus(features, name=None):
    """``tf.nn.softplus``: ``log(exp(features) + 1)``."""
    return apply_op(Softplus(), (features,), name or "Softplus", arg_names=("features",))


def leaky_relu(features, alpha=0.2, name=None):
    """``tf.nn.leaky_relu``: ``max(alpha * features, features)``."""
    with name_scope(name, "LeakyRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return maximum(multiply(alpha, features), features, name=scope)


# ---- softmax ----------------------------------------------------------------------------------
class Softmax(Op):
    """``exp(x) / sum(exp(x))`` over the last axis, numerically stable (TF1's kernel: ``e * (1/sum)``)."""

    type = "Softmax"

    def forward(self, x):
        e = xp.exp(x - xp.max(x, axis=-1, keepdims=True))   # exp never overflows: [1000., 0.] -> [1., 0.]
        return e * (1 / xp.sum(e, axis=-1, keepdims=True))

    def gradient(self, op, grad):
        y = op.outputs[0]
        return [multiply(subtract(grad, reduce_sum(multiply(grad, y), -1, keepdims=True)), y)]


class LogSoftmax(Op):
    """``x - log(sum(exp(x)))`` over the last axis, numerically stable."""

    type = "LogSoftmax"

    def forward(self, x):
        shifted = x - xp.max(x, axis=-1, keepdims=True)
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=-1, keepdims=True))

    def gradient(self, op, grad):
        return [subtract(grad, multiply(reduce_sum(grad, -1, keepdims=True), exp(op.outputs[0])))]


def _on_axis(kind, logits, axis, name, default_name):
    """Apply a last-axis op along ``axis``: TF1 swaps that axis with the last one, and back."""
    logits = convert_to_tensor(logits, name="logits")
    rank = logits.shape.ndims
    if axis is None or axis == -1 or (rank is not None and axis == rank - 1):
        return apply_op(kind, (logits,), name or default_name, arg_names=("logits",))
    if rank is None:
        raise ValueError(f"{default_name} along axis {axis} needs a tensor of known rank, got {logits}")
    perm = list(range(rank))
    perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
    with name_scope(name, default_name, [logits]) as scope:
        swapped = apply_op(kind, (transpose(logits, perm),), default_name, arg_names=("logits",))
        return transpose(swapped, perm, name=scope)


def softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.softmax`` (last axis by default): ``[2.0, 1.0, 0.1]`` -> ``[0.659 0.242 0.099]``."""
    return _on_axis(Softmax(), logits, dim if axis is None else axis, name, "Softmax")


def log_softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.log_softmax``: ``logits - log(sum(exp(logits)))`` along ``axis`` (last by default)."""
    return _on_axis(LogSoftmax(), logits, dim if axis is None else axis, name, "LogSoftmax")


# ---- cross entropy ----------------------------------------------------------------------------
def _xent_forward(logits, labels_or_onehot):
    """TF1's kernel: per-row ``sum(labels * (log(sum(e)) - shifted))`` and ``e / sum(e) - labels``."""
    shifted = logits - xp.max(logits, axis=-1, keepdims=True)
    e = xp.exp(shifted)
    sum_e = xp.sum(e, axis=-1, keepdims=True)
    loss = xp.sum(labels_or_onehot * (xp.log(sum_e) - shifted), axis=-1)
    return loss, e / sum_e - labels_or_onehot


def _backprop_gradient(op, grad_backprop):
    """The gradient of ``backprop = softmax(logits) - labels`` with respect to the logits."""
    if grad_backprop.op.type == "ZerosLike":    # only the loss was differentiated (the usual case)
        return None
    p = softmax(op.inputs[0])
    return multiply(subtract(grad_backprop, reduce_sum(multiply(grad_backprop, p), -1, keepdims=True)), p)


class SoftmaxCrossEntropyWithLogits(Op):
    """Per-row ``-sum(labels * log_softmax(logits))`` and, as 2nd output, its gradient ``softmax - labels``."""

    type = "SoftmaxCrossEntropyWithLogits"
    num_outputs = 2

    def infer(self, logits, labels):
        if not logits.shape.is_compatible_with(labels.shape):
            raise ShapeError(f"Dimensions must be equal, but are {logits.shape[-1]} and {labels.shape[-1]}"
                             if logits.shape.ndims == labels.shape.ndims else
                             f"Shapes must be equal rank, but are {logits.shape.ndims} and {labels.shape.ndims}")
        full = logits.shape.merge_with(labels.shape)
        batch = TensorShape(None) if full.dims is None else TensorShape(full.dims[:-1])
        return [(logits.dtype.base_dtype, batch), (logits.dtype.base_dtype, full)]

    forward = staticmethod(_xent_forward)

    def gradient(self, op, grad_loss, grad_backprop):
        logits, labels = op.inputs
        g = expand_dims(grad_loss, -1)
        grad_logits = multiply(g, op.outputs[1])
        grad_labels = multiply(g, negative(log_softmax(logits)))
        extra = _backprop_gradient(op, grad_backprop)
        if extra is not None:
            grad_logits, grad_labels = add(grad_logits, extra), subtract(grad_labels, grad_backprop)
        return [grad_logits, grad_labels]


class SparseSoftmaxCrossEntropyWithLogits(Op):
    """Like SoftmaxCrossEntropyWithLogits, with the labels given as class indices (int32/int64)."""

    type = "SparseSoftmaxCrossEntropyWithLogits"
    num_outputs = 2

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tlabels": inputs[1].dtype.base_dtype}

    def infer(self, logits, labels):
        return [(logits.dtype.base_dtype, labels.shape), (logits.dtype.base_dtype, logits.shape)]

    def forward(self, logits, labels):
        classes = logits.shape[-1]
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            bad = labels[(labels < 0) | (labels >= classes)].reshape(-1)[0]
            raise InvalidArgumentError(None, None, f"Received a label value of {bad} which is outside the valid "
                                                   f"range of [0, {classes}).  Label values: "
                                                   + " ".join(str(v) for v in labels.reshape(-1)))
        one_hot = xp.arange(classes) == labels[..., None]
        return _xent_forward(logits, one_hot.astype(logits.dtype))

    def gradient(self, op, grad_loss, grad_backprop):
        grad_logits = multiply(expand_dims(grad_loss, -1), op.outputs[1])
        extra = _backprop_gradient(op, grad_backprop)
        return [grad_logits if extra is None else add(grad_logits, extra), None]


def _xent(labels, logits, axis):
    logits = convert_to_tensor(logits, name="logits")
    labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
    if axis not in (-1, None) and logits.shape.ndims is not None and axis % logits.shape.ndims != logits.shape.ndims - 1:
        perm = list(range(logits.shape.ndims))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        logits, labels = transpose(logits, perm), transpose(labels, perm)
    loss, _ = create_op(SoftmaxCrossEntropyWithLogits(), [logits, labels], "SoftmaxCrossEntropyWithLogits").outputs
    if logits.shape.ndims == 2:  # TF1 flattens to 2-D and back: the result is named `.../Reshape_2`
        loss = reshape(loss, [-1], name="Reshape_2")
    return loss


def softmax_cross_entropy_with_logits_v2(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """Per-example cross entropy between ``labels`` (a distribution per row) and ``softmax(logits)``.

    Gradients flow into both ``logits`` and ``labels``.
    """
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits_v2` with named arguments "
                         "(labels=..., logits=..., ...)")
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]):
        return _xent(labels, logits, dim if axis is None else axis)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """The TF1 op: like ``_v2``, but no gradient flows into ``labels`` (and TF1 warns that it is deprecated)."""
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    _deprecated("softmax_cross_entropy_with_logits", "\nFuture major versions of TensorFlow will allow gradients "
                "to flow\ninto the labels input on backprop by default.\n\nSee "
                "`tf.nn.softmax_cross_entropy_with_logits_v2`.\n")
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]):
        labels = stop_gradient(labels, name="labels_stop_gradient")
        return _xent(labels, logits, dim if axis is None else axis)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-example cross entropy of ``softmax(logits)`` against class indices ``labels`` (shape ``logits[:-1]``)."""
    if _sentinel is not None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels, name="labels")
        logits = convert_to_tensor(logits, name="logits")
        if labels.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"Value passed to parameter 'labels' has DataType {labels.dtype.base_dtype.name} not in "
                            "list of allowed values: int32, int64")
        ls, gs = labels.shape, logits.shape
        if gs.ndims == 0:
            raise ValueError(f"Logits cannot be scalars - received shape {gs}.")
        if gs.ndims is not None and ls.ndims is not None and ls.ndims != gs.ndims - 1:
            raise ValueError(f"Rank mismatch: Rank of labels (received {ls.ndims}) should equal rank of logits "
                             f"minus 1 (received {gs.ndims}).")
        if gs.dims is not None and ls.dims is not None and not ls.is_compatible_with(TensorShape(gs.dims[:-1])):
            raise ValueError(f"Shape mismatch: The shape of labels (received {ls}) should equal the shape of "
                             f"logits except for the last dimension (received {gs}).")
        kind = SparseSoftmaxCrossEntropyWithLogits()
        return create_op(kind, [logits, labels], name or "SparseSoftmaxCrossEntropyWithLogits").outputs[0]


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-element logistic loss ``max(x, 0) - x * z + log(1 + exp(-|x|))`` (x = logits, z = labels)."""
    if _sentinel is not None:
        raise ValueError("Only call `sigmoid_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        if not labels.shape.is_compatible_with(logits.shape):
            raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs {labels.shape})")
        zeros = zeros_like(logits)
        positive = greater_equal(logits, zeros)
        relu_logits = where(positive, logits, zeros)
        neg_abs_logits = where(positive, negative(logits), logits)
        return add(subtract(relu_logits, multiply(logits, labels)), log1p(exp(neg_abs_logits)), name=scope)


# ---- losses and statistics --------------------------------------------------------------------
class L2Loss(Op):
    """``sum(t ** 2) / 2``, a scalar."""

    type = "L2Loss"

    def infer(self, t):
        return t.dtype.base_dtype, TensorShape([])

    def forward(self, t):
        return (xp.sum(t * t) / 2).astype(t.dtype)

    def gradient(self, op, grad):
        return [multiply(op.inputs[0], grad)]


def l2_loss(t, name=None):
    """``tf.nn.l2_loss``: half the squared L2 norm (``[1, 2, 3]`` -> ``7.0``)."""
    return apply_op(L2Loss(), (t,), name or "L2Loss", arg_names=("t",))


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """``tf.nn.moments``: ``(mean, variance)`` of ``x`` over ``axes`` (e.g. ``[0]`` for batch statistics)."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x, name="x")
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes, keepdims=True, name="variance")
        if not keep:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``tf.nn.batch_normalization``: ``(x - mean) / sqrt(variance + eps) * scale + offset``.

    As TF1 computes it: ``inv = rsqrt(variance + eps) * scale`` and ``x * inv + (offset - mean * inv)``.
    """
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        inv = rsqrt(add(variance, variance_epsilon))
        if scale is not None:
            inv = multiply(inv, scale)
        shift = negative(multiply(mean, inv)) if offset is None else subtract(offset, multiply(mean, inv))
        return add(multiply(x, inv), shift)


# ---- bias_add ---------------------------------------------------------------------------------
def _channel_axis(data_format) -> int:
    if data_format in (None, "NHWC", "NWC", "NDHWC", "N...C"):
        return -1
    if data_format in ("NCHW", "NCW", "NCDHW", "NC..."):
        return 1
    raise ValueError(f"Unknown data_format {data_format!r}: use 'NHWC' or 'NCHW'")


class BiasAdd(Op):
    """``value + bias`` with a 1-D ``bias`` added along the channel axis (the last one for NHWC)."""

    type = "BiasAdd"

    def __init__(self, data_format="NHWC"):
        self.data_format = data_format

    def infer(self, value, bias):
        if bias.shape.ndims not in (None, 1):
            raise ShapeError(f"Shape must be rank 1 but is rank {bias.shape.ndims}")
        if value.shape.ndims is not None and value.shape.ndims < 2:
            raise ShapeError(f"Shape must be at least rank 2 but is rank {value.shape.ndims}")
        if value.shape.dims is None:
            return value.dtype.base_dtype, value.shape
        dims = value.shape.as_list()
        axis = _channel_axis(self.data_format)
        channels, size = dims[axis], bias.shape.as_list()[0] if bias.shape.dims else None
        if channels is not None and size is not None and channels != size:
            raise ShapeError(f"Dimensions must be equal, but are {channels} and {size}")
        dims[axis] = channels if channels is not None else size
        return value.dtype.base_dtype, TensorShape(dims)

    def forward(self, value, bias):
        if _channel_axis(self.data_format) == 1:
            bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
        return value + bias

    def gradient(self, op, grad):
        return [grad, apply_op(BiasAddGrad(data_format=self.data_format), (grad,), "BiasAddGrad",
                               arg_names=("out_backprop",))]


class BiasAddGrad(Op):
    """The bias gradient: ``out_backprop`` summed over every axis but the channel axis."""

    type = "BiasAddGrad"

    def __init__(self, data_format="NHWC"):
        self.data_format = data_format

    def infer(self, grad):
        if grad.shape.dims is None:
            return grad.dtype.base_dtype, TensorShape([None])
        return grad.dtype.base_dtype, TensorShape([grad.shape.dims[_channel_axis(self.data_format)]])

    def forward(self, grad):
        axis = _channel_axis(self.data_format) % grad.ndim
        if axis == grad.ndim - 1 and grad.dtype.kind == "f":   # channels last: sum the rows of a matrix
            rows = grad.reshape(-1, grad.shape[-1])
            return xp.ones(rows.shape[0], dtype=grad.dtype) @ rows   # (BLAS sums rows ~5x faster than xp.sum)
        return xp.sum(grad, axis=tuple(a for a in range(grad.ndim) if a != axis))

    def gradient(self, op, grad):
        out_backprop = op.inputs[0]
        rank = out_backprop.shape.ndims
        if rank is None:
            raise NotImplementedError("the gradient of BiasAddGrad needs a tensor of known rank in minitf")
        kept = [1] * rank
        kept[_channel_axis(self.data_format)] = -1
        return [broadcast_to(reshape(grad, kept), shape(out_backprop))]


def bias_add(value, bias, data_format=None, name=None):
    """``tf.nn.bias_add``: add the 1-D ``bias`` to every position of ``value`` (its channels axis)."""
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return create_op(BiasAdd(data_format=data_format or "NHWC"), [value, bias], scope).outputs[0]


def xw_plus_b(x, weights, biases, name=None):
    """``tf.nn.xw_plus_b``: ``matmul(x, weights) + biases``."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        return bias_add(matmul(x, weights), biases, name=scope)


# ---- dropout ----------------------------------------------------------------------------------
def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """``tf.nn.dropout``: zero each element with probability ``rate`` and scale the rest by ``1/(1 - rate)``.

    TF1 code passes ``keep_prob`` (= ``1 - rate``), often a placeholder fed 0.5 while training
    and 1.0 when testing; with ``keep_prob=1.0`` the output equals ``x``.
    """
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'.")
        _deprecated("calling dropout", "Please use `rate` instead of `keep_prob`. Rate should be set to "
                                       "`rate = 1 - keep_prob`.", args=" with keep_prob")
        if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1:
            raise ValueError(f"keep_prob must be a scalar tensor or a float in the range (0, 1], got {keep_prob:g}")
        rate = 1 - keep_prob if isinstance(keep_prob, numbers.Real) else subtract(1.0, keep_prob)
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. "
                             f"Got a {x.dtype.base_dtype.name} tensor instead.")
        if isinstance(rate, numbers.Real):
            if not 0 <= rate < 1:
                raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got {rate:g}")
            if rate == 0:
                return x
            scaled = multiply(x, convert_to_tensor(1 / (1 - rate), dtype=x.dtype.base_dtype))
        else:
            rate = cast(convert_to_tensor(rate, name="rate"), x.dtype.base_dtype)
            if rate.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {rate.shape.ndims} for the dropout rate {rate}")
            scaled = x / subtract(convert_to_tensor(1, dtype=x.dtype.base_dtype), rate)
        noise = random_ops.random_uniform(_noise_shape(x, noise_shape), dtype=x.dtype.base_dtype, seed=seed)
        keep = cast(greater_equal(noise, rate), x.dtype.base_dtype)
        out = multiply(scaled, keep)
        out.set_shape(x.shape)
        return out


def _noise_shape(x: Tensor, noise_shape):
    """``x``'s shape, or ``noise_shape`` with its None entries taken from ``x``."""
    if noise_shape is None:
        return x.shape.as_list() if x.shape.is_fully_defined() else shape(x)
    if isinstance(noise_shape, Tensor):
        return noise_shape
    dims = list(noise_shape)
    if None in dims:
        if not x.shape.is_fully_defined():
            raise ValueError("noise_shape with None entries needs x with a fully known shape in minitf")
        dims = [x.shape.as_list()[i] if d is None else d for i, d in enumerate(dims)]
    return dims


# ---- lookups ----------------------------------------------------------------------------------
def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None):
    """``tf.nn.embedding_lookup``: the rows of ``params`` at ``ids`` (one row per id, any shape of ids)."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("minitf's embedding_lookup takes one params tensor, not a partitioned list")
        params = params[0]
    if max_norm is not None:
        raise NotImplementedError("embedding_lookup(max_norm=...) is not supported by minitf")
    with name_scope(name, "embedding_lookup", [params, ids]) as scope:
        return gather(params, ids, name=scope)


class TopKV2(Op):
    """The ``k`` largest entries of the last axis and their indices (ties: the lower index first)."""

    type = "TopKV2"
    num_outputs = 2

    def __init__(self, sorted=True):  # noqa: A002  (TF1's attr name)
        self.sorted = sorted

    def infer(self, x, k):
        k_value = constant_value(k)
        dims = None if x.shape.dims is None else x.shape.as_list()[:-1] + [None if k_value is None else int(k_value)]
        return [(x.dtype.base_dtype, TensorShape(dims)), (dtypes.int32, TensorShape(dims))]

    def forward(self, x, k):
        k = int(k)
        order = xp.argsort(-x, axis=-1, kind="stable")[..., :k]
        return xp.take_along_axis(x, order, axis=-1), order.astype(dtypes.int32.as_numpy_dtype)

    def gradient(self, op, grad_values, grad_indices):
        x, _ = op.inputs
        depth = x.shape.as_list()[-1]
        if depth is None:
            raise NotImplementedError("the gradient of tf.nn.top_k needs a known last dimension in minitf")
        picked = one_hot(op.outputs[1], depth, dtype=x.dtype.base_dtype)          # [..., k, depth]
        return [reduce_sum(multiply(expand_dims(grad_values, -1), picked), -2), None]


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """``tf.nn.top_k``: ``(values, indices)`` of the ``k`` largest entries along the last axis."""
    return apply_op(TopKV2(sorted=sorted), (input, k), name or "TopKV2", same_dtype=False, arg_names=("input", "k"))


class InTopKV2(Op):
    """Whether each row's ``targets`` class is among its ``k`` largest ``predictions``."""

    type = "InTopKV2"
    gradient = None

    def infer(self, predictions, targets, k):
        return dtypes.bool, targets.shape

    def forward(self, predictions, targets, k):
        target_values = xp.take_along_axis(predictions, targets[:, None].astype(xp.int64), axis=1)
        larger = xp.sum(predictions > target_values, axis=1)
        return (larger < int(k)) & xp.isfinite(target_values[:, 0])


def in_top_k(predictions, targets, k, name=None):
    """``tf.nn.in_top_k``: a bool per row, True when ``targets`` is among the top ``k`` predictions."""
    with name_scope(name, "in_top_k", [predictions, targets]):
        predictions = convert_to_tensor(predictions, name="predictions")
        targets = convert_to_tensor(targets, name="targets")
        k = convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k")
        return create_op(InTopKV2(), [predictions, targets, k], name or "InTopKV2").outputs[0]

"""Neural-network ops: activations, softmax and cross entropy, bias_add, dropout (notebooks 05-07).

The activations with a ``...Grad`` op (``Relu`` / ``ReluGrad``) compute their gradient in one
kernel, as TF1 does; that gradient op has its own gradient, so second derivatives work.
Softmax and the cross entropies subtract the row maximum first: ``[1000., 0.]`` gives
``[1., 0.]``, never ``nan``.  The convolution and pooling ops are in ``conv_ops.py``.
"""
from __future__ import annotations

import collections
import numbers
import sys

from .. import dtypes
from ..backend import xp
from ..errors import InvalidArgumentError
from ..graph import Tensor, get_default_graph, name_scope
from ..logging import warning
from ..tensor_shape import TensorShape
from . import random_ops
from .array_ops import (concat, expand_dims, gather, identity, one_hot, pad, squeeze, stop_gradient, transpose, where,
                        zeros, zeros_like)
from .base import (FLOAT_TYPES, INDEX_TYPES, NUMBER_TYPES, REAL_NUMBER_TYPES, Op, ShapeError, apply_op, constant_value,
                   convert_to_tensor, create_op, shape_list)
from .math_ops import (abs_, add, add_n, cast, divide, equal, exp, greater, greater_equal, log1p, matmul, maximum,
                       multiply, negative, pow_, reduce_mean, reduce_sum, rsqrt, sigmoid, square, squared_difference,
                       subtract)
from .shape_ops import broadcast_to, merge_shapes, reshape, shape

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


def _activation(type_name: str, forward, grad_forward, of_output: bool, v_gradient=None, v_name="features",
                allowed=FLOAT_TYPES) -> tuple:
    """An activation op and its ``...Grad`` op; ``grad_forward(gradients, v)`` with ``v`` the
    activation's output (``of_output``) or its input (TF1 names that input ``v_name``); ``allowed``:
    the dtypes TF1 takes."""
    grad_cls = type(type_name + "Grad", (_ActivationGrad,), {
        "type": type_name + "Grad", "forward": staticmethod(grad_forward),
        "v_gradient": None if v_gradient is None else staticmethod(v_gradient)})

    def gradient(self, op, grad):
        v = op.outputs[0] if of_output else op.inputs[0]
        return [apply_op(grad_cls(), (grad, v), grad_cls.type, arg_names=("gradients", v_name))]

    return type(type_name, (Op,), {"type": type_name, "forward": staticmethod(forward), "gradient": gradient,
                                   "allowed_dtypes": {0: ("features", allowed)}}), grad_cls


# Relu: max(x, 0); its gradient passes where the output is positive
Relu, ReluGrad = _activation("Relu", lambda x: xp.maximum(x, 0), lambda g, y: g * (y > 0), of_output=True,
                             allowed=REAL_NUMBER_TYPES + ("qint8",))
# Relu6: min(max(x, 0), 6)
Relu6, Relu6Grad = _activation("Relu6", lambda x: xp.clip(x, 0, 6), lambda g, x: g * ((x > 0) & (x < 6)),
                               of_output=False, allowed=REAL_NUMBER_TYPES)
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


def log_sigmoid(x, name=None):
    """``tf.log_sigmoid``: ``log(1 / (1 + exp(-x)))``, computed as ``-softplus(-x)`` (no overflow)."""
    with name_scope(name, "LogSigmoid", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return negative(softplus(negative(x)), name=scope)


def softsign(features, name=None):
    """``tf.nn.softsign``: ``features / (1 + |features|)``."""
    with name_scope(name, "Softsign", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return divide(features, add(abs_(features), 1.0), name=scope)


def selu(features, name=None):
    """``tf.nn.selu``: ``scale * features`` where positive, else ``scale * alpha * (exp(features) - 1)``, with
    the constants that keep activations near mean 0 and variance 1 (Klambauer et al., 2017)."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    with name_scope(name, "Selu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        negative_part = multiply(alpha * scale, elu(features))
        return where(greater(features, 0.0), multiply(scale, features), negative_part, name=scope)


def swish(features):
    """``tf.nn.swish``: ``features * sigmoid(features)`` (Ramachandran et al., 2017)."""
    features = convert_to_tensor(features, name="features")
    return multiply(features, sigmoid(features))


def crelu(features, name=None, axis=-1):
    """``tf.nn.crelu``: ``relu`` of ``features`` and of ``-features``, concatenated along ``axis``."""
    with name_scope(name, "CRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return relu(concat([features, negative(features)], axis), name=scope)


def zero_fraction(value, name=None):
    """``tf.nn.zero_fraction``: the fraction of ``value``'s entries that are 0 (how sparse ReLU outputs
    are; TF1's CIFAR-10 tutorial logs it)."""
    with name_scope(name, "zero_fraction", [value]):
        value = convert_to_tensor(value, name="value")
        return reduce_mean(cast(equal(value, zeros((), value.dtype.base_dtype)), dtypes.float32))


def relu_layer(x, weights, biases, name=None):
    """``tf.nn.relu_layer``: ``relu(x @ weights + biases)``."""
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        return relu(bias_add(matmul(x, weights), biases), name=scope)


def leaky_relu(features, alpha=0.2, name=None):
    """``tf.nn.leaky_relu``: ``max(alpha * features, features)``."""
    with name_scope(name, "LeakyRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return maximum(multiply(alpha, features), features, name=scope)


# ---- softmax ----------------------------------------------------------------------------------
class Softmax(Op):
    """``exp(x) / sum(exp(x))`` over the last axis, numerically stable (TF1's kernel: ``e * (1/sum)``)."""

    type = "Softmax"
    allowed_dtypes = {0: ("logits", FLOAT_TYPES)}

    def infer(self, x):
        if x.shape.ndims == 0:
            raise ShapeError("Shape must be at least rank 1 but is rank 0")
        return x.dtype.base_dtype, x.shape

    def forward(self, x):
        e = xp.exp(x - xp.max(x, axis=-1, keepdims=True))   # exp never overflows: [1000., 0.] -> [1., 0.]
        return e * (1 / xp.sum(e, axis=-1, keepdims=True))

    def gradient(self, op, grad):
        y = op.outputs[0]
        return [multiply(subtract(grad, reduce_sum(multiply(grad, y), -1, keepdims=True)), y)]


class LogSoftmax(Softmax):
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
    if axis is not None and rank is not None and not -rank <= axis < rank:   # TF1 raises this while building
        raise InvalidArgumentError(None, None, f"Dimension ({axis}) must be in the range [{-rank}, {rank}) where "
                                               f"{rank} is the number of dimensions in the input.")
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
    allowed_dtypes = {0: ("features", FLOAT_TYPES)}

    def infer(self, logits, labels):
        if not logits.shape.is_compatible_with(labels.shape):
            raise ShapeError(f"Dimensions must be equal, but are {logits.shape[-1]} and {labels.shape[-1]}"
                             if logits.shape.ndims == labels.shape.ndims else
                             f"Shapes must be equal rank, but are {logits.shape.ndims} and {labels.shape.ndims}")
        full = logits.shape.merge_with(labels.shape)
        batch = TensorShape(None) if full.dims is None else TensorShape(full.dims[:-1])
        return [(logits.dtype.base_dtype, batch), (logits.dtype.base_dtype, full)]

    forward = staticmethod(_xent_forward)

    def kernel_error(self, error, logits, labels):
        if logits.shape != labels.shape:
            return InvalidArgumentError(None, None, f"logits and labels must be broadcastable: logits_size="
                                                    f"{shape_list(logits.shape)} labels_size="
                                                    f"{shape_list(labels.shape)}")
        return None

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

    allowed_dtypes = {0: ("features", FLOAT_TYPES), 1: ("labels", INDEX_TYPES)}

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "Tlabels": inputs[1].dtype.base_dtype}

    def infer(self, logits, labels):
        batch = labels.shape if logits.shape.dims is None else merge_shapes(labels.shape,
                                                                             TensorShape(logits.shape.dims[:-1]))
        return [(logits.dtype.base_dtype, batch), (logits.dtype.base_dtype, logits.shape)]

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
    rank = logits.shape.ndims
    if axis not in (-1, None) and rank is not None and axis % rank != rank - 1:
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        logits, labels = transpose(logits, perm), transpose(labels, perm)
    scope = get_default_graph().get_name_scope()   # the op takes the scope's name, as in TF1
    loss, _ = create_op(SoftmaxCrossEntropyWithLogits(), [logits, labels], scope + "/").outputs
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


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None, targets=None):
    """``tf.nn.weighted_cross_entropy_with_logits``: the logistic loss with the positive term weighted by
    ``pos_weight``: ``(1 - z) * x + (1 + (q - 1) * z) * log(1 + exp(-x))`` (z = labels, q = pos_weight),
    computed as TF1 does so that ``exp`` cannot overflow.  ``targets`` is TF1's older name for ``labels``."""
    labels = targets if labels is None else labels
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        if not labels.shape.is_compatible_with(logits.shape):
            raise ValueError(f"logits and targets must have the same shape ({logits.shape} vs {labels.shape})")
        log_weight = add(1.0, multiply(subtract(pos_weight, 1.0), labels))
        softplus_part = add(log1p(exp(negative(abs_(logits)))), relu(negative(logits)))
        return add(multiply(subtract(1.0, labels), logits), multiply(log_weight, softplus_part), name=scope)


# ---- losses and statistics --------------------------------------------------------------------
class L2Loss(Op):
    """``sum(t ** 2) / 2``, a scalar."""

    type = "L2Loss"
    allowed_dtypes = {0: ("t", FLOAT_TYPES)}

    def infer(self, t):
        return t.dtype.base_dtype, TensorShape([])

    def forward(self, t):
        return (xp.sum(t * t) / 2).astype(t.dtype)

    def gradient(self, op, grad):
        return [multiply(op.inputs[0], grad)]


def l2_loss(t, name=None):
    """``tf.nn.l2_loss``: half the squared L2 norm (``[1, 2, 3]`` -> ``7.0``)."""
    return apply_op(L2Loss(), (t,), name or "L2Loss", arg_names=("t",))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``tf.nn.l2_normalize``: ``x / sqrt(max(sum(x ** 2), epsilon))`` over ``axis``."""
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = reduce_sum(square(x), dim if axis is None else axis, keepdims=True)
        return multiply(x, rsqrt(maximum(square_sum, epsilon)), name=scope)


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):  # noqa: A002
    """``tf.nn.local_response_normalization`` (``tf.nn.lrn``, AlexNet's): each entry divided by
    ``(bias + alpha * s) ** beta``, where ``s`` sums the squares over the ``2 * depth_radius + 1``
    channels around it.  TF1 has one LRN op; minitf builds it from element-wise ops (same values and
    gradients), so it needs the channel count while the graph is built."""
    with name_scope(name, "LRN", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        if x.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims} for 'LRN' (op: 'LRN') with input "
                             f"shapes: {shape_list(x.shape)}.")
        channels = x.shape.as_list()[-1] if x.shape.ndims == 4 else None
        if channels is None:
            raise ValueError("minitf's tf.nn.lrn needs the number of channels known while the graph is built")
        squares = pad(square(x), [[0, 0]] * 3 + [[depth_radius, depth_radius]])
        window = add_n([squares[..., k:k + channels] for k in range(2 * depth_radius + 1)])
        return multiply(x, pow_(add(bias, multiply(alpha, window)), -beta), name=scope)


lrn = local_response_normalization


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
        inv = rsqrt(variance + variance_epsilon)   # operators, so the ops are named as TF1's: add, mul, ..., add_1
        if scale is not None:
            inv *= scale
        return x * inv + (-mean * inv if offset is None else offset - mean * inv)


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
    allowed_dtypes = {0: ("value", NUMBER_TYPES)}

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

    def kernel_error(self, error, value, bias):
        return InvalidArgumentError(None, None, f"Must provide as many biases as the last dimension of the input "
                                                f"tensor: {shape_list(bias.shape)} vs. "
                                                f"{shape_list(value.shape)}")

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
    and 1.0 when testing; with ``keep_prob=1.0`` the output equals ``x``.  The ops and their names
    are TF 1.15's: ``x * scale * cast(random_uniform >= rate)``, ending in ``dropout/mul_1``.
    """
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'.")
        _deprecated("calling dropout", "Please use `rate` instead of `keep_prob`. Rate should be set to "
                                       "`rate = 1 - keep_prob`.", args=" with keep_prob")
        rate = 1.0 - keep_prob    # (a "sub" op where keep_prob is a tensor, as in TF1)
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. "
                             f"Got a {x.dtype.base_dtype} tensor instead.")
        if isinstance(rate, numbers.Real):
            if not 0 <= rate < 1:
                raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got {rate:g}")
            if rate == 0:
                return x
        rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        if rate.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {rate.shape.ndims} for the dropout rate {rate}")
        noise = random_ops.random_uniform(_noise_shape(x, noise_shape), dtype=x.dtype.base_dtype, seed=seed)
        scale = 1 / (1 - rate)
        keep = noise >= rate
        out = x * scale * cast(keep, x.dtype.base_dtype)
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
        return identity(gather(params, ids, name=scope))   # (embedding_lookup/Identity, as TF1 names it)


class TopKV2(Op):
    """The ``k`` largest entries of the last axis and their indices (ties: the lower index first)."""

    type = "TopKV2"
    num_outputs = 2
    allowed_dtypes = {0: ("input", REAL_NUMBER_TYPES)}

    def __init__(self, sorted=True):  # noqa: A002  (TF1's attr name)
        self.sorted = sorted

    def infer(self, x, k):
        k_value = None if constant_value(k) is None else int(constant_value(k))
        if k_value is not None and k_value < 0:
            raise ShapeError(f"Dimension size, given by scalar input 1, must be non-negative but is {k_value}",
                             computed=(1,))
        if x.shape.ndims == 0:
            raise ShapeError("Shape must be at least rank 1 but is rank 0")
        last = None if x.shape.dims is None else x.shape.as_list()[-1]
        if last is not None and k_value is not None and last < k_value:
            raise ShapeError(f"input must have last dimension >= k = {k_value} but is {last}", computed=(1,))
        dims = None if x.shape.dims is None else x.shape.as_list()[:-1] + [k_value]
        return [(x.dtype.base_dtype, TensorShape(dims)), (dtypes.int32, TensorShape(dims))]

    def forward(self, x, k):
        k = int(k)
        if x.shape[-1] < k:
            raise InvalidArgumentError(None, None, f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
        order = xp.argsort(-x, axis=-1, kind="stable")[..., :k]
        return xp.take_along_axis(x, order, axis=-1), order.astype(dtypes.int32.as_numpy_dtype)

    def gradient(self, op, grad_values, grad_indices):
        x, _ = op.inputs
        depth = x.shape.as_list()[-1]
        if depth is None:
            raise NotImplementedError("the gradient of tf.nn.top_k needs a known last dimension in minitf")
        picked = one_hot(op.outputs[1], depth, dtype=x.dtype.base_dtype)          # [..., k, depth]
        return [reduce_sum(multiply(expand_dims(grad_values, -1), picked), -2), None]


TopKResult = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """``tf.nn.top_k``: ``TopKV2(values, indices)`` of the ``k`` largest entries along the last axis."""
    return TopKResult(*apply_op(TopKV2(sorted=sorted), (input, k), name or "TopKV2", same_dtype=False,
                                arg_names=("input", "k")))


def _sorted(values, axis, direction, indices: bool, name, default_name):
    """Sorting along ``axis`` as TF1 does it: ``top_k`` of every entry (of the negated values for
    ASCENDING), with ``axis`` moved last and back."""
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{direction} should be one of ASCENDING, DESCENDING")
    with name_scope(name, default_name, [values]):
        values = convert_to_tensor(values, name="values")
        rank = values.shape.ndims
        if rank is None or not isinstance(axis, int) or not -rank <= axis < rank:
            raise ValueError(f"axis must be a Python int within the rank of values, got {axis} for rank {rank}")
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        last = values if perm[-1] == rank - 1 else transpose(values, perm)
        n = last.shape.as_list()[-1]
        ascending = direction == "ASCENDING"
        top, where_from = top_k(negative(last) if ascending else last, shape(last)[-1] if n is None else n)
        out = where_from if indices else negative(top) if ascending else top
        return out if perm[-1] == rank - 1 else transpose(out, perm)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``tf.sort``: ``values`` sorted along ``axis``."""
    return _sorted(values, axis, direction, False, name, "sort")


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """``tf.argsort``: the indices that sort ``values`` along ``axis`` (equal values keep their order)."""
    return _sorted(values, axis, direction, True, name, "argsort")


class InTopKV2(Op):
    """Whether each row's ``targets`` class is among its ``k`` largest ``predictions``."""

    type = "InTopKV2"
    gradient = None
    allowed_dtypes = {0: ("predictions", "float32"), 1: ("targets", INDEX_TYPES)}

    def infer(self, predictions, targets, k):
        for t, rank in ((predictions, 2), (targets, 1), (k, 0)):
            if t.shape.ndims not in (None, rank):
                raise ShapeError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
        batch = None if predictions.shape.dims is None else predictions.shape.dims[0].value
        target = None if targets.shape.dims is None else targets.shape.dims[0].value
        if batch is not None and target is not None and batch != target:
            raise ShapeError(f"Dimensions must be equal, but are {batch} and {target}")
        return dtypes.bool, TensorShape([batch if target is None else target])

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

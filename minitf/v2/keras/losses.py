"""``tf.keras.losses``: what ``compile(loss=...)`` minimises, averaged over the batch.

A loss given as probabilities (the output of a ``softmax`` or ``sigmoid`` activation) is
computed from the logits underneath when the graph shows them -- inside ``fit`` the step
is a traced graph, so ``loss(y, softmax(z))`` becomes ``sparse_softmax_cross_entropy(y, z)``:
the same value, computed without ``log(0)``.  Otherwise probabilities are clipped to
``[1e-7, 1 - 1e-7]`` before the log, as Keras does.
"""
from __future__ import annotations

from ... import dtypes
from ...ops import array_ops, math_ops
from ...ops.base import convert_to_tensor
from ...ops.clip_ops import clip_by_value
from ...ops.math_ops import cast, log, multiply, reduce_mean, reduce_sum, square, subtract
from .. import nn
from . import backend


def _logits(output, activation: str):
    """The logits under ``output`` if it is the output of ``activation`` (a graph op), else None."""
    op = getattr(output, "op", None)
    if op is not None and op.type == activation and op.inputs:
        return op.inputs[0]
    return None


def _clipped(output):
    eps = backend.epsilon()
    return clip_by_value(output, eps, 1.0 - eps)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Per example: ``-log(y_pred[y_true])``, ``y_true`` holding class ids."""
    y_pred = convert_to_tensor(y_pred)
    logits = y_pred if from_logits else _logits(y_pred, "Softmax")
    if logits is None:
        logits = log(_clipped(y_pred))
    labels = cast(y_true, dtypes.int64)
    if labels.shape.ndims == y_pred.shape.ndims and labels.shape.as_list()[-1] == 1:
        labels = array_ops.squeeze(labels, [-1])
    return nn.sparse_softmax_cross_entropy_with_logits(labels, logits)


def categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Per example: ``-sum(y_true * log(y_pred))``, ``y_true`` one-hot rows."""
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(y_true, y_pred.dtype.base_dtype)
    logits = y_pred if from_logits else _logits(y_pred, "Softmax")
    if logits is not None:
        return nn.softmax_cross_entropy_with_logits(y_true, logits, axis=axis)
    probs = math_ops.truediv(y_pred, reduce_sum(y_pred, axis, keepdims=True))
    return math_ops.negative(reduce_sum(multiply(y_true, log(_clipped(probs))), axis))


def binary_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Per example: the mean over the last axis of ``-(y log p + (1 - y) log(1 - p))``."""
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(y_true, y_pred.dtype.base_dtype)
    logits = y_pred if from_logits else _logits(y_pred, "Sigmoid")
    if logits is None:
        p = _clipped(y_pred)
        per_element = math_ops.negative(math_ops.add(multiply(y_true, log(p)),
                                                     multiply(subtract(1.0, y_true), log(subtract(1.0, p)))))
    else:
        per_element = nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits)
    return reduce_mean(per_element, axis)


def mean_squared_error(y_true, y_pred):
    """Per example: the mean over the last axis of ``(y_pred - y_true) ** 2``."""
    y_pred = convert_to_tensor(y_pred)
    return reduce_mean(square(subtract(y_pred, cast(y_true, y_pred.dtype.base_dtype))), -1)


def mean_absolute_error(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    return reduce_mean(math_ops.abs_(subtract(y_pred, cast(y_true, y_pred.dtype.base_dtype))), -1)


class Loss:
    """A loss object: ``loss(y_true, y_pred)`` is the per-example loss averaged over the batch."""

    def __init__(self, fn, name: str, **options):
        self.fn, self.name, self.options = fn, name, options

    def call(self, y_true, y_pred):
        """The per-example losses."""
        return self.fn(y_true, y_pred, **self.options)

    def __call__(self, y_true, y_pred, sample_weight=None):
        return reduce_mean(self.call(y_true, y_pred))

    def __repr__(self):
        return f"<tf.keras.losses.{type(self).__name__}>"


class SparseCategoricalCrossentropy(Loss):
    def __init__(self, from_logits=False, name="sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, name, from_logits=from_logits)


class CategoricalCrossentropy(Loss):
    def __init__(self, from_logits=False, name="categorical_crossentropy"):
        super().__init__(categorical_crossentropy, name, from_logits=from_logits)


class BinaryCrossentropy(Loss):
    def __init__(self, from_logits=False, name="binary_crossentropy"):
        super().__init__(binary_crossentropy, name, from_logits=from_logits)


class MeanSquaredError(Loss):
    def __init__(self, name="mean_squared_error"):
        super().__init__(mean_squared_error, name)


class MeanAbsoluteError(Loss):
    def __init__(self, name="mean_absolute_error"):
        super().__init__(mean_absolute_error, name)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_BY_NAME = {"sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
            "categorical_crossentropy": CategoricalCrossentropy, "binary_crossentropy": BinaryCrossentropy,
            "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
            "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError}


def get(identifier) -> Loss:
    """A Loss object from a name (``'sparse_categorical_crossentropy'``), a Loss, or a function."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown loss function: '{identifier}'. Choose one of {sorted(_BY_NAME)}.")
        return _BY_NAME[identifier]()
    if callable(identifier):
        return Loss(lambda y_true, y_pred: identifier(y_true, y_pred), getattr(identifier, "__name__", "loss"))
    raise ValueError(f"Could not interpret loss function identifier: {identifier!r}")

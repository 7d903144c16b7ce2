"""``tf.keras.metrics``: what ``compile(metrics=[...])`` reports, as per-batch means.

``fit`` and ``evaluate`` average them over the examples seen so far (what the progress bar
shows and ``History`` keeps).  ``'accuracy'`` means the accuracy that fits the loss: class ids
against probabilities for ``sparse_categorical_crossentropy``, one-hot rows for
``categorical_crossentropy``, 0/1 at a 0.5 threshold for ``binary_crossentropy``.
"""
from __future__ import annotations

from ... import dtypes
from ...ops import array_ops
from ...ops.math_ops import argmax, cast, equal, greater, reduce_mean
from ...ops.base import convert_to_tensor
from . import losses


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true)
    if labels.shape.ndims == y_pred.shape.ndims and labels.shape.as_list()[-1] == 1:
        labels = array_ops.squeeze(labels, [-1])
    return cast(equal(cast(labels, dtypes.int64), argmax(y_pred, -1)), dtypes.float32)


def categorical_accuracy(y_true, y_pred):
    return cast(equal(argmax(y_true, -1), argmax(y_pred, -1)), dtypes.float32)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_pred = convert_to_tensor(y_pred)
    predicted = cast(greater(y_pred, threshold), y_pred.dtype.base_dtype)
    return reduce_mean(cast(equal(cast(y_true, y_pred.dtype.base_dtype), predicted), dtypes.float32), -1)


class Metric:
    """A named metric: ``metric(y_true, y_pred)`` is its mean over the batch."""

    def __init__(self, fn, name: str):
        self.fn, self.name = fn, name

    def __call__(self, y_true, y_pred):
        return reduce_mean(self.fn(y_true, y_pred))

    def __repr__(self):
        return f"<Metric {self.name}>"


_FUNCTIONS = {"sparse_categorical_accuracy": sparse_categorical_accuracy,
              "categorical_accuracy": categorical_accuracy, "binary_accuracy": binary_accuracy,
              "mse": losses.mean_squared_error, "mean_squared_error": losses.mean_squared_error,
              "mae": losses.mean_absolute_error, "mean_absolute_error": losses.mean_absolute_error}
_ACCURACY_FOR_LOSS = {"sparse_categorical_crossentropy": sparse_categorical_accuracy,
                      "categorical_crossentropy": categorical_accuracy, "binary_crossentropy": binary_accuracy}


def get(identifier, loss: losses.Loss | None = None) -> Metric:
    """A Metric from a name (``'accuracy'`` picks the accuracy that fits ``loss``) or a function."""
    if isinstance(identifier, Metric):
        return identifier
    if identifier in ("accuracy", "acc"):
        fn = _ACCURACY_FOR_LOSS.get(getattr(loss, "name", None), sparse_categorical_accuracy)
        return Metric(fn, identifier)
    if isinstance(identifier, str):
        if identifier not in _FUNCTIONS:
            raise ValueError(f"Unknown metric function: '{identifier}'. Choose one of "
                             f"{sorted(_FUNCTIONS) + ['accuracy']}.")
        return Metric(_FUNCTIONS[identifier], identifier)
    if callable(identifier):
        return Metric(identifier, getattr(identifier, "__name__", "metric"))
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def SparseCategoricalAccuracy(name="sparse_categorical_accuracy"):  # noqa: N802
    return Metric(sparse_categorical_accuracy, name)


def CategoricalAccuracy(name="categorical_accuracy"):  # noqa: N802
    return Metric(categorical_accuracy, name)

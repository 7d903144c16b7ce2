"""``tf.keras.metrics``: what ``compile(metrics=[...])`` reports, as per-batch means.

``fit`` and ``evaluate`` average them over the examples seen so far (what the progress bar
shows and ``History`` keeps).  ``'accuracy'`` means the accuracy that fits the loss: class ids
against probabilities for ``sparse_categorical_crossentropy``, one-hot rows for
``categorical_crossentropy``, 0/1 at a 0.5 threshold for ``binary_crossentropy``.

A metric object also keeps a running mean, for training loops written by hand (TF2's
"quickstart for experts"): ``metric.update_state(y_true, y_pred)`` adds a batch to two
variables (``total`` and ``count``), ``metric.result()`` is the mean so far and
``metric.reset_state()`` starts again; calling the object updates it and returns the result,
eagerly or inside a ``tf.function``.  ``Mean()`` averages the values it is given.
"""
from __future__ import annotations

from ... import dtypes
from ...ops import array_ops
from ...ops.math_ops import argmax, cast, div_no_nan, equal, greater, reduce_mean, reduce_sum
from ...ops.base import convert_to_tensor
from ...ops.shape_ops import size
from ..variables import Variable
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
    """A named metric: ``batch_mean(y_true, y_pred)`` is its mean over one batch (what ``compile``'s
    metrics report); ``update_state``, ``result`` and ``reset_state`` keep a running mean."""

    def __init__(self, fn, name: str):
        self.fn, self.name = fn, name
        self._total = self._count = None     # variables, made by the first update

    def batch_mean(self, y_true, y_pred):
        return reduce_mean(self.fn(y_true, y_pred))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add a batch's values to the running mean."""
        return self._add(self.fn(y_true, y_pred), sample_weight)

    def _add(self, values, sample_weight):
        if sample_weight is not None:
            raise NotImplementedError("minitf's Keras metrics do not support sample_weight")
        if self._total is None:
            self._total = Variable(0.0, name=f"{self.name}/total", trainable=False)
            self._count = Variable(0.0, name=f"{self.name}/count", trainable=False)
        values = cast(values, dtypes.float32)
        self._total.assign_add(reduce_sum(values))
        return self._count.assign_add(cast(size(values), dtypes.float32))

    def result(self):
        """The mean of every value added since the last reset (0 before any)."""
        if self._total is None:
            return convert_to_tensor(0.0)
        return div_no_nan(self._total.read_value(), self._count.read_value())

    def reset_state(self) -> None:
        if self._total is not None:
            self._total.assign(0.0)
            self._count.assign(0.0)

    reset_states = reset_state

    def __call__(self, *args, **kwargs):
        """Update the running mean with this batch and return it (as a Keras metric object does)."""
        self.update_state(*args, **kwargs)
        return self.result()

    @property
    def variables(self) -> list:
        return [] if self._total is None else [self._total, self._count]

    def __repr__(self):
        return f"<Metric {self.name}>"


class Mean(Metric):
    """``Mean(name='train_loss')``: the running mean of the values given (``train_loss(loss)``)."""

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(None, name)

    def update_state(self, values, sample_weight=None):
        return self._add(values, sample_weight)


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

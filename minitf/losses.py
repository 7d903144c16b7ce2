"""tf.losses: loss functions that also record themselves in the ``losses`` collection (notebook 05).

Each loss computes one value per element (``squared_difference``, a cross entropy), weights
it, and reduces it as ``reduction`` says.  The default, ``SUM_BY_NONZERO_WEIGHTS``, divides
the weighted sum by the number of elements whose weight is not zero -- with the default
``weights=1.0`` that is the plain mean.  The result is named ``<loss name>/value``:

>>> tf.losses.mean_squared_error(labels=y, predictions=y_pred)
<tf.Tensor 'mean_squared_error/value:0' shape=() dtype=float32>
"""
from __future__ import annotations

from . import dtypes, tf1_api
from .graph import GraphKeys, add_to_collection, get_collection, name_scope
from .ops.array_ops import constant, ones_like, squeeze, stop_gradient, where, zeros_like
from .ops.base import convert_to_tensor
from .ops.math_ops import (abs_, add, add_n, cast, div_no_nan, equal, log, minimum, multiply, negative, reduce_sum,
                           square, squared_difference, subtract)
from .ops.nn_ops import (relu, sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                         sparse_softmax_cross_entropy_with_logits)
from .ops.shape_ops import shape, size


class Reduction:
    """How ``compute_weighted_loss`` turns per-element losses into the loss."""

    NONE = "none"                                              # keep one loss per element
    SUM = "weighted_sum"                                       # sum
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"       # sum / number of elements
    MEAN = "weighted_mean"                                     # sum / sum of the weights
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"  # sum / number of non-zero weights
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple:
        return cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def validate(cls, key) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def _num_elements(losses):
    with name_scope(None, "num_elements", [losses]) as scope:
        return cast(size(losses, name=scope), losses.dtype.base_dtype)


def _num_present(losses, weights):
    """How many elements of ``losses`` have a non-zero weight (weights broadcast to the losses)."""
    if isinstance(weights, (int, float)) and weights != 0:
        return _num_elements(losses)
    with name_scope(None, "num_present", [losses, weights]) as scope:
        weights = cast(weights, dtypes.float32)
        present = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
        present = multiply(present, ones_like(losses))
        return reduce_sum(present, name=scope)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.compute_weighted_loss``: weight ``losses``, reduce them, add the result to ``loss_collection``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        losses = cast(losses, dtypes.float32)
        weighted = multiply(losses, cast(weights, dtypes.float32))
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = div_no_nan(loss, reduce_sum(multiply(ones_like(losses), cast(weights, dtypes.float32))),
                                  name="value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = div_no_nan(loss, _num_present(losses, weights), name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = div_no_nan(loss, _num_elements(losses), name="value")
        loss = cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


def _check(labels, predictions, labels_name="labels"):
    if labels is None:
        raise ValueError(f"{labels_name} must not be None.")
    if predictions is None:
        raise ValueError("predictions must not be None." if labels_name == "labels" else "logits must not be None.")


def _assert_compatible(a, b):
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"Shapes {a.shape} and {b.shape} are incompatible")


def _elementwise(loss_fn, default_scope, labels, predictions, weights, scope, loss_collection, reduction,
                 labels_name="labels"):
    """A loss of each prediction against its label (float32, shapes compatible), weighted and reduced."""
    _check(labels, predictions, labels_name)
    with name_scope(scope, default_scope, [predictions, labels, weights]) as scope:
        predictions = cast(predictions, dtypes.float32)
        labels = cast(labels, dtypes.float32)
        _assert_compatible(predictions, labels)
        return compute_weighted_loss(loss_fn(labels, predictions), weights, scope, loss_collection, reduction=reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.mean_squared_error``: the mean of ``(predictions - labels)**2``, named ``.../value``."""
    return _elementwise(lambda y, p: squared_difference(p, y), "mean_squared_error", labels, predictions, weights,
                        scope, loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.absolute_difference``: the mean of ``|predictions - labels|``."""
    return _elementwise(lambda y, p: abs_(subtract(p, y)), "absolute_difference", labels, predictions, weights,
                        scope, loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.huber_loss``: ``e**2 / 2`` where the error ``|e| <= delta``, linear (slope ``delta``) beyond."""
    def huber(y, p):
        error = abs_(subtract(p, y))
        quadratic = minimum(error, delta)
        return add(multiply(0.5, square(quadratic)), multiply(delta, subtract(error, quadratic)))

    return _elementwise(huber, "huber_loss", labels, predictions, weights, scope, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None, loss_collection=GraphKeys.LOSSES,
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.log_loss``: ``-y log(p + eps) - (1 - y) log(1 - p + eps)`` for probabilities ``p``."""
    def log_loss_of(y, p):
        return subtract(negative(multiply(y, log(add(p, epsilon)))),
                        multiply(subtract(1.0, y), log(add(subtract(1.0, p), epsilon))))

    return _elementwise(log_loss_of, "log_loss", labels, predictions, weights, scope, loss_collection, reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.hinge_loss``: ``max(0, 1 - (2y - 1) * logits)`` for labels ``y`` in {0, 1}."""
    return _elementwise(lambda y, x: relu(subtract(1.0, multiply(subtract(multiply(2.0, y), 1.0), x))), "hinge_loss",
                        labels, logits, weights, scope, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.softmax_cross_entropy``: mean cross entropy of ``softmax(logits)`` against one-hot labels.

    With ``label_smoothing`` s the labels become ``labels * (1 - s) + s / num_classes``.
    No gradient flows into the labels.
    """
    _check(onehot_labels, logits, "onehot_labels")
    with name_scope(scope, "softmax_cross_entropy_loss", [logits, onehot_labels, weights]) as scope:
        logits = convert_to_tensor(logits)
        onehot_labels = cast(onehot_labels, logits.dtype.base_dtype)
        _assert_compatible(logits, onehot_labels)
        if label_smoothing > 0:
            num_classes = cast(shape(onehot_labels)[-1], logits.dtype.base_dtype)
            onehot_labels = onehot_labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        onehot_labels = stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.sparse_softmax_cross_entropy``: like ``softmax_cross_entropy`` with class indices as labels."""
    _check(labels, logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels, weights]) as scope:
        labels, logits = convert_to_tensor(labels), convert_to_tensor(logits)
        if labels.shape.ndims is not None and labels.shape.ndims == logits.shape.ndims and labels.shape[-1] == 1:
            labels = squeeze(labels, [-1])    # [batch, 1] labels are accepted, as in TF1
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.sigmoid_cross_entropy``: mean logistic loss of independent 0/1 labels."""
    _check(multi_class_labels, logits, "multi_class_labels")
    with name_scope(scope, "sigmoid_cross_entropy_loss", [logits, multi_class_labels, weights]) as scope:
        logits = convert_to_tensor(logits)
        labels = cast(multi_class_labels, logits.dtype.base_dtype)
        _assert_compatible(logits, labels)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES) -> list:
    """The losses created by ``tf.losses.*`` (the ``losses`` collection)."""
    return get_collection(loss_collection, scope)


def add_loss(loss, loss_collection=GraphKeys.LOSSES) -> None:
    """Add ``loss`` to ``loss_collection`` (where ``get_losses``/``get_total_loss`` find it)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_regularization_losses(scope=None) -> list:
    """The penalties that ``get_variable(regularizer=...)`` and ``tf.layers`` added."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    return add_n(losses, name=name) if losses else constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of ``get_losses()`` and (by default) the regularization losses."""
    losses = get_losses(scope) + (get_regularization_losses(scope) if add_regularization_losses else [])
    return add_n(losses, name=name)

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error

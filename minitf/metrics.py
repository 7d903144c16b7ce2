"""tf.metrics: running evaluation metrics, accumulated batch by batch in local variables.

Each metric returns two tensors.  The *value* reads counters; the *update op* adds one batch
to them and returns the new value.  The counters are local variables (``tf.local_variables()``,
also in ``GraphKeys.METRIC_VARIABLES``), not trainable and not saved, so they start at zero
with ``tf.local_variables_initializer()`` -- run it again to start counting afresh::

    acc, acc_op = tf.metrics.accuracy(labels=tf.argmax(y, 1), predictions=tf.argmax(logits, 1))
    sess.run(tf.local_variables_initializer())
    for batch in batches:
        sess.run(acc_op, feed_dict=...)     # total += correct, count += batch size
    print(sess.run(acc))                    # total / count over every batch so far

Before any update the mean-like metrics read 0 (``div_no_nan``), not NaN.  ``weights``
(a scalar, or a tensor that broadcasts to the labels) weighs each example; weight 0 masks it.
"""
from __future__ import annotations

import numpy as np

from . import dtypes, logging, tf1_api
from .graph import GraphKeys, add_to_collections, control_dependencies, get_default_graph, name_scope
from .ops.array_ops import constant, expand_dims, identity, ones_like, squeeze, stack, tile, transpose, where, zeros
from .ops.base import constant_value, convert_to_tensor
from .ops.check_ops import assert_greater_equal, assert_less_equal
from .ops.control_flow_ops import Assert_, cond, no_op
from .ops.math_ops import (abs_, cast, div, div_no_nan, equal, greater, log, logical_and, logical_not, logical_or,
                           maximum, minimum, multiply, reduce_all, reduce_sum, sqrt, squared_difference)
from .ops.shape_ops import rank, reshape, shape, size
from .ops.state_ops import assign_add
from .variables import Variable, variable_scope


# ---- the counters -------------------------------------------------------------------------
def _graph_mode(metric: str) -> None:
    """tf.metrics build graph ops; with eager execution on they raise, as TF 1.15's do."""
    if get_default_graph().executes_eagerly:
        raise RuntimeError(f"tf.metrics.{metric} is not supported when eager execution is enabled.")


def _metric_variable(shape_, dtype, name):
    """A counter that starts at zero: local (not global, not trainable) and in ``METRIC_VARIABLES``."""
    return Variable(lambda: zeros(shape_, dtype), trainable=False,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES], name=name)


def _collect(value, update_op, metrics_collections, updates_collections):
    """Add the value and the update op to the collections the caller named; return both."""
    if metrics_collections:
        add_to_collections(metrics_collections, value)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return value, update_op


# ---- lining up labels, predictions and weights -------------------------------------------------
def _squeeze_last_if(is_needed, x):
    """``x`` without its last dimension when the run-time check ``is_needed`` holds."""
    return cond(is_needed, lambda: squeeze(x, [-1]), lambda: x)


def _may_be_one(x) -> bool:
    """Whether the last dimension of ``x`` could be 1 (so squeezing it might work)."""
    return x.shape.ndims is None or x.shape.dims[-1].is_compatible_with(1)


def _remove_squeezable_labels(labels, predictions):
    """Labels ``[N, 1]`` against predictions ``[N]`` (or the other way round): drop the extra 1."""
    with name_scope(None, "remove_squeezable_dimensions", [labels, predictions]):
        predictions, labels = convert_to_tensor(predictions), convert_to_tensor(labels)
        if predictions.shape.ndims is not None and labels.shape.ndims is not None:
            rank_diff = predictions.shape.ndims - labels.shape.ndims
            if rank_diff == 1:
                predictions = squeeze(predictions, [-1])
            elif rank_diff == -1:
                labels = squeeze(labels, [-1])
            return labels, predictions
        rank_diff = rank(predictions) - rank(labels)
        if _may_be_one(predictions):
            predictions = _squeeze_last_if(equal(1, rank_diff), predictions)
        if _may_be_one(labels):
            labels = _squeeze_last_if(equal(-1, rank_diff), labels)
        return labels, predictions


def _remove_squeezable_dimensions(predictions, labels, weights):
    """Make labels and predictions one shape, and weights (unless scalar) the predictions' rank."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = _remove_squeezable_labels(labels, predictions)
        predictions.shape.assert_is_compatible_with(labels.shape)
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    weights_rank, predictions_rank = weights.shape.ndims, predictions.shape.ndims
    if weights_rank == 0:
        return predictions, labels, weights
    if weights_rank is not None and predictions_rank is not None:
        if weights_rank - predictions_rank == 1:
            weights = squeeze(weights, [-1])
        elif predictions_rank - weights_rank == 1:
            weights = expand_dims(weights, -1)
        return predictions, labels, weights
    weights_rank_t = rank(weights)   # a rank known only when the graph runs: decide then
    rank_diff = weights_rank_t - rank(predictions)
    squeezed = weights if weights_rank is not None and not _may_be_one(weights) else None

    def adjust():
        expand = cond(equal(rank_diff, -1), lambda: expand_dims(weights, -1), lambda: weights)
        return cond(equal(rank_diff, 1), lambda: squeeze(weights, [-1]) if squeezed is None else weights,
                    lambda: expand)

    weights = cond(equal(weights_rank_t, 0), lambda: weights, adjust)
    return predictions, labels, weights


_CANNOT_BROADCAST = "weights can not be broadcast to values."


def _assert_broadcastable(weights, values):
    """Weights must be a scalar or have the values' rank with each dimension 1 or the values' own.

    Decided while the graph is built when the shapes are known (a ValueError), else at run time.
    """
    with name_scope(None, "assert_broadcastable", [weights, values]) as scope:
        with name_scope(None, "weights", [weights]) as weights_scope:
            weights = convert_to_tensor(weights, name=weights_scope)
            weights_shape, weights_rank = shape(weights, name="shape"), rank(weights, name="rank")
        with name_scope(None, "values", [values]) as values_scope:
            values = convert_to_tensor(values, name=values_scope)
            values_shape, values_rank = shape(values, name="shape"), rank(values, name="rank")
        static_weights_rank, static_values_rank = constant_value(weights_rank), constant_value(values_rank)
        if static_weights_rank is not None and static_values_rank is not None:
            if static_weights_rank == 0:
                return no_op(name="static_scalar_check_success")
            if static_weights_rank != static_values_rank:
                raise ValueError(f"{_CANNOT_BROADCAST} values.rank={static_values_rank}. "
                                 f"weights.rank={static_weights_rank}. values.shape={values.shape}. "
                                 f"weights.shape={weights.shape}.")
            static_weights, static_values = constant_value(weights_shape), constant_value(values_shape)
            if static_weights is not None and static_values is not None:
                for i, (w, v) in enumerate(zip(static_weights, static_values)):
                    if w not in (1, v):
                        raise ValueError(f"{_CANNOT_BROADCAST} Mismatch at dim {i}. values.shape={static_values} "
                                         f"weights.shape={static_weights}.")
                return no_op(name="static_dims_check_success")
        is_scalar = equal(0, weights_rank, name="is_scalar")
        data = (_CANNOT_BROADCAST, "weights.shape=", weights.name, weights_shape,
                "values.shape=", values.name, values_shape, "is_scalar=", is_scalar)
        is_valid_shape = cond(is_scalar, lambda: is_scalar,
                              lambda: _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank,
                                                                 values_shape),
                              name="is_valid_shape")
        return Assert_(is_valid_shape, data, name=scope)


def _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank, values_shape):
    """Run-time test: same rank, and each weights dimension is 1 or the values' dimension."""
    with name_scope(None, "has_valid_nonscalar_shape",
                    [weights_rank, weights_shape, values_rank, values_shape]) as scope:
        is_same_rank = equal(values_rank, weights_rank, name="is_same_rank")

        def has_valid_dims():
            with name_scope(None, "has_invalid_dims", [weights_shape, values_shape]) as dims_scope:
                return reduce_all(logical_or(equal(weights_shape, 1), equal(weights_shape, values_shape)),
                                  name=dims_scope)

        return cond(is_same_rank, has_valid_dims, lambda: is_same_rank, name=scope)


def _broadcast_weights(weights, values):
    """``weights`` spread to the shape of ``values`` (after checking that they broadcast)."""
    with name_scope(None, "broadcast_weights", [weights, values]) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        if (weights.shape.is_fully_defined() and values.shape.is_fully_defined()
                and weights.shape.is_compatible_with(values.shape)):
            return weights
        with control_dependencies([_assert_broadcastable(weights, values)]):
            return multiply(weights, ones_like(values), name=scope)


def _assert_rank_in(x, ranks):
    """``x`` must have one of ``ranks`` (tensors): a ValueError now when both are known, else at run time."""
    with name_scope(None, "assert_rank_in", [x, *ranks]):
        x = convert_to_tensor(x, name="x")
        ranks = tuple(convert_to_tensor(r, name="rank") for r in ranks)
        static_ranks = tuple(constant_value(r) for r in ranks)
        if x.shape.ndims is not None and all(r is not None for r in static_ranks):
            if x.shape.ndims not in static_ranks:
                raise ValueError(f".  Tensor {x.name} must have rank in {tuple(np.asarray(r) for r in static_ranks)}."
                                 f"  Received rank {x.shape.ndims}, shape {x.shape}")
            return no_op(name="static_checks_determined_all_ok")
        x_rank = rank(x)
        is_in = equal(ranks[0], x_rank)
        for r in ranks[1:]:
            is_in = logical_or(is_in, equal(r, x_rank))
        return Assert_(is_in, ["", f"Tensor {x.name} must have rank in", *ranks, "Received shape: ", shape(x)])


# ---- means ------------------------------------------------------------------------------------
def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.mean``: the (weighted) mean of every value seen so far: ``total / count``.

    The update adds ``sum(values * weights)`` to ``total`` and ``sum(weights)`` to ``count``.
    """
    _graph_mode("mean")
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        total = _metric_variable([], dtypes.float32, "total")
        count = _metric_variable([], dtypes.float32, "count")
        if weights is None:
            num_values = cast(size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(cast(weights, dtypes.float32), values)
            values = multiply(values, weights)
            num_values = reduce_sum(weights)
        update_total = assign_add(total, reduce_sum(values))
        with control_dependencies([values]):
            update_count = assign_add(count, num_values)
        value = div_no_nan(total, maximum(count, 0), name="value")
        update_op = div_no_nan(update_total, maximum(update_count, 0), name="update_op")
        return _collect(value, update_op, metrics_collections, updates_collections)


def accuracy(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.accuracy``: the fraction of predictions equal to their labels, over every batch so far.

    Predictions are cast to the labels' dtype first (``argmax`` gives int64, labels may be int32).
    """
    _graph_mode("accuracy")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if labels.dtype != predictions.dtype:
        predictions = cast(predictions, labels.dtype)
    is_correct = cast(equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                       name=None):
    """``tf.metrics.mean_squared_error``: the running mean of ``(labels - predictions)**2``."""
    _graph_mode("mean_squared_error")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    return mean(squared_difference(labels, predictions), weights, metrics_collections, updates_collections,
                name or "mean_squared_error")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                        name=None):
    """``tf.metrics.mean_absolute_error``: the running mean of ``|predictions - labels|``."""
    _graph_mode("mean_absolute_error")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    return mean(abs_(predictions - labels), weights, metrics_collections, updates_collections,
                name or "mean_absolute_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                            name=None):
    """``tf.metrics.root_mean_squared_error``: the square root of the running mean squared error.

    As in TF 1.15 the two square roots are made outside the metric's scope (``Sqrt:0``, ``Sqrt_1:0``).
    """
    _graph_mode("root_mean_squared_error")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    mse, update_mse = mean_squared_error(labels, predictions, weights, None, None, name or "root_mean_squared_error")
    return _collect(sqrt(mse), sqrt(update_mse), metrics_collections, updates_collections)


# ---- counts of a binary classifier's outcomes ------------------------------------------------------
def _count_condition(is_true, weights, metrics_collections, updates_collections):
    """A counter of the (weighted) entries where the bool tensor ``is_true`` holds."""
    count = _metric_variable([], dtypes.float32, "count")
    values = cast(is_true, dtypes.float32)
    if weights is not None:
        with control_dependencies([_assert_rank_in(weights, (0, rank(values)))]):
            weights = cast(weights, dtypes.float32)
            values = multiply(values, weights)
    value = identity(count)
    update_op = assign_add(count, reduce_sum(values))
    return _collect(value, update_op, metrics_collections, updates_collections)


def _outcome_counter(metric: str, label_is: bool, prediction_is: bool):
    """``tf.metrics.<metric>``: how many (weighted) examples had this label and this prediction."""
    def counter(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        _graph_mode(metric)
        with variable_scope(name, metric, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                cast(predictions, dtypes.bool), cast(labels, dtypes.bool), weights)
            is_outcome = logical_and(equal(labels, label_is), equal(predictions, prediction_is))
            return _count_condition(is_outcome, weights, metrics_collections, updates_collections)

    counter.__name__ = counter.__qualname__ = metric
    counter.__doc__ = (f"``tf.metrics.{metric}``: the (weighted) number of examples whose label is {label_is} and "
                       f"whose prediction is {prediction_is} (both cast to bool), over every batch so far.\n\n"
                       "The value reads the counter (``.../Identity``); the update op is its ``AssignAdd``.")
    return counter


true_positives = _outcome_counter("true_positives", True, True)
false_positives = _outcome_counter("false_positives", False, True)
true_negatives = _outcome_counter("true_negatives", False, False)
false_negatives = _outcome_counter("false_negatives", True, False)


def _ratio_of_counts(metric: str, other_counter, doc: str):
    """``tf.metrics.<metric>``: ``tp / (tp + other)`` from two running counts, 0 while both are 0."""
    def ratio(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        _graph_mode(metric)
        with variable_scope(name, metric, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                cast(predictions, dtypes.bool), cast(labels, dtypes.bool), weights)
            tp, update_tp = true_positives(labels, predictions, weights)
            other, update_other = other_counter(labels, predictions, weights)

            def compute(tp, other, name):
                return where(greater(tp + other, 0), div(tp, tp + other), 0, name)

            value = compute(tp, other, "value")
            return _collect(value, compute(update_tp, update_other, "update_op"),
                            metrics_collections, updates_collections)

    ratio.__name__ = ratio.__qualname__ = metric
    ratio.__doc__ = doc
    return ratio


precision = _ratio_of_counts("precision", false_positives, """``tf.metrics.precision``: ``tp / (tp + fp)``, the \
fraction of examples predicted true that are true.

Labels and predictions are cast to bool.  Reads 0 until some example is predicted true.""")
recall = _ratio_of_counts("recall", false_negatives, """``tf.metrics.recall``: ``tp / (tp + fn)``, the fraction \
of true examples that were predicted true.

Labels and predictions are cast to bool.  Reads 0 until some true example is seen.""")


# ---- area under a curve ------------------------------------------------------------------------
def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights):
    """Counters of tp, fn, tn and fp at each threshold (a prediction above it counts as positive)."""
    predictions = convert_to_tensor(predictions)
    message = "predictions must be in [0, 1]"
    with control_dependencies([
            assert_greater_equal(predictions, cast(0.0, predictions.dtype), message=message),
            assert_less_equal(predictions, cast(1.0, predictions.dtype), message=message)]):
        predictions, labels, weights = _remove_squeezable_dimensions(
            cast(predictions, dtypes.float32), cast(labels, dtypes.bool), weights)
    num_thresholds = len(thresholds)
    predictions_2d = reshape(predictions, [-1, 1])
    labels_2d = reshape(cast(labels, dtypes.bool), [1, -1])
    num_predictions = predictions_2d.shape.as_list()[0]
    if num_predictions is None:
        num_predictions = shape(predictions_2d)[0]
    thresh_tiled = tile(expand_dims(constant(thresholds), 1), stack([1, num_predictions]))
    pred_is_pos = greater(tile(transpose(predictions_2d), [num_thresholds, 1]), thresh_tiled)
    pred_is_neg = logical_not(pred_is_pos)
    label_is_pos = tile(labels_2d, [num_thresholds, 1])
    label_is_neg = logical_not(label_is_pos)
    weights_tiled = None
    if weights is not None:
        weights = _broadcast_weights(cast(weights, dtypes.float32), predictions)
        weights_tiled = tile(reshape(weights, [1, -1]), [num_thresholds, 1])
        thresh_tiled.shape.assert_is_compatible_with(weights_tiled.shape)
    counters, updates = {}, {}
    for key, name, label, prediction in (("tp", "true_positives", label_is_pos, pred_is_pos),
                                         ("fn", "false_negatives", label_is_pos, pred_is_neg),
                                         ("tn", "true_negatives", label_is_neg, pred_is_neg),
                                         ("fp", "false_positives", label_is_neg, pred_is_pos)):
        counters[key] = _metric_variable([num_thresholds], dtypes.float32, name)
        hits = cast(logical_and(label, prediction), dtypes.float32)
        if weights_tiled is not None:
            hits *= weights_tiled
        updates[key] = assign_add(counters[key], reduce_sum(hits, 1))
    return counters, updates


_SUMMATIONS = ("trapezoidal", "careful_interpolation", "minoring", "majoring")


def _interpolate_pr_auc(tp, fp, fn, num_thresholds):
    """The PR area with precision interpolated between thresholds as Davis & Goadrich (2006) do."""
    n = num_thresholds - 1
    dtp = tp[:n] - tp[1:]
    p = tp + fp
    prec_slope = div_no_nan(dtp, maximum(p[:n] - p[1:], 0), name="prec_slope")
    intercept = tp[1:] - multiply(prec_slope, p[1:])
    safe_p_ratio = where(logical_and(p[:n] > 0, p[1:] > 0),
                         div_no_nan(p[:n], maximum(p[1:], 0), name="recall_relative_ratio"), ones_like(p[1:]))
    return reduce_sum(div_no_nan(prec_slope * (dtp + intercept * log(safe_p_ratio)), maximum(tp[1:] + fn[1:], 0),
                                 name="pr_auc_increment"), name="interpolate_pr_auc")


def _area(counts: dict, curve: str, summation_method: str, num_thresholds: int, name: str):
    """The area under the ROC curve (recall against false-positive rate) or the PR curve."""
    tp, fn, tn, fp = counts["tp"], counts["fn"], counts["tn"], counts["fp"]
    if curve == "PR":
        if summation_method == "trapezoidal":
            logging.warning('Trapezoidal rule is known to produce incorrect PR-AUCs; '
                            'please switch to "careful_interpolation" instead.')
        elif summation_method == "careful_interpolation":
            return _interpolate_pr_auc(tp, fp, fn, num_thresholds)
    epsilon = 1.0e-6
    rec = div(tp + epsilon, tp + fn + epsilon)
    if curve == "ROC":
        x, y = div(fp, fp + tn + epsilon), rec
    else:
        x, y = rec, div(tp + epsilon, tp + fp + epsilon)
    n = num_thresholds - 1
    if summation_method not in _SUMMATIONS:
        raise ValueError(f"Invalid summation_method: {summation_method}")
    if summation_method in ("trapezoidal", "careful_interpolation"):
        heights = (y[:n] + y[1:]) / 2.
    else:
        heights = (minimum if summation_method == "minoring" else maximum)(y[:n], y[1:])
    return reduce_sum(multiply(x[:n] - x[1:], heights), name=name)


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None, updates_collections=None,
        curve="ROC", name=None, summation_method="trapezoidal", thresholds=None):
    """``tf.metrics.auc``: the area under the ROC (or PR) curve, from counts at fixed thresholds.

    ``predictions`` are probabilities in [0, 1] (a run fails otherwise) and ``labels`` are cast to
    bool.  ``num_thresholds`` evenly spaced thresholds (or the sorted ``thresholds`` given, plus
    -1e-7 and 1 + 1e-7) split the predictions; the four counters hold tp, fn, tn and fp at each
    one, and the area is a Riemann sum over them (``summation_method``, trapezoidal by default).
    """
    _graph_mode("auc")
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
        kepsilon = 1e-7   # so that predictions of exactly 0 and 1 fall inside the outer thresholds
        if thresholds is not None:
            thresholds = sorted(thresholds)
            num_thresholds = len(thresholds) + 2
        else:
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        thresholds = [0.0 - kepsilon] + thresholds + [1.0 + kepsilon]
        counters, updates = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights)
        value = _area(counters, curve, summation_method, num_thresholds, "value")
        update_op = _area(updates, curve, summation_method, num_thresholds, "update_op")
        return _collect(value, update_op, metrics_collections, updates_collections)


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error

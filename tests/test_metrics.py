"""tf.metrics: running metrics in local variables.

Every expected value, name, dtype and message here is what TensorFlow 1.15.5 printed for the
same graph and feeds (values to float32 precision).
"""
import numpy as np
import pytest

import minitf as tf

BATCHES = [dict(l=[1, 0, 1, 1], p=[1, 1, 0, 1], fl=[0.5, 1., 2., 3.], fp=[0.1, 0.9, 0.4, 0.7]),
           dict(l=[0, 0, 1], p=[0, 1, 1], fl=[1., 1., 1.], fp=[0.3, 0.2, 0.95])]

# metric -> (value tensor, update op, [value after batch 1, after batch 2])
TF_RESULTS = {
    "accuracy": ("accuracy/value:0", "accuracy/update_op:0", [0.5, 0.5714286]),
    "mean": ("mean/value:0", "mean/update_op:0", [0.525, 0.50714284]),
    "mean_squared_error": ("mean_squared_error/value:0", "mean_squared_error/update_op:0", [2.005, 1.3075]),
    "mean_absolute_error": ("mean_absolute_error/value:0", "mean_absolute_error/update_op:0", [1.0999999, 0.84999996]),
    "root_mean_squared_error": ("Sqrt:0", "Sqrt_1:0", [1.4159802, 1.1434597]),
    "precision": ("precision/value:0", "precision/update_op:0", [0.6666667, 0.6]),
    "recall": ("recall/value:0", "recall/update_op:0", [0.6666667, 0.75]),
    "true_positives": ("true_positives/Identity:0", "true_positives/AssignAdd:0", [2.0, 3.0]),
    "false_positives": ("false_positives/Identity:0", "false_positives/AssignAdd:0", [1.0, 2.0]),
    "true_negatives": ("true_negatives/Identity:0", "true_negatives/AssignAdd:0", [0.0, 1.0]),
    "false_negatives": ("false_negatives/Identity:0", "false_negatives/AssignAdd:0", [1.0, 1.0]),
    "auc": ("auc/value:0", "auc/update_op:0", [3.333329e-07, 0.58333325]),
    "auc_pr": ("auc_1/value:0", "auc_1/update_op:0", [0.513889, 0.70684516]),
    "weighted_accuracy": ("myacc/value:0", "myacc/update_op:0", [0.38095242, 0.57746476]),
}


def _all_metrics():
    l = tf.placeholder(tf.int64, [None], name="l")
    p = tf.placeholder(tf.int64, [None], name="p")
    fl = tf.placeholder(tf.float32, [None], name="fl")
    fp = tf.placeholder(tf.float32, [None], name="fp")
    m = tf.metrics
    metrics = {
        "accuracy": m.accuracy(l, p), "mean": m.mean(fp), "mean_squared_error": m.mean_squared_error(fl, fp),
        "mean_absolute_error": m.mean_absolute_error(fl, fp), "root_mean_squared_error": m.root_mean_squared_error(fl, fp),
        "precision": m.precision(l, p), "recall": m.recall(l, p), "true_positives": m.true_positives(l, p),
        "false_positives": m.false_positives(l, p), "true_negatives": m.true_negatives(l, p),
        "false_negatives": m.false_negatives(l, p), "auc": m.auc(l, fp), "auc_pr": m.auc(l, fp, curve="PR"),
        "weighted_accuracy": m.accuracy(l, p, weights=fp, name="myacc"),
    }
    return metrics, (l, p, fl, fp)


def test_every_metric_accumulates_over_batches_as_tf_does():
    metrics, (l, p, fl, fp) = _all_metrics()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for name, (value, _) in metrics.items():
            assert sess.run(value) == 0.0, name        # div_no_nan: 0 before any update, not NaN
        for step, batch in enumerate(BATCHES):
            feed = {l: batch["l"], p: batch["p"], fl: batch["fl"], fp: batch["fp"]}
            updated = sess.run({name: update for name, (_, update) in metrics.items()}, feed)
            for name, (_, _, want) in TF_RESULTS.items():
                np.testing.assert_allclose(updated[name], want[step], rtol=2e-6, atol=1e-7, err_msg=name)
                np.testing.assert_allclose(sess.run(metrics[name][0]), want[step], rtol=2e-6, atol=1e-7,
                                           err_msg=name)
        sess.run(tf.local_variables_initializer())     # starting afresh
        assert sess.run(metrics["accuracy"][0]) == 0.0


def test_names_and_dtypes_of_what_a_metric_returns():
    metrics, _ = _all_metrics()
    for name, (value_name, update_name, _) in TF_RESULTS.items():
        value, update = metrics[name]
        assert (value.name, update.name) == (value_name, update_name)
        assert value.dtype == tf.float32 and value.shape.ndims == 0
    assert metrics["accuracy"][1].op.type == "DivNoNan" and metrics["precision"][1].op.type == "Select"
    assert metrics["true_positives"][1].dtype.name == "float32_ref"
    assert str(metrics["true_positives"][1]) == \
        'Tensor("true_positives/AssignAdd:0", shape=(), dtype=float32_ref)'


def test_counters_are_local_metric_variables():
    _all_metrics()
    names = [v.name for v in tf.local_variables()]
    assert names[:12] == [
        "accuracy/total:0", "accuracy/count:0", "mean/total:0", "mean/count:0", "mean_squared_error/total:0",
        "mean_squared_error/count:0", "mean_absolute_error/total:0", "mean_absolute_error/count:0",
        "root_mean_squared_error/total:0", "root_mean_squared_error/count:0",
        "precision/true_positives/count:0", "precision/false_positives/count:0"]
    assert names[-10:] == [
        "auc/true_positives:0", "auc/false_negatives:0", "auc/true_negatives:0", "auc/false_positives:0",
        "auc_1/true_positives:0", "auc_1/false_negatives:0", "auc_1/true_negatives:0", "auc_1/false_positives:0",
        "myacc/total:0", "myacc/count:0"]
    assert len(names) == 28 and tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == tf.local_variables()
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    assert str(tf.local_variables()[18]) == "<tf.Variable 'auc/true_positives:0' shape=(200,) dtype=float32_ref>"
    g = tf.get_default_graph()
    assert g.get_operation_by_name("accuracy/total/Initializer/zeros").type == "Const"


def test_the_mnist_idiom_with_argmax():
    y = tf.placeholder(tf.float32, [None, 3])
    logits = tf.placeholder(tf.float32, [None, 3])
    acc, acc_op = tf.metrics.accuracy(labels=tf.argmax(y, 1), predictions=tf.argmax(logits, 1))
    eye = np.eye(3, dtype=np.float32)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(acc_op, {y: eye[[0, 1, 2]], logits: eye[[0, 2, 2]]})
        sess.run(acc_op, {y: eye[[1, 1]], logits: eye[[1, 0]]})
        assert sess.run(acc) == pytest.approx(3 / 5)


def test_weights_of_other_shapes_and_every_summation():
    """Weights [3, 1] against [3, 2] labels, three updates, then the values (TF's numbers)."""
    l = tf.constant([[1, 0], [1, 1], [0, 0]])
    p = tf.constant([[1, 1], [0, 1], [0, 1]])
    w = tf.constant([[1.], [2.], [0.5]])
    pv = tf.constant([[0.9, 0.2], [0.4, 0.6], [0.1, 0.7]])
    fl = tf.cast(l, tf.float32)
    m = tf.metrics
    res = [m.accuracy(l, p, weights=w), m.precision(l, p, weights=w), m.recall(l, p, weights=w),
           m.true_positives(l, p, weights=w), m.false_positives(l, p, weights=w),
           m.true_negatives(l, p, weights=w), m.false_negatives(l, p, weights=w),
           m.mean(pv, weights=w), m.mean_squared_error(fl, pv, weights=w), m.mean_absolute_error(fl, pv, weights=w),
           m.root_mean_squared_error(fl, pv, weights=w), m.auc(l, pv, weights=w), m.auc(l, pv, weights=w, curve="PR"),
           m.auc(l, pv, num_thresholds=5, summation_method="minoring"),
           m.auc(l, pv, thresholds=[0.65, 0.3], summation_method="majoring"),
           m.auc(l, pv, weights=w, curve="PR", summation_method="careful_interpolation")]
    first = [0.5, 0.6666667, 0.6, 3.0, 1.5, 0.5, 2.0, 0.5, 0.19142857, 0.38571426, 0.43752551, 0.79999965,
             0.8580085, 0.77777767, 0.77777767, 0.8700717]
    counts = slice(3, 7)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for step in (1, 2, 3):
            got = sess.run([u for _, u in res])
            want = np.array(first)
            want[counts] *= step
            np.testing.assert_allclose(got, want, rtol=1e-6)
        np.testing.assert_allclose(sess.run([v for v, _ in res]), want, rtol=1e-6)


def test_weights_and_ranks_known_only_at_run_time():
    l, p, w = tf.placeholder(tf.int32), tf.placeholder(tf.int32), tf.placeholder(tf.float32)
    acc, acc_op = tf.metrics.accuracy(l, p, weights=w)
    mean, mean_op = tf.metrics.mean(p, weights=w)
    tp, tp_op = tf.metrics.true_positives(l, p, weights=w)
    prec, prec_op = tf.metrics.precision(l, p, weights=w)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        np.testing.assert_allclose(sess.run([acc_op, mean_op], {l: [[1], [2], [3]], p: [1, 2, 4], w: [[1.], [2.], [3.]]}),
                                   [0.5, 2.8333333])
        np.testing.assert_allclose(sess.run([acc_op, mean_op], {l: [1, 2], p: [1, 0], w: 2.0}), [0.5, 1.9])
        np.testing.assert_allclose(sess.run([tp_op, prec_op], {l: [1, 1, 0], p: [1, 0, 1], w: [[1.], [2.], [3.]]}),
                                   [1.0, 0.25])
        np.testing.assert_allclose(sess.run([tp_op, prec_op], {l: [1, 1], p: [1, 1], w: 3.}), [7.0, 0.7])
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(acc_op, {l: [1, 2], p: [1, 0], w: [1., 2., 3.]})
        assert str(err.value).startswith(
            "assertion failed: [weights can not be broadcast to values.] [weights.shape=] [accuracy/cond/Merge:0] "
            "[3] [values.shape=] [Cast:0] [2] [is_scalar=] [0]")
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(tp_op, {l: [1, 2], p: [1, 0], w: [[[1., 2.]]]})
        assert str(err.value).startswith("assertion failed: [] [Tensor true_positives/cond/Merge:0 must have rank in] "
                                         "[0] [1] [Received shape: ] [1 1 2]")


def test_metrics_and_updates_collections_and_scopes():
    i3 = tf.constant([1, 2, 3])
    acc = tf.metrics.accuracy(i3, i3, metrics_collections="foo", updates_collections=["bar"])
    assert tf.get_collection("foo") == [acc[0]] and tf.get_collection("bar") == [acc[1]]
    rmse = tf.metrics.root_mean_squared_error(tf.constant([1.]), tf.constant([2.]), metrics_collections=["r"],
                                              updates_collections=["ru"])
    assert tf.get_collection("r") == [rmse[0]] and tf.get_collection("ru") == [rmse[1]]
    with tf.variable_scope("eval"), tf.name_scope("ns"):
        a = tf.metrics.accuracy(i3, i3)
        b = tf.metrics.accuracy(i3, i3)
        r = tf.metrics.root_mean_squared_error(tf.constant([1.]), tf.constant([1.]), name="r")
    assert [t.name for t in a + b + r] == ["eval/ns/accuracy/value:0", "eval/ns/accuracy/update_op:0",
                                           "eval/ns/accuracy_1/value:0", "eval/ns/accuracy_1/update_op:0",
                                           "eval/ns/Sqrt:0", "eval/ns/Sqrt_1:0"]
    assert [v.name for v in tf.local_variables("eval")] == [
        "eval/ns/accuracy/total:0", "eval/ns/accuracy/count:0", "eval/ns/accuracy_1/total:0",
        "eval/ns/accuracy_1/count:0", "eval/ns/r/total:0", "eval/ns/r/count:0"]


@pytest.mark.parametrize("build, error, message", [
    (lambda: tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2, 3, 4])),
     ValueError, "Shapes (4,) and (3,) are incompatible"),
    (lambda: tf.metrics.precision(tf.constant([1, 2, 3]), tf.constant([1, 0])),
     ValueError, "Shapes (2,) and (3,) are incompatible"),
    (lambda: tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2, 3]), weights=tf.constant([1., 2.])),
     ValueError, "weights can not be broadcast to values. Mismatch at dim 0. values.shape=[3] weights.shape=[2]."),
    (lambda: tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2, 3]), weights=tf.ones([3, 2, 2])),
     ValueError, "weights can not be broadcast to values. values.rank=1. weights.rank=3. values.shape=(3,). "
                 "weights.shape=(3, 2, 2)."),
    (lambda: tf.metrics.accuracy(tf.ones([3, 2]), tf.ones([3, 2]), weights=tf.ones([2])),
     ValueError, "weights can not be broadcast to values. Mismatch at dim 0. values.shape=[3 2] weights.shape=[2 1]."),
    (lambda: tf.metrics.true_positives(tf.constant([1, 2, 3]), tf.constant([1, 2, 3]), weights=tf.ones([3, 1, 1])),
     ValueError, ".  Tensor ones:0 must have rank in (array(0, dtype=int32), array(1, dtype=int32)).  "
                 "Received rank 3, shape (3, 1, 1)"),
    (lambda: tf.metrics.mean_squared_error(tf.constant([1, 2, 3]), tf.constant([1., 2., 3.])),
     TypeError, "Input 'y' of 'SquaredDifference' Op has type float32 that does not match type int32 of argument 'x'."),
    (lambda: tf.metrics.mean_absolute_error(tf.constant([1, 2, 3]), tf.constant([1., 2., 3.])),
     TypeError, "Input 'y' of 'Sub' Op has type int32 that does not match type float32 of argument 'x'."),
    (lambda: tf.metrics.auc(tf.constant([1, 0]), tf.constant([0.1, 0.2]), curve="XY"),
     ValueError, "curve must be either ROC or PR, XY unknown"),
    (lambda: tf.metrics.auc(tf.constant([1, 0]), tf.constant([0.1, 0.2]), summation_method="foo"),
     ValueError, "Invalid summation_method: foo"),
    (lambda: tf.metrics.auc(tf.constant([1, 0]), tf.constant([0.1, 0.2]), weights=tf.ones([3])),
     ValueError, "weights can not be broadcast to values. Mismatch at dim 0. values.shape=[2] weights.shape=[3]."),
])
def test_build_time_errors(build, error, message):
    with pytest.raises(error) as err:
        build()
    assert str(err.value) == message


def test_logits_instead_of_class_ids_cannot_be_squeezed():
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[1\], expected a dimension of 1, got 3 for "
                                         r"'.*remove_squeezable_dimensions/Squeeze.*with input shapes: \[2,3\]"):
        tf.metrics.accuracy(tf.constant([1, 2]), tf.zeros([2, 3]))


def test_labels_of_shape_n_by_1_and_other_dtypes_are_accepted():
    acc, acc_op = tf.metrics.accuracy(tf.constant([[1], [2]]), tf.constant([1., 3.]))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc_op) == 0.5


def test_auc_predictions_outside_0_1_fail_the_run():
    p = tf.placeholder(tf.float32, [None])
    _, update = tf.metrics.auc(tf.constant([1, 0]), p)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"predictions must be in \[0, 1\]"):
            sess.run(update, {p: [0.5, 1.5]})


def test_a_fed_placeholder_as_a_control_input_does_not_run():
    """tf.metrics.mean(x) makes its count wait on x: feeding x is enough, as in TF1 (which also prints 1.0 2.0)."""
    x = tf.placeholder(tf.float32, [None], name="x")
    v = tf.Variable(0.0)
    with tf.control_dependencies([x]):
        y = tf.assign_add(v, 1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y, {x: [1.0]}) == 1.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="You must feed a value for placeholder tensor 'x'"):
            sess.run(y)


def test_cast_to_the_same_dtype_uses_up_no_name():
    x = tf.constant([1.0])
    assert tf.cast(x, tf.float32) is x
    assert tf.cast(tf.constant([1]), tf.float32).name == "Cast:0"


def test_eager_execution_is_refused_as_in_tf1():
    tf.enable_eager_execution()
    try:
        with pytest.raises(RuntimeError, match=r"^tf.metrics.accuracy is not supported when eager execution is "
                                               r"enabled.$"):
            tf.metrics.accuracy([1], [1])
    finally:
        tf.disable_eager_execution()
    assert not tf.executing_eagerly()

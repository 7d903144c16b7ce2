"""Gradients undo broadcasting: statically when the shapes decide it, at run time when only the run can."""
import numpy as np

import minitf as tf


def op_types():
    return {op.type for op in tf.get_default_graph().get_operations()}


def test_a_bias_added_to_a_batch_sums_over_the_batch_statically():
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.Variable([1.0, 2.0, 3.0])
    gx, gb = tf.gradients(tf.reduce_sum(x + b), [x, b])
    assert "BroadcastGradientArgs" not in op_types()
    with tf.Session() as sess:
        sess.run(b.initializer)
        got_x, got_b = sess.run([gx, gb], {x: np.ones((4, 3))})
    np.testing.assert_array_equal(got_x, np.ones((4, 3)))
    np.testing.assert_array_equal(got_b, [4.0, 4.0, 4.0])


def test_unknown_against_unknown_dims_are_settled_when_the_graph_runs():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 3])
    gx, gy = tf.gradients(tf.reduce_sum(x * y), [x, y])
    assert "BroadcastGradientArgs" in op_types()
    with tf.Session() as sess:   # x is broadcast along the batch: its gradient sums over it
        got_x, got_y = sess.run([gx, gy], {x: [[1.0, 2.0, 3.0]], y: np.full((4, 3), 2.0)})
    np.testing.assert_array_equal(got_x, [[8.0, 8.0, 8.0]])
    np.testing.assert_array_equal(got_y, np.tile([1.0, 2.0, 3.0], (4, 1)))


def test_a_size_one_axis_keeps_its_dimension():
    x = tf.placeholder(tf.float32, [None, 1])
    w = tf.constant([[1.0, 2.0, 3.0]])
    gx, = tf.gradients(tf.reduce_sum(x * w), [x])
    with tf.Session() as sess:
        got = sess.run(gx, {x: [[1.0], [5.0]]})
    np.testing.assert_array_equal(got, [[6.0], [6.0]])


def test_mean_over_a_batch_divides_by_the_fed_size():
    x = tf.placeholder(tf.float32, [None, 2])
    g, = tf.gradients(tf.reduce_mean(x), [x])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g, {x: np.zeros((5, 2))}), np.full((5, 2), 0.1))

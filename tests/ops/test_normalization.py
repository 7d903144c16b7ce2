"""Batch normalization, norm clipping and top_k, checked against numpy."""
import numpy as np
import pytest

import minitf as tf


def test_nn_batch_normalization_matches_the_formula():
    x = np.random.RandomState(0).randn(4, 3).astype(np.float32)
    mean, var = x.mean(0), x.var(0)
    out = tf.nn.batch_normalization(x, mean, var, offset=np.float32(0.5), scale=np.float32(2.0),
                                    variance_epsilon=1e-3)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), (x - mean) / np.sqrt(var + 1e-3) * 2 + 0.5, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("training_is_a_tensor", [False, True])
def test_batch_normalization_layer_trains_on_batch_statistics_and_tracks_moving_averages(training_is_a_tensor):
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder(tf.bool, []) if training_is_a_tensor else True
    y = tf.layers.batch_normalization(x, training=training, momentum=0.9)
    y_eval = tf.layers.batch_normalization(x, training=False, name="batch_normalization", reuse=True)
    assert [v.name for v in tf.global_variables()] == [     # TF 1.15's order: gamma first
        "batch_normalization/gamma:0", "batch_normalization/beta:0", "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0"]
    assert [v.name for v in tf.trainable_variables()] == ["batch_normalization/gamma:0", "batch_normalization/beta:0"]
    data = np.array([[1.0, 2.0, 3.0], [3.0, 6.0, 9.0]], np.float32)
    feed = {x: data, **({training: True} if training_is_a_tensor else {})}
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run([y] + updates, feed)[0]
        moving = sess.run(tf.global_variables()[2:])
        evaluated = sess.run(y_eval, {x: data})
    mean, var = data.mean(0), data.var(0)
    np.testing.assert_allclose(out, (data - mean) / np.sqrt(var + 1e-3), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(moving[0], 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(moving[1], 0.9 + 0.1 * var, rtol=1e-5)
    np.testing.assert_allclose(evaluated, (data - moving[0]) / np.sqrt(moving[1] + 1e-3), rtol=1e-5, atol=1e-5)


def test_clip_by_global_norm_and_clip_by_norm():
    a, b = tf.constant([3.0, 4.0]), tf.constant([[12.0]])
    clipped, norm = tf.clip_by_global_norm([a, None, b], 6.5)
    small, _ = tf.clip_by_global_norm([a], 100.0)
    with tf.Session() as sess:
        got_a, got_b, got_norm, got_small, by_norm = sess.run([clipped[0], clipped[2], norm, small[0],
                                                               tf.clip_by_norm(a, 1.0)])
    assert clipped[1] is None and got_norm == 13.0
    np.testing.assert_allclose(got_a, [1.5, 2.0])
    np.testing.assert_allclose(got_b, [[6.0]])
    np.testing.assert_allclose(got_small, [3.0, 4.0])
    np.testing.assert_allclose(by_norm, [0.6, 0.8], rtol=1e-6)


def test_top_k_values_indices_and_shapes():
    x = tf.placeholder(tf.float32, [None, 4])
    values, indices = tf.nn.top_k(x, 2)
    assert values.shape.as_list() == [None, 2] and indices.dtype == tf.int32
    with tf.Session() as sess:
        v, i = sess.run([values, indices], {x: [[1.0, 7.0, 3.0, 7.0], [0.0, -1.0, 2.0, 1.0]]})
    np.testing.assert_array_equal(v, [[7.0, 7.0], [2.0, 1.0]])
    np.testing.assert_array_equal(i, [[1, 3], [2, 3]])

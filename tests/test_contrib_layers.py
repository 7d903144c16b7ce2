"""tf.contrib.layers' layers: batch_norm, conv2d, max_pool2d, avg_pool2d, dropout, flatten, apply_regularization.

Every expected name, shape and value here is what TensorFlow 1.15.5 printed for the same code.
"""
from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

L = tf.contrib.layers


def names(items) -> list:
    return [item.name for item in items]


# (input rank, fused, is_training, updates_collections) -> the output's name, as TF 1.15 prints it
BATCH_NORM_OUTPUTS = [
    (2, None, True, "default", "BatchNorm/Reshape_1:0"),
    (2, None, True, None, "BatchNorm/Reshape_1:0"),
    (2, None, "tensor", "default", "BatchNorm/Reshape_1:0"),
    (2, None, False, "default", "BatchNorm/Reshape_1:0"),
    (4, None, True, "default", "BatchNorm/FusedBatchNormV3:0"),
    (4, None, False, "default", "BatchNorm/FusedBatchNormV3:0"),
    (4, None, False, None, "BatchNorm/FusedBatchNormV3:0"),
    (4, None, True, None, "BatchNorm/Identity:0"),
    (4, None, "tensor", "default", "BatchNorm/cond/Merge:0"),
    (4, None, "tensor", None, "BatchNorm/cond_1/Merge:0"),
    (3, None, True, "default", "BatchNorm/batchnorm_1/add_1:0"),
    (4, False, "tensor", None, "BatchNorm/batchnorm_1/add_1:0"),
]


@pytest.mark.parametrize("rank, fused, is_training, updates, name", BATCH_NORM_OUTPUTS)
def test_batch_norm_output_names_variables_and_collections(rank, fused, is_training, updates, name):
    x = tf.placeholder(tf.float32, [None] + [4] * (rank - 2) + [3])
    training = tf.placeholder(tf.bool, []) if is_training == "tensor" else is_training
    kwargs = {} if updates == "default" else {"updates_collections": None}
    y = L.batch_norm(x, is_training=training, fused=fused, **kwargs)
    assert (y.name, y.shape.as_list()) == (name, x.shape.as_list())
    assert names(tf.global_variables()) == names(tf.model_variables()) == [
        "BatchNorm/beta:0", "BatchNorm/moving_mean:0", "BatchNorm/moving_variance:0"]   # scale=False: no gamma
    assert names(tf.trainable_variables()) == ["BatchNorm/beta:0"]
    assert tf.moving_average_variables() == []
    updates_made = updates == "default" and is_training is not False
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == (2 if updates_made else 0)


def test_batch_norm_update_op_names():
    """Contrib's own fused route (2-D) collects tensors, tf.layers' route (4-D) the assign ops."""
    L.batch_norm(tf.placeholder(tf.float32, [None, 3]))
    L.batch_norm(tf.placeholder(tf.float32, [None, 2, 2, 3]))
    assert names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == [
        "BatchNorm/AssignMovingAvg:0", "BatchNorm/AssignMovingAvg_1:0",
        "BatchNorm_1/AssignMovingAvg", "BatchNorm_1/AssignMovingAvg_1"]


def test_batch_norm_scale_order_scope_and_reuse():
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])
    L.batch_norm(x, scale=True, scope="bn")                       # tf.layers' route: gamma first
    L.batch_norm(x, scale=True, scope="bn", reuse=True)
    L.batch_norm(tf.placeholder(tf.float32, [None, 3]), scale=True, center=False)   # contrib's route
    assert names(tf.global_variables()) == [
        "bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0",
        "BatchNorm/gamma:0", "BatchNorm/moving_mean:0", "BatchNorm/moving_variance:0"]


@pytest.mark.parametrize("rank, fused, moving_variance", [
    (2, None, [0.9987088, 0.9989296, 0.999693]),      # fused: the unbiased batch variance (n / (n - 1))
    (2, False, [0.9983676, 0.99854434, 0.9991549]),   # tf.nn.moments' biased variance
    (4, None, [1.0007367, 0.99987394, 0.99963844]),
])
@pytest.mark.parametrize("updates", ["default", None])
def test_batch_norm_moving_averages_after_training_runs(rank, fused, moving_variance, updates):
    """Three training runs with ``decay=0.999``: the values TF 1.15 reached, through UPDATE_OPS or in place."""
    x = np.random.RandomState(0).standard_normal([5, 3] if rank == 2 else [2, 4, 4, 3]).astype(np.float32)
    kwargs = {} if updates == "default" else {"updates_collections": None}
    y = L.batch_norm(tf.constant(x), fused=fused, **kwargs)
    mean = x.reshape(-1, 3).mean(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            out = sess.run([y] + tf.get_collection(tf.GraphKeys.UPDATE_OPS))[0]
        moving_mean, variance = sess.run([tf.global_variables()[1], tf.global_variables()[2]])
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(x.reshape(-1, 3).var(0) + 0.001), rtol=1e-5, atol=1e-5)
    step = np.float32(1) - np.float32(0.999)   # 1 - decay in float32, as TF computes it
    np.testing.assert_allclose(moving_mean, mean * (1 - (1 - step) ** 3), rtol=1e-5)
    np.testing.assert_allclose(variance, moving_variance, rtol=1e-6)


def test_batch_norm_not_training_uses_the_moving_averages():
    x = np.random.RandomState(0).standard_normal([5, 3]).astype(np.float32)
    y = L.batch_norm(tf.constant(x), is_training=False, scale=True, epsilon=0.01)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), x / np.sqrt(1.01), rtol=1e-6)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []


def test_conv_net_with_batch_norm_trains_as_tf1():
    """conv2d + batch_norm (a bool placeholder for is_training) + max_pool2d + flatten + batch_norm
    (in-place updates, decay 0.9) + fully_connected, the same weights as in TF 1.15, three SGD steps."""
    rng = np.random.RandomState(1)
    xs = rng.randn(4, 5, 5, 2).astype(np.float32)
    ys = rng.randn(4, 2).astype(np.float32)
    w1 = (rng.randn(3, 3, 2, 3) * 0.5).astype(np.float32)
    w2 = (rng.randn(12, 2) * 0.5).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 5, 5, 2])
    y = tf.placeholder(tf.float32, [None, 2])
    training = tf.placeholder(tf.bool, [])
    h = L.conv2d(x, 3, 3, weights_initializer=tf.constant_initializer(w1), normalizer_fn=L.batch_norm,
                 normalizer_params={"is_training": training, "scale": True})
    h = L.flatten(L.max_pool2d(h, 2))
    h = L.batch_norm(h, is_training=training, updates_collections=None, decay=0.9)
    out = L.fully_connected(h, 2, activation_fn=None, weights_initializer=tf.constant_initializer(w2))
    loss = tf.reduce_mean(tf.square(out - y))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert (h.name, out.name) == ("BatchNorm/Reshape_1:0", "fully_connected/BiasAdd:0")
    assert names(tf.global_variables()) == [
        "Conv/weights:0", "Conv/BatchNorm/gamma:0", "Conv/BatchNorm/beta:0", "Conv/BatchNorm/moving_mean:0",
        "Conv/BatchNorm/moving_variance:0", "BatchNorm/beta:0", "BatchNorm/moving_mean:0",
        "BatchNorm/moving_variance:0", "fully_connected/weights:0", "fully_connected/biases:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, step], {x: xs, y: ys, training: True})[0] for _ in range(3)]
        values = {v.name: sess.run(v) for v in tf.global_variables()}
        test = sess.run(out, {x: xs, training: False})
    close = {"rtol": 1e-5, "atol": 2e-6}
    np.testing.assert_allclose(losses, [4.071498, 0.91470695, 0.24495937], **close)
    np.testing.assert_allclose(values["Conv/BatchNorm/gamma:0"], [1.0009199, 0.9990612, 0.9991536], **close)
    np.testing.assert_allclose(values["Conv/BatchNorm/beta:0"], [0.0, -6.0093313e-02, 5.3366847e-02], **close)
    np.testing.assert_allclose(values["Conv/BatchNorm/moving_mean:0"], [0.00034821, 0.00162765, -0.00044799],
                               **close)
    np.testing.assert_allclose(values["Conv/BatchNorm/moving_variance:0"], [1.0063279, 1.0070797, 1.005834], **close)
    np.testing.assert_allclose(values["BatchNorm/moving_mean:0"], [
        0.4743167, 0.18345234, 0.5152565, 0.47139567, 0.42932874, 0.35593277, 0.40822002, 0.14590436,
        0.32392335, 0.3459225, 0.4331291, 0.27696067], **close)
    np.testing.assert_allclose(values["BatchNorm/moving_variance:0"], [
        1.0846394, 0.95243275, 1.0329974, 0.77059513, 1.1004019, 0.8113236, 0.8985887, 0.82910156,
        0.89164007, 0.83531356, 0.86033577, 0.7947302], **close)
    np.testing.assert_allclose(test, [[0.35151994, 3.122748], [-0.17891012, 3.4793167],
                                      [-0.44079745, 0.00709946], [-0.29115036, 1.1773837]], **close)


def test_batch_norm_refuses_an_unknown_channel_count():
    with pytest.raises(ValueError, match="has undefined last dimension"):
        L.batch_norm(tf.placeholder(tf.float32, [None, None]))


def test_conv_pool_dropout_flatten_names_and_shapes():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    c = L.conv2d(x, 4, 3)
    c2 = L.conv2d(c, 5, [3, 2], stride=2, padding="VALID", activation_fn=None, normalizer_fn=L.batch_norm,
                  normalizer_params={"is_training": True})
    c3 = L.conv2d(c, 6, 3, scope="myconv")
    c4 = L.conv2d(c, 6, 3, scope="myconv", reuse=True)
    got = [c, c2, c3, c4, L.max_pool2d(c, 2), L.avg_pool2d(c, [3, 3], stride=1, padding="SAME"),
           L.dropout(c), L.dropout(c, 0.8, is_training=False), L.dropout(c, is_training=tf.placeholder(tf.bool, [])),
           L.flatten(c), L.flatten(tf.placeholder(tf.float32, [None, None, 3]))]
    assert [(t.name, t.shape.as_list()) for t in got] == [
        ("Conv/Relu:0", [None, 8, 8, 4]), ("Conv_1/BatchNorm/FusedBatchNormV3:0", [None, 3, 4, 5]),
        ("myconv/Relu:0", [None, 8, 8, 6]), ("myconv_1/Relu:0", [None, 8, 8, 6]),
        ("MaxPool2D/MaxPool:0", [None, 4, 4, 4]), ("AvgPool2D/AvgPool:0", [None, 8, 8, 4]),
        ("Dropout/dropout_1/mul_1:0", [None, 8, 8, 4]), ("Dropout_1/Identity:0", [None, 8, 8, 4]),
        ("Dropout_2/cond/Merge:0", [None, 8, 8, 4]), ("Flatten/flatten/Reshape:0", [None, 256]),
        ("Flatten_1/flatten/Reshape:0", [None, None])]
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("Conv/weights:0", [3, 3, 3, 4]), ("Conv/biases:0", [4]), ("Conv_1/weights:0", [3, 2, 4, 5]),
        ("Conv_1/BatchNorm/beta:0", [5]), ("Conv_1/BatchNorm/moving_mean:0", [5]),
        ("Conv_1/BatchNorm/moving_variance:0", [5]), ("myconv/weights:0", [3, 3, 4, 6]), ("myconv/biases:0", [6])]
    assert names(tf.model_variables()) == names(tf.global_variables())
    assert names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == ["Conv_1/BatchNorm/AssignMovingAvg",
                                                                 "Conv_1/BatchNorm/AssignMovingAvg_1"]


def test_conv2d_pools_and_dropout_values():
    rng = np.random.RandomState(0)
    xs = rng.standard_normal([2, 4, 4, 2]).astype(np.float32)
    w = rng.standard_normal([2, 2, 2, 3]).astype(np.float32)
    b = np.array([0.5, -0.5, 0.0], np.float32)
    x = tf.constant(xs)
    conv = L.conv2d(x, 3, 2, weights_initializer=tf.constant_initializer(w),
                    biases_initializer=tf.constant_initializer(b), outputs_collections=["outs"])
    reference = tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + b)
    kept = L.dropout(x, keep_prob=0.5, seed=3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want, dropped = sess.run([conv, reference, kept])
        maxed, averaged = sess.run([L.max_pool2d(x, 2), L.avg_pool2d(x, 2)])
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert tf.get_collection("outs") == [conv]
    windows = xs.reshape(2, 2, 2, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(2, 2, 2, 4, 2)
    np.testing.assert_allclose(maxed, windows.max(3))
    np.testing.assert_allclose(averaged, windows.mean(3), rtol=1e-6)
    assert set(np.unique(np.round(dropped / xs, 5))) <= {0.0, 2.0}   # dropped, or kept and scaled by 1/keep_prob


def test_apply_regularization():
    w = tf.constant([[1.0, -2.0], [3.0, 0.5]])
    v = tf.constant([2.0])
    penalty = L.apply_regularization(L.l2_regularizer(0.5), [w, v])
    zero = L.apply_regularization(L.l1_regularizer(0.0), [w])
    assert (penalty.name, zero.name, penalty.shape.as_list()) == (
        "get_regularization_penalty:0", "get_regularization_penalty_1:0", [])
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == [penalty, zero]
    with tf.Session() as sess:
        assert sess.run([penalty, zero]) == [0.5 * (1 + 4 + 9 + 0.25) / 2 + 0.5 * 4 / 2, 0.0]
    with pytest.raises(ValueError, match="No weights to regularize."):
        L.apply_regularization(L.l2_regularizer(0.5))

"""tf.nn and tf.losses: values against numpy references, TF1's names, warnings and errors.

(Gradients of all these ops are checked against finite differences in test_gradients.py.)
"""
from __future__ import annotations

import logging

import numpy as np
import pytest

import minitf as tf
from minitf.ops import nn_ops


@pytest.fixture
def warnings_logged():
    """The messages minitf's logger (tf.logging: ``WARNING:tensorflow:...`` on stderr) emits during a test."""
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("minitf")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


RNG = np.random.RandomState(0)
X = RNG.uniform(-8, 8, size=(4, 5)).astype(np.float32)


# ---- activations --------------------------------------------------------------------------------
@pytest.mark.parametrize("fn,reference", [
    (tf.nn.relu, lambda x: np.maximum(x, 0)),
    (tf.nn.relu6, lambda x: np.minimum(np.maximum(x, 0), 6)),
    (tf.nn.elu, lambda x: np.where(x < 0, np.exp(x) - 1, x)),
    (tf.nn.softplus, lambda x: np.log1p(np.exp(x))),
    (tf.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    (tf.nn.tanh, np.tanh),
    (tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
])
def test_activations(fn, reference):
    np.testing.assert_allclose(run(fn(X)), reference(X.astype(np.float64)), rtol=1e-6, atol=1e-6)


def test_activation_names_and_extremes():
    assert tf.nn.relu6(X).name == "Relu6:0" and tf.nn.elu(X).name == "Elu:0"
    big = tf.constant([-1000.0, 0.0, 1000.0])
    values = run([tf.nn.softplus(big), tf.nn.elu(big), tf.nn.sigmoid(big)])
    assert values[0].tolist() == [0.0, np.log(2).astype(np.float32), 1000.0]
    assert values[1].tolist() == [-1.0, 0.0, 1000.0] and values[2].tolist() == [0.0, 0.5, 1.0]


# ---- softmax and cross entropy ------------------------------------------------------------------
def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_values_and_axis():
    # TF1 printed [0.6590012 0.24243298 0.09856589]; its vectorised exp differs from numpy's by an ulp or so
    assert run(tf.nn.softmax([2.0, 1.0, 0.1])).tolist() == pytest.approx([0.6590012, 0.24243298, 0.09856589], 3e-7)
    np.testing.assert_allclose(run(tf.nn.softmax(X, axis=0)), np_softmax(X, 0), rtol=1e-6)
    np.testing.assert_allclose(run(tf.nn.log_softmax(X, axis=0)), np.log(np_softmax(X.astype(np.float64), 0)),
                               rtol=1e-5, atol=1e-6)
    assert run(tf.nn.softmax([1000.0, 0.0])).tolist() == [1.0, 0.0]
    assert tf.nn.softmax(tf.placeholder(tf.float32, [None, 10])).shape.as_list() == [None, 10]


def test_softmax_cross_entropy_v1_stops_label_gradients_and_warns(warnings_logged):
    logits = tf.constant(X)
    labels = tf.constant(np_softmax(RNG.uniform(size=(4, 5)).astype(np.float32)))
    nn_ops._WARNED.discard("softmax_cross_entropy_with_logits")
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    err = "\n".join(warnings_logged)
    assert err.count("softmax_cross_entropy_with_logits (from tensorflow.python.ops.nn_ops) is deprecated") == 1
    assert "test_nn.py" in err and "See `tf.nn.softmax_cross_entropy_with_logits_v2`." in err
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert tf.gradients(v1, labels) == [None] and tf.gradients(v2, labels)[0] is not None
    expected = -(run(labels) * np.log(np_softmax(X.astype(np.float64)))).sum(axis=1)
    np.testing.assert_allclose(run(v1), expected, rtol=1e-5)
    np.testing.assert_allclose(run(v2), expected, rtol=1e-5)
    assert v2.name == "softmax_cross_entropy_with_logits/Reshape_2:0" and v2.shape.as_list() == [4]
    with pytest.raises(ValueError, match="Only call `softmax_cross_entropy_with_logits_v2` with named"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels, logits)


def test_sparse_softmax_cross_entropy():
    labels = np.array([0, 4, 2, 2])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=X)
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.eye(5, dtype=np.float32)[labels], logits=X)
    np.testing.assert_allclose(*run([sparse, dense]), rtol=1e-6)
    assert sparse.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    with pytest.raises(ValueError, match=r"Rank mismatch: Rank of labels \(received 2\) should equal rank of "
                                         r"logits minus 1 \(received 2\)."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0]], logits=[[1.0, 2.0]])
    with pytest.raises(TypeError, match="DataType float32 not in list of allowed values: int32, int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0], logits=[[1.0, 2.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Received a label value of 7 which is outside the "
                                                             r"valid range of \[0, 5\).  Label values: 0 7 2 2"):
        run(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 7, 2, 2], logits=X))


def test_sigmoid_cross_entropy_with_logits():
    z = (RNG.uniform(size=X.shape) > 0.5).astype(np.float32)
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=X)
    x = X.astype(np.float64)
    expected = -(z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x))))
    np.testing.assert_allclose(run(loss), expected, rtol=1e-5, atol=1e-6)
    assert loss.name == "logistic_loss:0"
    with pytest.raises(ValueError, match=r"logits and labels must have the same shape \(\(2,\) vs \(3,\)\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0, 1.0], logits=[1.0, 2.0])


def test_l2_loss_and_moments():
    assert run(tf.nn.l2_loss([1.0, 2.0, 3.0])) == 7.0
    mean, var = tf.nn.moments(tf.constant(X), [0])
    m, v = run([mean, var])
    np.testing.assert_allclose(m, X.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(v, X.var(axis=0), rtol=1e-5)
    kept = tf.nn.moments(tf.constant(X), [0, 1], keep_dims=True)
    assert [t.shape.as_list() for t in kept] == [[1, 1], [1, 1]] and mean.name == "moments/Squeeze:0"


# ---- bias_add, dropout, lookups -----------------------------------------------------------------
def test_bias_add():
    b = np.arange(5, dtype=np.float32)
    out = tf.nn.bias_add(X, b)
    assert out.name == "BiasAdd:0"
    np.testing.assert_array_equal(run(out), X + b)
    nchw = tf.nn.bias_add(np.zeros((1, 2, 3, 3), np.float32), [1.0, 2.0], data_format="NCHW")
    assert run(nchw)[0, :, 0, 0].tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.nn.bias_add(X, [[1.0]])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 5 and 3"):
        tf.nn.bias_add(X, [1.0, 2.0, 3.0])


def test_dropout_scales_kept_values_by_one_over_keep_prob(warnings_logged):
    x = tf.ones([200, 100])
    keep = tf.placeholder(tf.float32)
    nn_ops._WARNED.discard("calling dropout")
    dropped = tf.nn.dropout(x, keep_prob=keep)
    assert "calling dropout (from tensorflow.python.ops.nn_ops) with keep_prob is deprecated" in warnings_logged[0]
    with tf.Session() as sess:
        half = sess.run(dropped, {keep: 0.5})
        assert set(np.unique(half)) == {0.0, 2.0}
        assert 0.45 < (half == 0).mean() < 0.55              # 20000 draws: 5 standard deviations is 0.018
        np.testing.assert_array_equal(sess.run(dropped, {keep: 1.0}), np.ones((200, 100)))
        a, b = sess.run(dropped, {keep: 0.5}), sess.run(dropped, {keep: 0.5})
        assert not np.array_equal(a, b)                       # new mask every run
    by_rate = tf.nn.dropout(x, rate=0.25, noise_shape=[200, 1])
    rows = run(by_rate)
    assert set(np.unique(rows)) <= {0.0, np.float32(1 / 0.75)}
    assert all(len(set(row)) == 1 for row in rows)            # noise_shape [200, 1]: whole rows kept or dropped
    assert tf.nn.dropout(x, rate=0.0) is x


def test_dropout_errors():
    with pytest.raises(ValueError, match=r"rate must be a scalar tensor or a float in the range \[0, 1\), got 1"):
        tf.nn.dropout(tf.ones([2]), rate=1.0)
    with pytest.raises(ValueError, match="x has to be a floating point tensor"):
        tf.nn.dropout(tf.constant([1, 2]), rate=0.5)
    with pytest.raises(ValueError, match="You must provide a rate to dropout."):
        tf.nn.dropout(tf.ones([2]))
    with pytest.raises(ValueError, match="Cannot specify both 'rate' and 'keep_prob'."):
        tf.nn.dropout(tf.ones([2]), keep_prob=0.5, rate=0.5)


def test_embedding_lookup_and_in_top_k():
    params = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3))
    rows = tf.nn.embedding_lookup(params, [[3, 0], [1, 1]])
    assert rows.name == "embedding_lookup/Identity:0" and rows.shape.as_list() == [2, 2, 3]   # TF 1.15's name
    top = tf.nn.in_top_k([[0.1, 0.8, 0.1], [0.5, 0.2, 0.3], [0.2, 0.2, 0.6]], [1, 2, 0], 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(rows), np.arange(12).reshape(4, 3)[np.array([[3, 0], [1, 1]])])
        assert sess.run(top).tolist() == [True, True, True]
        assert sess.run(tf.nn.in_top_k([[0.1, 0.8, 0.1]], [0], 1)).tolist() == [False]


def test_clip_by_value():
    t = tf.constant([-2.0, 0.5, 3.0])
    clipped = tf.clip_by_value(t, -1.0, 1.0)
    assert clipped.name == "clip_by_value:0"
    assert run(clipped).tolist() == [-1.0, 0.5, 1.0]
    assert run(tf.gradients(tf.reduce_sum(clipped * [1.0, 2.0, 3.0]), t))[0].tolist() == [0.0, 2.0, 0.0]


# ---- convolution and pooling against direct loops ---------------------------------------------
def np_pad_same(size, k, stride, dilation=1):
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    return out, total // 2


def np_conv_taps(x_shape, w_shape, stride, padding, dilation=1):
    """The output size and, for every output position (y, xx) and filter offset (i, j) that falls on a
    real pixel, that pixel (r, s): the direct loops of a convolution."""
    _, h, wd, _ = x_shape
    kh, kw = w_shape[:2]
    if padding == "SAME":
        (oh, top), (ow, left) = np_pad_same(h, kh, stride, dilation), np_pad_same(wd, kw, stride, dilation)
    else:
        oh, ow, top, left = (h - (kh - 1) * dilation - 1) // stride + 1, (wd - (kw - 1) * dilation - 1) // stride + 1, 0, 0
    taps = [(y, xx, i, j, y * stride + i * dilation - top, xx * stride + j * dilation - left)
            for y in range(oh) for xx in range(ow) for i in range(kh) for j in range(kw)]
    return (oh, ow), [(y, xx, i, j, r, s) for y, xx, i, j, r, s in taps if 0 <= r < h and 0 <= s < wd]


def np_conv(x, w, stride, padding, dilation=1):
    (oh, ow), taps = np_conv_taps(x.shape, w.shape, stride, padding, dilation)
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for y, xx, i, j, r, s in taps:
        out[:, y, xx, :] += x[:, r, s, :] @ w[i, j]
    return out


def np_pool(x, k, stride, padding, reduce):
    n, h, w, c = x.shape
    if padding == "SAME":
        (oh, top), (ow, left) = np_pad_same(h, k, stride), np_pad_same(w, k, stride)
    else:
        oh, ow, top, left = (h - k) // stride + 1, (w - k) // stride + 1, 0, 0
    out = np.zeros((n, oh, ow, c))
    for y in range(oh):
        for xx in range(ow):
            r0, s0 = y * stride - top, xx * stride - left
            window = x[:, max(r0, 0):r0 + k, max(s0, 0):s0 + k, :]
            out[:, y, xx, :] = reduce(window, axis=(1, 2))
    return out


@pytest.mark.parametrize("shape,kernel,stride,padding,dilation", [
    ((2, 7, 7, 3), (3, 3, 3, 4), 1, "SAME", 1), ((2, 8, 7, 2), (5, 5, 2, 3), 2, "SAME", 1),
    ((1, 9, 8, 3), (3, 2, 3, 2), 2, "VALID", 1), ((1, 9, 9, 1), (3, 3, 1, 2), 1, "SAME", 2),
    ((3, 28, 28, 1), (5, 5, 1, 4), 1, "SAME", 1), ((1, 4, 4, 2), (1, 1, 2, 2), 3, "VALID", 1),
])
def test_conv2d_matches_direct_loops(shape, kernel, stride, padding, dilation):
    x = RNG.standard_normal(shape).astype(np.float32)
    w = RNG.standard_normal(kernel).astype(np.float32)
    out = tf.nn.conv2d(x, w, strides=[1, stride, stride, 1], padding=padding, dilations=[1, dilation, dilation, 1])
    value = run(out)
    expected = np_conv(x.astype(np.float64), w.astype(np.float64), stride, padding, dilation)
    assert out.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(value, expected, rtol=1e-4, atol=1e-4)


def test_conv2d_of_a_large_batch_goes_a_few_images_at_a_time(monkeypatch):
    """The forward convolution builds its window matrix for slices of the batch (evaluating 10 000
    test images at once must not take gigabytes); the slices give the same result."""
    from minitf.ops import conv_ops

    monkeypatch.setattr(conv_ops, "_IM2COL_BYTES", 3 * 7 * 7 * 9 * 4)    # three 7x7x(3x3x1) images per slice
    x = RNG.standard_normal((8, 7, 7, 1)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 1, 2)).astype(np.float32)
    value = run(tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME"))
    np.testing.assert_allclose(value, np_conv(x.astype(np.float64), w.astype(np.float64), 1, "SAME"),
                               rtol=1e-4, atol=1e-4)


def test_conv2d_shapes_names_and_errors():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    out = tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), strides=[1, 1, 1, 1], padding="SAME")
    assert repr(out) == "<tf.Tensor 'Conv2D:0' shape=(?, 28, 28, 32) dtype=float32>"
    assert tf.nn.conv2d(x, tf.zeros([5, 5, 1, 8]), [1, 2, 2, 1], "VALID").shape.as_list() == [None, 12, 12, 8]
    with pytest.raises(ValueError, match=r"Depth of input \(1\) is not a multiple of input depth of filter \(3\) "
                                         r"for '\{\{node Conv2D_2\}\} = Conv2D"):
        tf.nn.conv2d(x, tf.zeros([5, 5, 3, 32]), strides=[1, 1, 1, 1], padding="SAME")
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        tf.nn.conv2d(tf.zeros([28, 28, 1]), tf.zeros([5, 5, 1, 32]), strides=[1, 1, 1, 1], padding="SAME")
    with pytest.raises(ValueError, match="does not yet support strides in the batch and depth dimensions"):
        tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), strides=[2, 1, 1, 1], padding="SAME")
    with pytest.raises(ValueError, match="^Attr 'padding' of 'Conv2D' Op passed string 'same' not in: "):
        tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), strides=[1, 1, 1, 1], padding="same")
    with pytest.raises(ValueError, match="NHWC"):
        tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), strides=[1, 1, 1, 1], padding="SAME", data_format="NCHW")


@pytest.mark.parametrize("k,stride,padding", [(2, 2, "SAME"), (3, 2, "SAME"), (2, 2, "VALID"), (3, 1, "VALID")])
def test_pooling_matches_direct_loops(k, stride, padding):
    x = RNG.standard_normal((2, 7, 6, 3)).astype(np.float32)
    max_out, avg_out = (op(x, [1, k, k, 1], [1, stride, stride, 1], padding) for op in (tf.nn.max_pool, tf.nn.avg_pool))
    np.testing.assert_array_equal(run(max_out), np_pool(x, k, stride, padding, np.max))
    # SAME average pooling divides by the number of real pixels in the window, not k*k
    np.testing.assert_allclose(run(avg_out), np_pool(x.astype(np.float64), k, stride, padding, np.mean),
                               rtol=1e-5, atol=1e-6)
    assert max_out.name == "MaxPool:0" and avg_out.name == "AvgPool:0"


def test_max_pool_gradient_goes_to_the_first_maximum():
    x = tf.constant(np.array([[1.0, 3.0], [3.0, 2.0]], np.float32).reshape(1, 2, 2, 1))
    g = tf.gradients(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), x)[0]
    assert run(g).reshape(2, 2).tolist() == [[0.0, 1.0], [0.0, 0.0]]


def np_conv_grads(x, w, g, stride, padding, dilation=1):
    """The input and filter gradients of ``np_conv`` for the output gradient ``g``, by direct loops."""
    dx, dw = np.zeros(x.shape), np.zeros(w.shape)
    for y, xx, i, j, r, s in np_conv_taps(x.shape, w.shape, stride, padding, dilation)[1]:
        dx[:, r, s, :] += g[:, y, xx, :] @ w[i, j].T
        dw[i, j] += x[:, r, s, :].T @ g[:, y, xx, :]
    return dx, dw


@pytest.mark.parametrize("shape,kernel,stride,padding,dilation", [
    ((2, 7, 7, 3), (3, 3, 3, 4), 1, "SAME", 1), ((2, 8, 7, 2), (5, 5, 2, 3), 2, "SAME", 1),
    ((1, 9, 8, 3), (3, 2, 3, 2), 2, "VALID", 1), ((1, 9, 9, 1), (3, 3, 1, 2), 1, "SAME", 2),
    ((3, 14, 14, 4), (5, 5, 4, 6), 1, "SAME", 1), ((1, 4, 4, 2), (1, 1, 2, 2), 3, "VALID", 1),
    ((1, 3, 3, 2), (5, 5, 2, 2), 1, "SAME", 1), ((1, 5, 6, 1), (2, 4, 1, 3), 3, "SAME", 1),
])
def test_conv2d_gradients_match_direct_loops(shape, kernel, stride, padding, dilation):
    """Every filter offset's share reaches the right pixels, clipped at the borders, for any geometry
    (the filter larger than the image, strides larger than the filter, dilations)."""
    x = RNG.standard_normal(shape).astype(np.float32)
    w = RNG.standard_normal(kernel).astype(np.float32)
    out = tf.nn.conv2d(x, w, strides=[1, stride, stride, 1], padding=padding, dilations=[1, dilation, dilation, 1])
    g = RNG.standard_normal(out.shape.as_list()).astype(np.float32)
    dx, dw = run(tf.gradients(out, [out.op.inputs[0], out.op.inputs[1]], grad_ys=g))
    expected_dx, expected_dw = np_conv_grads(x.astype(np.float64), w.astype(np.float64), g, stride, padding, dilation)
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(dw, expected_dw, rtol=1e-4, atol=1e-4)


def test_conv2d_input_gradient_goes_a_few_images_at_a_time(monkeypatch):
    """The input gradient adds its shares back block by block of images (the last block shorter)."""
    from minitf.ops import conv_ops

    monkeypatch.setattr(conv_ops, "_COL2IM_BYTES", 2 * 4 * 4 * (3 * 3 * 2) * 4)   # two 4x4 images' shares per block
    x = RNG.standard_normal((5, 7, 7, 2)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 2, 3)).astype(np.float32)
    out = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")
    g = RNG.standard_normal(out.shape.as_list()).astype(np.float32)
    dx = run(tf.gradients(out, out.op.inputs[0], grad_ys=g)[0])
    expected_dx, _ = np_conv_grads(x.astype(np.float64), w.astype(np.float64), g, 2, "SAME")
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-4, atol=1e-4)


def np_max_pool_grad(x, g, k, stride, padding):
    """Each window's gradient to its first maximum in row-major order (TF1's choice among ties)."""
    n, h, w, c = x.shape
    (oh, top), (ow, left) = ((np_pad_same(h, k, stride), np_pad_same(w, k, stride)) if padding == "SAME" else
                             (((h - k) // stride + 1, 0), ((w - k) // stride + 1, 0)))
    dx = np.zeros(x.shape)
    for b in range(n):
        for y in range(oh):
            for xx in range(ow):
                for ch in range(c):
                    pixels = [(r, s) for r in range(y * stride - top, y * stride - top + k)
                              for s in range(xx * stride - left, xx * stride - left + k) if 0 <= r < h and 0 <= s < w]
                    r, s = max(pixels, key=lambda p: (x[b, p[0], p[1], ch], -pixels.index(p)))
                    dx[b, r, s, ch] += g[b, y, xx, ch]
    return dx


@pytest.mark.parametrize("shape,k,stride,padding", [
    ((2, 8, 6, 3), 2, 2, "SAME"), ((2, 8, 6, 3), 2, 2, "VALID"), ((1, 7, 5, 2), 2, 2, "SAME"),
    ((1, 7, 5, 2), 2, 2, "VALID"), ((2, 7, 7, 2), 3, 2, "SAME"), ((1, 6, 6, 1), 3, 3, "VALID"),
    ((1, 5, 5, 2), 3, 1, "SAME"),
])
def test_max_pool_gradient_matches_direct_loops_with_ties(shape, k, stride, padding):
    """Windows full of equal values (ReLU's zeros, images' background) send their gradient to one pixel:
    the first maximum, whether the windows tile the image (2x2 of stride 2) or overlap or are padded."""
    x = RNG.randint(0, 3, shape).astype(np.float32)
    pooled = tf.nn.max_pool(x, [1, k, k, 1], [1, stride, stride, 1], padding)
    g = RNG.standard_normal(pooled.shape.as_list()).astype(np.float32)
    dx = run(tf.gradients(pooled, pooled.op.inputs[0], grad_ys=g)[0])
    np.testing.assert_allclose(dx, np_max_pool_grad(x, g, k, stride, padding), rtol=1e-6, atol=1e-6)


def test_a_training_step_builds_each_im2col_matrix_once(monkeypatch):
    """Conv2D leaves its window matrix for the filter gradient of the same run; a run that computes
    only the filter gradient builds its own, from the input's current value."""
    from minitf.ops import conv_ops

    built = []
    im2col = conv_ops._Geometry.im2col
    monkeypatch.setattr(conv_ops._Geometry, "im2col", lambda g, x: built.append(x.shape) or im2col(g, x))
    image = tf.Variable(RNG.standard_normal((2, 6, 6, 3)).astype(np.float32))
    w = tf.Variable(RNG.standard_normal((3, 3, 3, 4)).astype(np.float32))
    out = tf.nn.conv2d(image, w, [1, 1, 1, 1], "SAME")
    dw_of_out, dw_of_sum = tf.gradients(tf.reduce_sum(out * out), w)[0], tf.gradients(tf.reduce_sum(out), w)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([out, dw_of_out])
        assert len(built) == 1
        sess.run(out)                                   # the forward alone (nothing reuses its matrix)
        sess.run(image.assign(image * 2))
        x, dw = sess.run([image, dw_of_sum])            # the filter gradient alone, after the change
    assert len(built) == 3
    _, expected = np_conv_grads(x.astype(np.float64), np.zeros((3, 3, 3, 4)), np.ones((2, 6, 6, 4)), 1, "SAME")
    np.testing.assert_allclose(dw, expected, rtol=1e-4, atol=1e-4)


def test_max_pool_of_integers_pads_with_the_smallest_integer():
    x = np.arange(-25, 0, dtype=np.int32).reshape(1, 5, 5, 1)
    pooled = run(tf.nn.max_pool(tf.constant(x), [1, 2, 2, 1], [1, 2, 2, 1], "SAME"))
    assert pooled.dtype == np.int32   # TF 1.15 prints these values
    assert pooled[0, :, :, 0].tolist() == [[-19, -17, -16], [-9, -7, -6], [-4, -2, -1]]


# ---- tf.losses ------------------------------------------------------------------------------------
def test_losses_reductions_and_weights():
    labels = tf.constant([[1.0], [2.0], [3.0]])
    predictions = tf.constant([[1.5], [4.0], [3.0]])
    weights = tf.constant([[0.0], [2.0], [1.0]])
    R = tf.losses.Reduction
    values = run([tf.losses.mean_squared_error(labels, predictions),
                  tf.losses.mean_squared_error(labels, predictions, weights=weights),
                  tf.losses.mean_squared_error(labels, predictions, weights=weights, reduction=R.SUM),
                  tf.losses.mean_squared_error(labels, predictions, weights=weights, reduction=R.MEAN),
                  tf.losses.mean_squared_error(labels, predictions, weights=weights, reduction=R.SUM_OVER_BATCH_SIZE),
                  tf.losses.mean_squared_error(labels, predictions, weights=weights, reduction=R.NONE),
                  tf.losses.mean_squared_error(labels, predictions, weights=0.0)])
    assert values[:5] == [pytest.approx(4.25 / 3), 4.0, 8.0, pytest.approx(8 / 3), pytest.approx(8 / 3)]
    assert values[5].tolist() == [[0.0], [8.0], [0.0]] and values[6] == 0.0
    assert len(tf.losses.get_losses()) == 7
    with pytest.raises(ValueError, match="Invalid Reduction Key"):
        tf.losses.mean_squared_error(labels, predictions, reduction="mean")


def test_cross_entropy_losses():
    logits = tf.constant(X[:, :3])
    onehot = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
    labels = tf.constant(onehot)
    soft = tf.losses.softmax_cross_entropy(labels, logits)
    smooth = tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.3)
    sparse = tf.losses.sparse_softmax_cross_entropy(np.array([[0], [2], [1], [1]]), logits)
    sig = tf.losses.sigmoid_cross_entropy(onehot, logits)
    assert [t.name for t in (soft, sparse, sig)] == ["softmax_cross_entropy_loss/value:0",
                                                     "sparse_softmax_cross_entropy_loss/value:0",
                                                     "sigmoid_cross_entropy_loss/value:0"]
    logp = np.log(np_softmax(X[:, :3].astype(np.float64)))
    smoothed = onehot * 0.7 + 0.1
    x = X[:, :3].astype(np.float64)
    values = run([soft, smooth, sparse, sig])
    np.testing.assert_allclose(values, [-(onehot * logp).sum(1).mean(), -(smoothed * logp).sum(1).mean(),
                                        -(onehot * logp).sum(1).mean(),
                                        (np.maximum(x, 0) - x * onehot + np.log1p(np.exp(-abs(x)))).mean()],
                               rtol=1e-5)
    assert tf.gradients(soft, labels) == [None]   # no gradient into the labels


def test_regularization_and_total_loss():
    assert run(tf.losses.get_regularization_loss()) == 0.0
    w = tf.get_variable("w", initializer=tf.constant([1.0, 2.0]), regularizer=lambda v: tf.reduce_sum(v * v))
    tf.losses.mean_squared_error([0.0], [3.0])
    total = tf.losses.get_total_loss()
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run([tf.losses.get_regularization_loss(), total]) == [5.0, 14.0]


def test_top_k_is_tf1s_named_tuple_and_logsumexp_is_named_as_tf1():
    """TF 1.15.5 prints ``TopKV2(values=<tf.Tensor 'TopKV2:0' ...>, indices=...)`` and runs it to a TopKV2
    of arrays; its reduce_logsumexp ends in ``ReduceLogSumExp/Add``."""
    top = tf.nn.top_k(tf.constant([1., 3., 2.]), k=2)
    assert repr(top) == ("TopKV2(values=<tf.Tensor 'TopKV2:0' shape=(2,) dtype=float32>, "
                         "indices=<tf.Tensor 'TopKV2:1' shape=(2,) dtype=int32>)")
    assert tf.reduce_logsumexp(tf.constant([1., 2.])).name == "ReduceLogSumExp/Add:0"
    with tf.Session() as sess:
        got = sess.run(top)
    assert type(got).__name__ == "TopKV2" and got.values.tolist() == [3., 2.] and got.indices.tolist() == [1, 2]


def test_dropout_and_reflected_division_build_tf1s_ops():
    """Names TF 1.15.5 printed: nn.dropout ends in ``dropout/mul_1``; tf.layers.dropout with a bool tensor
    is a tf.cond (``dropout_1/cond/Merge``); ``1 / t`` takes t's dtype (``truediv/x`` a float32 Const)."""
    x = tf.placeholder(tf.float32, [None, 4])
    keep = tf.placeholder(tf.float32)
    training = tf.placeholder(tf.bool)
    assert tf.nn.dropout(x, keep_prob=keep).name == "dropout/mul_1:0"
    assert tf.layers.dropout(x, 0.5, training=training).name == "dropout_1/cond/Merge:0"
    with tf.Graph().as_default():
        assert tf.layers.dropout(tf.zeros([2]), 0.5, training=False).name == "dropout/Identity:0"
    inverse = 1 / tf.constant(4.0)
    assert inverse.dtype == tf.float32 and inverse.op.inputs[0].name == "truediv/x:0"
    data = np.ones((1000, 4), np.float32)
    dropped = tf.layers.dropout(x, 0.5, training=training)
    with tf.Session() as sess:
        assert sess.run(inverse) == 0.25 and sess.run(7 // tf.constant(2)) == 3
        np.testing.assert_array_equal(sess.run(dropped, {x: data, training: False}), data)
        kept = sess.run(dropped, {x: data, training: True})
        assert set(np.unique(kept)) == {0.0, 2.0} and 0.45 < (kept > 0).mean() < 0.55

"""tf.map_fn, tf.scan, tf.foldl and tf.foldr: one Scan op runs fn's ops per element, with a gradient.

Names, static shapes, values and error messages below were printed by TensorFlow 1.15.5 for the
same code; gradients are also checked against finite differences.
"""
import numpy as np
import pytest
from finite_differences import numeric_gradient

import minitf as tf

X = np.array([[1., 2., 3.], [4., 5., 6.]], np.float32)


def test_map_fn_names_and_shapes_as_tf1():
    x = tf.placeholder(tf.float32, [None, 10])
    seen = []
    doubled = tf.map_fn(lambda row: seen.append(row) or row * 2.0, x)
    pair = tf.map_fn(lambda e: (e[0], e[1] * 2), (x, x))
    sums = tf.map_fn(tf.reduce_sum, x)
    ints = tf.map_fn(lambda r: tf.cast(r, tf.int32), x, dtype=tf.int32)
    fixed = tf.map_fn(lambda r: r, tf.constant([[1, 2], [3, 4]]))
    assert str(doubled) == 'Tensor("map/TensorArrayStack/TensorArrayGatherV3:0", shape=(?, 10), dtype=float32)'
    assert str(seen[0]) == 'Tensor("map/while/TensorArrayReadV3:0", shape=(10,), dtype=float32)'
    assert [t.name for t in pair] == ["map_1/TensorArrayStack/TensorArrayGatherV3:0",
                                      "map_1/TensorArrayStack_1/TensorArrayGatherV3:0"]
    assert str(sums.shape) == "(?,)" and ints.dtype == tf.int32 and str(fixed.shape) == "(2, 2)"
    assert tf.map_fn(lambda r: r * 2, x, infer_shape=False).shape.dims is None
    data = np.arange(20, dtype=np.float32).reshape(2, 10)
    with tf.Session() as sess:
        got = sess.run([doubled, sums, fixed], {x: data})
        empty = sess.run(doubled, {x: np.zeros((0, 10))})
    np.testing.assert_array_equal(got[0], data * 2)
    np.testing.assert_array_equal(got[1], [45., 145.])
    np.testing.assert_array_equal(got[2], [[1, 2], [3, 4]])
    assert empty.shape == (0, 10) and empty.dtype == np.float32


def test_map_fn_nested_elems_and_dtype_for_another_structure():
    x = tf.placeholder(tf.float32, [None, 3])
    out = tf.map_fn(lambda e: {"a": e["x"] * e["y"]}, {"x": x, "y": x + 1.0}, dtype={"a": tf.float32})
    both = tf.map_fn(lambda r: (r, tf.shape(r)), x, dtype=(tf.float32, tf.int32))
    assert str(both[1]) == 'Tensor("map_1/TensorArrayStack_1/TensorArrayGatherV3:0", shape=(?, 1), dtype=int32)'
    with tf.Session() as sess:
        a, (rows, shapes) = sess.run([out["a"], both], {x: X})
    np.testing.assert_array_equal(a, X * (X + 1))
    np.testing.assert_array_equal(rows, X)
    np.testing.assert_array_equal(shapes, [[3], [3]])


def test_scan_and_folds_values_names_and_reverse():
    elems = tf.constant([1, 2, 3, 4])
    running = tf.scan(lambda acc, v: acc + v, elems)
    backwards = tf.scan(lambda acc, v: acc + v, elems, reverse=True)
    from_ten = tf.scan(lambda acc, v: acc + v, elems, initializer=10)
    left = tf.foldl(lambda acc, v: acc * 10 + v, elems)
    right = tf.foldr(lambda acc, v: acc * 10 + v, elems)
    pairs = tf.scan(lambda acc, v: (acc[0] + v, acc[1] * v), elems, initializer=(0, 1))
    assert str(running) == 'Tensor("scan/TensorArrayStack/TensorArrayGatherV3:0", shape=(4,), dtype=int32)'
    assert str(left) == 'Tensor("foldl/while/Exit_2:0", shape=(), dtype=int32)'
    assert right.name == "foldr/while/Exit_2:0"
    with tf.Session() as sess:
        got = sess.run([running, backwards, from_ten, left, right, pairs])
    assert [v.tolist() for v in got[:3]] == [[1, 3, 6, 10], [10, 9, 7, 4], [11, 13, 16, 20]]
    assert got[3:5] == [1234, 4321]
    assert [v.tolist() for v in got[5]] == [[1, 3, 6, 10], [1, 2, 6, 24]]


def test_an_empty_fold_returns_its_initializer_and_variables_are_read():
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable([1.0, 2.0, 3.0])
    total = tf.foldl(lambda acc, r: acc + tf.reduce_sum(r * w), x, initializer=0.5)
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(total, {x: np.zeros((0, 3))}) == 0.5
        assert sess.run(total, {x: X}) == 0.5 + 14.0 + 32.0


def _loss_graph():
    """A loss through map_fn, scan (both ways) and the folds; TF 1.15 printed the gradients below."""
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable([0.5, -1.0, 2.0])
    a0 = tf.constant([0.1, 0.2, 0.3])

    def step(a, r):
        return a * tf.sin(r) + w * r

    mapped = tf.map_fn(lambda r: tf.tanh(r * w) * r, x)
    scanned = tf.scan(step, x)
    reversed_ = tf.scan(step, x, initializer=a0, reverse=True)
    loss = (tf.reduce_sum(mapped * mapped) + tf.reduce_sum(scanned * scanned)
            + tf.reduce_sum(reversed_ * tf.constant([1., 2., 3.]))
            + tf.reduce_sum(tf.square(tf.foldl(step, x, initializer=a0))) + tf.reduce_sum(tf.foldr(step, x)))
    return x, w, a0, loss


def test_gradients_reach_elems_variables_and_initializers_as_in_tf1():
    x, w, a0, loss = _loss_graph()
    gx, gw, ga = tf.gradients(loss, [x, w, a0])
    with tf.Session() as sess:
        sess.run(w.initializer)
        got = sess.run([gx, gw, ga], {x: X})
    # TF 1.15.5's values of the five terms' gradients, summed
    tf1_gx = (np.array([[0.7905356, 4.2622714, 6.0007296], [8.524543, 10.007267, 12.]])
              + np.array([[0.1182902, 17.267387, -0.2375336], [-0.3820187, 5.9863687, 108.95012]])
              + np.array([[1.5397143, 2.3210897, -29.39077], [0.8003689, -3.6019566, 7.8328223]])
              + np.array([[1.3547673, -9.8461, -13.75348], [1.2096875, 10.781421, 161.03775]]))
    tf1_gw = (np.array([9.4448566, -1.1351639, 1.3131936e-03]) + np.array([9.94558, -69.17848, 133.94104])
              + np.array([8.365884, 23.092976, 29.54016]) + np.array([11.105259, -18.074303, 109.45268]))
    tf1_ga = np.array([-1.3936298, -3.6617434, -0.9565398]) + np.array([-1.984247, 5.6790643, -0.8132019])
    np.testing.assert_allclose(got[0], tf1_gx, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(got[1], tf1_gw, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(got[2], tf1_ga, rtol=1e-5, atol=1e-5)


def test_gradients_match_finite_differences():
    x = tf.placeholder(tf.float64, [None, 3])
    w = tf.Variable(np.array([0.5, -1.0, 2.0]))

    def step(a, r):
        return a * tf.sin(r) + w * r

    loss = (tf.reduce_sum(tf.square(tf.map_fn(lambda r: tf.tanh(r * w) * r, x)))
            + tf.reduce_sum(tf.square(tf.scan(step, x, reverse=True))) + tf.reduce_sum(tf.foldl(step, x)))
    gx, gw = tf.gradients(loss, [x, w])
    data = np.random.RandomState(0).randn(4, 3)
    with tf.Session() as sess:
        sess.run(w.initializer)
        analytic_x, analytic_w = sess.run([gx, gw], {x: data})

        numeric_x = numeric_gradient(lambda v: sess.run(loss, {x: v}), data)
        numeric_w = numeric_gradient(lambda v: sess.run(loss, {x: data, w: v}), np.array([0.5, -1.0, 2.0]))
    np.testing.assert_allclose(analytic_x, numeric_x, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(analytic_w, numeric_w, rtol=1e-6, atol=1e-6)


def test_training_a_variable_through_map_fn():
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable([[0.0], [0.0]])
    pred = tf.map_fn(lambda r: tf.matmul(r[None, :], w)[0], x)
    loss = tf.reduce_mean(tf.square(pred - tf.constant([[1.0], [2.0]])))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        first = sess.run(loss, {x: [[1., 0.], [0., 1.]]})
        for _ in range(100):
            sess.run(train, {x: [[1., 0.], [0., 1.]]})
        assert sess.run(loss, {x: [[1., 0.], [0., 1.]]}) < first * 1e-3


def test_back_prop_false_gives_no_gradient():
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable([1.0, 2.0, 3.0])
    assert tf.gradients(tf.reduce_sum(tf.map_fn(lambda r: r * w, x, back_prop=False)), [x, w]) == [None, None]


def test_map_fn_inside_map_fn():
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(2.0)
    out = tf.map_fn(lambda row: tf.map_fn(lambda v: v * w, row), x)
    g, = tf.gradients(tf.reduce_sum(out * out), w)
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_allclose(sess.run(out, {x: X}), X * 2)
        np.testing.assert_allclose(sess.run(g, {x: X}), np.sum(2 * 2.0 * X * X), rtol=1e-6)


def test_tf1_errors_while_the_graph_is_built():
    x = tf.placeholder(tf.float32, [None, 10])
    with pytest.raises(ValueError, match="^elems must be a 1\\+ dimensional Tensor, not a scalar$"):
        tf.map_fn(lambda r: r, tf.constant(1.0))
    with pytest.raises(ValueError, match="^elements in elems must be 1\\+ dimensional Tensors, not scalars$"):
        tf.map_fn(lambda r: r * 2, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="^fn must be callable.$"):
        tf.scan(3, x)
    with pytest.raises(ValueError, match="^Dimensions 3 and 4 are not compatible$"):
        tf.map_fn(lambda e: e[0], (tf.zeros([3, 2]), tf.zeros([4, 2])), dtype=tf.float32)
    with pytest.raises(ValueError, match="^None values not supported.$"):
        tf.map_fn(lambda r: None, x)
    with pytest.raises(ValueError, match="^The two structures don't have the same nested structure.\n\nFirst "
                                         "structure: type=DType str=<dtype: 'float32'>\n\nSecond structure: "
                                         "type=tuple str=\\(<tf.Tensor 'map_\\d/while/TensorArrayReadV3:0'"):
        tf.map_fn(lambda r: (r, r), x)
    with pytest.raises(TypeError, match="^The two structures don't have the same nested structure"):
        tf.map_fn(lambda e: [e[0], e[1]], (x, x))
    with pytest.raises(ValueError, match="^Inconsistent shapes: saw \\(20,\\) but expected \\(10,\\) $"):
        tf.scan(lambda a, r: tf.concat([a, r], 0), x)
    with pytest.raises(ValueError, match="^Input tensor 'foldl/TensorArrayReadV3:0' enters the loop with shape "
                                         "\\(10,\\), but has shape \\(20,\\) after one iteration."):
        tf.foldl(lambda a, r: tf.concat([a, r], 0), x)


def test_tf1_errors_when_the_loop_runs():
    x = tf.placeholder(tf.float32, [None, 2])
    wrong_dtype = tf.map_fn(lambda r: tf.cast(r, tf.int32), x)   # TF1 logs an error and builds it
    assert wrong_dtype.dtype == tf.float32
    ragged = tf.map_fn(lambda r: tf.boolean_mask(r, r > 0), x)
    unknown = tf.map_fn(lambda r: tf.boolean_mask(r, r > 0), x)
    p, q = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    mixed = tf.map_fn(lambda e: e[0] * e[1], (p, q), dtype=tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="TensorArray dtype is float but Op is trying to write dtype int32."):
            sess.run(wrong_dtype, {x: X[:, :2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not write to TensorArray index 1 because "
                           "the value shape is \\[2\\] which is incompatible with the TensorArray's inferred "
                           "element shape: \\[1\\]"):
            sess.run(ragged, {x: [[1., -1.], [1., 1.]]})
        with pytest.raises(tf.errors.UnimplementedError, match="TensorArray has size zero, but element shape "
                           "\\[\\?\\] is not fully defined"):
            sess.run(unknown, {x: np.zeros((0, 2))})
        with pytest.raises(tf.errors.InvalidArgumentError, match="different lengths"):
            sess.run(mixed, {p: [1., 2.], q: [1., 2., 3.]})

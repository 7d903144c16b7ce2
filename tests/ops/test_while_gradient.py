"""Gradients through tf.while_loop: a WhileGrad op walks the loop's iterations backwards.

Expected values were printed by TensorFlow 1.15.5 for the same code (its float32 results);
tests/test_gradients.py checks the While gradient against finite differences.
"""
import numpy as np
import pytest

import minitf as tf


def power_loop(w, x0, **kwargs):
    """x0 * w**3 by repeated multiplication, with an int32 counter."""
    return tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * w), [tf.constant(0), x0], **kwargs)


def test_power_by_repeated_multiplication():
    w, x0 = tf.Variable(1.5), tf.placeholder(tf.float32, [])
    _, x = power_loop(w, x0)
    dw, dx0 = tf.gradients(x, [w, x0])
    assert str(dw) == 'Tensor("gradients/while/Exit_grad/WhileGrad:2", shape=(), dtype=float32)'
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run([x, dw, dx0], {x0: 2.0}) == [6.75, 13.5, 3.375]   # TF 1.15: 6.75 13.5 3.375


def test_int_loop_variables_and_back_prop_false_get_no_gradient():
    w, x0 = tf.placeholder(tf.float32, []), tf.constant(2.0)
    i0 = tf.constant(0)
    _, x = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * w), [i0, x0])
    _, frozen = power_loop(w, x0, back_prop=False)
    assert tf.gradients(x, i0) == [None]
    assert tf.gradients(frozen, [w, x0]) == [None, None]


def test_a_small_rnn_reading_a_placeholder():
    """h = tanh(h W + x_t) for t < 4; TF 1.15's gradients of sum(h * h)."""
    rng = np.random.RandomState(0)
    steps, batch, size = 4, 2, 3
    x = tf.placeholder(tf.float32, [steps, batch, size])
    w = tf.Variable(rng.randn(size, size).astype(np.float32) * 0.5)
    h0 = tf.placeholder(tf.float32, [batch, size])
    _, h = tf.while_loop(lambda t, h: t < steps, lambda t, h: (t + 1, tf.tanh(tf.matmul(h, w) + tf.gather(x, t))),
                         [tf.constant(0), h0])
    loss = tf.reduce_sum(h * h)
    dw, dx, dh0 = tf.gradients(loss, [w, x, h0])
    with tf.Session() as sess:
        sess.run(w.initializer)
        feed = {x: rng.randn(steps, batch, size).astype(np.float32), h0: rng.randn(batch, size).astype(np.float32)}
        got = sess.run([loss, dw, dx, dh0], feed)
    np.testing.assert_allclose(got[0], 2.3832926750183105, rtol=1e-6)
    np.testing.assert_allclose(got[1], [[0.17612533, -1.6081927, -0.0253471], [0.34242475, 0.06849034, 0.3763982],
                                        [-0.39074123, -0.08394007, -0.55166316]], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2], [[[0.06775154, 0.49373662, 0.07538137], [0.00011361, 0.00711936, -0.00025901]],
                                        [[0.3321574, 0.45515078, 0.22802201], [0.00518509, 0.03721407, -0.00058535]],
                                        [[0.60647827, 0.14980431, 0.07305605], [0.00591725, 0.17002009, 0.26035199]],
                                        [[0.72160864, 0.04990092, 0.41422579], [0.63177639, -0.34931523, -0.09276102]]],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3], [[0.19543406, 0.50011855, -0.00907071], [0.00139789, 0.00690177, -0.00047144]],
                               rtol=1e-5, atol=1e-6)


def test_the_number_of_iterations_depends_on_the_values():
    a, y0 = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
    n, y = tf.while_loop(lambda n, y: y < 100.0, lambda n, y: (n + 1, y * a + 1.0), [0, y0])
    da, dy0 = tf.gradients(y, [a, y0])
    with tf.Session() as sess:
        seven = sess.run([n, y, da, dy0], {a: 1.7, y0: 2.0})
        none = sess.run([n, y, da, dy0], {a: 1.7, y0: 200.0})   # no iteration: dy/dy0 = 1, dy/da = 0
    np.testing.assert_allclose(seven, [7, 139.25900268554688, 497.5999450683594, 41.033870697021484], rtol=1e-6)
    assert none == [0, 200.0, 0.0, 1.0]


def test_maximum_iterations_a_number_or_a_fed_tensor():
    w, y0 = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
    capped = tf.while_loop(lambda y: y < 100.0, lambda y: y * w, [y0], maximum_iterations=2)
    m = tf.placeholder(tf.int32, [])
    _, fed = tf.while_loop(lambda i, x: i < 10, lambda i, x: (i + 1, x * w), [0, y0], maximum_iterations=m)
    grads = tf.gradients(capped, [w, y0]) + tf.gradients(fed, w)
    with tf.Session() as sess:
        assert sess.run([capped] + grads[:2], {w: 3.0, y0: 2.0}) == [18.0, 12.0, 9.0]
        assert sess.run([fed, grads[2]], {w: 1.5, y0: 2.0, m: 2}) == [4.5, 6.0]
        assert sess.run([fed, grads[2]], {w: 1.5, y0: 2.0, m: 0}) == [2.0, 0.0]
    with pytest.raises(ValueError, match=r"^maximum_iterations must be a scalar, saw shape: \(2,\)$"):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], maximum_iterations=[2, 3])


def test_a_tensor_only_the_cond_reads_gets_none():
    c, y0 = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
    z = tf.while_loop(lambda z: z < c, lambda z: z * 2.0, [y0])
    dc, dy0 = tf.gradients(z, [c, y0])
    assert dc is None
    with tf.Session() as sess:
        assert sess.run(dy0, {c: 10.0, y0: 1.5}) == 8.0


def test_loops_nested_in_loops_conds_and_map_fn():
    w, x0 = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [None])
    p = tf.placeholder(tf.bool, [])

    def outer(i, x):
        inner = tf.while_loop(lambda j, y: j < 2, lambda j, y: (j + 1, tf.sin(y * w)), [0, x])
        return i + 1, inner[1] + x

    nested = tf.while_loop(lambda i, x: i < 3, outer, [0, x0])[1]
    in_cond = tf.cond(p, lambda: tf.while_loop(lambda y: tf.reduce_sum(y) < 50.0, lambda y: y * w, [x0]),
                      lambda: x0 * 2.0)
    cond_in = tf.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, tf.cond(i < 2, lambda: y * w, lambda: y + w)),
                            [0, x0])[1]
    mapped = tf.map_fn(lambda r: tf.while_loop(lambda k, v: k < 2, lambda k, v: (k + 1, v * r), [0, r])[1], x0)
    grads = [tf.gradients(tf.reduce_sum(t), [w, x0]) for t in (nested, in_cond, cond_in)]
    feed = {w: 1.3, x0: [0.5, -1.2, 2.0], p: True}
    with tf.Session() as sess:
        got = sess.run([nested, in_cond, cond_in, mapped, grads, tf.gradients(tf.reduce_sum(mapped), x0)], feed)
        when_false = sess.run(grads[1][1], {**feed, p: False})
    for value, tf1 in zip(got, [[2.5675418, -2.3145316, 2.5038052], [19.686872, -47.24849, 78.74749],
                                [3.445, 0.572, 5.98], [0.125, -1.728, 8.0]]):
        np.testing.assert_allclose(value, tf1, rtol=1e-5)
    (dw_nested, dx_nested), (dw_in, dx_in), (dw_cond, dx_cond) = got[4]
    np.testing.assert_allclose([dw_nested, dw_in, dw_cond], [-1.7271024, 551.2325, 9.38], rtol=1e-5)
    np.testing.assert_allclose(dx_nested, [-0.924163, 0.2777476, -0.0453054], rtol=1e-5)
    np.testing.assert_allclose(dx_in, [39.373745] * 3, rtol=1e-5)
    np.testing.assert_allclose(dx_cond, [1.69] * 3, rtol=1e-5)
    np.testing.assert_allclose(got[5][0], [0.75, 4.32, 12.0], rtol=1e-6)
    np.testing.assert_array_equal(when_false, [2.0, 2.0, 2.0])


def test_shape_invariants_and_a_body_returning_an_outside_tensor():
    w, x0 = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [None])
    _, grown = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x * w], 0)), [0, x0],
                             shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    _, _, b = tf.while_loop(lambda i, a, b: i < 2, lambda i, a, b: (i + 1, w, a * b), [0, x0[0], x0[1]])
    grads = tf.gradients(tf.reduce_sum(grown * grown), [w, x0]) + tf.gradients(b, [w, x0])
    with tf.Session() as sess:
        got = sess.run([grown, b] + grads, {w: 1.3, x0: [0.5, -1.2, 2.0]})
    assert got[0].shape == (24,)
    np.testing.assert_allclose(got[1], -0.78, rtol=1e-6)
    np.testing.assert_allclose(got[2], 321.1526, rtol=1e-5)
    np.testing.assert_allclose(got[3], [19.465107, -46.716263, 77.86043], rtol=1e-5)
    np.testing.assert_allclose(got[4], -0.6, rtol=1e-6)
    np.testing.assert_allclose(got[5], [-1.56, 0.65, 0.0], rtol=1e-6)


def test_a_fed_variable_is_what_the_loop_reads():
    w = tf.Variable(2.0)
    _, y = power_loop(w, tf.constant(1.0))
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(y) == 8.0 and sess.run(y, {w: 3.0}) == 27.0   # as TF 1.15


def test_gradient_descent_trains_a_variable_used_inside_the_loop():
    v = tf.Variable([[0.5, -0.2], [0.1, 0.3]])
    inputs = tf.placeholder(tf.float32, [3, 2])
    _, out = tf.while_loop(lambda t, s: t < 3, lambda t, s: (t + 1, tf.tanh(tf.matmul(s, v) + tf.gather(inputs, [t]))),
                           [tf.constant(0), tf.zeros([1, 2])])
    loss = tf.reduce_sum(tf.square(out - [[0.5, -0.5]]))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    feed = {inputs: [[1.0, 0.5], [-0.3, 0.8], [0.2, -1.0]]}
    with tf.Session() as sess:
        sess.run(v.initializer)
        losses = []
        for _ in range(4):
            losses.append(sess.run(loss, feed))
            sess.run(train, feed)
        np.testing.assert_allclose(losses, [0.065585, 0.025153, 0.012767, 0.005322], atol=1e-6)
        np.testing.assert_allclose(sess.run(v), [[0.5756108, -0.07961856], [0.26524404, 0.5454046]], rtol=1e-5)


def test_no_second_derivatives_through_a_loop():
    """TF 1.15 raises TypeError('Second-order gradient for while loops not supported.'), and so does minitf."""
    w = tf.placeholder(tf.float32, [])
    _, x = power_loop(w, tf.constant(2.0))
    dw, = tf.gradients(x, w)
    with pytest.raises(TypeError, match=r"^Second-order gradient for while loops not supported.$"):
        tf.gradients(dw, w)

"""tf.GradientTape (minitf/v2/tape.py): the registered gradients, run eagerly, checked by finite differences."""
import numpy as np
import pytest
from finite_differences import numeric_gradient
from v2_fixtures import tf  # noqa: F401  (the fixture)

import minitf as tf1


def test_the_seeds_square(tf):
    w = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = w * w
    assert repr(tape.gradient(y, w)) == "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>"


def test_mlp_gradients_match_finite_differences(tf):
    rng = np.random.default_rng(0)
    x, labels = rng.normal(size=(5, 4)), np.array([0, 2, 1, 2, 0])
    w1, b1, w2 = rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=(6, 3))

    def loss_of(w1, b1, w2):
        hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
        logits = tf.matmul(tf.tanh(hidden), w2)
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))

    params = [tf.Variable(p) for p in (w1, b1, w2)]
    with tf.GradientTape() as tape:
        loss = loss_of(*params)
    grads = tape.gradient(loss, params)
    for i, (p, g) in enumerate(zip((w1, b1, w2), grads)):
        def f(value, i=i):
            args = [w1, b1, w2]
            args[i] = value
            return float(loss_of(*[tf.constant(a) for a in args]))
        np.testing.assert_allclose(g.numpy(), numeric_gradient(f, p), rtol=1e-5, atol=1e-7)


def test_tape_and_tf_gradients_give_the_same_numbers(tf):
    x = np.random.default_rng(1).normal(size=(3, 5)).astype(np.float32)
    w0 = np.random.default_rng(2).normal(size=(5, 2)).astype(np.float32)
    w = tf.Variable(w0)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.softmax(tf.matmul(x, w)) * tf.constant([[1., 2.]]))
    eager = tape.gradient(loss, w).numpy()
    with tf1.Graph().as_default():
        wg = tf1.Variable(w0)
        lg = tf1.reduce_sum(tf1.nn.softmax(tf1.matmul(x, wg)) * tf1.constant([[1., 2.]]))
        grad, = tf1.gradients(lg, [wg])
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            np.testing.assert_array_equal(eager, sess.run(grad))


def test_constants_are_recorded_only_when_watched(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x).numpy() == 6.0


def test_persistent_tapes_and_single_use_tapes(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y, z = x * x, x * x * x
    assert tape.gradient(y, x).numpy() == 4.0 and tape.gradient(z, x).numpy() == 12.0
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used to compute one set"):
        tape.gradient(y, x)


def test_nested_tapes_give_second_derivatives(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    assert dy.numpy() == 12.0 and outer.gradient(dy, x).numpy() == 12.0   # 3x^2 and 6x at x = 2


def test_structures_unconnected_sources_and_stop_recording(tf):
    a, b, c = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(5.0)
    with tf.GradientTape() as tape:
        y = a * b
        with tape.stop_recording():
            z = y * c
    grads = tape.gradient(y, {"a": a, "pair": [b, c]})
    assert grads["a"].numpy() == 2.0 and grads["pair"][0].numpy() == 1.0 and grads["pair"][1] is None
    assert z.numpy() == 10.0
    with tf.GradientTape() as tape:
        y = a * 3.0
    assert tape.gradient(y, [a, c], unconnected_gradients="zero")[1].numpy() == 0.0


def test_trainable_false_and_watch_accessed_variables(tf):
    frozen = tf.Variable(2.0, trainable=False)
    free = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = frozen * free
    assert tape.gradient(y, frozen) is None and tape.gradient is not None
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(frozen)
        y = frozen * free
    assert tape.gradient(y, [frozen, free])[0].numpy() == 3.0
    assert tape.watched_variables() == (frozen,)


def test_a_tf_function_called_under_a_tape_is_differentiated(tf):
    w = tf.Variable([1., 2.])
    square_sum = tf.function(lambda v: tf.reduce_sum(v * v))
    with tf.GradientTape() as tape:
        y = square_sum(w)
    assert tape.gradient(y, w).numpy().tolist() == [2., 4.]


def test_an_op_without_gradient_is_a_lookup_error(tf):
    from minitf.ops.base import Op, apply_op

    class Twice(Op):
        type = "TwiceNoGradient"

        def forward(self, x):
            return 2 * x

    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = apply_op(Twice(), (x,), "Twice")
    with pytest.raises(LookupError, match="No gradient defined for operation 'TwiceNoGradient'"):
        tape.gradient(y, x)


def test_optimizer_minimize_with_a_loss_function(tf):
    w = tf.Variable(5.0)
    opt = tf.keras.optimizers.SGD(0.1)
    for _ in range(50):
        opt.minimize(lambda: (w - 2.0) ** 2, [w])
    assert abs(w.numpy() - 2.0) < 1e-3 and int(opt.iterations.numpy()) == 50

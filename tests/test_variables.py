"""Variables, get_variable, variable scopes, initializers and collections (API_SURFACE §9-10)."""
import numpy as np
import pytest

import minitf as tf


def test_variable_value_persists_and_assign_returns_the_new_value():
    numbers = tf.Variable([3.14159, 2.71828], tf.float32)   # 2nd positional argument is `trainable`
    step = tf.assign(numbers, numbers + 1)
    assert str(step) == 'Tensor("Assign:0", shape=(2,), dtype=float32_ref)'
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(numbers), [3.14159, 2.71828], rtol=1e-6)
        sess.run(step)
        np.testing.assert_allclose(sess.run(step), [5.14159, 4.71828], rtol=1e-6)
        np.testing.assert_allclose(sess.run(numbers), [5.14159, 4.71828], rtol=1e-6)


def test_variable_fetch_is_a_copy():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        value = sess.run(v)
        value[0] = 100.0
        assert type(value) is np.ndarray and sess.run(v)[0] == 1.0


def test_constant_fetch_cannot_change_the_constant():
    c = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(c)[0] = 5.0
        assert sess.run(c)[0] == 1.0


def test_variable_attributes_and_methods():
    v = tf.Variable([1.0, 2.0], name="vr")
    assert (v.name, v.shape, v.dtype, v.dtype.base_dtype, v.get_shape()) == (
        "vr:0", tf.TensorShape([2]), tf.as_dtype("float32_ref"), tf.float32, tf.TensorShape([2]))
    add = v.assign_add([1.0, 1.0])
    sub = v.assign_sub([0.5, 0.5])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(add), [2.0, 3.0])
        np.testing.assert_array_equal(sess.run(sub), [1.5, 2.5])
        v.load([7.0, 8.0], sess)
        np.testing.assert_array_equal(v.eval(sess), [7.0, 8.0])
        np.testing.assert_array_equal(sess.run(v * 2), [14.0, 16.0])


def test_variable_from_a_tensor_initial_value():
    v = tf.Variable(tf.zeros(6))
    w = tf.Variable(tf.truncated_normal((5, 5), stddev=0.1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), np.zeros(6))
        assert np.all(np.abs(sess.run(w)) <= 0.2)


def test_get_variable_default_glorot_uniform_and_int_zeros():
    tf.set_random_seed(1)
    v = tf.get_variable("my_variable", [1, 2, 3])
    i = tf.get_variable("i", [2], dtype=tf.int32)
    assert repr(v) == "<tf.Variable 'my_variable:0' shape=(1, 2, 3) dtype=float32_ref>"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(v)
        np.testing.assert_array_equal(sess.run(i), [0, 0])
    assert value.dtype == np.float32 and np.all(np.abs(value) <= np.sqrt(6 / 5)) and len(np.unique(value)) == 6


@pytest.mark.parametrize("initializer, expected", [
    (tf.zeros_initializer, [0.0, 0.0]), (tf.zeros_initializer(), [0.0, 0.0]), (tf.ones_initializer(), [1.0, 1.0]),
    (tf.constant_initializer(3.0), [3.0, 3.0]),
])
def test_get_variable_initializer_kinds(initializer, expected):
    v = tf.get_variable("v", [2], initializer=initializer)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v), expected)


def test_random_initializers_have_their_bounds():
    tf.set_random_seed(3)
    normal = tf.get_variable("n", [400], initializer=tf.truncated_normal_initializer(stddev=0.01))
    uniform = tf.get_variable("u", [400], initializer=tf.random_uniform_initializer(-0.5, 0.5))
    gauss = tf.get_variable("g", [4000], initializer=tf.random_normal_initializer(mean=1.0, stddev=2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        n, u, g = sess.run([normal, uniform, gauss])
    assert np.abs(n).max() <= 0.02 and 0.003 < n.std() < 0.01
    assert u.min() >= -0.5 and u.max() < 0.5 and u.std() > 0.2
    assert abs(g.mean() - 1.0) < 0.2 and abs(g.std() - 2.0) < 0.2


def test_orthogonal_and_uniform_unit_scaling_initializers():
    wide = tf.get_variable("wide", [3, 5], initializer=tf.orthogonal_initializer(gain=2.0))
    conv = tf.get_variable("conv", [3, 5, 4], initializer=tf.initializers.orthogonal())
    unit = tf.get_variable("unit", [6, 400], initializer=tf.uniform_unit_scaling_initializer(factor=1.5))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w, c, u = sess.run([wide, conv, unit])
    np.testing.assert_allclose(w @ w.T, 4 * np.eye(3), atol=1e-5)              # orthogonal rows, times gain
    np.testing.assert_allclose(c.reshape(15, 4).T @ c.reshape(15, 4), np.eye(4), atol=1e-5)
    limit = 1.5 * np.sqrt(3 / 6)
    assert u.dtype == np.float32 and -limit <= u.min() < -0.9 * limit and 0.9 * limit < u.max() <= limit
    with pytest.raises(ValueError, match="at least two-dimensional"):
        tf.get_variable("vector", [3], initializer=tf.orthogonal_initializer())


def test_get_variable_with_a_tensor_initializer_takes_its_shape():
    v = tf.get_variable("other_variable", dtype=tf.int32, initializer=tf.constant([23, 42]))
    assert repr(v) == "<tf.Variable 'other_variable:0' shape=(2,) dtype=int32_ref>"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), [23, 42])


def test_variable_scope_names_and_reuse():
    def dense(x, n_in, n_out):
        w = tf.get_variable("weight", [n_in, n_out])
        b = tf.get_variable("bias", [n_out])
        return tf.nn.relu(tf.matmul(x, w) + b)

    x = tf.placeholder(tf.float32, [None, 10])
    with tf.variable_scope("model") as scope:
        out1 = dense(x, 10, 4)
    assert (scope.name, scope.reuse) == ("model", False)
    with tf.variable_scope(scope, reuse=True):
        out2 = dense(x, 10, 4)
    with tf.variable_scope("model", reuse=True):
        assert tf.get_variable("weight") is tf.global_variables()[0]
    assert [v.name for v in tf.global_variables()] == ["model/weight:0", "model/bias:0"]
    assert (out1.name, out2.name) == ("model/Relu:0", "model_1/Relu:0")
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        first = tf.get_variable("a", [1])
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("a", [1]) is first


def test_nested_variable_scopes_and_reuse_variables():
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner") as inner:
            v = tf.get_variable("v", [1])
            inner.reuse_variables()
            assert tf.get_variable("v", [1]) is v
    assert v.name == "outer/inner/v:0"


def test_a_failed_get_variable_creates_nothing_and_the_scope_still_advances():
    tf.get_variable("weight", [1])
    with pytest.raises(ValueError):
        with tf.variable_scope("s"):
            tf.get_variable("x", [1])
            raise ValueError("body failed")
    with tf.variable_scope("s", reuse=True):
        c = tf.constant(1.0)
    assert c.name == "s_1/Const:0"


def test_collections_membership():
    local = tf.get_variable("my_local", shape=(), collections=[tf.GraphKeys.LOCAL_VARIABLES])
    fixed = tf.get_variable("my_non_trainable", shape=(), trainable=False)
    normal = tf.get_variable("my_local_var", [2, 3])
    assert tf.global_variables() == [fixed, normal]
    assert tf.trainable_variables() == [local, normal]
    assert tf.local_variables() == [local]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value my_local"):
            sess.run(local)
        sess.run(tf.local_variables_initializer())
        assert sess.run(local).shape == ()


def test_is_variable_initialized_and_report():
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        assert not sess.run(tf.is_variable_initialized(a))
        sess.run(a.initializer)
        assert sess.run(tf.is_variable_initialized(a))
        assert list(sess.run(report)) == [b"b"]


def test_random_ops_one_value_per_run_and_seeds():
    tf.set_random_seed(5)
    r = tf.random_uniform([3])
    with tf.Session() as sess:
        first = sess.run(r)
        assert not np.array_equal(first, sess.run(r))
        x, y = sess.run([r + 1, r + 2])
        np.testing.assert_allclose(y - x, 1.0, rtol=1e-6)
    with tf.Session() as sess:  # graph seed: every new session repeats the sequence
        np.testing.assert_array_equal(sess.run(r), first)


def test_reuse_variables_at_the_root_scope_sticks():
    tf.get_variable("shared", [1])
    tf.get_variable_scope().reuse_variables()
    assert tf.get_variable_scope().reuse and tf.get_variable("shared", [1]).name == "shared:0"


def test_a_variable_initialised_from_another_in_the_same_initializer_run():
    """TF1's guide: ``tf.Variable(w.initialized_value() * 2.0)`` -- the initializers of both run in one
    ``global_variables_initializer()``, in any order, and w2 gets twice w's (random) initial value."""
    w = tf.Variable(tf.random_normal([3], seed=1), name="w")
    w2 = tf.Variable(w.initialized_value() * 2.0, name="w2")
    copy = tf.Variable(w.initialized_value(), name="copy")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first, doubled, copied = sess.run([w, w2, copy])
        np.testing.assert_array_equal(doubled, 2 * first)
        np.testing.assert_array_equal(copied, first)
        sess.run(w.assign([1.0, 2.0, 3.0]))
        assert sess.run(w.initialized_value()).tolist() == [1.0, 2.0, 3.0]   # initialised: its value
    with tf.Session() as sess:        # not initialised: the initial value, and the variable still has none
        assert sess.run(w.initialized_value()).shape == (3,)
        assert not sess.run(tf.is_variable_initialized(w))

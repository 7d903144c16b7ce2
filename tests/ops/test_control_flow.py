"""tf.group, tf.cond and tf.while_loop: only the taken branch runs; loops run in one op."""
import numpy as np
import pytest

import minitf as tf


def test_cond_picks_a_branch_and_names_the_result_merge():
    x = tf.constant(2.0)
    y = tf.cond(x > 1.0, lambda: x * 10, lambda: x - 10)
    assert str(y) == 'Tensor("cond/Merge:0", shape=(), dtype=float32)'
    with tf.Session() as sess:
        assert sess.run(y) == 20.0


def test_cond_with_a_fed_predicate_and_nested_structures():
    p = tf.placeholder(tf.bool, [])
    a, b = tf.constant([1, 2]), tf.constant([3, 4])
    pair = tf.cond(p, lambda: (a, b), lambda: (b, a))
    with tf.Session() as sess:
        first = sess.run(pair, {p: True})
        second = sess.run(pair, {p: False})
    assert isinstance(pair, tuple)
    np.testing.assert_array_equal(first[0], [1, 2])
    np.testing.assert_array_equal(second[0], [3, 4])


def test_only_the_taken_branch_has_side_effects():
    v = tf.Variable(0)
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.assign_add(v, 1), lambda: tf.assign_add(v, 100))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(out, {p: True}) == 1
        assert sess.run(out, {p: True}) == 2
        assert sess.run(out, {p: False}) == 102
        assert sess.run(v) == 102


def test_the_untaken_branch_may_fail():
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [None])
    out = tf.cond(p, lambda: tf.reshape(x, [2, 2]), lambda: tf.reshape(x, [1, -1]))
    with tf.Session() as sess:
        assert sess.run(out, {p: False, x: [1.0, 2.0, 3.0]}).shape == (1, 3)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Input to reshape"):
            sess.run(out, {p: True, x: [1.0, 2.0, 3.0]})


def test_nested_conds():
    p, q = tf.placeholder(tf.bool, []), tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.cond(q, lambda: tf.constant(1), lambda: tf.constant(2)), lambda: tf.constant(3))
    with tf.Session() as sess:
        got = [sess.run(out, {p: a, q: b}) for a, b in ((True, True), (True, False), (False, True))]
    assert got == [1, 2, 3]


def test_gradients_flow_only_through_the_taken_branch():
    p = tf.placeholder(tf.bool, [])
    w = tf.Variable([1.0, 2.0])
    out = tf.cond(p, lambda: tf.reduce_sum(w * w), lambda: tf.reduce_sum(3 * w))
    grad, = tf.gradients(out, w)
    x = tf.constant(2.0)
    both = tf.gradients([tf.cond(x > 1.0, lambda: x * 10, lambda: x - 10),
                         tf.cond(x < 1.0, lambda: x * 10, lambda: x * x)], x)
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(grad, {p: True}), [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(grad, {p: False}), [3.0, 3.0])
        assert sess.run(both) == [14.0]


def test_while_loop_counts_and_keeps_structure():
    i = tf.constant(0)
    r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    assert str(r) == 'Tensor("while/Exit:0", shape=(), dtype=int32)'
    a, b = tf.while_loop(lambda a, b: a < 100, lambda a, b: (a + b, a), (tf.constant(1), tf.constant(1)))
    capped = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], maximum_iterations=3)
    with tf.Session() as sess:
        assert sess.run([r, a, b, capped]) == [10, 144, 89, 3]


def test_while_loop_reads_fed_tensors_and_variables_live():
    limit = tf.placeholder(tf.int32, [])
    v = tf.Variable(0)

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, i)]):
            return i + 1

    done = tf.while_loop(lambda i: i < limit, body, [tf.constant(0)])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(done, {limit: 5}) == 5
        assert sess.run(v) == 0 + 1 + 2 + 3 + 4


def test_a_loop_variable_cannot_be_fetched_outside_its_loop():
    tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    inner = tf.get_default_graph().get_tensor_by_name("while/Enter:0")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="tf.while_loop variable"):
        sess.run(inner)


def test_gradients_summed_inside_a_branch_run_only_with_that_branch():
    p = tf.placeholder(tf.bool, [])
    w = tf.Variable([1.0, 2.0])

    def used_twice():
        h = w * 3.0
        return tf.reduce_sum(h * h + h)     # h's gradient is a sum of two paths (an AddN in the branch)

    out = tf.cond(p, used_twice, lambda: tf.reduce_sum(w))
    grad, = tf.gradients(out, w)
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_allclose(sess.run(grad, {p: False}), [1.0, 1.0])
        np.testing.assert_allclose(sess.run(grad, {p: True}), [3 * (2 * 3.0 + 1), 3 * (2 * 6.0 + 1)])


def test_batch_normalization_with_a_training_placeholder_trains():
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder_with_default(False, [])
    h = tf.layers.batch_normalization(tf.layers.dense(x, 4), training=training)
    loss = tf.reduce_mean(tf.square(h - 1.0))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
    data = np.random.RandomState(0).randn(16, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: data, training: True})
        for _ in range(50):
            sess.run(step, {x: data, training: True})
        assert sess.run(loss, {x: data, training: True}) < first
        assert np.isfinite(sess.run(loss, {x: data}))


def test_a_tensor_of_the_branch_not_taken_has_no_value():
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(2.0)
    tf.cond(p, lambda: x * 3.0, lambda: x + 1.0)
    inside = tf.get_default_graph().get_tensor_by_name("cond/mul:0")
    assert [c.name for c in inside.op.control_inputs] == ["cond/switch_t"]   # the branch's entry
    with tf.Session() as sess:
        assert sess.run(inside, {p: True}) == 6.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="cond/mul:0 was not computed in this run"):
            sess.run(inside, {p: False})


def test_branches_that_return_ops_give_a_bool_tensor_as_in_tf1():
    v = tf.Variable(0)
    p = tf.placeholder(tf.bool, [])
    done = tf.cond(p, lambda: tf.assign_add(v, 1).op, lambda: tf.assign_add(v, 10).op)
    assert isinstance(done, tf.Tensor) and done.dtype == tf.bool
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(done, {p: True}) and not sess.run(done, {p: False})
        assert sess.run(v) == 11


def test_variables_wait_for_no_control_dependency_as_in_tf1():
    x = tf.constant(1.0)
    with tf.control_dependencies([x]):
        w = tf.Variable(2.0)
        y = w * 2.0
    assert [op.control_inputs for op in (w.op, w.initializer, w.initial_value.op)] == [[], [], []]
    assert y.op.control_inputs == [x.op]


def test_second_derivatives_and_nested_conds():
    x = tf.placeholder(tf.float32, [])
    y = tf.cond(x > 0, lambda: x * x * x, lambda: -x)
    g = tf.gradients(y, x)[0]
    gg = tf.gradients(g, x)[0]
    p = tf.placeholder(tf.bool, [])
    v = tf.Variable(1.0)
    z = tf.cond(p, lambda: tf.cond(x > 1, lambda: v * x, lambda: v + x), lambda: v * 0.0)
    dv, dx = tf.gradients(z, [v, x])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([y, g, gg], {x: 2.0}) == [8.0, 12.0, 12.0]
        assert sess.run([y, g, gg], {x: -2.0}) == [2.0, -1.0, 0.0]
        assert [sess.run([dv, dx], {p: True, x: a}) for a in (3.0, 0.5)] == [[3.0, 1.0], [1.0, 1.0]]
        assert sess.run([dv, dx], {p: False, x: 3.0}) == [0.0, 0.0]


def test_a_cond_inside_a_loop_body():
    r = tf.while_loop(lambda i: i < 10, lambda i: tf.cond(i < 5, lambda: i + 1, lambda: i + 2), [tf.constant(0)])
    with tf.Session() as sess:
        assert sess.run(r) == 11

"""Session.run: fetch structures, feeds, one value per run, plan caching (minitf/session.py).

The error rows of API_SURFACE §14 (unfed placeholders, bad feed shapes, closed sessions...) are
in test_errors.py; this file covers what a run returns and how the execution plan is reused.
"""
import collections

import numpy as np
import pytest

import minitf as tf
from minitf import session as session_module


# ---- fetch structures ---------------------------------------------------------------------------
def test_fetch_structures_keep_their_container_types():
    a, b = tf.constant(1.0), tf.constant(2)
    Pair = collections.namedtuple("Pair", "x y")
    with tf.Session() as sess:
        assert sess.run([a, b]) == [1.0, 2]
        out = sess.run((a, [b, {"k": a}]))
        assert isinstance(out, tuple) and isinstance(out[1], list) and out[1][1] == {"k": 1.0}
        pair = sess.run(Pair(x=a, y=b))
        assert isinstance(pair, Pair) and pair.x == 1.0 and pair.y == 2
        ordered = sess.run(collections.OrderedDict([("second", b), ("first", a)]))
        assert isinstance(ordered, collections.OrderedDict) and list(ordered) == ["second", "first"]


def test_return_types_are_numpy_like_tf1():
    f, i = tf.constant(1.5), tf.constant([1, 2])
    s, flag = tf.constant("hi"), tf.constant(True)
    with tf.Session() as sess:
        fv, iv, sv, bv, none = sess.run([f, i, s, flag, tf.no_op()])
    assert type(fv) is np.float32 and fv == 1.5
    assert type(iv) is np.ndarray and iv.dtype == np.int32 and iv.tolist() == [1, 2]
    assert sv == b"hi" and type(bv) is np.bool_ and none is None


def test_fetch_by_name_and_duplicate_fetches():
    c = tf.constant(2.5, name="c")
    total = tf.add(c, c, name="total")
    with tf.Session() as sess:
        assert sess.run(["c:0", total, c]) == [2.5, 5.0, 2.5]
        assert sess.run("total:0") == 5.0
        assert sess.run("total") is None   # an op name fetches the Operation


def test_every_tensor_is_computed_once_per_run():
    noise = tf.random_uniform([3])
    with tf.Session() as sess:
        x, y = sess.run((noise + 1, noise + 2))
        np.testing.assert_allclose(y - x, 1.0, rtol=1e-6)
        assert not np.array_equal(sess.run(noise), sess.run(noise))   # new draws each run


def test_fetched_variables_and_constants_are_copies():
    v = tf.Variable([1.0, 2.0])
    c = tf.constant([3.0, 4.0])
    view = tf.reshape(v, [2, 1])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_v, got_c, got_view = sess.run([v, c, view])
        got_v[0] = got_c[0] = got_view[0, 0] = 100.0
        assert sess.run(v).tolist() == [1.0, 2.0] and sess.run(c).tolist() == [3.0, 4.0]
        before = sess.run(v)
        sess.run(tf.assign_add(v, [1.0, 1.0]))
        assert before.tolist() == [1.0, 2.0]   # a fetched value does not change with the variable


@pytest.mark.parametrize("view", [lambda v: tf.transpose(v), lambda v: tf.broadcast_to(v, [2, 2]),
                                  lambda v: tf.unstack(v)[0], lambda v: tf.split(v, 2)[1], lambda v: v[0]])
def test_views_of_a_variable_are_copied_when_fetched(view):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    fetch = view(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess.run(fetch)
        expected = before.copy()
        sess.run(tf.assign_add(v, tf.ones([2, 2])))
        np.testing.assert_array_equal(before, expected)


# ---- feeds ----------------------------------------------------------------------------------------
def test_feed_by_tensor_or_name_and_dtype_conversion():
    x = tf.placeholder(tf.int32, [None, 2], name="x")
    y = x * 2
    with tf.Session() as sess:
        assert sess.run(y, {x: [[1.7, -2.7]]}).tolist() == [[2, -4]]   # floats into int32 truncate
        assert sess.run(y, {"x:0": np.array([[3, 4]], np.int64)}).dtype == np.int32


def test_float64_feed_becomes_float32():
    x = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        out = sess.run(x * 1.0, {x: np.array([0.1, 0.2])})
    assert out.dtype == np.float32


def test_any_tensor_can_be_fed_and_cuts_the_graph_there():
    a = tf.placeholder(tf.float32)
    b = a + 1
    c = b * 2
    with tf.Session() as sess:
        assert sess.run(c, {b: 10.0}) == 20.0   # `a` is not needed, so not fed


def test_a_tensor_is_not_a_feed_value():
    x = tf.placeholder(tf.float32)
    with tf.Session() as sess, pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor"):
        sess.run(x, {x: tf.constant(1.0)})


def test_fed_arrays_are_not_modified_and_fetching_a_feed_copies_it():
    x = tf.placeholder(tf.float32, [3])
    data = np.array([1.0, 2.0, 3.0], np.float32)
    with tf.Session() as sess:
        out = sess.run(tf.identity(x), {x: data})
        out[0] = -1.0
        assert data.tolist() == [1.0, 2.0, 3.0]


# ---- plan caching ---------------------------------------------------------------------------------
def test_a_repeated_run_reuses_its_plan_without_walking_the_graph(monkeypatch):
    x = tf.placeholder(tf.float32)
    y = tf.square(x) + 1
    with tf.Session() as sess:
        assert sess.run(y, {x: 2.0}) == 5.0
        monkeypatch.setattr(session_module, "_needed_ops",
                            lambda *a: pytest.fail("the graph was walked again for the same run"))
        assert sess.run(y, {x: 3.0}) == 10.0
        assert sess.run(y, feed_dict={x: 4.0}) == 17.0


def test_a_different_feed_set_makes_a_different_plan():
    x = tf.placeholder(tf.float32)
    y = x + 1
    z = y * 3
    with tf.Session() as sess:
        assert sess.run(z, {x: 1.0}) == 6.0
        assert sess.run(z, {y: 1.0}) == 3.0   # same fetch, other feed key: y is not recomputed
        assert sess.run(z, {x: 2.0}) == 9.0


def test_ops_added_after_a_run_can_be_fetched():
    a = tf.constant(2.0)
    with tf.Session() as sess:
        assert sess.run(a) == 2.0
        b = a * 5
        assert sess.run([a, b]) == [2.0, 10.0]


def test_run_a_list_of_ops_updates_variables_in_order_of_dependencies():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(inc.op)
        assert sess.run(v) == 3.0


def test_interactive_session_and_eval_use_the_same_plans():
    sess = tf.InteractiveSession()
    try:
        x = tf.placeholder(tf.float32)
        y = x * x
        assert y.eval({x: 3.0}) == 9.0
        assert y.eval(feed_dict={x: 4.0}) == 16.0
        assert tf.get_default_session() is sess
    finally:
        sess.close()
    assert tf.get_default_session() is None


def test_tf1_session_options_are_accepted():
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    config.gpu_options.allow_growth = True
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    with tf.Session(config=config) as sess:
        assert sess.run(tf.constant(2) * 3, options=options, run_metadata=tf.RunMetadata()) == 6


def test_kernels_do_not_warn_like_tf1(recwarn):
    x = tf.constant([0.0, 1.0])
    with tf.Session() as sess:
        log, ratio = sess.run([tf.log(x), x / x])
    assert log[0] == -np.inf and np.isnan(ratio[0])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# ---- tracing a run: TF1's RunOptions / RunMetadata step stats, plus the values -------------------
def test_a_traced_run_lists_every_op_it_ran_in_order_with_its_outputs():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    y = tf.matmul(x, w, name="y")
    unused = tf.square(y, name="unused")  # noqa: F841  (not fetched: not run)
    metadata = tf.RunMetadata()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    with tf.Session() as sess:
        sess.run(w.initializer)
        result = sess.run(y, {x: [[1.0, 1.0], [2.0, 0.0]]}, options=options, run_metadata=metadata)
    nodes = metadata.step_stats.dev_stats[0].node_stats
    assert [n.node_name for n in nodes] == ["w", "w/read", "y"] == [op.name for op in
                                                                     session_module.ops_to_run(y, {x: 0})]
    last = nodes[-1]
    assert last.timeline_label == "y = MatMul(x, w/read)"
    assert last.all_start_micros > 1e15 and 0 <= last.op_start_rel_micros <= last.op_end_rel_micros
    assert last.op_end_rel_micros == last.all_end_rel_micros
    out, = last.output
    assert (out.slot, out.tensor_description.dtype) == (0, tf.float32.as_datatype_enum)
    assert [d.size for d in out.tensor_description.shape.dim] == [2, 1]
    np.testing.assert_array_equal(out.value, result)


def test_traced_values_are_copies_taken_when_each_op_ran():
    v = tf.Variable(1.0, name="v")
    bump = tf.assign(v, v + 1, name="bump")
    metadata = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(bump, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=metadata)
        assert sess.run(v) == 2.0
    values = {n.node_name: [o.value for o in n.output] for n in metadata.step_stats.dev_stats[0].node_stats}
    assert values["v/read"] == [1.0] and values["bump"] == [2.0]   # the read before the Assign: the old value


def test_untraced_runs_and_skipped_branches_leave_no_stats():
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.constant(1.0, name="yes"), lambda: tf.constant(2.0, name="no"))
    metadata = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(out, {p: True}, run_metadata=metadata)                      # no options: not traced
        assert metadata.step_stats.dev_stats == []
        sess.run(out, {p: False}, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                 run_metadata=metadata)
    names = [n.node_name for n in metadata.step_stats.dev_stats[0].node_stats]
    assert "cond/no" in names and "cond/yes" not in names and "cond/switch_t" not in names


# ---- a kernel that fails raises one of tf.errors, naming the op ------------------------------------
def test_a_failing_kernel_raises_invalid_argument_naming_the_op_and_shapes():
    a = tf.placeholder(tf.float32, None, name="a")
    b = tf.placeholder(tf.float32, None, name="b")
    total = tf.add(a, b, name="total")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(total, {a: [1.0, 2.0], b: [1.0, 2.0, 3.0]})
    assert info.value.op is total.op and info.value.node_def.name == "total"
    assert "[[node total (AddV2) with input shapes: [2], [3]]]" in str(info.value)
    assert str(info.value).startswith("Incompatible shapes: [2] vs. [3]\n")   # TF1's kernel message


def test_py_func_errors_become_tf_errors_as_in_tf1():
    def fails(kind):
        def f(x):
            raise kind("boom")
        return f

    x = tf.constant(1.0)
    cases = {KeyError: tf.errors.UnknownError, ValueError: tf.errors.InvalidArgumentError,
             StopIteration: tf.errors.OutOfRangeError, NotImplementedError: tf.errors.UnimplementedError}
    with tf.Session() as sess:
        for python_error, tf_error in cases.items():
            y = tf.py_func(fails(python_error), [x], tf.float32)
            with pytest.raises(tf_error, match=f"^{python_error.__name__}: .*boom") as info:
                sess.run(y)
            assert info.value.op is y.op


# ---- work a plan does once: shape-only subgraphs, im2col shared in a run ----------------------------
def _counting_op(calls: list):
    """A pure op (its kernel is its forward) that counts how often it computes."""
    from minitf.ops.base import Op, apply_op

    class CountingIdentity(Op):
        type = "CountingIdentityForTest"
        gradient = None

        def forward(self, x):
            calls.append(1)
            return x + 0

    return lambda x: apply_op(CountingIdentity(), (x,), "CountingIdentity", arg_names=("input",))


def test_ops_computed_from_shapes_alone_run_once_per_fed_shape():
    calls = []
    counting = _counting_op(calls)
    x = tf.placeholder(tf.float32, [None, 3])
    n = counting(tf.shape(x)[0])            # depends on the batch size only
    total = tf.reduce_sum(x) + tf.cast(n, tf.float32)
    with tf.Session() as sess:
        results = [sess.run(total, {x: np.ones((rows, 3), np.float32)}) for rows in (2, 2, 2, 5, 5, 2)]
    assert results == [8.0, 8.0, 8.0, 20.0, 20.0, 8.0]
    assert len(calls) == 3                  # batch sizes 2, 5, 2: computed when the shape changed


def test_ops_with_state_or_effects_run_every_time_even_on_shapes():
    seen = []
    x = tf.placeholder(tf.float32, [None])
    shape_seen = tf.py_func(lambda s: seen.append(int(s[0])) or s, [tf.shape(x)], tf.int32)
    noise = tf.random_uniform(tf.shape(x), seed=1)
    with tf.Session() as sess:
        draws = [sess.run([shape_seen, noise], {x: np.zeros(4, np.float32)})[1] for _ in range(3)]
    assert seen == [4, 4, 4]
    assert not np.array_equal(draws[0], draws[1])


def test_gradients_of_a_question_mark_batch_stay_right_when_the_batch_size_changes():
    x = tf.placeholder(tf.float32, [None, 2])
    b = tf.Variable([1.0, 2.0])
    loss = tf.reduce_mean(tf.square(x + b))
    grad = tf.gradients(loss, b)[0]
    with tf.Session() as sess:
        sess.run(b.initializer)
        for rows in (1, 3, 1, 4):
            data = np.arange(rows * 2, dtype=np.float32).reshape(rows, 2)
            expected = (2 * (data + [1.0, 2.0])).sum(axis=0) / (rows * 2)
            np.testing.assert_allclose(sess.run(grad, {x: data}), expected, rtol=1e-6)


def test_fetched_shapes_are_the_callers_to_change():
    x = tf.placeholder(tf.float32, [None, 3])
    s = tf.shape(x)
    with tf.Session() as sess:
        first = sess.run(s, {x: np.zeros((2, 3), np.float32)})
        first[0] = 99
        assert sess.run(s, {x: np.zeros((2, 3), np.float32)}).tolist() == [2, 3]

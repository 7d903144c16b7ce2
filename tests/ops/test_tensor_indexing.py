"""Indexing a tensor with tensors: ``x[t]``, ``x[:n]``, ``x[i, :, j]``, ``tf.strided_slice`` of tensors.

TF1 builds such a key as a StridedSlice whose begin, end and strides are inputs (``strided_slice/stack``,
``stack_1``, ``stack_2``), read when the graph runs; minitf's DynamicStridedSlice.  Every expected name,
static shape, value and message below is what TensorFlow 1.15.5 printed for the same code.
tests/data/tensor_indexing/ holds a graph TensorFlow 1.15 wrote with such slices and their gradient
(make_tensor_indexing.py there wrote it).
"""
import importlib.util
import json
import pathlib

import numpy as np
import pytest

import minitf as tf
from minitf.ops.array_ops import DynamicStridedSlice, DynamicStridedSliceGrad, StridedSlice
from minitf.summary.graph_def import parse_graph_def

DATA = pathlib.Path(__file__).parents[1] / "data" / "tensor_indexing"
X = np.arange(15.0, dtype=np.float32).reshape(5, 3)


def masks(op) -> dict:
    return {name: op.get_attr(name) for name in ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                                 "shrink_axis_mask")}


@pytest.fixture
def x_t_n():
    return (tf.placeholder(tf.float32, [5, 3], name="x"), tf.placeholder(tf.int32, [], name="t"),
            tf.placeholder(tf.int32, name="n"))


def test_a_tensor_index_packs_begin_end_and_strides_as_tf1_does(x_t_n):
    x, t, n = x_t_n
    row = x[t]
    assert row.name == "strided_slice:0" and str(row.shape) == "(3,)"
    assert [i.name for i in row.op.inputs] == ["x:0", "strided_slice/stack:0", "strided_slice/stack_1:0",
                                               "strided_slice/stack_2:0"]
    assert [i.op.type for i in row.op.inputs[1:]] == ["Pack", "Pack", "Const"]
    assert row.op.inputs[2].op.inputs[0].name == "add:0"          # t + 1, built before the scope
    assert isinstance(row.op.kind, DynamicStridedSlice)
    assert masks(row.op) == dict(begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=1)
    assert row.op.get_attr("Index") == tf.int32 and row.op.get_attr("T") == tf.float32
    head = x[:n]
    assert [i.op.type for i in head.op.inputs[1:]] == ["Const", "Pack", "Const"]
    assert masks(head.op)["begin_mask"] == 1
    column = x[:, t]   # Python ints among tensors become Consts named by their place
    assert [i.name for i in column.op.inputs[1].op.inputs] == ["strided_slice_2/stack/0:0", "t:0"]
    assert masks(column.op) == dict(begin_mask=1, end_mask=1, ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=2)
    new = x[tf.newaxis, t, 1:]
    assert masks(new.op) == dict(begin_mask=0, end_mask=4, ellipsis_mask=0, new_axis_mask=1, shrink_axis_mask=2)
    assert masks(x[..., t].op)["ellipsis_mask"] == 1
    assert isinstance(x[1, :2].op.kind, StridedSlice)   # Python ints keep the indices as attrs


def test_static_shapes_known_where_tf1_knows_them(x_t_n):
    x, t, n = x_t_n
    xx = tf.placeholder(tf.float32, [4, 5, 6])
    shapes = [x[t], x[:n], x[t:t + 2], x[:, t], x[-t], x[..., t], x[tf.newaxis, t, 1:], x[t, 2],
              xx[t, :, n], xx[t, ..., n], xx[t:, ::2], xx[::t], xx[:, 1:t], x[tf.constant(-1):], x[tf.constant(1)]]
    assert [str(s.shape) for s in shapes] == ["(3,)", "(?, 3)", "(?, 3)", "(5,)", "(3,)", "(5,)", "(1, ?)", "()",
                                              "(5,)", "(5,)", "(?, 3, 6)", "<unknown>", "(4, ?, 6)", "(1, 3)", "(3,)"]


def test_values_with_negative_int64_and_mixed_tensor_indices(x_t_n):
    x, t, n = x_t_n
    t64 = tf.placeholder(tf.int64, [])
    xx = tf.placeholder(tf.float32, [4, 5, 6])
    xxv = np.arange(120.0, dtype=np.float32).reshape(4, 5, 6)
    wide = x[t64:3]
    assert [(i.name, i.op.type) for i in wide.op.inputs[1:]] == [
        ("strided_slice/stack:0", "Pack"), ("strided_slice/Cast:0", "Cast"), ("strided_slice/Cast_1:0", "Cast")]
    assert x[t64].op.get_attr("Index") == tf.int64 and str(x[t64].shape) == "(3,)"
    with tf.Session() as sess:
        feed = {x: X, t: -2, n: 3, t64: -2, xx: xxv}
        got = sess.run([x[t], x[:n], x[t:t + 2], x[-t], x[t64], wide, x[t:, ::-1], x[::-n], xx[t, :, n]], feed)
    np.testing.assert_array_equal(got[0], [9.0, 10.0, 11.0])
    np.testing.assert_array_equal(got[1], X[:3])
    assert got[2].shape == (0, 3)                                   # x[-2:0] is empty, as in numpy
    np.testing.assert_array_equal(got[3], [6.0, 7.0, 8.0])
    np.testing.assert_array_equal(got[4], [9.0, 10.0, 11.0])
    np.testing.assert_array_equal(got[5], X[3:3])
    np.testing.assert_array_equal(got[6], [[11.0, 10.0, 9.0], [14.0, 13.0, 12.0]])   # TF 1.15's x[-2:, ::-1]
    np.testing.assert_array_equal(got[7], [[12.0, 13.0, 14.0], [3.0, 4.0, 5.0]])
    np.testing.assert_array_equal(got[8], [63.0, 69.0, 75.0, 81.0, 87.0])   # xx[-2, :, 3]


def test_tf_strided_slice_with_tensor_bounds():
    """TF 1.15: direct (?, ?), masked (?, 2), constant begin with a tensor end (?, 3); strides default
    to tf.ones_like(begin), a Fill TF1 folds."""
    x = tf.placeholder(tf.float32, [5, 3], name="x")
    b = tf.placeholder(tf.int32, [2], name="b")
    e = tf.placeholder(tf.int32, [2], name="e")
    direct = tf.strided_slice(x, b, e, name="direct")
    masked = tf.strided_slice(x, b, e, [1, 2], begin_mask=2, end_mask=2)
    assert [i.name for i in masked.op.inputs] == ["x:0", "b:0", "e:0", "StridedSlice/strides:0"]
    assert direct.op.inputs[3].op.type == "Fill" and direct.op.inputs[3].name == "ones_like:0"
    shapes = [direct.shape, masked.shape, tf.strided_slice(x, [1], e[:1]).shape,
              tf.strided_slice(x, tf.placeholder(tf.int32), [1]).shape]
    assert [str(s) for s in shapes] == ["(?, ?)", "(?, 2)", "(?, 3)", "<unknown>"]
    with tf.Session() as sess:
        got = sess.run([direct, masked], {x: X, b: [1, 0], e: [4, 2]})
    np.testing.assert_array_equal(got[0], [[3.0, 4.0], [6.0, 7.0], [9.0, 10.0]])
    np.testing.assert_array_equal(got[1], [[3.0, 5.0], [6.0, 8.0], [9.0, 11.0]])


def test_gradient_is_strided_slice_grad_of_the_same_inputs(x_t_n):
    x, t, _ = x_t_n
    y = x[t] * 2.0
    (g,) = tf.gradients(y, x)
    assert g.name == "gradients/strided_slice_grad/StridedSliceGrad:0" and str(g.shape) == "(5, 3)"
    assert isinstance(g.op.kind, DynamicStridedSliceGrad)
    assert [i.name for i in g.op.inputs[1:4]] == [i.name for i in y.op.inputs[0].op.inputs[1:]]
    with tf.Session() as sess:
        got = sess.run(g, {x: X, t: -5})
    np.testing.assert_array_equal(got, [[2.0] * 3] + [[0.0] * 3] * 4)


def test_mixed_key_gradient():
    """TF 1.15 for xx[t, :, j] with t = -1, j = 2: the row and sum(d sum(m*m) / d xx) = 1040."""
    xx = tf.placeholder(tf.float32, [4, 5, 6])
    t, j = tf.placeholder(tf.int32, []), tf.placeholder(tf.int32, [])
    m = xx[t, :, j]
    (g,) = tf.gradients(tf.reduce_sum(m * m), xx)
    with tf.Session() as sess:
        row, total = sess.run([m, tf.reduce_sum(g)], {xx: np.arange(120.0).reshape(4, 5, 6), t: -1, j: 2})
    np.testing.assert_array_equal(row, [92.0, 98.0, 104.0, 110.0, 116.0])
    assert total == 1040.0


def test_indexing_with_the_loop_counter_of_a_while_loop():
    """sum over rows i of v[i] . v[i], and its gradient 2 v: TF 1.15 printed 506.0 and 2 v."""
    v = tf.Variable(np.arange(12.0).reshape(4, 3), dtype=tf.float32, name="v")

    def body(i, acc):
        return i + 1, acc + tf.reduce_sum(v[i] * v[i])

    _, total = tf.while_loop(lambda i, acc: i < 4, body, [tf.constant(0), tf.constant(0.0)])
    (dv,) = tf.gradients(total, v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_total, got_dv = sess.run([total, dv])
    assert got_total == 506.0
    np.testing.assert_array_equal(got_dv, 2 * np.arange(12.0).reshape(4, 3))


def test_run_time_errors_are_tf1s(x_t_n):
    x, t, _ = x_t_n
    b, e = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int32, [None])
    with tf.Session() as sess:
        for bad, message in ((7, "slice index 7 of dimension 0 out of bounds."),
                             (-6, "slice index -1 of dimension 0 out of bounds.")):
            with pytest.raises(tf.errors.InvalidArgumentError, match=f"^{message}") as info:
                sess.run(x[t], {x: X, t: bad})
            assert info.value.op.name == f"strided_slice{'_1' if bad < 0 else ''}"
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^strides\[0\] must be non-zero"):
            sess.run(x[::t], {x: X, t: 0})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^Expected begin, end, and strides to be 1D equal size tensors, but got "
                                 r"shapes \[2\], \[1\], and \[2\] instead\."):
            sess.run(tf.strided_slice(x, b, e), {x: X, b: [0, 0], e: [1]})


def test_errors_while_building_are_tf1s(x_t_n):
    x, t, _ = x_t_n
    with pytest.raises(ValueError, match=r"^slice index 7 of dimension 0 out of bounds\. for .*input\[1\] = <7>, "
                                         r"input\[2\] = <8>, input\[3\] = <1>\.$"):
        x[tf.constant(7)]
    with pytest.raises(ValueError, match="^Index out of range using input dim 2; input has only 2 dims for "):
        x[:, :, t]
    with pytest.raises(ValueError, match=r"^Dimension 0 in both shapes must be equal, but are 2 and 1\. "
                                         r"Shapes are \[2\] and \[1\]\. for "):
        tf.strided_slice(x, tf.placeholder(tf.int32, [2]), tf.placeholder(tf.int32, [1]))
    with pytest.raises(ValueError, match=r"^Shape must be rank 1 but is rank 3 for .* with input shapes: "
                                         r"\[5,3\], \[1,1,1\], \[1,1,1\], \[1\]\.$"):
        x[tf.constant([[1]])]
    only = "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 " \
           "tensors are valid indices, got "
    for bad in (tf.constant(1.0), tf.constant([1, 2]), 1.5):
        with pytest.raises(TypeError) as info:
            x[bad]
        assert str(info.value) == only + repr(bad)
    with pytest.raises(TypeError, match="^Input 'end' of 'StridedSlice' Op has type int64 that does not match "
                                        "type int32 of argument 'begin'.$"):
        tf.strided_slice(x, tf.constant([0]), tf.constant([1], tf.int64))
    with pytest.raises(TypeError, match="^Value passed to parameter 'begin' has DataType float32 not in list of "
                                        "allowed values: int32, int64$"):
        tf.strided_slice(x, tf.constant([0.5]), [1])


def test_shape_of_a_tensor_index_in_a_reshape(x_t_n):
    """tf.shape(x)[t] is a dim known only when the graph runs: TF 1.15 says (?, ?); with a constant, (5, 3)."""
    x, t, _ = x_t_n
    assert str(tf.reshape(x, [tf.shape(x)[t], -1]).shape) == "(?, ?)"
    assert str(tf.reshape(x, [tf.shape(x)[tf.constant(0)], -1]).shape) == "(5, 3)"


def test_autopacking_and_ones_like_are_named_as_in_tf1():
    t = tf.placeholder(tf.int32, [], name="t")
    assert tf.convert_to_tensor([t, 0]).op.inputs[1].name == "packed/1:0"
    assert tf.convert_to_tensor([t, 0], name="foo").op.inputs[1].name == "foo/1:0"
    ones = tf.ones_like(tf.placeholder(tf.int32, [2]))
    assert (ones.op.type, [(i.name, i.op.type) for i in ones.op.inputs]) == (
        "Fill", [("ones_like/Shape:0", "Const"), ("ones_like/Const:0", "Const")])
    unknown = tf.ones_like(tf.placeholder(tf.float32), dtype=tf.int32)
    assert [i.op.type for i in unknown.op.inputs] == ["Shape", "Const"] and unknown.dtype == tf.int32


# ---- graphs TensorFlow wrote -----------------------------------------------------------------------
def maker():
    """make_tensor_indexing.py (its feeds and outputs), as a module."""
    spec = importlib.util.spec_from_file_location("make_tensor_indexing", DATA / "make_tensor_indexing.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_tf_outputs(graph) -> None:
    """The imported graph computes what TensorFlow did, with the static shapes TensorFlow printed."""
    expected = np.load(DATA / "expected.npz")
    shapes = json.loads((DATA / "expected.json").read_text())["shapes"]
    make = maker()
    names = make.OUTPUTS
    with tf.Session(graph=graph) as sess:
        got = sess.run([f"{name}:0" for name in names], make.feeds())
    for name, value in zip(names, got):
        np.testing.assert_array_equal(value, expected[name], err_msg=name)
        assert str(graph.get_tensor_by_name(f"{name}:0").shape) == shapes[name], name


def test_import_a_graph_def_tensorflow_wrote():
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(parse_graph_def((DATA / "indexing.pbtxt").read_bytes()), name="")
    kinds = {type(op.kind) for op in graph.get_operations() if op.type.startswith("StridedSlice")}
    assert kinds == {DynamicStridedSlice, DynamicStridedSliceGrad}
    check_tf_outputs(graph)


def test_import_a_meta_graph_tensorflow_wrote():
    graph = tf.Graph()
    with graph.as_default():
        assert tf.train.import_meta_graph(str(DATA / "indexing.meta")) is None   # no variables: no Saver
    check_tf_outputs(graph)


def test_minitf_graph_def_round_trip_keeps_both_forms(x_t_n):
    x, t, _ = x_t_n
    outputs = [x[t], x[1:, 0], tf.gradients(tf.reduce_sum(x[t] * x[1]), x)[0]]
    definition = tf.get_default_graph().as_graph_def()
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(definition, name="")
    kinds = {op.name: type(op.kind) for op in graph.get_operations()}
    assert kinds[outputs[0].op.name] is DynamicStridedSlice and kinds[outputs[1].op.name] is StridedSlice
    with tf.Session() as sess:
        want = sess.run(outputs, {x: X, t: 3})
    with tf.Session(graph=graph) as sess:
        got = sess.run([o.name for o in outputs], {"x:0": X, "t:0": 3})
    for w, g in zip(want, got):
        np.testing.assert_array_equal(w, g)

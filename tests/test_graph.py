"""Graphs, operations and tensors: TF1's naming rules, reprs and graph API (API_SURFACE §1-3)."""
import threading

import numpy as np
import pytest

import minitf as tf


def names(tensors):
    return [t.name for t in tensors]


def test_constants_are_uniquified_with_suffixes():
    consts = [tf.constant(1.0), tf.constant(2.0), tf.constant(3.0, name="c"), tf.constant(4.0, name="c"),
              tf.constant(5.0, name="c_1")]
    assert names(consts) == ["Const:0", "Const_1:0", "c:0", "c_1:0", "c_1_1:0"]


def test_operators_and_functions_have_different_base_names():
    a, b = tf.constant(1), tf.constant(2)
    ops = [a + b, a + b, a - b, a * b, a / b, a // b, a % b, -a, a ** b]
    assert names(ops) == ["add:0", "add_1:0", "sub:0", "mul:0", "truediv:0", "floordiv:0", "mod:0",
                          "Neg:0", "pow:0"]
    f = tf.constant([[1.0]])
    functions = [tf.add(a, b), tf.subtract(a, b), tf.multiply(a, b), tf.divide(a, b), tf.matmul(f, f),
                 tf.nn.relu(f), tf.nn.softmax(f), tf.reduce_mean(f), tf.reduce_sum(f), tf.argmax(f, 1),
                 tf.equal(a, b), tf.cast(a, tf.float32), tf.log(f), tf.square(f), tf.reshape(f, [1])]
    assert names(functions) == ["Add_2:0", "Sub_1:0", "Mul_1:0", "truediv_1:0", "MatMul:0", "Relu:0",
                                "Softmax:0", "Mean:0", "Sum:0", "ArgMax:0", "Equal:0", "Cast:0", "Log:0",
                                "Square:0", "Reshape:0"]
    assert [t.op.type for t in (a + b, a - b, a * b, tf.constant(1.0) / 2.0)] == ["AddV2", "Sub", "Mul", "RealDiv"]


def test_python_operands_become_consts_inside_the_op_scope():
    a = tf.constant(1.0)
    assert (a + 1).op.inputs[1].name == "add/y:0"
    assert (2 * a).op.inputs[0].name == "mul/x:0"
    m = tf.matmul([[2.0]], [[2.0]])
    assert [t.op.name for t in m.op.inputs] == ["MatMul/a", "MatMul/b"]
    assert tf.nn.relu(1.0).op.inputs[0].name == "Relu/features:0"


def test_variable_ops_and_names():
    v = tf.Variable(1.0)
    assert v.name == "Variable:0" and v.op.name == "Variable" and v.op.type == "VariableV2"
    assert v.initializer.name == "Variable/Assign"
    assert v.value().name == "Variable/read:0"
    assert v.initial_value.name == "Variable/initial_value:0"
    assert [tf.Variable(1, name="x").name, tf.Variable(2, name="x").name] == ["x:0", "x_1:0"]


def test_name_scope_prefixes_ops_and_variables_but_not_get_variable():
    with tf.name_scope("layer1"):
        c = tf.constant(1.0)
        w = tf.Variable(1.0, name="W1")
        gv = tf.get_variable("gv", [1])
    with tf.name_scope("layer1"):
        c2 = tf.constant(1.0)
    assert [c.name, w.name, gv.name, c2.name] == ["layer1/Const:0", "layer1/W1:0", "gv:0", "layer1_1/Const:0"]


def test_variable_scope_reentry_reuses_variables_but_opens_a_new_name_scope():
    with tf.variable_scope("vs"):
        w = tf.get_variable("w", [1])
        c = tf.constant(1.0)
    with tf.variable_scope("vs", reuse=True):
        w2 = tf.get_variable("w", [1])
        c2 = tf.constant(1.0)
    assert [w.name, c.name, w2 is w, c2.name] == ["vs/w:0", "vs/Const:0", True, "vs_1/Const:0"]


def test_initializer_ops_are_named_init_init_1():
    tf.Variable(1.0)
    assert [tf.global_variables_initializer().name for _ in range(3)] == ["init", "init_1", "init_2"]


def test_creation_op_names():
    tensors = [tf.zeros([2]), tf.ones([2]), tf.fill([2], 1), tf.range(3), tf.random_uniform([2]),
               tf.random_uniform([2], -1, 1), tf.random_normal([2]), tf.truncated_normal([2]),
               tf.placeholder(tf.float32), tf.placeholder(tf.float32, name="X")]
    assert names(tensors) == ["zeros:0", "ones:0", "Fill:0", "range:0", "random_uniform/RandomUniform:0",
                              "random_uniform_1:0", "random_normal:0", "truncated_normal:0", "Placeholder:0",
                              "X:0"]


def test_reprs():
    k = tf.constant(1.0, name="k")
    assert str(k) == 'Tensor("k:0", shape=(), dtype=float32)'
    assert repr(k) == "<tf.Tensor 'k:0' shape=() dtype=float32>"
    p = tf.placeholder(tf.float32, [None, 3])
    assert str(p) == 'Tensor("Placeholder:0", shape=(?, 3), dtype=float32)'
    assert repr(p) == "<tf.Tensor 'Placeholder:0' shape=(?, 3) dtype=float32>"
    u = tf.placeholder(tf.float32)
    assert str(u) == 'Tensor("Placeholder_1:0", dtype=float32)'
    assert repr(u) == "<tf.Tensor 'Placeholder_1:0' shape=<unknown> dtype=float32>"
    v = tf.Variable([1.0, 2.0], name="vr")
    assert str(v) == repr(v) == "<tf.Variable 'vr:0' shape=(2,) dtype=float32_ref>"
    assert repr(k.op) == "<tf.Operation 'k' type=Const>"
    assert repr(tf.get_default_graph()).startswith("<minitf.graph.Graph object at 0x")


def test_node_def_text_of_a_float_constant():
    c = tf.constant(1.0, name="ops")
    text = str(c.op)
    assert text == str(c.op.node_def)
    assert 'name: "ops"' in text and 'op: "Const"' in text
    assert 'key: "dtype"' in text and "type: DT_FLOAT" in text
    assert "tensor_shape {" in text and "float_val: 1" in text


def test_node_def_lists_inputs():
    a = tf.constant(1.0)
    b = a + 1.0
    assert b.op.node_def.input == ["Const", "add/y"]
    assert 'input: "Const"' in str(b.op)


def test_operation_attributes():
    with tf.name_scope("layer1"):
        c = tf.constant(1.0)
    op = c.op
    assert (op.name, op.type, list(op.inputs), op.outputs, c.value_index) == ("layer1/Const", "Const", [], [c], 0)
    assert op.outputs[0] is c and op.graph is tf.get_default_graph()
    x = tf.placeholder(tf.float32, [2, 2])
    m = tf.matmul(x, x)
    assert m.op.inputs[0] is x


def test_default_graph_and_explicit_graphs():
    graph = tf.get_default_graph()
    assert graph.get_operations() == []
    c = tf.constant(4.0)
    assert c.graph is graph
    g = tf.Graph()
    with g.as_default():
        d = tf.constant(5.0)
        assert tf.get_default_graph() is g
    assert d.name == "Const:0" and d.graph is g
    assert [op.name for op in g.get_operations()] == ["Const"]
    with tf.Session(graph=g) as sess:
        assert sess.run(d) == 5.0 and sess.graph is g


def test_reset_default_graph_inside_a_nested_graph_raises():
    with tf.Graph().as_default():
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph\\(\\) to clear nested graphs"):
            tf.reset_default_graph()
    old = tf.get_default_graph()
    tf.reset_default_graph()
    assert tf.get_default_graph() is not old and tf.get_default_graph().get_operations() == []


def test_lookups_by_name():
    a = tf.constant(1.0, name="a")
    graph = tf.get_default_graph()
    assert graph.get_tensor_by_name("a:0") is a
    assert graph.get_operation_by_name("a") is a.op
    with pytest.raises(KeyError, match="does not exist"):
        graph.get_tensor_by_name("nope:0")
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        graph.get_tensor_by_name("a")
    with pytest.raises(ValueError, match="looks like an \\(invalid\\) Operation name, not a Tensor"):
        graph.get_tensor_by_name("nope")


def test_collections_are_copies_in_insertion_order():
    tf.add_to_collection("mine", 1)
    tf.add_to_collection("mine", 2)
    got = tf.get_collection("mine")
    got.append(3)
    assert tf.get_collection("mine") == [1, 2]
    assert tf.get_collection("nothing") == []
    assert (tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES, tf.GraphKeys.LOCAL_VARIABLES,
            tf.GraphKeys.LOSSES, tf.GraphKeys.SUMMARIES) == (
        "variables", "trainable_variables", "local_variables", "losses", "summaries")


def test_control_dependencies_order_ops():
    v = tf.Variable(0)
    inc = tf.assign_add(v, 1)
    with tf.control_dependencies([inc]):
        read = tf.identity(v)
    assert inc.op in read.op.control_inputs
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(read) == 1
        assert sess.run(read) == 2


def test_group_runs_every_input():
    a, b = tf.Variable(0), tf.Variable(0)
    both = tf.group(tf.assign(a, 1), tf.assign(b, 2))
    assert both.type == "NoOp"
    with tf.Session() as sess:
        assert sess.run(both) is None
        assert sess.run([a, b]) == [1, 2]


def test_tensors_are_not_python_bools_and_not_iterable():
    t = tf.constant([1, 2])
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError,
                       match="^using a `tf.Tensor` as a Python `bool` is not allowed in Graph execution"):
        bool(t)
    for tensor in (t, tf.placeholder(tf.float32, [None])):   # as TF 1.15: tf.unstack(t) gives the items
        with pytest.raises(TypeError, match="^iterating over `tf.Tensor` is not allowed in Graph execution"):
            first, second = tensor


def test_indexing_builds_strided_slices():
    x = tf.constant(np.arange(24).reshape(2, 3, 4))
    p = tf.placeholder(tf.float32, [None, 3])
    assert x[1].shape == (3, 4) and x[:, 1:, ::2].shape == (2, 2, 2) and x[..., 0].shape == (2, 3)
    assert p[:, 0].shape.as_list() == [None] and x[None].shape == (1, 2, 3, 4)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(x[:, 1:, ::2]), np.arange(24).reshape(2, 3, 4)[:, 1:, ::2])


# ---- threads: TF 1.15 keeps the default graph, the default session, the name scope and the
# variable scope per thread; op names, collections and control dependencies per graph -------------
def _in_threads(*targets):
    """Run each target in its own thread, at the same time; re-raise the first failure."""
    errors, start = [], threading.Barrier(len(targets))

    def run(target):
        try:
            start.wait()
            target()
        except BaseException as e:  # noqa: BLE001  (re-raised in the main thread)
            errors.append(e)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_four_threads_build_and_run_four_graphs():
    results = {}

    def build(i):
        def target():
            graph = tf.Graph()
            with graph.as_default():
                for _ in range(50):   # many ops, interleaved with the other threads' ops
                    x = tf.placeholder(tf.float32, [None, 2])
                    w = tf.Variable(tf.ones([2, 1]) * i)
                    y = tf.reduce_sum(tf.matmul(x, w))
                    grad, = tf.gradients(y, w)
                with tf.Session() as sess:
                    sess.run(tf.global_variables_initializer())
                    results[i] = sess.run([y, grad], {x: [[1.0, 2.0]]})
                assert tf.get_default_session() is None and tf.get_default_graph() is graph
        return target

    _in_threads(*[build(i) for i in range(4)])
    assert {i: float(r[0]) for i, r in results.items()} == {i: 3.0 * i for i in range(4)}


def test_a_new_thread_has_its_own_default_graph_and_session():
    g = tf.Graph()
    seen = {}

    def other():
        seen["graph"] = tf.get_default_graph()
        seen["session"] = tf.get_default_session()
        tf.reset_default_graph()          # resets this thread's global graph only
        seen["after_reset"] = tf.get_default_graph()

    main_global = tf.get_default_graph()
    with g.as_default(), tf.Session(graph=g):
        _in_threads(other)
    assert seen["graph"] is not g and seen["graph"] is not main_global and seen["session"] is None
    assert seen["after_reset"] is not seen["graph"] and tf.get_default_graph() is main_global


def test_two_threads_name_and_variable_scopes_stay_apart():
    g = tf.Graph()
    inside, entered, done = {}, threading.Event(), threading.Event()

    def scoped():
        with g.as_default(), tf.name_scope("A"), tf.variable_scope("vs"):
            entered.set()
            done.wait(5)
            inside["const"] = tf.constant(1.0).op.name
            inside["var"] = tf.get_variable("w", [1]).op.name

    def plain():
        entered.wait(5)
        with g.as_default():
            inside["other_const"] = tf.constant(1.0).op.name
            inside["other_scope"] = (g.get_name_scope(), tf.get_variable_scope().name)
            inside["other_var"] = tf.get_variable("w", [1]).op.name
        done.set()

    _in_threads(scoped, plain)
    assert inside == {"other_const": "Const", "other_scope": ("", ""), "other_var": "w",
                      "const": "A/vs/Const", "var": "vs/w"}


def test_control_dependencies_belong_to_the_graph_as_in_tf_1_15():
    g = tf.Graph()
    got = []

    def other():
        with g.as_default():
            got.extend(c.name for c in tf.constant(2.0).op.control_inputs)

    with g.as_default():
        first = tf.constant(1.0, name="first")
        with g.control_dependencies([first]):
            _in_threads(other)
    assert got == ["first"]


def test_register_tensor_conversion_function_as_in_tf1():
    class Meters:
        def __init__(self, value):
            self.value = value

    tf.register_tensor_conversion_function(
        Meters, lambda m, dtype=None, name=None, as_ref=False: tf.constant(m.value, dtype=dtype, name=name))
    total = tf.add(Meters(2.0), 1.0)
    packed = tf.convert_to_tensor([tf.constant(1), 2])            # a list holding tensors is packed
    assert total.op.inputs[0].op.type == "Const" and packed.op.type == "Pack" and packed.op.name == "packed"
    with tf.Session() as sess:
        assert sess.run(total) == 3.0 and sess.run(packed).tolist() == [1, 2]

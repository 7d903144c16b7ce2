"""tf.function (minitf/v2/function.py): a traced TF1 graph per input signature, run through a Session."""
import sys

import numpy as np
import pytest

import minitf as tf1
from v2_fixtures import tf  # noqa: F401  (the fixture)


def test_the_seed_function(tf):
    @tf.function
    def square(a):
        return tf.matmul(a, a)

    assert str(square(tf.constant([[2.]]))) == "tf.Tensor([[4.]], shape=(1, 1), dtype=float32)"
    assert square(tf.constant([[3.]])).numpy().tolist() == [[9.]]
    assert square.experimental_get_tracing_count() == 1


def test_the_traced_graph_is_a_tf1_graph(tf):
    @tf.function
    def f(x):
        return x * 2

    graph = f.get_concrete_function(tf.constant(1.)).graph
    assert isinstance(graph, tf1.Graph) and repr(graph).startswith("FuncGraph(name=f, id=")
    assert [(op.name, op.type) for op in graph.get_operations()] == [("x", "Placeholder"), ("mul/y", "Const"),
                                                                     ("mul", "Mul")]
    concrete = f.get_concrete_function(tf.constant(1.))
    assert str(concrete.inputs[0]) == 'Tensor("x:0", shape=(), dtype=float32)'
    assert str(concrete.structured_outputs) == 'Tensor("mul:0", shape=(), dtype=float32)'


def test_one_trace_per_signature(tf):
    traces = []

    @tf.function
    def f(x, n):
        traces.append(1)
        return x * n

    f(tf.constant(1.), 2)
    f(tf.constant(5.), 2)                 # same dtype, shape and Python value: no new trace
    f(tf.constant([1., 2.]), 2)           # new shape
    f(tf.constant(1.), 3)                 # new Python value
    f(tf.constant(1, tf.int32), 2)        # new dtype
    assert len(traces) == f.experimental_get_tracing_count() == 4
    assert f(tf.constant([1., 2.]), 2).numpy().tolist() == [2., 4.] and len(traces) == 4


def test_input_signature_traces_once_for_every_batch_size(tf):
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def total(x):
        return tf.reduce_sum(x, 1)

    assert total(np.ones((3, 2))).numpy().tolist() == [2., 2., 2.]
    assert total(tf.ones([1, 2])).numpy().tolist() == [2.]
    assert total.experimental_get_tracing_count() == 1
    assert str(total.get_concrete_function().inputs[0].shape) == "(?, 2)"
    with pytest.raises(ValueError, match="incompatible with input_signature"):
        total(tf.ones([1, 3]))


def test_variables_are_captured_and_updated_in_place(tf):
    v = tf.Variable(1.0, name="counter")

    @tf.function
    def step(x):
        v.assign_add(x)              # runs although nothing returned depends on it
        return x * 2

    assert step(tf.constant(2.)).numpy() == 4.0 and v.numpy() == 3.0
    step(tf.constant(2.))
    assert v.numpy() == 5.0
    ops = {op.name: op.type for op in step.get_concrete_function(tf.constant(0.)).graph.get_operations()}
    assert ops["counter"] == "VariableV2" and ops["AssignAdd"] == "AssignAdd"


def test_reads_after_an_update_see_it(tf):
    v = tf.Variable(1.0)

    @tf.function
    def bump():
        v.assign_add(1.0)
        return v.read_value() * 10

    assert bump().numpy() == 20.0 and bump().numpy() == 30.0


def test_eager_values_from_outside_become_constants(tf):
    c = tf.constant(5.)

    @tf.function
    def g(x):
        return x + c

    assert g(tf.constant(1.)).numpy() == 6.0
    types = [op.type for op in g.get_concrete_function(tf.constant(1.)).graph.get_operations()]
    assert types == ["Placeholder", "Const", "AddV2"]


def test_structures_in_and_out(tf):
    @tf.function
    def f(pair, scale=2.0):
        a, b = pair
        return {"sum": (a + b) * scale, "n": 3, "none": None}

    out = f((tf.constant(1.), tf.constant(2.)))
    assert out["sum"].numpy() == 6.0 and out["n"] == 3 and out["none"] is None


def test_methods_and_nested_functions(tf):
    class Scaler:
        def __init__(self, k):
            self.k = tf.Variable(k)

        @tf.function
        def __call__(self, x):
            return inner(x) * self.k

    inner = tf.function(lambda x: x + 1.0)
    a, b = Scaler(2.0), Scaler(3.0)
    assert a(tf.constant(1.)).numpy() == 4.0 and b(tf.constant(1.)).numpy() == 6.0
    graph = a.__call__.get_concrete_function(tf.constant(1.)).graph
    assert "add" in [op.name for op in graph.get_operations()]    # the inner function's ops are inlined


def test_executing_eagerly_is_false_while_tracing(tf):
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        with tf.init_scope():
            seen.append(tf.executing_eagerly())
        return x

    f(tf.constant(1.))
    assert seen == [False, True]


def test_tf_gradients_inside_a_function(tf):
    @tf.function
    def slope(x):
        return tf.gradients(x * x * x, x)[0]

    assert slope(tf.constant(2.)).numpy() == 12.0
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager execution is enabled"):
        tf.gradients(tf.constant(1.), tf.constant(1.))


def test_the_graph_widget_draws_a_function(tf):
    svg = pytest.importorskip("minitf.widgets").graph_svg

    @tf.function
    def layer(x):
        return tf.nn.relu(tf.matmul(x, tf.ones([2, 3])))

    drawing = svg(layer.get_concrete_function(tf.TensorSpec([None, 2])).graph)
    assert drawing.startswith("<svg") and "MatMul" in drawing and "Relu" in drawing


def test_cond_and_while_loop_eagerly_and_traced(tf):
    def collatz_steps(n):
        return tf.while_loop(lambda n, steps: n > 1,
                             lambda n, steps: (tf.cond(n % 2 == 0, lambda: n // 2, lambda: 3 * n + 1), steps + 1),
                             (n, tf.constant(0)))[1]

    assert int(collatz_steps(tf.constant(6))) == 8
    assert int(tf.function(collatz_steps)(tf.constant(6))) == 8
    assert tf.cond(tf.constant(False), lambda: 1, lambda: 2) == 2


def test_tf_print_eagerly_and_in_a_function(tf, capsys):
    tf.print("value:", tf.constant([1, 2]))
    assert capsys.readouterr().err == "value: [1 2]\n"      # TensorFlow's default stream is stderr
    tf.print("value:", tf.constant([1.5, 2.0]), output_stream=sys.stdout)
    assert capsys.readouterr().out == "value: [1.5 2]\n"   # written as TF's kernels write it, not numpy

    @tf.function
    def noisy(x):
        tf.print("x is", x, sep="=", output_stream=sys.stdout)
        return x + 1

    assert noisy(tf.constant(1)).numpy() == 2 and noisy(tf.constant(5)).numpy() == 6
    assert capsys.readouterr().out == "x is=1\nx is=5\n"        # printed by each run, not by the tracing

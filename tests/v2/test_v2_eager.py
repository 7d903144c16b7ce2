"""minitf.v2's eager execution: EagerTensors, the eager context, tf.Variable (minitf/v2/eager.py, variables.py).

Importing minitf.v2 turns eager execution on for the whole process, as ``import tensorflow``
does in TF2; the ``tf`` fixture (tests/v2/v2_fixtures.py) turns it off again after each test,
so the TF1 tests that run later in the same process see graphs and sessions.
"""
import os
import subprocess
import sys
import weakref
from pathlib import Path

import numpy as np
import pytest

import minitf as tf1
from minitf.errors import InvalidArgumentError
from v2_fixtures import tf  # noqa: F401  (the fixture)

TESTS = Path(__file__).resolve().parents[1]


# ---- printing: what TensorFlow 2 prints ----------------------------------------------------------
@pytest.mark.parametrize("make, text", [
    (lambda tf: tf.matmul([[2.]], [[2.]]), "tf.Tensor([[4.]], shape=(1, 1), dtype=float32)"),
    (lambda tf: tf.constant(3), "tf.Tensor(3, shape=(), dtype=int32)"),
    (lambda tf: tf.constant(0.1), "tf.Tensor(0.1, shape=(), dtype=float32)"),
    (lambda tf: tf.constant("hi"), "tf.Tensor(b'hi', shape=(), dtype=string)"),
    (lambda tf: tf.constant([True, False]), "tf.Tensor([ True False], shape=(2,), dtype=bool)"),
    (lambda tf: tf.constant([[1., 2.], [3., 4.]]), "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"),
    (lambda tf: tf.range(5), "tf.Tensor([0 1 2 3 4], shape=(5,), dtype=int32)"),
    (lambda tf: tf.zeros([2, 0]), "tf.Tensor([], shape=(2, 0), dtype=float32)"),
])
def test_str_is_what_tf2_prints(tf, make, text):
    assert str(make(tf)) == text


@pytest.mark.parametrize("make, text", [
    (lambda tf: tf.constant(0.1), "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000000149011612>"),
    (lambda tf: tf.constant(7), "<tf.Tensor: shape=(), dtype=int32, numpy=7>"),
    (lambda tf: tf.constant([0.1, 0.2]), "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.1, 0.2], "
                                         "dtype=float32)>"),
    (lambda tf: tf.constant([[1., 2.], [3., 4.]]), "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\n"
                                                   "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"),
    (lambda tf: tf.Variable(5, name="x"), "<tf.Variable 'x:0' shape=() dtype=int32, numpy=5>"),
    (lambda tf: tf.Variable([[1., 2.]], name="w"),
     "<tf.Variable 'w:0' shape=(1, 2) dtype=float32, numpy=array([[1., 2.]], dtype=float32)>"),
])
def test_repr_is_what_tf2_prints(tf, make, text):
    assert repr(make(tf)) == text


# ---- an eager tensor is a value -------------------------------------------------------------------
def test_numpy_shape_dtype_and_python_conversions(tf):
    m = tf.matmul([[2.]], [[2.]])
    assert type(m.numpy()) is np.ndarray and m.numpy().dtype == np.float32 and m.shape == (1, 1)
    assert m.dtype == tf.float32 and isinstance(m, tf.Tensor) and tf.is_tensor(m)
    assert np.asarray(m).tolist() == [[4.0]]
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(3)) == 3 and bool(tf.constant(True))
    assert type(tf.constant(2.5).numpy()) is np.float32        # a numpy scalar, as TF2 gives
    t = tf.constant([[1., 2.], [3., 4.]])
    assert len(t) == 2 and [row.numpy().tolist() for row in t] == [[1., 2.], [3., 4.]]
    assert t[1, 0].numpy() == 3.0 and t[:, 1].numpy().tolist() == [2., 4.]
    assert f"{tf.constant(1.5):.2f}" == "1.50"
    with pytest.raises(AttributeError, match="Tensor.name is undefined when eager execution is enabled"):
        t.name
    with pytest.raises(TypeError, match="unhashable"):
        hash(t)


def test_operators_and_numpy_interplay(tf):
    x = tf.constant([1., 2.])
    assert (x + 1).numpy().tolist() == [2., 3.] and (2 * x).numpy().tolist() == [2., 4.]
    assert (x == tf.constant([1., 0.])).numpy().tolist() == [True, False]
    mixed = np.ones(2, np.float32) + x          # numpy defers to the tensor: a Tensor, as in TF2
    assert isinstance(mixed, tf.Tensor) and mixed.numpy().tolist() == [2., 3.]
    assert type(np.exp(tf.constant(0.))) is not tf.EagerTensor and np.exp(tf.constant(0.)) == 1.0
    assert np.sum(x) == 3.0
    assert (tf.constant([1, 2]) / tf.constant([2, 2])).dtype == tf.float64   # TF1's int division rule


def test_the_value_of_a_constant_is_a_copy_of_the_callers_array(tf):
    data = np.array([1., 2.], np.float32)
    t = tf.constant(data)
    data[0] = 100.
    assert t.numpy().tolist() == [1., 2.]


# ---- ops run at once, through the same Op classes ------------------------------------------------
def test_shape_errors_are_raised_by_the_ops_infer_at_once(tf):
    with pytest.raises(InvalidArgumentError, match=r"Dimensions must be equal, but are 3 and 2 \[Op:MatMul\]"):
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))


def test_a_dtype_the_op_does_not_take_is_refused_at_once_not_computed(tf):
    # TF2: InvalidArgumentError "Value for attr 'T' of int32 is not in the list of allowed values ... [Op:Sqrt]"
    with pytest.raises(InvalidArgumentError, match=r"DataType int32 not in list of allowed values: .*float32.* \[Op:Sqrt\]"):
        tf.sqrt(tf.constant(4))
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):   # traced: TF1's check
        tf.function(lambda x: tf.sqrt(x))(tf.constant(4))


def test_dtype_mismatch_is_tf1s_type_error(tf):
    with pytest.raises(TypeError, match="Input 'y' of 'AddV2' Op has type float32 that does not match type int32"):
        tf.constant([1, 2]) + tf.constant([1., 2.])


def test_eager_execution_runs_the_ops_forward(tf, monkeypatch):
    from minitf.ops.math_ops import MatMul

    calls = []
    original = MatMul.forward
    monkeypatch.setattr(MatMul, "forward", lambda self, a, b: calls.append(a.shape) or original(self, a, b))
    tf.matmul(tf.ones([2, 3]), tf.ones([3, 1]))
    assert calls == [(2, 3)]


def test_the_eager_context_keeps_no_ops_and_no_names(tf):
    ctx = tf1.get_default_graph()
    assert ctx.executes_eagerly and tf.executing_eagerly()
    x = tf.constant(1.0)
    for _ in range(100):
        x = x + 1.0
    assert x.numpy() == 101.0
    assert ctx.get_operations() == [] and ctx.unique_name("add") == "add"


def test_tf1_graphs_still_work_beside_eager_execution(tf):
    with tf1.Graph().as_default() as g:
        assert not tf.executing_eagerly()
        x = tf1.placeholder(tf1.float32, [None, 2])
        y = tf1.reduce_sum(x * 2.0)
        assert y.graph is g and str(y) == 'Tensor("Sum:0", shape=(), dtype=float32)'
        with tf1.Session() as sess:
            assert sess.run(y, {x: [[1., 2.]]}) == 6.0
    assert tf.executing_eagerly()


def test_tf1s_namespace_with_eager_execution_on_as_tf_1_15_runs_it(tf):
    """After TF 1.15's ``tf.enable_eager_execution()``, TF1's own names run ops at once and its
    ``tf.Variable`` holds its value, as real TF 1.15 prints and does."""
    tf1.disable_eager_execution()
    assert not tf1.executing_eagerly()
    tf1.enable_eager_execution()
    assert tf1.executing_eagerly()
    assert str(tf1.matmul([[2.]], [[2.]])) == "tf.Tensor([[4.]], shape=(1, 1), dtype=float32)"
    v = tf1.Variable(1.0, name="v", collections=["graph only"], expected_shape=[])
    v.assign_add(2.0)
    assert v.numpy() == 3.0 and v.name == "v:0" and v.trainable
    w = tf1.Variable(np.zeros(2, np.float32), False, None, True, None, "w")     # TF1's positional order
    assert (w.name, w.trainable, w.shape.as_list()) == ("w:0", False, [2])
    with tf1.Graph().as_default():
        assert isinstance(tf1.Variable(1.0), tf1.Variable) and not tf1.executing_eagerly()


def test_random_draws_repeat_after_set_seed_and_differ_from_each_other(tf):
    tf.random.set_seed(0)
    a, b = tf.random.uniform([3]).numpy(), tf.random.uniform([3]).numpy()
    tf.random.set_seed(0)
    assert tf.random.uniform([3]).numpy().tolist() == a.tolist()
    assert a.tolist() != b.tolist()


# ---- variables ----------------------------------------------------------------------------------
def test_variable_reads_writes_and_names(tf):
    v = tf.Variable([1., 2.], name="w", trainable=False)
    assert v.name == "w:0" and not v.trainable and v.shape == (2,) and v.dtype == tf.float32
    assert v.assign_add([1., 1.]) is v and v.numpy().tolist() == [2., 3.]
    v.assign_sub([0.5, 0.5])
    v.assign([9., 8.])
    assert (v * 2).numpy().tolist() == [18., 16.] and v[0].numpy() == 9.0
    assert tf.Variable(1.0).name == "Variable:0"
    with pytest.raises(ValueError, match="Shape mismatch"):
        v.assign([1., 2., 3.])


def test_a_read_keeps_its_value_when_the_variable_is_updated(tf):
    v = tf.Variable([1., 2.])
    before = v.value()
    viewed = tf.reshape(v, [2, 1])           # a numpy view of the variable's buffer
    v.assign_add([10., 10.])
    assert before.numpy().tolist() == [1., 2.] and viewed.numpy().ravel().tolist() == [1., 2.]
    assert v.numpy().tolist() == [11., 12.]


def test_a_variable_is_updated_in_place_when_nothing_else_reads_it(tf):
    v = tf.Variable(np.zeros(3, np.float32))
    buffer = weakref.ref(v.array)            # a weak reference does not count as a reader
    v.assign_add([1., 1., 1.])
    assert v.array is buffer() and v.numpy().tolist() == [1., 1., 1.]


def test_a_tf2_variable_is_refused_in_a_tf1_graph(tf):
    v = tf.Variable(1.0)
    with tf1.Graph().as_default(), pytest.raises(TypeError, match="TensorFlow 2 variable"):
        tf1.add(v, 1.0)


def test_eager_runs_under_the_strict_backend():
    code = ("import minitf, minitf.v2 as tf\n"
            "assert minitf.backend.name == 'strict'\n"
            "v = tf.Variable([[1., 2.]])\n"
            "with tf.GradientTape() as tape:\n"
            "    y = tf.reduce_sum(tf.matmul(v, [[3.], [4.]]))\n"
            "g = tape.gradient(y, v)\n"
            "tf.keras.optimizers.Adam(0.1).apply_gradients([(g, v)])\n"
            "f = tf.function(lambda a: tf.nn.relu(a) * v)\n"
            "print(y.numpy(), g.numpy().tolist(), f(tf.constant([[-1., 1.]])).numpy().tolist(), sep='|')\n")
    env = {**os.environ, "MINITF_BACKEND": "strict",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), str(TESTS.parent), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    y, g, f = done.stdout.strip().split("|")
    assert y == "11.0" and g == "[[3.0, 4.0]]"
    np.testing.assert_allclose(eval(f), [[0.0, 1.9]], rtol=1e-6)   # Adam's first step: lr * sign(g)


def test_modules_find_their_variables(tf):
    class Dense(tf.Module):
        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
            self.b = tf.Variable(tf.zeros([n_out]), name="b")

        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b

    class Model(tf.Module):
        def __init__(self):
            super().__init__()
            self.layers = [Dense(2, 3), Dense(3, 1)]
            self.frozen = tf.Variable(1., trainable=False)

    model = Model()
    assert model.name == "model" and Dense(1, 1, name="x").name == "x"
    assert [v.name for v in model.trainable_variables] == ["b:0", "w:0", "b:0", "w:0"]
    assert [v.name for v in model.variables] == ["Variable:0", "b:0", "w:0", "b:0", "w:0"]
    assert model.submodules == tuple(model.layers)
    with pytest.raises(AttributeError, match="minitf.v2 covers eager execution"):
        tf.estimator


def test_a_kernel_failure_is_an_op_error_naming_the_op(tf):
    from minitf.ops.base import Op, apply_op

    class Boom(Op):
        type = "Boom"

        def forward(self, x):
            raise ValueError("boom")

    with pytest.raises(InvalidArgumentError, match=r"^ValueError: boom \[Op:Boom\]$"):
        apply_op(Boom(), (tf.constant(1.0),), "Boom")
    with pytest.raises(InvalidArgumentError, match=r"^Dimension size must be evenly divisible by 4 but is 6 "
                                                   r"\[Op:Reshape\]$"):
        tf.reshape(tf.range(6), [4, -1])


def test_tf1_code_with_eager_execution_on(tf):
    """TF 1.x's eager tutorials: ``import tensorflow as tf; tf.enable_eager_execution()``, then TF1's names
    (tf.GradientTape, tf.data, tf.train optimizers) run eagerly; outputs as TF 1.15.5 printed them."""
    import minitf as tf1

    assert tf1.executing_eagerly() and tf1.GradientTape is tf.GradientTape
    assert "hello, {}".format(tf1.matmul([[2.]], [[2.]])) == "hello, [[4.]]"
    w = tf1.Variable([[1.0]])
    with tf1.GradientTape() as tape:
        loss = w * w
    grad = tape.gradient(loss, w)
    assert str(grad) == "tf.Tensor([[2.]], shape=(1, 1), dtype=float32)"
    assert [str(e) for e in tf1.data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda v: v * 2)] == [
        "tf.Tensor(2, shape=(), dtype=int32)", "tf.Tensor(4, shape=(), dtype=int32)",
        "tf.Tensor(6, shape=(), dtype=int32)"]
    tf1.train.GradientDescentOptimizer(0.1).apply_gradients([(grad, w)])
    np.testing.assert_allclose(w.numpy(), [[0.8]])

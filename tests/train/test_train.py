"""tf.train: optimizers (TF1's update rules, slots, names, errors), the global step, learning-rate decay.

Each optimizer is compared with the same update written out in numpy float32, in TF1's order
of operations (``core/kernels/training_ops.cc``); the MNIST test checks the whole training
path against the accuracies numpy, TF1 and PyTorch reach from the same start.
"""
from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import minitf as tf

f32 = np.float32
SHARED = Path(__file__).resolve().parents[3] / "shared"


def quadratic(w0=(1.0, -2.0)):
    w = tf.Variable(np.array(w0, np.float32), name="w")
    return w, tf.reduce_sum(tf.square(w))


def steps(train_op, var, n, extra=()):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for _ in range(n):
            sess.run(train_op)
            out.append(sess.run(var))
        return out, sess.run(list(extra))


# ---- update rules -------------------------------------------------------------------------------
def test_gradient_descent_one_step():
    w, loss = quadratic()
    (after,), _ = steps(tf.train.GradientDescentOptimizer(0.1).minimize(loss), w, 1)
    assert after.tolist() == [f32(0.8), f32(-1.6)]


def test_adam_matches_tf1_bit_for_bit():
    w, loss = quadratic()
    history, _ = steps(tf.train.AdamOptimizer(0.1).minimize(loss), w, 2)
    # what TF1 printed for this problem (API_SURFACE §11 / the TF1 probe)
    assert [v.tolist() for v in history] == [[0.9000000357627869, -1.899999976158142],
                                             [0.8004125952720642, -1.8001668453216553]]


def numpy_run(update, w0, n, grad=lambda w: 2 * w, **state):
    """Run ``update(w, g, state)`` n times in float32 on the quadratic's gradient ``2w``."""
    w = np.array(w0, np.float32)
    state = {k: np.array(v, np.float32) for k, v in state.items()}
    history = []
    for t in range(1, n + 1):
        update(w, grad(w).astype(np.float32), state, t)
        history.append(w.copy())
    return history


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_matches_numpy(nesterov):
    lr, mu = f32(0.1), f32(0.9)

    def update(w, g, s, t):
        s["accum"][...] = s["accum"] * mu + g
        w -= (g * lr + s["accum"] * mu * lr) if nesterov else s["accum"] * lr

    w, loss = quadratic()
    opt = tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=nesterov)
    history, _ = steps(opt.minimize(loss), w, 5)
    expected = numpy_run(update, [1.0, -2.0], 5, accum=[0.0, 0.0])
    np.testing.assert_array_equal(np.array(history), np.array(expected))
    assert opt.get_slot(w, "momentum").name == "w/Momentum:0"


@pytest.mark.parametrize("centered,momentum", [(False, 0.0), (False, 0.5), (True, 0.5)])
def test_rmsprop_matches_numpy(centered, momentum):
    lr, rho, mu, eps = f32(0.01), f32(0.9), f32(momentum), f32(1e-10)

    def update(w, g, s, t):
        s["ms"] += (g * g - s["ms"]) * (f32(1) - rho)
        denom = s["ms"] + eps
        if centered:
            s["mg"] += (g - s["mg"]) * (f32(1) - rho)
            denom = s["ms"] - s["mg"] * s["mg"] + eps
        s["mom"][...] = s["mom"] * mu + (g * lr) / np.sqrt(denom)
        w -= s["mom"]

    w, loss = quadratic()
    opt = tf.train.RMSPropOptimizer(0.01, momentum=momentum, centered=centered)
    history, _ = steps(opt.minimize(loss), w, 5)
    expected = numpy_run(update, [1.0, -2.0], 5, ms=[1.0, 1.0], mg=[0.0, 0.0], mom=[0.0, 0.0])
    np.testing.assert_array_equal(np.array(history), np.array(expected))
    names = sorted(v.name for v in opt.variables())
    assert names == (["w/RMSProp:0", "w/RMSProp_1:0", "w/RMSProp_2:0"] if centered else ["w/RMSProp:0", "w/RMSProp_1:0"])


def test_adagrad_matches_numpy():
    lr = f32(0.5)

    def update(w, g, s, t):
        s["acc"] += g * g
        w -= g * lr / np.sqrt(s["acc"])

    w, loss = quadratic()
    opt = tf.train.AdagradOptimizer(0.5)
    history, _ = steps(opt.minimize(loss), w, 5)
    expected = numpy_run(update, [1.0, -2.0], 5, acc=[0.1, 0.1])
    np.testing.assert_allclose(np.array(history), np.array(expected), rtol=1e-6)   # TF1 uses rsqrt
    assert opt.get_slot(w, "accumulator").name == "w/Adagrad:0"
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)


def test_adam_matches_numpy_over_many_steps():
    lr, b1, b2, eps = f32(0.01), f32(0.9), f32(0.999), f32(1e-8)

    def update(w, g, s, t):
        alpha = lr * np.sqrt(f32(1) - s["b2p"]) / (f32(1) - s["b1p"])
        s["m"] += (g - s["m"]) * (f32(1) - b1)
        s["v"] += (g * g - s["v"]) * (f32(1) - b2)
        w -= (s["m"] * alpha) / (np.sqrt(s["v"]) + eps)
        s["b1p"] = s["b1p"] * b1
        s["b2p"] = s["b2p"] * b2

    w, loss = quadratic([0.3, -0.7, 2.5])
    history, _ = steps(tf.train.AdamOptimizer(0.01).minimize(loss), w, 50)
    expected = numpy_run(update, [0.3, -0.7, 2.5], 50, m=[0, 0, 0], v=[0, 0, 0], b1p=0.9, b2p=0.999)
    np.testing.assert_array_equal(np.array(history), np.array(expected))


# ---- what minimize builds -----------------------------------------------------------------------
def test_minimize_returns_a_named_noop_and_runs_to_none():
    w, loss = quadratic()
    gd = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    adam = tf.train.AdamOptimizer(name="Adam-op").minimize(loss)
    assert (type(gd).__name__, gd.type, gd.name) == ("Operation", "NoOp", "GradientDescent")
    assert (adam.type, adam.name) == ("NoOp", "Adam-op")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(gd) is None
        before, (none, during) = sess.run(loss), sess.run([gd, loss])
        assert none is None and during == before     # fetched with the step: the loss before the update
        assert sess.run(loss) < before


def test_update_op_names_follow_tf1():
    w, loss = quadratic()
    with tf.name_scope("optimizer"):
        tf.train.AdamOptimizer(0.1).minimize(loss)
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"optimizer/Adam/update_w/ApplyAdam", "optimizer/Adam/learning_rate", "optimizer/Adam",
            "optimizer/gradients/Square_grad/Mul_1", "w/Adam", "optimizer/beta1_power"} <= names  # as TF 1.15 names them


def test_adam_slots_and_collections():
    w, loss = quadratic()
    opt = tf.train.AdamOptimizer(name="Adam-op")
    opt.minimize(loss)
    globals_ = sorted(v.name for v in tf.global_variables())
    assert globals_ == ["beta1_power:0", "beta2_power:0", "w/Adam-op:0", "w/Adam-op_1:0", "w:0"]
    assert [v.name for v in tf.trainable_variables()] == ["w:0"]
    assert opt.get_slot(w, "m").name == "w/Adam-op:0" and opt.get_slot(w, "v").name == "w/Adam-op_1:0"
    assert opt.get_slot_names() == ["m", "v"]
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP)[0].name == "Adam-op"


def test_var_list_and_compute_apply_gradients():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    c = tf.Variable(3.0, name="c")
    loss = a * b
    opt = tf.train.GradientDescentOptimizer(0.5)
    grads_and_vars = opt.compute_gradients(loss, var_list=[a, c])
    assert [v.name for _, v in grads_and_vars] == ["a:0", "c:0"] and grads_and_vars[1][0] is None
    clipped = [(tf.clip_by_value(g, -0.5, 0.5), v) for g, v in grads_and_vars if g is not None]
    train = opt.apply_gradients(clipped)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run([a, b, c]) == [0.75, 2.0, 3.0]      # only a moved, by 0.5 * clip(2.0)


def test_no_gradients_error_names_variables_and_loss():
    tf.Variable(1.0, name="v")
    loss = tf.constant(1.0)
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert str(e.value) == ("No gradients provided for any variable, check your graph for ops that do not support "
                            "gradients, between variables [\"<tf.Variable 'v:0' shape=() dtype=float32_ref>\"] "
                            "and loss Tensor(\"Const:0\", shape=(), dtype=float32).")
    w = tf.Variable(1.0, name="w")
    with pytest.raises(ValueError, match="No gradients provided for any variable: "):
        tf.train.GradientDescentOptimizer(0.1).apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="Invalid type tf.int32 for Const_1:0"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1))


def test_no_trainable_variables():
    with pytest.raises(ValueError, match="No variables to optimize."):
        tf.train.AdamOptimizer().minimize(tf.constant(1.0))


def test_learning_rate_can_be_a_tensor():
    w, loss = quadratic()
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {lr: 0.25})
        assert sess.run(w).tolist() == [0.5, -1.0]


# ---- in-place updates -----------------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda: tf.train.GradientDescentOptimizer(0.1),
                                  lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                                  lambda: tf.train.AdamOptimizer(0.1), lambda: tf.train.RMSPropOptimizer(0.1),
                                  lambda: tf.train.AdagradOptimizer(0.1)])
def test_updates_write_the_variable_in_place_without_new_arrays(make):
    size = 512 * 512
    w = tf.Variable(tf.ones([size]))
    grad = tf.constant(np.full(size, 0.5, np.float32))
    train = make().apply_gradients([(grad, w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)                                   # first run: plans and scratch buffers are made
        array = sess.variables[w.op]
        before = array.copy()
        tracemalloc.start()
        sess.run(train)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert sess.variables[w.op] is array                       # the same buffer...
        assert not (array == before).all()                          # ...now holding the new values
        assert peak < size * 4 // 4, f"a step allocated {peak} bytes for a {size * 4}-byte variable"


def test_large_and_fortran_ordered_variables_update_correctly():
    """Big variables are updated block by block; a variable whose buffer is not C-ordered (its initial
    value was a transpose) as a whole -- both must give the plain formula's result."""
    rng = np.random.RandomState(0)
    start = rng.standard_normal((400, 400)).astype(np.float32)      # 160000 elements: two blocks, one short
    scale = rng.uniform(0.5, 2.0, size=(400, 400)).astype(np.float32)
    big = tf.Variable(start)
    transposed = tf.Variable(tf.transpose(tf.constant(start.T.copy())))
    loss = tf.reduce_sum(tf.square(big) * scale) + tf.reduce_sum(tf.square(transposed) * scale)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert not sess.variables[transposed.op].flags.c_contiguous
        sess.run(train)
        expected = start - (2 * start * scale) * f32(0.01)
        np.testing.assert_array_equal(sess.run(big), expected)
        np.testing.assert_array_equal(sess.run(transposed), expected)


# ---- global step and decay -------------------------------------------------------------------------
def test_global_step_counts_steps():
    step = tf.train.get_or_create_global_step()
    assert step is tf.train.get_or_create_global_step() and step is tf.train.get_global_step()
    assert (step.name, step.dtype.base_dtype, step.trainable) == ("global_step:0", tf.int64, False)
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]
    with pytest.raises(ValueError, match='"global_step" already exists.'):
        tf.train.create_global_step()
    w, loss = quadratic()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    assert (train.type, train.name) == ("AssignAdd", "GradientDescent")
    assert train.control_inputs[0].name == "GradientDescent/update"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [(sess.run(train), sess.run(step)) for _ in range(3)] == [(None, 1), (None, 2), (None, 3)]
        assert tf.train.global_step(sess, step) == 3


def test_int32_global_step_variable():
    gs = tf.Variable(0, trainable=False, name="global_step")
    w, loss = quadratic()
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=gs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [sess.run(train), sess.run(gs), sess.run(train), sess.run(gs)] == [None, 1, None, 2]
    assert tf.train.get_global_step().name == "global_step:0"


def test_exponential_decay_and_piecewise_constant():
    step = tf.placeholder(tf.int32, [])
    smooth = tf.train.exponential_decay(0.1, step, 100, 0.5)
    stairs = tf.train.exponential_decay(0.1, step, 100, 0.5, staircase=True)
    piece = tf.train.piecewise_constant(step, [10, 20], [1.0, 0.5, 0.1])
    assert smooth.name == "ExponentialDecay:0"
    with tf.Session() as sess:
        for s, expected in [(0, 0.1), (50, 0.1 * 0.5 ** 0.5), (150, 0.1 * 0.5 ** 1.5)]:
            assert sess.run(smooth, {step: s}) == pytest.approx(expected, rel=1e-6)
        assert [sess.run(stairs, {step: s}) for s in (99, 100, 250)] == [f32(0.1), f32(0.05), f32(0.025)]
        assert [sess.run(piece, {step: s}) for s in (0, 10, 11, 20, 21)] == [1.0, 1.0, 0.5, 0.5, f32(0.1)]
    with pytest.raises(ValueError, match="global_step is required"):
        tf.train.exponential_decay(0.1, None, 100, 0.5)


# ---- the MNIST MLP of the benchmarks: TF1's accuracies after one epoch ----------------------------
@pytest.mark.skipif(not (SHARED / "acceptance" / "bench" / "common.py").exists() or
                    not (SHARED / "data" / "mnist").is_dir(), reason="needs ../shared (benchmark helpers, MNIST)")
@pytest.mark.parametrize("opt,expected", [("sgd", 0.9245), ("adam", 0.959)])
def test_mlp_one_epoch_accuracy_matches_tf1(opt, expected, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(SHARED / "data" / "mnist"))
    monkeypatch.syspath_prepend(str(SHARED / "acceptance" / "bench"))
    import common

    xtr, ytr, xte, yte = common.load_mnist()
    ytr1, yte1 = common.one_hot(ytr), common.one_hot(yte)
    W1_0, b1_0, W2_0, b2_0 = common.init_mlp(0)
    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])
    W1, b1, W2, b2 = (tf.Variable(v) for v in (W1_0, b1_0, W2_0, b2_0))
    logits = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
    optimizer = tf.train.GradientDescentOptimizer(0.1) if opt == "sgd" else tf.train.AdamOptimizer(0.001)
    train_op = optimizer.minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1)), tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for idx in common.batch_order(len(xtr), 100, 0, 0):
            sess.run(train_op, {x: xtr[idx], y_: ytr1[idx]})
        acc = sess.run(accuracy, {x: xte, y_: yte1})
    sys.modules.pop("common", None)
    assert abs(acc - expected) <= 0.001, f"test accuracy {acc:.4f} after one {opt} epoch, TF1 gets {expected}"

"""Checks for exercises 03 · Sessions (fetching, feeding placeholders, one value per run)."""
import re

import numpy as np

from .. import dtypes
from .core import evaluate, expect, expect_tensor, question


@question("03.q1", "r_add", "r_sub", "r_mul", "r_div")
def _(r_add, r_sub, r_mul, r_div):
    a, b = 11, 5
    for name, value, expected in (("r_add", r_add, a + b), ("r_sub", r_sub, a - b), ("r_mul", r_mul, a * b),
                                  ("r_div", r_div, a / b)):
        expect(np.ndim(value) == 0 and np.isclose(value, expected),
               f"`{name}` is {value!r}, which is not the result for a = 11 and b = 5.",
               "fetch a list of the four tensors: sess.run([tf.add(a, b), ...]) returns a list of four values.")
        expect(isinstance(value, np.generic),
               f"`{name}` is a Python {type(value).__name__}: it was computed in Python, not fetched.",
               "store what sess.run returns: numpy values such as np.int32(16).")
    expect(isinstance(r_add, np.integer) and isinstance(r_div, np.floating),
           f"`r_add` is a {type(r_add).__name__} and `r_div` a {type(r_div).__name__}; tf.add of two int32 "
           "tensors gives an integer, tf.divide a float.", "a = tf.constant(11) and b = tf.constant(5), as asked.")


@question("03.q2", "X", "expr", "expr_value", "x_data", "weights", "bias")
def _(X, expr, expr_value, x_data, weights, bias):
    expect_tensor(X, "X", "X = tf.placeholder(tf.float32, [None, 3], name='X').")
    expect(X.op.type == "Placeholder", f"`X` is made by a {X.op.type} op, not by tf.placeholder.")
    expect(X.dtype == dtypes.float32 and X.shape.as_list() == [None, 3],
           f"`X` has dtype {X.dtype.name} and shape {X.shape}, expected float32 and (?, 3).",
           "tf.placeholder(dtype, shape): None in the shape leaves the batch size open.")
    expect(re.fullmatch(r"X(_\d+)?:0", X.name), f"`X` is named {X.name!r}, expected 'X:0'.",
           "pass name='X' to tf.placeholder (run the cell again and TF1 makes it 'X_1:0': that is fine too).")
    expect_tensor(expr, "expr")
    expect(expr.shape.as_list() == [None, 2], f"`expr` has shape {expr.shape}, expected (?, 2).",
           "tf.matmul(X, weights) multiplies a [None, 3] by a [3, 2] matrix.")
    expected = evaluate(expr, feed_dict={X: x_data})
    expect(np.shape(expr_value) == (2, 2) and np.allclose(expr_value, expected),
           "`expr_value` is not the value of expr with X fed with x_data.",
           "sess.run(expr, feed_dict={X: x_data}).")
    batch = np.arange(15, dtype=np.float32).reshape(5, 3) / 4
    five_rows = evaluate(expr, feed_dict={X: batch})
    w_value, b_value = evaluate([weights, bias])
    expect(np.shape(five_rows) == (5, 2) and np.allclose(five_rows, batch @ w_value + b_value),
           "fed a batch of five rows, `expr` is not tf.matmul(X, weights) + bias.",
           "expr = tf.matmul(X, weights) + bias, with the given weights and bias.")


@question("03.q3", "o1", "o2")
def _(o1, o2):
    difference = np.asarray(o2) - np.asarray(o1)
    expect(np.shape(difference) == (3,), f"`o1` and `o2` should be arrays of three numbers, "
                                         f"got shapes {np.shape(o1)} and {np.shape(o2)}.")
    expect(np.allclose(difference, 1.0, rtol=0, atol=1e-6),
           f"o2 - o1 is {difference}, not 1 everywhere: out1 and out2 saw two different draws of vec.",
           "fetch both in one run, sess.run((out1, out2)); two runs draw vec twice.")
    expect(np.all((np.asarray(o1) >= 1) & (np.asarray(o1) < 2)),
           f"`o1` is {o1}; out1 = vec + 1 with vec uniform in [0, 1) lies between 1 and 2.",
           "store the fetched values of out1 and out2 themselves.")


@question("03.q4", "hello_value", "init_value")
def _(hello_value, init_value):
    expect(isinstance(hello_value, bytes), f"`hello_value` is a {type(hello_value).__name__}; "
                                           f"sess.run returns a string tensor as bytes.",
           "store exactly what sess.run(hello) returned, without decoding it.")
    expect(hello_value == b"Hello, TensorFlow!", f"`hello_value` is {hello_value!r}.",
           'hello = tf.constant("Hello, TensorFlow!").')
    expect(init_value is None, f"`init_value` is {init_value!r}, but running an op returns None.",
           "store the result of sess.run(tf.global_variables_initializer()).")


@question("03.q5", "draws", "b_matches_a")
def _(draws, b_matches_a):
    expect(type(draws) is int, f"`draws` should be a whole number, got {draws!r}.")
    expect(draws == 6, f"the cell makes 6 draws, not {draws}.",
           "a random op draws once per sess.run that needs it, however many fetches use it: count the runs "
           "(1 + 1 + 1 + 3), not the fetched tensors.")
    expect(isinstance(b_matches_a, bool), f"`b_matches_a` should be True or False, got {b_matches_a!r}.")
    expect(b_matches_a, "in sess.run([a, b]) the two fetches share one draw of noise, so b is 2 · (a − 1).",
           "within one run every tensor has one value (notebook 03, One value per run).")


@question("03.q6", "feed", "result_value", "scale", "shift", "result")
def _(feed, result_value, scale, shift, result):
    expect(isinstance(feed, dict), f"`feed` should be the feed_dict you pass to sess.run, got {type(feed).__name__}.",
           "feed = {scale: 1.5, ...}: a dict from placeholders to the values they take.")
    feed = {result.graph.get_tensor_by_name(key) if isinstance(key, str) else key: value for key, value in feed.items()}
    expect(shift in feed, "`feed` gives no value to `shift`: that run still fails with InvalidArgumentError.",
           "the error names the placeholder without a value; every placeholder that result needs must be fed.")
    expect(scale in feed and np.isclose(feed[scale], 1.5) and np.isclose(feed[shift], 4.0),
           "`feed` should give scale the value 1.5 and shift the value 4.", "feed = {scale: 1.5, shift: 4.0}.")
    expected = evaluate(result, feed_dict=feed)
    expect(np.ndim(result_value) == 0 and np.isclose(result_value, expected),
           f"`result_value` is {result_value!r}, but result with that feed is {expected:g}.",
           "result_value = sess.run(result, feed_dict=feed).")

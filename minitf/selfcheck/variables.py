"""Checks for exercises 04 · Variables (initialising, assign, get_variable, variable scopes, collections)."""
import numpy as np

from .. import dtypes, errors
from ..graph import Graph, GraphKeys, get_default_graph
from ..ops.array_ops import placeholder
from ..variables import Variable, get_variable, global_variables, trainable_variables
from .core import call, evaluate, expect, expect_tensor, question, same_values

_SCOPE_HINT = 'open the scope around each call: with tf.variable_scope("layer1"): ...'


def _variable_names(variables) -> list[str]:
    return sorted(v.op.name for v in variables)


@question("04.q1", "read_weights")
def _(read_weights):
    values = call(read_weights, name="read_weights", hints={
        errors.FailedPreconditionError: "a variable has no value in a new session until its initialiser "
                                        "runs: sess.run(tf.global_variables_initializer()) first."})
    expect(isinstance(values, np.ndarray) and values.shape == (5, 5) and values.dtype == np.float32,
           f"read_weights() should return the 5x5 float32 array of the variable's values, got {values!r:.80}.",
           "return sess.run(W).")
    expect(np.all(np.abs(values) <= 0.2) and np.any(values != 0),
           "the values do not look like truncated_normal([5, 5], stddev=0.1).",
           "keep the initial value of the original code.")
    names = _variable_names(global_variables())
    expect(names == ["weights"], f"read_weights() created the variables {names}, expected one, 'weights'.",
           'keep tf.Variable(..., name="weights") and create nothing else that holds state.')


@question("04.q2", "count_to")
def _(count_to):
    for n in (3, 1, 0):
        result = call(count_to, n, name="count_to")
        expect(np.ndim(result) == 0 and result == n, f"count_to({n}) returned {result}, expected {n}.",
               "run the tf.assign_add op n times in one session, then fetch the variable.")
    expect(any(op.type == "AssignAdd" for op in get_default_graph().get_operations()),
           "count_to does not use tf.assign_add.", "increment = tf.assign_add(counter, 1).")


@question("04.q3", "two_layers")
def _(two_layers):
    x = placeholder(dtypes.float32, [None, 10])
    out = expect_tensor(call(two_layers, x, name="two_layers", hints={
        ValueError: "each dense_relu call needs its own variable scope. " + _SCOPE_HINT}), "two_layers(x)")
    expect(out.shape.as_list() == [None, 256], f"the output has shape {out.shape}, expected (?, 256).",
           "the first layer maps 10 to 128 units, the second 128 to 256.")
    expected = ["layer1/bias", "layer1/weight", "layer2/bias", "layer2/weight"]
    names = _variable_names(trainable_variables())
    expect(names == expected, f"the variables are {names}, expected {expected}.", _SCOPE_HINT)
    by_name = {v.op.name: v for v in trainable_variables()}
    shapes = {name: v.shape.as_list() for name, v in by_name.items()}
    expect(shapes["layer1/weight"] == [10, 128] and shapes["layer2/weight"] == [128, 256],
           f"the weight shapes are {shapes['layer1/weight']} and {shapes['layer2/weight']}, "
           "expected [10, 128] and [128, 256].", "dense_relu(x, 10, 128), then dense_relu(relu1, 128, 256).")
    batch = np.random.RandomState(0).randn(4, 10).astype(np.float32)
    layers = [by_name[name] for name in ("layer1/weight", "layer1/bias", "layer2/weight", "layer2/bias")]
    got, w1, b1, w2, b2 = evaluate([out] + layers, feed_dict={x: batch}, init=True)
    layer1 = np.maximum(batch @ w1 + b1, 0)
    expect(same_values(got, np.maximum(layer1 @ w2 + b2, 0), atol=1e-5),
           "the output is not layer 2 applied to the output of layer 1.",
           "feed the first layer's output (relu1) into the second dense_relu, and return the second's output.")


@question("04.q4", "shared_model")
def _(shared_model):
    x1, x2 = placeholder(dtypes.float32, [None, 10]), placeholder(dtypes.float32, [None, 10])
    outputs = call(shared_model, x1, x2, name="shared_model", hints={
        ValueError: "reopen the same scope with reuse=True: with tf.variable_scope(scope, reuse=True): ..."})
    expect(isinstance(outputs, tuple) and len(outputs) == 2, "shared_model should return a pair (out1, out2).")
    out1, out2 = (expect_tensor(t, name) for t, name in zip(outputs, ("out1", "out2")))
    names = _variable_names(trainable_variables())
    expect(names == ["model/bias", "model/weight"], f"the variables are {names}, expected only "
           "['model/bias', 'model/weight'].", "the second call must reuse the variables, not create new ones.")
    by_name = {v.op.name: v for v in trainable_variables()}
    weight, bias = by_name["model/weight"], by_name["model/bias"]
    rng = np.random.RandomState(0)
    batch1, batch2 = rng.randn(3, 10).astype(np.float32), rng.randn(5, 10).astype(np.float32)
    value1, value2, w, b = evaluate([out1, out2, weight, bias], feed_dict={x1: batch1, x2: batch2}, init=True)
    expect(same_values(value1, np.maximum(batch1 @ w + b, 0), atol=1e-5),
           "out1 is not dense_relu(x1, 10, 10).", "the first call applies dense_relu to x1.")
    expect(same_values(value2, np.maximum(batch2 @ w + b, 0), atol=1e-5),
           "out2 is not dense_relu(x2, 10, 10) with the same weight and bias as out1.",
           "the second call applies dense_relu to x2, in the reopened scope.")


@question("04.q5", "global_step", "my_int_variable", fresh_graph=False)
def _(global_step, my_int_variable):
    for name, v in (("global_step", global_step), ("my_int_variable", my_int_variable)):
        expect(isinstance(v, Variable), f"`{name}` should be a variable, got {type(v).__name__}.")
        expect(v.dtype.base_dtype == dtypes.int32, f"`{name}` has dtype {v.dtype.base_dtype.name}, expected int32.",
               "an initial value of 0 makes an int32 variable; tf.get_variable needs dtype=tf.int32.")
    expect(global_step.op.name == "global_step", f"`global_step` is named {global_step.op.name!r}.",
           'pass name="global_step".')
    collections = global_step.graph.get_collection
    expect(global_step in collections(GraphKeys.GLOBAL_VARIABLES) and
           global_step not in collections(GraphKeys.TRAINABLE_VARIABLES),
           "`global_step` should be a global variable that is not trainable.", "tf.Variable(0, trainable=False, ...).")
    expect(my_int_variable.op.name == "my_int_variable" and my_int_variable.shape.as_list() == [1, 2, 3],
           f"`my_int_variable` is {my_int_variable}, expected the name 'my_int_variable' and shape (1, 2, 3).",
           'tf.get_variable("my_int_variable", [1, 2, 3], dtype=tf.int32, initializer=tf.zeros_initializer).')
    expect(not np.any(evaluate(my_int_variable.initial_value)), "`my_int_variable` should start at zeros.",
           "initializer=tf.zeros_initializer.")
    expect(my_int_variable in collections(GraphKeys.TRAINABLE_VARIABLES),
           "`my_int_variable` is not trainable; only global_step should be left out.",
           "tf.get_variable makes a trainable variable unless told otherwise.")


def _q6_variables() -> dict:
    """The variables of question 04.q6, made as the question shows them."""
    return {"v1 = tf.Variable([1, 2], tf.float32)": Variable([1, 2], dtypes.float32),
            "v2 = tf.Variable([1, 2], dtype=tf.float32)": Variable([1, 2], dtype=dtypes.float32),
            "v3 = tf.Variable(0.5, trainable=False)": Variable(0.5, trainable=False),
            "v4 = tf.get_variable('v4', [2], collections=[tf.GraphKeys.LOCAL_VARIABLES])":
                get_variable("v4", [2], collections=[GraphKeys.LOCAL_VARIABLES])}


@question("04.q6", "predicted_dtypes", "predicted_trainable")
def _(predicted_dtypes, predicted_trainable):
    made = _q6_variables()
    for name, answer, kind in (("predicted_dtypes", predicted_dtypes, str),
                               ("predicted_trainable", predicted_trainable, bool)):
        expect(isinstance(answer, (list, tuple)) and len(answer) == len(made) and
               all(isinstance(a, kind) for a in answer),
               f"`{name}` should be a list of {len(made)} {kind.__name__}s, one per variable.")
    trainable = trainable_variables()
    for (code, v), dtype, is_trainable in zip(made.items(), predicted_dtypes, predicted_trainable):
        expect(dtype.replace("<dtype: ", "").strip("'> ") == v.dtype.name,
               f"the dtype you predicted for `{code}`, {dtype!r}, is not right.",
               "a variable's dtype ends in _ref; it comes from dtype= or, without it, from the initial value. "
               "The second positional argument of tf.Variable is trainable, not dtype.")
        expect(is_trainable == (v in trainable),
               f"`{code}` is {'' if v in trainable else 'not '}trainable.",
               "only trainable=False keeps a variable out of TRAINABLE_VARIABLES: collections= replaces the "
               "global collection, not the trainable one (notebook 04, Collections).")


@question("04.q7", "train_counter")
def _(train_counter):
    hint = ("tf.global_variables_initializer() is an op built from the variables that exist when it is "
            "called. Which variables existed when train_counter made it?")
    for steps in (4, 0):
        with Graph().as_default() as graph:
            value = call(train_counter, steps, name="train_counter", hints={errors.FailedPreconditionError: hint})
            expect(isinstance(value, np.integer), f"train_counter({steps}) returned {value!r}, not the counter's "
                   "value as the session gives it.", "return sess.run(counter) after the steps.")
            expect(value == steps, f"train_counter({steps}) returned {value}, expected {steps}.",
                   "initialise once, before the steps; then run the step `steps` times.")
            expect(any(op.type == "AssignAdd" for op in graph.get_operations()),
                   "train_counter no longer adds 1 with tf.assign_add.", "keep the counter and its step; move "
                   "only the initialiser.")

"""Checks for exercises 08 · From TF1 to TF2 (eager values, tf.function, GradientTape, a training step, Keras).

The answers are TensorFlow 2 code (``import minitf.v2 as tf``), so these checks run eagerly, in
the notebook's own state (``fresh_graph=False``); ``minitf.v2`` is imported only when a check runs,
so importing the self-checks never turns eager execution on for the TF1 notebooks.
"""
import numpy as np

from .core import call, expect, question, same_values

FULL_TEST_SET = 10_000


def target_accuracy(x_test) -> float:
    """The test accuracy 08.q5 asks for: 97 % on MNIST's full test set, 85 % on the small sample the
    course's automated tests use (``tests/data/mnist_small``), where the same model stops near 90 %."""
    return 0.97 if len(x_test) >= FULL_TEST_SET else 0.85


def _v2():
    import minitf.v2 as tf

    return tf


def _expect_function(fn, name: str):
    tf = _v2()
    expect(isinstance(fn, tf.Function), f"`{name}` should be a tf.function, got {type(fn).__name__}.",
           f"put @tf.function on the line above `def {name}(...)`.")


@question("08.q1", "product", "product_value", fresh_graph=False)
def _(product, product_value):
    tf = _v2()
    expect(isinstance(product, tf.EagerTensor), f"`product` should be an eager tensor, got {type(product).__name__}.",
           "product = tf.matmul(a, b), with minitf.v2 imported as tf: it runs at once, no session.")
    expect(same_values(product.numpy(), [[3.0], [7.0]]), f"`product` is {product.numpy().tolist()}, expected the "
           "product of a (2x2) and b (2x1), [[3.0], [7.0]].", "tf.matmul(a, b), in that order.")
    expect(isinstance(product_value, np.ndarray) and same_values(product_value, [[3.0], [7.0]]),
           f"`product_value` should be the numpy array [[3.], [7.]], got {product_value!r:.60}.",
           "product.numpy().")


@question("08.q2", "layer", "W", "b", fresh_graph=False)
def _(layer, W, b):
    tf = _v2()
    _expect_function(layer, "layer")
    x = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 2.0]], np.float32)
    expected = np.maximum(x @ W.numpy() + b.numpy(), 0)
    result = call(layer, tf.constant(x), name="layer")
    expect(isinstance(result, tf.Tensor) and same_values(np.asarray(result), expected),
           f"layer(x) gave {np.asarray(result).round(3).tolist()}, expected relu(x @ W + b) = "
           f"{expected.round(3).tolist()}.", "tf.nn.relu(tf.matmul(x, W) + b).")
    graph = layer.get_concrete_function(tf.constant(x)).graph
    types = {op.type for op in graph.get_operations()}
    expect({"Placeholder", "VariableV2", "MatMul", "Relu"} <= types,
           f"the graph of `layer` has the ops {sorted(types)}; it should use the variables W and b.",
           "use the tf.Variables W and b defined above inside the function, not copies of their values.")


@question("08.q3", "slope_at", fresh_graph=False)
def _(slope_at):
    for x0 in (2.0, 0.0, -1.5):
        slope = call(slope_at, x0, name="slope_at")
        expect(slope is not None, f"slope_at({x0}) returned None: the tape did not watch x.",
               "make x a tf.Variable (a tape watches variables by itself), or call tape.watch(x).")
        expect(np.ndim(slope) == 0, f"slope_at({x0}) should be one number, got {slope!r:.60}.",
               "return float(tape.gradient(y, x)).")
        expected = 3 * x0 ** 2 - 2
        expect(np.isclose(float(slope), expected, rtol=1e-5), f"slope_at({x0}) is {float(slope):g}; the slope of "
               f"f(x) = x³ - 2x there is 3·{x0}² - 2 = {expected:g}.",
               "x = tf.Variable(x0); with tf.GradientTape() as tape: y = x ** 3 - 2 * x; tape.gradient(y, x).")


@question("08.q4", "train_step", "w", "b", "x_line", "y_line", fresh_graph=False)
def _(train_step, w, b, x_line, y_line):
    tf = _v2()
    _expect_function(train_step, "train_step")
    graph = train_step.get_concrete_function(tf.constant(x_line), tf.constant(y_line)).graph
    types = {op.type for op in graph.get_operations()}
    expect("ApplyGradientDescent" in types, "the graph of `train_step` updates no variable.",
           "optimizer.apply_gradients(zip(grads, [w, b])) inside train_step.")
    expect(abs(float(w.numpy()) - 3) < 0.1 and abs(float(b.numpy()) - 2) < 0.1,
           f"after training, w = {float(w.numpy()):.3f} and b = {float(b.numpy()):.3f}; the data lie near "
           "y = 3x + 2.", "run train_step(x_line, y_line) 200 times; the loss is the mean of (w·x + b - y)².")


@question("08.q5", "model", "x_test", "y_test", "test_accuracy", timeout=600, fresh_graph=False)
def _(model, x_test, y_test, test_accuracy):
    tf = _v2()
    expect(isinstance(model, tf.keras.Model), f"`model` should be a Keras model, got {type(model).__name__}.",
           "model = tf.keras.models.Sequential([...]) as in seed 002.")
    expect(model.optimizer is not None, "`model` is not compiled.", "model.compile(optimizer='adam', loss=..., "
           "metrics=['accuracy']).")
    predicted = np.argmax(model.predict(x_test, batch_size=1000, verbose=0), axis=1)
    measured = float(np.mean(predicted == y_test))
    expect(np.isclose(test_accuracy, measured, atol=1e-3),
           f"`test_accuracy` is {test_accuracy!r}, but `model` scores {measured:.4f} on the test images.",
           "_, test_accuracy = model.evaluate(x_test, y_test).")
    target = target_accuracy(x_test)
    expect(measured >= target, f"the test accuracy is {measured:.2%}; the target is {target:.0%}.",
           "the seed's model (Flatten, Dense 512 relu, Dropout 0.2, Dense 10 softmax), Adam, 3 epochs.")

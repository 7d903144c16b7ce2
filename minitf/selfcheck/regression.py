"""Checks for exercises 05 · Regression (the squared-error loss, gradient descent, fitting a line)."""
import numpy as np

from ..gradients import gradients
from ..graph import Graph, Operation
from ..ops.array_ops import constant
from ..ops.math_ops import reduce_mean, reduce_sum, square
from ..train import GradientDescentOptimizer
from ..variables import Variable
from .core import call, evaluate, expect, expect_tensor, question


@question("05.q1", "mse")
def _(mse):
    hypothesis, targets = [1.0, 2.0, 3.0], [1.0, 3.0, 5.0]
    loss = expect_tensor(call(mse, constant(hypothesis), constant(targets), name="mse"), "mse(hypothesis, Y)")
    expect(loss.shape.ndims == 0, f"mse returned a tensor of shape {loss.shape}; the loss should be one number.",
           "tf.reduce_mean without an axis averages over everything.")
    expected = np.mean(np.square(np.subtract(hypothesis, targets)))
    value = evaluate(loss)
    expect(np.isclose(value, expected), f"mse({hypothesis}, {targets}) is {value:g}, expected {expected:g}.",
           "square the differences, then take their mean (not their sum).")
    hypothesis, targets = [[0.5, -1.0], [2.0, 3.0]], [[1.0, 0.0], [0.0, 3.0]]
    loss = expect_tensor(call(mse, constant(hypothesis), constant(targets), name="mse"), "mse(hypothesis, Y)")
    expect(loss.shape.ndims == 0, f"for 2 examples of 2 outputs mse returned a tensor of shape {loss.shape}; "
           "the loss should be one number.", "tf.reduce_mean without an axis averages over every entry.")
    expected = np.mean(np.square(np.subtract(hypothesis, targets)))
    value = evaluate(loss)
    expect(np.isclose(value, expected), f"for 2 examples of 2 outputs, mse({hypothesis}, {targets}) is "
           f"{value:g}, expected {expected:g}, the mean over all four squared differences.",
           "tf.reduce_mean without an axis averages over every entry, whatever the shape.")


@question("05.q2", "gradient_step")
def _(gradient_step):
    W = Variable(1.0, name="W")
    cost = (W - 3.0) * (W - 3.0)
    step = call(gradient_step, cost, 0.1, name="gradient_step")
    expect(isinstance(step, Operation), f"gradient_step should return the training op, got {type(step).__name__}.",
           "return optimizer.minimize(cost): minimize returns an op.")
    after = evaluate(W, init=True, first=[step])
    expect(np.isclose(after, 1.4), f"for cost = (W - 3)² at W = 1 and learning rate 0.1, one step should move W "
           f"to 1 - 0.1 · 2(1 - 3) = 1.4, but it moved it to {after:g}.",
           "tf.train.GradientDescentOptimizer(learning_rate).minimize(cost).")
    u, v = Variable([2.0, -1.0], name="u"), Variable(3.0, name="v")
    step = call(gradient_step, reduce_sum(u * u) * v, 0.1, name="gradient_step")
    new_u, new_v = evaluate([u, v], init=True, first=[step])
    expect(np.allclose(new_u, [2.0 - 0.1 * 12.0, -1.0 + 0.1 * 6.0]) and np.isclose(new_v, 3.0 - 0.1 * 5.0),
           f"for cost = sum(u²)·v at u = [2, -1], v = 3 and learning rate 0.1, one step should move u to "
           f"[0.8, -0.4] and v to 2.5, but it moved them to {np.round(new_u, 4).tolist()} and {new_v:g}.",
           "one minimize op moves every trainable variable against its own gradient.")


@question("05.q3", "fit_line")
def _(fit_line):
    result = call(fit_line, [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], 300, 0.1, name="fit_line")
    expect(isinstance(result, tuple) and len(result) == 2 and all(isinstance(v, float) for v in result),
           f"fit_line should return two Python floats (W, b), got {result!r:.80}.",
           "W_value, b_value = sess.run([W, b]); return float(W_value[0]), float(b_value[0]).")
    W, b = result
    expect(abs(W - 1) < 0.02 and abs(b) < 0.05, f"on the points (1, 1), (2, 2), (3, 3) after 300 steps the line "
           f"should be close to y = x, but W = {W:.3f} and b = {b:.3f}.",
           "feed x_data and y_data to the training op, run it `steps` times, and fetch W and b afterwards.")
    with Graph().as_default() as graph:
        W, b = call(fit_line, [0.0, 1.0, 2.0, 3.0], [2.0, 1.0, 0.0, -1.0], 300, 0.1, name="fit_line")
    expect(abs(W + 1) < 0.02 and abs(b - 2) < 0.05, f"on the points (0, 2), (1, 1), (2, 0), (3, -1) the line "
           f"should be close to y = -x + 2, but W = {W:.3f} and b = {b:.3f}.",
           "use the x_data and y_data passed to fit_line, not numbers of your own.")
    expect(any(op.type == "ApplyGradientDescent" for op in graph.get_operations()),
           "fit_line does not train with tf.train.GradientDescentOptimizer.",
           "tf.train.GradientDescentOptimizer(learning_rate).minimize(cost).")


# 05.q4: gradient descent on the mean squared error of W·x + b converges exactly when the learning rate is below
# 2 / λ_max, λ_max the largest eigenvalue of the cost's (constant) Hessian 2/n · [[Σx², Σx], [Σx, n]].
EXPLORE_X = np.array([1.0, 2.0, 3.0, 4.0])
EXPLORE_Y = 2 * EXPLORE_X


def largest_stable_rate(x=EXPLORE_X) -> float:
    """The learning rate above which gradient descent on mean((W·x + b − y)²) diverges."""
    hessian = 2 / len(x) * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), len(x)]])
    return float(2 / np.linalg.eigvalsh(hessian).max())


@question("05.q4", "largest_rate")
def _(largest_rate):
    expect(isinstance(largest_rate, (int, float)) and not isinstance(largest_rate, bool),
           f"`largest_rate` should be a number, got {largest_rate!r}.")
    limit = largest_stable_rate()
    expect(largest_rate < limit, f"at the learning rate {largest_rate:g} the cost does not converge: each step "
           "overshoots the minimum by more than it started from.",
           "run final_cost for rates a little below yours: where does the cost stop going down?")
    expect(largest_rate >= 0.95 * limit, f"{largest_rate:g} converges, but a rate 5 % larger still does.",
           "look between your rate and the first one that diverges; halve the gap until it is small.")


@question("05.q5", "fit")
def _(fit):
    x_data = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]], dtype=np.float32)
    y_data = np.array([1.0, -1.0, -3.0, -5.0, -7.0], dtype=np.float32)  # y = -2x + 1
    with Graph().as_default():
        result = call(fit, x_data, y_data, name="fit")
    expect(isinstance(result, (list, tuple)) and len(result) == 2, f"fit should return [W, b], got {result!r:.80}.",
           "keep the last line of fit: return sess.run([W, b]).")
    W, b = (float(np.ravel(v)[0]) for v in result)
    expect(abs(W + 2) < 0.05 and abs(b - 1) < 0.1, f"on points of y = -2x + 1, fit found W = {W:.3f}, "
           f"b = {b:.3f}.", "print the shape of hypothesis - Y: (?, 1) minus (?,) broadcasts to (?, ?), a "
           "difference for every pair of examples. Make the two shapes agree.")


@question("05.q6", "predicted_gradients", "predicted_after_step")
def _(predicted_gradients, predicted_after_step):
    for name, answer in (("predicted_gradients", predicted_gradients), ("predicted_after_step", predicted_after_step)):
        expect(isinstance(answer, (list, tuple)) and len(answer) == 2 and
               all(isinstance(v, (int, float)) for v in answer), f"`{name}` should be a list of two numbers.")
    x, y = [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]
    W, b = Variable([1.0], name="W"), Variable([1.0], name="b")
    cost = reduce_mean(square(W * x + b - y))
    dW, db = gradients(cost, [W, b])
    step = GradientDescentOptimizer(0.1).minimize(cost)
    grads = [float(g[0]) for g in evaluate([dW, db], init=True)]
    expect(np.allclose(predicted_gradients, grads, atol=1e-4),
           f"the gradients at W = 1, b = 1 are not {list(predicted_gradients)}.",
           "every error W·x + b − y is 1 there; ∂cost/∂W = 2/3 · Σ error · x and ∂cost/∂b = 2/3 · Σ error.")
    after = [float(v[0]) for v in evaluate([W, b], init=True, first=[step])]
    expect(np.allclose(predicted_after_step, after, atol=1e-4),
           f"after one step with learning rate 0.1, W and b are not {list(predicted_after_step)}.",
           "each variable moves against its own gradient: W − 0.1 · ∂cost/∂W, b − 0.1 · ∂cost/∂b.")

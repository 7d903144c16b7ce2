"""Checks for exercises 02 · Graphs (op and tensor names, name scopes, what a run needs, graphs)."""
import numpy as np

from .. import dtypes
from ..graph import Graph, get_default_graph
from ..gradients import gradients
from ..ops.array_ops import constant, placeholder, reshape, zeros
from ..ops.math_ops import add, matmul, reduce_sum, sigmoid, tanh
from ..ops.nn_ops import relu
from ..variables import Variable
from .core import call, evaluate, expect, expect_tensor, question


def _q1_graph():
    """The graph of question 02.q1, built the way the question shows it."""
    a = constant(3.0)
    b = constant(4.0)
    total = a + b
    c = constant(5.0, name="MyConst")
    d = add(total, c, name="MyAdd")
    e = total * 2
    return a, b, total, c, d, e


@question("02.q1", "predicted_names")
def _(predicted_names):
    variables = ["a", "b", "total", "c", "d", "e"]
    expect(isinstance(predicted_names, (list, tuple)) and len(predicted_names) == len(variables),
           f"`predicted_names` should be a list of {len(variables)} names, one per tensor.")
    for variable, tensor, predicted in zip(variables, _q1_graph(), predicted_names):
        expect(predicted == tensor.name, f"the name you predicted for `{variable}`, {predicted!r}, is not right.",
               "a tensor's name is its op's name plus ':0'; an op is named after its type (Const, add, mul) "
               "unless name= is given, and a second op of the same name gets '_1'.")


@question("02.q2", "scaled_sum")
def _(scaled_sum):
    x, y = constant(1.0), constant(2.0)
    before = {op.name for op in get_default_graph().get_operations()}
    result = expect_tensor(call(scaled_sum, x, y, name="scaled_sum"), "scaled_sum(x, y)")
    expect(result.name == "scaled_sum/mul:0", f"in a fresh graph the result is named {result.name!r}, "
           f"expected 'scaled_sum/mul:0'.", 'create the ops inside `with tf.name_scope("scaled_sum"):`.')
    new_ops = [op.name for op in get_default_graph().get_operations() if op.name not in before]
    outside = [name for name in new_ops if not name.startswith("scaled_sum/")]
    expect(not outside, f"these ops are outside the scope: {outside}.",
           "build all of (x + y) * 2 inside the with block.")
    expect(np.isclose(evaluate(result), 6.0), "scaled_sum(1.0, 2.0) should compute (1 + 2) * 2 = 6.")
    again = expect_tensor(call(scaled_sum, result, x, name="scaled_sum"), "scaled_sum(x, y)")
    expect(again.name == "scaled_sum_1/mul:0", f"a second call gives {again.name!r}, expected "
           "'scaled_sum_1/mul:0'.", "open the scope by its name in every call, tf.name_scope(\"scaled_sum\"): "
           "TF1 makes the second one unique itself.")
    expect(np.isclose(evaluate(again), 14.0), "scaled_sum(scaled_sum(1.0, 2.0), 1.0) should be (6 + 1) * 2 = 14.")


@question("02.q3", "ops_needed")
def _(ops_needed):
    a, b = constant(1.0), constant(2.0)
    c = a + b
    d = b * 3
    x = placeholder(dtypes.float32, [None, 3], name="x")
    hidden = relu(matmul(x, constant(np.ones((3, 2), np.float32), name="w")))
    out = hidden * hidden + c
    examples = ((c, "c = a + b (the example of the question)", {"Const", "Const_1", "add"}),
                (d, "d = b * 3 (the example of the question)", {"Const_1", "mul/y", "mul"}),
                (a, "a constant on its own", {"Const"}),
                (x, "a placeholder on its own", {"x"}),
                (out, "out = hidden * hidden + c, with hidden = tf.nn.relu(tf.matmul(x, w))",
                 {"x", "w", "MatMul", "Relu", "mul_1", "add_1", "add", "Const", "Const_1"}))
    for tensor, code, expected in examples:
        needed = call(ops_needed, tensor, name="ops_needed")
        expect(isinstance(needed, (set, frozenset)), f"ops_needed should return a set, got {type(needed).__name__}.",
               "collect the names in a set: needed = set(), then needed.add(op.name).")
        expect(needed == expected, f"for {code} ops_needed returned {sorted(needed)}, expected {sorted(expected)}.",
               "start from tensor.op, then follow op.inputs (tensors) to their .op, again and again, until no "
               "new op appears: the inputs of the inputs count too, and an op used twice is still one op.")


@question("02.q4", "g2", fresh_graph=False)
def _(g2):
    expect(isinstance(g2, Graph), f"`g2` should be a tf.Graph, got {type(g2).__name__}.", "g2 = tf.Graph().")
    expect(g2 is not get_default_graph(), "`g2` is the default graph; it should be a new one.", "g2 = tf.Graph().")
    names = [op.name for op in g2.get_operations()]
    expect("answer" in names, f"g2 has no op named 'answer' (it has {names}).",
           'create the constant inside `with g2.as_default():`, with name="answer".')
    expect(names == ["answer"], f"g2 should hold one op, the constant; it holds {names}.",
           "create only the constant inside the with block (run the cell once, in a new graph).")
    answer = g2.get_tensor_by_name("answer:0")
    expect(answer.dtype.is_integer and evaluate(answer) == 42, "the constant 'answer' should be the integer 42.",
           "tf.constant(42, name=\"answer\"): a Python int makes an int32 constant, 42.0 a float32 one.")
    expect("answer" not in [op.name for op in get_default_graph().get_operations()],
           "the default graph also holds an op named 'answer'.",
           "only ops created inside `with g2.as_default():` go to g2; the rest go to the default graph.")


def _q5_graph() -> dict:
    """The tensors of question 02.q5, built as the question shows them."""
    x = placeholder(dtypes.float32, [None, 784])
    W = Variable(zeros([784, 10]))
    logits = matmul(x, W)
    return {"logits": logits, "per_example": reduce_sum(logits, axis=1), "total": reduce_sum(logits),
            "image": reshape(x, [-1, 28, 28, 1])}


def expect_predicted_shapes(predicted_shapes, tensors: dict, hints: dict) -> None:
    """Compare a list of predicted shapes, written as print writes them ("(?, 3)"), with ``tensors``' shapes."""
    expect(isinstance(predicted_shapes, (list, tuple)) and len(predicted_shapes) == len(tensors) and
           all(isinstance(shape, str) for shape in predicted_shapes),
           f"`predicted_shapes` should be a list of {len(tensors)} strings such as \"(?, 3)\", one per tensor.",
           "write each shape as print shows it: ? for an unknown size, () for a scalar.")
    for (name, tensor), predicted in zip(tensors.items(), predicted_shapes):
        expect(predicted.replace(" ", "") == str(tensor.shape).replace(" ", ""),
               f"the shape you predicted for `{name}`, {predicted}, is not right.", hints[name])


@question("02.q5", "predicted_shapes")
def _(predicted_shapes):
    expect_predicted_shapes(predicted_shapes, _q5_graph(), {
        "logits": "a [None, 784] matrix times a [784, 10] matrix: the rows stay, the columns come from W.",
        "per_example": "reducing along axis 1 removes that axis; the unknown batch size stays unknown.",
        "total": "reduce_sum without an axis adds up everything: one number, shape ().",
        "image": "-1 stands for what is left: 784 numbers per row make one 28 × 28 × 1 image, so -1 is the "
                 "batch size, which is unknown."})


_SLOPES = (("sigmoid at 0", sigmoid, 0.0), ("tanh at 0", tanh, 0.0), ("ReLU at 3", relu, 3.0),
           ("ReLU at -3", relu, -3.0), ("sigmoid at 10", sigmoid, 10.0))


@question("02.q6", "predicted_slopes")
def _(predicted_slopes):
    expect(isinstance(predicted_slopes, (list, tuple)) and len(predicted_slopes) == len(_SLOPES) and
           all(isinstance(s, (int, float)) for s in predicted_slopes),
           f"`predicted_slopes` should be a list of {len(_SLOPES)} numbers, one per derivative.")
    for (what, activation, at), predicted in zip(_SLOPES, predicted_slopes):
        z = constant(at)
        slope = float(evaluate(gradients(activation(z), z)[0]))
        expect(abs(predicted - slope) < 1e-3, f"the derivative of {what} is not {predicted:g}.",
               "sigmoid'(z) = sigmoid(z)·(1 − sigmoid(z)), largest at 0 and tiny far from 0; tanh'(0) = 1; "
               "ReLU's derivative is 1 for positive inputs and 0 for negative ones (notebook 02).")

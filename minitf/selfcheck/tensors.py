"""Checks for exercises 01 · Tensors (rank, shape, dtype, creating, reshaping and casting tensors)."""
import re

import numpy as np

from .. import dtypes
from ..ops.array_ops import constant, placeholder, zeros
from ..ops.math_ops import cast
from ..session import Session
from .core import call, evaluate, expect, expect_tensor, question, same_values

_VALUES = [3., [1., 2., 3.], [[1., 2., 3.], [4., 5., 6.]], [[[1., 2., 3.]], [[7., 8., 9.]]]]


def _expect_created(tensor, name, shape, dtype, value, how, made_by):
    expect_tensor(tensor, name, f"create it with {how}.")
    expect(made_by(tensor.op), f"`{name}` holds the right kind of tensor, but it is not made by {how}.",
           f"the exercise asks for {how}, not a constant typed by hand.")
    expect(tensor.shape.as_list() == list(shape),
           f"`{name}` has shape {tensor.shape}, expected {tuple(shape)}.", f"the shape argument of {how}.")
    expect(tensor.dtype == dtype, f"`{name}` has dtype {tensor.dtype.name}, expected {dtype.name}.",
           f"the dtype argument of {how}, or the type of the Python value you pass.")
    expect(same_values(evaluate(tensor), value), f"`{name}` has the right shape but not the right values.",
           f"run it in a session to see what it holds: {how}.")


@question("01.q1", "zeros_3d", "seq", "nines")
def _(zeros_3d, seq, nines):
    _expect_created(zeros_3d, "zeros_3d", (3, 3, 3), dtypes.float32, np.zeros((3, 3, 3)), "tf.zeros(shape)",
                    lambda op: op.name.rsplit("/", 1)[-1].startswith("zeros"))
    _expect_created(seq, "seq", (3,), dtypes.int32, np.arange(6, 15, 3), "tf.range(start, limit, delta)",
                    lambda op: op.type == "Range")
    _expect_created(nines, "nines", (2, 3), dtypes.int32, np.full((2, 3), 9), "tf.fill(dims, value)",
                    lambda op: op.type == "Fill")


@question("01.q2", "ranks", "shapes")
def _(ranks, shapes):
    for name, answer in (("ranks", ranks), ("shapes", shapes)):
        expect(isinstance(answer, (list, tuple)) and len(answer) == len(_VALUES),
               f"`{name}` should be a list of {len(_VALUES)} entries, one per value.")
    expect(all(type(rank) is int for rank in ranks), f"`ranks` should hold Python ints, got {ranks!r}.",
           "write the numbers themselves, such as 2, not 2.0 or a value computed by numpy.")
    expect(all(type(shape) is list and all(type(n) is int for n in shape) for shape in shapes),
           f"`shapes` should hold lists of Python ints, got {shapes!r}.",
           "write each shape as a list, such as [2, 3]; a scalar's shape is the empty list [].")
    for i, value in enumerate(_VALUES):
        shape = constant(value).shape
        expect(ranks[i] == shape.ndims, f"ranks[{i}] is {ranks[i]!r}, which is not the rank of value {i}.",
               "the rank is the number of dimensions: count the opening brackets before the first number.")
        expect(list(shapes[i]) == shape.as_list(),
               f"shapes[{i}] is {shapes[i]!r}, which is not the shape of value {i}.",
               "the shape lists how many entries each level of brackets holds, outermost first.")


@question("01.q3", "flatten_images")
def _(flatten_images):
    images = placeholder(dtypes.uint8, [None, 28, 28])
    flat = expect_tensor(call(flatten_images, images, name="flatten_images"), "flatten_images(images)")
    expect(flat.shape.as_list() == [None, 784],
           f"flatten_images on a [None, 28, 28] placeholder gives shape {flat.shape}, expected (?, 784).",
           "tf.reshape(images, [-1, 784]): -1 stands for the batch size, unknown while building.")
    expect(flat.dtype == dtypes.float32, f"the result has dtype {flat.dtype.name}, expected float32.",
           "tf.cast(x, tf.float32) before dividing.")
    three = placeholder(dtypes.uint8, [3, 28, 28])
    flat_three = expect_tensor(call(flatten_images, three, name="flatten_images"), "flatten_images(images)")
    expect(flat_three.shape.as_list() == [3, 784],
           f"flatten_images on a [3, 28, 28] placeholder gives shape {flat_three.shape}, expected (3, 784): "
           "a batch size known while building should stay known.",
           "tf.reshape(images, [-1, 784]) works the batch size out from the input's shape.")
    batch = np.random.RandomState(0).randint(0, 256, size=(3, 28, 28)).astype(np.uint8)
    batch[0, 0, :2] = 0, 255
    with Session(graph=images.graph) as sess:
        out, out_three = sess.run([flat, flat_three], feed_dict={images: batch, three: batch})
    for values in (out, out_three):
        expect(values.dtype == np.float32 and same_values(values, batch.reshape(3, 784) / 255.0),
               "the values are not the pixels divided by 255 (0 stays 0, 255 becomes 1), in row order.",
               "reshape keeps the order of the pixels; cast to float32, then divide by 255.0.")


@question("01.q4", "dtypes")
def _(answer):
    examples = [
        ("tf.constant([1, 2, 3])", lambda: constant([1, 2, 3])),
        ("tf.constant(3.0)", lambda: constant(3.0)),
        ('tf.constant("Hello, TensorFlow!")', lambda: constant("Hello, TensorFlow!")),
        ("tf.cast(tf.constant([1, 2, 3]), tf.float32)", lambda: cast(constant([1, 2, 3]), dtypes.float32)),
        ("tf.constant(11) / tf.constant(5)", lambda: constant(11) / constant(5)),
    ]
    expect(isinstance(answer, (list, tuple)) and len(answer) == len(examples),
           f"`dtypes` should be a list of {len(examples)} dtypes, one per tensor.")
    for i, dtype in enumerate(answer):
        expect(isinstance(dtype, dtypes.DType), f"dtypes[{i}] is {dtype!r}, not a dtype.",
               "write minitf's dtype objects, such as tf.int32, not strings such as 'int32'.")
    for i, (code, build) in enumerate(examples):
        actual = build().dtype
        expect(answer[i] == actual, f"dtypes[{i}] is {answer[i]!r}, which is not the dtype of {code}.",
               "Python ints become int32, floats float32, strings string; tf.cast gives the dtype it is "
               "asked for; / on two int32 tensors is true division, and its result is float64 (notebook 01).")


@question("01.q5", "prices", "with_tax")
def _(prices, with_tax):
    expect_tensor(prices, "prices")
    expect(prices.dtype == dtypes.int32 and prices.op.type == "Const",
           f"`prices` is a {prices.dtype.name} tensor made by {prices.op.type}; keep it as given, "
           "tf.constant([3, 5, 8]), an int32 constant.", "fix the multiplication, not the prices.")
    expect_tensor(with_tax, "with_tax")
    expect(with_tax.dtype == dtypes.float32, f"`with_tax` has dtype {with_tax.dtype.name}, expected float32.",
           "tf.cast(prices, tf.float32) turns the int32 prices into float32; 1.2 is float32 already.")
    casts = [op for op in with_tax.graph.get_operations() if op.type == "Cast" and op.inputs[0] is prices]
    expect(casts, "`with_tax` does not convert `prices`: the int32 tensor must be cast before it meets a float.",
           "TF1 never converts dtypes by itself: tf.cast(prices, tf.float32) * tf.constant(1.2).")
    value = evaluate(with_tax)
    expect(same_values(value, [3.6, 6.0, 9.6]), f"`with_tax` is {np.round(value, 4).tolist()}, expected the "
           "prices times 1.2, [3.6, 6.0, 9.6].", "multiply the cast prices by tf.constant(1.2).")


def _q6_tensors() -> dict:
    """The tensors of question 01.q6, built as the question shows them (in the check's fresh graph)."""
    a = constant([[1, 2], [3, 4]])
    b = constant(2.5)
    c = zeros([2, 3])
    return {"a = tf.constant([[1, 2], [3, 4]])": a, "b = tf.constant(2.5)": b, "c = tf.zeros([2, 3])": c,
            "d = a + a": a + a}


def _parts(printed: str) -> dict:
    """The name, shape and dtype in a printed tensor such as ``Tensor("add:0", shape=(2, 2), dtype=int32)``."""
    match = re.fullmatch(r'\s*Tensor\("([^"]*)",\s*shape=(\([^)]*\)),\s*dtype=(\w+)\)\s*', printed)
    return {} if not match else {"name": match[1], "shape": match[2].replace(" ", ""), "dtype": match[3]}


@question("01.q6", "printed")
def _(printed):
    tensors = _q6_tensors()
    expect(isinstance(printed, (list, tuple)) and len(printed) == len(tensors) and
           all(isinstance(line, str) for line in printed),
           f"`printed` should be a list of {len(tensors)} strings, one per tensor, in the order a, b, c, d.")
    hints = {"name": "an op is named after its type (Const, zeros, add), and a second op of the same name gets "
                     "'_1'; the tensor adds ':0'.",
             "shape": "the shape lists the length of each level of brackets, outermost first; a scalar's is ().",
             "dtype": "Python ints become int32, floats float32, and a + a keeps the dtype of a."}
    for (code, tensor), line in zip(tensors.items(), printed):
        parts = _parts(line)
        expect(parts, f"what you wrote for `{code}`, {line!r}, is not what print shows for a tensor.",
               'copy the pattern Tensor("name:0", shape=(…), dtype=…) from the notebook.')
        for part, wanted in _parts(str(tensor)).items():
            expect(parts[part] == wanted, f"the {part} you predicted for `{code}`, {parts[part]}, is not right.",
                   hints[part])

"""Every differentiable op against central finite differences, and tf.gradients' TF1 semantics.

``CASES`` maps each op type with a registered gradient to graphs that contain it.  For each
case the analytic vector-Jacobian product ``tf.gradients(outputs, inputs, grad_ys=w)`` (random
``w``) must equal ``d/dx sum(w * outputs(x))`` from central differences, in float64.  Inputs
have random values (and partly random shapes, with broadcasting); some cases feed them through
placeholders of unknown shape, which exercises the dynamic-shape gradient code.

``test_every_differentiable_op_has_a_check`` fails when an op type gets a gradient but no case.
"""
from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.ops.array_ops import Slice
from minitf.ops.base import apply_op, create_op, gradient_function, registered_ops
from minitf.ops.math_ops import Add
from minitf.ops.nn_ops import SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits

SOURCE_OPS = {"Const", "Placeholder"}   # no inputs: nothing to differentiate through
REFUSED = {"WhileGrad"}   # its gradient raises TF1's TypeError (second derivatives through a loop)


class Case:
    """A graph ``build(*inputs) -> tensor or list of tensors`` and how to draw its float64 inputs.

    ``inputs`` are shapes (drawn uniform in ``low..high``, kept ``away`` from 0 in absolute value)
    or callables ``rng -> array``; ``dynamic`` feeds them through placeholders of unknown shape.
    """

    def __init__(self, build, *inputs, low=-2.0, high=2.0, away=0.0, dynamic=False, step=1e-6, tol=1e-6):
        self.build, self.inputs, self.dynamic, self.step, self.tol = build, inputs, dynamic, step, tol
        self.low, self.high, self.away = low, high, away

    def draw(self, rng) -> list:
        arrays = []
        for spec in self.inputs:
            if callable(spec):
                arrays.append(np.asarray(spec(rng), np.float64))
                continue
            a = rng.uniform(self.low, self.high, size=spec)
            if self.away:
                a = np.where(np.abs(a) < self.away, np.sign(a + 1e-12) * (self.away + np.abs(a)), a)
            arrays.append(a)
        return arrays


def distinct(shape, scale=1.0):
    """Values with no ties (max/min/max_pool are not differentiable at ties)."""
    def draw(rng):
        n = int(np.prod(shape))
        return (rng.permutation(n).reshape(shape) * 0.37 + rng.uniform(0, 0.1, size=shape)) * scale / max(n, 1)
    return draw


def positive(shape, low=0.5, high=2.0):
    return lambda rng: rng.uniform(low, high, size=shape)


def broadcast_pair(rng):
    """Two random shapes that broadcast together: ([a, b, c], [b, 1]), ([a, 1], [c]), ..."""
    a, b, c = rng.randint(1, 4, size=3)
    return [([a, b, c], [b, c]), ([a, 1, c], [b, 1]), ([b, 1], [a, b, c]), ([c], [a, b, c]),
            ([], [a, c]), ([a, c], [])][rng.randint(6)]


def binary_cases(fn, seed, **kw):
    """Three random broadcasting pairs and two fed through placeholders of unknown shape."""
    rng = np.random.RandomState(seed)
    cases = [Case(fn, *broadcast_pair(rng), **kw) for _ in range(3)]
    return cases + [Case(fn, [3, 4], [4], dynamic=True, **kw), Case(fn, [2, 1, 3], [4, 1], dynamic=True, **kw)]


def grad_of(forward, wrt_value, *inputs_of_grad):
    """A graph for a gradient op: ``d forward(x)/dx`` with x fixed to ``wrt_value``, ``grad_ys`` an input."""
    def build(g, *others):
        x = tf.constant(wrt_value)
        return tf.gradients(forward(x, *others), x, grad_ys=g)[0]
    return build


X = np.random.RandomState(7).permutation(2 * 5 * 5 * 3).reshape(2, 5, 5, 3) * 0.1   # no ties for max_pool
W = np.random.RandomState(8).uniform(-1, 1, size=(3, 3, 3, 2))


def conv(x, w, strides=(1, 1, 1, 1), padding="SAME", dilations=(1, 1, 1, 1)):
    return tf.nn.conv2d(x, w, strides=list(strides), padding=padding, dilations=list(dilations))


def pool(kind, ksize=3, stride=2, padding="SAME"):
    return lambda x: kind(x, [1, ksize, ksize, 1], [1, stride, stride, 1], padding)


def distribution(shape):
    """Rows that are probability distributions (what softmax cross entropy expects as labels)."""
    def draw(rng):
        p = rng.uniform(0.1, 1.0, size=shape)
        return p / p.sum(axis=-1, keepdims=True)
    return draw


def conv_filter_grad(g, x):
    w = tf.constant(W)
    return tf.gradients(conv(x, w), w, grad_ys=g)[0]


def conv_input_grad(g, w):
    x = tf.constant(X)
    return tf.gradients(conv(x, w, (1, 2, 2, 1)), x, grad_ys=g)[0]


def max_pool_grad_grad(g, gg):
    x = tf.constant(X)
    dx = tf.gradients(pool(tf.nn.max_pool)(x), x, grad_ys=g)[0]
    return tf.gradients(dx, g, grad_ys=gg)[0]


def both_outputs(kind):
    return lambda logits, labels: create_op(kind, [logits, labels], kind.type).outputs


def sparse_both_outputs(logits):
    labels = tf.constant(np.array([0, 3, 1], np.int32))
    return create_op(SparseSoftmaxCrossEntropyWithLogits(), [logits, labels], "xent").outputs


def slice_op(begin, size):
    """TF1's Slice op (tf.slice builds a StridedSlice; imported TF graphs hold Slice)."""
    return lambda x: apply_op(Slice(), (x, begin, size), "Slice", same_dtype=False, arg_names=("input", "begin", "size"))


def resize(kind, size, **flags):
    """``tf.image.resize_bilinear`` or ``resize_nearest_neighbor`` to ``size``; bilinear's float32 output
    cast back to float64 for the check."""
    def build(x):
        out = kind(x, size, **flags)
        return tf.cast(out, tf.float64) if out.dtype == tf.float32 else out
    return build


def resize_grad(kind, image, **flags):
    """The gradient op of a resize of ``image``, its output gradients ``g`` as the input (float32 for
    bilinear, whose output is float32)."""
    def build(g):
        x = tf.constant(image)
        out = kind(x, g.shape.as_list()[1:3], **flags)
        return tf.gradients(out, x, grad_ys=tf.cast(g, out.dtype))[0]
    return build


def on_float32_grid(shape):
    """Values exact in float32 (multiples of 1/256): a bilinear resize is linear, and so exact at any step."""
    return lambda rng: rng.randint(-512, 512, size=shape) / 256


def activation_grad_both(fn):
    """Gradient op ``(gradients, features)`` with both as inputs (second derivatives)."""
    return lambda g, x: tf.gradients(fn(x), x, grad_ys=g)[0]


CASES = {
    "Abs": [Case(tf.abs, [3, 4], away=0.1)],
    "AddN": [Case(lambda a, b, c: tf.add_n([a, b, c]), [2, 3], [2, 3], [2, 3])],
    "Add": [Case(lambda a, b: apply_op(Add(), (a, b), "Add"), [2, 3], [3])],   # TF1's Add (minitf: strings)
    "AddV2": binary_cases(lambda a, b: a + b, seed=1),
    "AvgPool": [Case(pool(tf.nn.avg_pool), [2, 5, 5, 3]), Case(pool(tf.nn.avg_pool, 2, 1, "VALID"), [1, 4, 3, 2]),
                Case(pool(tf.nn.avg_pool, 2, 2, "SAME"), [2, 5, 4, 1], dynamic=True)],
    "AvgPoolGrad": [Case(grad_of(pool(tf.nn.avg_pool), X), [2, 3, 3, 3])],
    "BiasAdd": [Case(tf.nn.bias_add, [2, 3, 4], [4]), Case(tf.nn.bias_add, [5, 2], [2], dynamic=True)],
    "BiasAddGrad": [Case(grad_of(lambda b: tf.nn.bias_add(tf.ones([2, 3, 4], tf.float64), b), np.zeros(4)),
                         [2, 3, 4])],
    "BroadcastTo": [Case(lambda x: tf.broadcast_to(x, [2, 3, 4]), [3, 1]), Case(lambda x: tf.broadcast_to(x, [2, 3]), [])],
    "Cast": [Case(lambda x: tf.cast(tf.cast(x, tf.float32), tf.float64) * 3.0, [3, 2], step=0.5)],
    "ConcatV2": [Case(lambda a, b: tf.concat([a, b], 1), [2, 3], [2, 1]),
                 Case(lambda a, b, c: tf.concat([a, b, c], 0), [1, 2], [3, 2], [2, 2], dynamic=True)],
    "Conv2D": [Case(conv, [2, 5, 5, 3], [3, 3, 3, 2]),
               Case(lambda x, w: conv(x, w, (1, 2, 2, 1), "VALID"), [2, 7, 6, 3], [3, 2, 3, 4]),
               Case(lambda x, w: conv(x, w, (1, 2, 2, 1), "SAME"), [1, 5, 6, 2], [2, 3, 2, 3]),
               Case(lambda x, w: conv(x, w, dilations=(1, 2, 2, 1)), [1, 6, 5, 2], [2, 2, 2, 2]),
               Case(conv, [2, 4, 4, 1], [1, 1, 1, 3], dynamic=True)],
    "Conv2DBackpropFilter": [Case(conv_filter_grad, [2, 5, 5, 2], [2, 5, 5, 3])],
    "Conv2DBackpropInput": [Case(conv_input_grad, [2, 3, 3, 2], [3, 3, 3, 2])],
    "Cos": [Case(tf.cos, [4])],
    "DivNoNan": [Case(tf.div_no_nan, [3, 4], [4], away=0.5),
                 Case(lambda x: tf.div_no_nan(x, tf.constant([2.0, 0.0], tf.float64)), [3, 2])],
    "Elu": [Case(tf.nn.elu, [3, 4], away=0.1)],
    "EluGrad": [Case(activation_grad_both(tf.nn.elu), [3, 4], [3, 4], away=0.1)],
    "Exp": [Case(tf.exp, [2, 3])],
    "ExpandDims": [Case(lambda x: tf.expand_dims(x, 1), [2, 3]), Case(lambda x: tf.expand_dims(x, -1), [3], dynamic=True)],
    "Fill": [Case(lambda v: tf.fill([2, 3], v), [])],
    "FloorMod": [Case(tf.floormod, lambda r: r.uniform(0.1, 0.9, 6) + r.randint(-3, 3, 6) * 1.5,
                      lambda r: np.full(6, 1.5)),
                 Case(tf.floormod, lambda r: (r.uniform(0.1, 0.9, (2, 3)) + r.randint(-3, 3, (2, 3))) * 1.5,
                      lambda r: np.array(1.5), dynamic=True)],
    "GatherV2": [Case(lambda p: tf.gather(p, [2, 0, 2]), [3, 4]), Case(lambda p: tf.gather(p, [[1], [0]], axis=1), [3, 2]),
                 Case(lambda p: tf.nn.embedding_lookup(p, [1, 1, 0]), [2, 3], dynamic=True)],
    "Identity": [Case(tf.identity, [3])],
    "L2Loss": [Case(tf.nn.l2_loss, [3, 2])],
    "Log": [Case(tf.log, positive([4]))],
    "Log1p": [Case(tf.log1p, positive([4], -0.5, 2.0))],
    "LogSoftmax": [Case(tf.nn.log_softmax, [3, 4]), Case(lambda x: tf.nn.log_softmax(x, axis=0), [3, 2])],
    "MatMul": [Case(tf.matmul, [2, 3], [3, 4]),
               Case(lambda a, b: tf.matmul(a, b, transpose_a=True), [3, 2], [3, 4]),
               Case(lambda a, b: tf.matmul(a, b, transpose_b=True), [2, 3], [4, 3]),
               Case(lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True), [3, 2], [4, 3])],
    "BatchMatMulV2": [Case(tf.matmul, [2, 2, 3], [2, 3, 2]), Case(tf.matmul, [2, 3], [3, 1], dynamic=True),
                      Case(tf.matmul, [3, 2, 3], [3, 4]),                       # W's gradient sums over the batch
                      Case(tf.matmul, [2, 1, 2, 3], [3, 3, 2]),                 # batch dims broadcast both ways
                      Case(lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True), [2, 3, 2], [1, 4, 3]),
                      Case(tf.matmul, [2, 2, 3], [3, 4], dynamic=True)],
    "Max": [Case(tf.reduce_max, distinct([3, 4])), Case(lambda x: tf.reduce_max(x, 1), distinct([3, 4])),
            Case(lambda x: tf.reduce_max(x, [0, 2], keepdims=True), distinct([2, 3, 2]), dynamic=True)],
    "MaxPool": [Case(pool(tf.nn.max_pool), distinct([2, 5, 5, 3])),
                Case(pool(tf.nn.max_pool, 2, 2, "VALID"), distinct([1, 4, 5, 2])),
                Case(pool(tf.nn.max_pool, 2, 1, "SAME"), distinct([1, 3, 3, 2]), dynamic=True)],
    "MaxPoolGrad": [Case(grad_of(pool(tf.nn.max_pool), X), [2, 3, 3, 3])],
    "MaxPoolGradGrad": [Case(max_pool_grad_grad, [2, 3, 3, 3], [2, 5, 5, 3])],
    "Maximum": [Case(tf.maximum, distinct([3, 4]), lambda r: r.permutation(12).reshape(3, 4) * 0.05 + 0.01),
                Case(tf.maximum, distinct([2, 3]), lambda r: np.full([3], 0.101), dynamic=True)],
    "Mean": [Case(tf.reduce_mean, [3, 4]), Case(lambda x: tf.reduce_mean(x, 0), [3, 4]),
             Case(lambda x: tf.reduce_mean(x, [1], keepdims=True), [2, 3, 2], dynamic=True),
             Case(tf.reduce_mean, [2, 3], dynamic=True)],
    "Min": [Case(tf.reduce_min, distinct([3, 4])), Case(lambda x: tf.reduce_min(x, -1), distinct([2, 3]), dynamic=True)],
    "Minimum": [Case(tf.minimum, distinct([3, 4]), lambda r: r.permutation(12).reshape(3, 4) * 0.05 + 0.01),
                Case(tf.minimum, distinct([2, 3]), lambda r: np.full([3], 0.101), dynamic=True)],
    "Mul": binary_cases(lambda a, b: a * b, seed=2),
    "Neg": [Case(tf.negative, [2, 2])],
    "Pack": [Case(lambda a, b: tf.stack([a, b], axis=1), [2, 3], [2, 3])],
    "PlaceholderWithDefault": [Case(lambda x: tf.placeholder_with_default(x, [2, 3]) * 2.0, [2, 3])],
    "Pow": [Case(tf.pow, positive([3, 2]), [3, 2]), Case(tf.pow, positive([2, 3]), [3], dynamic=True)],
    "Prod": [Case(tf.reduce_prod, [2, 3], away=0.2), Case(lambda x: tf.reduce_prod(x, 1), [3, 2], away=0.2)],
    "RealDiv": binary_cases(lambda a, b: a / b, seed=3, away=0.5),
    "Reciprocal": [Case(tf.reciprocal, [4], away=0.5)],
    "Relu": [Case(tf.nn.relu, [3, 4], away=0.1)],
    "ReluGrad": [Case(activation_grad_both(tf.nn.relu), [3, 4], [3, 4], away=0.1)],
    "Relu6": [Case(tf.nn.relu6, lambda r: r.choice([-1.3, -0.2, 0.4, 2.5, 5.5, 6.7], 12) + r.uniform(-0.05, 0.05, 12))],
    "Relu6Grad": [Case(activation_grad_both(tf.nn.relu6), [4],
                       lambda r: r.choice([-1.3, -0.2, 0.4, 2.5, 5.5, 6.7], 4) + r.uniform(-0.05, 0.05, 4))],
    "Print": [Case(lambda x: tf.Print(x, [x], "x: ") * 2.0, [3])],
    "TopKV2": [Case(lambda x: tf.nn.top_k(x, 2)[0] * [1.0, 3.0], distinct([3, 5]))],
    "Merge": [Case(lambda a, b: tf.cond(tf.constant(True), lambda: a * b, lambda: a + b), [2, 3], [2, 3]),
              Case(lambda a, b: tf.cond(tf.constant(False), lambda: a * b, lambda: a - b), [3], [3])],
    "Scan": [Case(lambda x, w: tf.map_fn(lambda r: tf.tanh(r * w) * r, x), [4, 3], [3], dynamic=True),
             Case(lambda x, a: tf.scan(lambda acc, r: acc * tf.sin(r) + r * r, x, initializer=a, reverse=True),
                  [4, 3], [3])],
    "While": [Case(lambda x, w: tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h * w + x)),
                                              [0, x])[1], [2, 3], [3]),
              Case(lambda x, a: tf.while_loop(lambda h: tf.reduce_sum(tf.abs(h)) < 20.0, lambda h: h * a + x, [x],
                                              maximum_iterations=9), positive([3]), positive([3], 1.2, 2.0),
                   dynamic=True)],
    "Reshape": [Case(lambda x: tf.reshape(x, [3, 2]), [2, 3]), Case(lambda x: tf.reshape(x, [-1]), [2, 3], dynamic=True)],
    "Rsqrt": [Case(tf.rsqrt, positive([4]))],
    "Select": [Case(lambda a, b: tf.where(tf.constant([[True, False, True], [False, False, True]]), a, b), [2, 3], [2, 3])],
    "Sigmoid": [Case(tf.sigmoid, [3, 2])],
    "Sign": [Case(lambda x: tf.sign(x) * x, [4], away=0.1)],
    "Sin": [Case(tf.sin, [4])],
    "Slice": [Case(slice_op([0, 1], [2, -1]), [3, 3]), Case(lambda x: tf.slice(x, [1, 0], [1, 2]), [3, 3])],
    "SliceGrad": [Case(grad_of(slice_op([1, 1], [2, 2]), np.zeros((3, 4))), [2, 2])],
    "Softmax": [Case(tf.nn.softmax, [3, 4]), Case(lambda x: tf.nn.softmax(x, axis=0), [3, 2]),
                Case(tf.nn.softmax, [2, 3], dynamic=True)],
    "SoftmaxCrossEntropyWithLogits": [Case(both_outputs(SoftmaxCrossEntropyWithLogits()), [3, 4], distribution([3, 4])),
                                      Case(lambda lo, la: tf.nn.softmax_cross_entropy_with_logits_v2(labels=la, logits=lo),
                                           [2, 5], distribution([2, 5]))],
    "Softplus": [Case(tf.nn.softplus, [3, 4])],
    "SoftplusGrad": [Case(activation_grad_both(tf.nn.softplus), [3, 4], [3, 4])],
    "SparseSoftmaxCrossEntropyWithLogits": [Case(sparse_both_outputs, [3, 4])],
    "Split": [Case(lambda x: tf.split(x, 2, axis=0), [4, 2]), Case(lambda x: tf.split(x, 3, axis=-1), [2, 3])],
    "SplitV": [Case(lambda x: tf.split(x, [1, 2], axis=1), [2, 3]), Case(lambda x: tf.split(x, [2, -1]), [5, 2])],
    "Sqrt": [Case(tf.sqrt, positive([4]))],
    "Square": [Case(tf.square, [4])],
    "SquaredDifference": binary_cases(tf.squared_difference, seed=4),
    "Squeeze": [Case(tf.squeeze, [2, 1, 3]), Case(lambda x: tf.squeeze(x, [0]), [1, 3])],
    "StridedSlice": [Case(lambda x: x[1:, ::2], [3, 5]), Case(lambda x: x[0], [3, 2]), Case(lambda x: x[..., 1], [2, 2, 3]),
                     Case(lambda x: x[1:3, -2], [4, 3]),
                     # tensors in the key: TF1's form, begin/end/strides as inputs (DynamicStridedSlice)
                     Case(lambda x: x[tf.constant(1)], [3, 2]), Case(lambda x: x[tf.constant(-1), :, 1:], [2, 3, 3]),
                     Case(lambda x: x[:tf.constant(2, tf.int64), ::2], [3, 5])],
    "StridedSliceGrad": [Case(grad_of(lambda x: x[1:, ::2], np.zeros((3, 5))), [2, 3]),
                         Case(grad_of(lambda x: x[tf.constant(1):, tf.constant(2)], np.zeros((3, 5))), [2])],
    "Sub": binary_cases(lambda a, b: a - b, seed=5),
    "Sum": [Case(tf.reduce_sum, [3, 4]), Case(lambda x: tf.reduce_sum(x, 1), [3, 4]),
            Case(lambda x: tf.reduce_sum(x, [0, 2], keepdims=True), [2, 3, 2], dynamic=True),
            Case(lambda x: tf.reduce_sum(x, -1), [2, 3], dynamic=True)],
    "Tanh": [Case(tf.tanh, [3, 2])],
    "Tile": [Case(lambda x: tf.tile(x, [2, 3]), [2, 2])],
    "Transpose": [Case(tf.transpose, [2, 3]), Case(lambda x: tf.transpose(x, [1, 2, 0]), [2, 3, 4])],
    "Unpack": [Case(lambda x: tf.unstack(x, axis=1), [2, 3])],
    # TF1's wider math and array ops (tests/data/tf1_oracle/symbols.py checks their values against TF 1.15)
    "Tan": [Case(tf.tan, [4], low=-1.2, high=1.2)],
    "Asin": [Case(tf.asin, [4], low=-0.9, high=0.9)],
    "Acos": [Case(tf.acos, [4], low=-0.9, high=0.9)],
    "Atan": [Case(tf.atan, [4])],
    "Sinh": [Case(tf.sinh, [4])],
    "Cosh": [Case(tf.cosh, [4])],
    "Erf": [Case(tf.erf, [2, 3])],
    "Expm1": [Case(tf.expm1, [2, 3])],
    "Atan2": binary_cases(tf.atan2, seed=6, away=0.3),
    "Cumsum": [Case(lambda x: tf.cumsum(x, 1), [2, 3]), Case(lambda x: tf.cumsum(x, 0, exclusive=True), [3, 2]),
               Case(lambda x: tf.cumsum(x, -1, exclusive=True, reverse=True), [2, 4], dynamic=True)],
    "Cumprod": [Case(lambda x: tf.cumprod(x, 1), [2, 3], away=0.3),
                Case(lambda x: tf.cumprod(x, 0, exclusive=True, reverse=True), [3, 2], away=0.3)],
    "ReverseV2": [Case(lambda x: tf.reverse(x, [1]), [2, 3]), Case(lambda x: tf.reverse(x, [0, -1]), [2, 3, 2])],
    "Pad": [Case(lambda x: tf.pad(x, [[1, 0], [2, 1]]), [2, 3]), Case(lambda x: tf.pad(x, [[0, 1]]), [3], dynamic=True)],
    "PadV2": [Case(lambda x: tf.pad(x, [[1, 1], [0, 2]], constant_values=2.0), [2, 3])],
    "MirrorPad": [Case(lambda x: tf.pad(x, [[1, 2], [2, 1]], "REFLECT"), [3, 4]),
                  Case(lambda x: tf.pad(x, [[2, 1], [0, 3]], "SYMMETRIC"), [3, 4])],
    "MirrorPadGrad": [Case(grad_of(lambda x: tf.pad(x, [[1, 2], [2, 1]], "REFLECT"), np.zeros((3, 4))), [6, 7]),
                      Case(grad_of(lambda x: tf.pad(x, [[2, 1], [0, 3]], "SYMMETRIC"), np.zeros((3, 4))), [6, 7])],
    "Diag": [Case(tf.diag, [3]), Case(tf.diag, [2, 2])],
    "GatherNd": [Case(lambda p: tf.gather_nd(p, [[0, 1], [2, 0], [0, 1]]), [3, 2]),
                 Case(lambda p: tf.gather_nd(p, [[1]]), [2, 3], dynamic=True)],
    "ScatterNd": [Case(lambda u: tf.scatter_nd([[1], [3], [1]], u, [5, 2]), [3, 2])],
    "DiagPart": [Case(tf.diag_part, [3, 3]), Case(tf.diag_part, [2, 3, 2, 3])],
    # tf.image's resizes (tests/ops/test_image_resize.py checks their values against TF 1.15)
    "ResizeBilinear": [Case(resize(tf.image.resize_bilinear, [7, 5]), on_float32_grid([2, 3, 4, 2]), step=0.5),
                       Case(resize(tf.image.resize_bilinear, [2, 3], align_corners=True), on_float32_grid([1, 5, 4, 1]),
                            step=0.5),
                       Case(resize(tf.image.resize_bilinear, [5, 6], half_pixel_centers=True),
                            on_float32_grid([1, 3, 4, 2]), step=0.5, dynamic=True)],
    "ResizeBilinearGrad": [Case(resize_grad(tf.image.resize_bilinear, np.zeros((2, 3, 4, 2))), on_float32_grid([2, 7, 5, 2]),
                                step=0.5),
                           Case(resize_grad(tf.image.resize_bilinear, np.zeros((1, 5, 3, 1)), half_pixel_centers=True),
                                on_float32_grid([1, 2, 4, 1]), step=0.5)],
    "ResizeNearestNeighbor": [Case(resize(tf.image.resize_nearest_neighbor, [7, 5]), [2, 3, 4, 2]),
                              Case(resize(tf.image.resize_nearest_neighbor, [2, 3], align_corners=True), [1, 5, 4, 1]),
                              Case(resize(tf.image.resize_nearest_neighbor, [5, 6], half_pixel_centers=True), [1, 3, 4, 2],
                                   dynamic=True)],
    "ResizeNearestNeighborGrad": [
        Case(resize_grad(tf.image.resize_nearest_neighbor, np.zeros((2, 3, 4, 2))), [2, 7, 5, 2]),
        Case(resize_grad(tf.image.resize_nearest_neighbor, np.zeros((1, 5, 3, 1)), align_corners=True), [1, 2, 4, 1])],
}


def _evaluate(case: Case, arrays, seed):
    """(analytic vector-Jacobian products, numerical ones, the ops of the graph)."""
    tf.reset_default_graph()
    placeholders = [tf.placeholder(tf.float64, None if case.dynamic else a.shape) for a in arrays]
    outputs = case.build(*placeholders)
    outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    feed = dict(zip(placeholders, arrays))
    with tf.Session() as sess:
        values = sess.run(outputs, feed)
        rng = np.random.RandomState(seed)
        weights = [rng.standard_normal(np.shape(v)) for v in values]
        grads = tf.gradients(outputs, placeholders, grad_ys=[tf.constant(w) for w in weights])
        analytic = [np.zeros(a.shape) if g is None else sess.run(g, feed) for g, a in zip(grads, arrays)]

        def objective(point):
            outs = sess.run(outputs, dict(zip(placeholders, point)))
            return sum(float(np.sum(w * o)) for w, o in zip(weights, outs))

        numeric = []
        for i, a in enumerate(arrays):
            d = np.zeros(a.shape)
            for index in np.ndindex(*a.shape):
                up = [b.copy() for b in arrays]
                down = [b.copy() for b in arrays]
                up[i][index] += case.step
                down[i][index] -= case.step
                d[index] = (objective(up) - objective(down)) / (2 * case.step)
            numeric.append(d)
        ops = {op.type for op in tf.get_default_graph().get_operations()}
    return analytic, numeric, ops


@pytest.mark.parametrize("op_type,index", [(t, i) for t in sorted(CASES) for i in range(len(CASES[t]))])
def test_gradient_matches_finite_differences(op_type, index):
    case = CASES[op_type][index]
    arrays = case.draw(np.random.RandomState(1000 + index))
    analytic, numeric, ops = _evaluate(case, arrays, seed=index)
    assert op_type in ops, f"the case for {op_type} does not build a {op_type} op (it has {sorted(ops)})"
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        np.testing.assert_allclose(a, n, rtol=case.tol, atol=case.tol,
                                   err_msg=f"{op_type} case {index}: gradient of input {i}")


def test_every_differentiable_op_has_a_check():
    """An op type with a gradient function and no finite-difference case is a failing test."""
    differentiable = set()
    engine_ops = [op_type for op_type, kind in registered_ops().items() if kind.__module__.startswith("minitf.")]
    for op_type in engine_ops:   # (not the op classes other tests define, whichever ran first)
        try:
            if gradient_function(op_type) is not None:
                differentiable.add(op_type)
        except LookupError:
            assert op_type in SOURCE_OPS, f"{op_type} has neither a gradient nor NotDifferentiable()"
    assert differentiable - set(CASES) - REFUSED == set(), "add finite-difference cases to CASES for these op types"
    assert set(CASES) - differentiable == set(), "these CASES name op types without a gradient"


# ---- tf.gradients semantics -------------------------------------------------------------------
def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_gradients_sum_over_ys_and_paths():
    x = tf.constant(3.0)
    y1, y2 = x * x, 2.0 * x
    assert tf.gradients(y1, x)[0].name == "gradients/AddN:0"  # x reaches x*x twice: an AddN sums them
    assert run(tf.gradients([y1, y2], x)) == [8.0]            # d(x^2 + 2x)/dx at 3


def test_unconnected_input_gives_none_or_zero():
    x, z = tf.constant(1.0), tf.constant([1.0, 2.0])
    y = x * 2.0
    assert tf.gradients(y, [x, z])[1] is None
    assert list(run(tf.gradients(y, z, unconnected_gradients="zero"))[0]) == [0.0, 0.0]


def test_no_gradient_through_integers():
    x = tf.constant([1.0, 5.0, 2.0])
    y = tf.cast(tf.argmax(x), tf.float32) * x
    assert run(tf.gradients(tf.reduce_sum(y), x))[0].tolist() == [1.0, 1.0, 1.0]   # argmax path contributes nothing
    assert tf.gradients(tf.cast(tf.argmax(x), tf.float32), x) == [None]


def test_stop_gradient_and_stop_gradients():
    a, b = tf.constant(2.0), tf.constant(3.0)
    c = a * b
    assert tf.gradients(tf.stop_gradient(c) * a, b) == [None]
    assert run(tf.gradients(tf.stop_gradient(c) * a, a)) == [6.0]
    # stop_gradients: gradients reach a and b (1 each) but do not flow through them into anything else
    d = a + b
    assert run(tf.gradients(d, [a, b], stop_gradients=[a, b])) == [1.0, 1.0]
    e = c + a
    assert run(tf.gradients(e, [a, c], stop_gradients=[c])) == [1.0, 1.0]   # not b + 1 through c


def test_grad_ys_weights_the_output():
    x = tf.constant([1.0, 2.0])
    y = x * x
    assert run(tf.gradients(y, x, grad_ys=tf.constant([10.0, -1.0])))[0].tolist() == [20.0, -4.0]
    with pytest.raises(ValueError, match="grad_ys"):
        tf.gradients([y, y], x, grad_ys=[tf.constant([1.0, 1.0])])


def test_gradient_of_gradient():
    x = tf.placeholder(tf.float32, [])
    y = x * x * x
    dy = tf.gradients(y, x)[0]
    d2y = tf.gradients(dy, x)[0]
    assert run([dy, d2y], {x: 2.0}) == [12.0, 12.0]     # 3x^2 and 6x at 2


def test_gradient_of_a_variable_goes_through_its_read():
    w = tf.Variable([1.0, -2.0])
    g = tf.gradients(tf.reduce_sum(w * w), w)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(g).tolist() == [2.0, -4.0]


def test_op_without_gradient_raises_lookup_error():
    from minitf.ops.base import Op

    class NoGradYet(Op):
        type = "MinitfTestNoGradYet"

        def forward(self, x):
            return x

    x = tf.constant(1.0)
    y = apply_op(NoGradYet(), (x,), "nograd", arg_names=("x",))
    with pytest.raises(LookupError, match="No gradient defined for operation 'nograd' "
                                          r"\(op type: MinitfTestNoGradYet\)"):
        tf.gradients(y, x)


def test_gradient_ops_are_named_like_tf1():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.ones([3, 2]), name="w")
    loss = tf.reduce_sum(tf.matmul(x, w))
    g = tf.gradients(loss, w)[0]
    assert g.name == "gradients/MatMul_grad/MatMul_1:0"
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"gradients/Shape", "gradients/grad_ys_0", "gradients/Fill"} <= names


def test_a_batch_times_one_matrix_trains_that_matrix():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    w = tf.Variable(np.arange(12, dtype=np.float32).reshape(3, 4) / 10)
    y = tf.matmul(x, w)
    assert (y.op.type, y.shape.as_list()) == ("BatchMatMulV2", [None, 2, 4])
    loss = tf.reduce_sum(tf.square(y - 1.0))
    grad, = tf.gradients(loss, w)
    assert grad.shape.as_list() == [3, 4]        # summed over the batch, as TF1 does
    step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    data = np.random.RandomState(0).rand(5, 2, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(w.initializer)
        expected = np.einsum("bij,bik->jk", data, 2 * (data @ sess.run(w) - 1.0))
        np.testing.assert_allclose(sess.run(grad, {x: data}), expected, rtol=1e-5)
        before = sess.run(loss, {x: data})
        for _ in range(5):
            sess.run(step, {x: data})
        assert sess.run(w).shape == (3, 4) and sess.run(loss, {x: data}) < before


def test_numerically_stable_softmax_and_cross_entropy():
    logits = tf.constant([[1000.0, 0.0, -1000.0]])
    labels = tf.constant([[0.0, 1.0, 0.0]])
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2], logits=logits)
    sig = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[-1000.0, 1000.0])
    grads = tf.gradients(loss, logits)[0]
    values = run([tf.nn.softmax(logits), tf.nn.log_softmax(logits), loss, sparse, sig, grads])
    for v in values:
        assert np.all(np.isfinite(v)), values
    assert values[2].tolist() == [1000.0] and values[3].tolist() == [2000.0]
    assert values[4].tolist() == [1000.0, 1000.0]
    assert values[5].tolist() == [[1.0, -1.0, 0.0]]


def test_an_optimizers_gradients_carry_tf1s_gate_names():
    """compute_gradients gates each op's input gradients (GATE_OP, TF1's default), so the tensor it returns is
    named as TF 1.15.5 printed it; tf.gradients and GATE_NONE do not gate."""
    tf.reset_default_graph()
    W = tf.Variable(5.0)
    cost = tf.reduce_mean(tf.square([1.0, 2.0, 3.0] * W - [1.0, 2.0, 3.0]))
    optimizer = tf.train.GradientDescentOptimizer(0.01)
    (grad, var), = optimizer.compute_gradients(cost, [W])
    assert grad.name == "gradients/mul_grad/tuple/control_dependency_1:0" and var is W
    assert "tuple" not in tf.gradients(cost, [W])[0].name
    ungated, = optimizer.compute_gradients(cost, [W], gate_gradients=optimizer.GATE_NONE)
    assert ungated[0].name.startswith("gradients_2/mul_grad/") and "tuple" not in ungated[0].name
    with tf.Session() as sess:
        sess.run(W.initializer)
        assert sess.run(grad) == sess.run(ungated[0]) == pytest.approx(37.333336)


def test_a_second_derivative_through_a_while_loop_is_refused_as_in_tf1():
    tf.reset_default_graph()
    x = tf.constant(2.0)
    _, y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), [0, tf.constant(1.0)])
    dy, = tf.gradients(y, [x])
    with tf.Session() as sess:
        assert sess.run(dy) == 12.0                      # d(x**3)/dx at 2
    with pytest.raises(TypeError, match=r"^Second-order gradient for while loops not supported.$"):
        tf.gradients(dy, [x])

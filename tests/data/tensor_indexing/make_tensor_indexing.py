"""Regenerate tests/data/tensor_indexing/: a graph real TensorFlow 1.15 built with tensors in its indices.

    PYTHON_WITH_TENSORFLOW_1_15 tests/data/tensor_indexing/make_tensor_indexing.py

TensorFlow makes every ``x[t]`` a ``StridedSlice`` whose ``begin``, ``end`` and ``strides`` are
inputs (``strided_slice/stack``...), and its gradient a ``StridedSliceGrad`` with the same inputs.
This writes, next to this script, ``indexing.pbtxt`` (the GraphDef as ``tf.train.write_graph``
writes it), ``indexing.meta`` (``tf.train.export_meta_graph``), ``expected.npz`` (what TensorFlow
computed for ``FEEDS``) and ``expected.json`` (the outputs' static shapes as TensorFlow printed
them) for tests/ops/test_tensor_indexing.py.  TensorFlow is never a dependency of minitf: run this
by hand in a throwaway environment.
"""
import json
import os

import numpy as np

OUTPUTS = ["row", "head", "window", "mixed", "negative", "wide", "direct", "tail", "grad_xx", "grad_x"]


def build(tf):
    """The graph: indexing with int32 and int64 scalar tensors, mixed keys, tf.strided_slice of
    tensors, and the gradient through two of them."""
    x = tf.placeholder(tf.float32, [5, 3], name="x")
    xx = tf.placeholder(tf.float32, [4, 5, 6], name="xx")
    t = tf.placeholder(tf.int32, [], name="t")
    n = tf.placeholder(tf.int32, [], name="n")
    t64 = tf.placeholder(tf.int64, [], name="t64")
    b = tf.placeholder(tf.int32, [2], name="b")
    e = tf.placeholder(tf.int32, [2], name="e")
    row = tf.identity(x[t], name="row")
    tf.identity(x[:n], name="head")
    tf.identity(x[t:t + 2], name="window")
    mixed = tf.identity(xx[t, :, n], name="mixed")
    tf.identity(x[-t], name="negative")
    tf.identity(x[t64], name="wide")
    tf.identity(tf.strided_slice(x, b, e, [1, 2]), name="direct")
    tf.identity(tf.strided_slice(x, b, e), name="tail")
    grad_xx, grad_x = tf.gradients(tf.reduce_sum(mixed * mixed) + tf.reduce_sum(row * 3.0), [xx, x])
    tf.identity(grad_xx, name="grad_xx")
    tf.identity(grad_x, name="grad_x")


def feeds():
    """Tensor name -> value fed to compute expected.npz."""
    return {"x:0": np.arange(15.0, dtype=np.float32).reshape(5, 3),
            "xx:0": np.arange(120.0, dtype=np.float32).reshape(4, 5, 6),
            "t:0": 1, "n:0": 2, "t64:0": -2, "b:0": [1, 0], "e:0": [4, 3]}


def main() -> None:
    import tensorflow as tf

    here = os.path.dirname(os.path.abspath(__file__))
    graph = tf.Graph()
    with graph.as_default():
        build(tf)
        tf.train.write_graph(graph, here, "indexing.pbtxt")
        tf.train.export_meta_graph(os.path.join(here, "indexing.meta"))
        with tf.Session() as sess:
            values = sess.run([f"{name}:0" for name in OUTPUTS], feeds())
        shapes = {name: str(graph.get_tensor_by_name(f"{name}:0").shape) for name in OUTPUTS}
    np.savez(os.path.join(here, "expected.npz"), **dict(zip(OUTPUTS, values)))
    with open(os.path.join(here, "expected.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "shapes": shapes}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()

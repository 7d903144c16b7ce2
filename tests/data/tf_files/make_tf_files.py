"""Regenerate tests/data/tf_files/: checkpoints and graphs written by real TensorFlow.

    python tests/data/tf_files/make_tf_files.py PYTHON_WITH_TENSORFLOW [OUT_DIR]

``PYTHON_WITH_TENSORFLOW`` is an interpreter that can ``import tensorflow`` (TensorFlow 1.15, or
2.x through ``tensorflow.compat.v1``); it is run on this same file, which then writes the files
under ``OUT_DIR/tf<major version>/`` (default: next to this script).  TensorFlow is never a
dependency of minitf: this script is run by hand, in a throwaway environment, and its small
outputs are committed as test data for tests/train/test_tf_interop.py.

What is written (each directory also holds ``expected.npz``, the values TensorFlow computed, and
``expected.json``, what ``tf.train.list_variables`` said and the strings stored):

- ``mlp/``       a small classifier trained 3 steps with Adam: ``model.ckpt-3.{index,data,meta}``
                 and the ``checkpoint`` file, its outputs on fixed inputs, and its variables after
                 one more training step run in TensorFlow;
- ``frozen/``    the same classifier frozen into constants: ``mlp_frozen.pb`` (binary, what
                 ``graph_util.convert_variables_to_constants`` gives) and ``mlp_frozen.pbtxt``
                 (text, what ``tf.train.write_graph`` writes by default);
- ``dtypes/``    one checkpoint with a tensor of every dtype a checkpoint holds (strings with NUL
                 bytes, empty and scalar tensors, and 40 names, to span several restart points);
- ``sharded/``   a checkpoint in two shards (``Saver(sharded=True)`` over two CPU devices);
- ``multiblock/`` an index larger than one table block (256 KiB), gzip-compressed;
- ``partitioned/`` a variable saved in three slices (``fixed_size_partitioner``);
- ``minitf/tf_op_defs.json`` (not a test file: the package reads it) how TensorFlow
                 declares each op minitf has: its attrs and their defaults, and which attr gives
                 the dtype of each input and output;
- ``object/``     (TensorFlow 2 only) a ``tf.train.Checkpoint`` (object-based) checkpoint.

TensorFlow 2 writes only ``mlp/``, ``frozen/``, ``dtypes/`` and ``object/``: the rest would be
byte-for-byte what TensorFlow 1 writes.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys

X_DATA = [[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]]
Y_DATA = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]]
X_TEST = [[0.5, 0.25], [2.0, -1.0], [0.0, 3.0]]
STRINGS = [[b"a", b""], [b"trailing nul\x00", b"\x00\xff caf\xc3\xa9"]]


OP_DEFS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "minitf",
                       "tf_op_defs.json")
IMPORTED_ONLY = ["Add", "Slice", "SaveV2", "RestoreV2", "StringJoin", "ShardedFilename",
                 "MergeV2Checkpoints"]  # TF ops minitf runs but never builds


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "--inside":
        generate(sys.argv[2])
        import tensorflow

        if tensorflow.__version__.startswith("1."):  # the ops as TF1 declares them
            write_op_defs(sys.argv[3].split(","))
        return
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out_dir = sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(os.path.dirname(OP_DEFS), ".."))
    from minitf.ops.base import registered_ops

    op_types = ",".join(sorted(set(registered_ops()) | set(IMPORTED_ONLY)))
    subprocess.run([sys.argv[1], os.path.abspath(__file__), "--inside", out_dir, op_types],
                   check=True)


def write_op_defs(op_types: list) -> None:
    """minitf/tf_op_defs.json: how TensorFlow declares the ops minitf has (their attrs,
    with defaults as serialized AttrValues in hex, and which attr types each input and output)."""
    from tensorflow.python.framework import op_def_registry

    registry = op_def_registry.get_registered_ops()
    defs = {}
    for op_type in op_types:
        if op_type not in registry:
            continue
        op_def = registry[op_type]
        args = lambda items: [[a.name, a.type_attr or a.type_list_attr, a.number_attr, a.type]
                              for a in items]
        defs[op_type] = {
            "attrs": {a.name: [a.type, a.default_value.SerializeToString().hex()
                               if a.HasField("default_value") else None] for a in op_def.attr},
            "inputs": args(op_def.input_arg), "outputs": args(op_def.output_arg)}
    with open(OP_DEFS, "w") as f:
        json.dump(defs, f, indent=0, sort_keys=True)
        f.write("\n")


def generate(out_dir: str) -> None:
    import numpy as np
    import tensorflow as real_tf

    tf = real_tf.compat.v1
    tf.disable_eager_execution()
    major = real_tf.__version__.split(".")[0]
    root = os.path.join(out_dir, f"tf{major}")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "VERSION"), "w") as f:
        f.write(real_tf.__version__ + "\n")
    os.chdir(root)
    makers = [make_mlp, make_dtypes, make_sharded, make_multiblock, make_partitioned]
    if major != "1":  # TensorFlow 2 writes the same formats: what differs, and its own kind
        makers = [make_mlp, make_dtypes, make_object_checkpoint]
    for make in makers:
        tf.reset_default_graph()
        make(tf, np)


def record(tf, np, directory: str, arrays: dict, strings: dict | None = None,
           list_variables: bool = True) -> None:
    """``expected.npz`` (numbers) and ``expected.json`` (list_variables, strings as hex)."""
    np.savez(os.path.join(directory, "expected.npz"), **arrays)
    prefix = tf.train.latest_checkpoint(directory) or _only_prefix(directory)
    listed = [[name, list(shape)] for name, shape in tf.train.list_variables(prefix)]
    if not list_variables:
        listed = len(listed)
    info = {"prefix": os.path.basename(prefix), "list_variables": listed,
            "strings": {k: [[s.hex() for s in row] for row in v] for k, v in (strings or {}).items()}}
    with open(os.path.join(directory, "expected.json"), "w") as f:
        json.dump(info, f, indent=1, sort_keys=True)


def _only_prefix(directory: str) -> str:
    (name,) = [n for n in os.listdir(directory) if n.endswith(".index")]
    return os.path.join(directory, name[:-len(".index")])


def build_mlp(tf):
    """Seed 004's classifier with biases: X -> relu(X W1 + b1) -> logits -> softmax, Adam."""
    tf.set_random_seed(8)
    global_step = tf.Variable(0, trainable=False, name="global_step")
    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 3], name="Y")
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_uniform([2, 10], -1.0, 1.0), name="W1")
        b1 = tf.Variable(tf.zeros([10]), name="b1")
        L1 = tf.nn.relu(tf.matmul(X, W1) + b1)
    with tf.name_scope("output"):
        W2 = tf.Variable(tf.random_uniform([10, 3], -1.0, 1.0), name="W2")
        b2 = tf.Variable(tf.zeros([3]), name="b2")
        logits = tf.add(tf.matmul(L1, W2), b2, name="logits")
        softmax = tf.nn.softmax(logits, name="softmax")
    prediction = tf.argmax(logits, 1, name="prediction")
    with tf.name_scope("optimizer"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits),
                              name="cost")
        train_op = tf.train.AdamOptimizer(0.01).minimize(cost, global_step=global_step,
                                                         name="train_op")
    return X, Y, logits, softmax, prediction, cost, train_op


def make_mlp(tf, np) -> None:
    X, Y, logits, softmax, prediction, cost, train_op = build_mlp(tf)
    saver = tf.train.Saver()
    x, y = np.array(X_DATA, np.float32), np.array(Y_DATA, np.float32)
    x_test = np.array(X_TEST, np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train_op, {X: x, Y: y})
        saver.save(sess, "mlp/model.ckpt", global_step=3)
        arrays = {"x_test": x_test}
        outputs = sess.run({"logits": logits, "softmax": softmax, "prediction": prediction,
                            "cost": cost}, {X: x_test, Y: y[:3]})
        arrays.update({"out/" + k: v for k, v in outputs.items()})
        arrays.update({"var/" + v.op.name: sess.run(v) for v in tf.global_variables()})
        sess.run(train_op, {X: x, Y: y})
        arrays.update({"step4/" + v.op.name: sess.run(v) for v in tf.global_variables()})
        frozen = tf.graph_util.convert_variables_to_constants(
            sess, sess.graph.as_graph_def(), ["output/softmax", "prediction"])
    record(tf, np, "mlp", arrays)
    os.makedirs("frozen")
    with open("frozen/mlp_frozen.pb", "wb") as f:
        f.write(frozen.SerializeToString())
    tf.train.write_graph(frozen, "frozen", "mlp_frozen.pbtxt")
    tf.reset_default_graph()
    tf.import_graph_def(frozen, name="")
    with tf.Session() as sess:
        softmax_value, prediction_value = sess.run(["output/softmax:0", "prediction:0"],
                                                   {"X:0": x_test})
    np.savez("frozen/expected.npz", x_test=x_test, softmax=softmax_value,
             prediction=prediction_value)


def dtype_samples(np) -> dict:
    """One array per dtype a checkpoint stores, with awkward values."""
    samples = {}
    for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                 "uint16", "uint32", "uint64", "complex64", "complex128"):
        values = (np.arange(6) - 2).astype(np.float64) * 1.25
        if name.startswith(("int", "uint")):
            values = np.arange(6) * 37 + (0 if name.startswith("u") else -100)
        array = np.asarray(values).astype(name).reshape(2, 3)
        if name.startswith("complex"):
            array = array * (1 - 2j)
        samples["dtypes/" + name] = array
    samples["dtypes/bool"] = np.array([True, False, True])
    samples["dtypes/float32_extremes"] = np.array(
        [np.inf, -np.inf, np.finfo(np.float32).max, np.finfo(np.float32).tiny, -0.0], np.float32)
    samples["shapes/scalar"] = np.array(3.5, np.float64)
    samples["shapes/empty"] = np.zeros((0, 4), np.float32)
    samples["shapes/rank4"] = np.arange(2 * 1 * 3 * 2, dtype=np.int32).reshape(2, 1, 3, 2)
    for i in range(40):
        samples[f"many/v_{i:02d}"] = np.full([i % 3 + 1], i, np.int64)
    return samples


def make_dtypes(tf, np) -> None:
    from tensorflow.python.ops import io_ops

    samples = dtype_samples(np)
    names = sorted(samples) + ["strings/matrix", "strings/scalar", "strings/empty"]
    tensors = [tf.constant(samples[n]) for n in sorted(samples)]
    tensors += [tf.constant(STRINGS), tf.constant(b"hello"), tf.constant([], tf.string)]
    save = io_ops.save_v2("dtypes/all.ckpt", names, [""] * len(names), tensors)
    os.makedirs("dtypes")
    with tf.Session() as sess:
        sess.run(save)
    record(tf, np, "dtypes", samples, {"strings/matrix": STRINGS})


def make_sharded(tf, np) -> None:
    with tf.device("/cpu:0"):
        a = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="a")
        tf.Variable(b"on device zero", name="c")
    with tf.device("/cpu:1"):
        b = tf.Variable(np.arange(4, dtype=np.int64) * -3, name="b")
    saver = tf.train.Saver(sharded=True)
    os.makedirs("sharded")
    config = tf.ConfigProto(device_count={"CPU": 2})
    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, "sharded/model.ckpt")
        values = sess.run({"a": a, "b": b})
    record(tf, np, "sharded", values, {"c": [[b"on device zero"]]})


def make_multiblock(tf, np) -> None:
    """1,200 long names: the index spans several 256 KiB blocks (stored gzip-compressed)."""
    from tensorflow.python.ops import io_ops

    names = [f"k{i:04d}_" + "x" * 494 for i in range(1200)]
    tensors = [tf.constant(i, tf.int32) for i in range(1200)]
    os.makedirs("multiblock")
    with tf.Session() as sess:
        sess.run(io_ops.save_v2("multiblock/many.ckpt", names, [""] * 1200, tensors))
    record(tf, np, "multiblock", {"values": np.arange(1200, dtype=np.int32)},
           list_variables=False)
    with open("multiblock/many.ckpt.index", "rb") as f, \
            gzip.GzipFile("multiblock/many.ckpt.index.gz", "wb", mtime=0) as out:
        out.write(f.read())
    os.remove("multiblock/many.ckpt.index")


def make_partitioned(tf, np) -> None:
    value = np.arange(30, dtype=np.float32).reshape(10, 3)
    part = tf.get_variable("part", initializer=tf.constant(value),
                           partitioner=tf.fixed_size_partitioner(3))
    whole = tf.Variable([1.0, 2.0], name="whole")
    saver = tf.train.Saver()
    os.makedirs("partitioned")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, "partitioned/model.ckpt")
        assert np.array_equal(sess.run(tf.convert_to_tensor(part)), value)
        values = {"part": value, "whole": sess.run(whole)}
    record(tf, np, "partitioned", values)


def make_object_checkpoint(tf, np) -> None:
    """TF2's object-based checkpoint: the same bundle format, other names."""
    kernel = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="kernel")
    step = tf.Variable(7, dtype=tf.int64, name="step")
    checkpoint = tf.train.Checkpoint(kernel=kernel, step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        checkpoint.write("object/ckpt", session=sess)
    record(tf, np, "object", {"kernel/.ATTRIBUTES/VARIABLE_VALUE": np.arange(6, dtype=np.float32)
                               .reshape(3, 2), "step/.ATTRIBUTES/VARIABLE_VALUE": np.int64(7)})


if __name__ == "__main__":
    main()

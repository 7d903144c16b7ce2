"""Real TensorFlow's files in minitf, and minitf's files in real TensorFlow.

tests/data/tf_files/ holds checkpoints, a ``.meta`` and frozen graphs that TensorFlow 1.15 and 2.x
wrote (tests/data/tf_files/make_tf_files.py), with the values TensorFlow computed.  minitf must
restore them to the exact values and run the graphs to TensorFlow's outputs.

The other direction -- TensorFlow restoring minitf's checkpoint and importing minitf's graphs --
runs where ``tensorflow`` is importable (it never is a dependency): e.g.
``PYTHONPATH=. /path/to/venv-with-tensorflow/bin/python -m pytest tests/train/test_tf_interop.py``.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import pathlib
import shutil

import numpy as np
import pytest

import minitf as tf

DATA = pathlib.Path(__file__).parents[1] / "data" / "tf_files"
VERSIONS = ["tf1", "tf2"]
X_DATA = np.array([[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]], np.float32)
Y_DATA = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 0, 2]]

pytest.importorskip("tensorboard",  # graphs (.meta, .pb) are TensorBoard's protobuf messages
                    reason="graphs need TensorBoard's protocol buffers: pip install tensorboard")


def expected(directory: pathlib.Path) -> tuple[dict, dict]:
    """What make_tf_files.py recorded: its JSON (list_variables, strings) and its arrays."""
    info = {}
    if (directory / "expected.json").exists():
        info = json.loads((directory / "expected.json").read_text())
    with np.load(directory / "expected.npz", allow_pickle=False) as arrays:
        return info, dict(arrays)


def strings(hex_rows: list) -> np.ndarray:
    return np.array([[bytes.fromhex(s) for s in row] for row in hex_rows], dtype=object)


# ---------------------------------------------------------------------------------------------
# TensorFlow's checkpoints in minitf
# ---------------------------------------------------------------------------------------------

CHECKPOINTS = [(version, kind) for version in VERSIONS
               for kind in ("mlp", "dtypes", "sharded", "partitioned", "object")
               if (DATA / version / kind).exists()]  # TF2 wrote only what differs (make_tf_files)


@pytest.mark.parametrize("version, kind", CHECKPOINTS)
def test_every_tensor_tensorflow_saved_reads_back_exactly(version, kind):
    directory = DATA / version / kind
    info, arrays = expected(directory)
    prefix = str(directory / info["prefix"])
    assert [[name, shape] for name, shape in tf.train.list_variables(prefix)] == info["list_variables"]
    reader = tf.train.NewCheckpointReader(prefix)
    for name, value in arrays.items():
        name = name.removeprefix("var/")
        if name in reader.get_variable_to_shape_map():
            saved = reader.get_tensor(name)
            assert saved.dtype == value.dtype and saved.shape == value.shape, name
            np.testing.assert_array_equal(saved, value, err_msg=name)
    for name, rows in info["strings"].items():
        saved = reader.get_tensor(name)
        assert saved.dtype == object and saved.tolist() == strings(rows).reshape(saved.shape).tolist()


def test_strings_scalars_and_empty_tensors_of_tensorflow():
    reader = tf.train.load_checkpoint(str(DATA / "tf1" / "dtypes" / "all.ckpt"))
    assert reader.get_tensor("strings/scalar") == b"hello"
    assert reader.get_tensor("strings/empty").shape == (0,)
    assert reader.get_variable_to_dtype_map()["strings/matrix"] == tf.string
    assert reader.get_variable_to_dtype_map()["dtypes/float16"] == tf.float16
    assert np.isinf(reader.get_tensor("dtypes/float32_extremes")[:2]).all()


def test_an_index_spanning_several_table_blocks(tmp_path):
    source = DATA / "tf1" / "multiblock"
    with gzip.open(source / "many.ckpt.index.gz") as f:
        (tmp_path / "many.ckpt.index").write_bytes(f.read())
    shutil.copy(source / "many.ckpt.data-00000-of-00001", tmp_path)
    names = [name for name, _ in tf.train.list_variables(str(tmp_path / "many.ckpt"))]
    assert names == [f"k{i:04d}_" + "x" * 494 for i in range(1200)]
    assert tf.train.load_variable(str(tmp_path / "many.ckpt"), names[1111]) == 1111


def build_mlp():
    """make_tf_files.py's classifier, built by the very same code with minitf as ``tf``."""
    spec = importlib.util.spec_from_file_location("make_tf_files", DATA / "make_tf_files.py")
    make_tf_files = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_tf_files)
    X, Y, logits, _, _, cost, train_op = make_tf_files.build_mlp(tf)
    return X, Y, logits, cost, train_op


@pytest.mark.parametrize("version", VERSIONS)
def test_saver_restores_tensorflows_checkpoint_into_the_same_model(version):
    _, arrays = expected(DATA / version / "mlp")
    X, Y, logits, cost, train_op = build_mlp()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(DATA / version / "mlp")))
        for variable in tf.global_variables():
            np.testing.assert_array_equal(sess.run(variable), arrays["var/" + variable.op.name])
        np.testing.assert_allclose(sess.run(logits, {X: arrays["x_test"]}), arrays["out/logits"],
                                   rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------------------------------------
# TensorFlow's graphs in minitf
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", ["mlp_frozen.pb", "mlp_frozen.pbtxt"])
def test_frozen_graph_runs_to_tensorflows_outputs(version, name):
    _, arrays = expected(DATA / version / "frozen")
    graph_def = (DATA / version / "frozen" / name).read_bytes()  # binary or text: both parse
    softmax, prediction = tf.import_graph_def(graph_def, name="frozen",
                                              return_elements=["output/softmax:0", "prediction:0"])
    with tf.Session() as sess:
        got_softmax, got_prediction = sess.run([softmax, prediction],
                                               {"frozen/X:0": arrays["x_test"]})
    np.testing.assert_allclose(got_softmax, arrays["softmax"], rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(got_prediction, arrays["prediction"])


def test_tensorflow_1_meta_graph_restores_evaluates_and_trains_as_tensorflow_did():
    directory = DATA / "tf1" / "mlp"
    _, arrays = expected(directory)
    saver = tf.train.import_meta_graph(str(directory / "model.ckpt-3.meta"))
    assert sorted(op.type for op in tf.get_default_graph().get_operations()
                  if op.type in ("SaveV2", "RestoreV2", "ApplyAdam")) == ["ApplyAdam"] * 4 + [
        "RestoreV2", "SaveV2"]
    feed = {"X:0": arrays["x_test"], "Y:0": Y_DATA[:3]}
    with tf.Session() as sess:
        saver.restore(sess, str(directory / "model.ckpt-3"))
        outputs = sess.run({"logits": "output/logits:0", "softmax": "output/softmax:0",
                            "prediction": "prediction:0", "cost": "optimizer/cost:0"}, feed)
        for key, value in outputs.items():
            np.testing.assert_allclose(value, arrays["out/" + key], rtol=1e-6, atol=1e-7)
        # TF1's own restore op, as the SaverDef names it, then one training step as TF took it
        sess.run("save/restore_all", {"save/Const:0": str(directory / "model.ckpt-3")})
        sess.run("optimizer/train_op", {"X:0": X_DATA, "Y:0": Y_DATA})
        for variable in tf.global_variables():
            np.testing.assert_allclose(sess.run(variable), arrays["step4/" + variable.op.name],
                                       rtol=1e-5, atol=1e-7, err_msg=variable.op.name)


def test_an_op_minitf_lacks_is_named(tmp_path):
    with pytest.raises(ValueError, match=r"Cannot import node 'global_step': minitf has no op "
                                         r"'VarHandleOp'"):
        tf.train.import_meta_graph(str(DATA / "tf2" / "mlp" / "model.ckpt-3.meta"))


def test_sharded_checkpoint_restores_through_its_own_meta_graph_variables():
    directory = DATA / "tf1" / "sharded"
    a = tf.Variable(np.zeros((2, 3), np.float32), name="a")
    b = tf.Variable(np.zeros(4, np.int64), name="b")
    c = tf.Variable(b"", name="c")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, str(directory / "model.ckpt"))
        assert sess.run(c) == b"on device zero"
        np.testing.assert_array_equal(sess.run(b), np.arange(4) * -3)
        np.testing.assert_array_equal(sess.run(a), np.arange(6).reshape(2, 3))


# ---------------------------------------------------------------------------------------------
# minitf's files in TensorFlow (where it is installed)
# ---------------------------------------------------------------------------------------------

def test_tensorflow_restores_minitfs_checkpoint_and_runs_its_graphs(tmp_path):
    real_tf = pytest.importorskip("tensorflow", reason="the other direction needs TensorFlow")
    tf.set_random_seed(3)
    X, Y, logits, cost, train_op = build_mlp()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(train_op, {X: X_DATA, Y: Y_DATA})
        prefix = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), global_step=2)
        values = {v.op.name: sess.run(v) for v in tf.global_variables()}
        expected_logits = sess.run(logits, {X: X_DATA})
        expected_cost = sess.run(cost, {X: X_DATA, Y: Y_DATA})
    tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "graph.pb", as_text=False)
    tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "graph.pbtxt")

    v1 = real_tf.compat.v1
    assert sorted(name for name, _ in real_tf.train.list_variables(prefix)) == sorted(values)
    for name, value in values.items():
        np.testing.assert_array_equal(real_tf.train.load_variable(prefix, name), value)
    with real_tf.Graph().as_default():
        saver = v1.train.import_meta_graph(prefix + ".meta")
        with v1.Session() as sess:
            saver.restore(sess, prefix)
            got_logits = sess.run("output/logits:0", {"X:0": X_DATA})
            got_cost = sess.run("optimizer/cost:0", {"X:0": X_DATA, "Y:0": Y_DATA})
            sess.run("optimizer/train_op", {"X:0": X_DATA, "Y:0": Y_DATA})  # and it trains on
    np.testing.assert_allclose(got_logits, expected_logits, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(got_cost, expected_cost, rtol=1e-6)
    for name in ("graph.pb", "graph.pbtxt"):
        with real_tf.Graph().as_default() as graph:
            graph_def = v1.GraphDef()
            data = (tmp_path / name).read_bytes()
            if name.endswith(".pb"):
                graph_def.ParseFromString(data)
            else:
                from google.protobuf import text_format
                text_format.Parse(data.decode(), graph_def)
            v1.import_graph_def(graph_def, name="")
            assert graph.get_tensor_by_name("output/logits:0").shape.as_list() == [None, 3]


def test_import_graph_def_with_input_map_and_default_scope():
    _, arrays = expected(DATA / "tf1" / "frozen")
    x = tf.constant(arrays["x_test"], name="my_input")
    graph_def = (DATA / "tf1" / "frozen" / "mlp_frozen.pb").read_bytes()
    (prediction,) = tf.import_graph_def(graph_def, input_map={"X:0": x},
                                        return_elements=["prediction:0"])
    assert prediction.name == "import/prediction:0"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(prediction), arrays["prediction"])


def test_a_graph_file_that_is_neither_binary_nor_text_is_data_loss():
    with pytest.raises(tf.errors.DataLossError, match="neither a binary nor a text GraphDef"):
        tf.import_graph_def(b"\xff\xfe not a graph")


def test_tensorflows_sharded_saver_ops_save_and_restore_in_minitf(tmp_path):
    """The save/ subgraph of TF1's Saver(sharded=True) -- StringJoin, ShardedFilename, a SaveV2
    per device, MergeV2Checkpoints -- and its restore_all, run by the names its SaverDef gives."""
    directory = DATA / "tf1" / "sharded"
    saver = tf.train.import_meta_graph(str(directory / "model.ckpt.meta"))
    b = {v.op.name: v for v in tf.global_variables()}["b"]
    prefix = str(tmp_path / "again.ckpt")
    with tf.Session() as sess:
        saver.restore(sess, str(directory / "model.ckpt"))
        sess.run("save/Identity:0", {"save/Const:0": prefix})
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "again.ckpt.data-00000-of-00001", "again.ckpt.index"]   # the shards are merged
        sess.run(b.assign(np.zeros(4, np.int64)))
        sess.run("save/restore_all", {"save/Const:0": prefix})
        assert sess.run("c:0") == b"on device zero"
        np.testing.assert_array_equal(sess.run(b), np.arange(4) * -3)

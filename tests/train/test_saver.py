"""tf.train.Saver, checkpoints on disk, and meta graphs (minitf/train/saver.py)."""
from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

import minitf as tf
from minitf.train import checkpoint_format, saver as saver_module

X_DATA = np.array([[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]], dtype=np.float32)
Y_DATA = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)
# The .meta file is a MetaGraphDef: TensorBoard's protocol buffers (the course extras) write and read it.
needs_tensorboard = pytest.mark.skipif(importlib.util.find_spec("tensorboard") is None,
                                       reason="the .meta file needs TensorBoard's protos: pip install tensorboard")
DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
          "uint32", "uint64", "bool", "complex64", "complex128", "string"]


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Relative paths like TF1 tutorials use them (``./model/dnn.ckpt``), inside a fresh dir."""
    monkeypatch.chdir(tmp_path)


def sample(dtype: str, shape: tuple) -> np.ndarray:
    n = int(np.prod(shape))
    if dtype == "string":
        items = [f"s{i}\u00e9".encode() + b"\x00" * (i % 2) for i in range(n)]  # NUL bytes kept
        return np.array(items + [b""] * 0, dtype=object).reshape(shape)
    values = np.arange(n) % 5 + 1
    if dtype == "bool":
        return (values % 2 == 0).reshape(shape)
    values = values.astype(dtype)
    if dtype.startswith("complex"):
        values = values * (1 - 0.5j)
    return values.reshape(shape)


def files(directory="model") -> list[str]:
    return sorted(os.listdir(directory))


# ---------------------------------------------------------------------------------------------
# save
# ---------------------------------------------------------------------------------------------

@needs_tensorboard
def test_save_returns_the_prefix_and_writes_tf1s_files():
    v = tf.Variable([1.0, 2.0], name="v")
    step = tf.Variable(7, trainable=False, name="global_step")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert saver.save(sess, "model/m.ckpt") == "model/m.ckpt"
        assert saver.save(sess, "model/m.ckpt", 3) == "model/m.ckpt-3"
        assert saver.save(sess, "./model/m.ckpt", global_step=step) == "./model/m.ckpt-7"
        assert saver.save(sess, "model/m.ckpt", global_step=np.int64(9)) == "model/m.ckpt-9"
        assert saver.save(sess, "model/m.ckpt", global_step=step + 1) == "model/m.ckpt-8"
    assert files() == sorted(["checkpoint"] + [f"m.ckpt{s}.{kind}" for s in ("", "-3", "-7", "-8", "-9")
                                               for kind in ("data-00000-of-00001", "index", "meta")])
    state = tf.train.get_checkpoint_state("./model")
    assert state.model_checkpoint_path == "./model/m.ckpt-8"
    assert state.all_model_checkpoint_paths == [
        "./model/m.ckpt", "./model/m.ckpt-3", "./model/m.ckpt-7", "./model/m.ckpt-9", "./model/m.ckpt-8"]
    assert saver.last_checkpoints == ["model/m.ckpt", "model/m.ckpt-3", "./model/m.ckpt-7",
                                      "model/m.ckpt-9", "model/m.ckpt-8"]
    assert tf.train.latest_checkpoint("model") == "model/m.ckpt-8"
    assert [tf.train.checkpoint_exists(p) for p in ("model/m.ckpt-3", "model/m.ckpt-4")] == [True, False]
    assert v.name == "v:0"


def test_pad_step_number_and_latest_filename():
    tf.Variable(1.0)
    saver = tf.train.Saver(pad_step_number=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert saver.save(sess, "model/m", 12, latest_filename="state") == "model/m-00000012"
        with pytest.raises(ValueError, match="must not contain path components"):
            saver.save(sess, "model/m", latest_filename="sub/state")
        with pytest.raises(ValueError, match="'latest_filename' collides with 'save_path'"):
            saver.save(sess, "model/checkpoint")
    assert "checkpoint" not in files() and "state" in files()
    assert tf.train.latest_checkpoint("model", latest_filename="state") == "model/m-00000012"


def test_saving_an_uninitialised_variable_fails_like_a_fetch():
    tf.Variable(1.0, name="never")
    saver = tf.train.Saver()
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError,
                                             match="Attempting to use uninitialized value never"):
        saver.save(sess, "model/m.ckpt")
    assert not os.path.exists("model/m.ckpt.index")


def test_what_a_saver_saves():
    with pytest.raises(ValueError, match="^No variables to save$"):
        tf.train.Saver()
    assert tf.train.Saver(allow_empty=True).save(tf.Session(), "model/m") is None
    a = tf.Variable(1.0, name="a")
    with pytest.raises(ValueError, match="At least two variables have the same name: a"):
        tf.train.Saver([a, a])
    with pytest.raises(TypeError, match="Variable to save is not a Variable"):
        tf.train.Saver([a.value()])
    b = tf.Variable(2.0, name="b")
    only_a = tf.train.Saver([a])
    renamed = tf.train.Saver({"weights": b})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        only_a.save(sess, "model/a")
        renamed.save(sess, "model/b")
    assert sorted(checkpoint_format.read_checkpoint("model/a")) == ["a"]
    assert checkpoint_format.read_checkpoint("model/b") == {"weights": np.float32(2.0)}


# ---------------------------------------------------------------------------------------------
# restore
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_round_trip_of_every_dtype(dtype, shape):
    value = sample(dtype, shape)
    v = tf.Variable(value, name="layer1/v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, "model/m.ckpt")

    tf.reset_default_graph()
    zeros = np.zeros(shape, dtype=object if dtype == "string" else dtype)
    if dtype == "string":
        zeros[...] = b"other"
    v = tf.Variable(zeros, name="layer1/v")
    assert v.dtype.base_dtype == tf.as_dtype(dtype)
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)   # no initializer needed
        restored = sess.run(v)
    restored = np.asarray(restored, dtype=object if dtype == "string" else None)  # b'' for ()
    assert restored.shape == shape
    if dtype == "string":
        assert restored.dtype == object and restored.tolist() == value.tolist()
    else:
        assert restored.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(restored, value)


def test_restore_overwrites_values_and_keeps_the_variables_usable():
    v1 = tf.get_variable("v1", shape=[3], initializer=tf.zeros_initializer)
    inc = v1.assign(v1 + 1)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(inc)
        path = saver.save(sess, "logs/model.ckpt")
        sess.run(inc)
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(v1), [1.0, 1.0, 1.0])
        np.testing.assert_array_equal(sess.run(inc), [2.0, 2.0, 2.0])  # still a working variable
        fetched = sess.run(v1)
        saver.restore(sess, path)
        np.testing.assert_array_equal(fetched, [2.0, 2.0, 2.0])  # a fetch is a copy


def save_vector(name="v", value=(1.0, 2.0, 3.0), path="model/m.ckpt") -> str:
    with tf.Graph().as_default():
        v = tf.Variable(np.array(value, np.float32), name=name)
        with tf.Session() as sess:
            sess.run(v.initializer)
            return tf.train.Saver().save(sess, path)


def test_restore_from_something_that_is_not_a_checkpoint():
    saver = tf.train.Saver([tf.Variable(1.0)])
    with tf.Session() as sess:
        with pytest.raises(ValueError) as info:
            saver.restore(sess, "nope/model.ckpt")
        assert str(info.value) == "The passed save_path is not a valid checkpoint: nope/model.ckpt"
        with pytest.raises(ValueError, match="Can't load save_path when it is None."):
            saver.restore(sess, None)


def test_restore_a_variable_missing_from_the_checkpoint():
    path = save_vector()
    present = tf.Variable([0.0, 0.0, 0.0], name="v")
    missing = tf.Variable([0.0, 0.0], name="not_in_ckpt")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError) as info:
            tf.train.Saver().restore(sess, path)
        assert str(info.value) == (
            "Restoring from checkpoint failed. This is most likely due to a Variable name or other "
            "graph key that is missing from the checkpoint. Please ensure that you have not altered "
            "the graph expected based on the checkpoint. Original error:\n\n"
            "Key not_in_ckpt not found in checkpoint")
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"v", b"not_in_ckpt"]
    assert present.name == "v:0" and missing.name == "not_in_ckpt:0"


def test_restore_into_a_variable_of_another_shape():
    path = save_vector()
    v = tf.Variable(np.zeros((2, 2), np.float32), name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(v), np.zeros((2, 2)))  # left as it was
    assert str(info.value).startswith(
        "Restoring from checkpoint failed. This is most likely due to a mismatch between the "
        "current graph and the graph from the checkpoint.")
    assert str(info.value).endswith(
        "Original error:\n\nAssign requires shapes of both tensors to match. lhs shape= [2,2] "
        "rhs shape= [3]")


def test_restore_into_a_variable_of_another_dtype():
    path = save_vector()
    tf.Variable([0, 0, 0], name="v")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.train.Saver().restore(sess, path)
    assert str(info.value).endswith(
        "Original error:\n\ntensor_name = v; expected dtype int32 does not equal original dtype float")


def test_restore_from_a_damaged_checkpoint_is_data_loss():
    path = save_vector()
    with open(path + checkpoint_format.DATA_SUFFIX, "r+b") as f:
        f.seek(5)
        f.write(b"\xff")
    v = tf.Variable([0.0, 0.0, 0.0], name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.DataLossError, match=r"m\.ckpt\.data-00000-of-00001.*"
                                                          r"checksum does not match for 'v'"):
            tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(v), [0.0, 0.0, 0.0])  # left as it was


# ---------------------------------------------------------------------------------------------
# keeping checkpoints, and losing none
# ---------------------------------------------------------------------------------------------

def saved_steps(saver, sess, steps, path="model/m"):
    for step in steps:
        saver.save(sess, path, global_step=step)


def prefixes_on_disk(directory="model") -> list[str]:
    return sorted(name[:-len(".index")] for name in os.listdir(directory) if name.endswith(".index"))


def test_max_to_keep_deletes_the_oldest_checkpoints():
    tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saved_steps(saver, sess, [1, 2, 3, 4, 5])
        assert prefixes_on_disk() == ["m-3", "m-4", "m-5"]
        assert saver.last_checkpoints == ["model/m-3", "model/m-4", "model/m-5"]
        saver.save(sess, "model/m", global_step=4)  # saved again: now the newest
        saved_steps(saver, sess, [6])
    assert prefixes_on_disk() == ["m-4", "m-5", "m-6"]
    assert not [name for name in os.listdir("model") if name.startswith("m-3")]
    state = tf.train.get_checkpoint_state("model")
    assert state.all_model_checkpoint_paths == ["model/m-5", "model/m-4", "model/m-6"]


@pytest.mark.parametrize("max_to_keep", [None, 0])
def test_max_to_keep_none_keeps_everything_and_lists_the_latest(max_to_keep):
    tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=max_to_keep)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saved_steps(saver, sess, range(1, 8))
    assert prefixes_on_disk() == [f"m-{i}" for i in range(1, 8)]
    assert tf.train.get_checkpoint_state("model").all_model_checkpoint_paths == ["model/m-7"]


def test_one_checkpoint_every_n_hours_is_spared(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(saver_module.time, "time", lambda: clock[0])
    tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step, seconds in enumerate([100, 1800, 4000, 5000, 8000, 9000]):
            clock[0] = seconds
            saver.save(sess, "model/m", global_step=step)
    # saved after 1 h (4000 s) and after 2 h (8000 s) are kept, and the newest
    assert prefixes_on_disk() == ["m-2", "m-4", "m-5"]


def test_recover_last_checkpoints_continues_a_previous_run():
    tf.Variable(1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = tf.train.Saver(max_to_keep=2)
        saved_steps(first, sess, [1, 2])
        second = tf.train.Saver(max_to_keep=2)
        second.recover_last_checkpoints(tf.train.get_checkpoint_state("model").all_model_checkpoint_paths
                                        + ["model/m-gone"])
        assert second.last_checkpoints == ["model/m-1", "model/m-2"]
        saved_steps(second, sess, [3])
    assert prefixes_on_disk() == ["m-2", "m-3"]


def test_a_save_that_fails_midway_loses_nothing():
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver(max_to_keep=1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        old = saver.save(sess, "model/m", global_step=1)
        state_before = open("model/checkpoint").read()
        files_before = files()
        sess.run(v.assign([5.0, 6.0]))

        def write_half_then_crash(f, arrays):
            f.write(b"\x00\x00 half the data")
            raise OSError("No space left on device")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(checkpoint_format, "write_data", write_half_then_crash)
            with pytest.raises(OSError, match="No space left on device"):
                saver.save(sess, "model/m", global_step=2)
            with pytest.raises(OSError, match="No space left on device"):
                saver.save(sess, "model/m", global_step=1)  # overwriting the same prefix

        assert files() == files_before and open("model/checkpoint").read() == state_before
        assert saver.last_checkpoints == [old]
        saver.restore(sess, tf.train.latest_checkpoint("model"))
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_a_failure_writing_the_state_file_deletes_no_checkpoint():
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver(max_to_keep=1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        old = saver.save(sess, "model/m", global_step=1)
        real_replace = os.replace

        def replace_but_not_the_state(src, dst):
            if os.path.basename(dst) == "checkpoint":
                raise OSError("crash")
            real_replace(src, dst)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(checkpoint_format.os, "replace", replace_but_not_the_state)
            with pytest.raises(OSError, match="crash"):
                saver.save(sess, "model/m", global_step=2)
        assert tf.train.latest_checkpoint("model") == old  # the old one is still the latest
        assert prefixes_on_disk() == ["m-1", "m-2"] and saver.last_checkpoints == [old]
        saver.restore(sess, old)
        saver.save(sess, "model/m", global_step=3)
        assert prefixes_on_disk() == ["m-2", "m-3"]  # m-2 is not the saver's: left alone


def test_without_tensorboard_the_checkpoint_has_no_meta_file(monkeypatch):
    v = tf.Variable(3.0, name="v")

    def no_protos(name):
        raise ImportError("writing summaries and graphs needs TensorBoard's protocol buffers")
    monkeypatch.setattr(saver_module.protos, "proto_module", no_protos)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.warns(UserWarning, match="without its .meta graph file"):
            path = tf.train.Saver().save(sess, "model/m")
        sess.run(v.assign(0.0))
        tf.train.Saver().restore(sess, path)
        assert sess.run(v) == 3.0
    assert files() == ["checkpoint", "m.data-00000-of-00001", "m.index"]


# ---------------------------------------------------------------------------------------------
# meta graphs
# ---------------------------------------------------------------------------------------------

def build_model():
    """Seed 004's classifier (no biases), trained with Adam, with a summary and a train_op."""
    tf.set_random_seed(8)
    global_step = tf.Variable(0, trainable=False, name="global_step")
    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_uniform([2, 10], -1.0, 1.0), name="W1")
        L1 = tf.nn.relu(tf.matmul(X, W1))
    with tf.name_scope("output"):
        W2 = tf.Variable(tf.random_uniform([10, 3], -1.0, 1.0), name="W2")
        model = tf.matmul(L1, W2)
    with tf.name_scope("optimizer"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=model))
        train_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(cost, global_step=global_step)
        tf.summary.scalar("cost", cost)
    tf.add_to_collection("notes", "trained on fur and wings")
    tf.add_to_collection("sizes", 6)
    tf.add_to_collection("rates", 0.01)
    tf.add_to_collection("objects", object())  # cannot be stored: left out, as in TF1
    return cost, train_op, global_step


@needs_tensorboard
def test_import_meta_graph_rebuilds_a_model_that_evaluates_and_trains():
    feed = {"X:0": X_DATA, "Y:0": Y_DATA}
    cost, train_op, global_step = build_model()
    init = tf.global_variables_initializer()
    names = [v.name for v in tf.global_variables()]
    trainable = [v.name for v in tf.trainable_variables()]
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        sess.run(init)
        for _ in range(3):
            sess.run(train_op, feed)
        path = tf.train.Saver(max_to_keep=4).save(sess, "./model/dnn.ckpt", global_step)
        saved_cost = sess.run(cost, feed)
        sess.run(train_op, feed)
        next_cost = sess.run(cost, feed)
    assert path == "./model/dnn.ckpt-3"

    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta")
    graph = tf.get_default_graph()
    assert [(op.name, op.type) for op in graph.get_operations()] == ops
    assert [v.name for v in tf.global_variables()] == names
    assert [v.name for v in tf.trainable_variables()] == trainable
    assert tf.trainable_variables()[0] is tf.global_variables()[1]   # one object per variable
    assert repr(tf.global_variables()[1]) == "<tf.Variable 'layer1/W1:0' shape=(2, 10) dtype=float32_ref>"
    assert tf.get_collection("notes") == [b"trained on fur and wings"]
    assert tf.get_collection("sizes") == [6] and tf.get_collection("rates") == [pytest.approx(0.01)]
    assert tf.get_collection("objects") == []
    restored_train_op = tf.get_collection("train_op")[0]
    restored_cost = graph.get_tensor_by_name("optimizer/Mean:0")
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        saver.restore(sess, path)
        assert sess.run(restored_cost, feed) == saved_cost
        assert sess.run("global_step:0") == 3
        sess.run(restored_train_op, feed)
        assert sess.run(restored_cost, feed) == next_cost   # training continues exactly
        assert sess.run("global_step:0") == 4
        assert merged.op.inputs[0].name == "optimizer/cost:0" and type(sess.run(merged, feed)) is bytes
        assert saver.save(sess, "./model/dnn.ckpt", 4) == "./model/dnn.ckpt-4"
    assert saver._max_to_keep == 5  # no SaverDef in the .meta: a new Saver, as TF1 makes one


def test_meta_file_is_a_meta_graph_def_with_the_variables():
    pytest.importorskip("tensorboard")
    from tensorboard.compat.proto import meta_graph_pb2, variable_pb2

    build_model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver(max_to_keep=2).save(sess, "model/m")
    with open(path + ".meta", "rb") as f:
        meta_graph = meta_graph_pb2.MetaGraphDef.FromString(f.read())
    assert not meta_graph.HasField("saver_def")  # TF's would name save ops the graph lacks
    assert [n.name for n in meta_graph.graph_def.node][:3] == ["global_step/initial_value",
                                                                "global_step", "global_step/Assign"]
    variables = meta_graph.collection_def["trainable_variables"].bytes_list.value
    first = variable_pb2.VariableDef.FromString(variables[0])
    assert (first.variable_name, first.initializer_name, first.snapshot_name, first.trainable) == \
        ("layer1/W1:0", "layer1/W1/Assign", "layer1/W1/read:0", True)
    assert list(meta_graph.collection_def["summaries"].node_list.value) == ["optimizer/cost:0"]
    assert list(meta_graph.collection_def["train_op"].node_list.value) == ["optimizer/Adam"]
    assert "_output_shapes" in meta_graph.graph_def.node[0].attr


@needs_tensorboard
def test_export_meta_graph_and_import_into_a_scope():
    v = tf.Variable([1.0, 2.0], name="v")
    doubled = tf.multiply(v, 2.0, name="doubled")
    meta_graph = tf.train.export_meta_graph("graph.meta")
    assert os.path.getsize("graph.meta") == meta_graph.ByteSize()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = tf.train.Saver().save(sess, "model/m")
    saver = tf.train.import_meta_graph(meta_graph, import_scope="copy")
    assert [x.name for x in tf.global_variables()] == ["v:0", "copy/v:0"]
    with tf.Session() as sess:
        saver.restore(sess, path)   # saved names, scoped variables
        assert sess.run("copy/doubled:0").tolist() == [2.0, 4.0]
    assert doubled.name == "doubled:0"


@needs_tensorboard
def test_import_meta_graph_of_a_graph_without_variables_and_of_no_file():
    tf.constant(1.0, name="c")
    tf.train.export_meta_graph("c.meta")
    tf.reset_default_graph()
    assert tf.train.import_meta_graph("c.meta") is None
    assert tf.get_default_graph().get_operation_by_name("c").type == "Const"
    with pytest.raises(OSError, match="File nope.meta does not exist."):
        tf.train.import_meta_graph("nope.meta")
    with open("bad.meta", "wb") as f:
        f.write(b"\xff\xff not a proto")
    with pytest.raises(OSError, match="Cannot parse file bad.meta") as info:
        tf.train.import_meta_graph("bad.meta")
    assert isinstance(info.value, tf.errors.DataLossError)
    tf.train.export_meta_graph("c.pbtxt", as_text=True)   # TF1 reads text .meta files too
    assert tf.train.import_meta_graph("c.pbtxt", import_scope="text") is None
    assert tf.get_default_graph().get_operation_by_name("text/c").type == "Const"

"""tf.summary ops and FileWriter, read back with TensorBoard's own reader (minitf/summary)."""
from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

import minitf as tf
from minitf.summary import graph_def

pytest.importorskip("tensorboard", reason="summaries need TensorBoard's protocol buffers: pip install tensorboard")
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.compat.proto import summary_pb2  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

X_DATA = np.array([[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]], dtype=np.float32)
Y_DATA = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)


def parse(summary: bytes) -> list:
    return list(summary_pb2.Summary.FromString(summary).value)


def accumulator(logdir) -> event_accumulator.EventAccumulator:
    acc = event_accumulator.EventAccumulator(
        str(logdir), size_guidance=event_accumulator.STORE_EVERYTHING_SIZE_GUIDANCE)
    acc.Reload()
    return acc


def build_classifier():
    """Seed 004's TensorBoard model: layers in name scopes, a cost scalar, a weight histogram."""
    global_step = tf.Variable(0, trainable=False, name="global_step")
    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_uniform([2, 10], -1.0, 1.0, seed=1), name="W1")
        L1 = tf.nn.relu(tf.matmul(X, W1))
    with tf.name_scope("output"):
        W2 = tf.Variable(tf.random_uniform([10, 3], -1.0, 1.0, seed=2), name="W2")
        model = tf.matmul(L1, W2)
    with tf.name_scope("optimizer"):
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=model))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(cost, global_step=global_step)
        tf.summary.scalar("cost", cost)
        tf.summary.histogram("Weights", W1)
    return dict(X=X, Y=Y, W1=W1, cost=cost, train_op=train_op, global_step=global_step)


# ---------------------------------------------------------------------------------------------
# Summary ops
# ---------------------------------------------------------------------------------------------

def test_summary_ops_are_string_scalars_named_in_their_scope():
    cost = tf.constant(1.5)
    weights = tf.Variable([[1.0, 2.0]], name="W")
    with tf.name_scope("optimizer"):
        scalar = tf.summary.scalar("cost", cost)
        again = tf.summary.scalar("cost", cost)
        histogram = tf.summary.histogram("Weights", weights)
    assert repr(scalar) == "<tf.Tensor 'optimizer/cost:0' shape=() dtype=string>"
    assert [again.name, histogram.name] == ["optimizer/cost_1:0", "optimizer/Weights:0"]
    assert (scalar.op.type, histogram.op.type) == ("ScalarSummary", "HistogramSummary")
    assert [t.name for t in scalar.op.inputs] == ["optimizer/cost/tags:0", "Const:0"]
    assert histogram.op.inputs[1].name == "W/read:0"  # a variable is summarised through its read
    assert scalar.op.get_attr("T") == tf.float32
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [scalar, again, histogram]
    merged = tf.summary.merge_all()
    assert repr(merged) == "<tf.Tensor 'Merge/MergeSummary:0' shape=() dtype=string>"
    assert merged.op.inputs == (scalar, again, histogram) and merged.op.get_attr("N") == 3


def test_merge_all_without_summaries_is_none():
    assert tf.summary.merge_all() is None


def test_run_gives_serialized_summary_bytes():
    cost = tf.placeholder(tf.float32)
    with tf.name_scope("optimizer"):
        scalar = tf.summary.scalar("cost", cost)
        tf.summary.histogram("Weights", tf.constant([[-0.5, 0.0], [2.0, 3.0]]))
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        single, both = sess.run([scalar, merged], {cost: 0.0})
    assert type(single) is bytes and type(both) is bytes
    (value,) = parse(single)  # a scalar summary of 0.0 ends in zero bytes: kept exactly
    assert (value.tag, value.simple_value) == ("optimizer/cost", 0.0) and single.endswith(b"\x00")
    scalar_value, histogram_value = parse(both)
    assert scalar_value == value
    histo = histogram_value.histo
    assert histogram_value.tag == "optimizer/Weights"
    assert (histo.min, histo.max, histo.num, histo.sum) == (-0.5, 3.0, 4, 4.5)


def test_scalar_summary_of_a_non_scalar_is_tf1s_error():
    values = tf.constant([1.0, 2.0, 3.0])
    summary = tf.summary.scalar("loss", values)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(summary)
    first, node = str(info.value).split("\n")
    assert first == "tags and values are not the same shape: [] != [3] (tag 'loss')"
    assert info.value.op is summary.op and node == "\t [[node loss (ScalarSummary) with input shapes: [], [3]]]"


def test_python_values_become_consts_in_the_summary_scope_and_types_are_checked():
    assert [t.name for t in tf.summary.scalar("x", 1.0).op.inputs] == ["x/tags:0", "x/values:0"]
    with pytest.raises(TypeError, match="'values' has DataType string not in list of allowed values"):
        tf.summary.scalar("s", tf.constant("text"))
    with pytest.raises(TypeError, match="'tensor' has DataType int32 not in list of allowed values"):
        tf.summary.image("i", tf.zeros([1, 2, 2, 1], tf.int32))


@pytest.mark.parametrize("bad, word", [(np.nan, "Nan"), (np.inf, "Infinity")])
def test_histogram_of_nan_or_inf_fails_at_run_time(bad, word):
    values = tf.placeholder(tf.float32, [2])
    with tf.name_scope("optimizer"):
        summary = tf.summary.histogram("Weights", values)
    with tf.Session() as sess:
        assert parse(sess.run(summary, {values: [1.0, 2.0]}))[0].histo.num == 2
        with pytest.raises(tf.errors.InvalidArgumentError, match=f"^{word} in summary histogram for: "
                                                                 "optimizer/Weights\n\t \\[\\[node optimizer/Weights "):
            sess.run(summary, {values: [1.0, bad]})


def test_merging_two_summaries_with_one_tag_is_an_error():
    first = tf.summary.scalar("cost", tf.constant(1.0))
    merged = tf.summary.merge([first, first])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Duplicate tag cost found in summary inputs"):
        sess.run(merged)


def test_merge_with_a_name_and_collections():
    a = tf.summary.scalar("a", tf.constant(1.0), collections=["mine"])
    b = tf.summary.scalar("b", tf.constant(2.0), collections=[])
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == []
    merged = tf.summary.merge([a, b], collections=["merged"], name="train")
    assert merged.name == "train/train:0" and tf.get_collection("merged") == [merged]
    assert tf.summary.merge_all("mine").op.inputs == (a,)
    with tf.Session() as sess:
        assert [v.tag for v in parse(sess.run(merged))] == ["a", "b"]


def test_names_are_cleaned_and_family_prefixes_the_tag():
    assert tf.summary.scalar("loss (train)", tf.constant(1.0)).name == "loss__train_:0"
    with tf.name_scope("net"):
        in_family = tf.summary.scalar("loss", tf.constant(2.0), family="train")
    assert in_family.name == "net/train/loss:0"
    with tf.Session() as sess:
        assert parse(sess.run(in_family))[0].tag == "train/net/train/loss"


def test_uint8_images_are_encoded_as_they_are():
    pixels = np.arange(2 * 3 * 4 * 3, dtype=np.uint8).reshape(2, 3, 4, 3)
    summary = tf.summary.image("digits", tf.constant(pixels), max_outputs=5)
    assert summary.op.get_attr("max_images") == 5
    with tf.Session() as sess:
        values = parse(sess.run(summary))
    assert [v.tag for v in values] == ["digits/image/0", "digits/image/1"]
    PIL = pytest.importorskip("PIL.Image")
    import io

    decoded = np.asarray(PIL.open(io.BytesIO(values[1].image.encoded_image_string)))
    np.testing.assert_array_equal(decoded, pixels[1])


def test_float_images_are_rescaled_per_image_as_tensorflow_does():
    PIL = pytest.importorskip("PIL.Image")
    import io

    positive = np.array([[0.0, 0.5], [1.0, 2.0]], np.float32)           # all >= 0: max -> 255
    signed = np.array([[-1.0, 0.0], [0.5, np.nan]], np.float32)         # 0 -> 128, |max| -> 127
    images = np.stack([positive, signed])[..., None]
    summary = tf.summary.image("im", tf.constant(images), max_outputs=1)
    with tf.Session() as sess:
        (value,) = parse(sess.run(summary))
    assert value.tag == "im/image"  # one image: no index
    decoded = np.asarray(PIL.open(io.BytesIO(value.image.encoded_image_string)))
    np.testing.assert_array_equal(decoded, (positive * 127.5).astype(np.uint8))
    two = tf.summary.image("im2", tf.constant(images))
    with tf.Session() as sess:
        second = parse(sess.run(two))[1]
    decoded = np.asarray(PIL.open(io.BytesIO(second.image.encoded_image_string)))
    assert decoded.tolist() == [[1, 128], [191, 255]]  # NaN -> bad_color, red's first channel


def test_text_summary_is_a_string_tensor_for_the_text_plugin():
    notes = tf.summary.text("notes", tf.constant(["**loss** fell", "again"]))
    assert notes.op.type == "TensorSummaryV2"
    with tf.Session() as sess:
        (value,) = parse(sess.run(notes))
    assert value.metadata.plugin_data.plugin_name == "text"
    assert tensor_util.make_ndarray(value.tensor).tolist() == [b"**loss** fell", b"again"]
    with pytest.raises(ValueError, match="Expected tensor Const_1:0 to have dtype string, got"):
        tf.summary.text("bad", tf.constant(1.0))


@pytest.mark.parametrize("op_type", ["ScalarSummary", "HistogramSummary", "ImageSummary",
                                     "TensorSummaryV2", "MergeSummary"])
def test_summary_ops_are_registered_and_not_differentiable(op_type):
    from minitf.ops.base import gradient_function, registered_ops

    assert op_type in registered_ops() and gradient_function(op_type) is None


# ---------------------------------------------------------------------------------------------
# GraphDef
# ---------------------------------------------------------------------------------------------

def test_graph_def_lists_every_op_with_inputs_and_attrs():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.zeros([3, 2]), name="w")
    init = tf.global_variables_initializer()
    with tf.control_dependencies([init]):
        y = tf.matmul(x, w, transpose_b=False)
    parts = tf.split(y, 2, axis=1)
    total = parts[0] + parts[1]
    definition = tf.get_default_graph().as_graph_def(add_shapes=True)
    nodes = {node.name: node for node in definition.node}
    assert [(n.name, n.op) for n in definition.node] == [
        (op.name, op.type) for op in tf.get_default_graph().get_operations()]
    assert list(nodes["MatMul"].input) == ["x", "w/read", "^init"]
    assert list(nodes[total.op.name].input) == ["split", "split:1"]
    assert nodes["x"].attr["shape"].shape.dim[0].size == -1
    assert nodes["w"].attr["dtype"].type == tf.float32.as_datatype_enum
    shapes = nodes["split"].attr["_output_shapes"].list.shape
    assert [[d.size for d in s.dim] for s in shapes] == [[-1, 1], [-1, 1]]
    assert "_output_shapes" not in tf.get_default_graph().as_graph_def().node[0].attr
    assert "_output_shapes" not in nodes["init"].attr  # an op without outputs


def test_graph_def_round_trips_through_import(tmp_path):
    model = build_classifier()
    original = tf.get_default_graph()
    definition = original.as_graph_def(add_shapes=True)
    rebuilt = tf.Graph()
    graph_def.import_nodes(definition, rebuilt)
    assert ([(op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
             for op in rebuilt.get_operations()] ==
            [(op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
             for op in original.get_operations()])
    assert [str(t.shape) for op in rebuilt.get_operations() for t in op.outputs] == \
        [str(t.shape) for op in original.get_operations() for t in op.outputs]
    assert rebuilt.as_graph_def(add_shapes=True) == definition
    assert model["cost"].name == "optimizer/Mean:0"


def build_many_op_types():
    """Tensors made by most of the tf.* API, and the training ops of every optimizer."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    W = tf.get_variable("W", [4, 3], initializer=tf.constant_initializer(0.5))
    logits = tf.matmul(x, W) + tf.Variable(tf.zeros([3]), name="b")
    positive = tf.abs(logits) + 1
    outputs = [
        tf.nn.relu(logits), tf.nn.softmax(logits), tf.nn.log_softmax(logits), tf.sigmoid(logits),
        tf.tanh(logits), tf.exp(logits), tf.log(positive), tf.sqrt(tf.square(logits)),
        tf.reduce_sum(logits, 1), tf.reduce_max(logits, axis=0, keepdims=True), tf.reduce_min(logits),
        tf.reduce_prod(logits), tf.argmax(logits, 1), tf.argmin(logits, 1), tf.cast(logits, tf.int32),
        tf.reshape(logits, [-1]), tf.transpose(logits), tf.concat([logits, logits], 1),
        tf.stack([logits, logits]), tf.unstack(logits, axis=1)[1], tf.split(logits, 3, axis=1)[1],
        tf.squeeze(tf.expand_dims(logits, 0)), tf.tile(tf.ones([2, 2]), [1, 2]), tf.one_hot(labels, 3),
        tf.gather(logits, labels), tf.where(logits > 0, logits, -logits), tf.maximum(logits, 0.0),
        tf.minimum(logits, 1.0), tf.pow(logits, 2.0), logits // 2, logits % 2, tf.equal(logits, 0.0),
        tf.logical_and(logits > 0, tf.logical_not(logits < 1)), tf.fill([2, 2], 3.0), tf.range(5),
        tf.linspace(0.0, 1.0, 5), tf.ones_like(logits), tf.zeros_like(logits), tf.shape(logits),
        tf.size(logits), tf.rank(logits), tf.add_n([logits, logits]), tf.nn.l2_loss(logits),
        tf.squared_difference(logits, 1.0), tf.broadcast_to(tf.constant(1.0), [2, 2]),
        tf.stop_gradient(logits), tf.sign(logits), tf.floor(logits), tf.ceil(logits), tf.round(logits),
        tf.reciprocal(positive), tf.rsqrt(positive), tf.sin(logits), tf.cos(logits), tf.log1p(positive),
        tf.reduce_all(logits > 0), tf.reduce_any(logits > 0), tf.losses.mean_squared_error(logits, logits),
        tf.placeholder_with_default(tf.constant([1.0]), [1]),
    ]
    loss = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(labels, 3), logits=logits))
    for optimizer in (tf.train.GradientDescentOptimizer(0.1), tf.train.MomentumOptimizer(0.1, 0.9),
                      tf.train.AdamOptimizer(), tf.train.RMSPropOptimizer(0.1),
                      tf.train.RMSPropOptimizer(0.1, centered=True), tf.train.AdagradOptimizer(0.1)):
        optimizer.minimize(loss)
    tf.random_normal([2]), tf.truncated_normal([2]), tf.random_uniform([2]), tf.random_shuffle(tf.range(4))
    tf.global_variables_initializer()
    tf.report_uninitialized_variables()
    return outputs + [loss]


def test_a_graph_of_many_op_types_is_rebuilt_and_computes_the_same():
    outputs = build_many_op_types()
    original = tf.get_default_graph()
    definition = original.as_graph_def(add_shapes=True)
    rebuilt = tf.Graph()
    graph_def.import_nodes(definition, rebuilt)
    assert rebuilt.as_graph_def(add_shapes=True) == definition
    feed = {"x:0": [[1.0, -2.0, 3.0, 0.5], [0.0, 1.0, -1.0, 2.0]], "labels:0": [1, 0]}
    names = [t.name for t in outputs]
    with tf.Session(graph=original) as sess:
        sess.run("init")
        expected = sess.run(names, feed)
    with tf.Session(graph=rebuilt) as sess:
        sess.run("init")
        for name, want, got in zip(names, expected, sess.run(names, feed)):
            np.testing.assert_array_equal(got, want, err_msg=name)


def test_import_refuses_a_name_taken_and_an_op_it_cannot_rebuild():
    tf.constant(1.0, name="c")
    definition = tf.get_default_graph().as_graph_def()
    with pytest.raises(ValueError, match="already has an operation of that name"):
        graph_def.import_nodes(definition)
    graph_def.import_nodes(definition, import_scope="copy")
    assert tf.get_default_graph().get_operation_by_name("copy/c").type == "Const"
    tf.reset_default_graph()
    tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    with pytest.raises(ValueError, match="Cannot import node 'while/Enter'"):
        graph_def.import_nodes(tf.get_default_graph().as_graph_def(), tf.Graph())


def test_slices_are_rebuilt_from_their_attrs():
    x = tf.constant(np.arange(24.0).reshape(2, 3, 4))
    parts = [x[1:, ::2, 0], x[..., None, -1], x[0]]
    rebuilt = tf.Graph()
    graph_def.import_nodes(tf.get_default_graph().as_graph_def(), rebuilt)
    with tf.Session() as sess:
        expected = sess.run(parts)
    with tf.Session(graph=rebuilt) as sess:
        got = sess.run([t.name for t in parts])
    for want, have in zip(expected, got):
        np.testing.assert_array_equal(have, want)


# ---------------------------------------------------------------------------------------------
# FileWriter and TensorBoard
# ---------------------------------------------------------------------------------------------

def events_files(logdir) -> list[str]:
    return [name for name in os.listdir(logdir) if name.startswith("events.out.tfevents.")]


def test_file_writer_creates_the_logdir_and_the_file_with_the_first_event(tmp_path):
    logdir = tmp_path / "logs"
    writer = tf.summary.FileWriter(str(logdir))
    assert writer.get_logdir() == str(logdir) and os.listdir(logdir) == []
    writer.close()
    assert os.listdir(logdir) == []
    with_graph = tf.summary.FileWriter(str(tmp_path / "graph"), tf.get_default_graph())
    (name,) = events_files(tmp_path / "graph")  # there at once: the graph is its first event
    assert re.fullmatch(rf"events\.out\.tfevents\.\d{{10}}\.{re.escape(socket.gethostname())}", name)
    with_graph.close()


def test_tensorboard_reads_scalars_histograms_and_the_graph(tmp_path):
    model = build_classifier()
    merged = tf.summary.merge_all()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    logdir = tmp_path / "logs"
    writer = tf.summary.FileWriter(str(logdir), sess.graph)
    feed = {model["X"]: X_DATA, model["Y"]: Y_DATA}
    costs, weights = [], []
    for _ in range(5):
        sess.run(model["train_op"], feed)
        summary, cost, w1 = sess.run([merged, model["cost"], model["W1"]], feed)
        costs.append(cost)
        weights.append(w1)
        writer.add_summary(summary, global_step=sess.run(model["global_step"]))
    writer.close()

    acc = accumulator(logdir)
    scalars = acc.Scalars("optimizer/cost")
    assert [s.step for s in scalars] == [1, 2, 3, 4, 5]
    assert [s.value for s in scalars] == [float(c) for c in costs]  # float32 -> simple_value
    histograms = acc.Histograms("optimizer/Weights")
    assert [h.step for h in histograms] == [1, 2, 3, 4, 5]
    last = histograms[-1].histogram_value
    assert (last.min, last.max, last.num) == (weights[-1].min(), weights[-1].max(), 20)
    assert last.sum == pytest.approx(float(weights[-1].astype(np.float64).sum()))
    graph = acc.Graph()
    assert [(n.name, n.op) for n in graph.node] == [
        (op.name, op.type) for op in sess.graph.get_operations()]
    assert acc.Tags()["meta_graph"]
    assert acc.MetaGraph().graph_def == graph


def test_add_summary_accepts_protos_and_numpy_steps(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.add_session_log(tf.summary.SessionLog(status=tf.summary.SessionLog.START), 0)
    summary = tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=0.25)])  # TF1 idiom
    assert tf.Summary is tf.summary.Summary is summary_pb2.Summary
    writer.add_summary(summary, global_step=np.int32(7))
    writer.flush()
    scalars = accumulator(tmp_path).Scalars("loss")
    assert [(s.step, s.value) for s in scalars] == [(7, 0.25)]
    writer.close()


def test_add_graph_takes_a_graph_or_a_graph_def_only(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        definition = tf.get_default_graph().as_graph_def()
        writer.add_graph(None, graph_def=definition)
        with pytest.raises(TypeError, match="must be an instance of `Graph`"):
            writer.add_graph("graph")
        with pytest.raises(ValueError, match="not both"):
            writer.add_graph(tf.get_default_graph(), graph_def=definition)


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.mark.timeout(120)
def test_the_tensorboard_server_serves_our_scalars(tmp_path):
    """`tensorboard --logdir` on a log dir written by minitf lists the run and its tags."""
    cost = tf.placeholder(tf.float32)
    with tf.name_scope("optimizer"):
        tf.summary.scalar("cost", cost)
    merged = tf.summary.merge_all()
    run_dir = tmp_path / "logs" / "run1"
    with tf.Session() as sess, tf.summary.FileWriter(str(run_dir), sess.graph) as writer:
        for step in range(3):
            writer.add_summary(sess.run(merged, {cost: 1.0 / (step + 1)}), step)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(tmp_path / "logs"),
         "--host", "127.0.0.1", "--port", str(port), "--load_fast", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        tags = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                tags = _get_json(f"http://127.0.0.1:{port}/data/plugin/scalars/tags")
                if tags.get("run1"):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.5)
        if tags is None:
            pytest.skip("the TensorBoard server did not start")
        assert list(tags["run1"]) == ["optimizer/cost"]
        points = _get_json(f"http://127.0.0.1:{port}/data/plugin/scalars/scalars"
                           "?run=run1&tag=optimizer/cost")
        assert [step for _, step, _ in points] == [0, 1, 2]
        assert [value for _, _, value in points] == pytest.approx([1.0, 0.5, 1 / 3])
    finally:
        server.terminate()
        server.wait(timeout=30)

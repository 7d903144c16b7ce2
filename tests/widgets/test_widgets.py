"""minitf.widgets: the picture's model (boxes, arrows, scopes, layout), the traced run, the widgets.

The browser half is tested in test_browser.py; here everything is checked against the graph in
Python: which ops get a box, what the arrows carry, that a run is pruned and runs once, and that
the widgets answer clicks and keep up with a growing graph.
"""
from __future__ import annotations

import base64
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import minitf as tf

pytest.importorskip("grandalf", reason="the widgets need the kernel extras: pip install -e '.[kernel]'")
pytest.importorskip("anywidget", reason="the widgets need the kernel extras: pip install -e '.[kernel]'")

from minitf.session import ops_to_run  # noqa: E402
from minitf.widgets import GraphWidget, RunStepper, TrainingPlot, graph_svg, show_graph  # noqa: E402
from minitf.widgets.graph_view import GROUP_SIZE, MIN_BOXES_FOR_ASIDE, GraphView, tensor_text  # noqa: E402
from minitf.widgets.layout import Box, layout  # noqa: E402
from minitf.widgets.run_trace import current_value, trace_run  # noqa: E402
from minitf.widgets.svg import draw_graph  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def _layer():
    """x -> layer1 (W, b, MatMul, add) -> loss, and an initializer: a small model with a name scope."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("layer1"):
        W = tf.Variable(tf.ones([3, 2]), name="W")
        b = tf.Variable(tf.zeros([2]), name="b")
        y = tf.matmul(x, W) + b
    loss = tf.reduce_sum(y * y, name="loss")
    return x, W, b, y, loss, tf.global_variables_initializer()


def _box_ids(svg: str) -> list:
    root = ET.fromstring(svg)
    return [g.get("data-node") for g in root.iter(f"{SVG}g") if g.get("data-node") is not None]


# ---- which boxes and arrows ------------------------------------------------------------------
def test_one_box_per_op_coloured_by_kind():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    v = tf.Variable(tf.zeros([3]), name="v")
    y = x * v + 2.0
    view = GraphView.of()
    assert [n.id for n in view.nodes] == [op.name for op in tf.get_default_graph().get_operations()]
    kinds = {n.id: n.kind for n in view.nodes}
    assert kinds["x"] == "placeholder" and kinds["v"] == "variable"
    assert kinds["zeros"] == kinds["add/y"] == "constant"
    assert kinds["mul"] == kinds["add"] == kinds["v/read"] == kinds["v/Assign"] == "op"
    assert not any(n.group for n in view.nodes)      # `add/y`, `v/read`: scopes named after one op stay open
    assert view.owner[y.op.name] == "add"


def test_arrows_carry_the_tensors_with_shape_and_dtype():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    s = tf.reduce_sum(x * x, axis=1, name="s")
    view = GraphView.of()
    edges = {(e.source, e.target): e for e in view.edges}
    assert set(edges) == {("x", "mul"), ("mul", "s"), ("s/reduction_indices", "s")}
    assert edges[("x", "mul")].tensors == [x]            # x * x: one tensor, read twice, one arrow
    assert edges[("x", "mul")].label == "(?, 3) float32"
    assert edges[("mul", "s")].label == "(?, 3) float32"
    assert edges[("s/reduction_indices", "s")].label == f"{s.op.inputs[1].shape} int32"


def test_control_dependencies_are_arrows_without_tensors():
    *_, init = _layer()
    view = GraphView.of(expanded=["layer1"])
    into_init = [e for e in view.edges if e.target == "init"]
    assert sorted(e.source for e in into_init) == ["layer1/W/Assign", "layer1/b/Assign"]
    assert all(e.control and e.label == "" for e in into_init)


def test_a_tensor_shows_what_it_is_built_from():
    a = tf.constant(1.0, name="a")
    v = tf.Variable(0.0, name="v")
    unrelated = tf.constant(3.0, name="unrelated")
    bump = tf.assign(v, a + 1)
    with tf.control_dependencies([unrelated]):
        after = tf.identity(a, name="after")
    assert [op.name for op in GraphView.of(bump).ops] == ["a", "v", "add/y", "add", "Assign"]
    assert set(GraphView.of(bump).ops) - set(ops_to_run(bump)) == {v.op}     # written into, not run
    assert [op.name for op in GraphView.of(after).ops] == ["a", "unrelated", "after"]
    assert [op.name for op in GraphView.of([bump.op, after]).ops] == \
        ["a", "v", "unrelated", "add/y", "add", "Assign", "after"]
    with pytest.raises(TypeError, match="Cannot draw 3"):
        GraphView.of(3)
    with pytest.raises(ValueError, match="Nothing to draw"):
        GraphView.of([])


def test_a_name_scope_collapses_into_one_box():
    x, W, b, y, loss, init = _layer()
    view = GraphView.of()
    assert view.scopes == ["layer1"]
    layer = next(n for n in view.nodes if n.id == "layer1")
    assert layer.group and layer.kind == "scope"
    assert [op.name for op in layer.ops] == [op.name for op in tf.get_default_graph().get_operations()
                                              if op.name.startswith("layer1/")]
    assert [n.id for n in view.nodes] == ["x", "layer1", "mul", "Const", "loss", "init"]
    edges = {(e.source, e.target): e for e in view.edges}
    assert edges[("x", "layer1")].tensors == [x]
    assert edges[("layer1", "mul")].tensors == [y]
    assert edges[("layer1", "init")].control
    assert view.frames == []


def test_an_expanded_scope_shows_its_ops_in_a_frame():
    x, W, b, y, loss, init = _layer()
    view = GraphView.of(expanded=["layer1"])
    assert view.frames == ["layer1"]
    inside = [n for n in view.nodes if n.id.startswith("layer1/")]
    assert {n.label for n in inside} == {"W", "W/Assign", "W/read", "ones", "b", "b/Assign", "b/read", "zeros",
                                         "MatMul", "add"}
    assert view.owner["layer1/MatMul"] == "layer1/MatMul"
    assert ("x", "layer1/MatMul") in {(e.source, e.target) for e in view.edges}


def test_nested_scopes_open_one_level_at_a_time():
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            c = tf.constant(1.0, name="c") + 1
        d = tf.identity(c, name="d")
    assert GraphView.of().scopes == ["outer", "outer/inner"]
    assert [n.id for n in GraphView.of().nodes] == ["outer"]
    assert [n.id for n in GraphView.of(expanded=["outer"]).nodes] == ["outer/inner", "outer/d"]
    open_both = GraphView.of(expanded=["outer", "outer/inner"])
    assert [n.label for n in open_both.nodes] == ["c", "add/y", "add", "d"]
    assert open_both.frames == ["outer", "outer/inner"]
    # an inner scope whose outer one is collapsed stays hidden, with no frame of its own
    assert GraphView.of(expanded=["outer/inner"]).frames == []


def test_a_big_scope_named_after_an_op_is_a_group_of_that_ops_kind():
    def built_under(name, n):
        with tf.name_scope(name) as scope:
            parts = [tf.constant(float(i)) for i in range(n)]
            return tf.add_n(parts, name=scope)

    small, big = built_under("small", GROUP_SIZE), built_under("big", GROUP_SIZE + 1)
    assert small.op.name == "small" and big.op.name == "big"
    view = GraphView.of()
    assert view.scopes == ["big"]                    # more than GROUP_SIZE ops under "big/"
    node = next(n for n in view.nodes if n.id == "big")
    assert node.group and node.kind == "op" and len(node.ops) == GROUP_SIZE + 2
    opened = GraphView.of(expanded=["big"])
    assert opened.frames == ["big"] and opened.frame_of("big") == "big"
    assert next(n for n in opened.nodes if n.id == "big").label == "big"


# ---- layout -----------------------------------------------------------------------------------
def _inside(inner, outer) -> bool:
    return (outer.x <= inner.x and inner.x + inner.w <= outer.x + outer.w
            and outer.y <= inner.y and inner.y + inner.h <= outer.y + outer.h)


def _on_rim(point, box, tol=0.6) -> bool:
    x, y = point
    inside = box.x - tol <= x <= box.x + box.w + tol and box.y - tol <= y <= box.y + box.h + tol
    return inside and min(abs(x - box.x), abs(x - box.x - box.w), abs(y - box.y), abs(y - box.y - box.h)) <= tol


def _overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


@pytest.mark.parametrize("expanded", [[], ["layer1"], ["layer1", "gradients", "gradients/layer1"]])
def test_layout_layers_the_boxes_and_keeps_frames_apart(expanded):
    x, W, b, y, loss, init = _layer()
    tf.gradients(loss, [W, b])
    view = GraphView.of(expanded=expanded)
    lay = layout(view)
    boxes = lay.nodes
    assert set(boxes) == {n.id for n in view.nodes}
    ids = list(boxes)
    for i, a in enumerate(ids):
        for other in ids[i + 1:]:
            assert not _overlap(boxes[a], boxes[other]), (a, other)
    for edge in view.edges:
        route = lay.routes[(edge.source, edge.target)]
        assert _on_rim(route[0], boxes[edge.source]) and _on_rim(route[-1], boxes[edge.target])
    # a frame holds exactly the boxes of its scope: no outside op is drawn inside it
    assert set(lay.frames) == set(view.frames)
    for scope, frame in lay.frames.items():
        for box_id, box in boxes.items():
            assert _inside(box, frame) == (scope in view.chain(box_id)), (scope, box_id)
    everything = list(boxes.values()) + list(lay.frames.values())
    assert all(b.x >= 0 and b.y >= 0 and b.x + b.w <= lay.width and b.y + b.h <= lay.height for b in everything)


def test_arrows_point_down_from_the_op_that_makes_a_tensor():
    a = tf.constant(1.0, name="a")
    b = tf.square(a, name="b")
    c = tf.add(a, b, name="c")
    lay = layout(GraphView.of())
    assert lay.nodes["a"].y + lay.nodes["a"].h < lay.nodes["b"].y
    assert lay.nodes["b"].y + lay.nodes["b"].h < lay.nodes["c"].y


def test_first_made_is_leftmost():
    a = tf.constant(5.0, name="a")
    b = tf.constant(37.0, name="b")
    a + b
    lay = layout(GraphView.of())
    assert lay.nodes["a"].x < lay.nodes["b"].x


def test_collapsed_scopes_reading_each_other_still_lay_out():
    with tf.name_scope("s"):
        k = tf.constant(1.0, name="k")
    with tf.name_scope("t"):
        y = tf.identity(k, name="y")
    with tf.name_scope("s/"):
        tf.identity(y, name="x")
    view = GraphView.of()
    assert {(e.source, e.target) for e in view.edges} == {("s", "t"), ("t", "s")}    # a cycle of boxes
    lay = layout(view)
    assert set(lay.nodes) == {"s", "t"} and set(lay.routes) == {("s", "t"), ("t", "s")}


# ---- what is put aside, and how real models read ------------------------------------------------
CNN = Path(__file__).parents[1] / "data" / "deep_mnist_cnn.py"


def _deep_mnist_cnn() -> dict:
    scope: dict = {}
    exec(CNN.read_text(), scope)
    return scope


def _aside(view) -> set:
    return {item for frame, item in view.aside if frame == ""}


def _geometry_problems(svg: str) -> list:
    """What overlaps in a drawn SVG: boxes, arrow labels, and box names (monospace widths) sticking out."""
    def rect(e):
        return Box(*(float(e.get(k)) for k in ("x", "y", "width", "height")))

    root = ET.fromstring(svg)
    nodes = [(g.get("data-node"), rect(g.findall(f"{SVG}rect")[-1]), g.find(f"{SVG}text").text)
             for g in root.iter(f"{SVG}g") if g.get("data-node")]
    labels = [(g.find(f"{SVG}text").text, rect(g.find(f"{SVG}rect")))
              for g in root.iter(f"{SVG}g") if g.get("class") == "edge-label"]
    problems = [f"{a} overlaps {b}" for i, (a, ra, _) in enumerate(nodes) for b, rb, _ in nodes[i + 1:]
                if _overlap(ra, rb)]
    problems += [f"name of {n} sticks out" for n, r, text in nodes if 7.2 * len(text) > r.w - 4]
    problems += [f"label {t} overlaps {n}" for t, rl in labels for n, rn, _ in nodes if _overlap(rl, rn)]
    problems += [f"label {t} overlaps label {u}" for i, (t, ra) in enumerate(labels) for u, rb in labels[i + 1:]
                 if _overlap(ra, rb)]
    problems += [f"label {t} sticks out" for t, r in labels if 6.0 * len(t) > r.w]
    return problems


def test_the_deep_mnist_cnn_reads_like_tensorboard():
    _deep_mnist_cnn()
    view = GraphView.of()
    assert _aside(view) == {"global_step", "adam_optimizer", "cross_entropy", "batch_accuracy", "learning_rate",
                            "conv1_weights", "Merge", "init"}
    core = [n.id for n in view.nodes if n.id not in _aside(view)]
    assert core == ["x", "y_", "keep_prob", "reshape", "conv1", "pool1", "conv2", "pool2", "fc1", "dropout", "fc2",
                    "loss", "accuracy"]
    lay = layout(view)
    chain = ["x", "reshape", "conv1", "pool1", "conv2", "pool2", "fc1", "dropout", "fc2", "loss"]
    assert all(lay.nodes[a].y + lay.nodes[a].h < lay.nodes[b].y for a, b in zip(chain, chain[1:]))
    assert lay.width <= 1000
    assert not [e for e in view.edges if view.drawn(e) and (e.source in _aside(view) or e.target in _aside(view))]
    assert _geometry_problems(draw_graph(view, lay)) == []


@pytest.mark.parametrize("scope", ["reshape", "conv1", "pool1", "conv2", "fc1", "dropout", "fc2", "loss",
                                   "accuracy", "adam_optimizer", "adam_optimizer/gradients"])
def test_the_deep_mnist_cnn_opens_any_scope_without_overlaps(scope):
    _deep_mnist_cnn()
    view = GraphView.of(expanded=[scope, scope.split("/")[0]])
    lay = layout(view)
    assert scope in lay.frames
    assert _geometry_problems(draw_graph(view, lay)) == []
    assert lay.width <= 1000 or "/" in scope            # two levels open: wider, zoom or scroll


def test_what_was_asked_for_stays_in_the_drawing():
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    b = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    cost = tf.reduce_mean(tf.square(W * X + b - Y))
    train_op = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)
    tf.global_variables_initializer()
    asked = GraphView.of(train_op)                         # notebook 05: show_graph(train_op)
    assert len(asked.nodes) >= 15 and asked.aside == set()
    assert {"gradients", "GradientDescent"} <= {n.id for n in asked.nodes if n.group}
    whole = GraphView.of()
    assert {"GradientDescent", "init", "Variable/Assign", "Variable_1/Assign"} <= _aside(whole)
    assert "gradients" not in _aside(whole) and "Variable" not in _aside(whole)
    assert _geometry_problems(graph_svg(train_op)) == []


def test_small_drawings_keep_everything_in_place():
    x, W, b, y, loss, init = _layer()
    view = GraphView.of()
    assert len(view.nodes) < MIN_BOXES_FOR_ASIDE and view.aside == set()


def test_an_expanded_scope_is_entered_and_left_through_its_edges():
    x, W, b, y, loss, init = _layer()
    view = GraphView.of(expanded=["layer1"])
    lay = layout(view)
    frame = lay.frames["layer1"]
    into, out_of = lay.routes[("x", "layer1/MatMul")], lay.routes[("layer1/add", "mul")]
    assert any(abs(py - frame.y) < 0.01 and frame.x < px < frame.x + frame.w for px, py in into)
    assert any(abs(py - frame.y - frame.h) < 0.01 and frame.x < px < frame.x + frame.w for px, py in out_of)
    assert _on_rim(into[-1], lay.nodes["layer1/MatMul"]) and _on_rim(out_of[0], lay.nodes["layer1/add"])


def test_labels_are_shared_by_a_tensors_arrows_and_write_unknown_shapes_as_tf1():
    v = tf.placeholder(tf.float32, name="v")                 # shape unknown, even its rank
    tf.add(v, 1.0, name="p")
    tf.multiply(v, 2.0, name="q")
    assert tensor_text(v) == "? float32"
    lay = layout(GraphView.of())
    assert [lab.text for lab in lay.labels].count("? float32") == 1
    assert {lab.text for lab in lay.labels} == {"? float32", "() float32"}


# ---- SVG --------------------------------------------------------------------------------------
def test_graph_svg_draws_every_box_and_labels_the_arrows():
    x, W, b, y, loss, init = _layer()
    svg = graph_svg()
    root = ET.fromstring(svg)                           # well-formed XML
    assert _box_ids(svg) == [n.id for n in GraphView.of().nodes]
    kinds = {g.get("data-node"): g.get("data-kind") for g in root.iter(f"{SVG}g") if g.get("data-node")}
    assert kinds["x"] == "placeholder" and kinds["layer1"] == "scope" and kinds["loss"] == "op"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "(?, 3) float32" in texts and "(?, 2) float32" in texts
    assert _box_ids(graph_svg(y)) == ["x", "layer1"]


# ---- one run, traced --------------------------------------------------------------------------
def test_trace_runs_only_what_the_fetches_need_in_order():
    a = tf.constant(5.0, name="a")
    b = tf.constant(37.0, name="b")
    c = tf.add(a, b, name="c")
    tf.negative(c, name="unused")
    with tf.Session() as sess:
        trace = trace_run(sess, c)
    assert [op.name for op in trace.ops] == ["a", "b", "c"]
    assert [trace.values[op][0] for op in trace.ops] == [5.0, 37.0, 42.0]
    assert trace.result == 42.0


def test_trace_stops_at_fed_tensors_and_returns_what_run_returns():
    x = tf.placeholder(tf.float32, [None], name="x")
    hidden = tf.multiply(x, 3.0, name="hidden")
    out = tf.add(hidden, 1.0, name="out")
    with tf.Session() as sess:
        fetches = {"out": out, "both": [hidden, out]}
        trace = trace_run(sess, fetches, {hidden: [1.0, 2.0]})
        expected = sess.run(fetches, {hidden: [1.0, 2.0]})
    assert [op.name for op in trace.ops] == ["out/y", "out"]          # x and hidden are not run
    assert list(trace.feeds) == [hidden]
    assert trace.feeds[hidden].dtype == np.float32
    assert set(trace.result) == {"out", "both"}
    np.testing.assert_array_equal(trace.result["out"], expected["out"])
    np.testing.assert_array_equal(trace.result["both"][0], [1.0, 2.0])


def test_trace_is_one_run_with_one_value_per_op():
    r = tf.random_uniform([4], seed=1, name="r")
    zero = tf.subtract(r, r, name="zero")
    counter = tf.Variable(0, name="counter")
    count = tf.assign_add(counter, 1)
    with tf.Session() as sess:
        sess.run(counter.initializer)
        trace = trace_run(sess, [zero, r, count])
        assert sess.run(counter) == 1                 # the run happened once
    np.testing.assert_array_equal(trace.values[zero.op][0], np.zeros(4, np.float32))
    np.testing.assert_array_equal(trace.result[1], trace.values[r.op][0])
    assert trace.result[2] == 1


def test_trace_keeps_values_as_each_op_produced_them():
    x = tf.Variable(1.0, name="x")
    bump = tf.assign(x, x + 1)
    with tf.Session() as sess:
        sess.run(x.initializer)
        trace = trace_run(sess, bump)
        assert sess.run(x) == 2.0
    produced = {op.name: float(trace.values[op][0]) for op in trace.ops}
    assert produced == {"x": 1.0, "x/read": 1.0, "add/y": 1.0, "add": 2.0, "Assign": 2.0}


def test_trace_fails_like_run():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = x + 1
    sess = tf.Session()
    with pytest.raises(tf.errors.InvalidArgumentError) as traced:
        trace_run(sess, y)
    with pytest.raises(tf.errors.InvalidArgumentError) as ran:
        sess.run(y)
    assert str(traced.value) == str(ran.value)
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        trace_run(sess, y)


def test_current_value_never_changes_the_session():
    v = tf.Variable(1.0, name="v")
    double = v * 2
    bump = tf.assign_add(v, 1.0)
    r = tf.random_uniform([3], seed=7, name="r")
    noisy = r + 1
    p = tf.placeholder(tf.float32, name="p")
    with tf.Session() as fresh:
        expected = [fresh.run(r), fresh.run(r)]
    with tf.Session() as sess:
        assert "FailedPreconditionError: Attempting to use uninitialized value v" in current_value(sess, double.op)
        sess.run(v.initializer)
        assert current_value(sess, double.op) == [2.0]
        assert "Assign" in current_value(sess, bump.op) and sess.run(v) == 1.0
        assert "RandomUniform" in current_value(sess, noisy.op)
        np.testing.assert_array_equal([sess.run(r), sess.run(r)], expected)   # the generator did not move
        assert "You must feed a value for placeholder tensor 'p'" in current_value(sess, (p + 1).op)


# ---- the widgets ------------------------------------------------------------------------------
def test_graph_widget_draws_the_graph_as_it_was_when_made():
    a = tf.constant(5.0, name="a")
    b = tf.constant(37.0, name="b")
    widget = show_graph()
    assert isinstance(widget, GraphWidget)
    assert _box_ids(widget.svg) == ["a", "b"] and widget.members == {"a": "a", "b": "b"}
    drawn = widget.svg
    tf.add(a, b, name="c")
    widget.refresh()
    widget.expanded = []
    assert widget.svg == drawn                       # later ops never change an earlier picture


def test_a_live_graph_widget_follows_the_graph():
    a = tf.constant(5.0, name="a")
    b = tf.constant(37.0, name="b")
    widget = show_graph(live=True)
    drawn = widget.svg
    widget.refresh()
    assert widget.svg is drawn                       # nothing new: not drawn again
    tf.add(a, b, name="c")
    widget.refresh()
    assert _box_ids(widget.svg) == ["a", "b", "c"]


def test_graph_widget_refuses_a_session_of_another_graph():
    other = tf.Graph()
    with other.as_default():
        tf.constant(1.0)
    tf.constant(2.0)
    with pytest.raises(ValueError, match="another graph"):
        GraphWidget(None, tf.Session(graph=other))
    assert _box_ids(GraphWidget(other, tf.Session(graph=other)).svg) == ["Const"]


def test_graph_widget_of_a_tensor_shows_only_its_inputs():
    a = tf.constant(5.0, name="a")
    c = tf.square(a, name="c")
    tf.constant(1.0, name="other")
    widget = GraphWidget(c)
    assert _box_ids(widget.svg) == ["a", "c"]
    tf.negative(c, name="later")
    widget.refresh()
    assert _box_ids(widget.svg) == ["a", "c"]


def test_graph_widget_expands_scopes_and_describes_clicked_ops():
    x, W, b, y, loss, init = _layer()
    sess = tf.Session()
    widget = GraphWidget(None, sess)
    assert "layer1" in _box_ids(widget.svg)
    widget.expanded = ["layer1"]
    assert "layer1/MatMul" in _box_ids(widget.svg) and 'data-scope="layer1"' in widget.svg
    assert widget.members["layer1/MatMul"] == "layer1/MatMul"

    widget.selected = "layer1/MatMul"
    rows = dict(widget.details["rows"])
    assert widget.details["title"] == "layer1/MatMul"
    assert rows["type"] == "MatMul"
    assert rows["inputs"] == "x:0 (?, 3) float32, layer1/W/read:0 (3, 2) float32"
    assert rows["outputs"] == "layer1/MatMul:0 (?, 2) float32"
    assert "You must feed a value for placeholder tensor 'x'" in widget.details["value"]

    sess.run(init)
    widget.selected = "layer1/W"
    assert widget.details["value"] == str(np.ones((3, 2), np.float32))
    widget.expanded = []
    widget.selected = "layer1"
    assert widget.details["rows"] == [["name scope", "10 ops"]]
    assert GraphWidget(None).details == {} and GraphWidget(y)._value_of(y.op) == ""


def test_run_stepper_shows_the_pruned_run_step_by_step():
    a = tf.constant(5.0, name="a")
    b = tf.constant(37.0, name="b")
    c = tf.add(a, b, name="c")
    tf.negative(a, name="unused")
    with tf.Session() as sess:
        stepper = RunStepper(sess, {"answer": c})
        assert stepper.result == {"answer": 42.0}
        assert stepper.steps == [{"op": "a", "type": "Const", "value": "5.0"},
                                 {"op": "b", "type": "Const", "value": "37.0"},
                                 {"op": "c", "type": "AddV2", "value": "42.0"}]
        assert stepper.step == 0
        root = ET.fromstring(stepper.svg)
        pruned = [g for g in root.iter(f"{SVG}g") if "pruned" in (g.get("class") or "").split()]
        assert [g.get("data-node") or (g.get("data-source"), g.get("data-target")) for g in pruned] == \
            [("a", "unused"), "unused"]
        stepper.selected = "c"
        assert stepper.details["value"] == "step 3: 42.0"
        stepper.selected = "unused"
        assert stepper.details["value"] == "not run: the fetches do not need it"


def test_run_stepper_shows_its_run_and_the_ops_next_to_it_only():
    a = tf.constant(5.0, name="a")
    b = tf.constant(37.0, name="b")
    c = tf.add(a, b, name="c")
    d = tf.negative(c, name="d")                     # reads c: next to the run
    tf.square(d, name="e")                           # two steps away: not drawn
    with tf.Session() as sess:
        stepper = RunStepper(sess, c)
        tf.abs(c, name="later")                      # made after the stepper: not drawn
        stepper.expanded = []
    assert _box_ids(stepper.svg) == ["a", "b", "c", "d"]
    assert stepper._pruned() == {"d"}


def test_a_tensors_picture_can_show_the_whole_graph_greyed():
    a = tf.constant(5.0, name="a")
    c = tf.square(a, name="c")
    tf.constant(1.0, name="other")
    widget = GraphWidget(c)
    assert widget.partial and _box_ids(widget.svg) == ["a", "c"]
    widget.whole = True
    root = ET.fromstring(widget.svg)
    greyed = [g.get("data-node") for g in root.iter(f"{SVG}g") if "pruned" in (g.get("class") or "").split()]
    assert _box_ids(widget.svg) == ["a", "c", "other"] and greyed == ["other"]
    assert not GraphWidget().partial


def test_run_stepper_shows_fed_values_and_runs_once():
    x = tf.placeholder(tf.float32, [2], name="x")
    counter = tf.Variable(0.0, name="counter")
    total = tf.assign_add(counter, tf.reduce_sum(x))
    with tf.Session() as sess:
        sess.run(counter.initializer)
        stepper = RunStepper(sess, total, {x: [1, 2]})
        assert sess.run(counter) == 3.0
        assert "x" not in [s["op"] for s in stepper.steps]
        stepper.selected = "x"
        assert stepper.details["value"] == "fed: [1. 2.]"
        assert "x" not in {g for g in stepper._pruned()}


def test_training_plot_keeps_every_value_and_redraws_sparingly():
    plot = TrainingPlot(("loss", "accuracy"), title="MNIST", interval=3600)
    assert plot.values == {"loss": [], "accuracy": []}
    first = plot.svg
    for step in range(200):
        plot.update(step, loss=1.0 / (step + 1))
    drawn_once = plot.svg
    assert drawn_once != first
    plot.update(200, loss=0.001, accuracy=0.9)
    assert plot.svg is drawn_once                    # within the interval: stored, not drawn
    plot.refresh()
    assert plot.values["loss"][:2] == [1.0, 0.5] and len(plot.values["loss"]) == 201
    assert plot.values["accuracy"] == [0.9]
    root = ET.fromstring(plot.svg)
    captions = [t.text for t in root.iter(f"{SVG}text")]
    assert "loss: 0.001 (step 200)" in captions and "accuracy: 0.9 (step 200)" in captions
    plot.update(201, lr=0.1)
    plot.refresh()
    assert plot.values["lr"] == [0.1] and 'data-metric="lr"' in plot.svg


def test_widgets_carry_a_static_copy_of_their_picture():
    tf.constant(1.0, name="a")
    widget = GraphWidget()
    bundle = widget.static_bundle()
    assert bundle["image/svg+xml"] == widget.svg
    html = ET.fromstring(bundle["text/html"])
    assert html.get("data-minitf-static") == widget.static_id == f"minitf-{widget.model_id}"
    image = html.find("img").get("src")
    assert base64.b64decode(image.removeprefix("data:image/svg+xml;base64,")).decode() == widget.svg
    plot = TrainingPlot()
    assert plot.static_bundle()["image/svg+xml"].startswith("<svg") and plot.kind == "plot"


def test_display_shows_the_static_copy_then_the_view_and_updates_the_copy(monkeypatch):
    """What IPython publishes, with a stand-in for Colab's module (ipywidgets 7 or 8 alike)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display
    from IPython.utils.capture import capture_output

    colab = types.ModuleType("google.colab.output")
    colab.enable_custom_widget_manager = lambda: None
    colab._widgets = types.SimpleNamespace(_installed_url="https://colab.invalid/manager.js")
    monkeypatch.setitem(sys.modules, "google.colab.output", colab)
    InteractiveShell.instance()
    try:
        plot = TrainingPlot(interval=3600)
        with capture_output() as captured:
            display(plot)
            plot.update(1, loss=0.5)
    finally:
        InteractiveShell.clear_instance()
    static, view, update = captured.outputs
    assert set(static.data) == {"text/html", "image/svg+xml", "text/plain"}
    assert "loss: no values yet" in static.data["image/svg+xml"]
    assert static.transient == update.transient == {"display_id": plot.static_id} and update.update
    assert "loss: 0.5 (step 1)" in update.data["image/svg+xml"]
    assert view.data["application/vnd.jupyter.widget-view+json"]["model_id"] == plot.model_id
    assert view.data["text/plain"] == ""              # no second text under the picture where views cannot show
    assert view.metadata["application/vnd.jupyter.widget-view+json"]["colab"] == {
        "custom_widget_manager": {"url": "https://colab.invalid/manager.js"}}


NOTEBOOK = ["import minitf as tf\nfrom minitf.widgets import show_graph, TrainingPlot\n"
            "c = tf.add(tf.constant(1.0, name='a'), 2.0, name='c')\nshow_graph()",
            "plot = TrainingPlot()\ndisplay(plot)\nfor step in range(30):\n    plot.update(step, loss=1 / (step + 1))",
            "d = tf.negative(c, name='later')"]


def _static_and_live(outputs: list) -> tuple[dict, dict]:
    """A widget's two outputs: the static copy, then the live view."""
    static, live = [o["data"] for o in outputs if o["output_type"] == "display_data"]
    assert set(live) == {"text/plain", "application/vnd.jupyter.widget-view+json"}
    return static, live


@pytest.mark.timeout(300)
def test_a_notebook_run_without_a_browser_keeps_the_static_pictures(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in NOTEBOOK])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}).execute()

    static, live = _static_and_live(nb.cells[0].outputs)
    assert _box_ids(static["image/svg+xml"]) == ["a", "c/y", "c"]          # not `later`: made afterwards
    assert 'class="minitf-static"' in static["text/html"] and "data:image/svg+xml;base64," in static["text/html"]
    plot, _ = _static_and_live(nb.cells[1].outputs)
    captions = [t.text for t in ET.fromstring(plot["image/svg+xml"]).iter(f"{SVG}text")]
    assert "loss: 0.03333 (step 29)" in captions                            # the final curve, not an empty chart
    model_ids = {live["application/vnd.jupyter.widget-view+json"]["model_id"]}
    assert model_ids <= set(nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"])

    # exported to HTML with the widget state, the static pictures stay outside the widget scripts
    nbconvert = pytest.importorskip("nbconvert")
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    final_curve = plot["text/html"].split("base64,")[1].split('"')[0]
    assert html.count('class="minitf-static"') == 2 and final_curve in html


@pytest.mark.timeout(600)
def test_no_picture_of_the_course_overlaps(tmp_path):
    """Notebooks 02-06 run in a real kernel; every graph they draw is checked from its static copy.

    (07 draws the Deep MNIST CNN, checked above from the same code without its training.)
    """
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    repo = Path(__file__).resolve().parents[2]
    drawn = {}
    for name in ("02_graphs", "03_sessions", "04_variables", "05_regression", "06_classification"):
        nb = nbformat.read(repo / "course" / f"{name}.ipynb", as_version=4)
        (tmp_path / name).mkdir()
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path / name)}}).execute()
        svgs = [o["data"]["image/svg+xml"] for cell in nb.cells for o in cell.get("outputs", [])
                if "minitf-graph-svg" in o.get("data", {}).get("image/svg+xml", "")]
        drawn[name] = len(svgs)
        for i, svg in enumerate(svgs):
            assert _geometry_problems(svg) == [], (name, i)
    assert all(drawn.values()), drawn

"""What crosses the sandbox wall, in one process: answers as data, graphs as deltas, forgeries refused.

The judge and the kernel's agent normally talk through the grader (tests/grading/test_redteam.py runs
that, sandboxes and all); here a judge's ``Student`` talks to an agent in an IPython shell of
this process, so the data format, the graph pairing and the evidence are tested quickly and
without bubblewrap.
"""
from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest

import minitf as tf
from minitf.grading import wire
from minitf.grading.agent import Agent
from minitf.grading.evidence import scan
from minitf.grading.judge import NotAnswered, Student, StudentCodeError, run_test

InteractiveShell = pytest.importorskip("IPython.core.interactiveshell").InteractiveShell


class Direct:
    """A judge's channel wired straight to an agent (no grader, no kernel process)."""

    def __init__(self, agent: Agent):
        self.agent = agent
        self.requests: list[dict] = []

    def ask(self, text: str) -> dict:
        self.requests.append(json.loads(text))
        return {"type": "reply", "text": self.agent.handle(text)}


@pytest.fixture
def kernel():
    """An IPython shell with the grading agent, as in a sandboxed kernel after its first cell."""
    shell = InteractiveShell()
    agent = Agent(shell)
    shell.run_cell("import numpy as np\nimport minitf as tf")   # the first cell: the fingerprint is taken
    yield shell, Direct(agent)
    shell.user_ns.clear()


def roundtrip(value):
    data = json.loads(wire.dumps({"v": wire.Codec(wire.Link("s")).encode(value)}))["v"]
    return wire.Codec(wire.Link("j")).decode(data)


def test_data_crosses_with_its_types():
    value = {"ints": [1, -2 ** 70, True, None], "floats": (0.5, float("inf")), "text": ("é", b"\x00bytes"),
             "numpy": [np.int32(16), np.float64(2.2), np.arange(6, dtype=np.uint8).reshape(2, 3)],
             "sets": {frozenset({1, 2}), 3}, "dtypes": [tf.int32, np.dtype("float32"), np.float32],
             "shape": tf.TensorShape([None, 3]), "strings": np.array([b"a", b"bc"], dtype=object), 1: complex(1, 2)}
    back = roundtrip(value)
    assert back.keys() == value.keys()
    assert back["ints"] == [1, -2 ** 70, True, None] and type(back["ints"][2]) is bool
    assert type(back["numpy"][0]) is np.int32 and back["numpy"][0] == 16
    assert back["numpy"][2].dtype == np.uint8 and np.array_equal(back["numpy"][2], value["numpy"][2])
    assert back["text"] == value["text"] and back["sets"] == value["sets"] and back[1] == complex(1, 2)
    assert back["dtypes"] == [tf.int32, np.dtype("float32"), np.float32] and back["shape"].as_list() == [None, 3]
    assert back["strings"].dtype == object and back["strings"].tolist() == [b"a", b"bc"]


def test_what_is_not_data_crosses_as_its_type_name_only():
    class Anything(list):
        def __eq__(self, other):
            return True

    for sneaky in (Anything(), type("Yes", (), {"__eq__": lambda self, other: True})(), iter([1])):
        back = roundtrip(sneaky)
        assert isinstance(back, wire.Opaque) and back != [0, 1, 2, 3] and back != back.__class__
        assert type(sneaky).__name__ in repr(back)


def test_forged_or_malformed_messages_are_refused():
    codec = wire.Codec(wire.Link("j"))
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)   # a pickle inside a .npy
    pickled = base64.b64encode(buffer.getvalue()).decode()
    for forged in ({"t": "ndarray", "v": pickled}, {"t": "tensor", "g": "s9", "n": "x:0"}, {"t": "eval", "v": "1"},
                   [1, 2], {"t": "dict", "k": [1], "v": []}, {"t": "npscalar", "v": {"t": "list", "v": []}}):
        with pytest.raises(wire.WireError):
            codec.decode(forged)
    with pytest.raises(wire.WireError):
        wire.loads("[]")
    with pytest.raises(wire.WireError):
        wire.dumps({"big": "x" * (wire.MAX_MESSAGE + 1)})


def test_a_graph_crosses_with_names_collections_and_seed_then_only_its_new_ops():
    sender, receiver = wire.Codec(wire.Link("s")), wire.Codec(wire.Link("j"))
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(7)
        with tf.name_scope("layer"):
            w = tf.Variable(tf.zeros([2, 3]), name="w")
        step = tf.assign_add(tf.Variable(0, trainable=False, name="step"), 1)
    data = json.loads(json.dumps(sender.encode([w, step])))
    receiver.link.apply(sender.link.deltas())
    w_copy, step_copy = receiver.decode(data)
    copy = w_copy.graph
    assert [op.name for op in copy.get_operations()] == [op.name for op in graph.get_operations()]
    assert copy.seed == 7 and step_copy.op.type == "AssignAdd"
    assert [v.op.name for v in copy.get_collection("trainable_variables")] == ["layer/w"]
    assert w_copy is copy.get_collection("variables")[0]
    with graph.as_default():
        tf.constant(1.0, name="later")
    delta = sender.link.deltas()
    assert list(delta) == ["s1"] and delta["s1"]["from"] == len(copy.get_operations())
    receiver.link.apply(delta)
    assert copy.get_operations()[-1].name == "later" and sender.link.deltas() == {}
    with pytest.raises(wire.WireError, match="does not fit"):
        receiver.link.apply(delta)   # the same delta again: the op counts do not match


def test_a_graph_minitf_cannot_rebuild_is_refused():
    sender, receiver = wire.Codec(wire.Link("s")), wire.Codec(wire.Link("j"))
    graph = tf.Graph()
    with graph.as_default():
        tf.py_func(lambda x: x, [tf.constant(1.0)], tf.float32)
    sender.encode(graph)
    with pytest.raises(wire.WireError, match="could not be rebuilt"):
        receiver.link.apply(sender.link.deltas())


def test_a_hidden_test_calls_the_students_function_in_its_own_graph(kernel):
    shell, channel = kernel
    shell.run_cell("def scaled_sum(x, y):\n    with tf.name_scope('scaled_sum'):\n        return (x + y) * 2\n"
                   "def boom(x):\n    raise ValueError('no ' + str(x))\n")
    student = Student(channel, "02.q2")
    scaled_sum = student["scaled_sum"]
    p = tf.placeholder(tf.float32, name="p")
    second = scaled_sum(scaled_sum(p, 1.0), p)
    assert second.name == "scaled_sum_1/mul:0" and second.graph is tf.get_default_graph()
    with tf.Session() as sess:
        assert sess.run(second, {p: 1.5}) == 13.0
    with pytest.raises(ValueError, match="no 3"):
        student["boom"](3)
    with pytest.raises(NotAnswered):
        student["missing"]
    assert "missing" not in student and "scaled_sum" in student
    assert all("hidden" not in json.dumps(request) for request in channel.requests)


def test_variables_made_on_either_side_are_trained_by_the_other(kernel):
    shell, channel = kernel
    shell.run_cell("def gradient_step(cost, rate):\n    return tf.train.GradientDescentOptimizer(rate).minimize(cost)\n"
                   "def read_weights():\n    W = tf.Variable(tf.ones([2, 2]), name='weights')\n"
                   "    with tf.Session() as sess:\n        sess.run(tf.global_variables_initializer())\n"
                   "        return sess.run(W)\n"
                   "v = tf.Variable(3.0, name='v')\nsess = tf.Session()\nsess.run(tf.global_variables_initializer())\n")
    student = Student(channel, "05.q2")
    with tf.Graph().as_default():   # the judge's graph (the shell shares this process's default graph)
        u = tf.Variable([1.0, -2.0])
        step = student["gradient_step"](tf.reduce_sum(u * u), 0.25)
        assert isinstance(step, tf.Operation)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(step)
            assert np.allclose(sess.run(u), [0.5, -1.0])
        assert np.array_equal(student["read_weights"](), np.ones((2, 2))) and [
            v.op.name for v in tf.global_variables()] == ["Variable", "weights"]
    session, v = student["sess"], student["v"]
    assert session.graph is v.graph and session.run(v) == 3.0


def test_the_judge_runs_the_check_then_the_hidden_test_and_never_sends_their_code(kernel):
    shell, channel = kernel
    shell.run_cell("ranks = [0, 1, 2, 3]\nshapes = [[], [3], [2, 3], [2, 1, 3]]")
    hidden = "SECRET = [0, 1, 2, 3]\n\ndef hidden_test(student):\n    assert student['ranks'] == SECRET, 'ranks are wrong'\n"
    verdict = run_test(channel, {"question": "01.q2", "visible": 'check("01.q2")\n', "hidden": hidden})
    assert verdict["passed"] and verdict["printed"] == "✔ 01.q2 passed.\n" and verdict["evidence"] == []
    shell.run_cell("ranks = [0, 1, 2, 2]")
    verdict = run_test(channel, {"question": "01.q2#2", "visible": 'check("01.q2")\n', "hidden": hidden})
    assert not verdict["passed"] and verdict["error"]["ename"] == "CheckFailed"
    assert not any("SECRET" in json.dumps(r) or "hidden_test" in json.dumps(r) for r in channel.requests)


def test_given_names_come_from_the_test_not_the_notebook(kernel):
    shell, channel = kernel
    shell.run_cell("x_data = 'tampered'")
    student = Student(channel, "q", given={"x_data": [1, 2]})
    assert student["x_data"] == [1, 2] and channel.requests == []


def test_patches_and_hooks_in_the_kernel_are_reported(kernel):
    shell, channel = kernel
    original = np.allclose
    try:
        shell.run_cell("np.allclose = lambda *a, **k: True\nget_ipython().input_transformers_cleanup.append(lambda l: l)")
        student = Student(channel, "q")
        student.default_graph()
        assert "numpy.allclose was replaced" in student.evidence
        assert any("input_transformers_cleanup" in line for line in student.evidence)
    finally:
        np.allclose = original
        shell.input_transformers_cleanup.pop()


def test_an_answer_that_raises_something_odd_is_a_student_error(kernel):
    shell, channel = kernel
    shell.run_cell("class Weird(Exception):\n    def __str__(self):\n        raise RuntimeError\n"
                   "def f():\n    raise Weird()\ndef g():\n    raise SystemExit(3)\n")
    student = Student(channel, "q")
    with pytest.raises(StudentCodeError, match="Weird"):
        student["f"]()
    with pytest.raises(StudentCodeError, match="SystemExit"):
        student["g"]()


def test_the_solutions_hold_nothing_the_source_scan_reports():
    nbformat = pytest.importorskip("nbformat")
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parents[2].glob("solutions/*/*.ipynb")):
        cells = [re.sub(r"### (BEGIN|END) SOLUTION", "", c.source) if c.metadata.get("nbgrader", {}).get("solution")
                 else "" for c in nbformat.read(path, as_version=4).cells]
        assert scan(cells) == {}, path.name


@pytest.mark.parametrize("source, finding", [
    ("get_ipython().input_transformers_cleanup.append(lambda lines: [])", "IPython's input transformers"),
    ("import numpy as np\nnp.allclose = lambda *a, **k: True", "assigns to np.allclose"),
    ("import minitf as tf\ntf.Session.run = None", "assigns to tf.Session.run"),
    ("import builtins\nbuiltins.len = lambda x: 0", "imports builtins"),
    ("import sys\nsys.modules['numpy'] = None", "sys.modules"),
    ("print(_ih)", "input history"),
    ("exec('x = 1')", "calls exec"),
    ("import sys\nsys.settrace(print)", "sys.settrace"),
    ("import ctypes", "ctypes"),
])
def test_the_source_scan_finds_the_tricks(source, finding):
    found = scan(["x = 1", source])
    assert list(found) == [1] and any(finding in line for line in found[1]), found


def test_everyday_magics_and_crashes_are_not_tampering():
    assert scan(["%matplotlib inline\n%time x = 1", "import os\nos._exit(1)", "import sys\nsys.exit()",
                 "class A:\n    pass\na = A()\na.b = 1", "def f(:"]) == {}

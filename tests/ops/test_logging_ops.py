"""tf.Print, tf.print and tf.strings.format (minitf/ops/logging_ops.py): values written as TF1's kernels write them.

Every expected line below is what TensorFlow 1.15.5 printed for the same statements (run with
``import tensorflow as tf`` in a Python 3.7 venv), not what numpy would print.
"""
import sys

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def run_and_capture(capsys, *fetches):
    with tf.Session() as sess:
        for fetch in fetches:
            sess.run(fetch)
    return capsys.readouterr()


def test_tf_Print_writes_the_first_entries_of_each_value_to_stderr(capsys):
    a = tf.constant([1., 2.5, 3., 4., 0.1])
    m = tf.constant([[1, 2, 3], [4, 5, 6]])
    data = [a, m, tf.constant(3.14159265), tf.constant(["hi", "there"]), tf.constant([True, False]),
            tf.constant([0.1, 1 / 3.], tf.float64)]
    printed = run_and_capture(capsys, tf.Print(a, data, "msg: "), tf.Print(a, [a, m], "sum5: ", summarize=5),
                              tf.Print(a, [tf.zeros([0])], "empty: "))
    assert printed.err == ("msg: [1 2.5 3...][[1 2 3]...][3.14159274][hi there][1 0][0.1 0.33333333333333331]\n"
                           "sum5: [1 2.5 3 4 0.1][[1 2 3][4 5...]...]\n"
                           "empty: []\n")
    assert printed.out == ""


def test_tf_Print_first_n_prints_only_the_first_runs(capsys):
    x = tf.Print(tf.constant(1.0), [tf.constant(7)], "run ", first_n=2)
    printed = run_and_capture(capsys, x, x, x)
    assert printed.err == "run [7]\nrun [7]\n"


def test_a_failed_assert_shows_its_data_the_same_way():
    a = tf.constant([1., 2.5, 3., 4., 0.1])
    check = tf.Assert(tf.constant(False), [a, tf.constant([[1, 2, 3], [4, 5, 6]]), "text", tf.constant(["hi", "there"])])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as failed:
        sess.run(check)
    assert failed.value.message.splitlines()[0] == "assertion failed: [1 2.5 3...] [[1 2 3]...] [text] [hi there]"


def test_tf_print_returns_an_op_that_prints_each_time_it_runs(capsys):
    a = tf.constant([1., 2.5, 3.])
    op = tf.print("a:", a, output_stream=sys.stdout)
    assert isinstance(op, tf.Operation) and op.type == "PrintV2" and op.name == "PrintV2"
    assert [t.op.type for t in op.inputs] == ["StringFormat"]
    assert capsys.readouterr().out == ""                     # building the graph prints nothing
    with tf.Session() as sess:
        assert sess.run(op) is None
        sess.run(op)
    assert capsys.readouterr().out == "a: [1 2.5 3]\na: [1 2.5 3]\n"


def test_tf_print_writes_to_stderr_by_default_and_as_a_control_dependency(capsys):
    x = tf.placeholder(tf.float32, [None])
    with tf.control_dependencies([tf.print("x =", x)]):
        doubled = x * 2
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(doubled, {x: [1.0, 2.0]}), [2.0, 4.0])
    printed = capsys.readouterr()
    assert printed.err == "x = [1 2]\n" and printed.out == ""


@pytest.mark.parametrize("make, expected", [
    (lambda: [tf.constant([0.1, 1 / 3.], tf.float64), tf.constant(1 / 3.), tf.constant([1, 2], tf.int64),
              tf.zeros([0]), tf.zeros([2, 0])],
     "[0.1 0.33333333333333331] 0.333333343 [1 2] [] [\n ...]"),
    (lambda: [tf.reshape(tf.range(24), [2, 3, 4])],
     "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]"),
    (lambda: [tf.reshape(tf.range(100), [10, 10])],
     "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n"
     " [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]"),
    (lambda: [tf.constant(float("nan")), tf.constant(float("inf")), tf.constant(-0.0), tf.constant(123456789.0),
              tf.constant(1e-5)],
     "nan inf -0 123456792 1e-05"),
    (lambda: [[1, 2], (3, tf.constant(4)), 5.5, "str"], "[1, 2] (3, 4) 5.5 str"),
    (lambda: [tf.constant(3, tf.uint8), tf.constant([1 + 2j], tf.complex64)], "3 [?]"),
    (lambda: [["a", tf.constant(1)], {"b": "c", "t": tf.constant([1.5])}, 3, None, True, 2.0],
     "['a', 1] {'b': 'c', 't': [1.5]} 3 None True 2.0"),
    (lambda: [tf.constant("hello"), tf.constant([b"x\n"])], '"hello" ["x\\n"]'),
    (lambda: [], ""),
    (lambda: ["only"], "only"),
    (lambda: [tf.constant([1, 2], tf.int8), tf.constant(-1.5, tf.float16)], "[1 2] -1.5"),
])
def test_tf_print_writes_values_as_tensorflow_does(capsys, make, expected):
    printed = run_and_capture(capsys, tf.print(*make(), output_stream=sys.stdout))
    assert printed.out == expected + "\n"


def test_tf_print_summarize_sep_end_and_variables(capsys):
    v = tf.Variable([1., 2.])
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(tf.print(tf.constant([[1.5, 2], [3, 4]]), tf.range(10), summarize=2, output_stream=sys.stdout))
        sess.run(tf.print(v, v * 2, sep=" | ", end="!\n", output_stream=sys.stdout))
        sess.run(tf.print(tf.range(20), summarize=-1, output_stream=sys.stdout))
    assert capsys.readouterr().out == ("[[1.5 2]\n [3 4]] [0 1 ... 8 9]\n[1 2] | [2 4]!\n"
                                       "[" + " ".join(str(i) for i in range(20)) + "]\n")


def test_tf_print_of_one_string_tensor_needs_no_format_op():
    op = tf.print(tf.constant("ready"), name="say")
    assert op.name == "say" and [t.op.type for t in op.inputs] == ["Const"]
    named = tf.print("x", tf.constant(1), name="myprint")
    assert [t.name for t in named.inputs] == ["myprint_format:0"]


def test_tf_print_to_a_file_or_a_logging_level_and_nowhere_else(tmp_path):
    log = tmp_path / "log.txt"
    with tf.Session() as sess:
        sess.run(tf.print("step", tf.constant(1), output_stream=f"file://{log}"))
        sess.run(tf.print("step", tf.constant(2), output_stream=f"file://{log}"))
    assert log.read_text() == "step 1\nstep 2\n"
    assert tf.print("x", output_stream=tf.logging.warning).get_attr("output_stream") == "log(warning)"
    for elsewhere in ("stdout", "printer", tmp_path):   # TF 1.15 refuses a stream's name too
        with pytest.raises(ValueError, match="Unsupported output stream, logging level, or file"):
            tf.print("x", output_stream=elsewhere)


def test_tf_strings_format():
    text = tf.strings.format("x = {}, y = {}", [tf.constant([1.5, 2.0]), tf.constant(3)])
    assert text.dtype == tf.string and text.shape.ndims == 0
    with tf.Session() as sess:
        assert sess.run(text) == b"x = [1.5 2], y = 3"
        assert sess.run(tf.strings.format("<>", tf.range(10), placeholder="<>", summarize=1)) == b"[0 ... 9]"
    with pytest.raises(ValueError, match="2 placeholder"):
        tf.strings.format("{} {}", [tf.constant(1)])


def test_a_graph_with_tf_print_imports_and_prints_again(capsys):
    graph = tf.Graph()
    with graph.as_default():
        tf.print("value:", tf.constant([4, 5]), output_stream=sys.stdout, name="show")
    with tf.Graph().as_default() as copy:
        tf.import_graph_def(graph.as_graph_def(), name="")
        with tf.Session() as sess:
            sess.run(copy.get_operation_by_name("show"))
    assert capsys.readouterr().out == "value: [4 5]\n"


def test_tf_nest_is_tensorflow_1_15s_too():
    assert tf.nest.flatten({"b": [1, 2], "a": 3}) == [3, 1, 2]
    assert tf.nest.map_structure(lambda x: x * 10, (1, [2])) == (10, [20])

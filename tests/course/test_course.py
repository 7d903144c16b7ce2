"""The course notebooks, each executed top to bottom in a fresh, real Jupyter kernel.

Every notebook in ``course/`` runs once per test session through nbclient and the ``python3``
kernel of ipykernel, in its own temporary folder (the notebooks write ``data.csv``, checkpoints
and TensorBoard logs there).  The tests then read the executed notebook: no cell may end in an
error, and the values each lesson is about must be in its outputs — the printed tensors, the
values the sessions fetched, the accuracy training reached.  The answers hidden in each
notebook's "Check your understanding" must be what its cells print.

A student runs a notebook more than once, in the same folder.  The slow tests run every notebook
a second time where its first run left its files (checkpoints, event files, scripts), and the
second run must teach the same lesson as the first.

Notebook 07 trains on MNIST.  The tests run it with ``MINITF_COURSE_FAST=1`` (a few epochs of the
two-layer network, 150 steps of the convolutional one) on ``minitf/datasets/mnist_small`` (6 000
training and 1 000 test images of real MNIST), pointed to by ``MNIST_DIR``, so the whole course
runs in about a minute and needs neither a network nor ``../shared``.

Cells that start a server (``%tensorboard``) carry the tag ``skip-execution``, which nbclient
honours; a test checks that every such cell has it.
"""
from __future__ import annotations

import ast
import base64
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "course"
MNIST_SMALL = REPO / "minitf" / "datasets" / "mnist_small"
NOTEBOOKS = [
    "01_tensors", "02_graphs", "03_sessions", "04_variables",
    "05_regression", "06_classification", "07_mnist", "08_tf1_to_tf2",
]
WIDGET = "application/vnd.jupyter.widget-view+json"

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# numpy 2 prints scalars with their type (np.float32(3.0)) and large float32 with an exponent; numpy 1 does not
NUMPY_2 = int(np.__version__.split(".")[0]) >= 2

_executed: dict[tuple[str, int], nbformat.NotebookNode] = {}
_folders: dict[str, Path] = {}
_left_behind: dict[tuple[str, int], list[str]] = {}


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE / f"{name}.ipynb", as_version=4)


def _code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def run_notebook(tmp_path_factory):
    """Execute a course notebook in a fresh kernel (cached per module); return the result.

    ``run(name)`` is its first run, in a new folder; ``run(name, 2)`` runs it again in the folder
    the first run used, as a student who runs the notebook twice does.
    """

    def run(name: str, run_number: int = 1) -> nbformat.NotebookNode:
        if (name, run_number) not in _executed:
            if run_number > 1:
                run(name, run_number - 1)
            else:
                _folders[name] = tmp_path_factory.mktemp(name)
            nb = _read(name)
            with pytest.MonkeyPatch.context() as env:
                env.setenv("MINITF_COURSE_FAST", "1")
                env.setenv("MNIST_DIR", str(MNIST_SMALL))
                env.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
                env.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
                client = nbclient.NotebookClient(
                    nb, kernel_name="python3", timeout=900, allow_errors=True,
                    resources={"metadata": {"path": str(_folders[name])}},
                )
                started = time.perf_counter()
                client.execute()
                nb.metadata["test_seconds"] = round(time.perf_counter() - started, 1)
            _executed[name, run_number] = nb
            _left_behind[name, run_number] = files_in(_folders[name])
        return _executed[name, run_number]

    return run


def files_in(folder: Path) -> list[str]:
    """The files under ``folder``; an event file's name (its time and host) reads ``events.out.tfevents.*``."""
    return sorted(re.sub(r"events\.out\.tfevents\..*", "events.out.tfevents.*", str(p.relative_to(folder)))
                  for p in folder.rglob("*") if p.is_file())


# -- helpers that read an executed notebook -------------------------------------------------------

def _output_text(output) -> str:
    """The text of one output: stdout and plain results (no warnings on stderr, no repr of a picture)."""
    if output.output_type == "stream":
        return output.text if output.name == "stdout" else ""
    if output.output_type == "error":
        return f"{output.ename}: {output.evalue}"
    data = output.get("data", {})
    return data.get("text/plain", "") if set(data) == {"text/plain"} else ""


def cell_with(nb, snippet: str):
    """The one code cell whose source contains ``snippet``."""
    cells = [cell for cell in _code_cells(nb) if snippet in cell.source]
    assert len(cells) == 1, f"{len(cells)} code cells contain {snippet!r}"
    return cells[0]


def out(nb, snippet: str) -> str:
    """All text the cell containing ``snippet`` printed or returned."""
    return "".join(_output_text(o) for o in cell_with(nb, snippet).outputs)


def markdown_with(nb, snippet: str) -> str:
    """The source of the one markdown cell that contains ``snippet``."""
    cells = [cell.source for cell in nb.cells if cell.cell_type == "markdown" and snippet in cell.source]
    assert len(cells) == 1, f"{len(cells)} markdown cells contain {snippet!r}"
    return cells[0]


def mimes(nb, snippet: str) -> set[str]:
    return {m for o in cell_with(nb, snippet).outputs for m in o.get("data", {})}


def numbers(text: str) -> list[float]:
    """The numbers in printed text (not the digits of names such as float32)."""
    return [float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d*)?(?:e[-+]?\d+)?", text)]


def percent_after(text: str, label: str) -> float:
    match = re.search(re.escape(label) + r"\s*([\d.]+)%", text)
    assert match, f"no '{label} NN.NN%' in {text!r}"
    return float(match.group(1)) / 100


def assert_ran_clean(nb) -> None:
    """Every cell ran (except the skipped server cells) and none ended in an error."""
    for cell in _code_cells(nb):
        skipped = "skip-execution" in cell.metadata.get("tags", [])
        assert skipped or cell.execution_count is not None, f"cell did not run:\n{cell.source}"
        for o in cell.outputs:
            assert o.output_type != "error", f"{o.ename}: {o.evalue}\nin cell:\n{cell.source}"
            if o.output_type == "stream" and o.name == "stderr":
                assert "Traceback" not in o.text, o.text


def final_curves(nb, snippet: str) -> dict[str, tuple[float, int]]:
    """What the static picture of the cell's TrainingPlot shows: each metric's last value and its step.

    The static copy is what a saved notebook shows where the live widget cannot run; it must be the
    final curve, not the empty chart the cell displayed before training began.  JupyterLab shows its
    HTML (an image of the SVG), so the image must be that same SVG.
    """
    static = [o.data for o in cell_with(nb, snippet).outputs
              if "minitf-static" in o.get("data", {}).get("text/html", "")]
    assert len(static) == 1, static
    svg = static[0]["image/svg+xml"]
    image = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', static[0]["text/html"]).group(1)
    assert base64.b64decode(image).decode() == svg
    assert "no values yet" not in svg, svg
    return {name: (float(value), int(step))
            for name, value, step in re.findall(r">(\w+): (\S+) \(step (\d+)\)<", svg)}


def assert_drawn(nb, snippet: str) -> None:
    """A minitf widget: a live widget plus the static SVG picture shown where JavaScript does not run."""
    kinds = mimes(nb, snippet)
    assert WIDGET in kinds and "image/svg+xml" in kinds, kinds


# -- the committed notebooks -------------------------------------------------------------------------

def test_the_course_is_these_notebooks():
    assert sorted(p.stem for p in COURSE.glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name):
    for cell in _code_cells(_read(name)):
        assert cell.outputs == [] and cell.execution_count is None, f"{name}: strip outputs of\n{cell.source}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_installs_minitf_when_missing_and_ends_with_a_summary(name):
    nb = _read(name)
    first = _code_cells(nb)[0].source
    assert "import minitf" in first and '"minitf-course[kernel]"' in first  # the setup cell: tests/packaging/test_packaging.py
    closing = "\n".join(cell.source for cell in nb.cells[-2:] if cell.cell_type == "markdown")
    assert "## Summary" in "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert ("**Next —" if name not in ("07_mnist", "08_tf1_to_tf2") else "## Where next") in closing


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_server_cells_are_not_run_by_tests(name):
    for cell in _code_cells(_read(name)):
        if "%tensorboard" in cell.source:
            assert "skip-execution" in cell.metadata.get("tags", []), cell.source


# -- each notebook, executed: what each lesson must show ----------------------------------------------

def lesson_01_tensors(nb):
    assert_ran_clean(nb)
    assert out(nb, "for literal in (rank0") == "0 ()\n1 (3,)\n2 (2, 3)\n3 (2, 1, 3)\n"
    assert out(nb, "hello = tf.constant('Hello, TensorFlow!')") == 'Tensor("Const:0", shape=(), dtype=string)\n'
    assert out(nb, "c = tf.add(a,b)") == 'Tensor("Add:0", shape=(), dtype=int32)\n'
    values = out(nb, "print(sess.run([a,b,c]))")
    assert values.startswith("b'Hello, TensorFlow!'\n")
    assert re.search(r"\[(np\.int32\()?10\)?, (np\.int32\()?32\)?, (np\.int32\()?42\)?\]", values), values
    assert out(nb, "hello_constant = tf.constant('Hello world!')") == "b'Hello world!'\n"
    assert out(nb, "div = tf.divide(a, b)") == "add: 16\nsubtract: 6\nmultiply: 55\ndivide: 2.2\n"
    assert "<dtype: 'int32'> <dtype: 'float64'>" in out(nb, "print(ad.dtype, div.dtype)")
    float32_2_24 = "1.6777216e+07" if NUMPY_2 else "16777216.0"  # numpy 1 prints no exponent
    assert out(nb, "print((a // b).dtype)") == f"<dtype: 'int32'>\n<dtype: 'float32'>\n{float32_2_24} 16777217.0\n"
    assert "TypeError:" in out(nb, "tf.constant(1) + tf.constant(1.0)")
    assert 'Tensor("zeros_1:0", shape=(10, 299, 299, 3), dtype=float32)' in out(nb, "for t in (a, rank_three")
    assert "[ 6  9 12]\n[2.   2.25 2.5  2.75 3.  ]\n[[9 9 9]\n [9 9 9]]" in out(nb, "print(sess.run(integer_seq_tsr))")
    assert out(nb, "matrixAlt = tf.reshape").endswith("(6, 10) (3, 20) (4, 3, 5)\n")
    assert "ValueError:" in out(nb, "tf.reshape(rank_three_tensor, [7, -1])") and "60" in out(nb, "[7, -1]")
    assert "shape=(100, 784)" in out(nb, "flat = tf.reshape(images")
    assert out(nb, "total = float_tensor + tf.constant(0.5)") == "[1.5 2.5 3.5]\n"


def lesson_02_graphs(nb):
    assert_ran_clean(nb)
    assert out(nb, "graph = tf.get_default_graph()\n") == "[]"
    assert out(nb, "operations = graph.get_operations()") == "[<tf.Operation 'Const' type=Const>]"
    node_def = out(nb, "print(operations[0].node_def)")
    assert node_def.startswith('name: "Const"\nop: "Const"\n') and "DT_FLOAT" in node_def
    assert out(nb, "sess.run(input)") == 'Tensor("Const:0", shape=(), dtype=float32)\n1.0\n'
    assert out(nb, "total = a + b\nprint(a)") == (
        'Tensor("Const:0", shape=(), dtype=float32)\nTensor("Const_1:0", shape=(), dtype=float32)\n'
        'Tensor("add:0", shape=(), dtype=float32)\n')
    assert 'Tensor("MyAdd:0", shape=(), dtype=float32)' in out(nb, "name='MyAdd')\nprint(a)")
    assert out(nb, "again = tf.add").startswith('Tensor("MyAdd_1:0", shape=(), dtype=float32)\nTrue\nTrue\n')
    assert "Const Const []" in out(nb, "a = tf.constant(3.0)\nprint(a)")
    assert out(nb, "doubled = total * 2") == 'Tensor("mul:0", shape=(), dtype=float32)\n[\'add\', \'mul/y\']\n'
    assert numbers(out(nb, "z = tf.matmul(x, w) + b")) == pytest.approx([-0.25, 0.4378235], abs=1e-6)
    slopes = {line.split()[0]: numbers(line) for line in out(nb, "derivatives = {name").splitlines()}
    assert slopes["sigmoid"][0] == 0.25 and slopes["tanh"][0] == slopes["ReLU"][0] == 1.0
    assert "image/png" in mimes(nb, "derivatives = {name")
    sizes = {line.split()[0]: numbers(line) for line in out(nb, "def gradient_sizes").splitlines()}
    assert sizes["sigmoid"][1] < 1e-4 * sizes["sigmoid"][3]  # vanishing through ten sigmoid layers
    assert sizes["ReLU"][1] > 0.1 * sizes["ReLU"][3]
    assert out(nb, "fc1 = tf.nn.relu") == 'Tensor("Relu:0", shape=(?, 3), dtype=float32)\n'
    assert "True" in out(nb, "matmul = add.op.inputs[0]")
    gradients = out(nb, "print(sess.run(dz_dA))")
    assert gradients == "[[1. 1.]\n [1. 1.]]\n[[1.]\n [1.]]\n"
    assert out(nb, "n_before = ").startswith("5 operations before tf.gradients")
    assert "layer1/W1:0 layer1/Relu:0 output/MatMul:0" in out(nb, "with tf.name_scope('layer1')")
    assert "must be from the same graph" in out(nb, "g = tf.Graph()")
    assert_drawn(nb, "from minitf.widgets import show_graph")
    assert_drawn(nb, "layer_graph = show_graph(fc1)")
    assert_drawn(nb, "show_graph(dz_dA)")
    assert_drawn(nb, "print(W1.name, L1.name, model.name)")
    svg = cell_with(nb, "SVG(graph_svg(model))").outputs[0].data["image/svg+xml"]
    assert "<svg" in svg and "layer1" in svg
    assert "events.out.tfevents." in out(nb, "writer = tf.summary.FileWriter('tmp/logs')")


def lesson_03_sessions(nb):
    assert_ran_clean(nb)
    assert out(nb, "sess = tf.Session()\nprint(sess.run(total))") == 'Tensor("add:0", shape=(), dtype=float32)\n7.0\n'
    fetched = out(nb, "print(sess.run([a, b, total]))").splitlines()
    assert numbers(fetched[0])[-3:] == [3.0, 4.0, 7.0]
    assert fetched[1].startswith("{'ab': (") and numbers(fetched[1])[-1] == 7.0
    assert_drawn(nb, "RunStepper(sess, doubled)")
    assert_drawn(nb, "RunStepper(sess, (out1, out2))")
    runs = out(nb, "print(sess.run((out1, out2)))").splitlines()
    assert runs[0] != runs[1] and runs[2].startswith("(array([")
    assert out(nb, "first, second = sess.run((out1, out2))") == "[1. 1. 1.]\n"
    assert out(nb, "print(sess.run(init))") == "None\nNone\nNoOp AddV2\n"
    assert out(nb, "sum = tf.add(x, y)") == "sum: 16\n"
    assert out(nb, "z = x + y") == "7.5\n[3. 7.]\n"
    assert out(nb, "print(X)\nprint(tf.reduce_sum") .endswith(", shape=(?,), dtype=float32)\n")
    assert out(nb, "m_out = sess.run") == 'Tensor("MatMul:0", shape=(1, 1), dtype=float32)\n[[4.]]\n'
    assert out(nb, "    sess.run(m)\n").startswith("InvalidArgumentError You must feed a value for placeholder tensor")
    assert "Cannot feed value of shape (2,)" in out(nb, "feed_dict={x: [2., 3.]}")
    assert out(nb, "feed_dict={a: 10.0}))") == "14.0\n7.0\n"
    assert out(nb, "x = [[2.]]") == "Tensor(\"MatMul_1:0\", shape=(1, 1), dtype=float32)\n['Const', 'Const']\n[[4.]]\n"
    assert "RuntimeError: Attempted to use a closed Session." in out(nb, "except RuntimeError")
    assert out(nb, "print(total.eval())\n    print(doubled") == "7.0\n10.0\nTrue\n"
    assert out(nb, "sess = tf.InteractiveSession()") == "7.0\n"
    assert out(nb, "print(doubled.eval())\nsess.close()") == "14.0\n"


def lesson_04_variables(nb):
    assert_ran_clean(nb)
    assert out(nb, "x = tf.Variable(5, name='x')") == "result: 5\n"
    assert "FailedPreconditionError Attempting to use uninitialized value x" in out(nb, "except tf.errors.Failed")
    assert out(nb, "print(x.dtype, x.dtype.base_dtype)") == (
        "<tf.Variable 'x:0' shape=() dtype=int32_ref>\n<dtype: 'int32_ref'> <dtype: 'int32'>\n")
    assert out(nb, "print(x.value())") == (
        'Tensor("x/read:0", shape=(), dtype=int32)\nTensor("add:0", shape=(), dtype=int32)\n')
    assert_drawn(nb, "from minitf.widgets import show_graph")
    assert out(nb, "my_op = tf.assign(cool_numbers") == "[3.14159 2.71828]\n[4.14159 3.71828]\n[5.14159 4.71828]\n"
    trap = out(nb, "print(tf.Variable([1, 2], tf.float32))").splitlines()
    assert trap[0].endswith("dtype=int32_ref>") and trap[1].endswith("dtype=float32_ref>")
    assert out(nb, "print(my_op)\n") == 'Tensor("Assign:0", shape=(2,), dtype=float32_ref)\n[6.14159 5.71828]\n'
    assert_drawn(nb, "RunStepper(sess, my_op)")
    assert [cell.outputs[0].text for cell in _code_cells(nb) if cell.source == "print(sess.run(cool_numbers))"] == [
        "[7.14159 6.71828]\n"]  # the stepper really ran my_op once more
    assert out(nb, "assign_sub([1., 1.])") == "[6.14159 5.71828]\n[0. 0.]\n"
    weights = numbers(out(nb, "weights = tf.Variable(tf.truncated_normal"))
    assert len(weights) == 25 and max(abs(w) for w in weights) <= 0.2
    assert out(nb, "bias = tf.Variable(tf.zeros(6))") == "result:\n[0. 0. 0. 0. 0. 0.]\n"
    assert out(nb, "truncated_values = sess.run").endswith("True True\n")
    assert "image/png" in mimes(nb, "truncated_values = sess.run")
    assert out(nb, "W = tf.Variable(tf.random_normal([3,2]))").startswith(
        'Tensor("Placeholder:0", shape=(?, 3), dtype=float32)')
    assert "=== expr ===" in out(nb, 'print("=== expr ===")')
    assert "shape=(2, 2)" in out(nb, "print(expr)")
    assert out(nb, 'v = tf.get_variable("my_variable"') == (
        "<tf.Variable 'my_variable:0' shape=(1, 2, 3) dtype=float32_ref>\n")
    assert out(nb, 'my_int_variable = tf.get_variable') == "[[[0 0 0]\n  [0 0 0]]]\n[23 42]\n"
    assert out(nb, 'my_local = tf.get_variable("my_local", shape=()') == (
        "['my_variable:0', 'my_int_variable:0', 'other_variable:0', 'my_non_trainable:0']\n"
        "['my_variable:0', 'my_int_variable:0', 'other_variable:0', 'my_local:0']\n"
        "['my_local:0']\n")
    assert out(nb, 'my_counter = tf.get_variable("my_counter"') == (
        "['my_variable:0', 'my_int_variable:0', 'other_variable:0', 'my_local:0']\n['my_local:0', 'my_counter:0']\n")
    assert out(nb, 'tf.get_collection("my_collection_name")') == (
        "[<tf.Variable 'my_local_var:0' shape=(2, 3) dtype=float32_ref>]")
    assert out(nb, "session.run(tf.report_uninitialized_variables())").startswith("[b'my_local'")
    assert out(nb, "out2 = dense_relu(out1, 128, 258)") == (
        "ValueError: Variable weight already exists, disallowed. "
        "Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?\n")
    assert out(nb, 'with tf.variable_scope("layer2")') == (
        "['layer1/weight:0', 'layer1/bias:0', 'layer2/weight:0', 'layer2/bias:0']\n")
    assert out(nb, "with tf.variable_scope(scope, reuse=True):\n        relu2") == (
        "ValueError: Trying to share variable model/weight, but specified shape (128, 256) and found shape (10, 128).\n")
    assert out(nb, "relu2 = dense_relu(other_input, 10, 128)") == (
        "['model/weight:0', 'model/bias:0']\n"
        'Tensor("model/Relu:0", shape=(?, 128), dtype=float32)\n'
        'Tensor("model_2/Relu:0", shape=(?, 128), dtype=float32)\n')
    assert out(nb, 'with tf.name_scope("block")') == "v1:0\nblock/v2:0\nblock/add:0\n"
    assert out(nb, "print(tf.Variable(0.0).name") == "Variable:0 Variable_1:0 counter:0\n"


def lesson_05_regression(nb):
    assert_ran_clean(nb)
    seed_lines = out(nb, "lines = seed_log.stdout.splitlines()").splitlines()
    step, final_cost = numbers(seed_lines[-3])[:2]
    assert step == 99 and final_cost < 0.01
    assert seed_lines[-2].startswith("X: 5, Y:") and abs(numbers(seed_lines[-2])[-1] - 5) < 0.2
    assert seed_lines[-1].startswith("X: 2.5, Y:") and abs(numbers(seed_lines[-1])[-1] - 2.5) < 0.1
    losses = numbers(out(nb, "mse = tf.losses.mean_squared_error"))
    assert len(losses) == 3 and max(losses) - min(losses) < 1e-5
    assert out(nb, "print(train_op.type, train_op.name)").startswith("NoOp GradientDescent\n")
    assert_drawn(nb, "show_graph(train_op)")
    gradient_lines = out(nb, "fd_grads = [").splitlines()
    analytic, finite = numbers(gradient_lines[0]), numbers(gradient_lines[1])
    assert analytic == pytest.approx([-22 / 3, -3.2], rel=1e-5)
    by_hand = markdown_with(nb, "By hand, at $W = 0.3$")
    assert "-7.\\overline{3}" in by_hand and "-3.2" in by_hand and "7.6" not in by_hand
    assert finite == pytest.approx(analytic, rel=1e-3, abs=1e-3)
    assert out(nb, "sess.run(train_op, feed)\n    W_after") == "True True\n"
    rates = {rate: numbers(line)[-2:] for rate, line in zip((0.01, 0.1, 0.2),
                                                           out(nb, "costs = {rate: fit_line").splitlines())}
    assert rates[0.1][1] < rates[0.01][1] < rates[0.01][0] < rates[0.2][1]
    assert "image/png" in mimes(nb, "costs = {rate: fit_line")
    assert_drawn(nb, "plot = TrainingPlot(metrics=('loss',)")
    steps, W_fit, b_fit = numbers(out(nb, "plot = TrainingPlot(metrics=('loss',)"))
    assert steps == 200 and abs(W_fit - 0.5) < 0.1 and abs(b_fit - 2) < 0.15
    recorded = out(nb, "print(len(plot.values['loss'])")
    assert recorded.startswith("200 losses recorded")
    (last_loss, last_step), = final_curves(nb, "plot = TrainingPlot(metrics=('loss',)").values()
    assert last_step == 200 and last_loss == pytest.approx(numbers(recorded)[-1], abs=1e-3)
    assert "image/png" in mimes(nb, "line_y = sess.run(hypothesis")
    for line in out(nb, "curves = {name: train_curve").splitlines():
        assert numbers(line)[-1] < 0.3, line
    assert out(nb, "train_op = tf.train.AdamOptimizer(0.1).minimize") == (
        "['W:0', 'beta1_power:0', 'beta2_power:0', 'W/Adam:0', 'W/Adam_1:0']\n['W:0']\n")
    logistic = "plot = TrainingPlot(metrics=('loss', 'accuracy')"
    training_accuracy = percent_after(out(nb, logistic), "training accuracy")
    assert training_accuracy >= 0.9
    curves = final_curves(nb, logistic)
    assert curves["loss"][0] == pytest.approx(numbers(out(nb, logistic))[0], abs=1e-3)
    assert curves["accuracy"] == (pytest.approx(training_accuracy, abs=1e-3), 200)
    assert "image/png" in mimes(nb, "grid_p = sess.run(probability")


def lesson_06_classification(nb):
    assert_ran_clean(nb)
    softmax = out(nb, "loss_operation = tf.reduce_mean(cross_entropy)")
    assert numbers(softmax)[:3] == pytest.approx([0.6590012, 0.24243298, 0.09856589], abs=1e-6)
    assert numbers(softmax)[-4:] == pytest.approx([0.41702995, 2.4200497, 1.0986123, 1.3118973], abs=1e-5)
    one_layer = out(nb, "L = tf.nn.relu(L)")
    assert one_layer.splitlines()[0].startswith("1 ") and "실제값: [0 1 2 0 0 2]" in one_layer
    deep = out(nb, "b1 = tf.Variable(tf.zeros([10])) # 은닉층 뉴런수")
    deep_costs = [numbers(line)[1] for line in deep.splitlines()[:10]]
    assert deep_costs[-1] < deep_costs[0] / 2
    assert float(deep.split("정확도:")[1]) >= 80
    assert "image/png" in mimes(nb, "ax.contourf(grid_x")
    curves = {line[:36].strip(): numbers(line[36:]) for line in out(nb, "def train_classifier").splitlines()}
    assert curves["hidden layer, Adam(0.01)"][1] < 0.5 < curves["one layer, GradientDescent(0.01)"][1]
    assert out(nb, "by_hand = -tf.reduce_sum").startswith("by hand: [nan]  library: [1000.]")
    assert out(nb, "inc_v1 = v1.assign(v1+1)") == "Model saved in file: logs/model.ckpt\n"
    assert {"checkpoint", "model.ckpt.index"} <= set(ast.literal_eval(out(nb, "sorted(os.listdir('logs'))")))
    assert out(nb, 'saver.restore(sess, "logs/model.ckpt")') == (
        "Model restored.\nv1 : [1. 1. 1.]\nv2 : [-1. -1. -1. -1. -1.]\n")
    first, second = (cell for cell in _code_cells(nb) if cell.source.endswith("%run dnn.py"))
    first, second = ("".join(_output_text(o) for o in c.outputs) for c in (first, second))
    assert re.findall(r"Step: (\d+)", first) == ["1", "2"] and re.findall(r"Step: (\d+)", second) == ["3", "4"]
    assert out(nb, "print(tf.train.get_checkpoint_state('./model')").startswith("./model/dnn.ckpt-4\n")
    tensorboard_tail = out(nb, "tensorboard_log.stdout.splitlines()[-6:]")
    assert "Step: 100," in tensorboard_tail and "정확도:" in tensorboard_tail
    assert_drawn(nb, "from minitf.widgets import show_graph\n\nshow_graph()")
    events = out(nb, "events = EventAccumulator('logs')")
    assert "['optimizer/cost']" in events and "['optimizer/Weights']" in events
    assert "100 cost values, steps 1 to 100" in events


def lesson_07_mnist(nb):
    assert_ran_clean(nb)
    assert out(nb, "FAST = os.environ").strip() == "fast test run"
    assert "train      images (5500, 784), labels (5500, 10)" in out(nb, "mnist = input_data.read_data_sets")
    assert "image/png" in mimes(nb, "for ax, image, label in zip(axes.ravel()")
    assert 'Tensor("Relu:0", shape=(?, 200), dtype=float32)' in out(nb, "fc1 = fc_layer(x, h1")
    loop = out(nb, "for epoch in range(1):")
    assert "Training epoch: 1" in loop and percent_after(loop, "validation accuracy:") > 0.5
    mlp_plot = "plot = TrainingPlot(metrics=('loss', 'accuracy', 'validation_accuracy')"
    assert_drawn(nb, mlp_plot)
    validation = final_curves(nb, mlp_plot)["validation_accuracy"][0]
    assert validation == pytest.approx(percent_after(out(nb, mlp_plot), "epochs:"), abs=2e-4)
    mlp = percent_after(out(nb, "mlp_test_accuracy = accuracy.eval"), "test accuracy:")
    assert mlp >= 0.85
    assert "image/png" in mimes(nb, "mlp_confusion = confusion_matrix")
    assert "image/png" in mimes(nb, "show_mistakes(mlp_predictions)")
    assert re.fullmatch(r"checkpoints/mlp\.ckpt-\d+\n", out(nb, "mlp_saver = tf.train.Saver()"))
    shapes = out(nb, "for t in (x_image, h_conv1")
    for shape in ("(?, 28, 28, 32)", "(?, 14, 14, 32)", "(?, 14, 14, 64)", "(?, 7, 7, 64)", "(?, 1024)", "(?, 10)"):
        assert f"shape={shape}" in shapes
    assert out(nb, "print(sum(int(np.prod(") == "3274634 weights\n"
    assert_drawn(nb, "from minitf.widgets import show_graph")
    assert "trained 150 steps; latest checkpoint: checkpoints/cnn.ckpt-150" in out(nb, "writer = tf.summary.FileWriter")
    assert {name: step for name, (_, step) in final_curves(nb, "writer = tf.summary.FileWriter").items()} == {
        "loss": 150, "accuracy": 150}
    scores = out(nb, "cnn_predictions = predict(test_images)")
    cnn = percent_after(scores, "convolutional network, test accuracy:")
    assert cnn >= 0.85
    assert "image/png" in mimes(nb, "plot_confusion(confusion_matrix(test_labels, cnn_predictions)")
    restored = out(nb, "saver.restore(sess, tf.train.latest_checkpoint")
    assert percent_after(restored, "restored network, test accuracy:") == pytest.approx(cnn)
    assert "same predictions as before: True" in restored
    events = out(nb, "events = EventAccumulator('logs/cnn')")
    assert "['cross_entropy', 'batch_accuracy', 'learning_rate'] ['conv1_weights']" in events
    assert "6 accuracy values, last one at step 150" in events
    assert out(nb, "print(tf.train.get_checkpoint_state('checkpoints').all_model_checkpoint_paths)").startswith(
        "['checkpoints/cnn.ckpt-110', 'checkpoints/cnn.ckpt-150']\n")


def lesson_08_tf1_to_tf2(nb):
    assert_ran_clean(nb)
    assert out(nb, "FAST = os.environ").strip() == "fast test run"
    assert out(nb, "m = tf1.matmul(x, x)") == 'Tensor("MatMul:0", shape=(1, 1), dtype=float32)\n[[4.]]\n'
    assert out(nb, "x = [[2.]]") == "tf.Tensor([[4.]], shape=(1, 1), dtype=float32)\n"
    assert "InvalidArgumentError: Dimensions must be equal, but are 3 and 2 [Op:MatMul]" in out(
        nb, "tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))")
    tracing = out(nb, "print('tracing, with', a)")
    assert tracing.count("tracing, with Tensor(\"a:0\"") == 2 and "graphs traced: 2" in tracing
    assert re.search(r"^a +Placeholder", out(nb, "concrete = square.get_concrete_function"), re.M)
    assert_drawn(nb, "show_graph(concrete.graph)")
    assert "('w', 'VariableV2')" in out(nb, "def predict(x):")
    assert "TF2: tf.Tensor(6.0, shape=(), dtype=float32)" in out(nb, "print('TF2:', tape.gradient(y, x))")
    table = out(nb, "for name, (seconds, accuracy_value) in results.items()")
    rows = {line.split()[0]: numbers(line) for line in table.splitlines()[1:]}
    assert set(rows) == {"Session", "GradientTape", "Keras"}
    assert all(accuracy >= 80 for _, accuracy in rows.values()), table
    assert_drawn(nb, "TrainingPlotCallback(every=50)")
    assert {"loss", "accuracy"} <= set(final_curves(nb, "TrainingPlotCallback(every=50)"))
    assert "Total params: 407,050" in out(nb, "model.summary()")
    assert "'ApplyAdam': 4" in out(nb, "step_graph = model.train_function")
    assert "same predictions: True" in out(nb, "copy.load_weights")
    assert "model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE" in out(nb, "ckpt = tf.train.Checkpoint")


LESSONS = {name: globals()[f"lesson_{name}"] for name in NOTEBOOKS}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_teaches_its_lesson(name, run_notebook):
    LESSONS[name](run_notebook(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_teaches_the_same_lesson_when_run_again_in_the_same_folder(name, run_notebook):
    LESSONS[name](run_notebook(name, 2))
    # what a run writes it first clears: a second run leaves the files the first left, no more
    assert _left_behind[name, 2] == _left_behind[name, 1]


# -- check your understanding ----------------------------------------------------------------------

# Items whose output the answer cannot quote word for word: an op name that depends on the graph's
# history (01), random draws (03).
UNQUOTED = {("01_tensors", 3), ("03_sessions", 1)}


def understanding_items(nb) -> list[tuple[str, object, str]]:
    """(question, code cell, answer) for each item of the notebook's "Check your understanding"."""
    cells = nb.cells
    start = next(i for i, c in enumerate(cells) if c.source.startswith("## Check your understanding"))
    end = next(i for i, c in enumerate(cells) if i > start and c.source.startswith("## "))
    section = cells[start + 1:end]
    assert len(section) % 3 == 0, "each item is a question, a code cell and its answer"
    items = [tuple(section[i:i + 3]) for i in range(0, len(section), 3)]
    for n, (question, code, answer) in enumerate(items, 1):
        assert question.cell_type == "markdown" and question.source.startswith(f"**{n}.** "), question.source
        assert code.cell_type == "code" and "# your prediction" in code.source, code.source
        assert answer.cell_type == "markdown" and answer.source.startswith(
            "<details><summary><b>Why?</b></summary>") and answer.source.endswith("</details>"), answer.source
    return [(q.source, c, a.source) for q, c, a in items]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_ends_with_check_your_understanding_before_its_summary(name):
    nb = _read(name)
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert headings[-2:] == ["## Check your understanding", "## Summary"], headings[-2:]
    assert len(understanding_items(nb)) >= 3


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_hidden_answers_are_what_the_cells_print(name, run_notebook):
    for n, (_, code, answer) in enumerate(understanding_items(run_notebook(name)), 1):
        printed = "".join(_output_text(o) for o in code.outputs)
        assert printed and all(o.output_type != "error" for o in code.outputs), (name, n, code.outputs)
        if (name, n) not in UNQUOTED:
            numpy_1_answer = re.sub(r"np\.\w+\(([^()]*)\)", r"\1", answer)  # np.float32(3.0) shows as 3.0
            for line in printed.splitlines():
                assert line.strip() in (answer if NUMPY_2 else numpy_1_answer), \
                    f"{name}, item {n}: the answer does not say {line.strip()!r}"


# -- what the notebooks say, read without running them ---------------------------------------------

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_quoted_korean_comments_keep_the_original_and_an_english_translation(name):
    for cell in _code_cells(_read(name)):
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            comment = line[line.find("#"):] if "#" in line else ""
            if not HANGUL.search(comment):
                continue
            inline = re.search(r"\([^)]*[A-Za-z][^)]*\)\s*$", comment)
            below = i + 1 < len(lines) and re.match(r"\s*# \(.*[A-Za-z]", lines[i + 1])
            assert inline or below, f"{name}: no English translation for\n{line}"


def test_the_pictures_travel_inside_the_notebooks():
    """Explanatory figures are PNG attachments of the markdown cell that shows them (course/figures/)."""
    shown = 0
    for name in NOTEBOOKS:
        for cell in _read(name).cells:
            for attachment in re.findall(r"\(attachment:([\w.]+)\)", cell.source):
                png = base64.b64decode(cell.attachments[attachment]["image/png"])
                assert png.startswith(b"\x89PNG") and len(png) > 5000, (name, attachment)
                shown += 1
    assert shown >= 2


def test_07_quotes_the_benchmarks_own_cnn_timing():
    training = markdown_with(_read("07_mnist"), "### Training")
    quoted = re.search(r"measures ([\d–]+ s per epoch)", training)
    assert quoted, training
    assert quoted.group(1) in (REPO / "benchmarks" / "README.md").read_text(), (
        f"07 quotes {quoted.group(1)!r} for the CNN; benchmarks/README.md no longer says it: update 07's *Training*")


def test_no_lecture_says_tf2_keeps_sessions():
    text = "\n".join(c.source for name in NOTEBOOKS for c in _read(name).cells)
    assert "everything here carries over" not in text
    assert "the graph and the session are still there" not in text

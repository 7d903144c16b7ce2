"""Every self-check rejects the plausible wrong answers kept next to its solution, and says why.

Each assignment folder of ``solutions/`` holds ``wrong_answers.py``: for each question, answers a
student might well write that are wrong (a non-recursive walk of the graph, a loss summed instead
of averaged, a fixed batch size, ...), with a phrase its check's message must contain. The test runs
each solution notebook as a student would (in a plain namespace, no nbgrader), and at every check
cell replays each wrong answer in place of the answer cell: the check must stop with
``CheckFailed`` — not pass, not crash with another error — naming the question, saying what is
wrong and where to look.  A public check that says "passed" to any of them would mislead a student
whom the hidden tests then fail.
"""
from __future__ import annotations

import contextlib
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import minitf as tf
from minitf.selfcheck import QUESTIONS, CheckFailed, check

from test_selfcheck import CHECK_CALL, IPYTHON_SYNTAX, MNIST_SMALL, SOLUTION_MARKER, notebooks

nbformat = pytest.importorskip("nbformat")

REPO = Path(__file__).resolve().parents[2]


def wrong_answers(notebook: Path) -> dict[str, list[tuple[str, str, str]]]:
    """question id -> [(what is wrong, answer cell source, phrase the check must say)]."""
    return runpy.run_path(str(notebook.parent / "wrong_answers.py"))["WRONG"]


def is_answer(cell) -> bool:
    return cell.metadata.get("nbgrader", {}).get("solution", False) and cell.cell_type == "code"


def rejection(qid: str, answer: str, namespace: dict, what: str) -> str:
    """The message with which ``check(qid)`` rejects ``answer`` run in ``namespace``.

    A check that reads the answer from the notebook's own graph (``fresh_graph=False``) gets the
    attempt in a graph of its own, so that one attempt's variables cannot collide with the next's.
    """
    own_graph = tf.Graph().as_default() if not (QUESTIONS[qid].fresh_graph or tf.executing_eagerly()) \
        else contextlib.nullcontext()   # TF2 answers (08) run eagerly: no graph to keep apart
    with own_graph:
        exec(compile(answer, f"<{qid}: {what}>", "exec"), namespace)
        try:
            check(qid, namespace)
        except CheckFailed as failure:
            return str(failure)
    pytest.fail(f"{qid} passed a known-wrong answer ({what}):\n{answer}")


@pytest.mark.parametrize("path", notebooks("solutions"), ids=lambda p: p.stem)
def test_every_known_wrong_answer_fails_its_check_with_a_helpful_message(path, monkeypatch, capsys):
    monkeypatch.setenv("MNIST_DIR", str(MNIST_SMALL))
    monkeypatch.chdir(REPO)
    tf.reset_default_graph()
    wrong = wrong_answers(path)
    namespace: dict = {"__name__": "__main__"}
    before_answer = dict(namespace)
    checked = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        question = CHECK_CALL.match(cell.source)
        if question:
            qid = question.group(1)
            for what, answer, says in wrong.get(qid, []):
                message = rejection(qid, answer, dict(before_answer), what)
                assert message.startswith(f"{qid}: ") and "\n  Look at: " in message, (qid, what, message)
                assert says in message, f"{qid}, {what}: the check says\n{message}\nnot {says!r}"
                assert " passed." not in capsys.readouterr().out
            checked.add(qid)
            continue
        if is_answer(cell):
            before_answer = dict(namespace)
        code = IPYTHON_SYNTAX.transform_cell(SOLUTION_MARKER.sub("", cell.source))
        exec(compile(code, str(path), "exec"), namespace)
    assert set(wrong) <= checked, f"known-wrong answers for questions the notebook does not ask: {set(wrong) - checked}"


def test_every_checked_question_has_known_wrong_answers():
    kept = {qid: answers for path in notebooks("solutions") for qid, answers in wrong_answers(path).items()}
    missing = sorted(qid for qid in QUESTIONS if len(kept.get(qid, [])) < 2)
    assert not missing, f"questions with fewer than two known-wrong answers: {missing}"


def test_the_known_wrong_answers_are_not_released_to_students(tmp_path):
    """nbgrader copies every file of an assignment folder into the release, unless configured to ignore it."""
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    shutil.copytree(REPO / "solutions" / "01_tensors", tmp_path / "solutions" / "01_tensors")
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "01_tensors", "--no-db"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in (tmp_path / "exercises" / "01_tensors").iterdir()) == ["01_tensors.ipynb"]

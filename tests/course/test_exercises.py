"""The exercises make students think (issue 15): enough questions, and in every chapter questions
that ask to predict, debug, explore or explain, not only to retype a lecture cell.

A question's kind is the first word of its title (``## Question 5 · Debug: a dtype mismatch``);
an *explain* question's answer is a markdown cell that nbgrader leaves to the instructor, with
the model answer and its rubric in ``solutions/`` and nothing of either in ``exercises/``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

REPO = Path(__file__).resolve().parents[2]
TITLE = re.compile(r"^## Question (\d+) · (.*?) \((\d+) points?\)$", re.M)
THINKING = ("Predict", "Debug", "Explore", "Explain")


def questions(assignment: str) -> list[tuple[int, str, int]]:
    """(number, title, points) of each question of a solutions notebook."""
    notebook = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return [(int(n), title, int(points)) for cell in notebook.cells if cell.cell_type == "markdown"
            for n, title, points in TITLE.findall(cell.source)]


def kind(title: str) -> str:
    first = title.split()[0].rstrip(":")
    return first if first in THINKING else "Build"


def graded_cells(folder: str, assignment: str) -> dict[str, dict]:
    notebook = nbformat.read(REPO / folder / assignment / f"{assignment}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("grade")}


CHAPTERS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and p.name < "08")


def test_there_are_forty_questions_or_more():
    everything = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    assert sum(len(questions(a)) for a in everything) >= 40


@pytest.mark.parametrize("assignment", CHAPTERS)
def test_every_chapter_asks_thinking_questions_of_two_kinds(assignment):
    found = questions(assignment)
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1))
    thinking = [kind(title) for _, title, _ in found if kind(title) != "Build"]
    assert len(thinking) >= 2 and len(set(thinking)) >= 2, (assignment, found)


@pytest.mark.parametrize("assignment", CHAPTERS)
def test_each_question_has_its_graded_cell_with_the_points_its_title_says(assignment):
    cells = graded_cells("solutions", assignment)
    for n, title, points in questions(assignment):
        cell = cells.get(f"q{n}_answer") if kind(title) == "Explain" else cells.get(f"q{n}")
        assert cell is not None and cell.metadata["nbgrader"]["points"] == points, (assignment, n)


@pytest.mark.parametrize("assignment", CHAPTERS)
def test_explain_answers_are_graded_by_hand_with_a_rubric_students_do_not_see(assignment):
    explained = [n for n, title, _ in questions(assignment) if kind(title) == "Explain"]
    solution, released = graded_cells("solutions", assignment), graded_cells("exercises", assignment)
    for n in explained:
        cell = solution[f"q{n}_answer"]
        assert cell.cell_type == "markdown" and cell.metadata["nbgrader"]["solution"], (assignment, n)
        assert "**Model answer.**" in cell.source and "**Rubric (" in cell.source, (assignment, n)
        assert released[f"q{n}_answer"].source == "YOUR ANSWER HERE", (assignment, n)


def test_docs_list_every_question_with_its_kind():
    table = (REPO / "docs" / "exercises.md").read_text()
    for assignment in CHAPTERS:
        row = next(line for line in table.splitlines() if line.startswith(f"| {assignment[:2]} "))
        listed = row.split("|")[2].split(" · ")
        found = questions(assignment)
        assert len(listed) == len(found), (assignment, listed)
        for entry, (_, title, _) in zip(listed, found):
            assert entry.strip().lower().startswith(kind(title).lower()), (assignment, entry, title)

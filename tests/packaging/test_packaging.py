"""How the course reaches students: the setup cell every notebook starts with.

Every notebook of ``course/``, ``solutions/`` and ``exercises/`` starts with the same code cell,
written by ``tools/first_cell.py``: it makes sure ``import minitf`` gives this course's engine
(the distribution ``minitf-course``, not PyPI's unrelated ``minitf``) and installs it otherwise.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

REPO = Path(__file__).resolve().parents[2]


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


first_cell = _load_tool("first_cell")


def test_the_setup_cell_is_in_every_notebook_of_the_course_and_the_exercises():
    paths = first_cell.notebooks()
    folders = {path.relative_to(REPO).parts[0] for path in paths}
    assert folders == {"course", "solutions", "exercises"}, folders
    assert len(paths) >= 21, paths  # 7 lectures, 7 solutions, 7 student versions (and more later)


@pytest.mark.parametrize("path", first_cell.notebooks(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_notebook_starts_with_the_same_setup_cell(path):
    assert first_cell.problem(path) is None, (
        f"{first_cell.problem(path)}: run `python tools/first_cell.py`, then regenerate exercises/ "
        f'with `nbgrader generate_assignment "*" --force --no-db`')
    cells = nbformat.read(path, as_version=4).cells
    metadata = {k: v for k, v in cells[0].metadata.items() if k not in ("nbgrader", "deletable", "editable")}
    assert metadata == first_cell.METADATA


def test_the_check_names_a_notebook_whose_first_cell_drifted(tmp_path, capsys):
    """The --check command line fails, naming the notebook, when one setup cell was edited."""
    for folder in ("course", "solutions/01_x", "exercises/01_x"):
        (tmp_path / folder).mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · X")])
    nbformat.write(notebook, tmp_path / "course" / "01_x.ipynb")
    nbformat.write(notebook, tmp_path / "solutions" / "01_x" / "01_x.ipynb")
    assert first_cell.main([], tmp_path) == 0  # writes course/ and solutions/, not the generated exercises/
    assert capsys.readouterr().out.count("wrote ") == 2
    for folder in ("course/01_x.ipynb", "solutions/01_x/01_x.ipynb"):
        cells = nbformat.read(tmp_path / folder, as_version=4).cells
        assert cells[0].source == first_cell.SETUP and cells[1].source == "# 01 · X"
        assert cells[0].metadata.get("nbgrader", {}).get("locked") is (True if "solutions" in folder else None)
    assert first_cell.main([], tmp_path) == 0 and capsys.readouterr().out == ""  # nothing left to write
    assert first_cell.main(["--check"], tmp_path) == 0
    edited = nbformat.read(tmp_path / "course" / "01_x.ipynb", as_version=4)
    edited.cells[0].source = edited.cells[0].source.replace("minitf-course[kernel]", "minitf[course]")
    nbformat.write(edited, tmp_path / "course" / "01_x.ipynb")
    capsys.readouterr()
    assert first_cell.main(["--check"], tmp_path) == 1
    assert capsys.readouterr().out == "course/01_x.ipynb: its first cell is not the course's setup cell\n"
    assert first_cell.main([], tmp_path) == 0  # writing mends it
    assert capsys.readouterr().out.startswith("wrote course/01_x.ipynb\n")
    assert first_cell.main(["--check"], tmp_path) == 0


def test_the_setup_cell_only_reports_when_the_course_engine_is_there(tmp_path):
    """With this checkout's minitf importable, the cell prints one line and installs nothing.
    (Installing and replacing: tests/packaging/test_packaging_wheel.py, in fresh environments.)"""
    import minitf

    env = dict(os.environ, PYTHONPATH=str(REPO), PIP_NO_INDEX="1")  # no index: it must not install anything
    done = subprocess.run([sys.executable, "-c", first_cell.SETUP], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"minitf {minitf.MINITF_VERSION} (minitf-course) is ready.\n"


WITHOUT_TENSORBOARD = """\
import sys, tempfile
sys.modules["tensorboard"] = None  # as in an environment with only `pip install minitf-course`
import minitf as tf

logs = tempfile.mkdtemp()
tf.constant(1.0, name="a")
try:
    tf.summary.FileWriter(logs, tf.get_default_graph())
except ImportError as error:
    print("FileWriter:", error)
"""


def test_without_tensorboard_the_engine_imports_and_a_file_writer_says_what_to_install(tmp_path):
    """TensorBoard is in the `kernel` extra, not in the engine's dependencies: the engine runs
    without it, and what needs its protocol buffers fails saying so (the Saver: tests/train/test_saver.py)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", WITHOUT_TENSORBOARD], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("FileWriter: writing summaries and graphs needs TensorBoard's protocol "
                                  "buffers: pip install tensorboard"), done.stdout

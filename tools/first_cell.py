"""Write, or check, the first cell of every notebook: the course's setup cell.

Every notebook of the course (``course/*.ipynb``) and of the exercises (``solutions/*/*.ipynb``
and the generated ``exercises/*/*.ipynb``) starts with the same code cell, ``SETUP`` below. It
makes sure that ``import minitf`` gives this course's engine — the distribution ``minitf-course``
— and not PyPI's unrelated package named ``minitf``, installs ``minitf-course`` with what a
kernel needs when it is missing or wrong (on Colab, say), and prints one line saying what it did.

    python tools/first_cell.py           # put SETUP first in course/ and solutions/ notebooks
    python tools/first_cell.py --check   # exit 1, naming them, if any notebook's first cell differs

After writing, regenerate the student versions at the repo root:
``nbgrader generate_assignment "*" --force --no-db``.  tests/packaging/test_packaging.py runs the check.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]

SETUP = '''\
#@title Setup: the same first cell in every notebook { display-mode: "form" }
# `import minitf` must give this course's engine, the package `minitf-course`: PyPI's package named
# `minitf` is another project. This installs minitf-course when it is missing or wrong (on Colab, say).
def course_setup():
    import importlib, subprocess, sys

    def find_minitf():
        """The module `import minitf` gives (or None), and whether it is the course's engine."""
        try:
            import minitf
        except ImportError:
            return None, False
        return minitf, hasattr(minitf, "MINITF_VERSION") and hasattr(minitf, "Session")

    def pip(*args):
        done = subprocess.run([sys.executable, "-m", "pip", "-q", *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pip {' '.join(args)} failed:\\n{done.stdout}{done.stderr}")

    found, ours = find_minitf()
    if ours:
        return f"minitf {found.MINITF_VERSION} (minitf-course) is ready."
    if found:  # another project's minitf: remove it, and any install of ours it overwrote
        pip("uninstall", "-y", "minitf", "minitf-course")
    pip("install", "minitf-course[kernel]")
    for name in [name for name in sys.modules if name.split(".")[0] == "minitf"]:
        del sys.modules[name]
    importlib.invalidate_caches()
    minitf, ours = find_minitf()
    if not ours:
        where = minitf.__spec__.origin if minitf else "nothing"
        raise ImportError(f"after installing minitf-course, `import minitf` finds {where}, not the course's "
                          "engine: rename or remove that, then run this cell again.")
    replaced = f", replacing another minitf ({found.__spec__.origin})" if found else ""
    return f"Installed minitf-course {minitf.MINITF_VERSION}{replaced}."


print(course_setup())'''

# How the setup cell shows: collapsed to its title in Colab, its code hidden in JupyterLab.
METADATA = {"cellView": "form", "jupyter": {"source_hidden": True}}
# nbgrader's metadata of a setup cell new to a solutions/ notebook: locked, not graded
NBGRADER_LOCKED = {"grade": False, "grade_id": "course_setup", "locked": True, "schema_version": 3,
                   "solution": False, "task": False}

# Markers of a setup cell written before this script: it is replaced, wherever it stands.
_OLD_SETUP = ('%pip install "minitf[course]"',)


def notebooks(repo: Path = REPO) -> list[Path]:
    """Every notebook that must start with SETUP: the lectures, the solutions and the exercises."""
    return sorted([*repo.glob("course/*.ipynb"), *repo.glob("solutions/*/*.ipynb"),
                   *repo.glob("exercises/*/*.ipynb")])


def is_setup(cell) -> bool:
    return cell.cell_type == "code" and (cell.source.startswith(SETUP.split("\n")[0])
                                         or any(marker in cell.source for marker in _OLD_SETUP))


def problem(path: Path) -> str | None:
    """Why ``path`` does not start with the setup cell, or None when it does."""
    cells = nbformat.read(path, as_version=4).cells
    if not cells or cells[0].cell_type != "code" or cells[0].source != SETUP:
        return "its first cell is not the course's setup cell"
    if {key: cells[0].metadata.get(key) for key in METADATA} != METADATA:
        return f"its setup cell's metadata lacks {METADATA}"
    others = [i for i, cell in enumerate(cells[1:], 1) if is_setup(cell)]
    if others:
        return f"cell {others[0]} is a second setup cell"
    if cells[0].outputs or cells[0].execution_count is not None:
        return "its setup cell has outputs"
    return None


def write(path: Path) -> bool:
    """Make SETUP the first cell of ``path`` (moving an earlier setup cell, keeping its id and
    nbgrader metadata); return whether the file changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    old = [cell for cell in nb.cells if is_setup(cell)]
    cell = old[0] if old else nbformat.v4.new_code_cell()
    cell.source, cell.outputs, cell.execution_count = SETUP, [], None
    cell.metadata.update(METADATA)
    if path.parent.parent.name == "solutions":  # nbgrader source: students get the cell read-only
        cell.metadata.setdefault("nbgrader", dict(NBGRADER_LOCKED))
    nb.cells = [cell] + [c for c in nb.cells if not is_setup(c)]
    if nbformat.writes(nb) == before:
        return False
    nbformat.write(nb, path)
    return True


def main(argv: list[str] | None = None, repo: Path = REPO) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if any notebook differs")
    args = parser.parse_args(argv)
    if args.check:
        problems = [f"{path.relative_to(repo)}: {why}" for path in notebooks(repo) if (why := problem(path))]
        print("\n".join(problems) or f"all {len(notebooks(repo))} notebooks start with the setup cell")
        return 1 if problems else 0
    sources = [path for path in notebooks(repo) if path.relative_to(repo).parts[0] != "exercises"]
    changed = [path for path in sources if write(path)]  # exercises/ is generated from solutions/
    for path in changed:
        print(f"wrote {path.relative_to(repo)}")
    if changed:
        print('now regenerate exercises/: nbgrader generate_assignment "*" --force --no-db')
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The rendered course: ``python tools/render_course.py`` makes static pages that work offline.

The test runs the command as README gives it, writing to ``test-artifacts/course/`` (kept by CI),
and reads the pages: one per course notebook and a contents page, nothing loaded from the network,
every formula drawn as MathML, every picture of the executed notebooks embedded.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("nbconvert")
pytest.importorskip("latex2mathml")

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "test-artifacts" / "course"
NOTEBOOKS = sorted((REPO / "course").glob("*.ipynb"))
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
# anything a page would fetch: scripts, stylesheets, pictures, frames, fonts, CSS imports
FETCHED = re.compile(r"<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=[\"']?(?!data:)[^\"'\s>]+"
                     r"|<link\b[^>]*\bhref=[\"']?(?!data:)[^\"'\s>]+|@import|url\(\s*[\"']?(?:https?:)?//", re.I)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    done = subprocess.run([sys.executable, "tools/render_course.py", "--out", str(OUT)], cwd=REPO,
                          capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stderr[-5000:]
    return {page.name: page.read_text(encoding="utf-8") for page in OUT.glob("*.html")}


def test_one_page_per_notebook_and_a_contents_page_linking_them(pages):
    assert sorted(pages) == sorted([f"{nb.stem}.html" for nb in NOTEBOOKS] + ["index.html"])
    for nb in NOTEBOOKS:
        assert f'href="{nb.stem}.html"' in pages["index.html"]


@pytest.mark.parametrize("name", [nb.stem for nb in NOTEBOOKS])
def test_a_page_loads_nothing_from_the_network(pages, name):
    assert FETCHED.findall(pages[f"{name}.html"]) == []


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda nb: nb.stem)
def test_a_page_draws_every_formula_and_shows_every_picture(pages, nb):
    page = pages[f"{nb.stem}.html"]
    source = nbformat.read(nb, as_version=4)
    formulas = sum(len(MATH.findall(cell.source)) for cell in source.cells if cell.cell_type == "markdown")
    assert page.count("<math ") == formulas
    assert "MINITFMATH" not in page
    pictures = len(re.findall(r'<img [^>]*src="data:image/(?:png|svg\+xml);base64,', page.split("<main>", 1)[1]))
    plots = len(re.findall(r"\bplt\.|\.imshow\(|\.plot\(", "\n".join(c.source for c in source.cells)))
    widgets = len(re.findall(r"show_graph\(|GraphWidget\(|RunStepper\(|TrainingPlot\(",
                             "\n".join(c.source for c in source.cells if c.cell_type == "code")))
    assert pictures >= min(plots, 1) + min(widgets, 1), (pictures, plots, widgets)
    # what a page shows where a picture got lost: matplotlib's and the widgets' text stand-ins
    assert re.findall(r"&lt;Figure size|&lt;minitf\.widgets\.[\w.]+ object at|The interactive widget needs", page) == []
    assert "Traceback" not in page

"""Render the executed course into static HTML pages that work offline.

    python tools/render_course.py                  # writes build/course/index.html and one page per notebook
    python tools/render_course.py --out DIR

Each notebook of ``course/`` runs top to bottom in a fresh kernel, in fast mode
(``MINITF_COURSE_FAST=1``, MNIST from the sample shipped in ``minitf/datasets/mnist_small``), with
this checkout's minitf, in a temporary folder; the committed notebooks are not touched. The pages
need no network: no script or stylesheet from a CDN, every picture embedded (plots as PNG, the
widgets as the static copy of their picture they display for places without JavaScript), formulas as MathML, which browsers
draw themselves. The setup cell, which only installs minitf, is left out.

Needs the test stack (``python -m pip install -e ".[test]"``): nbclient, nbconvert, ipykernel,
latex2mathml.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbclient
import nbformat
from jinja2 import DictLoader
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert import HTMLExporter

REPO = Path(__file__).resolve().parents[1]
WIDGET = "application/vnd.jupyter.widget-view+json"
SVG = "image/svg+xml"
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)

# nbconvert's JupyterLab page without what it loads from CDNs (require.js, MathJax, Mermaid, the
# widget manager), with links to the neighbouring pages.
TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style>
nav.course { font-family: var(--jp-ui-font-family); padding: 8px 0 16px; display: flex; gap: 24px; }
math[display="block"] { margin: 0.8em 0; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="course">{{ resources.course_nav }}</nav>
{%- endblock body_header -%}
{%- block body_footer -%}
<nav class="course">{{ resources.course_nav }}</nav>
{{ super() }}
{%- endblock body_footer -%}
"""


def execute(path: Path, workdir: Path) -> nbformat.NotebookNode:
    """Run a course notebook, less its setup cell, in fast mode in ``workdir``; return it with outputs."""
    from minitf.datasets.mnist import SMALL_SAMPLE_DIR

    nb = nbformat.read(path, as_version=4)
    nb.cells = nb.cells[1:]  # the setup cell: it only installs minitf
    env = {"MINITF_COURSE_FAST": "1", "MNIST_DIR": str(SMALL_SAMPLE_DIR),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        nbclient.NotebookClient(nb, kernel_name="python3", timeout=900,
                                resources={"metadata": {"path": str(workdir)}}).execute()
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    return nb


def make_static(nb: nbformat.NotebookNode) -> None:
    """Keep what shows without a kernel. minitf's widgets display a static copy of their picture
    before the live view: the live view goes. Other widgets (a progress bar) keep their text."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        has_picture = any(SVG in output.get("data", {}) for output in outputs)
        if has_picture:
            outputs[:] = [output for output in outputs if WIDGET not in output.get("data", {})]
        for output in outputs:
            output.get("data", {}).pop(WIDGET, None)


def math_to_mathml(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Replace the formulas of markdown cells by placeholders; return placeholder -> MathML."""
    formulas: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        block, inline = match.groups()
        key = f"MINITFMATH{len(formulas)}X"
        formulas[key] = latex_to_mathml(block if block is not None else inline,
                                        display="block" if block is not None else "inline")
        return key

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = MATH.sub(replace, cell.source)
    return formulas


def title_of(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return fallback


def nav(pages: list[tuple[str, str]], index: int) -> str:
    links = ['<a href="index.html">Contents</a>']
    if index > 0:
        links.append(f'<a href="{pages[index - 1][0]}">← {html.escape(pages[index - 1][1])}</a>')
    if index + 1 < len(pages):
        links.append(f'<a href="{pages[index + 1][0]}">{html.escape(pages[index + 1][1])} →</a>')
    return " ".join(links)


def render(out: Path, notebooks: list[Path]) -> list[Path]:
    """Execute and render ``notebooks`` into ``out``; return the pages written (index last)."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"offline.html.j2": TEMPLATE})],
                            template_file="offline.html.j2")
    executed = []
    with tempfile.TemporaryDirectory() as scratch:
        for path in notebooks:
            started = time.perf_counter()
            workdir = Path(scratch) / path.stem
            workdir.mkdir()
            nb = execute(path, workdir)
            executed.append((path, nb))
            print(f"executed {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    pages = [(f"{path.stem}.html", title_of(nb, path.stem)) for path, nb in executed]
    written = []
    for index, (path, nb) in enumerate(executed):
        make_static(nb)
        formulas = math_to_mathml(nb)
        body, _ = exporter.from_notebook_node(nb, resources={"course_nav": nav(pages, index),
                                                             "metadata": {"name": pages[index][1]}})
        for key, mathml in formulas.items():
            body = body.replace(key, mathml)
        page = out / pages[index][0]
        page.write_text(body, encoding="utf-8")
        written.append(page)
    items = "\n".join(f'<li><a href="{name}">{html.escape(title)}</a></li>' for name, title in pages)
    index_page = out / "index.html"
    index_page.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>minitf course</title>\n"
        "<style>body { font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.5; }"
        "</style></head>\n<body>\n<h1>minitf course</h1>\n"
        "<p>TensorFlow 1's tensors, graphs, sessions and variables, from a first <code>tf.constant</code> to an "
        "MNIST classifier, on minitf. These pages show the notebooks of <code>course/</code> as they ran in fast "
        "mode (a few training steps on a small sample of MNIST); run the notebooks for the real thing.</p>\n"
        f"<ol>\n{items}\n</ol>\n</body>\n</html>\n", encoding="utf-8")
    return [*written, index_page]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "course", help="where to write the pages")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))  # this checkout's minitf, for the MNIST sample's folder
    pages = render(args.out, sorted((REPO / "course").glob("*.ipynb")))
    for page in pages:
        print(f"{page.stat().st_size / 1024:8.0f} KiB  {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

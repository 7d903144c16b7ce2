"""The widgets in a real browser: a real JupyterLab server, real kernels, headless Chromium.

One ``jupyter lab`` server (free localhost port, token, temporary directories, always stopped)
serves the notebooks the tests write; Debian's Chromium, driven by Playwright, opens them, runs
all cells and checks what the widgets drew: boxes, clicks answered by the kernel, a scope
expanded in place, a run stepped through, a training plot's last point, pictures that keep the
graph of their cell; then the Deep MNIST CNN of notebook 07 (width, and from the SVG geometry:
no box overlaps another, no label overlaps a box or a label, every box's name inside its box),
the stepper of notebook 03, and the static pictures that show where the live widgets cannot
run: the notebook saved and opened again (JupyterLab and Notebook 7), run elsewhere and opened
untrusted, and exported to HTML offline.  Screenshots go to ``test-artifacts/`` (see SCREENSHOTS).  Without Chromium,
Playwright or JupyterLab the tests are skipped and say why.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

import minitf as tf

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CNN = (REPO / "tests" / "data" / "deep_mnist_cnn.py").read_text()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
SCREENSHOTS = {
    "widget.png": "graph widget, run stepper and training plot of a small notebook in JupyterLab",
    "notebook7_live.png": "the same widgets live in Notebook 7, a scope opened",
    "cnn_collapsed.png": "notebook 07's Deep MNIST CNN, name scopes collapsed, auxiliary nodes aside",
    "cnn_conv1_open.png": "the same graph with the conv1 scope opened in place",
    "stepper_03.png": "notebook 03's first RunStepper after three steps",
    "reopened_lab.png": "the small notebook saved, kernel gone, opened again in JupyterLab: static pictures",
    "reopened_notebook7.png": "the same saved notebook opened in Notebook 7",
    "untrusted_lab.png": "that notebook run by nbclient (widget state saved, not trusted) opened in JupyterLab",
    "exported_offline.png": "the notebook run by nbclient and exported to HTML, opened offline",
}

# The graph the notebook builds, also built by the test to know what the widget must draw.
BUILD = """\
import minitf as tf
from minitf.widgets import GraphWidget, RunStepper, show_graph
a = tf.constant(5.0, name="a")
b = tf.constant(37.0, name="b")
with tf.name_scope("answer"):
    c = tf.add(a, b, name="sum")
    d = tf.multiply(c, 2.0, name="double")
unused = tf.negative(a, name="unused")
sess = tf.Session()
"""
PLOT = """\
from minitf.widgets import TrainingPlot
plot = TrainingPlot(("loss",), interval=3600)    # draws on the first update, then when the cell ends
display(plot)
for step in range(50):
    plot.update(step, loss=1.0 / (step + 1))
"""
CELLS = [BUILD, "graph = GraphWidget(None, sess)\ngraph", "stepper = RunStepper(sess, c)\nstepper", PLOT,
         "show_graph(live=True)"]
GROW = 'grown = tf.square(a, name="grown")'   # a cell run later: only the live picture follows

# Geometry read from a drawn SVG: node boxes, box names, arrow labels; what overlaps what.
GEOMETRY = """svg => {
  const box = (e) => { const b = e.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height}; };
  const overlap = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
  const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5;
  const nodes = [...svg.querySelectorAll('[data-node]')].map((g) => ({
    id: g.dataset.node, rect: box(g.querySelector(':scope > rect:last-of-type')), text: box(g.querySelector(':scope > text'))}));
  const labels = [...svg.querySelectorAll('.edge-label')].map((g) => ({
    rect: box(g.querySelector('rect')), text: box(g.querySelector('text')), name: g.textContent}));
  const problems = [];
  nodes.forEach((n, i) => {
    if (!inside(n.text, n.rect)) problems.push(`name of ${n.id} sticks out of its box`);
    nodes.slice(i + 1).forEach((m) => { if (overlap(n.rect, m.rect)) problems.push(`${n.id} overlaps ${m.id}`); });
    labels.forEach((l) => { if (overlap(l.rect, n.rect)) problems.push(`label ${l.name} overlaps ${n.id}`); });
  });
  labels.forEach((l, i) => {
    if (!inside(l.text, l.rect)) problems.push(`label ${l.name} sticks out of its box`);
    labels.slice(i + 1).forEach((k) => { if (overlap(l.rect, k.rect)) problems.push(`label ${l.name} overlaps ${k.name}`); });
  });
  return {problems, nodes: nodes.length, labels: labels.length,
          width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height};
}"""


def _missing() -> str:
    """Why the browser tests cannot run here ('' if they can)."""
    if CHROMIUM is None:
        return "no Chromium on PATH (Debian: apt-get install chromium; .ci/run does it in CI)"
    for module in ("playwright", "jupyterlab", "notebook", "ipykernel", "nbformat", "nbclient", "nbconvert"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[test]')"
    return ""


pytestmark = [pytest.mark.skipif(bool(_missing()), reason=_missing()), pytest.mark.timeout(600)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_notebook(path: Path, cells: list) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def _course_cells(name: str) -> list:
    """The code cells of a course notebook."""
    import nbformat

    nb = nbformat.read(REPO / "course" / f"{name}.ipynb", as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free port serving the test notebooks; yields (base URL, token, folder)."""
    root = tmp_path_factory.mktemp("lab")
    _write_notebook(root / "widgets.ipynb", CELLS)
    _write_notebook(root / "saved.ipynb", CELLS)
    _write_notebook(root / "notebook7.ipynb", CELLS)
    _write_notebook(root / "cnn.ipynb", [CNN + "\nfrom minitf.widgets import show_graph\nshow_graph()"])
    _write_notebook(root / "sessions.ipynb", _course_cells("03_sessions"))
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), uuid.uuid4().hex
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"), JUPYTER_RUNTIME_DIR=str(root / "runtime"),
               PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    log = open(root / "jupyter.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
         "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True", "--allow-root"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/api/status?token={token}", server, root / "jupyter.log")
        yield f"http://127.0.0.1:{port}", token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def _wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _open_in_lab(page, lab, name: str, run: bool = True):
    base, token, _ = lab
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{name}?token={token}")     # only this notebook
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')")
    page.wait_for_selector(".jp-Notebook .jp-Cell", state="attached")
    if run:
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def _wait_idle(page) -> None:
    """Until the notebook's kernel has run everything it was sent."""
    page.wait_for_function("() => [...document.querySelectorAll('.jp-InputArea-prompt')]"
                           ".every(p => !p.textContent.includes('*'))")
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")


def _geometry(widget) -> dict:
    return widget.locator("svg.minitf-graph-svg").evaluate(GEOMETRY)


def _expected():
    """What the notebook's widgets must show, from the same code run here."""
    from minitf.widgets.graph_view import GraphView

    tf.reset_default_graph()
    scope: dict = {}
    exec(BUILD, scope)
    collapsed = GraphView.of(scope["a"].graph)
    expanded = GraphView.of(scope["a"].graph, expanded=["answer"])
    exec(GROW, scope)
    grown = GraphView.of(scope["a"].graph)
    return {"collapsed": len(collapsed.nodes), "expanded": len(expanded.nodes), "grown": len(grown.nodes),
            "run": [op.name for op in (scope["a"].op, scope["b"].op, scope["c"].op)],
            "box": collapsed.owner}


def test_widgets_in_jupyterlab(lab, page):
    expected = _expected()
    _open_in_lab(page, lab, "widgets.ipynb")
    widgets = page.locator(".minitf-graph")
    page.wait_for_function("() => document.querySelectorAll('.minitf-graph svg [data-node]').length > 0 && "
                           "document.querySelectorAll('.minitf-graph').length === 3")
    graph, stepper, live = widgets.nth(0), widgets.nth(1), widgets.nth(2)

    # the graph widget drew one box per op or collapsed scope; its static copy is hidden
    assert graph.locator("svg [data-node]").count() == expected["collapsed"]
    assert graph.locator('[data-node="answer"][data-kind="scope"]').count() == 1
    assert page.locator(".minitf-static img").count() == 4
    assert all(not s.is_visible() for s in page.locator(".minitf-static").all())

    # the stepper greys what `c` does not need, then moves its highlight op by op
    assert stepper.locator('.node.pruned[data-node="unused"]').count() == 1
    assert stepper.locator('[data-node="answer/double"]').count() == 0      # not next to the run
    assert stepper.locator(".node.current").count() == 0
    next_op = stepper.get_by_title("run the next op")
    highlighted = []
    for _ in expected["run"]:
        next_op.click()
        highlighted.append(stepper.locator(".node.current").get_attribute("data-node"))
    assert highlighted == [expected["box"][name] for name in expected["run"]]
    assert "42.0" in stepper.locator(".minitf-details pre").first.inner_text()

    # the training plot shows the last point once its cell has finished
    page.wait_for_function("() => [...document.querySelectorAll('svg.minitf-plot-svg text')]"
                           ".some(t => t.textContent === 'loss: 0.02 (step 49)' && t.checkVisibility())")
    stepper.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "widget.png"), full_page=False)

    # clicking an op asks the kernel for its details and value
    graph.locator('[data-node="a"]').click()
    page.wait_for_function("() => document.querySelector('.minitf-graph .minitf-details pre')"
                           "?.textContent.includes('5.0')")
    # clicking a collapsed scope expands it: the kernel lays the graph out again
    graph.locator('[data-node="answer"]').click()
    page.wait_for_function(f"() => document.querySelector('.minitf-graph')"
                           f".querySelectorAll('svg [data-node]').length === {expected['expanded']}")
    assert graph.locator('g.frame[data-scope="answer"]').count() == 1
    assert _geometry(graph)["problems"] == []

    # a cell that adds an op: the live picture draws it, the earlier one keeps the graph of its cell
    page.evaluate("""code => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        notebook.activeCellIndex = notebook.widgets.length - 1;
        window.jupyterapp.commands.execute('notebook:insert-cell-below');
        notebook.activeCell.model.sharedModel.setSource(code);
        window.jupyterapp.commands.execute('notebook:run-cell');
    }""", GROW)
    page.wait_for_function(f"() => document.querySelectorAll('.minitf-graph')[2]"
                           f".querySelectorAll('svg [data-node]').length === {expected['grown']}")
    assert live.locator('[data-node="grown"]').count() == 1
    assert graph.locator("svg [data-node]").count() == expected["expanded"]
    assert graph.locator('[data-node="grown"]').count() == 0


def test_widgets_in_notebook_7(lab, page):
    expected = _expected()
    base, token, _ = lab
    page.goto(f"{base}/notebooks/notebook7.ipynb?token={token}")
    page.wait_for_function("() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("() => document.querySelectorAll('.minitf-graph').length === 3 && "
                           "document.querySelectorAll('.minitf-graph svg [data-node]').length > 0")
    graph, stepper = page.locator(".minitf-graph").nth(0), page.locator(".minitf-graph").nth(1)
    assert graph.locator("svg [data-node]").count() == expected["collapsed"]
    assert all(not s.is_visible() for s in page.locator(".minitf-static").all())
    stepper.get_by_title("run the next op").click()
    assert stepper.locator(".node.current").get_attribute("data-node") == expected["box"][expected["run"][0]]
    graph.locator('[data-node="answer"]').click()
    page.wait_for_function(f"() => document.querySelector('.minitf-graph')"
                           f".querySelectorAll('svg [data-node]').length === {expected['expanded']}")
    graph.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "notebook7_live.png"), full_page=False)


def test_deep_mnist_cnn_fits_the_notebook_and_opens_in_place(lab, page):
    _open_in_lab(page, lab, "cnn.ipynb")
    widget = page.locator(".minitf-graph").first
    widget.locator('svg [data-node="conv1"]').wait_for()
    collapsed = _geometry(widget)
    assert collapsed["problems"] == []
    assert collapsed["width"] <= 1000, collapsed            # at 100 %, no zooming out needed
    chain = ["x", "reshape", "conv1", "pool1", "conv2", "pool2", "fc1", "dropout", "fc2", "loss"]
    tops = [widget.locator(f'[data-node="{n}"] > rect').last.bounding_box()["y"] for n in chain]
    assert tops == sorted(tops), tops                         # data flows down, layer by layer
    aside = widget.locator(".aside").bounding_box()
    for name in ("init", "adam_optimizer", "global_step", "cross_entropy", "Merge"):
        box = widget.locator(f'[data-node="{name}"]').bounding_box()
        assert box["x"] >= aside["x"], name                   # pulled aside, into the auxiliary column
    widget.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "cnn_collapsed.png"), full_page=False)
    widget.get_by_title("zoom out").click()                    # and back: the picture scales
    assert abs(_geometry(widget)["width"] - collapsed["width"] / 1.25) < 1
    widget.get_by_title("zoom in").click()

    before = widget.locator('[data-node="conv1"] > rect').last.bounding_box()
    widget.locator('[data-node="conv1"]').click()
    widget.locator('g.frame[data-scope="conv1"]').wait_for()
    page.wait_for_timeout(300)
    after = widget.locator('[data-scope="conv1"] > rect').bounding_box()
    assert abs((after["x"] + after["width"] / 2) - (before["x"] + before["width"] / 2)) < 40
    assert abs(after["y"] - before["y"]) < 40                  # opened where it was: no jump
    opened = _geometry(widget)
    assert opened["problems"] == [] and opened["width"] <= 1000
    assert widget.locator('[data-node="conv1/Conv2D"]').count() == 1
    page.screenshot(path=str(ARTIFACTS / "cnn_conv1_open.png"), full_page=False)


def test_stepper_of_notebook_03(lab, page):
    _open_in_lab(page, lab, "sessions.ipynb")
    page.wait_for_function("() => document.querySelectorAll('.minitf-graph').length === 2")
    stepper = page.locator(".minitf-graph").first
    stepper.locator("svg [data-node]").first.wait_for()
    assert _geometry(stepper)["problems"] == []
    assert stepper.locator("svg [data-node]").count() <= 6     # the run and its neighbours, not later cells
    for _ in range(3):
        stepper.get_by_title("run the next op").click()
    stepper.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "stepper_03.png"), full_page=False)


def test_saved_notebook_shows_its_static_pictures(lab, page, tmp_path):
    import nbclient
    import nbconvert
    import nbformat

    base, token, root = lab
    _open_in_lab(page, lab, "saved.ipynb")
    page.wait_for_function("() => document.querySelectorAll('.minitf-graph').length === 3")
    _wait_idle(page)
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.sessionContext.session")
    saved = nbformat.read(root / "saved.ipynb", as_version=4)
    assert sum("image/svg+xml" in o.get("data", {}) for c in saved.cells for o in c.outputs) == 4

    # run by nbclient, which saves the widget state: a notebook JupyterLab does not trust
    nb = nbformat.read(root / "saved.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                            ).execute()
    assert nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    nbformat.write(nb, root / "executed.ipynb")

    for where, url, shot in (("lab", f"{base}/lab/workspaces/reopened/tree/saved.ipynb?token={token}",
                              "reopened_lab.png"),
                             ("notebook 7", f"{base}/notebooks/saved.ipynb?token={token}", "reopened_notebook7.png"),
                             ("untrusted", f"{base}/lab/workspaces/untrusted/tree/executed.ipynb?token={token}",
                              "untrusted_lab.png")):
        fresh = page.context.new_page()
        fresh.goto(url)
        fresh.wait_for_selector(".minitf-static img")
        fresh.wait_for_timeout(2000)                           # the widget manager gave up on its models
        _assert_pictures_shown(fresh.locator(".minitf-static img"), where)
        fresh.locator(".minitf-static").nth(3).scroll_into_view_if_needed()
        fresh.screenshot(path=str(ARTIFACTS / shot), full_page=False)
        fresh.close()

    # exported to HTML with that widget state, and opened with no network
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    (tmp_path / "exported.html").write_text(html)
    offline = page.context.new_page()
    offline.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    offline.goto((tmp_path / "exported.html").as_uri())
    offline.wait_for_timeout(2000)
    _assert_pictures_shown(offline.locator(".minitf-static img"), "exported")
    offline.screenshot(path=str(ARTIFACTS / "exported_offline.png"), full_page=True)
    offline.close()


def _assert_pictures_shown(images, where: str) -> None:
    """The four static pictures of the notebook (3 graphs, 1 plot) show, each at its full size."""
    assert images.count() == 4, where
    for image in images.all():
        natural, shown = image.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
        assert image.is_visible() and natural > 100 and shown == natural, where

"""The package as students get it: the wheel and sdist, installed away from the checkout.

``python -m build`` makes the sdist and, from it, the wheel.  The tests here

1. list both archives: the engine, the widgets' JavaScript and CSS, the MNIST sample that fast
   mode needs — and nothing of tests/ or benchmarks/;
2. install the wheel (not the checkout: it is not on the path, nothing is editable) with its
   ``kernel`` extra into a fresh virtual environment, and there run a graph, a session, a
   widget's static picture and a self-check;
3. run the notebooks' setup cell in that environment: it replaces an unrelated package named
   ``minitf`` with minitf-course, and installs minitf-course where it is missing;
4. rebuild Colab's versions — Python 3.12, numpy 2.0.2, ipywidgets 7.7.1, with Colab's ipykernel
   6.17.1, IPython 7.34 and classic notebook 6.5.7 (so no JupyterLab) — install the wheel there and
   execute every course notebook in that environment's own kernel, in fast mode, checking that
   the widgets carry their static SVG.

Packages come from a wheelhouse (``MINITF_WHEELHOUSE``, by default
``~/.cache/minitf-course/wheelhouse``), filled from the package index the first time it lacks
something; later runs install from it offline.  The tests are slow (a few minutes in all, most of
it the course run under Colab's versions) and marked so; CI runs them.  Without a Python 3.12
(on PATH as ``python3.12``, under pyenv, or named by ``MINITF_COLAB_PYTHON``) the Colab test skips
and says so.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("build")

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
WHEELHOUSE = Path(os.environ.get("MINITF_WHEELHOUSE", Path.home() / ".cache" / "minitf-course" / "wheelhouse"))
COLAB_PINS = ["numpy==2.0.2", "ipywidgets==7.7.1", "ipykernel==6.17.1", "ipython==7.34.0", "notebook==6.5.7"]
WIDGET = "application/vnd.jupyter.widget-view+json"
SVG = "image/svg+xml"


# -- building and installing ---------------------------------------------------------------------

def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a student's process: the checkout nowhere on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """A folder with the sdist and the wheel that ``python -m build`` makes of the checkout."""
    source = tmp_path_factory.mktemp("source") / "minitf-course"  # a copy: the build writes into its source
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".benchmarks", "test-artifacts"))
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", out, source)
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("minitf_course-*.whl")
    return wheel


def make_venv(python: str | Path, where: Path) -> Path:
    """A fresh virtual environment made by ``python``; returns its interpreter."""
    _run(python, "-m", "venv", where)
    return where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pip_install(python: Path, *requirements: str | Path) -> None:
    """Install into ``python``'s environment from the wheelhouse, offline; when the wheelhouse
    lacks something, put wheels of all that the requirements need into it first (pip wheel)."""
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
               "--find-links", WHEELHOUSE, *requirements]
    if subprocess.run([str(a) for a in install], capture_output=True, env=_clean_env()).returncode != 0:
        _run(python, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--wheel-dir", WHEELHOUSE,
             *requirements, env=_clean_env())
        for ours in WHEELHOUSE.glob("minitf_course-*"):  # the wheelhouse keeps dependencies, never our own build
            ours.unlink()
        _run(*install, env=_clean_env())


def fake_minitf_wheel(where: Path) -> Path:
    """A wheel of an unrelated distribution named ``minitf``, like the eager toy PyPI holds under that name."""
    wheel = where / "minitf-0.1.1.4-py3-none-any.whl"
    files = {
        "minitf/__init__.py": '"""An eager toy with a GradientTape: not the course\'s engine."""\n'
                              '__version__ = "0.1.1.4"\n\n\nclass GradientTape:\n    pass\n\n\n'
                              'def constant(value):\n    return value\n',
        "minitf-0.1.1.4.dist-info/METADATA": "Metadata-Version: 2.1\nName: minitf\nVersion: 0.1.1.4\n",
        "minitf-0.1.1.4.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
                                          "Tag: py3-none-any\n",
    }
    files["minitf-0.1.1.4.dist-info/RECORD"] = "".join(f"{name},,\n" for name in files) + \
        "minitf-0.1.1.4.dist-info/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def _in_venv(python: Path, code: str, cwd: Path, **env: str) -> str:
    """Run ``code`` with the environment's interpreter, away from the checkout; return its stdout."""
    return _run(python, "-c", code, cwd=cwd, env=_clean_env(**env)).stdout


# -- 1. the archives -----------------------------------------------------------------------------

def _package_files() -> set[str]:
    """Every file of the checkout's minitf/ (sources, widget JS/CSS, data), as archive names."""
    return {path.relative_to(REPO).as_posix() for path in (REPO / "minitf").rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


def test_the_wheel_carries_the_engine_the_widget_assets_and_the_mnist_sample(dist):
    names = zipfile.ZipFile(_wheel(dist)).namelist()
    assert _package_files() - set(names) == set()
    assert {Path(name).suffix for name in names if name.startswith("minitf/widgets/")} >= {".py", ".js", ".css"}
    assert len([name for name in names if name.startswith("minitf/datasets/mnist_small/")]) == 4
    assert {name.split("/")[0] for name in names} == {"minitf", f"{_wheel(dist).name.split('-py3')[0]}.dist-info"}
    metadata = zipfile.ZipFile(_wheel(dist)).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    assert "Name: minitf-course\n" in metadata and "License-Expression: MIT\n" in metadata


def test_the_sdist_has_the_package_and_nothing_of_the_tests_or_benchmarks(dist):
    (sdist,) = dist.glob("minitf_course-*.tar.gz")
    names = [name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name]
    tops = {name.split("/")[0] for name in names}
    assert tops <= {"minitf", "minitf_course.egg-info", "LICENSE", "README.md", "pyproject.toml", "PKG-INFO",
                    "setup.cfg", "MANIFEST.in"}, tops
    assert _package_files() - set(names) == set()


# -- 2. and 3. the wheel in a fresh environment ----------------------------------------------------

@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh virtual environment (this interpreter's version) with the wheel and its kernel extra."""
    python = make_venv(sys.executable, tmp_path_factory.mktemp("venv") / "env")
    pip_install(python, f"{_wheel(dist)}[kernel]")
    return python


SMOKE = """\
import minitf, minitf as tf
from minitf.selfcheck import check
from minitf.selfcheck.core import CheckFailed
from minitf.widgets import GraphWidget

print(minitf.__file__)
x = tf.placeholder(tf.float32, [None, 2], name="x")
W = tf.Variable([[1.0], [2.0]], name="W")
y = tf.matmul(x, W, name="y")
print(y)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(y, {x: [[3.0, 4.0]]}).tolist())
svg = GraphWidget(y).static_bundle()["image/svg+xml"]
print(svg.startswith("<svg"), svg.count("<g class=\\"node"))
zeros_3d = tf.zeros([3, 3, 3])
seq = tf.range(start=6, limit=15, delta=3)
nines = tf.fill([2, 3], 9)
check("01.q1")
nines = tf.fill([2, 3], 8)
try:
    check("01.q1")
except CheckFailed as failed:
    print("wrong answer:", failed)
"""


def test_the_installed_wheel_runs_a_graph_a_session_a_widget_picture_and_a_self_check(venv, tmp_path):
    lines = _in_venv(venv, SMOKE, tmp_path).splitlines()
    assert Path(lines[0]).parent.parent.name == "site-packages" and REPO not in Path(lines[0]).parents
    assert lines[1] == 'Tensor("y:0", shape=(?, 1), dtype=float32)'
    assert lines[2] == "[[11.0]]"
    is_svg, boxes = lines[3].split()
    assert is_svg == "True" and int(boxes) >= 3, lines[3]
    assert lines[4] == "✔ 01.q1 passed."
    assert lines[5].startswith("wrong answer:") and "nines" in lines[5], lines[5]


def _setup_cell(python: Path, cwd: Path, links: tuple[Path, ...]) -> str:
    """Run the notebooks' setup cell with ``python``, installing only from local folders."""
    setup = nbformat.read(REPO / "course" / "01_tensors.ipynb", as_version=4).cells[0].source
    return _in_venv(python, setup, cwd, PIP_NO_INDEX="1",
                    PIP_FIND_LINKS=" ".join(map(str, (*links, WHEELHOUSE)))).strip()


def test_the_setup_cell_replaces_an_unrelated_minitf_and_installs_a_missing_one(dist, tmp_path, tmp_path_factory):
    python = make_venv(sys.executable, tmp_path_factory.mktemp("setup_venv") / "env")
    wrong = fake_minitf_wheel(tmp_path)
    pip_install(python, f"{_wheel(dist)}[kernel]")  # the kernel's packages, as on Colab
    _run(python, "-m", "pip", "uninstall", "-y", "minitf-course", env=_clean_env())
    pip_install(python, wrong)  # PyPI's minitf is what `import minitf` finds now
    assert _in_venv(python, "import minitf; print(hasattr(minitf, 'Session'))", tmp_path) == "False\n"

    said = _setup_cell(python, tmp_path, (dist,))
    assert said.startswith("Installed minitf-course 0.1.0, replacing another minitf (") and said.count("\n") == 0, said
    assert _in_venv(python, "import minitf; print(minitf.MINITF_VERSION, minitf.Session.__name__)",
                    tmp_path) == "0.1.0 Session\n"
    assert "minitf " not in _run(python, "-m", "pip", "list", env=_clean_env()).stdout.replace("minitf-course", "")

    assert _setup_cell(python, tmp_path, (dist,)) == "minitf 0.1.0 (minitf-course) is ready."
    _run(python, "-m", "pip", "uninstall", "-y", "minitf-course", env=_clean_env())
    assert _setup_cell(python, tmp_path, (dist,)) == "Installed minitf-course 0.1.0."


# -- 4. Colab's versions -------------------------------------------------------------------------

def python312() -> str | None:
    """A Python 3.12 interpreter to rebuild Colab with, or None."""
    candidates = [os.environ.get("MINITF_COLAB_PYTHON"), sys.executable, shutil.which("python3.12"),
                  *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python")), reverse=True)]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys, venv; print(sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 12)":
            return candidate
    return None


@pytest.fixture(scope="module")
def colab(dist, tmp_path_factory) -> Path:
    """A kernel environment with Colab's versions and the wheel; returns its interpreter."""
    python = python312()
    if python is None:
        pytest.skip("no Python 3.12 to rebuild Colab with (python3.12 on PATH, pyenv, or MINITF_COLAB_PYTHON)")
    venv_python = make_venv(python, tmp_path_factory.mktemp("colab") / "env")
    pip_install(venv_python, f"{_wheel(dist)}[kernel]", *COLAB_PINS)
    return venv_python


COURSE = sorted(p.stem for p in (REPO / "course").glob("*.ipynb"))
_executed: dict[str, nbformat.NotebookNode] = {}

VERSIONS = ("import sys, minitf, numpy, ipywidgets, IPython, importlib.util\n"
            "print(sys.version_info[:2], minitf.__file__, numpy.__version__, ipywidgets.__version__, "
            "IPython.__version__, importlib.util.find_spec('jupyterlab') is not None)")


@pytest.fixture(scope="module")
def colab_course(colab, tmp_path_factory):
    """Execute a course notebook in the Colab environment's kernel (once per notebook)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    kernels = tmp_path_factory.mktemp("kernels")
    (kernels / "colab").mkdir()
    (kernels / "colab" / "kernel.json").write_text(json.dumps({
        "argv": [str(colab), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3.12 (Colab's versions)", "language": "python"}))
    mnist = _in_venv(colab, "from minitf.datasets.mnist import SMALL_SAMPLE_DIR; print(SMALL_SAMPLE_DIR)",
                     kernels).strip()

    def run(name: str) -> nbformat.NotebookNode:
        if name not in _executed:
            nb = nbformat.read(REPO / "course" / f"{name}.ipynb", as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(VERSIONS))
            workdir = tmp_path_factory.mktemp(name)
            with pytest.MonkeyPatch.context() as env:
                env.delenv("PYTHONPATH", raising=False)
                env.setenv("MINITF_COURSE_FAST", "1")
                env.setenv("MNIST_DIR", mnist)
                env.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
                env.setenv("PIP_NO_INDEX", "1")  # the setup cell must find minitf installed, not fetch it
                km = KernelManager(kernel_name="colab", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
                nbclient.NotebookClient(nb, km=km, timeout=900, allow_errors=True,
                                        resources={"metadata": {"path": str(workdir)}}).execute()
            _executed[name] = nb
        return _executed[name]

    return run


@pytest.mark.parametrize("name", COURSE)
def test_every_course_notebook_runs_from_the_wheel_under_colabs_versions(colab_course, name):
    nb = colab_course(name)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        skipped = "skip-execution" in cell.metadata.get("tags", [])
        assert skipped or cell.execution_count is not None, f"cell did not run:\n{cell.source}"
        for o in cell.outputs:
            assert o.output_type != "error", f"{o.ename}: {o.evalue}\nin cell:\n{cell.source}"
    assert "".join(o.get("text", "") for o in nb.cells[0].outputs) == "minitf 0.1.0 (minitf-course) is ready.\n"
    versions = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split()
    assert versions[:2] == ["(3,", "12)"] and "site-packages" in versions[2], versions
    assert versions[3:] == ["2.0.2", "7.7.1", "7.34.0", "False"], versions  # numpy, ipywidgets, IPython, no JupyterLab


# ipywidgets 7 displays a widget through `_ipython_display_`, never through the `_repr_mimebundle_`
# that once added the SVG: the widgets now publish their static copy themselves (issue 16).
@pytest.mark.parametrize("name", COURSE)
def test_every_widget_shows_its_static_svg_under_ipywidgets_7(colab_course, name):
    cells = [cell for cell in colab_course(name).cells if cell.cell_type == "code"]
    with_widgets = [cell for cell in cells if any(WIDGET in o.get("data", {}) for o in cell.outputs)]
    for cell in with_widgets:
        pictures = [o["data"][SVG] for o in cell.outputs if SVG in o.get("data", {})]
        assert pictures and all(p.startswith("<svg") for p in pictures), f"no static SVG in:\n{cell.source}"
    if name != "01_tensors":  # every later notebook draws graphs, runs or training curves
        assert with_widgets, f"{name} shows no widget"

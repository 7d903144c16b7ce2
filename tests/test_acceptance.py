"""The TF1 acceptance scripts of ../shared/acceptance, one pytest case each.

Each script runs in a fresh directory through the shared runner and its output is compared
with what real TensorFlow 1 printed.  Scripts minitf cannot run yet are listed in XFAIL
(strict: a script that starts passing must leave the list).  Skipped without ../shared.
"""
import importlib.util
import os
import sys
from pathlib import Path

import pytest

ACCEPTANCE = Path(__file__).resolve().parents[2] / "shared" / "acceptance"
REPO = Path(__file__).resolve().parents[1]

# Scripts that need parts of minitf still being built, with the issue that adds them.
XFAIL: dict = {}

SCRIPTS = sorted(p.stem for p in (ACCEPTANCE / "seeds").glob("s*.py")) if ACCEPTANCE.is_dir() else []


def _runner():
    spec = importlib.util.spec_from_file_location("check_seeds", ACCEPTANCE / "check_seeds.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_seeds"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not ACCEPTANCE.is_dir(), reason="../shared/acceptance is not beside this checkout")
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=XFAIL[n], strict=True))
                                  if n in XFAIL else n for n in SCRIPTS] or ["none"])
def test_seed_script(name, monkeypatch):
    runner = _runner()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    args = runner.argparse.Namespace(python=sys.executable, timeout=300, record=False, keep=False)
    outcome = runner.run_one(ACCEPTANCE / "seeds" / f"{name}.py", args, runner.script_env(),
                             runner.numpy_major(sys.executable))
    assert outcome.status == "PASS", f"{outcome.status}: {outcome.reason}\n" + "\n".join(outcome.details)


def test_xfail_list_names_real_scripts():
    if not SCRIPTS:
        pytest.skip("../shared/acceptance is not beside this checkout")
    assert set(XFAIL) <= set(SCRIPTS)

"""The TF1 behaviour probe of ../shared/acceptance, run against minitf and compared entry by entry.

`probes/probe_tf1_behaviour.py` prints one entry per behaviour (names, dtypes, reprs, run
results, error texts); `probe_tf1_behaviour.tf.txt` is what real TensorFlow printed.  Each
entry becomes a test case.  Differences that are not behaviour (module paths in type names,
TF2's "Graph execution error" wrapper lines, the line naming the node that failed, object
addresses) are normalised away; numbers compare with the acceptance runner's numeric tolerance.
Skipped without ../shared.
"""
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

PROBES = Path(__file__).resolve().parents[2] / "shared" / "acceptance" / "probes"
ACCEPTANCE = PROBES.parent

NUMPY_MAJOR = int(np.__version__.split(".")[0])

# Entries where minitf deliberately prints something else (when the condition holds), and why.
DIFFERENT = {
    "str(Operation) = its NodeDef text": (True, "attrs are printed sorted by key; protobuf map order is unspecified "
                                                "(the seed script compares it canonicalised)"),
    "string fed to float placeholder": (NUMPY_MAJOR >= 2, "numpy's own message, which quotes the string as 'abc' "
                                                          "when minitf converts it and as np.str_('abc') when TF does "
                                                          "(numpy 1 quotes 'abc' either way)"),
}

# Entries whose numbers are random draws: only their layout is compared.
RANDOM = {"truncated_normal(stddev=1) max |x| over 10000 draws"}


def normalise(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in ("Graph execution error:",) or stripped.startswith("Node: '") or \
                stripped.startswith(("[[{{node", "[[node ")) or stripped.startswith("Original error:"):
            continue
        line = line.replace(" Graph execution error:", "")                   # TF2's wrapper
        line = re.sub(r"\[[\w.]+\.(\w+)\]$", r"[\1]", line)                  # type annotations
        line = re.sub(r"(!! )[\w.]+\.(\w+Error)", r"\1\2", line)              # exception modules
        line = re.sub(r"<[\w.]+\.Graph object at 0x…>", "<Graph object>", line)
        line = line.replace("[SymbolicTensor]", "[Tensor]")
        lines.append(line.rstrip())
    return "\n".join(lines)


def entries(text: str) -> dict:
    """{label: result text} from the probe's output (labels are unique within the probe)."""
    out, label = {}, None
    for line in text.splitlines():
        if line.startswith("===") or not line.strip():
            label = None
        elif not line.startswith(" "):
            label = line.strip()
            out[label] = ""
        elif label is not None:
            out[label] += line.strip() + "\n"
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("probe")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ACCEPTANCE), str(Path(__file__).parents[1])]),
               TF_IMPL="minitf")
    proc = subprocess.run([sys.executable, str(PROBES / "probe_tf1_behaviour.py")], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # TF printed numpy-2 scalar reprs (np.float32(1.0)); on numpy 1.x drop the wrappers, as check_seeds does
    expected_text = _compare().normalize_expected((PROBES / "probe_tf1_behaviour.tf.txt").read_text(encoding="utf-8"),
                                                  NUMPY_MAJOR)
    expected = entries(normalise(expected_text))
    return expected, entries(normalise(proc.stdout))


def _compare():
    spec = importlib.util.spec_from_file_location("check_seeds", ACCEPTANCE / "check_seeds.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_seeds", module)
    spec.loader.exec_module(module)
    return module


LABELS = list(entries((PROBES / "probe_tf1_behaviour.tf.txt").read_text(encoding="utf-8"))) \
    if PROBES.is_dir() else ["none"]


@pytest.mark.skipif(not PROBES.is_dir(), reason="../shared/acceptance is not beside this checkout")
@pytest.mark.parametrize("label", [pytest.param(l, marks=pytest.mark.xfail(DIFFERENT[l][0], reason=DIFFERENT[l][1],
                                                                           strict=True))
                                   if l in DIFFERENT else l for l in LABELS])
def test_probe_entry(label, outputs):
    expected, actual = outputs
    assert label in actual, f"minitf's probe output has no entry {label!r}"
    if expected[label].startswith("!!") and "Originally defined at:" in expected[label]:
        assert actual[label].startswith(expected[label].strip())
        return
    runner = _compare()
    mode = "shape-only" if label in RANDOM else "numeric"
    problem = runner.compare(expected[label], actual[label], runner.Spec(mode=mode))
    assert problem is None, f"{problem}\nTF1:    {expected[label]}\nminitf: {actual[label]}"

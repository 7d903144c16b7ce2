"""What minitf computes, against what real TensorFlow 1.15 computed (tests/data/tf1_oracle).

``inputs.py``: inputs the way TF1 takes them -- lists and tuples holding tensors wherever TF1
converts them, cross entropy on inputs of any rank (TF1 flattens the outer dimensions into a
batch), Python and numpy scalars of every dtype, numpy dtypes and strings as dtype arguments.
``symbols.py``: TF1 symbols beyond the course's core, and the deprecated aliases TF 1.15 still
exports (``tf.arg_max``, ``tf.to_double``...).  Each fetched tensor must have TF1's static shape
and dtype, and its value TF1's (to float32 precision).
"""
import pytest

import minitf as tf
from tf1_oracle import assert_same_results, load_cases, recorded

runner = load_cases("runner")
MODULES = {name: (load_cases(name).CASES, recorded(f"{name}.tf1_15")) for name in ("inputs", "symbols")}


@pytest.mark.parametrize("module", list(MODULES))
def test_the_cases_are_the_recorded_ones(module):
    cases, tf1 = MODULES[module]
    assert set(cases) == set(tf1) and all(r["phase"] == "none" for r in tf1.values())


@pytest.mark.parametrize("module, name", [(m, name) for m, (cases, _) in MODULES.items() for name in cases])
def test_minitf_computes_what_tf1_computes(module, name):
    cases, tf1 = MODULES[module]
    got = runner.outcome(tf, cases[name])
    assert got["phase"] == "none", got.get("message")
    assert_same_results(got["results"], tf1[name]["results"], f"{module}.{name}")

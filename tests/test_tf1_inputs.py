"""Inputs the way TF1 takes them: every case of tests/data/tf1_oracle/inputs.py against real TF 1.15.

Lists and tuples holding tensors wherever TF1 converts them, cross entropy on inputs of any rank
(TF1 flattens the outer dimensions into a batch), Python and numpy scalars of every dtype, numpy
dtypes and strings as dtype arguments.  Each fetched tensor must have TF1's static shape and
dtype, and its value TF1's (to float32 precision).
"""
import numpy as np
import pytest

import minitf as tf
from tf1_oracle import load_cases, recorded

cases = load_cases("inputs")
runner = load_cases("runner")
TF1 = recorded("inputs.tf1_15")


def _value(result):
    value = result["value"]
    if isinstance(value, dict):
        return np.asarray(value["real"]) + 1j * np.asarray(value["imag"])
    return np.asarray(value)


def _compare(got, want, where):
    if isinstance(want, list):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{where}[{i}]")
        return
    assert (got["shape"], got["dtype"], got["numpy_dtype"]) == (want["shape"], want["dtype"], want["numpy_dtype"]), where
    np.testing.assert_allclose(_value(got), _value(want), rtol=2e-6, atol=1e-6, err_msg=where)


def test_the_cases_are_the_recorded_ones():
    assert set(cases.CASES) == set(TF1) and all(r["phase"] == "none" for r in TF1.values())


@pytest.mark.parametrize("name", list(cases.CASES))
def test_minitf_takes_the_input_as_tf1_does(name):
    got = runner.outcome(tf, cases.CASES[name])
    assert got["phase"] == "none", got.get("message")
    _compare(got["results"], TF1[name]["results"], name)

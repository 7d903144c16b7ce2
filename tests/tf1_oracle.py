"""The cases of tests/data/tf1_oracle (small TF1 graphs) and what real TensorFlow did with them."""
import importlib
import json
import sys
from pathlib import Path

import numpy as np

ORACLE = Path(__file__).parent / "data" / "tf1_oracle"


def load_cases(name: str):
    """The module of cases ``tests/data/tf1_oracle/<name>.py`` (its ``runner`` is beside it)."""
    if str(ORACLE) not in sys.path:
        sys.path.insert(0, str(ORACLE))
    return importlib.import_module(name)


def recorded(name: str) -> dict:
    """``{case: what happened}`` as ``record_tf.py`` wrote it to ``<name>.json``."""
    return json.loads((ORACLE / f"{name}.json").read_text(encoding="utf-8"))["cases"]


def _value(result) -> np.ndarray:
    value = result["value"]
    if isinstance(value, dict):   # a complex array, stored as its two parts
        return np.asarray(value["real"]) + 1j * np.asarray(value["imag"])
    return np.asarray(value)


def assert_same_results(got, want, where: str) -> None:
    """Every fetched tensor has TF1's static shape and dtype, and TF1's value (to float32 precision)."""
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same_results(g, w, f"{where}[{i}]")
        return
    assert (got["shape"], got["dtype"], got["numpy_dtype"]) == (want["shape"], want["dtype"], want["numpy_dtype"]), where
    np.testing.assert_allclose(_value(got), _value(want), rtol=2e-6, atol=1e-6, err_msg=where)

"""Shared test fixtures: every test starts with a fresh default graph."""
import sys
from pathlib import Path

import pytest

import minitf as tf

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs for minutes; CI runs it too (deselect with -m 'not slow')")


@pytest.fixture(autouse=True)
def fresh_graph():
    """A new default graph for each test (names start again at Const, add…), and graph mode after it.

    ``import minitf.v2`` turns eager execution on, as ``import tensorflow`` does in TF2: after a test
    that ran TF2 code, eager execution goes off and minitf.v2 is forgotten, so the next test finds
    graph mode, and its ``import minitf.v2`` turns eager execution on again, as in a fresh kernel.
    """
    tf.reset_default_graph()
    yield
    if "minitf.v2" in sys.modules:
        sys.modules["minitf.v2"].disable_eager_execution()
        for name in [name for name in sys.modules if name == "minitf.v2" or name.startswith("minitf.v2.")]:
            del sys.modules[name]
    tf.reset_default_graph()

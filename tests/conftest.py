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
    """A new default graph for each test (names start again at Const, add…), and graph mode after it:
    a test that ran TF2 code (``import minitf.v2`` turns eager execution on) leaves TF1 to the next."""
    tf.reset_default_graph()
    yield
    if "minitf.v2" in sys.modules:
        sys.modules["minitf.v2"].disable_eager_execution()
    tf.reset_default_graph()

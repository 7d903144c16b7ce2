"""Shared test fixtures: every test starts with a fresh default graph."""
from pathlib import Path

import pytest

import minitf as tf

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs for minutes; CI runs it too (deselect with -m 'not slow')")


@pytest.fixture(autouse=True)
def fresh_graph():
    """A new default graph for each test (names start again at Const, add…)."""
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()

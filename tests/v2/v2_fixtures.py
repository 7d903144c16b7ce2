"""The ``tf`` fixture of the minitf.v2 tests: eager execution on during a test, off after it.

``import minitf.v2`` turns eager execution on for the process (as ``import tensorflow`` does in
TF2).  The TF1 tests of the same pytest run expect graphs and sessions, so the v2 tests import
it only through this fixture, which turns eager execution off again when the test ends.
"""
import pytest


@pytest.fixture
def tf():
    import minitf.v2 as tf

    tf.enable_eager_execution()
    tf.random.set_seed(None)
    try:
        yield tf
    finally:
        tf.disable_eager_execution()

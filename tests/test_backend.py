"""The array seam (minitf/backend.py) and the strict test backend that proves it holds.

``tests/strict_backend.py`` stands in for cupy: its arrays are a distinct type that refuses to be
turned into numpy arrays.  The engine tests below run under it in a subprocess; the whole suite
can be run the same way:

    MINITF_BACKEND=strict PYTHONPATH=tests python -m pytest tests
"""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minitf as tf
from minitf import backend

import strict_backend as strict

TESTS = Path(__file__).resolve().parent

# a representative subset of the engine's tests: sessions, every op's forward and gradient, the
# optimizers' in-place updates (not the one-epoch MNIST runs: slow, and covered by the same ops)
ENGINE_TESTS = ["test_session.py", "test_gradients.py", "test_dtypes_shapes.py", "test_variables.py",
                "train/test_train.py", "ops/test_nn.py", "test_layers.py", "test_graph.py", "test_errors.py",
                "ops/test_control_flow.py", "ops/test_normalization.py", "ops/test_broadcast_gradients.py"]
SLOW = "not one_epoch_accuracy"


# ---- the strict arrays behave like device arrays ----------------------------------------------------
def test_strict_arrays_compute_like_numpy():
    a = strict.asarray(np.array([[1.0, -2.0]], np.float32))
    b = strict.exp(a) + 1
    assert isinstance(b, strict.StrictArray) and b.dtype == np.float32 and b.shape == (1, 2)
    np.testing.assert_allclose(strict.asnumpy(b), np.exp([[1.0, -2.0]]) + 1, rtol=1e-6)
    assert isinstance(strict.sum(a), strict.StrictArray)   # reductions give 0-d device arrays
    assert float(strict.sum(a)) == -1.0 and strict.asnumpy(a.T).shape == (2, 1)


def test_strict_arrays_refuse_implicit_conversion_to_numpy():
    a = strict.asarray(np.ones(3, np.float32))
    host = np.ones(3, np.float32)
    for leak in (lambda: np.asarray(a), lambda: np.exp(a), lambda: np.reshape(a, -1), lambda: a + host,
                 lambda: host * a, lambda: strict.add(a, host), lambda: strict.asnumpy(host)):
        with pytest.raises(TypeError):
            leak()


def test_strict_in_place_updates_keep_the_array():
    var = strict.zeros((2,), dtype=np.float32)
    same = var
    var += strict.asarray(np.array([1.0, 2.0], np.float32))
    strict.multiply(var, 2, out=var)
    assert var is same and strict.asnumpy(same).tolist() == [2.0, 4.0]


def test_host_to_device_is_a_copy():
    host = np.zeros(2, np.float32)
    device = strict.asarray(host)
    device += 1
    assert host.tolist() == [0.0, 0.0]


# ---- the seam ---------------------------------------------------------------------------------------
def test_backend_is_numpy_by_default():
    if os.environ.get("MINITF_BACKEND"):
        pytest.skip("a backend was selected for this run")
    assert backend.xp is np and backend.name == "numpy"


def test_an_unknown_backend_is_refused():
    code = "import minitf"
    env = {**os.environ, "MINITF_BACKEND": "tpu"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "MINITF_BACKEND must be 'numpy', 'cupy' or 'strict'" in done.stderr


def test_session_run_returns_numpy_under_the_strict_backend():
    code = ("import numpy as np, minitf as tf\n"
            "x = tf.placeholder(tf.float32, [None, 2])\n"
            "y = tf.reduce_sum(tf.matmul(x, tf.ones([2, 3])), 1)\n"
            "with tf.Session() as s:\n"
            "    out = s.run([y, y[0]], {x: [[1., 2.]]})\n"
            "assert tf.backend.name == 'strict'\n"
            "assert type(out[0]) is np.ndarray and type(out[1]) is np.float32, out\n"
            "print(out[0].tolist())\n")
    done = _run_strict([sys.executable, "-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[9.0]"


def test_a_kernel_that_calls_numpy_directly_fails_under_the_strict_backend():
    code = ("import numpy as np, minitf as tf\n"
            "from minitf.ops.base import Op, apply_op\n"
            "class LeakyExp(Op):\n"
            "    type = 'LeakyExp'\n"
            "    def forward(self, x):\n"
            "        return np.exp(x)\n"
            "with tf.Session() as s:\n"
            "    s.run(apply_op(LeakyExp(), (tf.constant([1.0]),), 'LeakyExp'))\n")
    done = _run_strict([sys.executable, "-c", code])
    assert done.returncode != 0 and "TypeError" in done.stderr


@pytest.mark.skipif(os.environ.get("MINITF_BACKEND") == "strict", reason="already running under it")
def test_engine_tests_pass_under_the_strict_backend():
    files = [str(TESTS / name) for name in ENGINE_TESTS if (TESTS / name).exists()]
    done = _run_strict([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", SLOW, *files])
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _run_strict(command):
    env = {**os.environ, "MINITF_BACKEND": "strict",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=TESTS.parent, timeout=900)

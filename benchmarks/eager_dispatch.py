#!/usr/bin/env python3
"""What running one op eagerly costs, and one tf.function call, beside numpy doing the same work.

    python benchmarks/eager_dispatch.py
    $TF2_PYTHON benchmarks/eager_dispatch.py --with-tf2     # also real TensorFlow 2, same process

Cases (µs per call, median of ``--n`` calls each timed alone; numpy, minitf.v2 [and TF2] calls
alternate, so all see the same machine):

* ``add``           ``tf.add(t, t)`` of two 2x2 float32 tensors    (numpy: ``np.add(a, a)``)
* ``mul_scalar``    ``t * 2.0``: a Python number becomes a tensor first     (``a * np.float32(2)``)
* ``matmul``        ``tf.matmul(t, t)``, 2x2                         (``a @ a``)
* ``relu``          ``tf.nn.relu(t)``                                (``np.maximum(a, 0)``)
* ``reduce_sum``    ``tf.reduce_sum(t)``                             (``a.sum()``)
* ``function_add``  a ``tf.function`` computing ``x + x``, called    (``a + a``)
* ``function_mlp``  a ``tf.function`` of the fur/wings 2-10-3 ReLU net's forward pass (numpy: the same)
* ``tape_adam``     one eager training step of that net: GradientTape, then Keras Adam (numpy: forward,
                    hand-derived backward, Adam -- session_overhead.py's baseline)
* ``function_adam`` the same step as one ``tf.function``

The tensors are tiny, so numpy's time is almost all call overhead: the ratios say what a
framework adds per op.  TensorFlow 2's eager ops cost tens of µs each.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

import _common
from session_overhead import X_DATA, Y_DATA, numpy_furwings

A = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)


def op_cases(tf) -> dict:
    """name -> a call doing one case with the TensorFlow-2-style module ``tf`` (minitf.v2 or real TF2)."""
    t = tf.constant(A)
    double = tf.function(lambda x: x + x)
    double(t)
    forward = tf.function(lambda x, w1, b1, w2, b2: tf.nn.softmax(tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)
                                                                  + b2))
    params = _furwings_params(tf)
    x, y = tf.constant(X_DATA), tf.constant(Y_DATA)
    forward(x, *params)
    optimizer = tf.keras.optimizers.Adam(0.01, epsilon=1e-8)
    step_fn = _furwings_step(tf, params, optimizer, x, y)
    compiled = tf.function(step_fn)
    step_fn(), compiled()
    return {"add": lambda: tf.add(t, t), "mul_scalar": lambda: t * 2.0, "matmul": lambda: tf.matmul(t, t),
            "relu": lambda: tf.nn.relu(t), "reduce_sum": lambda: tf.reduce_sum(t),
            "function_add": lambda: double(t), "function_mlp": lambda: forward(x, *params),
            "tape_adam": step_fn, "function_adam": compiled}


def _furwings_params(tf):
    rng = np.random.RandomState(0)
    return [tf.Variable(rng.uniform(-1, 1, (2, 10)).astype(np.float32)), tf.Variable(np.zeros(10, np.float32)),
            tf.Variable(rng.uniform(-1, 1, (10, 3)).astype(np.float32)), tf.Variable(np.zeros(3, np.float32))]


def _furwings_step(tf, params, optimizer, x, y):
    def step():
        w1, b1, w2, b2 = params
        with tf.GradientTape() as tape:
            logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2
            cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        optimizer.apply_gradients(zip(tape.gradient(cost, params), params))
        return cost

    return step


def numpy_cases() -> dict:
    rng = np.random.RandomState(0)
    w1, b1 = rng.uniform(-1, 1, (2, 10)).astype(np.float32), np.zeros(10, np.float32)
    w2, b2 = rng.uniform(-1, 1, (10, 3)).astype(np.float32), np.zeros(3, np.float32)

    def forward():
        logits = np.maximum(X_DATA @ w1 + b1, 0) @ w2 + b2
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    adam = numpy_furwings("adam")
    two = np.float32(2)
    return {"add": lambda: np.add(A, A), "mul_scalar": lambda: A * two, "matmul": lambda: A @ A,
            "relu": lambda: np.maximum(A, 0), "reduce_sum": lambda: A.sum(), "function_add": lambda: A + A,
            "function_mlp": forward, "tape_adam": adam, "function_adam": adam}


def real_tf2():
    """TensorFlow 2 (only in a benchmark venv: never a minitf dependency); with ``OPENBLAS_NUM_THREADS=N``
    set, it gets N threads too, as numpy's BLAS does."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import tensorflow as tf

    threads = int(os.environ.get("OPENBLAS_NUM_THREADS", "0"))
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    return tf


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="timed calls per case and system")
    ap.add_argument("--with-tf2", action="store_true", help="also real TensorFlow 2 (needs tensorflow installed)")
    args = ap.parse_args()

    import minitf.v2

    systems = {"numpy": numpy_cases(), "minitf": op_cases(minitf.v2)}
    if args.with_tf2:
        systems["tf2"] = op_cases(real_tf2())
    result = {"bench": "eager_dispatch", "n": args.n, "cases": {}}
    for case in systems["numpy"]:
        calls = {name: cases[case] for name, cases in systems.items()}
        timing = _common.interleaved({name: (lambda _, f=f: f()) for name, f in calls.items()},
                                     range(args.n), block=1)
        row = {name: {"us": round(t["median_step_s"] * 1e6, 2), "ratio_vs_numpy": t["ratio_vs_numpy"]}
               for name, t in timing.items()}
        result["cases"][case] = row
        print(f"{case:14s} " + "   ".join(f"{name} {r['us']:8.1f} us" for name, r in row.items()), flush=True)
    _common.emit(result)


if __name__ == "__main__":
    sys.exit(main())

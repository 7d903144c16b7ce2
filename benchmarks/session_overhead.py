#!/usr/bin/env python3
"""What a ``sess.run`` costs beyond the numpy work it does, and what building a graph costs.

    python benchmarks/session_overhead.py
    tfvenv/bin/python benchmarks/session_overhead.py --with-tf

Cases (µs per call, median of ``--n`` calls each timed alone; numpy, minitf [and TF1] calls
alternate, so all see the same machine):

* ``trivial``       ``sess.run(a + b)`` of two scalar constants        (numpy: ``a + b``)
* ``chain100``      100 element-wise ops (add, multiply, tanh, abs) on a [10] Variable
                    (numpy: the same 100 calls)
* ``furwings_adam`` one training step of the fur/wings 2-10-3 ReLU net with a feed_dict,
                    AdamOptimizer(0.01) (numpy: forward, hand-derived backward, Adam)
* ``furwings_gd``   the same with GradientDescentOptimizer(0.01)

Also: graph building (µs per op added, the 100-op chain with its constants) and the first
``sess.run`` of each graph (which builds the execution plan).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import _common

X_DATA = np.array([[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]], np.float32)          # [fur, wings]
Y_DATA = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]], np.float32)
V0 = np.linspace(-1, 1, 10).astype(np.float32)


# ---- numpy floors ---------------------------------------------------------------------------------
def numpy_chain(x):
    """The floor of the 100-op chain: the same 100 numpy calls."""
    half, one_and_half = np.float32(0.5), np.float32(1.5)
    for _ in range(25):
        x = np.abs(np.tanh(np.multiply(np.add(x, half), one_and_half)))
    return x


def numpy_furwings(opt: str):
    f32 = np.float32
    rng = np.random.RandomState(0)
    params = [rng.uniform(-1, 1, (2, 10)).astype(f32), np.zeros(10, f32),
              rng.uniform(-1, 1, (10, 3)).astype(f32), np.zeros(3, f32)]
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    t = [0]

    def step():
        W1, b1, W2, b2 = params
        hp = X_DATA @ W1 + b1
        h = np.maximum(hp, 0)
        logits = h @ W2 + b2
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        cost = np.mean(np.sum(Y_DATA * (np.log(s) - z), axis=1))
        d = (e / s - Y_DATA) / f32(X_DATA.shape[0])
        dh = (d @ W2.T) * (hp > 0)
        grads = (X_DATA.T @ dh, dh.sum(axis=0), h.T @ d, d.sum(axis=0))
        if opt == "gd":
            for p, g in zip(params, grads):
                p -= f32(0.01) * g
            return cost
        t[0] += 1
        lr_t = f32(0.01 * np.sqrt(1 - 0.999 ** t[0]) / (1 - 0.9 ** t[0]))
        for p, g, m, v in zip(params, grads, ms, vs):
            m += f32(0.1) * (g - m)
            v += f32(0.001) * (g * g - v)
            p -= lr_t * m / (np.sqrt(v) + f32(1e-8))
        return cost

    return step


# ---- the same workloads as TF1 code ---------------------------------------------------------------
def tf1_chain(tf, start):
    x = start
    for i in range(100):
        x = (lambda: tf.add(x, 0.5), lambda: tf.multiply(x, 1.5), lambda: tf.tanh(x), lambda: tf.abs(x))[i % 4]()
    return x


def tf1_cases(tf) -> dict:
    """name -> (a function doing one sess.run, the first run's ms)."""
    cases = {}

    def add(name, build):
        graph = tf.Graph()
        with graph.as_default():
            fetch, feed, init = build()
            sess = _common.tf_session(tf)
            if init is not None:
                sess.run(init)
            t0 = time.perf_counter()
            sess.run(fetch, feed_dict=feed)
            cases[name] = (lambda: sess.run(fetch, feed_dict=feed), (time.perf_counter() - t0) * 1e3)

    add("trivial", lambda: (tf.constant(2.0) + tf.constant(3.0), None, None))

    def chain():
        v = tf.Variable(V0)
        return tf1_chain(tf, v), None, tf.global_variables_initializer()
    add("chain100", chain)

    def furwings(opt):
        def build():
            tf.set_random_seed(0)
            X = tf.placeholder(tf.float32)
            Y = tf.placeholder(tf.float32)
            W1 = tf.Variable(tf.random_uniform([2, 10], -1., 1.))
            W2 = tf.Variable(tf.random_uniform([10, 3], -1., 1.))
            b1 = tf.Variable(tf.zeros([10]))
            b2 = tf.Variable(tf.zeros([3]))
            L1 = tf.nn.relu(tf.add(tf.matmul(X, W1), b1))
            model = tf.add(tf.matmul(L1, W2), b2)
            cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=model))
            optimizer = tf.train.AdamOptimizer(0.01) if opt == "adam" else tf.train.GradientDescentOptimizer(0.01)
            return optimizer.minimize(cost), {X: X_DATA, Y: Y_DATA}, tf.global_variables_initializer()
        return build
    add("furwings_adam", furwings("adam"))
    add("furwings_gd", furwings("gd"))
    return cases


def graph_build_us_per_op(tf, reps: int = 20) -> float:
    """Median µs per op added to a fresh graph by building the 100-op chain on a Variable."""
    per_op = []
    for _ in range(reps):
        graph = tf.Graph()
        with graph.as_default():
            t0 = time.perf_counter()
            tf1_chain(tf, tf.Variable(V0))
            elapsed = time.perf_counter() - t0
            per_op.append(elapsed / len(graph.get_operations()) * 1e6)
    return float(np.median(per_op))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="timed calls per case and system")
    ap.add_argument("--with-tf", action="store_true", help="also real TF1 (needs tensorflow installed)")
    args = ap.parse_args()

    import minitf

    numpy_calls = {"trivial": (lambda a=np.float32(2.0), b=np.float32(3.0): a + b),
                   "chain100": lambda: numpy_chain(V0),
                   "furwings_adam": numpy_furwings("adam"), "furwings_gd": numpy_furwings("gd")}
    systems = {"minitf": tf1_cases(minitf)}
    build = {"minitf": graph_build_us_per_op(minitf)}
    if args.with_tf:
        tf = _common.real_tf1()
        systems["tf1"] = tf1_cases(tf)
        build["tf1"] = graph_build_us_per_op(tf)

    result = {"bench": "session_overhead", "n": args.n, "cases": {}, "graph_build_us_per_op": build}
    for case, numpy_call in numpy_calls.items():
        calls = {"numpy": numpy_call, **{name: cases[case][0] for name, cases in systems.items()}}
        timing = _common.interleaved({name: (lambda _, f=f: f()) for name, f in calls.items()},
                                     range(args.n), block=1)
        row = {name: {"us": round(t["median_step_s"] * 1e6, 2), "ratio_vs_numpy": t["ratio_vs_numpy"]}
               for name, t in timing.items()}
        for name, cases in systems.items():
            row[name]["first_run_ms"] = round(cases[case][1], 2)
        result["cases"][case] = row
        print(f"{case:14s} " + "   ".join(f"{name} {r['us']:8.1f} us" for name, r in row.items()), flush=True)
    print("graph building: " + "   ".join(f"{name} {us:.1f} us/op" for name, us in build.items()), flush=True)
    _common.emit(result)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Where one training step of the Deep MNIST CNN spends its time, op by op, beside numpy's products.

    python benchmarks/profile_cnn.py                 # 40 profiled steps, table on stdout
    python benchmarks/profile_cnn.py --markdown      # the table as benchmarks/README.md shows it
    OPENBLAS_NUM_THREADS=1 python benchmarks/profile_cnn.py   # CPU times then hold every product's work

Every kernel of the training step's plan is wrapped in a timer (wall clock and this thread's CPU
time); after each minitf step the same loop times numpy's eleven matrix products at the step's
shapes (``cnn_mnist.numpy_floor``): the floor no implementation on numpy's BLAS can go below.
With one BLAS thread the CPU times are steady even on a busy machine (other processes stretch the
wall clock, not the work); with several, the products' work in BLAS threads is not in the CPU
column.  Ops are listed by CPU time; ``session`` is what ``sess.run`` spends outside the kernels.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

import _common
import cnn_mnist


def timed(kernel, record):
    """``kernel``, adding (wall, CPU) seconds of every call to ``record``."""
    clock, cpu_clock = time.perf_counter, time.thread_time

    def run(*args):
        wall, cpu = clock(), cpu_clock()
        result = kernel(*args)
        record.append((clock() - wall, cpu_clock() - cpu))
        return result

    return run


def profile(steps: int, seed: int):
    import minitf

    x_train, y_train, _, _ = _common.load_mnist()
    order = _common.batch_order(len(x_train), cnn_mnist.BATCH, steps + 5, seed)
    step, _, sess, train_op = cnn_mnist.tf1_cnn(minitf, cnn_mnist.init_cnn(seed))
    for idx in order[:5]:   # warm-up: the plan is built, the allocator has seen every size
        step(x_train[idx], y_train[idx])
    plan = next(p for key, p in sess._plans.items() if key[0] == (train_op,))
    records = defaultdict(list)
    plan.steps = [(timed(kernel, records[op]), *rest, op) for kernel, *rest, op in plan.steps]
    floor_step, products = cnn_mnist.numpy_floor()
    floor = {name: [] for name in products}
    totals = []
    for idx in order[5:]:
        xb, yb = x_train[idx], y_train[idx]
        wall, cpu = time.perf_counter(), time.thread_time()
        step(xb, yb)
        totals.append((time.perf_counter() - wall, time.thread_time() - cpu))
        for name, product in products.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            product()
            floor[name].append((time.perf_counter() - wall, time.thread_time() - cpu))
    return records, floor, totals


def median_ms(pairs) -> tuple:
    """(wall, CPU) medians in ms of a list of (wall, CPU) seconds (0 for an empty list)."""
    if not pairs:
        return 0.0, 0.0
    return tuple(float(v) * 1e3 for v in np.median(np.asarray(pairs), axis=0))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=25, help="ops listed one by one (the rest summed)")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    records, floor, totals = profile(args.steps, args.seed)
    ops = sorted(((median_ms(r), op) for op, r in records.items()), key=lambda item: -item[0][1])
    step_wall, step_cpu = median_ms(totals)
    kernels_wall, kernels_cpu = (sum(t[i] for t, _ in ops) for i in (0, 1))
    floor_ms = {name: median_ms(r) for name, r in floor.items()}
    floor_wall, floor_cpu = (sum(t[i] for t in floor_ms.values()) for i in (0, 1))

    rows = [(op.name, op.type, *t) for t, op in ops[:args.top]]
    rest = ops[args.top:]
    rows.append((f"{len(rest)} other ops", "", sum(t[0] for t, _ in rest), sum(t[1] for t, _ in rest)))
    rows.append(("session", "outside the kernels", step_wall - kernels_wall, step_cpu - kernels_cpu))
    rows.append(("**training step**", f"{len(ops)} ops", step_wall, step_cpu))
    rows += [(f"numpy {name}", "product", *t) for name, t in floor_ms.items()]
    rows.append(("**numpy products (the floor)**", "", floor_wall, floor_cpu))
    rows.append(("**step / floor**", "", step_wall / floor_wall, step_cpu / floor_cpu))
    if args.markdown:
        print("| op | type | wall ms | CPU ms |\n|---|---|---|---|")
        for name, kind, wall, cpu in rows:
            print(f"| {name} | {kind} | {wall:.2f} | {cpu:.2f} |")
    else:
        for name, kind, wall, cpu in rows:
            print(f"{name:50s} {kind:28s} {wall:8.2f} {cpu:8.2f}")
    _common.emit({"bench": "profile_cnn", "steps": args.steps, "step_ms": [round(step_wall, 2), round(step_cpu, 2)],
                  "floor_ms": [round(floor_wall, 2), round(floor_cpu, 2)],
                  "ops": {op.name: [round(v, 3) for v in t] for t, op in ops}})


if __name__ == "__main__":
    main()

"""Shared by the benchmarks: MNIST, identical initial weights and batch order, interleaved timing, output.

Every benchmark times minitf against a hand-written numpy implementation of the same model *in
the same process*, interleaved in blocks (numpy, minitf, [TF1], then rotated), from the same
initial weights and the same batches, so both see the same machine (a shared 2-core box can slow
down 2-5x for minutes) and both must reach the same accuracy.  The initial weights and batch
order are those of ``../shared/acceptance/bench/common.py``, so the accuracies and ratios are
comparable with the anchors in ``../shared/acceptance/bench/RESULTS.md``.
"""
from __future__ import annotations

import gzip
import json
import os
import resource
import struct
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
MNIST_DIRS = [REPO.parent / "shared" / "data" / "mnist", REPO / "minitf" / "datasets" / "mnist_small"]


# ---- data ---------------------------------------------------------------------------------------
def mnist_dir() -> Path:
    """``$MNIST_DIR``, else the full MNIST in ../shared/data/mnist, else the small test subset."""
    if os.environ.get("MNIST_DIR"):
        return Path(os.environ["MNIST_DIR"])
    return next(d for d in MNIST_DIRS if d.is_dir())


def _read_idx(name: str) -> np.ndarray:
    folder = mnist_dir()
    for path in (folder / name, folder / (name + ".gz")):
        if path.exists():
            data = (gzip.open if path.suffix == ".gz" else open)(path, "rb").read()
            ndim = data[3]
            shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
            return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)
    raise FileNotFoundError(f"{name} not found in {folder} (set MNIST_DIR)")


def load_mnist():
    """(x_train float32 [n, 784] in [0, 1], one-hot y_train float32, x_test, y_test labels int64)."""
    def images(name):
        return _read_idx(name).reshape(-1, 784).astype(np.float32) / np.float32(255.0)

    y_train = _read_idx("train-labels-idx1-ubyte").astype(np.int64)
    return (images("train-images-idx3-ubyte"), np.eye(10, dtype=np.float32)[y_train],
            images("t10k-images-idx3-ubyte"), _read_idx("t10k-labels-idx1-ubyte").astype(np.int64))


def batch_order(n: int, batch: int, steps: int, seed: int = 0) -> np.ndarray:
    """Sample indices of ``steps`` batches: a new shuffle every epoch, the same for every system."""
    epochs = []
    for epoch in range(-(-steps * batch // n) + 1):
        perm = np.random.RandomState(seed * 1000 + epoch).permutation(n)
        epochs.append(perm[: (n // batch) * batch].reshape(-1, batch))
    return np.concatenate(epochs)[:steps]


def init_mlp(seed: int = 0, n_in: int = 784, n_hidden: int = 512, n_out: int = 10):
    """He-style truncated normal W1, Glorot-style W2, zero biases (float32): the anchors' weights."""
    rng = np.random.RandomState(seed)

    def truncated_normal(shape, std):
        w = rng.standard_normal(shape)
        while True:
            bad = np.abs(w) > 2
            if not bad.any():
                break
            w[bad] = rng.standard_normal(int(bad.sum()))
        return (w * std).astype(np.float32)

    return (truncated_normal((n_in, n_hidden), np.sqrt(2.0 / n_in)), np.zeros(n_hidden, np.float32),
            truncated_normal((n_hidden, n_out), np.sqrt(1.0 / n_hidden)), np.zeros(n_out, np.float32))


# what changes the figures: BLAS threads and kernel choice, TF1's oneDNN and threads, minitf's backend
SETTINGS = ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
            "TF_ENABLE_ONEDNN_OPTS", "MINITF_BACKEND")


def blas() -> dict:
    """numpy's BLAS as it runs: library, the kernel it chose for this CPU and its threads (OpenBLAS only)."""
    import ctypes

    info = {"library": np.show_config(mode="dicts")["Build Dependencies"]["blas"].get("name")}
    try:
        with open("/proc/self/maps") as maps:
            path = next(line.split()[-1] for line in maps if "openblas" in line.lower())
        lib = ctypes.CDLL(path)
    except (OSError, StopIteration):
        return info
    for prefix, suffix in (("scipy_openblas", "64_"), ("openblas", ""), ("openblas", "64_")):
        try:
            corename = getattr(lib, f"{prefix}_get_corename{suffix}")
            threads = getattr(lib, f"{prefix}_get_num_threads{suffix}")
        except AttributeError:
            continue
        corename.restype = ctypes.c_char_p
        info.update(kernel=corename().decode(), threads=threads())
        break
    return info


# ---- the other systems ----------------------------------------------------------------------------
def real_tf1():
    """``tensorflow.compat.v1`` in graph mode (only in a benchmark venv: never a minitf dependency).

    TF runs as a student gets it: with oneDNN on x86, TF's default.  ``TF_ENABLE_ONEDNN_OPTS=0``
    in the environment selects the plain Eigen kernels instead (as the acceptance scripts run).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    return tf


def tf_session(tf):
    """``tf.Session()``; with ``OPENBLAS_NUM_THREADS=N`` set, real TF1 gets N threads too."""
    threads = int(os.environ.get("OPENBLAS_NUM_THREADS", "0"))
    if not threads or tf.__name__.startswith("minitf"):   # numpy's BLAS already reads the variable
        return tf.Session()
    return tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=threads,
                                            inter_op_parallelism_threads=threads))


# ---- timing -----------------------------------------------------------------------------------------
def interleaved(steps: dict, batches, block: int) -> dict:
    """Run ``steps[name](batch_index)`` for every batch, system by system in rotating blocks.

    Returns per system its median step (seconds, wall clock), ``cpu_step_s`` (the process's CPU
    time per step, all threads: what the step costs the machine, less sensitive to other
    processes than the wall clock) and ``ratio_vs_numpy``, the ratio of the median steps: both
    systems sampled the same stretch of time, so a busy spell of the machine slows both alike.
    ``ratio_p25_p75`` is the spread of the per-round ratios (``block_ratio``).  The first round
    is warm-up and left out.  ``block_medians`` (the median step of each round) give the ratios
    between any two systems.
    """
    names = list(steps)
    per_step = {n: [] for n in names}
    cpu = {n: [] for n in names}
    block_medians = {n: [] for n in names}
    for r, start in enumerate(range(0, len(batches), block)):
        for name in names[r % len(names):] + names[: r % len(names)]:
            step = steps[name]
            cpu0 = time.process_time()
            ticks = [time.perf_counter()]
            for i in range(start, min(start + block, len(batches))):
                step(batches[i])
                ticks.append(time.perf_counter())
            if r == 0:
                continue
            times = np.diff(ticks)
            per_step[name].extend(times)
            cpu[name].append((time.process_time() - cpu0) / len(times))
            block_medians[name].append(float(np.median(times)))
    out = {name: {"median_step_s": float(np.median(per_step[name])), "cpu_step_s": float(np.median(cpu[name])),
                  "block_medians": block_medians[name]} for name in names}
    for name in names:
        out[name]["ratio_vs_numpy"], out[name]["ratio_p25_p75"] = block_ratio(out, name, "numpy")
    return out


def block_ratio(timing: dict, name: str, baseline: str):
    """(ratio of the median steps, [25th, 75th percentile of the per-round ratios]) of ``name`` to ``baseline``."""
    ratios = [b / a for a, b in zip(timing[baseline]["block_medians"], timing[name]["block_medians"])]
    ratio = round(timing[name]["median_step_s"] / timing[baseline]["median_step_s"], 3)
    return ratio, [round(float(np.percentile(ratios or [np.nan], q)), 3) for q in (25, 75)]


def time_calls(fn, n: int, warmup: int = 100) -> float:
    """Median seconds of one ``fn()`` call, each call timed on its own."""
    for _ in range(warmup):
        fn()
    times = np.empty(n)
    clock = time.perf_counter
    for i in range(n):
        t0 = clock()
        fn()
        times[i] = clock() - t0
    return float(np.median(times))


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy since boot (/proc/stat)."""
    try:
        with open("/proc/stat") as f:
            user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in f.readline().split()[1:8])
    except OSError:
        return float("nan")
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


_START = (time.perf_counter(), _machine_busy_s(), sum(os.times()[:2]))


def foreign_cpu() -> float:
    """The share of the machine's CPU that *other* processes used since this process started."""
    wall = time.perf_counter() - _START[0]
    others = (_machine_busy_s() - _START[1]) - (sum(os.times()[:2]) - _START[2])
    return round(max(0.0, others) / (wall * (os.cpu_count() or 1)), 3)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # Linux reports KiB


def session_model(sess, train_op, predicted, x, y_):
    """``(step, accuracy)`` for a TF1-style model: one training run per batch, argmax accuracy."""
    def step(xb, yb):
        sess.run(train_op, feed_dict={x: xb, y_: yb})

    def accuracy(x_test, y_test):
        return float(np.mean(sess.run(predicted, feed_dict={x: x_test}) == y_test))

    return step, accuracy


def compare_training(bench: str, models: dict, data, order, block: int, unit: str, scale: float) -> None:
    """Train each system (``models[name] = (step, accuracy)``) on the same batches, interleaved, then
    print one line per system and emit the result: median step time times ``scale`` in ``unit``
    (``"s/epoch"`` with 600, ``"us/step"`` with 1e6), the ratio to numpy, and the test accuracy."""
    x_train, y_train, x_test, y_test = data

    def on_batch(step):
        return lambda idx: step(x_train[idx], y_train[idx])

    timing = interleaved({name: on_batch(m[0]) for name, m in models.items()}, order, block)
    key = unit.replace("/", "_per_")
    result = {"bench": bench, "steps": len(order), "block": block, "systems": {}}
    versus_tf1 = {name: block_ratio(timing, name, "tf1") for name in timing if "tf1" in timing and name != "tf1"}
    for name, (_, accuracy) in models.items():
        row = timing[name]
        if name in versus_tf1:
            row["ratio_vs_tf1"], row["ratio_vs_tf1_p25_p75"] = versus_tf1[name]
        row[key] = round(row.pop("median_step_s") * scale, 4)
        row["cpu_" + key] = round(row.pop("cpu_step_s") * scale, 4)
        row["test_acc"] = round(accuracy(x_test, y_test), 4)
        result["systems"][name] = row
        tf1_part = f"   x TF1 {row['ratio_vs_tf1']:.2f}" if "ratio_vs_tf1" in row else ""
        print(f"{name:7s} {row[key]:9.3f} {unit} (CPU {row['cpu_' + key]:9.3f})   x numpy {row['ratio_vs_numpy']:.2f} "
              f"(rounds {row['ratio_p25_p75'][0]:.2f}-{row['ratio_p25_p75'][1]:.2f}){tf1_part}   "
              f"test acc {row['test_acc']:.4f}", flush=True)
    for row in result["systems"].values():
        del row["block_medians"]
    accs = [row["test_acc"] for row in result["systems"].values()]
    result["accuracies_agree"] = max(accs) - min(accs) <= 0.002
    emit(result)


def emit(result: dict) -> None:
    """Print the result as the last line, ``RESULT {json}`` (``run_all.py`` collects these)."""
    result.setdefault("foreign_cpu_frac", foreign_cpu())
    result.setdefault("loadavg_1_5_15", [round(v, 2) for v in os.getloadavg()])   # uptime's load as the run ends
    result.setdefault("peak_rss_mib", round(peak_rss_mib(), 1))
    result.setdefault("numpy", np.__version__)
    result.setdefault("python", sys.version.split()[0])
    result.setdefault("env", {k: os.environ.get(k) for k in SETTINGS})
    result.setdefault("blas", blas())
    print("RESULT " + json.dumps(result, sort_keys=True), flush=True)

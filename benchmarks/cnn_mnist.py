#!/usr/bin/env python3
"""TF1's "Deep MNIST for Experts" CNN: minitf beside real TF1 and numpy's matrix products, ms per step.

    python benchmarks/cnn_mnist.py                          # numpy product floor and minitf, interleaved
    python benchmarks/cnn_mnist.py --with-tf                # and real TF1 (tensorflow.compat.v1) beside them
    python benchmarks/cnn_mnist.py --only minitf --epochs 8 # one system alone: test accuracy after each epoch
    python benchmarks/cnn_mnist.py --only tf1 --steps 300   # (and its peak RSS, alone in the process)

The model and training are the tutorial's (``mnist_deep.py``): conv 5x5x32 - max pool 2x2 - conv
5x5x64 - max pool 2x2 - fully connected 1024 - dropout(keep_prob 0.5) - 10 logits,
``softmax_cross_entropy_with_logits_v2``, ``AdamOptimizer(1e-4)``, batches of 50 from the 55 000
training images (1 100 steps per epoch).  Every system starts from the same weights (truncated
normals of stddev 0.1 and biases 0.1, drawn by numpy) and trains on the same batches; only the
dropout masks differ.

Interleaved, each system runs ``--block`` steps in turn (rotating the order every round), so all
see the same machine.  The ``numpy`` system is the floor: the step's eleven matrix products alone
(im2col copies, pooling, activations and the optimizer left out), in numpy at the same shapes.
Reported per system: median ms per step (wall), CPU ms per step (all threads of the process), the
ratios to TF1 and to the floor, and the test accuracy.  The last line is ``RESULT {json}``.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import _common

BATCH = 50
TRAIN_IMAGES = 55_000   # read_data_sets keeps the first 5 000 of the 60 000 for validation


def init_cnn(seed: int = 0) -> list:
    """The tutorial's initial values, drawn by numpy: weights truncated normal (stddev 0.1), biases 0.1."""
    rng = np.random.RandomState(seed)

    def weight(shape):
        w = rng.standard_normal(shape)
        while (bad := np.abs(w) > 2).any():
            w[bad] = rng.standard_normal(int(bad.sum()))
        return (0.1 * w).astype(np.float32)

    def bias(n):
        return np.full(n, 0.1, np.float32)

    return [weight((5, 5, 1, 32)), bias(32), weight((5, 5, 32, 64)), bias(64),
            weight((7 * 7 * 64, 1024)), bias(1024), weight((1024, 10)), bias(10)]


def deep_mnist(tf, x, keep_prob, init):
    """The tutorial's ``deepnn`` as TF1 code: logits for a batch of flattened 28x28 images."""
    W1, b1, W2, b2, W3, b3, W4, b4 = (tf.Variable(v) for v in init)

    def conv2d(x, W):
        return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")

    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    x_image = tf.reshape(x, [-1, 28, 28, 1])
    h_pool1 = max_pool_2x2(tf.nn.relu(conv2d(x_image, W1) + b1))
    h_pool2 = max_pool_2x2(tf.nn.relu(conv2d(h_pool1, W2) + b2))
    h_fc1 = tf.nn.relu(tf.matmul(tf.reshape(h_pool2, [-1, 7 * 7 * 64]), W3) + b3)
    return tf.matmul(tf.nn.dropout(h_fc1, keep_prob), W4) + b4


def tf1_cnn(tf, init):
    """(step, accuracy, session, train_op) of the tutorial's model and training, run by ``tf``."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        keep_prob = tf.placeholder(tf.float32)
        y_conv = deep_mnist(tf, x, keep_prob, init)
        cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
        train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)
        predicted = tf.argmax(y_conv, 1)
        sess = _common.tf_session(tf)
        sess.run(tf.global_variables_initializer())

    def step(xb, yb):
        sess.run(train_step, {x: xb, y_: yb, keep_prob: 0.5})

    def accuracy(x_test, y_test):
        """Over the test images, 1000 at a time (all 10 000 at once need gigabytes for the convolutions)."""
        hits = sum(int(np.sum(sess.run(predicted, {x: x_test[i:i + 1000], keep_prob: 1.0}) == y_test[i:i + 1000]))
                   for i in range(0, len(x_test), 1000))
        return hits / len(x_test)

    return step, accuracy, sess, train_step


def numpy_floor(seed: int = 1):
    """The step's matrix products alone, in numpy, at the model's shapes (a floor, not a model).

    Convolutions as im2col products: conv1 (39200x25 @ 25x32) and its filter gradient; conv2
    (9800x800 @ 800x64), its filter and its input gradient; fc1 (50x3136 @ 3136x1024) and its two
    gradients; fc2 and its two gradients.  The matrices are made once: no copies are timed.
    """
    rng = np.random.RandomState(seed)

    def r(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    cols1, w1, d1 = r(BATCH * 784, 25), r(25, 32), r(BATCH * 784, 32)
    cols2, w2, d2 = r(BATCH * 196, 800), r(800, 64), r(BATCH * 196, 64)
    h2, w3, d3 = r(BATCH, 3136), r(3136, 1024), r(BATCH, 1024)
    h3, w4, d4 = r(BATCH, 1024), r(1024, 10), r(BATCH, 10)
    products = {"conv1": lambda: cols1 @ w1, "conv1 dW": lambda: cols1.T @ d1,
                "conv2": lambda: cols2 @ w2, "conv2 dW": lambda: cols2.T @ d2, "conv2 dx": lambda: d2 @ w2.T,
                "fc1": lambda: h2 @ w3, "fc1 dW": lambda: h2.T @ d3, "fc1 dx": lambda: d3 @ w3.T,
                "fc2": lambda: h3 @ w4, "fc2 dW": lambda: h3.T @ d4, "fc2 dx": lambda: d4 @ w4.T}

    def step(xb=None, yb=None):
        for product in products.values():
            product()

    return step, products


def train_alone(name, model, data, args) -> dict:
    """Train one system alone for --epochs (or --steps); test accuracy after each epoch."""
    step, accuracy = model[:2]
    x_train, y_train, x_test, y_test = data
    per_epoch = TRAIN_IMAGES // BATCH
    total = args.steps or args.epochs * per_epoch
    order = _common.batch_order(TRAIN_IMAGES, BATCH, total, args.seed)
    epochs, done = [], 0
    while done < total:
        n = min(per_epoch, total - done)
        wall, cpu = time.perf_counter(), time.process_time()
        for idx in order[done:done + n]:
            step(x_train[idx], y_train[idx])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        done += n
        acc = accuracy(x_test, y_test)
        epochs.append({"steps": n, "seconds": round(wall, 2), "ms_per_step": round(1e3 * wall / n, 2),
                       "cpu_ms_per_step": round(1e3 * cpu / n, 2), "test_accuracy": round(acc, 4)})
        print(f"{name} epoch {len(epochs)}: {n} steps in {wall:.1f} s ({1e3 * wall / n:.1f} ms/step, "
              f"{wall / n * per_epoch:.0f} s per epoch of {per_epoch} steps)  test accuracy {acc:.4f}", flush=True)
    return {"bench": f"cnn_{name}", "system": name, "steps_per_epoch": per_epoch, "epochs": epochs}


def interleave(models: dict, data, args) -> dict:
    """All systems on the same batches, in rotating blocks; ratios of median steps measured side by side."""
    x_train, y_train, x_test, y_test = data
    order = _common.batch_order(TRAIN_IMAGES, BATCH, args.steps, args.seed)
    steps = {name: (lambda idx, step=model[0]: step(x_train[idx], y_train[idx])) for name, model in models.items()}
    timing = _common.interleaved(steps, order, args.block)
    result = {"bench": "cnn_mnist", "steps": args.steps, "block": args.block, "batch": BATCH, "systems": {}}
    for name, row in timing.items():
        out = {"ms_per_step": round(row["median_step_s"] * 1e3, 2), "cpu_ms_per_step": round(row["cpu_step_s"] * 1e3, 2),
               "ratio_vs_numpy_floor": row["ratio_vs_numpy"], "ratio_p25_p75": row["ratio_p25_p75"]}
        if "tf1" in timing and name != "tf1":
            out["ratio_vs_tf1"], out["ratio_vs_tf1_p25_p75"] = _common.block_ratio(timing, name, "tf1")
        if len(models[name]) > 1:
            out["test_accuracy"] = round(models[name][1](x_test, y_test), 4)
        result["systems"][name] = out
        tf_part = f"   x TF1 {out['ratio_vs_tf1']:.2f} (rounds {out['ratio_vs_tf1_p25_p75'][0]:.2f}-" \
                  f"{out['ratio_vs_tf1_p25_p75'][1]:.2f})" if "ratio_vs_tf1" in out else ""
        acc = f"   test acc {out['test_accuracy']:.4f}" if "test_accuracy" in out else ""
        print(f"{name:7s} {out['ms_per_step']:7.1f} ms/step (CPU {out['cpu_ms_per_step']:6.1f} ms)   "
              f"x floor {out['ratio_vs_numpy_floor']:.2f}{tf_part}{acc}", flush=True)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--with-tf", action="store_true", help="also real TF1 (needs tensorflow installed)")
    ap.add_argument("--only", choices=["minitf", "tf1"], help="train one system alone, epoch by epoch")
    ap.add_argument("--steps", type=int, default=None, help="training steps per system (default: 300 "
                                                             "interleaved, --epochs epochs alone)")
    ap.add_argument("--epochs", type=int, default=1, help="with --only: epochs of 1 100 steps")
    ap.add_argument("--block", type=int, default=10, help="steps per system before switching")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    x_train, y_train, x_test, y_test = _common.load_mnist()
    data = (x_train[60_000 - TRAIN_IMAGES:], y_train[60_000 - TRAIN_IMAGES:], x_test, y_test)
    init = init_cnn(args.seed)
    if args.only:
        tf = _common.real_tf1() if args.only == "tf1" else __import__("minitf")
        result = train_alone(args.only, tf1_cnn(tf, init), data, args)
    else:
        import minitf

        args.steps = args.steps or 300
        models = {"numpy": numpy_floor()[:1], "minitf": tf1_cnn(minitf, init)}
        if args.with_tf:
            models["tf1"] = tf1_cnn(_common.real_tf1(), init)
        result = interleave(models, data, args)
    _common.emit(result)


if __name__ == "__main__":
    main()

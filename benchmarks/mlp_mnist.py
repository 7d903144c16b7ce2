#!/usr/bin/env python3
"""MNIST MLP 784-512-10 (ReLU, softmax cross entropy, batch 100): minitf vs hand-written numpy.

    python benchmarks/mlp_mnist.py                 # SGD, lr 0.1
    python benchmarks/mlp_mnist.py --opt adam      # Adam, lr 0.001
    tfvenv/bin/python benchmarks/mlp_mnist.py --with-tf    # also real TF1 (tensorflow.compat.v1)

Each system trains its own copy of the model from the same weights on the same batches,
interleaved in blocks of ``--block`` steps; the numpy version is the anchors' "plain" numpy
(every op allocates its result), its Adam is TF1's formula.  Prints s/epoch (600 steps), the
ratio to numpy measured in the same process, and the test accuracies, which must agree.
"""
from __future__ import annotations

import argparse

import numpy as np

import _common

B1, B2, EPSILON = 0.9, 0.999, 1e-8


def numpy_mlp(params, opt: str, lr: float):
    """The hand-written baseline: forward, backward and update of one batch."""
    W1, b1, W2, b2 = params
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = [0]

    def step(xb, yb):
        hp = xb @ W1 + b1
        h = np.maximum(hp, 0)
        logits = h @ W2 + b2
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.sum(yb * (np.log(s) - z), axis=1))  # noqa: F841  (minitf computes it too)
        dlogits = (e / s - yb) / np.float32(xb.shape[0])
        dh = (dlogits @ W2.T) * (hp > 0)
        grads = (xb.T @ dh, dh.sum(axis=0), h.T @ dlogits, dlogits.sum(axis=0))
        if opt == "sgd":
            for p, g in zip(params, grads):
                p -= np.float32(lr) * g
            return
        t[0] += 1
        lr_t = np.float32(lr * np.sqrt(1 - B2 ** t[0]) / (1 - B1 ** t[0]))
        for p, g, m_, v_ in zip(params, grads, m, v):
            m_ += (1 - B1) * (g - m_)
            v_ += (1 - B2) * (g * g - v_)
            p -= lr_t * m_ / (np.sqrt(v_) + np.float32(EPSILON))

    def accuracy(x_test, y_test):
        return float(np.mean((np.maximum(x_test @ W1 + b1, 0) @ W2 + b2).argmax(1) == y_test))

    return step, accuracy


def tf1_mlp(tf, init, opt: str, lr: float):
    """The same model as TF1 code (run by minitf or by real TensorFlow)."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        W1, b1, W2, b2 = (tf.Variable(p) for p in init)
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, W1) + b1), W2) + b2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
        optimizer = tf.train.GradientDescentOptimizer(lr) if opt == "sgd" else tf.train.AdamOptimizer(lr)
        train_op = optimizer.minimize(loss)
        predicted = tf.argmax(logits, 1)
        sess = _common.tf_session(tf)
        sess.run(tf.global_variables_initializer())

    return _common.session_model(sess, train_op, predicted, x, y_)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opt", choices=["sgd", "adam"], default="sgd")
    ap.add_argument("--steps", type=int, default=1800, help="training steps per system (600 = 1 epoch)")
    ap.add_argument("--block", type=int, default=50, help="steps per system before switching")
    ap.add_argument("--with-tf", action="store_true", help="also real TF1 (needs tensorflow installed)")
    args = ap.parse_args()
    lr = 0.1 if args.opt == "sgd" else 0.001

    import minitf

    x_train, y_train, x_test, y_test = _common.load_mnist()
    order = _common.batch_order(len(x_train), 100, args.steps)
    init = _common.init_mlp()
    models = {"numpy": numpy_mlp([p.copy() for p in init], args.opt, lr),
              "minitf": tf1_mlp(minitf, init, args.opt, lr)}
    if args.with_tf:
        models["tf1"] = tf1_mlp(_common.real_tf1(), init, args.opt, lr)

    _common.compare_training(f"mlp_{args.opt}", models, (x_train, y_train, x_test, y_test), order, args.block,
                             "s/epoch", 600)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""TF1's "MNIST for ML beginners" (softmax regression 784 -> 10): minitf vs hand-written numpy.

    python benchmarks/softmax_tutorial.py               # mnist_softmax.py's loss (..._with_logits_v2)
    python benchmarks/softmax_tutorial.py --loss naive  # the tutorial's -reduce_sum(y_ * log(softmax(y)))
    tfvenv/bin/python benchmarks/softmax_tutorial.py --with-tf

W and b start at zero; GradientDescentOptimizer(0.5); 1000 steps of batch 100; about 92 % test
accuracy.  The model is tiny, so this measures the cost of a step, not the matmuls: µs per step,
each system's steps interleaved with the others' in blocks.
"""
from __future__ import annotations

import argparse

import numpy as np

import _common


def numpy_softmax(lr: float):
    W = np.zeros((784, 10), np.float32)
    b = np.zeros(10, np.float32)
    lr = np.float32(lr)

    def step(xb, yb):
        logits = xb @ W + b
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.sum(yb * (np.log(s) - z), axis=1))  # noqa: F841  (minitf computes it too)
        d = (e / s - yb) / np.float32(xb.shape[0])
        W.__isub__(lr * (xb.T @ d))
        b.__isub__(lr * d.sum(axis=0))

    def accuracy(x_test, y_test):
        return float(np.mean((x_test @ W + b).argmax(axis=1) == y_test))

    return step, accuracy


def tf1_softmax(tf, lr: float, loss: str):
    """The tutorial's code, unchanged."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y_ = tf.placeholder(tf.float32, [None, 10])
        if loss == "naive":
            y = tf.nn.softmax(tf.matmul(x, W) + b)
            cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
        else:
            y = tf.matmul(x, W) + b
            cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
        train_step = tf.train.GradientDescentOptimizer(lr).minimize(cross_entropy)
        predicted = tf.argmax(y, 1)
        sess = _common.tf_session(tf)
        sess.run(tf.global_variables_initializer())

    return _common.session_model(sess, train_step, predicted, x, y_)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loss", choices=["logits", "naive"], default="logits")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--block", type=int, default=50)
    ap.add_argument("--with-tf", action="store_true", help="also real TF1 (needs tensorflow installed)")
    args = ap.parse_args()

    import minitf

    x_train, y_train, x_test, y_test = _common.load_mnist()
    order = _common.batch_order(len(x_train), 100, args.steps)
    models = {"numpy": numpy_softmax(0.5), "minitf": tf1_softmax(minitf, 0.5, args.loss)}
    if args.with_tf:
        models["tf1"] = tf1_softmax(_common.real_tf1(), 0.5, args.loss)

    _common.compare_training(f"softmax_{args.loss}", models, (x_train, y_train, x_test, y_test), order, args.block,
                             "us/step", 1e6)


if __name__ == "__main__":
    main()

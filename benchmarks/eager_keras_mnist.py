#!/usr/bin/env python3
"""The seed's Keras model on MNIST: ``model.fit`` (minitf.v2) beside the same model as a TF1 Session loop.

    python benchmarks/eager_keras_mnist.py                  # 5 epochs of 60 000 images, batch 32
    python benchmarks/eager_keras_mnist.py --epochs 1 --eager   # also an eager GradientTape loop
    $TF2_PYTHON benchmarks/eager_keras_mnist.py --with-tf2      # also real TensorFlow 2's Keras

The model is seed 002's: ``Flatten -> Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax)``, Adam
(learning rate 0.001, epsilon 1e-7), sparse categorical cross entropy, batches of 32 shuffled every
epoch.  Every system starts from the same initial weights; the epochs alternate (Keras epoch 1,
Session epoch 1, ..., then epoch 2), so a busy spell of the machine slows all alike.  Prints seconds
per epoch and the test accuracy after each epoch.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import _common


def keras_model(tf, seed: int = 0):
    """The seed's model in ``tf.keras`` (minitf.v2's or TensorFlow 2's), compiled as the seed does."""
    tf.random.set_seed(seed)
    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(512, activation=tf.nn.relu),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def keras_system(model, x_train, y_train, x_test, y_test):
    """(one epoch of ``fit``, test accuracy)."""
    def epoch():
        model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)

    def accuracy():
        return float(model.evaluate(x_test, y_test, batch_size=1000, verbose=0)[1])

    return epoch, accuracy


def session_system(tf1, weights, x_train, y_train, x_test, y_test):
    """The same model and training as TF1 code: placeholders, tf.layers, AdamOptimizer, a Session loop."""
    graph = tf1.Graph()
    with graph.as_default():
        x = tf1.placeholder(tf1.float32, [None, 28, 28])
        y = tf1.placeholder(tf1.int64, [None])
        training = tf1.placeholder_with_default(False, [])
        kernel1, bias1, kernel2, bias2 = (tf1.constant_initializer(w) for w in weights)
        hidden = tf1.layers.dense(tf1.reshape(x, [-1, 784]), 512, tf1.nn.relu, kernel_initializer=kernel1,
                                  bias_initializer=bias1)
        hidden = tf1.layers.dropout(hidden, 0.2, training=training)
        logits = tf1.layers.dense(hidden, 10, kernel_initializer=kernel2, bias_initializer=bias2)
        loss = tf1.reduce_mean(tf1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf1.train.AdamOptimizer(0.001, epsilon=1e-7).minimize(loss)
        correct = tf1.reduce_mean(tf1.cast(tf1.equal(tf1.argmax(logits, 1), y), tf1.float32))
        sess = tf1.Session()
        sess.run(tf1.global_variables_initializer())

    def epoch():
        order = np.random.permutation(len(x_train))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            sess.run(train, {x: x_train[batch], y: y_train[batch], training: True})

    def accuracy():
        return float(sess.run(correct, {x: x_test, y: y_test}))

    return epoch, accuracy


def eager_system(tf, weights, x_train, y_train, x_test, y_test):
    """The same model as an eager loop: variables, GradientTape, Keras's Adam -- no graph at all."""
    params = [tf.Variable(w) for w in weights]
    optimizer = tf.keras.optimizers.Adam(0.001)

    def forward(x, training):
        w1, b1, w2, b2 = params
        hidden = tf.nn.relu(tf.matmul(tf.reshape(x, [-1, 784]), w1) + b1)
        if training:
            hidden = tf.nn.dropout(hidden, 0.2)
        return tf.matmul(hidden, w2) + b2

    def epoch():
        order = np.random.permutation(len(x_train))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            with tf.GradientTape() as tape:
                logits = forward(x_train[batch], True)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y_train[batch], logits))
            optimizer.apply_gradients(zip(tape.gradient(loss, params), params))

    def accuracy():
        return float(np.mean(np.argmax(forward(x_test, False).numpy(), 1) == y_test))

    return epoch, accuracy


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--eager", action="store_true", help="also an eager GradientTape loop (slower)")
    ap.add_argument("--with-tf2", action="store_true", help="also real TensorFlow 2's Keras (needs tensorflow)")
    args = ap.parse_args()

    import minitf
    import minitf.v2

    x_train, y_train_1hot, x_test, y_test = _common.load_mnist()
    x_train, x_test = x_train.reshape(-1, 28, 28), x_test.reshape(-1, 28, 28)
    y_train = y_train_1hot.argmax(1).astype(np.int64)
    data = (x_train, y_train, x_test, y_test)

    model = keras_model(minitf.v2)
    weights = model.get_weights()
    systems = {"keras": keras_system(model, *data), "session": session_system(minitf, weights, *data)}
    if args.eager:
        systems["eager"] = eager_system(minitf.v2, weights, *data)
    if args.with_tf2:
        from eager_dispatch import real_tf2

        tf2_model = keras_model(real_tf2())
        tf2_model.set_weights(weights)
        systems["tf2_keras"] = keras_system(tf2_model, *data)

    np.random.seed(0)
    result = {"bench": "eager_keras_mnist", "epochs": args.epochs, "systems": {n: {"s_per_epoch": [],
                                                                                  "test_acc": []}
                                                                              for n in systems}}
    for epoch in range(args.epochs):
        for name, (train_epoch, accuracy) in systems.items():
            t0 = time.perf_counter()
            train_epoch()
            row = result["systems"][name]
            row["s_per_epoch"].append(round(time.perf_counter() - t0, 2))
            row["test_acc"].append(round(accuracy(), 4))
            print(f"epoch {epoch + 1}  {name:9s} {row['s_per_epoch'][-1]:7.2f} s   test acc {row['test_acc'][-1]:.4f}",
                  flush=True)
    for name, row in result["systems"].items():
        row["median_s_per_epoch"] = float(np.median(row["s_per_epoch"]))
        print(f"{name:9s} median {row['median_s_per_epoch']:.2f} s/epoch   final test acc {row['test_acc'][-1]:.4f}")
    _common.emit(result)


if __name__ == "__main__":
    main()

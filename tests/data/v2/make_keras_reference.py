"""Write keras_reference.json: what real TensorFlow 2 / Keras computes for a few fixed problems.

Run with an interpreter that has TensorFlow 2 (the file is committed; tests only read it):

    $TF2_PYTHON tests/data/v2/make_keras_reference.py

It records the weights after three steps of each optimizer from fixed weights and gradients,
the Keras losses of fixed predictions, and a small Dense model's outputs for fixed weights.
"""
import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = Path(__file__).resolve().parent
rng = np.random.default_rng(0)
w0 = rng.normal(size=(3, 2)).astype(np.float32)
grads = [rng.normal(size=(3, 2)).astype(np.float32) for _ in range(3)]

OPTIMIZERS = {
    "adam": lambda: tf.keras.optimizers.Adam(0.01),
    "sgd": lambda: tf.keras.optimizers.SGD(0.1),
    "sgd_momentum": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
    "sgd_nesterov": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "rmsprop": lambda: tf.keras.optimizers.RMSprop(0.01),
    "rmsprop_momentum": lambda: tf.keras.optimizers.RMSprop(0.01, momentum=0.5),
    "rmsprop_centered": lambda: tf.keras.optimizers.RMSprop(0.01, centered=True),
}
steps = {}
for name, make in OPTIMIZERS.items():
    var, opt = tf.Variable(w0), make()
    for g in grads:
        opt.apply_gradients([(tf.constant(g), var)])
    steps[name] = var.numpy().tolist()

probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]], np.float32)
labels = np.array([0, 2, 2])
losses = {
    "sparse_categorical_crossentropy": float(tf.keras.losses.SparseCategoricalCrossentropy()(labels, probs)),
    "categorical_crossentropy": float(tf.keras.losses.CategoricalCrossentropy()(np.eye(3)[labels], probs)),
    "sparse_from_logits": float(tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, probs)),
    "binary_crossentropy": float(tf.keras.losses.BinaryCrossentropy()(np.array([[1.], [0.], [1.]]), probs[:, :1])),
    "mse": float(tf.keras.losses.MeanSquaredError()(np.eye(3)[labels], probs)),
}

x = rng.normal(size=(4, 3)).astype(np.float32)
dense = tf.keras.layers.Dense(2, activation="relu")
dense.build((None, 3))
dense.set_weights([w0, np.array([0.5, -0.5], np.float32)])
json.dump({"w0": w0.tolist(), "grads": [g.tolist() for g in grads], "steps": steps, "probs": probs.tolist(),
           "labels": labels.tolist(), "losses": losses, "x": x.tolist(), "dense_relu": dense(x).numpy().tolist(),
           "tensorflow": tf.__version__},
          open(HERE / "keras_reference.json", "w"))
print("wrote", HERE / "keras_reference.json", "with TensorFlow", tf.__version__)

"""``tf.keras`` in a TF1 program: Keras's data helpers, for TF1 code that loads MNIST with them.

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    y_train = tf.keras.utils.to_categorical(y_train, 10)     # one-hot rows for a softmax

Keras's layers and models are TensorFlow 2's way (``minitf.v2``, notebook 08); in a TF1 graph the
model is built with ``tf.layers`` and trained in a ``tf.Session``.
"""
from __future__ import annotations

import numpy as np

from . import tf1_api
from .datasets import mnist as _mnist


def to_categorical(y, num_classes=None, dtype="float32") -> np.ndarray:
    """``[2, 0] -> [[0, 0, 1], [1, 0, 0]]``: one row per label, 1 at the label's column."""
    y = np.asarray(y, dtype=np.int64)
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y[..., 0]
    num_classes = int(y.max()) + 1 if num_classes is None else int(num_classes)
    return np.eye(num_classes, dtype=dtype)[y]


datasets = tf1_api.module("tf.keras.datasets", mnist=tf1_api.module("tf.keras.datasets.mnist",
                                                                    load_data=_mnist.load_data))
utils = tf1_api.module("tf.keras.utils", to_categorical=to_categorical)

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other tf.keras names: a clear error

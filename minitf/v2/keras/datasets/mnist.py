"""``tf.keras.datasets.mnist.load_data()``: the MNIST digits as four numpy arrays.

>>> (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
>>> x_train.shape, x_train.dtype, y_train[:3]
((60000, 28, 28), dtype('uint8'), array([5, 0, 4], dtype=uint8))

The files are found and checked as TF1's ``input_data.read_data_sets`` finds them
(``minitf/datasets/mnist.py``): in ``$MNIST_DIR`` if it holds them, else downloaded once (with
SHA-256 checks) into ``~/.keras/datasets/mnist`` (``$KERAS_HOME/datasets/mnist``).
"""
from __future__ import annotations

import os
from pathlib import Path

from ....datasets import mnist as mnist_files


def _cache_dir() -> Path:
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home) / "datasets" / "mnist"


def load_data(path: str = "mnist.npz"):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images ``(n, 28, 28)`` (0..255) and uint8 labels."""
    return mnist_files.load_arrays(_cache_dir())

"""``tf.keras.datasets.mnist.load_data()``: the MNIST digits as four numpy arrays (``minitf/datasets/mnist.py``).

>>> (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
"""
from ....datasets.mnist import load_data  # noqa: F401

"""``tf.keras.datasets``: small data sets as numpy arrays (only MNIST here)."""
from . import mnist  # noqa: F401

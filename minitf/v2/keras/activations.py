"""``tf.keras.activations``: an activation by name (``'relu'``) or as a function."""
from __future__ import annotations

from ...ops.math_ops import sigmoid, tanh
from ...ops.nn_ops import elu, relu, softmax, softplus


def linear(x):
    return x


_BY_NAME = {"relu": relu, "softmax": softmax, "sigmoid": sigmoid, "tanh": tanh, "elu": elu, "softplus": softplus,
            "linear": linear}


def get(identifier):
    """The activation function ``identifier`` names (None and ``'linear'`` are the identity)."""
    if identifier is None:
        return None
    if callable(identifier):
        return identifier
    if identifier not in _BY_NAME:
        raise ValueError(f"Unknown activation function: '{identifier}'. Choose one of {sorted(_BY_NAME)}.")
    return _BY_NAME[identifier]


def serialize(activation) -> str:
    """The name of an activation (``'relu'``), as ``summary`` and ``get_config`` show it."""
    for name, fn in _BY_NAME.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", "linear") if activation is not None else "linear"

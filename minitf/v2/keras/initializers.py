"""``tf.keras.initializers``: TF1's initializers (``minitf/init_ops.py``) under Keras's names and defaults.

Keras's defaults differ from TF1's in two places: ``RandomNormal`` has stddev 0.05 (TF1: 1.0)
and ``RandomUniform`` draws from [-0.05, 0.05) (TF1: [0, 1)).
"""
from __future__ import annotations

from ... import init_ops
from ...init_ops import (  # noqa: F401
    Constant, GlorotNormal, GlorotUniform, Identity, Initializer, Ones, TruncatedNormal, VarianceScaling, Zeros,
    he_normal, he_uniform,
)


class RandomNormal(init_ops.RandomNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(mean, stddev, seed)


class RandomUniform(init_ops.RandomUniform):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(minval, maxval, seed)


_BY_NAME = {"glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "he_normal": he_normal,
            "he_uniform": he_uniform, "zeros": Zeros, "ones": Ones, "random_normal": RandomNormal,
            "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal, "identity": Identity,
            "constant": Constant}


def get(identifier):
    """An initializer from a name (``'he_normal'``), a class, or an initializer object (None: Glorot uniform)."""
    if identifier is None:
        return GlorotUniform()
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown initializer: '{identifier}'. Choose one of {sorted(_BY_NAME)}.")
        return _BY_NAME[identifier]()
    if isinstance(identifier, type):
        return identifier()
    return identifier


zeros, ones, glorot_uniform, glorot_normal = Zeros, Ones, GlorotUniform, GlorotNormal

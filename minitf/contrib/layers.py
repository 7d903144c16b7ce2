"""tf.contrib.layers: Xavier initialisation, regularizers and ``fully_connected`` as TF1 tutorials use them.

>>> W = tf.get_variable("W", [784, 256], initializer=tf.contrib.layers.xavier_initializer())
"""
from __future__ import annotations

import math

from .. import dtypes, init_ops, tf1_api
from ..graph import GraphKeys, name_scope
from ..layers import flatten  # noqa: F401  (tf.contrib.layers.flatten)
from ..ops import nn_ops, random_ops
from ..ops.base import convert_to_tensor
from ..ops.math_ops import abs_, matmul, multiply, reduce_sum
from ..variables import get_variable, variable_scope


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=dtypes.float32):
    """Draws with variance ``factor / n`` (n = fan in, fan out or their average) -- He et al. by default.

    Uniform: ``U(-l, l)`` with ``l = sqrt(3 * factor / n)``; otherwise a normal truncated at two
    standard deviations with stddev ``sqrt(1.3 * factor / n)`` (contrib's own constant).
    """
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    if not dtypes.as_dtype(dtype).is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")

    def initializer(shape, dtype=dtype, partition_info=None):
        fan_in, fan_out = init_ops.fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return random_ops.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)

    return initializer


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Glorot & Bengio's initialisation: ``U(-l, l)``, ``l = sqrt(6 / (fan_in + fan_out))``."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer


def _regularizer(scale, scope_name, penalty):
    if scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")
    if scale == 0.0:
        return lambda weights: None

    def regularize(weights, name=None):
        with name_scope(name, scope_name, [weights]) as scope:
            scale_t = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(scale_t, penalty(weights), name=scope)

    return regularize


def l2_regularizer(scale, scope=None):
    """A function ``weights -> scale * sum(weights**2) / 2`` for ``get_variable(regularizer=...)``."""
    return _regularizer(scale, scope or "l2_regularizer", nn_ops.l2_loss)


def l1_regularizer(scale, scope=None):
    """A function ``weights -> scale * sum(|weights|)``."""
    return _regularizer(scale, scope or "l1_regularizer", lambda w: reduce_sum(abs_(w)))


def fully_connected(inputs, num_outputs, activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=xavier_initializer(), weights_regularizer=None,
                    biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """``activation_fn(inputs @ weights + biases)`` with variables ``fully_connected/weights`` and ``/biases``.

    Note the default activation: ReLU.
    """
    if normalizer_fn is not None:
        raise NotImplementedError("fully_connected(normalizer_fn=...) is not supported by minitf")
    collections = [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES] + list(variables_collections or [])
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims is None or inputs.shape[-1].value is None:
            raise ValueError(f"The last dimension of the inputs to fully_connected must be known: {inputs}")
        weights = get_variable("weights", [inputs.shape[-1].value, num_outputs], initializer=weights_initializer,
                               regularizer=weights_regularizer, trainable=trainable, collections=collections)
        outputs = matmul(inputs, weights)
        if biases_initializer is not None:
            biases = get_variable("biases", [num_outputs], initializer=biases_initializer,
                                  regularizer=biases_regularizer, trainable=trainable, collections=collections)
            outputs = nn_ops.bias_add(outputs, biases)
        return outputs if activation_fn is None else activation_fn(outputs)

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error

"""Learning-rate schedules: tensors that depend on the global step (notebook 05).

>>> step = tf.train.get_or_create_global_step()
>>> lr = tf.train.exponential_decay(0.1, step, decay_steps=1000, decay_rate=0.96)
>>> tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=step)
"""
from __future__ import annotations

from ..graph import name_scope
from ..ops.array_ops import where
from ..ops.base import convert_to_tensor
from ..ops.math_ops import cast, divide, floor, less_equal, multiply, pow_


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (the exponent floored with ``staircase``)."""
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step, decay_steps, decay_rate]) as scope:
        learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = learning_rate.dtype.base_dtype
        p = divide(cast(global_step, dtype), cast(decay_steps, dtype))
        if staircase:
            p = floor(p)
        return multiply(learning_rate, pow_(cast(decay_rate, dtype), p), name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """``values[0]`` while ``x <= boundaries[0]``, then ``values[1]`` up to ``boundaries[1]``... and ``values[-1]``."""
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name, "PiecewiseConstant", [x]):
        x = convert_to_tensor(x)
        values = [convert_to_tensor(v) for v in values]
        result = values[-1]
        for boundary, value in zip(reversed(boundaries), reversed(values[:-1])):
            result = where(less_equal(x, convert_to_tensor(boundary, dtype=x.dtype.base_dtype)), value, result)
        return result

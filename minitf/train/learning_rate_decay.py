"""Learning-rate schedules: tensors that depend on the global step (notebook 05).

>>> step = tf.train.get_or_create_global_step()
>>> lr = tf.train.exponential_decay(0.1, step, decay_steps=1000, decay_rate=0.96)
>>> tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=step)
"""
from __future__ import annotations

import math

from ..graph import name_scope
from ..ops.array_ops import where
from ..ops.base import convert_to_tensor
from ..ops.math_ops import (add, cast, ceil, cos, divide, equal, exp, floor, less_equal, minimum, multiply, pow_,
                            reciprocal, subtract)


def _decayed(schedule, name, default_name, learning_rate, global_step, decay_steps, decay):
    """``learning_rate * decay(step, decay_steps)``, the three as tensors of the learning rate's dtype."""
    if global_step is None:
        raise ValueError(f"global_step is required for {schedule}.")
    with name_scope(name, default_name, [learning_rate, global_step, decay_steps]) as scope:
        learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = learning_rate.dtype.base_dtype
        return multiply(learning_rate, decay(cast(global_step, dtype), cast(decay_steps, dtype)), name=scope)


def _progress(step, decay_steps, staircase):
    """How many ``decay_steps`` have passed (whole ones with ``staircase``)."""
    p = divide(step, decay_steps)
    return floor(p) if staircase else p


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (the exponent floored with ``staircase``)."""
    return _decayed("exponential_decay", name, "ExponentialDecay", learning_rate, global_step, decay_steps,
                    lambda step, steps: pow_(cast(decay_rate, step.dtype), _progress(step, steps, staircase)))


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)`` (the exponent floored with ``staircase``)."""
    return _decayed("natural_exp_decay", name, "NaturalExpDecay", learning_rate, global_step, decay_steps,
                    lambda step, steps: exp(multiply(-decay_rate, _progress(step, steps, staircase))))


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)`` (floored with ``staircase``)."""
    return _decayed("inverse_time_decay", name, "InverseTimeDecay", learning_rate, global_step, decay_steps,
                    lambda step, steps: reciprocal(add(1.0, multiply(decay_rate, _progress(step, steps, staircase)))))


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """``learning_rate`` times half a cosine wave from 1 down to ``alpha`` over ``decay_steps``, then ``alpha``."""
    def decay(step, steps):
        cosine = multiply(0.5, add(1.0, cos(multiply(math.pi, divide(minimum(step, steps), steps)))))
        return add(multiply(1.0 - alpha, cosine), alpha)

    return _decayed("cosine_decay", name, "CosineDecay", learning_rate, global_step, decay_steps, decay)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                     name=None):
    """From ``learning_rate`` down to ``end_learning_rate`` along ``(1 - step / decay_steps) ** power``, then
    ``end_learning_rate``; with ``cycle`` the decay restarts, over a multiple of ``decay_steps``, each time."""
    if global_step is None:
        raise ValueError("global_step is required for polynomial_decay.")
    with name_scope(name, "PolynomialDecay", [learning_rate, global_step, decay_steps, end_learning_rate, power]) \
            as scope:
        learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = learning_rate.dtype.base_dtype
        end = cast(end_learning_rate, dtype)
        step, steps = cast(global_step, dtype), cast(decay_steps, dtype)
        if cycle:   # the first multiple of decay_steps at or after the step (1 at step 0)
            steps = multiply(steps, where(equal(step, 0.0), 1.0, ceil(divide(step, steps))))
        else:
            step = minimum(step, steps)
        fraction = pow_(subtract(1.0, divide(step, steps)), cast(power, dtype))
        return add(multiply(subtract(learning_rate, end), fraction), end, name=scope)


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

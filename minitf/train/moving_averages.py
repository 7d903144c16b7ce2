"""tf.train.ExponentialMovingAverage: shadow variables that trail other values (notebook 07's idea of
evaluating with averaged weights).

``ema.apply([w, loss])`` makes, for each variable or tensor, a shadow variable ``w/ExponentialMovingAverage``
and returns the op that moves every shadow toward its value: ``shadow -= (shadow - value) * (1 - decay)``.
Run that op after each training step; evaluate with ``ema.average(w)``, or restore the averages into
the model's own variables with ``tf.train.Saver(ema.variables_to_restore())``.
"""
from __future__ import annotations

from .. import dtypes
from ..graph import GraphKeys, add_to_collection, name_scope
from ..init_ops import zeros_initializer
from ..ops.base import convert_to_tensor
from ..ops.control_flow_ops import group
from ..ops.math_ops import cast, divide, minimum, multiply, subtract
from ..ops.state_ops import assign_sub
from ..variables import get_variable, global_variables, moving_average_variables, trainable_variables, variable_scope


class ExponentialMovingAverage:
    """``tf.train.ExponentialMovingAverage(decay)``; with ``num_updates`` (a step counter) the decay is
    at most ``(1 + num_updates) / (10 + num_updates)``, so early averages follow the values faster."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        if zero_debias:
            raise NotImplementedError("minitf's ExponentialMovingAverage has no zero_debias: averages start at the "
                                      "variables' initial values (or 0 for tensors)")
        self._decay, self._num_updates, self._name = decay, num_updates, name
        self._averages: dict = {}

    name = property(lambda self: self._name)

    def apply(self, var_list=None):
        """Create the shadow variables of ``var_list`` (the trainable variables by default) and return
        the op that updates them all."""
        var_list = trainable_variables() if var_list is None else list(var_list)
        for var in var_list:
            if var.dtype.base_dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if var in self._averages:
                raise ValueError(f"Moving average already computed for: {var.name}")
            is_variable = hasattr(var, "initialized_value")
            with variable_scope(None, default_name=f"{var.op.name}/{self._name}"):
                if is_variable:   # the shadow starts where the variable starts (the same draw, when random)
                    self._averages[var] = get_variable("", initializer=var.initial_value, trainable=False)
                else:
                    self._averages[var] = get_variable("", shape=var.shape, dtype=var.dtype.base_dtype,
                                                       initializer=zeros_initializer(), trainable=False)
            if is_variable:
                add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
        with name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, name="decay")
            if self._num_updates is not None:
                num_updates = cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = minimum(decay, divide(1.0 + num_updates, 10.0 + num_updates))
            updates = [assign_moving_average(self._averages[var], var, decay) for var in var_list]
            return group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of ``var`` (None if ``apply`` did not make one)."""
        return self._averages.get(var)

    def average_name(self, var) -> str:
        """The name the shadow of ``var`` has (in checkpoints too): ``<var's op name>/<name>``."""
        return f"{var.op.name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """A Saver's ``var_list`` that loads each averaged variable from its shadow's name, and every
        other global variable from its own: evaluation then runs with the averaged weights."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + moving_average_variables()
        averaged = list(dict.fromkeys(moving_avg_variables))
        name_map = {self.average_name(v): v for v in averaged}
        for v in global_variables():
            if v not in averaged and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map


def assign_moving_average(shadow, value, decay):
    """``shadow -= (shadow - value) * (1 - decay)``, named ``AssignMovingAvg`` as in TF1."""
    with name_scope(None, "AssignMovingAvg", [shadow, value, decay]) as scope:
        step = cast(subtract(1.0, decay), shadow.dtype.base_dtype, name="decay")
        return assign_sub(shadow, multiply(subtract(shadow, value), step), name=scope)

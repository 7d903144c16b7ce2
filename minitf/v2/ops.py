"""TF2 functions whose eager form differs from TF1's: Python control flow, printing values, tf.gradients.

Eagerly, ``tf.cond`` calls the branch its predicate picks and ``tf.while_loop`` is a Python loop;
inside a ``tf.function`` they build TF1's ``cond`` and ``while_loop`` ops.
"""
from __future__ import annotations

import sys

from ..gradients import gradients as tf1_gradients
from ..graph import Tensor
from ..ops import control_flow_ops, logging_ops
from .eager import executing_eagerly
from .variables import Variable


def is_tensor(x) -> bool:
    """``tf.is_tensor``: a Tensor (eager or in a graph) or a Variable."""
    return isinstance(x, (Tensor, Variable))


def print_(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\n", name=None):
    """``tf.print``: TF1's two ops (``logging_ops.print_v2``); eagerly they print at once, inside a
    tf.function each time the function runs."""
    printed = logging_ops.print_v2(*inputs, output_stream=output_stream, summarize=summarize, sep=sep, end=end,
                                   name=name)
    return None if executing_eagerly() else printed


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``tf.cond``: eagerly, call the branch ``pred`` picks; inside a tf.function, TF1's ``tf.cond``."""
    if executing_eagerly():
        return true_fn() if bool(pred) else false_fn()
    return control_flow_ops.cond(pred, true_fn, false_fn, name=name)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, maximum_iterations=None, name=None):
    """``tf.while_loop``: eagerly, a Python loop; inside a tf.function, TF1's ``tf.while_loop``."""
    if not executing_eagerly():
        return control_flow_ops.while_loop(cond, body, loop_vars, shape_invariants, parallel_iterations, back_prop,
                              swap_memory, maximum_iterations=maximum_iterations, name=name)
    values, steps = list(loop_vars), 0
    while bool(cond(*values)) and (maximum_iterations is None or steps < maximum_iterations):
        result = body(*values)
        values, steps = list(result) if isinstance(result, (list, tuple)) else [result], steps + 1
    return type(loop_vars)(values) if isinstance(loop_vars, (list, tuple)) else values[0]


def gradients(ys, xs, grad_ys=None, name="gradients", **kwargs):
    """``tf.gradients`` works only inside a tf.function (a graph): eagerly, use tf.GradientTape."""
    if executing_eagerly():
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape "
                           "instead.")
    return tf1_gradients(ys, xs, grad_ys, name, **kwargs)

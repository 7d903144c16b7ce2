"""TF2 functions whose eager form differs from TF1's: Python control flow, printing values, tf.gradients.

Eagerly, ``tf.cond`` calls the branch its predicate picks and ``tf.while_loop`` is a Python loop;
inside a ``tf.function`` they build TF1's ``cond`` and ``while_loop`` ops.
"""
from __future__ import annotations

import sys

from ..gradients import gradients as tf1_gradients
from ..graph import Tensor
from ..ops import control_flow_ops
from .eager import EagerTensor, executing_eagerly
from .variables import Variable


def is_tensor(x) -> bool:
    """``tf.is_tensor``: a Tensor (eager or in a graph) or a Variable."""
    return isinstance(x, (Tensor, Variable))


def print_(*inputs, sep=" ", end="\n", output_stream=None, summarize=3):
    """``tf.print``: print the values of tensors (as numpy prints them) and other values as they are.

    Eagerly it prints at once; inside a tf.function it adds an op that prints each time the
    function runs (a ``py_func``, which a traced function always runs).
    """
    def show(*values):
        print(*[str(value) for value in values], sep=sep, end=end, file=output_stream or sys.stdout)
        return []

    if executing_eagerly():
        show(*[x.numpy() if isinstance(x, (EagerTensor, Variable)) else x for x in inputs])
        return None
    tensors = [i for i, x in enumerate(inputs) if isinstance(x, (Tensor, Variable))]

    def show_in_graph(*arrays):
        values = list(inputs)
        for i, array in zip(tensors, arrays):
            values[i] = array
        return show(*values)

    return control_flow_ops.py_func(show_in_graph, [inputs[i] for i in tensors], [], name="PrintV2")


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

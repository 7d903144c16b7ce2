"""The global step: a counter variable that training ops advance, one per step (notebook 05).

``minimize(loss, global_step=step)`` adds 1 to it after each update; learning-rate schedules
(``exponential_decay``) and ``Saver.save(..., global_step=step)`` read it.
"""
from __future__ import annotations

from .. import dtypes, init_ops
from ..graph import GraphKeys, get_default_graph
from ..variables import get_variable


def get_global_step(graph=None):
    """The global step variable of ``graph`` (from the ``global_step`` collection), or None."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        raise ValueError("Multiple tensors in global_step collection.")
    if found:
        return found[0]
    try:
        return graph.get_tensor_by_name("global_step:0")
    except (KeyError, ValueError):
        return None


def create_global_step(graph=None):
    """A new int64 scalar variable ``global_step`` (0, not trainable) in the ``global_step`` collection."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                            initializer=init_ops.zeros_initializer(), trainable=False,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """``tf.train.get_or_create_global_step``: the graph's global step, made on first use."""
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def global_step(sess, global_step_tensor) -> int:
    """The current value of the global step in ``sess``, as a Python int."""
    return int(sess.run(global_step_tensor))

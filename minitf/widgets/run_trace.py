"""What one ``sess.run`` does, op by op: the model behind RunStepper (notebook 03).

``trace_run(sess, fetches, feed_dict)`` is ``sess.run(fetches, feed_dict)`` -- the same pruning,
the same plan, ONE run, the same result -- traced with TF1's ``RunOptions(trace_level=FULL_TRACE)``,
whose step stats keep a copy of every value as each op produces it.  Copies taken during the run
matter: a variable's value seen before an ``Assign`` later in the same run is the old one, as the
op that read it saw it.

>>> x = tf.Variable(1.0, name="x"); bump = tf.assign(x, x + 1)
>>> sess.run(x.initializer)
>>> trace = trace_run(sess, bump)
>>> [(op.name, float(trace.values[op][0])) for op in trace.ops]
[('x', 1.0), ('x/read', 1.0), ('add/y', 1.0), ('add', 2.0), ('Assign', 2.0)]

``current_value`` answers "what is this op's value now?" for a clicked box, but only where
computing it changes nothing: it never runs an ``Assign``, a random op or anything else with a
side effect.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import dtypes, errors
from ..graph import Operation
from ..ops.base import Op
from ..session import RunMetadata, RunOptions, ops_to_run


@dataclass
class RunTrace:
    """One run: the ops it executed in order, what each produced, what was fed, what run returned."""

    ops: list           # the Operations executed, in execution order (the pruned graph)
    values: dict        # Operation -> list of its output values (numpy), as produced
    feeds: dict         # fed Tensor -> the fed value
    result: object      # what sess.run(fetches, feed_dict) returned


def trace_run(session, fetches, feed_dict=None) -> RunTrace:
    """Run ``session.run(fetches, feed_dict)`` once, recording every op's outputs as it runs."""
    feed_dict = feed_dict or {}
    metadata = RunMetadata()
    result = session.run(fetches, feed_dict, options=RunOptions(trace_level=RunOptions.FULL_TRACE),
                         run_metadata=metadata)
    graph = session.graph
    stats = metadata.step_stats.dev_stats[0].node_stats
    ops = [graph.get_operation_by_name(node.node_name) for node in stats]
    values = {op: [out.value for out in node.output] for op, node in zip(ops, stats)}
    feeds = {}
    for key, value in feed_dict.items():
        tensor = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        dtype = tensor.dtype.base_dtype
        feeds[tensor] = dtypes.infer_numpy(value, dtype) if dtype == dtypes.string else np.asarray(
            value, dtype.as_numpy_dtype)
    return RunTrace(ops, values, feeds, result)


def is_side_effect_free(op: Operation) -> bool:
    """True if running ``op`` changes nothing: a pure computation, or a read of a stored value."""
    kind = op.kind
    return type(kind).kernel is Op.kernel or (kind.returns_stored and not kind.ref_inputs)


def current_value(session, op: Operation) -> list | str:
    """The values of ``op``'s outputs in ``session`` now, or a sentence saying why there are none."""
    changing = [o for o in ops_to_run(op, graph=session.graph) if not is_side_effect_free(o)]
    if changing:
        return (f"Not computed here: running it would also run {changing[0].name} ({changing[0].type}), "
                f"which changes the session's state. Use RunStepper to see a run.")
    try:
        return session.run(list(op.outputs))
    except RuntimeError:
        return "The session is closed."
    except errors.OpError as e:
        return f"{type(e).__name__}: {e.message.splitlines()[0]}"


def value_text(value) -> str:
    """A value as ``print(sess.run(t))`` shows it, shortened to a few rows for big arrays."""
    value = np.asarray(value)
    with np.printoptions(threshold=48, edgeitems=3, precision=4, linewidth=72):
        return str(value[()] if value.ndim == 0 else value)

"""tf.gradients: reverse-mode automatic differentiation by adding ops to the graph (notebook 05).

``tf.gradients(loss, [W, b])`` walks the graph backwards from ``loss``.  For every op between
the ``xs`` and the ``ys`` it calls the op's registered gradient function, which *builds new
ops* (``gradients/MatMul_grad/MatMul``...).  The result is ordinary tensors: they can be
fetched, printed, drawn -- and differentiated again (gradients of gradients).

The walk, as in TF1:

1. find the ops *between* xs and ys: reachable forward from an x through float tensors,
   and backward from a y without crossing ``stop_gradients``;
2. seed each y with ``grad_ys`` (ones by default: ``gradients/Fill``);
3. visit those ops from the last created to the first (a reverse topological order); the
   gradients arriving at each output are summed (``AddN``) and handed to the op's gradient
   function, which returns one gradient per input (or None).
"""
from __future__ import annotations

from .graph import Operation, Tensor, name_scope
from .ops.array_ops import constant, fill, identity, zeros_like
from .ops.base import convert_to_tensor, gradient_function
from .ops.math_ops import add_n
from .ops.shape_ops import shape


def _as_tensor(x) -> Tensor:
    if hasattr(x, "_ref"):        # a Variable: differentiate with respect to its buffer
        return x._ref()
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"Expected a Tensor or Variable, got {x!r}")


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _differentiable(t: Tensor) -> bool:
    """Gradients flow only through float (and complex) tensors, as in TF1: not through ints or bools."""
    return t.dtype.is_floating or t.dtype.is_complex


def _between_ops(ys, xs, stop_ops: set) -> set:
    """The ops on a path from some x to some y, not going backwards through a stop op."""
    consumers: dict = {}
    for op in ys[0].graph.get_operations():
        for t in op.inputs:
            consumers.setdefault(t, []).append(op)
    reached, stack = set(), [x.op for x in xs]
    while stack:
        op = stack.pop()
        if op not in reached:
            reached.add(op)
            stack.extend(c for t in op.outputs if _differentiable(t) for c in consumers.get(t, []))
    between, stack = set(), [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in between or op not in reached:
            continue
        between.add(op)
        if op not in stop_ops:
            stack.extend(t.op for t in op.inputs)
    return between


def _default_grad_ys(ys, grad_ys) -> list:
    """``grad_ys`` as tensors: ones shaped like each y (``gradients/Fill``) where none is given."""
    out = []
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        if gy is None:
            if not _differentiable(y):
                raise TypeError(f"Gradients of {y.dtype.name} tensors are not defined: {y}")
            one = constant(1, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
            gy = fill(shape(y), one)
        else:
            gy = convert_to_tensor(gy, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
        out.append(gy)
    return out


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none") -> list:
    """``tf.gradients``: ``[d(sum of ys)/dx for x in xs]``; ``None`` for an x that ys do not depend on.

    ``stop_gradients`` are tensors treated as constants: gradients reach them but go no further.
    ``unconnected_gradients='zero'`` gives zeros instead of None.

    >>> x = tf.constant(3.0); y = x * x
    >>> tf.gradients(y, [x])     # x reaches y twice: the two gradients are summed; runs to 6.0
    [<tf.Tensor 'gradients/AddN:0' shape=() dtype=float32>]
    """
    ys = [_as_tensor(y) for y in _as_list(ys)]
    xs = [_as_tensor(x) for x in _as_list(xs)]
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    if unconnected_gradients not in ("none", "zero"):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    stop_ops = {_as_tensor(s).op for s in _as_list(stop_gradients or [])}
    graph = ys[0].graph
    with graph.as_default(), name_scope(name, "gradients", ys + xs):
        grads: dict = {}
        for y, gy in zip(ys, _default_grad_ys(ys, grad_ys)):
            grads.setdefault(y, []).append(gy)
        for op in sorted(_between_ops(ys, xs, stop_ops), key=lambda o: -o.id):
            if op not in stop_ops:
                _backprop_op(op, grads, gate_gradients)
        results = [_total(grads.get(x)) for x in xs]
        if unconnected_gradients == "zero":
            results = [zeros_like(x) if g is None else g for g, x in zip(results, xs)]
        return results


def _backprop_op(op: Operation, grads: dict, gate: bool = False) -> None:
    """Sum the gradients arriving at ``op``'s outputs and send its input gradients further back."""
    if not op.inputs:
        return
    out_grads = [_total(grads.get(t)) for t in op.outputs]
    if all(g is None for g in out_grads):
        return
    try:
        fn = gradient_function(op.type)
    except LookupError:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})") from None
    if fn is None:      # NotDifferentiable: nothing flows back
        return
    with name_scope(op.name + "_grad"):
        out_grads = [g if g is not None else zeros_like(t) for g, t in zip(out_grads, op.outputs)]
        in_grads = fn(op, *out_grads)
        if gate and sum(g is not None for g in in_grads) > 1:
            in_grads = _gated(in_grads)
    if len(in_grads) != len(op.inputs):
        raise ValueError(f"The gradient of {op.type} returned {len(in_grads)} gradients for "
                         f"{len(op.inputs)} inputs (op {op.name})")
    for t, g in zip(op.inputs, in_grads):
        if g is not None and _differentiable(t):
            grads.setdefault(t, []).append(g)


def _gated(in_grads: list) -> list:
    """TF1's ``gate_gradients`` (an optimizer's default): an op's input gradients pass through Identity
    ops in a ``tuple`` scope (``mul_grad/tuple/control_dependency_1``).  In TF1 each waits for all of
    them (a ``group_deps`` control input) so that threads never start on half an op's gradients; one
    thread runs minitf's ops in order, so only the ops and their names are kept."""
    with name_scope("tuple"):
        return [None if g is None else identity(g, name="control_dependency") for g in in_grads]


def _total(items):
    """The sum of the gradients arriving at one tensor (``AddN`` when there are several)."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return add_n(items)

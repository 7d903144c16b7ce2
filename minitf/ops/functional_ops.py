"""Higher-order functions: ``tf.map_fn``, ``tf.scan``, ``tf.foldl``, ``tf.foldr`` -- a Python function
applied to the elements of a tensor, one slice along the first dimension at a time.

    >>> images = tf.placeholder(tf.float32, [None, 28, 28, 1])
    >>> tf.map_fn(tf.image.per_image_standardization, images)   # shape=(?, 28, 28, 1): one call per image
    >>> tf.scan(lambda total, x: total + x, tf.constant([1, 2, 3]))  # running sums [1 3 6]

``fn`` is called once, while the graph is built: its ops are built into the graph (under
``map/while/``) reading one element (``map/while/TensorArrayReadV3:0``) and, for scan and the
folds, the accumulator.  One ``Scan`` op then runs them for every element in a nested session
run -- as ``tf.while_loop`` runs its body -- carrying the accumulator from step to step and stacking
what each step returns.  (TF1 builds the same loop from ``tf.while_loop`` and TensorArrays; the
tensors you get back carry TF1's names, ``map/TensorArrayStack/TensorArrayGatherV3:0``.)

``Scan`` is a ``While`` over the elements (control_flow_ops.py), and its gradient is the
while loop's, a ``WhileGrad`` op (named ``ScanGrad``) that walks the elements backwards: each step
runs the gradient of ``fn``'s ops (built once by ``tf.gradients``) for one element, hands the
accumulator's gradient to the step before, and sums the gradients of the tensors ``fn`` reads from
outside (weights, placeholders).  The accumulators are recomputed first, by running the steps forwards.
"""
from __future__ import annotations

import traceback

import numpy as np

from .. import dtypes, errors, logging, nest
from ..graph import Tensor, name_scope
from ..tensor_shape import Dimension, TensorShape
from .array_ops import concat, expand_dims, identity
from .base import convert_to_tensor, create_op
from .control_flow_ops import (
    LoopBody,
    While,
    as_step_tensor,
    captured_tensors,
    kernel_result,
    loop_var,
)


def _stack(values: list, tensor: Tensor) -> np.ndarray:
    """The steps' values of one output stacked along a new first dimension (TF1's TensorArrayGather)."""
    if not values:
        shape = tensor.shape
        if not shape.is_fully_defined():
            raise errors.UnimplementedError(
                None, None, f"TensorArray has size zero, but element shape {_shape_text(shape)} is not fully "
                "defined. Currently only static shapes are supported when packing zero-size TensorArrays.")
        return np.zeros([0] + shape.as_list(), tensor.dtype.base_dtype.as_numpy_dtype)
    first = np.shape(values[0])
    for i, v in enumerate(values):
        if np.shape(v) != first:
            raise errors.InvalidArgumentError(
                None, None, f"Could not write to TensorArray index {i} because the value shape is "
                f"{_shape_text(TensorShape(np.shape(v)))} which is incompatible with the TensorArray's inferred "
                f"element shape: {_shape_text(TensorShape(first))} (consider setting infer_shape=False).")
    return np.stack(values)


def _shape_text(shape: TensorShape) -> str:
    return "<unknown>" if shape.dims is None else "[" + ",".join(
        "?" if d.value is None else str(d.value) for d in shape.dims) + "]"


class Scan(While):
    """The loop of map_fn, scan and the folds: ``fn``'s ops run once per element.

    A ``While`` over the elements (its ``LoopBody`` has ``elements`` and no condition) that also
    stacks each step's outputs; its gradient is the While's (a ``WhileGrad`` op).  Inputs: the
    initial accumulators, the elems, the captured tensors.  Outputs: the final accumulators, then
    each of ``fn``'s per-step outputs stacked (``[n] + its shape``).
    """

    type = "Scan"

    def __init__(self, body: LoopBody, out_types, back_prop: bool, failure=None):
        super().__init__(body, back_prop)
        self._out_types, self._failure = out_types, failure
        self.num_outputs = len(out_types)

    def node_attrs(self, inputs):
        return {"T": [t.dtype.base_dtype for t in inputs], "reverse": self._body.reverse}

    def infer(self, *inputs):
        return self._out_types[0] if self.num_outputs == 1 else self._out_types

    def kernel(self, op, session):
        body = self._body

        def run_loop(*values):
            if self._failure and body.indices(body.split(values)[1]):   # TF1 fails at the first write
                raise errors.InvalidArgumentError(None, op, self._failure)   # of a value of another dtype
            carries, steps = body.run(session, values)
            if body.reverse:
                steps.reverse()
            stacked = [_stack([s[j] for s in steps], t) for j, t in enumerate(body.outputs)]
            return kernel_result(list(carries) + stacked)

        return run_loop


# ---- building the loop ----------------------------------------------------------------------
def _loop(step, initial: list, elems: list, n, reverse: bool, back_prop: bool, stacked_shapes: bool,
          output_dtypes=None, what: str = "scan"):
    """Build ``fn``'s ops and the ``Scan`` op that runs them; returns (final accumulators, stacked outputs).

    ``step(accumulators, elements)`` calls ``fn`` and returns (next accumulators, outputs to stack),
    flat.  ``output_dtypes`` are the dtypes the outputs must have (map_fn's ``dtype``); ``what``
    ("map", "scan" or "fold") picks TF1's checks of the accumulator.
    """
    graph = elems[0].graph
    scope = graph.get_name_scope() + "/"
    with graph.name_scope("while"):
        with graph.control_dependencies(None), graph.recording_ops() as body_ops:
            carries = [loop_var(t, f"Identity_{2 + j}") for j, t in enumerate(initial)]
            elements = [loop_var(e, "TensorArrayReadV3", _element_shape(e)) for e in elems]
            new_carries, outputs = step(carries, elements)
            new_carries = [as_step_tensor(v, c.dtype.base_dtype, body_ops) for v, c in zip(new_carries, carries)]
            dtypes_ = output_dtypes or [c.dtype.base_dtype for c in carries]
            outputs = [as_step_tensor(v, d, body_ops) for v, d in zip(outputs, dtypes_)]
        failure = None
        for j, (before, var, after) in enumerate(zip(initial, carries, new_carries)):
            failure = _check_accumulator(before, var, after, what, f"{scope}while", j) or failure
        for value, dtype in zip(outputs, dtypes_):
            failure = _check_dtype(value, dtype) or failure
        captured = captured_tensors(body_ops)
        out_types = [(c.dtype.base_dtype, c.shape) for c in carries] + [
            (d, TensorShape([n]).concatenate(y.shape) if stacked_shapes and y.shape.dims is not None
             else TensorShape(None)) for y, d in zip(outputs, dtypes_)]
        body = LoopBody(carries, new_carries, captured, elements, outputs, reverse=reverse)
        kind = Scan(body, out_types, back_prop, failure)
        results = create_op(kind, list(initial) + list(elems) + captured, "Exit").outputs
    return results[:len(carries)], results[len(carries):]


def _element_shape(elems: Tensor) -> TensorShape:
    return TensorShape(None) if elems.shape.dims is None else TensorShape(elems.shape.dims[1:])


def _check_dtype(value: Tensor, dtype) -> str | None:
    """TF1 logs an error when a step's output has another dtype than its TensorArray, and fails when
    it runs: the message the run fails with, or None."""
    if value.dtype.base_dtype == dtype:
        return None
    logging.error("Error: Input value %s has dtype %r, but expected dtype %r.  This leads to undefined behavior and "
                  "will be an error in future versions of TensorFlow.  Traceback:\n%s", value,
                  value.dtype.base_dtype, dtype, "".join(traceback.format_stack()))
    return (f"TensorArray dtype is {dtype.kernel_name} but Op is trying to write dtype "
            f"{value.dtype.base_dtype.kernel_name}.")


def _check_accumulator(before: Tensor, var: Tensor, after: Tensor, what: str, loop: str, j: int) -> str | None:
    """TF1's checks of what ``fn`` returns as the next accumulator: a shape that fits (a ValueError now),
    the same dtype (an error when the loop runs: its message, or None)."""
    if what == "scan" and not var.shape.is_compatible_with(after.shape):   # scan's TensorArray of accumulators
        raise ValueError(f"Inconsistent shapes: saw {after.shape} but expected {var.shape} ")
    if not (var.shape.is_compatible_with(after.shape) and var.shape.merge_with(after.shape) == after.shape):
        raise ValueError(f"Input tensor '{before.name}' enters the loop with shape {before.shape}, but has shape "
                         f"{after.shape} after one iteration. To allow the shape to vary across iterations, use the "
                         "`shape_invariants` argument of tf.while_loop to specify a less-specific shape.")
    expected, got = var.dtype.base_dtype, after.dtype.base_dtype
    if what == "scan":
        return _check_dtype(after, expected)
    if got != expected:
        return (f"Input 1 of node {loop}/Merge_{2 + j} was passed {got.kernel_name} from "
                f"{loop}/NextIteration_{2 + j}:0 incompatible with expected {expected.kernel_name}.")
    return None



def _assert_same_structure(first, second) -> None:
    """TF1's error when ``fn`` returns another structure than it should: a ValueError when the nesting
    differs, a TypeError when only the kinds of sequence do (a list for a tuple)."""
    def layout(s):
        if isinstance(s, dict):
            return ("dict", tuple((key, layout(s[key])) for key in sorted(s)))
        if isinstance(s, (list, tuple)):
            return ("sequence", tuple(layout(item) for item in s))
        return None

    if nest.structure_key(first) == nest.structure_key(second):
        return
    error = ValueError if layout(first) != layout(second) else TypeError
    raise error(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                f"type={type(first).__name__} str={first}\n\nSecond structure: type={type(second).__name__} "
                f"str={second}")


def _flat_elems(elems, what: str) -> list:
    """``elems``' leaves as tensors of rank 1 or more (TF1's errors for scalars)."""
    flat = [convert_to_tensor(e, name="elem") for e in nest.flatten(elems)]
    if any(e.shape.ndims == 0 for e in flat):
        if what != "map":   # TF1's scan and folds index the scalar's shape
            raise IndexError("list index out of range: elems must be 1+ dimensional Tensors, not scalars")
        if isinstance(elems, (list, tuple, dict)):
            raise ValueError("elements in elems must be 1+ dimensional Tensors, not scalars")
        raise ValueError("elems must be a 1+ dimensional Tensor, not a scalar")
    return flat


def _length(flat: list):
    """The static length of the elems (None when unknown): TF1's ValueError when two differ."""
    n = Dimension(None)
    for e in flat:
        n = n.merge_with(e.shape.dims[0] if e.shape.dims is not None else Dimension(None))
    return n.value


def _check_callable(fn) -> None:
    if not callable(fn):
        raise TypeError("fn must be callable.")


def _stacked(values: list) -> list:
    """The stacked outputs under TF1's names (``TensorArrayStack/TensorArrayGatherV3``)."""
    results = []
    for value in values:
        with name_scope("TensorArrayStack"):
            results.append(identity(value, name="TensorArrayGatherV3"))
    return results


def _accumulator(fn, elems, flat: list, initializer, reverse: bool) -> tuple:
    """What scan and the folds start from and loop over: (initial accumulators, elems to visit, the
    accumulator's structure, ``fn`` on flat accumulators and elements returning the next, flat).

    Without ``initializer`` the first element (the last for ``reverse``) is the first accumulator,
    and the loop visits the others."""
    if initializer is None:
        initial = [identity(e[-1] if reverse else e[0], name="TensorArrayReadV3") for e in flat]
        rest, structure = [e[:-1] if reverse else e[1:] for e in flat], elems
    else:
        initial, rest, structure = [convert_to_tensor(v) for v in nest.flatten(initializer)], flat, initializer

    def accumulate(carries, elements) -> list:
        result = fn(nest.pack_sequence_as(structure, carries), nest.pack_sequence_as(elems, elements))
        _assert_same_structure(structure, result)
        return nest.flatten(result)

    return initial, rest, structure, accumulate


# ---- the public functions -------------------------------------------------------------------
def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None):
    """``tf.map_fn``: ``fn`` applied to each slice of ``elems`` along its first dimension, stacked.

    ``elems`` may be a nest (tuple, dict) of tensors of the same length: ``fn`` gets one slice of each
    in the same structure.  ``fn`` must return that structure and dtypes, or pass ``dtype=`` for
    another (``dtype=(tf.float32, tf.int32)``).

    >>> x = tf.placeholder(tf.float32, [None, 10])
    >>> tf.map_fn(lambda row: row * 2.0, x)
    <tf.Tensor 'map/TensorArrayStack/TensorArrayGatherV3:0' shape=(?, 10) dtype=float32>
    """
    _check_callable(fn)
    with name_scope(name, "map", nest.flatten(elems)):
        flat = _flat_elems(elems, "map")
        structure = nest.pack_sequence_as(elems, [e.dtype.base_dtype for e in flat]) if dtype is None else dtype
        dtypes_ = [dtypes.as_dtype(d) for d in nest.flatten(structure)]

        def step(carries, elements):
            result = fn(nest.pack_sequence_as(elems, elements))
            _assert_same_structure(structure, result)
            return [], nest.flatten(result)

        _, outputs = _loop(step, [], flat, _length(flat), False, back_prop, infer_shape, dtypes_, "map")
        return nest.pack_sequence_as(structure, _stacked(outputs))


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, infer_shape=True,
         reverse=False, name=None):
    """``tf.scan``: every accumulator of ``acc = fn(acc, x)`` over the slices ``x`` of ``elems``, stacked.

    Without ``initializer`` the first element is the first accumulator (and the first result);
    ``reverse=True`` goes from the last element to the first (results keep the elements' order).

    >>> tf.scan(lambda acc, x: acc + x, tf.constant([1, 2, 3, 4]))   # [1 3 6 10] when run
    """
    _check_callable(fn)
    with name_scope(name, "scan", nest.flatten(elems)):
        flat = _flat_elems(elems, "scan")
        n = _length(flat)
        initial, rest, structure, accumulate = _accumulator(fn, elems, flat, initializer, reverse)

        def step(carries, elements):
            result = accumulate(carries, elements)
            return result, result

        steps = None if n is None or initializer is not None else n - 1
        _, outputs = _loop(step, initial, rest, n if steps is None else steps, reverse, back_prop, infer_shape,
                           what="scan")
        if initializer is None:   # the first accumulator is the first result
            outputs = [concat([out, expand_dims(a, 0)] if reverse else [expand_dims(a, 0), out], 0)
                       for a, out in zip(initial, outputs)]
        return nest.pack_sequence_as(structure, _stacked(outputs))


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``tf.foldl``: the last accumulator of ``acc = fn(acc, x)`` over the slices ``x`` of ``elems``,
    first to last (without ``initializer``, the first element is the first accumulator).

    >>> tf.foldl(lambda acc, x: acc + x, tf.constant([1, 2, 3, 4]))   # 10 when run
    """
    return _fold(fn, elems, initializer, back_prop, False, name or "foldl")


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``tf.foldr``: as :func:`foldl`, from the last element to the first."""
    return _fold(fn, elems, initializer, back_prop, True, name or "foldr")


def _fold(fn, elems, initializer, back_prop: bool, reverse: bool, name: str):
    _check_callable(fn)
    with name_scope(name, values=nest.flatten(elems)):
        flat = _flat_elems(elems, "fold")
        initial, rest, structure, accumulate = _accumulator(fn, elems, flat, initializer, reverse)

        def step(carries, elements):
            return accumulate(carries, elements), []

        finals, _ = _loop(step, initial, rest, None, reverse, back_prop, False, what="fold")
        return nest.pack_sequence_as(structure, [identity(a, name=f"while/Exit_{2 + j}")
                                                 for j, a in enumerate(finals)])

"""Control ops: ``tf.group``, ``tf.cond``, ``tf.while_loop`` -- ordering and choosing what runs (notebook 03).

``tf.cond`` builds both branches into the graph, as TF1 does.  Each branch starts at a ``Switch``
op (``cond/switch_t``, ``cond/switch_f``) that is SKIPPED when the predicate does not select its
branch, and every op built in the branch depends on it, so the Session skips the whole branch
that was not taken (``Op.may_skip``: TF1's "dead" tensors).  ``cond/Merge`` takes the value of
the branch that ran.  The gradient of a cond is a cond of the two branches' gradients.
"""
from __future__ import annotations

import itertools
import traceback

import numpy as np

from .. import dtypes, errors
from ..backend import from_numpy, to_numpy
from ..gradients import gradients
from ..graph import Operation, Tensor, get_default_graph, name_scope
from ..tensor_shape import TensorShape
from .array_ops import identity, zeros_like
from .base import SKIPPED, Op, ShapeError, convert_to_tensor, create_op
from .logging_ops import summarize_value


class NoOp(Op):
    """Does nothing; running it runs its control inputs (``init``, ``train_op``)."""

    type = "NoOp"
    num_outputs = 0
    gradient = None

    def infer(self, *inputs):
        return []

    def node_attrs(self, inputs):
        return {}

    def forward(self):
        return ()


def no_op(name=None) -> Operation:
    return create_op(NoOp(), [], name or "NoOp")


def group(*inputs, name=None) -> Operation:
    """``tf.group``: one op that runs all ``inputs`` (tensors or ops) when it runs."""
    ops = []
    for item in inputs:
        for x in (item if isinstance(item, (list, tuple)) else [item]):
            if hasattr(x, "_as_graph_element"):
                x = x._as_graph_element()
            ops.append(x.op if isinstance(x, Tensor) else x)
    graph = ops[0].graph if ops else get_default_graph()
    with graph.as_default(), graph.name_scope(name or "group_deps") as scope, graph.control_dependencies(ops):
        return create_op(NoOp(), [], scope, graph)


def tuple_(tensors, name=None, control_inputs=None):
    """``tf.tuple``: the same tensors, each available only after all of them are computed."""
    tensors = list(tensors)
    with name_scope(name, "tuple", tensors):
        gate = group(*[t for t in tensors if t is not None], *(control_inputs or []))
        with get_default_graph().control_dependencies([gate]):
            return [None if t is None else identity(t) for t in tensors]


# ---- tf.cond: run one of two branches -----------------------------------------------------
class Switch(Op):
    """The entry of a ``tf.cond`` branch: the predicate when it selects the branch, else SKIPPED.

    (TF1's ``Switch`` also routes the data into the branch; here every op of the branch has the
    ``Switch`` as a control input instead.)
    """

    type = "Switch"
    may_skip = True
    gradient = None
    allowed_dtypes = {0: ("pred", "bool")}

    def __init__(self, branch: bool):
        self.branch = branch

    def infer(self, pred):
        return dtypes.bool, pred.shape

    def forward(self, pred):
        return pred if bool(pred) == self.branch else SKIPPED


class Merge(Op):
    """The result of ``tf.cond``: the true branch's value when ``pred`` holds, else the false one's.

    Its inputs are ``pred``, the two branch values, and the tensors from outside the cond that
    the branches read (the tensors its gradient flows to).
    """

    type = "Merge"
    may_skip = True       # SKIPPED itself when its cond is inside a branch that did not run
    takes_skipped = True

    def infer(self, pred, if_true, if_false, *captured):
        if if_true.dtype.base_dtype != if_false.dtype.base_dtype:
            raise ValueError(f"Outputs of true_fn and false_fn must have the same type: "
                             f"{if_true.dtype.base_dtype.name}, {if_false.dtype.base_dtype.name}")
        a, b = if_true.shape, if_false.shape
        if a.dims is None or b.dims is None or len(a.dims) != len(b.dims):
            return if_true.dtype.base_dtype, TensorShape(None)
        return if_true.dtype.base_dtype, TensorShape(
            [x.value if x.value == y.value else None for x, y in zip(a.dims, b.dims)])

    def node_attrs(self, inputs):
        return {"T": inputs[1].dtype.base_dtype, "N": 2}

    def forward(self, pred, if_true, if_false, *captured):
        if pred is SKIPPED:
            return SKIPPED
        return if_true if pred else if_false

    def gradient(self, op, grad):
        """``cond(pred, d if_true / d captured, d if_false / d captured)``: each branch's gradient is
        built inside that branch, so it runs only with it and may read the branch's values."""
        pred, if_true, if_false, *captured = op.inputs
        connected = set()

        def gradient_of(value):
            def build():
                grads = gradients(value, captured, grad_ys=grad, stop_gradients=captured)
                connected.update(i for i, g in enumerate(grads) if g is not None)
                return [zeros_like(c) if g is None else g for g, c in zip(grads, captured)]
            return build

        with name_scope(None, "cond", [pred]):
            grads_true = _branch(pred, True, gradient_of(if_true))
            grads_false = _branch(pred, False, gradient_of(if_false))
            # what the branches' gradients read from outside: the cond's own inputs and ``grad``
            # (the forward branch's values they read are inside the same branch)
            merged = _merge_nest(pred, grads_true, grads_false, captured + [grad])
        return [None, None, None] + [g if i in connected else None for i, g in enumerate(merged)]


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``tf.cond``: ``true_fn()``'s result when ``pred`` is true, else ``false_fn()``'s.

    Both functions build their ops now (the graph holds both branches), but a run computes
    only the branch ``pred`` selects -- an ``assign`` in the other branch does not happen:

    >>> x = tf.constant(2.0)
    >>> y = tf.cond(x > 1.0, lambda: x * 10, lambda: x - 10)   # 20.0 when run
    """
    true_fn = fn1 if true_fn is None else true_fn
    false_fn = fn2 if false_fn is None else false_fn
    for fn, what in ((true_fn, "true_fn"), (false_fn, "false_fn")):
        if not callable(fn):
            raise TypeError(f"{what} must be callable.")
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool")
    with name_scope(name, "cond", [pred]):
        pred = convert_to_tensor(pred, name="pred_id")
        with pred.graph.recording_ops() as branch_ops:
            if_true = _branch(pred, True, true_fn)
            if_false = _branch(pred, False, false_fn)
        captured = _captured(branch_ops, _flatten([if_true, if_false]))
        return _merge_nest(pred, if_true, if_false, captured)


def _branch(pred: Tensor, branch: bool, fn):
    """Build one branch: every op made here depends on the branch's ``Switch``."""
    switch = create_op(Switch(branch), [pred], "switch_t" if branch else "switch_f").outputs[0]
    with pred.graph.control_dependencies([switch]):
        return _as_tensors(fn(), switch)


def _as_tensors(result, switch: Tensor):
    """A branch's result with its ops turned into tensors: an op becomes the ``Switch``'s value
    once the op has run (TF1 returns a bool tensor there too)."""
    if isinstance(result, (list, tuple)):
        converted = [_as_tensors(r, switch) for r in result]
        return converted if isinstance(result, list) else tuple(converted)
    if isinstance(result, Operation):
        with get_default_graph().control_dependencies([result]):
            return identity(switch)
    return convert_to_tensor(result)


def _same_structure(first, second) -> None:
    """TF1's error when two nests of tensors (a cond's branches, a loop's variables) differ."""
    def structure(nest):
        return [structure(item) for item in nest] if isinstance(nest, (list, tuple)) else None

    if structure(first) != structure(second):
        raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: {first}"
                         f"\n\nSecond structure: {second}")


def _flatten(nest) -> list:
    if isinstance(nest, (list, tuple)):
        return [t for item in nest for t in _flatten(item)]
    return [nest]


def _captured(branch_ops, results) -> list:
    """The float tensors from outside the branches that the branches read (or return)."""
    inside = set(branch_ops)
    reads = [t for op in branch_ops for i, t in enumerate(op.inputs) if i not in op.kind.ref_inputs]
    captured = []
    for t in reads + results:
        if t.op not in inside and (t.dtype.is_floating or t.dtype.is_complex) and t not in captured:
            captured.append(t)
    return captured


def _merge_nest(pred, if_true, if_false, captured):
    _same_structure(if_true, if_false)
    if isinstance(if_true, (list, tuple)):
        merged = [_merge_nest(pred, a, b, captured) for a, b in zip(if_true, if_false)]
        return merged if isinstance(if_true, list) else tuple(merged)
    return create_op(Merge(), [pred, if_true, if_false] + captured, "Merge").outputs[0]


# ---- tf.while_loop: repeat a body while a condition holds --------------------------------
class LoopVar(Op):
    """A loop variable inside ``tf.while_loop``'s body (TF1's ``Enter``): the While kernel feeds it."""

    type = "Enter"
    gradient = None

    def __init__(self, dtype, shape):
        self._dtype, self._shape = dtype, shape

    def infer(self):
        return self._dtype, self._shape

    def node_attrs(self, inputs):
        return {"T": self._dtype}

    def kernel(self, op, session):
        def outside_the_loop():
            raise errors.InvalidArgumentError(None, op, f"{op.name} is a tf.while_loop variable: it has a value only "
                                                 "inside the loop, fetch the loop's result instead")
        return outside_the_loop


class While(Op):
    """Runs ``cond`` and ``body`` (ops built into the same graph) in a nested session run per
    iteration; the loop variables and the tensors the body reads from outside are fed."""

    type = "While"
    gradient = None

    def __init__(self, loop_vars, condition, body_outputs, captured, maximum_iterations):
        self._loop_vars, self._cond, self._body = loop_vars, condition, body_outputs
        self._captured, self._maximum = captured, maximum_iterations
        self.num_outputs = len(loop_vars)

    def node_attrs(self, inputs):
        return {"T": [t.dtype.base_dtype for t in inputs], "parallel_iterations": 10}

    def infer(self, *inputs):
        types = [(t.dtype.base_dtype, t.shape) for t in self._loop_vars]
        return types[0] if self.num_outputs == 1 else types

    def kernel(self, op, session):
        n = len(self._loop_vars)

        def run_loop(*values):   # nested runs take and give numpy values: convert at the seam
            values = [to_numpy(v) for v in values]
            state, outside = values[:n], values[n:]
            feeds = dict(zip(self._captured, outside))
            iterations = 0
            while self._maximum is None or iterations < self._maximum:
                feeds.update(zip(self._loop_vars, state))
                if not session.run(self._cond, feeds):
                    break
                state = session.run(self._body, feeds)
                iterations += 1
            result = tuple(from_numpy(np.asarray(v)) for v in state)
            return result[0] if n == 1 else result

        return run_loop




def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """``tf.while_loop``: ``while cond(*vars): vars = body(*vars)``, as one op of the graph.

    >>> i = tf.constant(0)
    >>> r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])    # 10 when run
    """
    for fn, what in ((cond, "cond"), (body, "body")):
        if not callable(fn):
            raise TypeError(f"{what} must be callable.")
    single = not isinstance(loop_vars, (list, tuple))
    initial = [convert_to_tensor(v) for v in ([loop_vars] if single else loop_vars)]
    graph = initial[0].graph
    with name_scope(name, "while", initial):
        with graph.recording_ops() as body_ops:
            shapes = shape_invariants if shape_invariants is not None else [t.shape for t in initial]
            shapes = [shapes] if single and shape_invariants is not None else shapes
            loop_vars = [create_op(LoopVar(t.dtype.base_dtype, TensorShape(s)), [], "Enter").outputs[0]
                         for t, s in zip(initial, shapes)]
            condition = convert_to_tensor(cond(*loop_vars))
            body_out = body(*loop_vars)
            body_out = [convert_to_tensor(t) for t in ([body_out] if not isinstance(body_out, (list, tuple))
                                                       else body_out)]
        _same_structure(loop_vars, body_out)
        for before, var, after in zip(initial, loop_vars, body_out):
            if not _more_general(var.shape, after.shape):
                raise ValueError(f"Input tensor '{before.name}' enters the loop with shape {before.shape}, but has "
                                 f"shape {after.shape} after one iteration. To allow the shape to vary across "
                                 "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                                 "less-specific shape.")
        captured = _captured_tensors(body_ops)
        kind = While(loop_vars, condition, body_out, captured, maximum_iterations)
        outputs = create_op(kind, initial + captured, "Exit").outputs
    if single or (len(outputs) == 1 and not return_same_structure):
        return outputs[0]
    return list(outputs) if isinstance(loop_vars, list) else tuple(outputs)


def _more_general(invariant: TensorShape, shape_: TensorShape) -> bool:
    """Whether a loop variable of shape ``invariant`` may hold a value of shape ``shape_``."""
    if invariant.dims is None:
        return True
    if shape_.dims is None or shape_.ndims != invariant.ndims:
        return False
    return all(a.value is None or a.value == b.value for a, b in zip(invariant.dims, shape_.dims))


def _captured_tensors(body_ops) -> list:
    """Tensors made before the loop that its cond/body ops read (fed by the While kernel)."""
    inside = set(body_ops)
    captured = []
    for op in body_ops:
        for t in op.inputs:
            if t.op not in inside and t not in captured and not _reads_a_variable(t):
                captured.append(t)
    return captured


def _reads_a_variable(t: Tensor) -> bool:
    """Variables are read live in each iteration (the body may assign them), never fed."""
    op = t.op
    while op.kind.view_of_input and op.inputs:
        op = op.inputs[0].op
    return op.type == "VariableV2"


# ---- ops that call back into Python --------------------------------------------------------
class Assert(Op):
    """``tf.Assert``: the run fails with InvalidArgumentError when ``condition`` is False, showing ``data``
    (at most ``summarize`` entries of each); otherwise it does nothing.  Make it a control dependency."""

    type = "Assert"
    num_outputs = 0
    gradient = None
    stateful = True
    allowed_dtypes = {0: ("condition", "bool")}

    def __init__(self, summarize=3):
        self.summarize = summarize

    def infer(self, condition, *data):
        if condition.shape.ndims not in (None, 0):
            raise ShapeError(f"Shape must be rank 0 but is rank {condition.shape.ndims}")
        return []

    def forward(self, condition, *data):
        if not condition:
            shown = " ".join(f"[{summarize_value(d, self.summarize)}]" for d in data)
            raise errors.InvalidArgumentError(None, None, f"assertion failed: {shown}")
        return ()


def Assert_(condition, data, summarize=None, name=None):  # noqa: N802  (TF1's name)
    """``tf.Assert(condition, data)``: an op that fails the run, showing ``data``, when ``condition`` is False.
    As in TF1, data other than strings and int32 is computed only when the check fails: the Assert is
    then the false branch of a ``tf.cond`` named ``AssertGuard``."""
    summarize = 3 if summarize is None else summarize
    with name_scope(name, "Assert", [condition] + list(data)):
        data = [convert_to_tensor(d) for d in data]
        condition = convert_to_tensor(condition, name="Condition")
        if all(d.dtype.base_dtype in (dtypes.string, dtypes.int32) for d in data):
            return create_op(Assert(summarize), [condition] + data, "Assert")
        return cond(condition, no_op, lambda: create_op(Assert(summarize), [condition] + data, "Assert"),
                    name="AssertGuard").op


class PyFunc(Op):
    """``tf.py_func``: a Python function on numpy arrays, as one op of the graph (no gradient)."""

    type = "PyFunc"
    gradient = None
    stateful = True   # the function may read or change anything

    def __init__(self, func, Tout, shapes):
        self._func, self.Tout, self._shapes = func, Tout, shapes
        self.num_outputs = len(Tout)
        self._token = f"pyfunc_{next(_PY_FUNC_TOKENS)}"   # TF1 numbers the functions it registers

    def node_attrs(self, inputs):
        return {"Tin": [t.dtype.base_dtype for t in inputs], "Tout": self.Tout, "token": self._token}

    def infer(self, *inputs):
        types = [(dtype, TensorShape(None)) for dtype in self.Tout]
        return types[0] if self.num_outputs == 1 else types

    def forward(self, *arrays):
        try:
            results = self._func(*[to_numpy(a) for a in arrays])
        except Exception as e:   # as TF1 reports an exception of the Python function
            cls = next((c for base, c in _PY_FUNC_ERRORS.items() if isinstance(e, base)), errors.UnknownError)
            raise cls(None, None, f"{type(e).__name__}: {e}\n{traceback.format_exc()}") from e
        results = [np.asarray(r) for r in (results if isinstance(results, (list, tuple)) else [results])]
        if len(results) != self.num_outputs:
            raise errors.InvalidArgumentError(None, None, f"{self._token} returns {len(results)} values, but expects "
                                                          f"to see {self.num_outputs} values.")
        for i, (r, dtype) in enumerate(zip(results, self.Tout)):   # TF1 converts nothing: float64 is not float32
            got = dtypes.string if r.dtype.kind in "OSU" else dtypes.as_dtype(r.dtype)
            if got != dtype:
                raise errors.InvalidArgumentError(None, None, f"{i}-th value returned by {self._token} is "
                                                              f"{got.kernel_name}, but expects {dtype.kernel_name}")
        out = tuple(from_numpy(dtypes.infer_numpy(r, dtype) if dtype == dtypes.string else r) for r, dtype in
                    zip(results, self.Tout))
        return out[0] if self.num_outputs == 1 else out


_PY_FUNC_TOKENS = itertools.count()
_PY_FUNC_ERRORS = {ValueError: errors.InvalidArgumentError, TypeError: errors.InvalidArgumentError,
                   StopIteration: errors.OutOfRangeError, MemoryError: errors.ResourceExhaustedError,
                   NotImplementedError: errors.UnimplementedError}


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803  (TF1's argument name)
    """``tf.py_func(f, [x, y], tf.float32)``: run ``f`` on the numpy values when the graph runs."""
    single = not isinstance(Tout, (list, tuple))
    types = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    with name_scope(name, "PyFunc", list(inp)) as scope:
        inputs = [convert_to_tensor(x) for x in inp]
        outputs = create_op(PyFunc(func, types, None), inputs, scope).outputs
    return outputs[0] if single else list(outputs)

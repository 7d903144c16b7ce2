"""Control ops: ``tf.group``, ``tf.cond``, ``tf.while_loop`` -- ordering and choosing what runs (notebook 03).

``tf.cond`` builds both branches into the graph, as TF1 does.  Each branch starts at a ``Switch``
op (``cond/switch_t``, ``cond/switch_f``) that is SKIPPED when the predicate does not select its
branch, and every op built in the branch depends on it, so the Session skips the whole branch
that was not taken (``Op.may_skip``: TF1's "dead" tensors).  ``cond/Merge`` takes the value of
the branch that ran.  The gradient of a cond is a cond of the two branches' gradients.

``tf.while_loop`` builds its cond and body once; one ``While`` op runs them in a nested session
run per iteration.  Its gradient, ``WhileGrad``, replays the iterations to recover each one's
loop variables, then runs the body's gradient (built once by ``tf.gradients``) from the last
iteration to the first.  ``tf.map_fn`` and ``tf.scan`` (functional_ops.py) are the same loop.
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


def loop_var(like: Tensor, name: str, shape=None) -> Tensor:
    """A tensor that a loop feeds at each step, of ``like``'s dtype (and shape unless ``shape`` is given)."""
    kind = LoopVar(like.dtype.base_dtype, like.shape if shape is None else TensorShape(shape))
    return create_op(kind, [], name).outputs[0]


class LoopBody:
    """A loop's ops, built once into the graph, and how the loop runs them one step at a time.

    A step is fed ``carries`` (the loop variables, ``LoopVar`` tensors) and, for a loop over the
    slices of tensors (``tf.map_fn``, ``tf.scan``), ``elements``: one slice of each.  It computes
    ``new_carries``, the next loop variables, and ``outputs`` that the loop stacks.  ``captured`` are
    the tensors from outside that the ops read: inputs of the loop op, fed to each step with their
    values (a fed one too: ``sess.run(y, {w: 3.0})``; a variable's read is its buffer, which an
    ``assign`` in the body changes in place, so later steps see the new value).
    ``condition`` (``tf.while_loop``'s cond) ends the loop when false; ``maximum`` (a scalar tensor
    among ``captured``) caps its number of steps.

    The loop op's inputs are the initial carries, the tensors to slice and the captured tensors.
    """

    def __init__(self, carries: list, new_carries: list, captured: list, elements=(), outputs=(), condition=None,
                 maximum=None, reverse: bool = False):
        self.carries, self.new_carries, self.captured = carries, new_carries, captured
        self.elements, self.outputs = list(elements), list(outputs)
        self.condition, self.maximum, self.reverse = condition, maximum, reverse

    def split(self, values) -> tuple:
        """The loop op's input values as (carries, elems, captured), numpy arrays: nested runs take
        and give numpy values."""
        k, m = len(self.carries), len(self.elements)
        values = [to_numpy(v) for v in values]
        return values[:k], values[k:k + m], values[k + m:k + m + len(self.captured)]

    def feeds(self, captured_values) -> dict:
        """The feeds every step shares: the captured tensors' values."""
        return dict(zip(self.captured, captured_values))

    def step_feeds(self, feeds: dict, carries, elems, i: int) -> dict:
        """``feeds`` updated for step ``i``: its carries and the ``i``-th slice of each of the elems."""
        feeds.update(zip(self.carries, carries))
        feeds.update((t, e[i]) for t, e in zip(self.elements, elems))
        return feeds

    def indices(self, elems) -> range:
        """The slices' indices in the order the loop visits them (all elems must be as long)."""
        lengths = sorted({len(e) for e in elems})
        if len(lengths) > 1:
            raise errors.InvalidArgumentError(None, None, f"The elems have different lengths along their first "
                                                          f"dimension: {', '.join(map(str, lengths))}")
        n = lengths[0]
        return range(n - 1, -1, -1) if self.reverse else range(n)

    def steps(self, session, feeds: dict, carries: list, elems: list, outputs: bool = True):
        """Run the loop forwards from ``carries``, yielding for each step (its index, the carries it
        started from, what it computed: the next carries, then -- if ``outputs`` -- its outputs)."""
        fetches = self.new_carries + (self.outputs if outputs else [])
        if self.elements:
            order = self.indices(elems)
        elif self.maximum is None:
            order = itertools.count()
        else:
            order = range(int(session.run(self.maximum, feeds)))
        for i in order:
            self.step_feeds(feeds, carries, elems, i)
            if self.condition is not None and not session.run(self.condition, feeds):
                return
            got = session.run(fetches, feeds) if fetches else []
            yield i, carries, got
            carries = got[:len(self.carries)]

    def run(self, session, values) -> tuple:
        """The loop op's input values through all steps: (the last carries, each step's outputs)."""
        carries, elems, captured = self.split(values)
        outputs = []
        for _, _, got in self.steps(session, self.feeds(captured), carries, elems):
            carries, step_outputs = got[:len(carries)], got[len(carries):]
            outputs.append(step_outputs)
        return carries, outputs


def kernel_result(values):
    """Arrays computed by nested runs as a kernel returns them: one value, or a tuple for several outputs."""
    result = tuple(from_numpy(np.asarray(v)) for v in values)
    return result[0] if len(result) == 1 else result


class While(Op):
    """``tf.while_loop``: its body's ops run in a nested session run per iteration, while its cond holds.

    Inputs: the initial loop variables, then the tensors the body and cond read from outside
    (see ``LoopBody``).  Outputs: the loop variables' last values.
    """

    type = "While"

    def __init__(self, body: LoopBody, back_prop: bool = True):
        self._body, self._back_prop = body, back_prop
        self.num_outputs = len(body.carries)

    def node_attrs(self, inputs):
        return {"T": [t.dtype.base_dtype for t in inputs], "parallel_iterations": 10}

    def infer(self, *inputs):
        types = [(t.dtype.base_dtype, t.shape) for t in self._body.carries]
        return types[0] if self.num_outputs == 1 else types

    def kernel(self, op, session):
        return lambda *values: kernel_result(self._body.run(session, values)[0])

    def gradient(self, op, *grads):
        """A ``WhileGrad`` loop, which runs the gradient of the body's ops (``tf.gradients`` inside
        the body, built once) for each step, from the last to the first.

        The gradients reach the initial loop variables, the slices of the elems, and the captured
        tensors that the outputs depend on (a placeholder, a variable's read) -- None for the others.
        With ``back_prop=False`` nothing flows back, as in TF1.
        """
        body = self._body
        if not self._back_prop:
            return [None] * len(op.inputs)
        k = len(body.carries) + len(body.elements)
        with op.graph.control_dependencies(None):   # one step's gradient: ops the WhileGrad runs nested
            carry_grads = [loop_var(t, "carry_grad") for t in body.carries]
            output_grads = [loop_var(t, "output_grad") for t in body.outputs]
            pairs = [(y, g) for y, g in zip(body.new_carries + body.outputs, carry_grads + output_grads)
                     if y.dtype.is_floating or y.dtype.is_complex]
            xs = body.carries + body.elements + body.captured
            step = gradients([y for y, _ in pairs], xs, grad_ys=[g for _, g in pairs],
                             stop_gradients=body.captured) if pairs else [None] * len(xs)
            local = [zeros_like(x) if g is None else g for g, x in zip(step[:k], xs[:k])]
        connected = [i for i, g in enumerate(step[k:]) if g is not None]
        kind = WhileGrad(body, carry_grads, output_grads, local + [step[k + i] for i in connected], connected)
        outputs = create_op(kind, list(op.inputs) + list(grads), f"{op.type}Grad").outputs
        captured_grads = [None] * len(body.captured)
        for i, g in zip(connected, outputs[k:]):
            captured_grads[i] = g
        return list(outputs[:k]) + captured_grads


class WhileGrad(Op):
    """The gradient of a loop (``While``, and ``tf.map_fn``/``tf.scan``'s ``Scan``): its steps backwards.

    It first runs the steps forwards again, to recover the loop variables each step started from
    (the iterations a ``tf.while_loop`` makes depend on the values), then walks them from the last
    to the first: each step runs the gradient of the body's ops, hands the loop variables'
    gradient to the step before, and adds to the gradients of the captured tensors.

    Inputs: the loop op's inputs, then the gradients of its outputs.  Outputs: the gradients of the
    initial loop variables and of the elems, then of the ``connected`` captured tensors.
    """

    type = "WhileGrad"

    def gradient(self, op, *grads):
        raise TypeError("Second-order gradient for while loops not supported.")   # (TF1's words)

    def __init__(self, body: LoopBody, carry_grads, output_grads, step_grads, connected):
        self._body, self._carry_grads, self._output_grads = body, carry_grads, output_grads
        self._step_grads, self._connected = step_grads, connected
        self.num_outputs = len(body.carries) + len(body.elements) + len(connected)

    def node_attrs(self, inputs):
        return {"T": [t.dtype.base_dtype for t in inputs]}

    def infer(self, *inputs):
        k = len(self._body.carries) + len(self._body.elements)
        wanted = list(inputs[:k]) + [inputs[k + i] for i in self._connected]
        types = [(t.dtype.base_dtype, t.shape) for t in wanted]
        return types[0] if self.num_outputs == 1 else types

    def kernel(self, op, session):
        body = self._body
        k, m = len(body.carries), len(body.elements)

        def run_backwards(*values):
            carries, elems, captured = body.split(values)
            incoming = [to_numpy(v) for v in values[k + m + len(captured):]]
            d_carries, d_outputs = incoming[:k], incoming[k:]
            feeds = body.feeds(captured)
            history = [(i, start) for i, start, _ in body.steps(session, feeds, carries, elems, outputs=False)]
            d_elems = [np.zeros_like(e) for e in elems]
            d_captured = [np.zeros_like(captured[i]) for i in self._connected]
            for i, start in reversed(history):
                body.step_feeds(feeds, start, elems, i)
                feeds.update(zip(self._carry_grads, d_carries))
                feeds.update((t, d[i]) for t, d in zip(self._output_grads, d_outputs))
                got = session.run(self._step_grads, feeds)
                d_carries = got[:k]
                for d, g in zip(d_elems, got[k:k + m]):
                    d[i] = g
                for d, g in zip(d_captured, got[k + m:]):
                    d += g
            return kernel_result(list(d_carries) + d_elems + d_captured)

        return run_backwards


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """``tf.while_loop``: ``while cond(*vars): vars = body(*vars)``, as one op of the graph.

    ``maximum_iterations`` (a number or a scalar tensor) stops the loop after so many steps.
    ``tf.gradients`` differentiates through the loop (``WhileGrad``), unless ``back_prop=False``.

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
        maximum = _maximum_iterations(maximum_iterations)
        # the body's ops run in nested runs: control inputs from around the loop (a tf.cond branch's
        # Switch) are the While op's, and the While op runs once they have
        with graph.control_dependencies(None), graph.recording_ops() as body_ops:
            shapes = shape_invariants if shape_invariants is not None else [t.shape for t in initial]
            shapes = [shapes] if single and shape_invariants is not None else shapes
            loop_vars = [loop_var(t, "Enter", s) for t, s in zip(initial, shapes)]
            condition = convert_to_tensor(cond(*loop_vars))
            body_out = body(*loop_vars)
            body_out = [as_step_tensor(t, None, body_ops)
                        for t in ([body_out] if not isinstance(body_out, (list, tuple)) else body_out)]
        _same_structure(loop_vars, body_out)
        for before, var, after in zip(initial, loop_vars, body_out):
            if not _more_general(var.shape, after.shape):
                raise ValueError(f"Input tensor '{before.name}' enters the loop with shape {before.shape}, but has "
                                 f"shape {after.shape} after one iteration. To allow the shape to vary across "
                                 "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                                 "less-specific shape.")
        captured = captured_tensors(body_ops)
        if maximum is not None and maximum not in captured:
            captured.append(maximum)
        loop = LoopBody(loop_vars, body_out, captured, condition=condition, maximum=maximum)
        outputs = create_op(While(loop, back_prop), initial + captured, "Exit").outputs
    if single or (len(outputs) == 1 and not return_same_structure):
        return outputs[0]
    return list(outputs) if isinstance(loop_vars, list) else tuple(outputs)


def _maximum_iterations(value) -> Tensor | None:
    """``maximum_iterations`` as a scalar tensor (TF1's ValueError for another shape), or None."""
    if value is None:
        return None
    value = convert_to_tensor(value, name="maximum_iterations")
    if value.shape.ndims not in (None, 0):
        raise ValueError(f"maximum_iterations must be a scalar, saw shape: {value.shape}")
    return value


def as_step_tensor(value, dtype, loop_ops) -> Tensor:
    """What a loop's body returned, as a tensor made inside the loop (a tensor from outside is copied
    in, so that the loop feeds it like the other tensors its ops read)."""
    if value is None:
        raise ValueError("None values not supported.")
    tensor = convert_to_tensor(value, preferred_dtype=dtype)
    return tensor if tensor.op in loop_ops else identity(tensor)


def _more_general(invariant: TensorShape, shape_: TensorShape) -> bool:
    """Whether a loop variable of shape ``invariant`` may hold a value of shape ``shape_``."""
    if invariant.dims is None:
        return True
    if shape_.dims is None or shape_.ndims != invariant.ndims:
        return False
    return all(a.value is None or a.value == b.value for a, b in zip(invariant.dims, shape_.dims))


def captured_tensors(loop_ops) -> list:
    """The tensors made outside a loop's ops that they read: inputs of the loop op.  Variables' refs
    are left out: the ops that take one (``assign``) use the variable itself, live."""
    inside = set(loop_ops)
    return list(dict.fromkeys(t for op in loop_ops for t in op.inputs
                              if t.op not in inside and not t.dtype.is_ref_dtype))


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

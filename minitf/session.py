"""Session: runs a graph (notebook 03).

``sess.run(fetches, feed_dict)`` computes the fetched tensors and nothing else:

1. the fetches (a tensor, an op, a name, or any nest of lists/tuples/dicts) are flattened
   into a list of unique graph elements (TF1's ``_FetchMapper``);
2. a *plan* is looked up, or built once per (fetches, feed keys): the ops the fetches need,
   pruned and in creation order (a topological order), each with its kernel;
3. the plan runs: every op computes its outputs exactly once (one value per run);
4. the results are rebuilt into the caller's structure, as numpy values.

Variables keep their values in the session between runs; everything else is recomputed, with
two exceptions that change no value: what depends on shapes alone (the ``tf.shape`` arithmetic
of gradients) is computed once per fed shape, as Grappler folds it; and two ops of one run that
need the same intermediate result (``Op.shared_work``) compute it once.

An op whose kernel returns ``SKIPPED`` did not run, and neither does any op that depends on it
(``Op.may_skip``: that is how ``tf.cond`` skips the branch not taken).  A kernel that fails
raises one of ``tf.errors`` naming the op, its type and the shapes of its inputs.

Tracing a run (TF1's API; the widgets' RunStepper is built on it)::

    metadata = tf.RunMetadata()
    sess.run(fetches, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=metadata)
    for node in metadata.step_stats.dev_stats[0].node_stats:   # one per op run, in order
        node.node_name, node.timeline_label, node.all_start_micros, node.op_end_rel_micros
        for out in node.output:   # out.slot, out.tensor_description.dtype / .shape, and out.value
            ...

``out.value`` is a minitf addition (TF1 needs tfdbg for it): a numpy copy of the output taken
when the op produced it -- a variable read before an ``Assign`` later in the same run shows the
old value.  ``ops_to_run(fetches, feed_dict)`` lists the ops such a run executes, in order.
Untraced runs pay nothing for tracing.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping

import numpy as np

from . import dtypes, errors
from .backend import from_numpy, to_numpy
from .graph import Operation, Tensor, default_session, get_default_graph
from .ops.base import SKIPPED, Op, shape_list


class _Fetches:
    """Any nest of fetches, flattened to unique graph elements, and rebuilt after the run."""

    def __init__(self, graph, fetches):
        self.elements: list = []
        self._index: dict = {}
        self._structure = self._flatten(graph, fetches)

    def _flatten(self, graph, fetch):
        if isinstance(fetch, (list, tuple)) and not isinstance(fetch, str):
            items = [self._flatten(graph, f) for f in fetch]
            if hasattr(fetch, "_fields"):  # namedtuple
                return ("namedtuple", type(fetch), items)
            return (type(fetch), items)
        if isinstance(fetch, Mapping):
            return ("dict", type(fetch), [(k, self._flatten(graph, v)) for k, v in fetch.items()])
        element = _as_fetch_element(graph, fetch)
        if element not in self._index:
            self._index[element] = len(self.elements)
            self.elements.append(element)
        return self._index[element]

    def build(self, values: list):
        return self._build(self._structure, values)

    def _build(self, structure, values):
        if isinstance(structure, int):
            return values[structure]
        if structure[0] == "namedtuple":
            return structure[1](*[self._build(s, values) for s in structure[2]])
        if structure[0] == "dict":
            out = structure[1]() if structure[1] is not dict else {}
            for key, s in structure[2]:
                out[key] = self._build(s, values)
            return out
        kind, items = structure
        built = [self._build(s, values) for s in items]
        return built if kind is list else kind(built)


def _as_fetch_element(graph, fetch):
    if fetch is None:
        raise TypeError("Argument `fetch` = None has invalid type \"NoneType\". Cannot be None")
    if hasattr(fetch, "_as_graph_element"):
        fetch = fetch._as_graph_element()
    if isinstance(fetch, (Tensor, Operation)):
        if fetch.graph is not graph:
            raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. "
                             f"({type(fetch).__name__} {fetch} is not an element of this graph.)")
        return fetch
    if isinstance(fetch, str):
        try:
            return graph.as_graph_element(fetch)
        except (KeyError, ValueError) as e:
            raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. ({e})") from None
    raise TypeError(f"Argument `fetch` = {fetch} has invalid type \"{type(fetch).__name__}\" must be a "
                    f"string or Tensor. (Can not convert a {type(fetch).__name__} into a Tensor or Operation.)")


def _feed_tensor(graph, key) -> Tensor:
    if hasattr(key, "_as_graph_element"):
        key = key._as_graph_element()
    if isinstance(key, Tensor):
        if key.graph is not graph:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: Tensor {key} is not an element of this graph.")
        return key
    if isinstance(key, str):
        try:
            return graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except (KeyError, ValueError) as e:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e.args[0]}") from None
    raise TypeError(f"Cannot interpret feed_dict key as Tensor: Can not convert a {type(key).__name__} into a Tensor.")


class _Feed:
    """How a value fed to one tensor becomes an array: TF1's dtype conversion and shape check.

    ``[[1.7, -2.7]]`` fed to an int32 placeholder becomes ``[[1, -2]]``; a float64 array fed to a
    float32 one becomes float32; a value of the wrong shape is a ValueError before anything runs.
    """

    def __init__(self, tensor: Tensor):
        self.tensor = tensor
        dtype = tensor.dtype.base_dtype
        self.is_string = dtype == dtypes.string
        self.np_dtype = None if self.is_string else dtype.as_numpy_dtype
        dims = tensor.shape.dims
        self.dims = None if dims is None else tuple(d.value for d in dims)

    def __call__(self, value):
        if isinstance(value, (Tensor, Operation)):
            raise TypeError(f"The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
                            f"Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, "
                            f"the tensor object was {value} which was passed to the feed with key {self.tensor}.")
        if self.is_string:
            array = dtypes.infer_numpy(value, dtypes.string)
        else:
            array = np.asarray(value, dtype=self.np_dtype)
        dims = self.dims
        if dims is not None and (len(dims) != array.ndim or any(
                d is not None and d != n for d, n in zip(dims, array.shape))):
            raise ValueError(f"Cannot feed value of shape {array.shape} for Tensor {self.tensor.name}, "
                             f"which has shape {self.tensor.shape}")
        return from_numpy(array)


class _Plan:
    """Everything one kind of ``run`` (same fetches, same feed keys) needs, worked out once.

    ``steps`` are the ops to run, in order, as ``(kernel, input slots, output slot(s), op)``:
    a run is a loop over them that reads and writes a flat list of values ("slots"), with no
    graph walking and no dict look-ups per op.
    """

    def __init__(self, session, elements, feed_keys):
        feed_tensors = [_feed_tensor(session.graph, key) for key in feed_keys]
        self.feeds = [_Feed(t) for t in feed_tensors]
        slots: dict = {}
        for t in feed_tensors:
            slots.setdefault(t, len(slots))
        self.feed_slots = [slots[t] for t in feed_tensors]
        self.steps = []
        self.readers: dict = {}   # variable op -> the first op that reads its value (TF1 names that one)
        status: dict = {}   # op that may be skipped -> the slot that holds SKIPPED when it was
        ops = _needed_ops(elements, set(feed_tensors))
        work = Counter(key for op in ops if (key := op.kind.shared_work(op)) is not None)
        self.shared_slot = None   # the slot of the dict in which kernels share work during a run
        from_shapes: set = set()  # ops whose values depend on shapes only: computed once per shape
        for op in ops:
            for i, t in enumerate(op.inputs):
                if t.dtype.is_ref_dtype and i not in op.kind.ref_inputs:
                    self.readers.setdefault(t.op, op)
            for t in op.outputs:
                slots.setdefault(t, len(slots))
            ins = tuple(slots[t] for i, t in enumerate(op.inputs) if i not in op.kind.ref_inputs)
            outs = tuple(slots[t] for t in op.outputs)
            kernel = _once_per_shape(op, op.kind.kernel(op, session), from_shapes)
            if work[op.kind.shared_work(op)] > 1:
                if self.shared_slot is None:
                    self.shared_slot = slots.setdefault("shared work", len(slots))
                ins += (self.shared_slot,)
            waits = tuple(dict.fromkeys(status[d] for d in _dependencies(op) if d in status))
            if op.kind.may_skip or waits:
                outs = outs or (slots.setdefault(op, len(slots)),)
                status[op] = outs[0]
                if waits and not op.kind.takes_skipped:
                    kernel = _unless_skipped(kernel, len(ins), len(op.outputs))
                    ins += waits
            self.steps.append((kernel, ins, outs[0] if len(outs) == 1 else outs, op))
        self.num_slots = len(slots)
        self.fetch_slots = [slots[e] if isinstance(e, Tensor) else None for e in elements]
        self.frees = _last_uses(self.steps, kept={*self.fetch_slots, self.shared_slot})
        self.copy_fetch = [isinstance(e, Tensor) and _may_alias_storage(e, from_shapes) for e in elements]
        self.elements = elements
        self.may_skip_fetch = any(isinstance(e, Tensor) and e.op in status for e in elements)

    def run(self, feed_values, node_stats: list | None = None) -> list:
        """One run; with ``node_stats`` (a list) it is traced: a ``NodeExecStats`` per op is appended."""
        values = [None] * self.num_slots
        for slot, feed, value in zip(self.feed_slots, self.feeds, feed_values):
            values[slot] = feed(value)
        if self.shared_slot is not None:
            values[self.shared_slot] = {}
        getter = values.__getitem__
        op = ins = None
        try:
            with np.errstate(all="ignore"):   # like TF1: log(0.) is -inf and 0/0 is nan, without numpy's warnings
                if node_stats is None:
                    for (kernel, ins, out, op), dead in zip(self.steps, self.frees):
                        result = kernel(*map(getter, ins))
                        if type(out) is int:
                            values[out] = result
                        else:  # an op with several outputs (Split, SoftmaxCrossEntropyWithLogits)
                            for slot, r in zip(out, result):
                                values[slot] = r
                        for slot in dead:
                            values[slot] = None
                else:
                    for (kernel, ins, out, op), dead in zip(self.steps, self.frees):
                        _traced_step(kernel, ins, out, op, values, node_stats)
                        for slot in dead:
                            values[slot] = None
        except errors.OpError as e:
            if e.op is None:   # a kernel's own error: name the op it failed in (a variable's first reader)
                reader = self.readers.get(op)
                if reader:
                    _at_node(e, reader, [t.shape for t in reader.inputs])
                else:
                    _at_node(e, op, [getattr(v, "shape", ()) for v in _inputs_of(op, values, ins)])
            raise
        except Exception as e:   # a kernel failed on these values: a tf.errors class, naming the op
            if op is None:
                raise
            raise _kernel_error(e, op, _inputs_of(op, values, ins)) from e
        if self.may_skip_fetch:
            _refuse_skipped(self.elements, [None if slot is None else values[slot] for slot in self.fetch_slots])
        return [None if slot is None else _fetched(values[slot], copy)
                for slot, copy in zip(self.fetch_slots, self.copy_fetch)]


def _last_uses(steps: list, kept: set) -> list:
    """For each step, the slots no later step reads (and no fetch needs): the run lets go of their
    values right after it, as TF1's executor frees a tensor when its last reader is done.  The
    arrays of a step die while the next ones are made, so numpy's allocations reuse warm memory
    and the peak memory of a run is what its widest moment needs, not the sum of all it computed."""
    last: dict = {}
    for i, (_, ins, out, _) in enumerate(steps):
        for slot in (out,) if type(out) is int else out:
            last[slot] = i   # an output nothing reads dies with its step
        for slot in ins:
            last[slot] = i
    frees: list = [() for _ in steps]
    for slot, i in last.items():
        if slot not in kept:
            frees[i] += (slot,)
    return frees


def _once_per_shape(op: Operation, kernel, from_shapes: set):
    """``kernel``, computed once per fed shape when ``op``'s value depends on shapes alone.

    TF1's gradient code reads shapes at run time wherever a dimension is ``?`` (``Shape``,
    ``BroadcastGradientArgs``, ``Fill``...).  As Grappler folds such subgraphs once the shapes
    are known, a plan keeps their results: ``Shape``, ``Size`` and ``Rank`` return the same array
    while their input's shape stays the same, and an op computed from such arrays and constants
    alone returns its previous result while its inputs are the same arrays.  Ops with state or
    effects (their kernel is not their ``forward``, or they say ``stateful``) always run.
    """
    kind = op.kind
    if kind.reads_shape_only:
        from_shapes.add(op)
        return _same_while_shapes_are(kernel)
    sources = [t.op for t in op.inputs]
    if (any(s in from_shapes for s in sources) and all(s in from_shapes or s.type == "Const" for s in sources)
            and type(kind).kernel is Op.kernel and not (kind.stateful or kind.may_skip or op.control_inputs)):
        from_shapes.add(op)
        return _same_while_inputs_are(kernel)
    return kernel


def _same_while_shapes_are(kernel):
    last = (None, None)   # (input shapes, value): one tuple, so that threads never see half of it

    def run(*arrays):
        nonlocal last
        shapes = tuple(a.shape for a in arrays)
        seen, value = last
        if shapes != seen:
            value = kernel(*arrays)
            last = (shapes, value)
        return value

    return run


def _same_while_inputs_are(kernel):
    last = ((), None)     # (input arrays, value)

    def run(*arrays):
        nonlocal last
        seen, value = last
        if len(seen) != len(arrays) or any(a is not b for a, b in zip(arrays, seen)):
            value = kernel(*arrays)
            last = (arrays, value)
        return value

    return run


def _dependencies(op: Operation):
    """The ops ``op`` waits for: those of its inputs (ref inputs too) and its control inputs."""
    return [t.op for t in op.inputs] + op.control_inputs


def _unless_skipped(kernel, num_args: int, num_outputs: int):
    """``kernel``, run only when none of the ops it waits for was skipped (their values come as
    extra trailing arguments); else SKIPPED for each output."""
    skipped = (SKIPPED,) * num_outputs if num_outputs > 1 else SKIPPED

    def run(*args):
        for value in args[num_args:]:
            if value is SKIPPED:
                return skipped
        return kernel(*args[:num_args])

    return run


def _refuse_skipped(elements, fetched) -> None:
    for element, value in zip(elements, fetched):
        if value is SKIPPED:
            raise errors.InvalidArgumentError(
                element.op.node_def, element.op,
                f"{element.name} was not computed in this run: it is in a tf.cond branch that was not "
                "taken. Fetch the result of the tf.cond instead.")


_ERROR_CLASSES = {MemoryError: errors.ResourceExhaustedError, NotImplementedError: errors.UnimplementedError}


def _inputs_of(op: Operation, values: list, ins: tuple) -> list:
    """The input values ``op``'s kernel was called with (without the skip flags a step waits for)."""
    return [values[i] for i in ins[:len(op.inputs) - len(op.kind.ref_inputs)]]


def _kernel_error(error: Exception, op: Operation, inputs: list) -> errors.OpError:
    """A Python exception from ``op``'s kernel as TF1 reports a kernel failure: the error TF1's kernel
    raises there when the op knows it (``Op.kernel_error``), else InvalidArgumentError (most often)
    with the exception's message; either way naming the node, its type and its inputs' shapes."""
    shapes = [getattr(v, "shape", ()) for v in inputs]
    known = op.kind.kernel_error(error, *inputs)
    if known is None:
        text = str(error) if not isinstance(error, KeyError) else f"key {error}"
        cls = next((c for base, c in _ERROR_CLASSES.items() if isinstance(error, base)), errors.InvalidArgumentError)
        known = cls(None, None, f"{type(error).__name__}: {text}")
    return _at_node(known, op, shapes)


def _at_node(error: errors.OpError, op: Operation, shapes: list) -> errors.OpError:
    """``error`` as TF1 reports a run-time failure: at ``op``, its message ending with the line that
    names the node, its type and its input shapes."""
    shown = ", ".join(shape_list(s) for s in shapes)
    error.op, error.node_def = op, op.node_def
    error.message = (error.args[0] if error.args else error.message) + \
        f"\n\t [[node {op.name} ({op.type}) with input shapes: {shown or 'none'}]]"
    error.args = (error.message,)
    return error


def _needed_ops(elements, fed: set) -> list:
    """The ops the fetches depend on (inputs and control inputs), stopping at fed tensors.

    An op whose every output is fed does not run, even as a control input (``tf.control_dependencies([x])``
    on a fed placeholder ``x``): as in TF1, its feed stands in for it.
    """
    needed: dict = {}
    stack = [e.op if isinstance(e, Tensor) else e for e in elements if not (isinstance(e, Tensor) and e in fed)]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed[op] = True
        for i, t in enumerate(op.inputs):
            if t not in fed and i not in op.kind.ref_inputs and t.op not in needed:
                stack.append(t.op)
        stack.extend(c for c in op.control_inputs
                     if c not in needed and not (c.outputs and all(t in fed for t in c.outputs)))
    return sorted(needed, key=lambda op: op.id)


def ops_to_run(fetches, feed_dict=None, graph=None) -> list:
    """The ops ``sess.run(fetches, feed_dict)`` executes, in the order it runs them: those the
    fetches need (through inputs and control inputs), pruned at the fed tensors."""
    graph = graph or get_default_graph()
    elements = _Fetches(graph, fetches).elements
    return _needed_ops(elements, {_feed_tensor(graph, key) for key in (feed_dict or {})})


def _may_alias_storage(tensor: Tensor, kept: set) -> bool:
    """True if the fetched array could be a constant's or variable's own buffer, or a value the plan
    keeps for later runs (``kept``): then it is copied."""
    op = tensor.op
    while op.kind.view_of_input and op.inputs:
        op = op.inputs[0].op
    return op.kind.returns_stored or op in kept


def _fetched(value, copy: bool):
    """A computed value as TF1 returns it: numpy scalars for 0-d, bytes for strings, numpy arrays."""
    value = to_numpy(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return value[()]
        if copy:
            return value.copy()
    return value


# ---- tracing ------------------------------------------------------------------------------------
class TensorDescription:
    """An output as TF1's step stats describe it: ``dtype`` (the DataType number, 1 is float32) and
    ``shape`` (``shape.dim[i].size``, ``shape.unknown_rank``), those of the value computed."""

    def __init__(self, value):
        array = to_numpy(value)
        self.dtype = dtypes.as_dtype(np.asarray(array).dtype).as_datatype_enum
        self.shape = _ShapeProto(np.shape(array))


class _ShapeProto:
    """``TensorShapeProto``'s fields: ``dim`` (each with ``size``) and ``unknown_rank``."""

    def __init__(self, dims):
        self.dim = [_Dim(size) for size in dims]
        self.unknown_rank = False


class _Dim:
    def __init__(self, size: int):
        self.size = size


class NodeOutput:
    """One output of an op run: ``slot`` (its index), ``tensor_description``, and ``value`` -- a
    numpy copy of what the op produced, at that moment (minitf's addition to TF1's message)."""

    def __init__(self, slot: int, value):
        self.slot = slot
        self.tensor_description = TensorDescription(value)
        self.value = np.array(to_numpy(value), copy=True)


class NodeExecStats:
    """What one op did in a traced run (TF1's ``NodeExecStats``); times are in microseconds."""

    def __init__(self, op: Operation, start: float, end: float, outputs):
        self.node_name = op.name
        self.all_start_micros = int(start * 1e6)
        self.op_start_rel_micros = 0
        self.op_end_rel_micros = self.all_end_rel_micros = int((end - start) * 1e6)
        inputs = ", ".join(t.op.name if t.value_index == 0 else t.name for t in op.inputs)
        self.timeline_label = f"{op.name} = {op.type}({inputs})"
        self.output = [NodeOutput(i, v) for i, v in enumerate(outputs)]


def _traced_step(kernel, ins, out, op: Operation, values: list, node_stats: list) -> None:
    """One step of a traced run: run it as the plain loop does, and describe it."""
    start = time.time()
    result = kernel(*[values[i] for i in ins])
    end = time.time()
    if type(out) is int:
        values[out] = result
        outputs = [result] if op.outputs else []
    else:
        for slot, r in zip(out, result):
            values[slot] = r
        outputs = list(result)
    if not any(v is SKIPPED for v in ([result] if type(out) is int else result)):
        node_stats.append(NodeExecStats(op, start, end, outputs))


class DeviceStepStats:
    """The ops one device ran (minitf has one device: the CPU, or the GPU under cupy)."""

    def __init__(self, device: str = "/job:localhost/replica:0/task:0/device:CPU:0"):
        self.device = device
        self.node_stats: list = []


class StepStats:
    def __init__(self):
        self.dev_stats: list = []


class RunOptions:
    """``tf.RunOptions``: ``trace_level=tf.RunOptions.FULL_TRACE`` (any level but NO_TRACE) traces the run."""

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3

    def __init__(self, trace_level: int = 0, **options):
        self.trace_level = trace_level
        self.__dict__.update(options)


class RunMetadata:
    """``tf.RunMetadata``: a traced run fills ``step_stats.dev_stats[0].node_stats`` (see the module docstring)."""

    def __init__(self):
        self.step_stats = StepStats()


# ---- Session ------------------------------------------------------------------------------------
class Session:
    """``tf.Session``: runs ops of one graph and holds its variables' values.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.constant(1.0) + 1))
    2.0
    """

    def __init__(self, target: str = "", graph=None, config=None):
        self._graph = graph or get_default_graph()
        self._closed = False
        self.variables: dict = {}      # VariableV2 op -> its array: the session's state (state_ops' kernels)
        self._random: dict = {}        # random op -> its numpy Generator
        self.resources: dict = {}      # iterator op -> its dataset's elements (data.py's kernels)
        self._plans: dict = {}
        self._contexts: list = []

    graph = property(lambda self: self._graph)
    graph_def = property(lambda self: self._graph.as_graph_def())
    sess_str = property(lambda self: "")

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute ``fetches`` (any nest), feeding ``feed_dict``; returns the same structure of values.

        With ``options=tf.RunOptions(trace_level=...)`` and a ``run_metadata``, the run is traced.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if isinstance(fetches, (Tensor, Operation)) and fetches.graph is self._graph:
            mapper, elements = None, (fetches,)
        else:
            mapper = _Fetches(self._graph, fetches)
            elements = tuple(mapper.elements)
        feed_dict = feed_dict or {}
        key = (elements, tuple(feed_dict))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan(self, elements, feed_dict)
        if options is not None and run_metadata is not None and options.trace_level:
            device = DeviceStepStats()
            run_metadata.step_stats = StepStats()
            run_metadata.step_stats.dev_stats.append(device)
            values = plan.run(feed_dict.values(), device.node_stats)
        else:
            values = plan.run(feed_dict.values())
        return values[0] if mapper is None else mapper.build(values)

    def close(self) -> None:
        self._closed = True
        self.variables.clear()
        self.resources.clear()
        self._plans.clear()

    def as_default(self):
        """A context manager making this session the default (for ``t.eval()``, ``op.run()``)."""
        return default_session(self)

    def __enter__(self):
        graph_context = self._graph.as_default()
        graph_context.__enter__()
        session_context = self.as_default()
        session_context.__enter__()
        self._contexts.append((graph_context, session_context))
        return self

    def __exit__(self, *exc):
        graph_context, session_context = self._contexts.pop()
        session_context.__exit__(*exc)
        graph_context.__exit__(*exc)
        self.close()
        return False

    def __del__(self):
        self.variables = {}

    # ---- state used by kernels ------------------------------------------------------------
    def variable_value(self, var_op):
        """The array of a variable, or TF1's FailedPreconditionError if it was never initialised."""
        try:
            return self.variables[var_op]
        except KeyError:   # the Session names the op that read it
            raise errors.FailedPreconditionError(None, None, f"Attempting to use uninitialized value "
                                                             f"{var_op.name}") from None

    def random_generator(self, op, seed):
        """The random generator of one random op in this session (repeatable when seeded)."""
        rng = self._random.get(op)
        if rng is None:
            rng = self._random[op] = np.random.default_rng(seed)
        return rng


class InteractiveSession(Session):
    """A Session that makes itself the default when created (for notebooks): ``t.eval()`` just works."""

    def __init__(self, target: str = "", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default = default_session(self)
        self._default.__enter__()

    def close(self) -> None:
        super().close()
        self._default.__exit__(None, None, None)


class GPUOptions:
    """``tf.GPUOptions``: accepted so TF1 code runs (cupy manages GPU memory itself)."""

    def __init__(self, allow_growth: bool = False, per_process_gpu_memory_fraction: float = 1.0, **options):
        self.allow_growth = allow_growth
        self.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction
        self.__dict__.update(options)


class ConfigProto:
    """``tf.ConfigProto``: Session options.  minitf keeps them but needs none of them: numpy's BLAS
    picks its own threads and there is no device placement to log.

    >>> config = tf.ConfigProto(); config.gpu_options.allow_growth = True
    >>> sess = tf.Session(config=config)
    """

    def __init__(self, gpu_options: GPUOptions | None = None, allow_soft_placement: bool = False,
                 log_device_placement: bool = False, intra_op_parallelism_threads: int = 0,
                 inter_op_parallelism_threads: int = 0, **options):
        self.gpu_options = gpu_options or GPUOptions()
        self.allow_soft_placement = allow_soft_placement
        self.log_device_placement = log_device_placement
        self.intra_op_parallelism_threads = intra_op_parallelism_threads
        self.inter_op_parallelism_threads = inter_op_parallelism_threads
        self.__dict__.update(options)

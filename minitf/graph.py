"""Graph, Operation and Tensor: a TensorFlow 1 program is a graph built first, run later.

Notebook 02 explains the idea.  Every ``tf.*`` call adds an ``Operation`` (a node) to the
default ``Graph`` and returns a ``Tensor`` (an edge: a handle to one output of that node).
Nothing is computed until a ``Session`` runs it:

>>> a = tf.constant(3.0); b = tf.constant(4.0)
>>> print(a + b)                       # a symbolic handle, not 7.0
Tensor("add:0", shape=(), dtype=float32)

Names follow TF1's rules: each op gets a base name (``Const``, ``add``) made unique within the
graph (``Const_1``) and prefixed by the enclosing ``name_scope`` (``layer1/MatMul``).

Threads, as in TF 1.15: the default graph (and the default session) belong to the thread --
a new thread starts with its own global default graph, not the ``as_default()`` graph of the
thread that started it -- and so does the name scope a thread has entered in a graph.  Op
names, collections and control dependencies belong to the graph, shared by all threads.
"""
from __future__ import annotations

import contextlib
import re
import threading

from . import dtypes, errors
from .node_def import NodeDef, graph_def
from .tensor_shape import TensorShape


class GraphKeys:
    """Standard collection names (``tf.GraphKeys``), notebook 04."""

    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    MODEL_VARIABLES = "model_variables"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    METRIC_VARIABLES = "metric_variables"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    SUMMARIES = "summaries"
    UPDATE_OPS = "update_ops"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"
    INIT_OP = "init_op"
    SAVERS = "savers"
    QUEUE_RUNNERS = "queue_runners"
    ACTIVATIONS = "activations"
    WEIGHTS = "weights"
    BIASES = "biases"


_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class Tensor:
    """A handle to one output of an Operation: ``<op name>:<output index>``.

    It has a static ``dtype`` and ``shape`` (known before anything runs) but no value;
    ``sess.run(t)`` or ``t.eval()`` computes one.  Python operators build new ops
    (``a + b`` adds an ``add`` op).
    """

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "__weakref__")
    __array_ufunc__ = None  # numpy defers to us: np.float32(2) * t builds a `mul` op

    def __init__(self, op: "Operation", value_index: int, dtype: dtypes.DType, shape: TensorShape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape

    op = property(lambda self: self._op)
    value_index = property(lambda self: self._value_index)
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: self._op.graph)
    device = property(lambda self: "")

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._value_index}"

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Narrow the static shape (e.g. ``?`` to ``784``); incompatible shapes raise ValueError."""
        self._shape = self._shape.merge_with(TensorShape(shape))

    def consumers(self) -> list:
        return [op for op in self.graph.get_operations() if any(t is self for t in op.inputs)]

    def eval(self, feed_dict=None, session=None):
        """``sess.run(self)`` in ``session`` or the default session (``with sess:`` / InteractiveSession)."""
        return session_or_default(session, "evaluate tensor using `eval()`").run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        if self._shape.dims is None:
            return f'Tensor("{self.name}", dtype={self._dtype.name})'
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __hash__(self):
        return id(self)

    def __bool__(self):   # the value exists only when the graph runs: use tf.cond
        raise errors.OperatorNotAllowedInGraphError(
            "using a `tf.Tensor` as a Python `bool` is not allowed in Graph execution. Use Eager execution or "
            "decorate this function with @tf.function.")

    def __iter__(self):   # use tf.unstack, or tf.while_loop
        raise errors.OperatorNotAllowedInGraphError(
            "iterating over `tf.Tensor` is not allowed in Graph execution. Use Eager execution or decorate this "
            "function with @tf.function.")

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name}) "
                        "Please call `x.shape` rather than `len(x)` for shape information.")


class Operation:
    """A node of the graph: its ``type`` (``'MatMul'``), unique ``name``, input and output tensors.

    ``kind`` is the ``Op`` object that knows how to compute it, its static shapes and its
    gradient (see ``minitf/ops/base.py``).  ``id`` numbers the ops of a graph in creation
    order -- inputs are always created first, so sorting by ``id`` is a topological order.
    """

    def __init__(self, graph: "Graph", kind, name: str, inputs, control_inputs, out_types, op_id: int):
        self._graph = graph
        self.kind = kind
        self._name = name
        self._inputs = tuple(inputs)
        self._control_inputs = list(control_inputs)
        self._outputs = [Tensor(self, i, dtype, shape) for i, (dtype, shape) in enumerate(out_types)]
        self.id = op_id

    name = property(lambda self: self._name)
    type = property(lambda self: self.kind.type)
    graph = property(lambda self: self._graph)
    inputs = property(lambda self: self._inputs)
    outputs = property(lambda self: self._outputs)
    control_inputs = property(lambda self: self._control_inputs)
    device = property(lambda self: "")

    @property
    def node_def(self) -> NodeDef:
        return NodeDef(self)

    def get_attr(self, name: str):
        attrs = self.kind.node_attrs(self._inputs)
        if name not in attrs:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.")
        return attrs[name]

    def values(self) -> tuple:
        return tuple(self._outputs)

    def run(self, feed_dict=None, session=None) -> None:
        """Run this op in ``session`` or the default session, for its side effect; returns None."""
        session_or_default(session, "execute operation using `run()`").run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self.type}>"

    def __str__(self):
        return str(self.node_def)


class Graph:
    """A TensorFlow computation: operations in creation order, their names, and collections.

    ``with g.as_default():`` makes ``g`` the graph new ops go to.  Names are unique per graph.
    """

    executes_eagerly = False   # minitf.v2's eager context says True: adding an op to it runs the op
    building_function = False  # a tf.function's graph (minitf.v2) says True: == compares its tensors' values

    def __init__(self):
        self._ops: list[Operation] = []
        self._ops_by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._thread = threading.local()   # per thread: its name scope and the op lists it records
        self._control_dependencies_stack: list[list[Operation]] = []
        self._collections: dict[str, list] = {}
        self._seed = None
        self._finalized = False
        self._lock = threading.Lock()      # threads adding ops to one graph get distinct ids and names

    # ---- operations ---------------------------------------------------------------
    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, value):
        self._seed = value

    @property
    def version(self) -> int:
        """Grows as ops are added: the ``id`` of the newest op (0 for an empty graph)."""
        return len(self._ops)

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """Make the graph read-only (TF1's guard against adding ops in a training loop)."""
        self._finalized = True

    def add_operation(self, kind, name: str, inputs, out_types) -> Operation:
        """Add an op named ``name`` (already unique): ``ops.base.create_op`` works out the rest.

        It gets the control inputs of the enclosing ``control_dependencies`` blocks.
        """
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        if not _VALID_OP_NAME.match(name):
            raise ValueError(f"'{name}' is not a valid node name")
        control_inputs = self._current_control_inputs(inputs)
        with self._lock:
            op = Operation(self, kind, name, inputs, control_inputs, out_types, len(self._ops) + 1)
            self._ops.append(op)
            self._ops_by_name[name] = op
        for recorded in getattr(self._thread, "recorders", ()):
            recorded.append(op)
        return op

    @contextlib.contextmanager
    def recording_ops(self):
        """Collect the ops this thread adds to the graph inside the block, in order (``tf.cond``
        and ``tf.while_loop`` find the ops of a branch or a loop body so)."""
        recorded: list[Operation] = []
        recorders = self._thread.__dict__.setdefault("recorders", [])
        recorders.append(recorded)
        try:
            yield recorded
        finally:
            recorders.remove(recorded)

    def get_operations(self) -> list[Operation]:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """The Tensor or Operation that ``obj`` (an object or a name like 'add:0'/'init') denotes."""
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation)
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj!r} is not an element of this graph.")
            return obj
        kinds = " or ".join(k for k, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok)
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    def _element_by_name(self, name: str, allow_tensor: bool, allow_operation: bool):
        if ":" in name and allow_tensor:
            op_name, _, index = name.partition(":")
            if not index.isdigit():
                raise ValueError(f"The name {name!r} looks a like a Tensor name, but is not a valid one. "
                                 "Tensor names must be of the form \"<op_name>:<output_index>\".")
            if op_name not in self._ops_by_name:
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. "
                               f"The operation, {op_name!r}, does not exist in the graph.")
            outputs = self._ops_by_name[op_name].outputs
            if int(index) >= len(outputs):
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The operation, "
                               f"{op_name!r}, exists but only has {len(outputs)} outputs.")
            return outputs[int(index)]
        if ":" in name:
            raise ValueError(f"Name {name!r} appears to refer to a Tensor, not a Operation.")
        if not allow_operation:
            if name in self._ops_by_name:
                raise ValueError(f"The name {name!r} refers to an Operation, not a Tensor. Tensor names "
                                 "must be of the form \"<op_name>:<output_index>\".")
            raise ValueError(f"The name {name!r} looks like an (invalid) Operation name, not a Tensor. "
                             "Tensor names must be of the form \"<op_name>:<output_index>\".")
        if name not in self._ops_by_name:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
        return self._ops_by_name[name]

    # ---- names --------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` inside the current name scope, with ``_1``, ``_2``… added if it is taken."""
        scope = self.get_name_scope()
        if scope:
            name = scope + "/" + name
        key = name.lower()
        with self._lock:
            count = self._names_in_use.get(key, 0)
            if mark_as_used:
                self._names_in_use[key] = count + 1
            if count > 0:
                base = key
                while key in self._names_in_use:
                    key = f"{base}_{count}"
                    count += 1
                if mark_as_used:
                    self._names_in_use[key] = 1
                name = f"{name}_{count - 1}"
        return name

    def get_name_scope(self) -> str:
        """The name scope this thread is in, in this graph (``""`` at the root)."""
        return getattr(self._thread, "name_scope", "")

    @contextlib.contextmanager
    def name_scope(self, name):
        """Prefix the names of new ops with ``name/`` (made unique: ``layer1``, ``layer1_1``).

        A name ending in ``/`` re-enters that exact scope; ``None`` or ``""`` goes to the root.
        """
        old = self.get_name_scope()
        if name and not (_VALID_SCOPE_NAME if old else _VALID_OP_NAME).match(name):
            raise ValueError(f"'{name}' is not a valid scope name")
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name[:-1]
        else:
            new = self.unique_name(name)
        self._thread.name_scope = new
        try:
            yield new + "/" if new else ""
        finally:
            self._thread.name_scope = old

    # ---- control dependencies -----------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run only after ``control_inputs`` (``None`` clears the outer ones)."""
        if control_inputs is None:
            saved, self._control_dependencies_stack = self._control_dependencies_stack, []
            try:
                yield
            finally:
                self._control_dependencies_stack = saved
            return
        ops = []
        for c in control_inputs:
            if hasattr(c, "_as_graph_element"):
                c = c._as_graph_element()
            if not isinstance(c, (Tensor, Operation)):
                raise TypeError(f"Can not convert a {type(c).__name__} into a Tensor or Operation.")
            ops.append(c.op if isinstance(c, Tensor) else c)
        self._control_dependencies_stack.append(ops)
        try:
            yield
        finally:
            self._control_dependencies_stack.pop()

    def _current_control_inputs(self, inputs) -> list[Operation]:
        if not self._control_dependencies_stack:
            return []
        input_ops = {t.op for t in inputs}
        out = []
        for group in self._control_dependencies_stack:
            out += [op for op in group if op not in input_ops and op not in out]
        return out

    # ---- collections --------------------------------------------------------------
    def add_to_collection(self, name: str, value) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value) -> None:
        for name in ([names] if isinstance(names, str) else dict.fromkeys(names)):
            self.add_to_collection(name, value)

    def get_collection(self, name: str, scope: str | None = None) -> list:
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        pattern = re.compile(scope)
        return [item for item in items if hasattr(item, "name") and pattern.match(item.name)]

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self) -> list[str]:
        return [key for key, items in self._collections.items() if items]

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    # ---- default graph ------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        """Make this graph the default graph of this thread inside the ``with`` block."""
        stack = _thread.graphs
        stack.append(self)
        try:
            yield self
        finally:
            stack.pop()

    def as_graph_def(self, add_shapes: bool = False):
        """The graph as a ``GraphDef`` protobuf (needs tensorboard's protos: ``pip install tensorboard``)."""
        return graph_def(self, add_shapes=add_shapes)


class _ThreadDefaults(threading.local):
    """Each thread's default graphs and sessions (a new thread starts with none entered)."""

    def __init__(self):
        self.graphs: list[Graph] = []     # the as_default() graphs entered, innermost last
        self.global_graph = Graph()       # the default graph outside every as_default()
        self.sessions: list = []          # the as_default() sessions entered, innermost last


_thread = _ThreadDefaults()
_eager_context = None   # while eager execution is on: the function giving this thread's eager context


def set_eager_execution(context_of_thread) -> None:
    """Turn eager execution on -- outside every ``as_default()`` graph, ``context_of_thread()`` (each
    thread's eager context, minitf.v2) is then the default graph, and ops run as they are added --
    or off, with None."""
    global _eager_context
    _eager_context = context_of_thread


def get_default_graph() -> Graph:
    """The graph new ops are added to: the innermost ``as_default()`` graph, else this thread's global
    one (with eager execution on, its eager context)."""
    graphs = _thread.graphs
    if graphs:
        return graphs[-1]
    return _thread.global_graph if _eager_context is None else _eager_context()


def reset_default_graph() -> None:
    """Replace this thread's global default graph with a new, empty one (not allowed inside ``as_default``)."""
    if _thread.graphs:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need "
                             "a cleared graph, exit the nesting and create a new graph.")
    _thread.global_graph = Graph()


def graph_of(values) -> Graph:
    """The graph the given tensors/ops belong to, checking they all share one (TF1's rule)."""
    graph = None
    first = None
    for v in values:
        element = v._as_graph_element() if hasattr(v, "_as_graph_element") else v
        if isinstance(element, (Tensor, Operation)) and not element.graph.executes_eagerly:  # not a value
            if graph is None:
                graph, first = element.graph, element
            elif element.graph is not graph:
                raise ValueError(f"{element} must be from the same graph as {first} (graphs are "
                                 f"{element.graph} and {graph}).")
    return graph or get_default_graph()


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """``tf.name_scope``: prefix op names (``layer1/MatMul``); made unique when reused."""
    name = default_name if name is None else name
    if values is None:
        values = []
    graph = graph_of(values)
    with graph.as_default(), graph.name_scope(name) as scope:
        yield scope


def control_dependencies(control_inputs):
    """``tf.control_dependencies``: ops created inside run after ``control_inputs``."""
    return get_default_graph().control_dependencies(control_inputs)


def add_to_collection(name: str, value) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: str | None = None) -> list:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    return get_default_graph().get_collection_ref(key)


def set_random_seed(seed) -> None:
    """Set the graph-level random seed: random ops become repeatable run to run (notebook 01)."""
    get_default_graph().seed = seed


# ---- the default session: the innermost ``with sess:`` (or InteractiveSession) of this thread ----
def get_default_session():
    """``tf.get_default_session``: the innermost session made default in this thread, else None."""
    sessions = _thread.sessions
    return sessions[-1] if sessions else None


@contextlib.contextmanager
def default_session(session):
    """Make ``session`` this thread's default session inside the block (``Session.as_default``)."""
    sessions = _thread.sessions
    sessions.append(session)
    try:
        yield session
    finally:   # the innermost entry of this session (an InteractiveSession may close out of order)
        del sessions[len(sessions) - 1 - sessions[::-1].index(session)]


def session_or_default(session, action: str):
    """``session``, or the default session for ``t.eval()`` / ``op.run()``; a ValueError if none."""
    session = session or get_default_session()
    if session is None:
        how = "`eval(session=sess)`" if "eval" in action else "`run(session=sess)`"
        raise ValueError(f"Cannot {action}: No default session is registered. Use `with sess.as_default()"
                         f"{'' if 'eval' in action else ':'}` or pass an explicit session to {how}")
    return session

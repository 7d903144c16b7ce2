"""Variables: state that lives in the Session between runs (notebook 04).

``tf.Variable(initial_value)`` adds four ops to the graph -- ``x/initial_value`` (the value),
``x`` (``VariableV2``, the buffer), ``x/Assign`` (its ``initializer``) and ``x/read`` (how the
variable is read) -- and puts the variable in collections.  Nothing has a value until the
initializer runs: ``sess.run(tf.global_variables_initializer())``.

``tf.get_variable`` names variables by ``variable_scope`` (not ``name_scope``) and shares
them when the scope says ``reuse=True``.
"""
from __future__ import annotations

import contextlib
import inspect
import threading
import traceback
import weakref

import numpy as np

from . import dtypes, init_ops
from .backend import from_numpy
from .graph import GraphKeys, Tensor, get_default_graph, graph_of, name_scope, session_or_default
from .ops import array_ops, control_flow_ops, state_ops
from .ops.array_ops import identity
from .ops.base import convert_to_tensor, create_op
from .ops.math_ops import logical_not
from .tensor_shape import TensorShape


class Variable:
    """``tf.Variable``: a named buffer with an initializer; reads go through ``<name>/read``.

    >>> x = tf.Variable(5, name='x')
    >>> x
    <tf.Variable 'x:0' shape=() dtype=int32_ref>

    With eager execution on (``tf.enable_eager_execution()``), ``tf.Variable(...)`` makes a
    variable that holds its value, as TF 1.15 does: the eager context's (minitf.v2's).
    """

    def __new__(cls, *args, **kwargs):
        graph = get_default_graph()
        if cls is Variable and graph.executes_eagerly and kwargs.get("variable_def") is None:
            return graph.make_variable(**_EAGER_SIGNATURE.bind(*args, **kwargs).arguments)
        return super().__new__(cls)

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, synchronization=None,
                 aggregation=None, shape=None):
        if variable_def is not None:
            self._init_from_variable_def(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        trainable = True if trainable is None else bool(trainable)
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        from_fn = callable(initial_value)
        graph = get_default_graph() if from_fn else graph_of([initial_value])
        # as TF1's init_scope: a variable's ops wait for nothing (not the enclosing control dependencies)
        values = [] if from_fn else [initial_value]
        with graph.control_dependencies(None), name_scope(name, "Variable", values) as scope:
            if from_fn:
                with name_scope("Initializer"):
                    initial_value = initial_value()
            self._initial_value = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
            value_shape = self._initial_value.shape if shape is None else TensorShape(shape)
            if validate_shape and not value_shape.is_fully_defined():
                raise ValueError(f"initial_value must have a shape specified: {self._initial_value}")
            kind = state_ops.VariableV2(shape=value_shape, dtype=self._initial_value.dtype.base_dtype)
            self._variable = create_op(kind, [], scope).outputs[0]
            self._initializer_op = state_ops.assign(self._variable, self._initial_value,
                                                    validate_shape=validate_shape, name="Assign").op
            self._snapshot = identity(self._variable, name="read")
        self._trainable = trainable
        self._constraint = constraint
        self._save_slice_info = None
        graph.add_to_collections(collections, self)

    def _init_from_variable_def(self, variable_def, import_scope=None) -> None:
        """Wrap ops already in the graph, named by a ``VariableDef`` proto (import_meta_graph)."""
        graph = get_default_graph()
        prefix = f"{import_scope}/" if import_scope else ""

        def element(name):
            return graph.as_graph_element(prefix + name) if name else None

        self._variable = element(variable_def.variable_name)
        self._initial_value = element(variable_def.initial_value_name)
        self._initializer_op = element(variable_def.initializer_name)
        self._snapshot = element(variable_def.snapshot_name)
        self._trainable = variable_def.trainable
        self._constraint = None
        self._save_slice_info = None

    # ---- what it looks like ---------------------------------------------------------------
    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._variable.op)
    dtype = property(lambda self: self._variable.dtype)
    shape = property(lambda self: self._variable.shape)
    graph = property(lambda self: self._variable.graph)
    device = property(lambda self: "")
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)

    def get_shape(self) -> TensorShape:
        return self.shape

    def __repr__(self):
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    __str__ = __repr__

    # ---- reading ------------------------------------------------------------------------------
    def value(self) -> Tensor:
        """The tensor that reads the variable (``x/read``)."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new read of the variable (``x/read_1``...), e.g. after an assign under control deps."""
        with name_scope(self.op.name + "/"):
            return identity(self._variable, name="read")

    def _ref(self) -> Tensor:
        return self._variable

    def _as_graph_element(self) -> Tensor:
        return self._variable

    def eval(self, session=None):
        """The current value in ``session`` (or the default session)."""
        return self._variable.eval(session=session)

    def initialized_value(self) -> Tensor:
        """The value, or the initial value while the variable has none yet: TF1's way to initialise one
        variable from another in the same ``global_variables_initializer()`` run.  A ``tf.cond`` whose
        true branch reads through a ``VariableRead``, so that nothing reads the variable before it has
        a value."""
        def read():
            with name_scope(self.op.name + "/"):
                return state_ops.read_variable(self._variable)

        with self.graph.control_dependencies(None):
            return control_flow_ops.cond(state_ops.is_variable_initialized(self), read, lambda: self._initial_value)

    # ---- writing ------------------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """An op that stores ``value`` (``v.assign(v + 1)``); returns the new value when run."""
        return state_ops.assign(self._variable, value, use_locking=use_locking, name=name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)

    def load(self, value, session=None) -> None:
        """Store ``value`` in the variable directly (no new ops), in ``session`` or the default one."""
        session = session_or_default(session, "load a variable using `load()`")
        array = np.asarray(value, dtype=self.dtype.base_dtype.as_numpy_dtype)
        if not self.shape.is_compatible_with(array.shape):
            raise ValueError(f"Cannot feed value of shape {array.shape} for Tensor {self.name}, "
                             f"which has shape {self.shape}")
        session.variables[self.op] = from_numpy(array.copy())

    def set_shape(self, shape) -> None:
        self._variable.set_shape(shape)


def _variable_operator(name):
    def method(self, *args):
        return getattr(self._snapshot, name)(*args)

    method.__name__ = name
    return method


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or"):
    setattr(Variable, f"__{_op}__", _variable_operator(f"__{_op}__"))
    setattr(Variable, f"__r{_op}__", _variable_operator(f"__r{_op}__"))
for _op in ("neg", "abs", "invert", "lt", "le", "gt", "ge", "getitem"):
    setattr(Variable, f"__{_op}__", _variable_operator(f"__{_op}__"))
Variable.__array_ufunc__ = None
Variable.__hash__ = object.__hash__
VariableV1 = RefVariable = Variable


# ---- collections and initializers ------------------------------------------------------------
def global_variables(scope=None) -> list:
    """Variables in the ``variables`` collection (what ``global_variables_initializer`` initialises)."""
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None) -> list:
    """Variables an optimizer updates by default."""
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None) -> list:
    """The variables a ``tf.train.ExponentialMovingAverage`` keeps averages of."""
    return get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the ``initializer`` of each variable in ``var_list``."""
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def global_variables_initializer():
    """``tf.global_variables_initializer``: op ``init`` that initialises every global variable."""
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


# TF1's deprecated spellings, which TF 1.15 still exports
initialize_all_variables, initialize_local_variables = global_variables_initializer, local_variables_initializer
initialize_variables = variables_initializer


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A string tensor of the names of variables not yet initialised in the session."""
    var_list = global_variables() + local_variables() if var_list is None else var_list
    if not var_list:
        return array_ops.constant([], dtype=dtypes.string, name=name)
    flags = array_ops.stack([state_ops.is_variable_initialized(v) for v in var_list])
    names = array_ops.constant([v.op.name for v in var_list])
    return array_ops.gather(names, array_ops.reshape(array_ops.where(logical_not(flags)), [-1]), name=name)


# ---- variable scopes and get_variable ------------------------------------------------------
_EAGER_SIGNATURE = inspect.signature(Variable.__init__).replace(
    parameters=list(inspect.signature(Variable.__init__).parameters.values())[1:])


class _ReuseMode:
    def __repr__(self):
        return "AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """A variable scope: the name prefix of ``get_variable`` and whether it reuses variables."""

    def __init__(self, reuse, name="", initializer=None, dtype=dtypes.float32, original_name_scope=""):
        self._reuse = reuse
        self._name = name
        self._initializer = initializer
        self._dtype = dtype
        self._original_name_scope = original_name_scope

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._original_name_scope)
    initializer = property(lambda self: self._initializer)
    dtype = property(lambda self: self._dtype)

    @property
    def reuse(self):
        return self._reuse

    def reuse_variables(self) -> None:
        """Make ``get_variable`` in this scope return existing variables from now on."""
        self._reuse = True

    def set_initializer(self, initializer) -> None:
        self._initializer = initializer

    def get_variable(self, name, *args, **kwargs):
        return get_variable(name, *args, **kwargs)


class _VariableStore:
    """A graph's ``get_variable`` variables (shared by all threads) and, per thread, the variable
    scope it is in and how often each scope name was opened (as TF 1.15 keeps them)."""

    def __init__(self):
        self.variables: dict = {}            # full name -> Variable
        self.thread = threading.local()      # .scope: VariableScope, .counts: {scope name: times opened}

    @property
    def scope(self) -> VariableScope:
        if not hasattr(self.thread, "scope"):
            self.thread.scope = VariableScope(False)   # the root scope (reuse_variables() sticks)
        return self.thread.scope

    @scope.setter
    def scope(self, scope: VariableScope) -> None:
        self.thread.scope = scope

    @property
    def counts(self) -> dict:
        return self.thread.__dict__.setdefault("counts", {})


_STORES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # Graph -> _VariableStore


def _store(graph) -> _VariableStore:
    store = _STORES.get(graph)
    if store is None:
        store = _STORES[graph] = _VariableStore()
    return store


def get_variable_scope() -> VariableScope:
    """``tf.get_variable_scope``: the variable scope this thread is in (in the default graph)."""
    return _store(get_default_graph()).scope


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                   caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                   use_resource=None, constraint=None, auxiliary_name_scope=True):
    """``tf.variable_scope``: prefix ``get_variable`` names and open a name scope for ops.

    Re-entering a scope (by name or object) reuses its variable prefix but opens a fresh name
    scope for ops (``model_1/``), exactly as TF1 does.
    """
    graph = get_default_graph()
    store = _store(graph)
    parent = store.scope
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None
    if isinstance(name_or_scope, VariableScope):
        full_name = name_or_scope.name
        name_scope_name = full_name.split("/")[-1]
        new_reuse = reuse if reuse is not None else name_or_scope.reuse
        new_reuse = True if parent.reuse is True else new_reuse
        new_init = initializer or name_or_scope.initializer
        new_dtype = dtype or name_or_scope.dtype
    else:
        if name_or_scope is None:
            name_or_scope = _unique_scope_name(store.counts, parent, default_name)
        full_name = f"{parent.name}/{name_or_scope}" if parent.name else name_or_scope
        name_scope_name = name_or_scope
        new_reuse = True if parent.reuse is True else (reuse if reuse is not None else parent.reuse)
        new_init = initializer or parent.initializer
        new_dtype = dtype or parent.dtype
    store.counts[full_name] = store.counts.get(full_name, 0) + 1
    counts_before = dict(store.counts)
    scope_context = graph.name_scope(name_scope_name) if auxiliary_name_scope else contextlib.nullcontext(
        graph.get_name_scope() + "/" if graph.get_name_scope() else "")
    with scope_context as ops_scope:
        original = ops_scope if not isinstance(name_or_scope, VariableScope) else name_or_scope.original_name_scope
        scope = VariableScope(new_reuse or False, full_name, new_init, new_dtype or dtypes.float32, original)
        store.scope = scope
        try:
            yield scope
        finally:
            store.scope = parent
            _close_subscopes(store.counts, full_name, counts_before, isinstance(name_or_scope, VariableScope))


def _close_subscopes(counts: dict, full_name: str, counts_before: dict, reentered: bool) -> None:
    """Leaving a scope, as TF 1.15 does: a re-entered scope object restores the counts it found, a scope
    opened by name forgets its sub-scopes' counts, so opening it again names them afresh (``rnn/`` opened
    twice makes ``rnn/basic_lstm_cell`` both times, shared with reuse=True, refused otherwise)."""
    if reentered:
        counts.clear()
        counts.update(counts_before)
        return
    for key in counts:
        if key.startswith(full_name + "/"):
            counts[key] = 0


def _unique_scope_name(counts: dict, parent, base: str) -> str:
    prefix = f"{parent.name}/" if parent.name else ""
    name, i = base, 0
    while counts.get(prefix + name, 0):
        i += 1
        name = f"{base}_{i}"
    return name


variable_op_scope = variable_scope


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True,
                 use_resource=None, custom_getter=None, constraint=None, synchronization=None,
                 aggregation=None):
    """``tf.get_variable``: the variable ``<variable scope>/<name>``, created or (with reuse) shared."""
    graph = get_default_graph()
    scope = _store(graph).scope
    full_name = f"{scope.name}/{name}" if scope.name else name
    store = _store(graph).variables
    shape = None if shape is None else TensorShape(shape)
    dtype = dtypes.as_dtype(dtype or scope.dtype).base_dtype
    if full_name in store:
        return _shared_variable(full_name, store[full_name], scope.reuse, shape, dtype)
    if scope.reuse is True:
        raise ValueError(f"Variable {full_name} does not exist, or was not created with tf.get_variable(). "
                         "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
    initializer = scope.initializer if initializer is None else initializer
    if isinstance(initializer, type):
        initializer = initializer(dtype=dtype)
    from_value = initializer is not None and not callable(initializer)
    if from_value and shape is not None and shape.dims is not None and isinstance(initializer, Tensor):
        raise ValueError("If initializer is a constant, do not specify shape.")
    if initializer is None:
        if shape is None:
            raise ValueError(f"Variable {full_name} did not get an initializer, so its `shape` argument "
                             "must be specified.")
        initializer = _default_initializer(full_name, dtype)
    if not from_value and (shape is None or not shape.is_fully_defined()):
        raise ValueError(f"Shape of a new variable ({full_name}) must be fully defined, but instead was {shape}.")
    with graph.name_scope(None):  # variable names depend on variable_scope only
        if from_value:
            init_dtype = dtype if not isinstance(initializer, Tensor) else None
            variable = Variable(initializer, trainable=trainable, collections=collections, name=full_name,
                                dtype=init_dtype, validate_shape=validate_shape)
        else:
            dims = shape.as_list()
            variable = Variable(lambda: initializer(dims, dtype=dtype), trainable=trainable,
                                collections=collections, name=full_name, dtype=dtype,
                                validate_shape=validate_shape)
    variable._defined_at = "".join(traceback.format_stack()[:-1][-4:])
    store[full_name] = variable
    if regularizer is not None:
        with graph.name_scope(full_name + "/Regularizer/"):
            loss = regularizer(variable)
        if loss is not None:
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return variable


def _shared_variable(full_name, variable, reuse, shape, dtype):
    if reuse is not True and reuse is not AUTO_REUSE:
        raise ValueError(f"Variable {full_name} already exists, disallowed. Did you mean to set reuse=True or "
                         f"reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n"
                         f"{getattr(variable, '_defined_at', '')}")
    if shape is not None and not shape.is_compatible_with(variable.shape):
        raise ValueError(f"Trying to share variable {full_name}, but specified shape {shape} and found "
                         f"shape {variable.shape}.")
    if dtype != variable.dtype.base_dtype:
        raise ValueError(f"Trying to share variable {full_name}, but specified dtype {dtype.name} and found "
                         f"dtype {variable.dtype.base_dtype.name}.")
    return variable


def _default_initializer(name, dtype):
    if dtype.is_floating:
        return init_ops.GlorotUniform()
    if dtype.is_integer or dtype.is_unsigned or dtype.is_bool:
        return init_ops.Zeros()
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype!r} is required")
